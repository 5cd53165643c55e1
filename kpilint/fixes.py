"""Apply fixes as text edits on the original file, the way ruff does.

Edits replace exact character ranges, so comments, quoting, key order, line
endings, a BOM and the file mode all survive. A fixed file is re-parsed before
it is written (atomically), and the loop re-lints until nothing more is
fixable, so a second ``--fix`` changes nothing.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kpilint.findings import Edit, Finding, Report
from kpilint.loader import SourceFile, parse_text

MAX_ROUNDS = 10


@dataclass(slots=True)
class FileFix:
    """The fixed text of one file, and what it fixed."""

    path: Path
    display: str
    before: str
    after: str
    bom: bool
    fixed: list[Finding] = field(default_factory=list)

    def unified_diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True),
                self.after.splitlines(keepends=True),
                fromfile=f"a/{self.display}",
                tofile=f"b/{self.display}",
            )
        )


@dataclass(slots=True)
class FixResult:
    fixed: int = 0
    files: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # what was fixed, for --show-fixes
    refused: list[str] = field(default_factory=list)  # files whose fix would not parse
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why it was not written)


def fixable(finding: Finding, unsafe: bool) -> bool:
    allowed = ("safe", "unsafe") if unsafe else ("safe",)
    return bool(finding.fix.edits) and finding.fix.applicability in allowed


def plan(report: Report, cwd: Path, *, unsafe: bool) -> list[FileFix]:
    """The fixed text of every file with fixable findings (one pass, no overlaps)."""
    by_file: dict[str, list[Finding]] = {}
    for finding in report.findings:
        if fixable(finding, unsafe):
            by_file.setdefault(finding.path, []).append(finding)
    plans = []
    for display, findings in by_file.items():
        path = cwd / display
        try:
            raw = path.read_bytes()
        except OSError:
            continue
        bom = raw.startswith(b"\xef\xbb\xbf")
        before = raw.decode("utf-8-sig")
        after, applied = _apply_edits(before, findings)
        if applied:
            plans.append(FileFix(path, display, before, after, bom, applied))
    return plans


def previews(report: Report, cwd: Path, *, unsafe: bool) -> dict[str, str]:
    """Each fixable finding's own fix as a unified diff, keyed by fingerprint."""
    texts: dict[str, str | None] = {}
    out = {}
    for finding in report.findings:
        if not fixable(finding, unsafe):
            continue
        if finding.path not in texts:
            try:
                texts[finding.path] = (cwd / finding.path).read_bytes().decode("utf-8-sig")
            except (OSError, UnicodeDecodeError):
                texts[finding.path] = None
        before = texts[finding.path]
        if before is None:
            continue
        after, applied = _apply_edits(before, [finding])
        if applied:
            fix = FileFix(cwd / finding.path, finding.path, before, after, False, applied)
            out[finding.fingerprint] = fix.unified_diff()
    return out


def _apply_edits(text: str, findings: list[Finding]) -> tuple[str, list[Finding]]:
    chosen: list[tuple[Edit, Finding]] = []
    for finding in sorted(findings, key=lambda f: min(e.start for e in f.fix.edits)):
        edits = sorted(finding.fix.edits, key=lambda e: e.start)
        last_end = chosen[-1][0].end if chosen else -1
        if edits[0].start < last_end or any(e.end > len(text) for e in edits):
            continue  # overlaps an earlier fix: the next round takes it
        chosen.extend((e, finding) for e in edits)
    out = text
    # From the end back; at one offset the wider edit first, so an insertion
    # there is not swallowed by a removal that starts at the same place.
    for edit, _ in sorted(chosen, key=lambda c: (c[0].start, c[0].end), reverse=True):
        out = out[: edit.start] + edit.content + out[edit.end :]
    applied = list(dict.fromkeys(f for _, f in chosen))
    return out, applied


def still_parses(fix: FileFix) -> bool:
    return parses(fix.path, fix.display, fix.after)


def parses(path: Path, display: str, text: str) -> bool:
    sf = SourceFile(path, display)
    parse_text(sf, text)
    return not any(p.code == "KPI001" for p in sf.problems)


def fix_text(
    relint: Callable[[str], Report],
    path: Path,
    display: str,
    text: str,
    *,
    unsafe: bool,
    report: Report | None = None,
) -> tuple[Report, str, int]:
    """``fix_loop`` for a text that is not written anywhere (stdin, an editor buffer).

    ``relint`` lints the project with ``text`` as the file ``display``; returns
    the final report, the fixed text and how many findings were fixed.
    ``report`` is ``relint(text)`` when the caller has it already.
    """
    report = report or relint(text)
    fixed = 0
    for _ in range(MAX_ROUNDS):
        mine = [f for f in report.findings if f.path == display and fixable(f, unsafe)]
        after, applied = _apply_edits(text, mine)
        if not applied or not parses(path, display, after):
            break
        text, fixed = after, fixed + len(applied)
        report = relint(text)
    return report, text, fixed


def _write(fix: FileFix, report: Report) -> str | None:
    """Write one fixed file (see ``kpilint.writing.write_fixed``); why not, or None."""
    from kpilint.writing import write_fixed

    bom = b"\xef\xbb\xbf" if fix.bom else b""
    seen = report.texts.get(fix.display)
    if seen is not None and seen != hash(fix.before):
        return "it changed while kpilint ran; run kpilint again"
    read = bom + fix.before.encode("utf-8")
    return write_fixed(fix.path, bom + fix.after.encode("utf-8"), read)


def fix_loop(relint: Callable[[], Report], cwd: Path, *, unsafe: bool) -> tuple[Report, FixResult]:
    """Fix, write, re-lint, until nothing more is fixable; return the final report."""
    result = FixResult()
    report = relint()
    refused: set[str] = set()
    for _ in range(MAX_ROUNDS):
        plans = [p for p in plan(report, cwd, unsafe=unsafe) if p.display not in refused]
        if not plans:
            break
        for fix in plans:
            if not still_parses(fix):
                refused.add(fix.display)
                continue
            why = _write(fix, report)
            if why is not None:
                refused.add(fix.display)
                result.skipped.append((fix.display, why))
                continue
            result.fixed += len(fix.fixed)
            result.findings.extend(fix.fixed)
            if fix.path not in result.files:
                result.files.append(fix.path)
        report = relint()
    written_off = {display for display, _ in result.skipped}
    result.refused = sorted(refused - written_off)
    return report, result
