"""``kpilint check --add-noqa``: a suppression for every current finding, as ruff's.

A team adopts kpilint at once and fixes later: each line with findings gets
``# kpilint: ignore[CODES] TODO`` (a reason that is only TODO, so KPI009 keeps
asking for the real one), or its codes are merged into the suppression already
on that line. The edits go through ``--fix``'s machinery (exact text edits, an
atomic write), and a file whose data would change (a comment cannot go inside a
multi-line string) is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kpilint.comments import PLACEHOLDER, Suppression
from kpilint.findings import Edit, Finding, Fix, Report
from kpilint.loader import SourceFile, parse_text, read_file

#: Findings a line suppression cannot or should not silence: unreadable files,
#: internal errors, and the suppression rules themselves.
NOT_SUPPRESSED = frozenset({"KPI000", "KPI001", "KPI008", "KPI009", "KPI010", "KPI011"})


@dataclass(slots=True)
class NoqaResult:
    added: int = 0  # suppressions written or extended
    files: list[Path] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # files left alone, and why


def add_noqa(report: Report, cwd: Path) -> NoqaResult:
    """Write a suppression for every finding of ``report`` that one can silence."""
    from kpilint.fixes import plan, write_fix  # --fix's checked, atomic write

    by_line: dict[str, dict[int, list[str]]] = {}
    for f in report.findings:
        if f.code not in NOT_SUPPRESSED and f.path:
            codes = by_line.setdefault(f.path, {}).setdefault(f.line, [])
            if f.code not in codes:
                codes.append(f.code)
    result = NoqaResult()
    for display, lines in sorted(by_line.items()):
        sf = read_file(cwd / display, display)
        if not sf.ok:
            continue
        usable = _usable(sf, report.today or date.today())
        edits = [e for line, codes in lines.items() if (e := _edit(sf, line, codes, usable))]
        carriers = Report(findings=[_carrier(display, e) for e in edits])
        for fix in plan(carriers, cwd, unsafe=False):
            if fix.refused:
                lines_left = ", ".join(
                    str(sf.position(f.fix.edits[0].start).line) for f in fix.refused
                )
                result.refused.append((display, f"a comment would not parse at line {lines_left}"))
            if not fix.fixed:
                continue
            after = SourceFile(fix.path, display)
            parse_text(after, fix.after)
            if after.data != sf.data or any(p.code == "KPI001" for p in after.problems):
                result.refused.append((display, "a comment there would change its data"))
                continue
            why = write_fix(fix, report)
            if why is not None:
                result.refused.append((display, why))
                continue
            result.added += len(fix.fixed)
            result.files.append(fix.path)
    return result


def line_edit(sf: SourceFile, line: int, codes: list[str], today: date) -> Edit | None:
    """The edit that silences ``codes`` on ``line`` of ``sf``, as ``--add-noqa`` writes it.

    The language server's "suppress" code action uses it, so an editor and the
    command line write the same comment (a ``TODO`` reason, KPI009 until a
    person writes why) and merge into the same existing suppressions.
    """
    return _edit(sf, line, [c for c in codes if c not in NOT_SUPPRESSED], _usable(sf, today))


def _usable(sf: SourceFile, today: date) -> dict[int, Suppression]:
    """The line suppressions of ``sf`` in force on ``today``, by line: the ones codes join."""
    from kpilint.registry import rule_names
    from kpilint.suppressions import classify

    active, _, _ = classify([sf], rule_names(), today)
    return {c.suppression.pos.line: c.suppression for c in active if not c.suppression.whole_file}


def _edit(
    sf: SourceFile, line: int, codes: list[str], usable: dict[int, Suppression]
) -> Edit | None:
    """The comment for ``codes`` on ``line``, or the codes added to the one there.

    None when the line ends in a kpilint comment that cannot take them: a
    malformed one (KPI008) or an expired waiver (KPI011) needs a person first.
    """
    if not codes:
        return None
    s = usable.get(line)
    if s is not None and s.selector_span is not None:
        missing = [c for c in codes if c not in s.selectors]
        at = s.selector_span[1]
        return Edit(at, at, "".join(f", {c}" for c in missing)) if missing else None
    if any(s.pos.line == line for s in sf.suppressions):
        return None
    start, end = sf.lines.span(line)
    content_end = end
    while content_end > start and sf.text[content_end - 1] in " \t":
        content_end -= 1
    comment = f"# kpilint: ignore[{', '.join(codes)}] {PLACEHOLDER}"
    return Edit(content_end, end, f"  {comment}" if content_end > start else comment)


def _carrier(display: str, edit: Edit) -> Finding:
    """A finding that carries ``edit`` through ``fixes.plan``."""
    return Finding(
        "KPI009", "add-noqa", "warning", display, 0, 0, None, "", Fix("", "safe", (edit,))
    )
