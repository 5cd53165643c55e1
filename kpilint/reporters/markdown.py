"""``--format markdown``: a summary to post as a pull/merge-request comment.

Comments have size limits and reviewers read the top, so the table lists the
most severe findings first and stops at ``MAX_ROWS``; cell text is escaped so a
message can neither break the table nor mention (and notify) a GitHub user.
"""

from __future__ import annotations

import re

from kpilint.findings import SEVERITY_RANK, Finding, Report
from kpilint.reporters import RenderOptions, omitted_line, plural, tally
from kpilint.reporters.visible import visible_copy

MAX_ROWS = 100
# CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones
# that start emphasis, code, links, HTML, strike-through, an entity (``&#x202e;``
# would render as the mark it names) or end a table cell.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def cell(text: str) -> str:
    """Make ``text`` safe inside a GFM table cell, rendered as the same plain text."""
    text = _SPECIAL.sub(r"\\\1", text)
    text = text.replace("@", "@<!-- -->")  # no @mentions from user-written messages
    return "<br>".join(line.strip() for line in text.replace("\r\n", "\n").split("\n"))


def code(text: str) -> str:
    """``text`` as inline code; text a code span cannot hold is escaped as a cell instead."""
    if "`" in text or "\n" in text or "|" in text:
        return cell(text)
    return f"`{text}`"


_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def rich(text: str) -> str:
    """``cell`` for kpilint's own wording, whose `code spans` stay code (not shown as \\`)."""
    spans: list[str] = []

    def hold(match: re.Match[str]) -> str:
        # In a GFM table a pipe is escaped even inside a code span, and shown as "|".
        spans.append(f"`{match.group(1).replace('|', chr(92) + '|')}`")
        return f"\ue000{len(spans) - 1}\ue001"

    if "\ue000" in text:  # private-use marks are ours; text holding them stays plain
        return cell(text)
    escaped = cell(_CODE_SPAN.sub(hold, text))
    return re.sub("\ue000(\\d+)\ue001", lambda m: spans[int(m.group(1))], escaped)


def _location(f: Finding) -> str:
    if not f.path:
        return "(no file)"
    return f"{f.path}:{f.line}" if f.line >= 1 else f.path


def verdict(report: Report) -> str:
    """One line: passed or failed, and against which ``--fail-on`` level."""
    if not report.findings:
        return f"✅ **Passed**: no findings in {plural(report.summary.files, 'file')}."
    found = tally(report)
    if report.fails():
        return f"❌ **Failed**: {found}; the check fails on `{report.fail_on}` and above."
    return f"✅ **Passed**: {found}, none at or above the fail level `{report.fail_on}`."


def render(report: Report, options: RenderOptions) -> str:
    report = visible_copy(report)  # control characters shown, not obeyed
    lines = ["## kpilint report", "", verdict(report), ""]
    if report.summary.omitted:
        lines[-1:-1] = ["", cell(omitted_line(report))]
    lines += ["| severity | findings |", "| --- | ---: |"]
    lines += [f"| {sev} | {report.count(sev)} |" for sev in ("error", "warning", "info")]
    if report.findings:
        ordered = sorted(report.findings, key=lambda f: (-SEVERITY_RANK[f.severity], f.sort_key))
        lines += ["", "### Findings", ""]
        lines += [
            "| location | rule | severity | message | fix |",
            "| --- | --- | --- | --- | --- |",
        ]
        for f in ordered[:MAX_ROWS]:
            row = (cell(_location(f)), f"{f.code} {f.name}", f.severity)
            texts = (rich(f.message), rich(f.fix.description))
            lines.append("| " + " | ".join((*row, *texts)) + " |")
        if len(ordered) > MAX_ROWS:
            more = len(ordered) - MAX_ROWS
            lines += ["", f"_… and {plural(more, 'more finding')} not shown._"]
    return "\n".join(lines) + "\n"
