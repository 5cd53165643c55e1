"""Apply fixes as text edits on the original file, the way ruff does.

Edits replace exact character ranges, so comments, quoting, key order, line
endings, a BOM and the file mode all survive. A fixed file is re-parsed before
it is written (atomically), and the loop re-lints until nothing more is
fixable, so a second ``--fix`` changes nothing.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kpilint.findings import Edit, Finding, Fix, Report
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
    refused: list[Finding] = field(default_factory=list)  # their fix would not parse

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


def plan(
    report: Report, cwd: Path, *, unsafe: bool, skip: frozenset[str] = frozenset()
) -> list[FileFix]:
    """The fixed text of every file with fixable findings (one pass, no overlaps).

    A finding whose fix would leave its file unparseable is left out (in
    ``FileFix.refused``), so one bad fix never holds back the others.
    ``skip`` names fingerprints of findings refused before.
    """
    by_file: dict[str, list[Finding]] = {}
    for finding in report.findings:
        if fixable(finding, unsafe) and finding.fingerprint not in skip:
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
        after, applied, refused = _apply_valid(path, display, before, findings)
        if applied or refused:
            plans.append(FileFix(path, display, before, after, bom, applied, refused))
    return plans


def _apply_valid(
    path: Path, display: str, text: str, findings: list[Finding]
) -> tuple[str, list[Finding], list[Finding]]:
    """Apply what parses: all at once, else one finding at a time, keeping each that parses."""
    after, applied = _apply_edits(text, findings)
    if not applied or parses(path, display, after):
        return after, applied, []
    kept: list[Finding] = []
    refused: list[Finding] = []
    current = text
    for finding in applied:
        trial, done = _apply_edits(text, [*kept, finding])
        if len(done) == len(kept) + 1 and parses(path, display, trial):
            kept.append(finding)
            current = trial
        else:
            refused.append(finding)
    return current, kept, refused


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
        edits = finding.fix.edits
        if any(e.end > len(text) for e in edits) or any(
            _overlap(e, c) for e in edits for c, _ in chosen
        ):
            continue  # overlaps an earlier fix: the next round takes it
        chosen.extend((e, finding) for e in edits)
    out = text
    # From the end back; at one offset the wider edit first, so an insertion
    # there is not swallowed by a removal that starts at the same place.
    for edit, _ in sorted(chosen, key=lambda c: (c[0].start, c[0].end), reverse=True):
        out = out[: edit.start] + edit.content + out[edit.end :]
    applied = list(dict.fromkeys(f for _, f in chosen))
    return out, applied


def _overlap(a: Edit, b: Edit) -> bool:
    """Two edits touch the same text (an insertion inside a replaced range counts)."""
    if a.start == a.end or b.start == b.end:
        return b.start < a.start < b.end or a.start < b.start < a.end
    return max(a.start, b.start) < min(a.end, b.end)


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
        after, applied, _ = _apply_valid(path, display, text, mine)
        if not applied:
            break
        text, fixed = after, fixed + len(applied)
        report = relint(text)
    return report, text, fixed


def write_fix(fix: FileFix, report: Report) -> str | None:
    """Write one fixed file (see ``kpilint.writing.write_fixed``); why not, or None."""
    from kpilint.writing import write_fixed

    bom = b"\xef\xbb\xbf" if fix.bom else b""
    seen = report.texts.get(fix.display)
    if seen is not None and seen != hash(fix.before):
        return "it changed while kpilint ran; run kpilint again"
    read = bom + fix.before.encode("utf-8")
    return write_fixed(fix.path, bom + fix.after.encode("utf-8"), read)


def fix_loop(relint: Callable[[], Report], cwd: Path, *, unsafe: bool) -> tuple[Report, FixResult]:
    """Fix, write, re-lint, until nothing more is fixable; return the final report.

    A fix that would not parse is not applied and no longer offered: the final
    report shows it without one, so "N fixable" stays true.
    """
    result = FixResult()
    report = relint()
    refused: set[str] = set()  # files not written
    unparseable: set[str] = set()  # files with a fix that would not parse
    bad: set[str] = set()  # fingerprints of those fixes
    for _ in range(MAX_ROUNDS):
        plans = [
            p
            for p in plan(report, cwd, unsafe=unsafe, skip=frozenset(bad))
            if p.display not in refused
        ]
        for fix in plans:
            bad.update(f.fingerprint for f in fix.refused)
            if fix.refused:
                unparseable.add(fix.display)
        plans = [p for p in plans if p.fixed]
        if not plans:
            break
        for fix in plans:
            why = write_fix(fix, report)
            if why is not None:
                refused.add(fix.display)
                result.skipped.append((fix.display, why))
                continue
            result.fixed += len(fix.fixed)
            result.findings.extend(fix.fixed)
            if fix.path not in result.files:
                result.files.append(fix.path)
        report = relint()
    result.refused = sorted(unparseable)
    return _without_fixes(report, bad), result


def _without_fixes(report: Report, fingerprints: set[str]) -> Report:
    """``report`` with the fixes of these findings withdrawn (they would not parse)."""
    if not fingerprints:
        return report
    findings = [
        dataclasses.replace(f, fix=Fix(f.fix.description)) if f.fingerprint in fingerprints else f
        for f in report.findings
    ]
    return dataclasses.replace(report, findings=findings)
