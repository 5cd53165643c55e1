"""``--format text``: ruff's manner, one finding a line, its fix beneath."""

from __future__ import annotations

from kpilint.findings import Report
from kpilint.reporters import RenderOptions, omitted_line, plural, tally
from kpilint.reporters.visible import visible_copy

_COLORS = {"error": "31", "warning": "33", "info": "36"}


def _style(text: str, code: str, on: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if on else text


def render(report: Report, options: RenderOptions) -> str:
    report = visible_copy(report)  # control characters shown, not obeyed
    color = options.color
    offered = ("safe", "unsafe") if options.unsafe_fixes else ("safe",)
    lines = []
    for f in report.findings:
        where = _style(f"{f.path}:{f.line}:{f.column}:", "1", color)
        tag = _style(f"{f.code} [{f.severity}]", _COLORS[f.severity] + ";1", color)
        lines.append(f"{where} {tag} {f.message}")
        fixable = options.fix_hint and f.fix.applicability in offered
        marker = " [*]" if fixable else ""
        lines.append(f"  {_style('fix:', '32', color)}{marker} {f.fix.description}")
        preview = options.previews.get(f.fingerprint)
        if preview:
            lines.extend("    " + line for line in preview.rstrip("\n").split("\n"))
    if options.quiet:
        return "\n".join(lines) + "\n" if lines else ""
    s = report.summary
    if report.findings:
        lines.append(f"Found {tally(report)}.")
        if report.summary.omitted:
            lines.append(omitted_line(report))
        if options.fix_hint:
            lines.extend(_fix_hint(report, options.unsafe_fixes))
    else:
        lines.append(
            f"All checks passed: {plural(s.files, 'file')}, {plural(s.kpis, 'KPI')}, "
            f"{plural(s.goals, 'goal')}."
        )
    return "\n".join(lines) + "\n"


def _fix_hint(report: Report, unsafe_fixes: bool) -> list[str]:
    """What ``--fix`` would do; unsafe fixes are counted apart unless asked for, as in ruff."""
    safe = sum(1 for f in report.findings if f.fix.applicability == "safe")
    unsafe = sum(1 for f in report.findings if f.fix.applicability == "unsafe")
    if (unsafe_fixes or not safe) and (safe or unsafe):  # no "0 fixable with `--fix`"
        return [f"[*] {safe + unsafe} fixable with `--fix --unsafe-fixes`."]
    if not (safe or unsafe):
        return []
    hint = f"[*] {safe} fixable with `--fix`"
    if unsafe:
        hint += f" ({unsafe} more with `--unsafe-fixes`)"
    return [hint + "."]
