"""``--format github``: GitHub Actions workflow commands that annotate the changed files.

GitHub shows only about ten annotations of a kind per step (fifty per job), so
each file's findings are folded into a ``::group::`` with the full list, and a
plain summary line closes the output so the count is never lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from kpilint.findings import Finding, Report
from kpilint.reporters import RenderOptions, omitted_line, plural, tally
from kpilint.reporters.visible import visible_copy

_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
NO_FILE_GROUP = "kpilint (no file)"


def escape_data(text: str) -> str:
    """Escape a command's message, as the Actions runner's ``toCommandValue`` expects."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: data escaping plus ``:`` and ``,``, which end a property."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding) -> str:
    """One ``::error file=..,line=..::message`` command for a finding."""
    props: list[tuple[str, object]] = []
    if f.path:
        props.append(("file", f.path))
        if f.line >= 1:
            props.append(("line", f.line))
            if f.column >= 1:
                props.append(("col", f.column))
            if f.end_line is not None and f.end_line >= f.line:
                props.append(("endLine", f.end_line))
                if f.end_column is not None and f.end_column >= 1:
                    props.append(("endColumn", f.end_column))
    props.append(("title", f"{f.code} {f.name}"))
    head = ",".join(f"{key}={escape_property(str(value))}" for key, value in props)
    text = f.message if not f.fix.description else f"{f.message}\nfix: {f.fix.description}"
    return f"::{_COMMANDS.get(f.severity, 'warning')} {head}::{escape_data(text)}"


def summary_line(report: Report) -> str:
    """The closing plain line: counts survive even when annotations are capped."""
    if not report.findings:
        return f"kpilint: no findings in {plural(report.summary.files, 'file')}."
    more = f" {omitted_line(report)}" if report.summary.omitted else ""
    return f"kpilint: {tally(report)}.{more}"


def _groups(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(f.path, []).append(f)
    return groups


def at_head(f: Finding, paths: set[str] | None) -> Finding:
    """KPI802 as RULES.md has GitHub annotate it: located at base, where the head file has
    another KPI (or nothing), so line 1 of the head file, or no file when it is gone; the
    message names the base line."""
    if f.code != "KPI802" or paths is None:
        return f
    message = f"{f.message} (at base: {f.path}:{f.line})"
    path = f.path if f.path in paths else ""
    return replace(f, path=path, line=1, column=0, end_line=None, end_column=None, message=message)


def render(report: Report, options: RenderOptions) -> str:
    found = [at_head(f, report.at_head) for f in report.findings]
    report = visible_copy(replace(report, findings=found))  # control characters shown
    lines: list[str] = []
    for path, findings in _groups(report.findings).items():
        lines.append(f"::group::{escape_data(path or NO_FILE_GROUP)}")
        lines.extend(annotation(f) for f in findings)
        lines.append("::endgroup::")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"
