"""``--format text``: ruff's manner, one finding a line, its fix beneath."""

from __future__ import annotations

from kpilint.findings import Report
from kpilint.reporters import RenderOptions
from kpilint.reporters.visible import visible_copy

_COLORS = {"error": "31", "warning": "33", "info": "36"}


def _style(text: str, code: str, on: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if on else text


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 or word == 'info' else 's'}"


def render(report: Report, options: RenderOptions) -> str:
    report = visible_copy(report)  # control characters shown, not obeyed
    color = options.color
    lines = []
    for f in report.findings:
        where = _style(f"{f.path}:{f.line}:{f.column}:", "1", color)
        tag = _style(f"{f.code} [{f.severity}]", _COLORS[f.severity] + ";1", color)
        lines.append(f"{where} {tag} {f.message}")
        marker = " [*]" if f.fix.applicability == "safe" else ""
        lines.append(f"  {_style('fix:', '32', color)}{marker} {f.fix.description}")
    s = report.summary
    files = _plural(s.files, "file")
    if report.findings:
        counts = ", ".join(
            _plural(n, word)
            for n, word in ((s.error, "error"), (s.warning, "warning"), (s.info, "info"))
            if n
        )
        lines.append(f"Found {_plural(len(report.findings), 'finding')} ({counts}) in {files}.")
        safe = sum(1 for f in report.findings if f.fix.applicability == "safe")
        unsafe = sum(1 for f in report.findings if f.fix.applicability == "unsafe")
        if options.fix_hint and (safe or unsafe):
            hint = f"[*] {safe} fixable with `--fix`"
            if unsafe:
                hint += f" ({unsafe} more with `--unsafe-fixes`)"
            lines.append(hint + ".")
    else:
        lines.append(
            f"All checks passed: {files}, {_plural(s.kpis, 'KPI')}, {_plural(s.goals, 'goal')}."
        )
    return "\n".join(lines) + "\n"
