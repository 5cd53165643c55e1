"""``# kpilint: ignore[...]`` comments, applied by the engine after rules ran.

Rules never see suppressions; the engine filters their findings here and
records which comments silenced something, so KPI010 can report the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kpilint.findings import Edit, Finding
from kpilint.loader import SourceFile, Suppression


@dataclass(frozen=True, slots=True)
class Unused:
    """A suppression comment (or some of its selectors) that silenced nothing."""

    file: SourceFile
    suppression: Suppression
    selectors: tuple[str, ...]
    unknown: tuple[str, ...]  # those that name no rule at all

    def removal(self) -> Edit:
        """Delete the comment, and its line when the comment stands alone."""
        text, s = self.file.text, self.suppression
        line_start = text.rfind("\n", 0, s.start) + 1
        line_end = text.find("\n", s.end)
        line_end = len(text) if line_end < 0 else line_end + 1
        if not text[line_start : s.start].strip():
            return Edit(line_start, line_end, "")
        start = s.start
        while start > line_start and text[start - 1] in " \t":
            start -= 1
        return Edit(start, s.end, "")


def matches(selector: str, code: str, name: str) -> bool:
    sel = selector.strip()
    return (
        sel.upper() == code
        or sel.lower() == name
        or (len(sel) >= 4 and sel.upper().startswith("KPI") and code.startswith(sel.upper()))
    )


def _targets(selector: str, names: dict[str, str]) -> list[str]:
    return [code for code, name in names.items() if matches(selector, code, name)]


def apply(
    findings: Iterable[Finding],
    files: dict[str, SourceFile],
    enabled: dict[str, str],
    names: dict[str, str],
) -> tuple[list[Finding], list[Unused]]:
    """Drop suppressed findings; return the kept ones and the unused suppressions."""
    used: set[tuple[int, str, str]] = set()  # (id(file), comment offset, selector)
    kept: list[Finding] = []
    by_line: dict[tuple[str, int], list[Suppression]] = {}
    whole_file: dict[str, list[Suppression]] = {}
    for display, sf in files.items():
        for s in sf.suppressions:
            if s.whole_file:
                whole_file.setdefault(display, []).append(s)
            else:
                by_line.setdefault((display, s.pos.line), []).append(s)
    for finding in findings:
        silenced = False
        candidates = [
            *by_line.get((finding.path, finding.line), ()),
            *whole_file.get(finding.path, ()),
        ]
        for s in candidates:
            for selector in s.selectors:
                if matches(selector, finding.code, finding.name):
                    used.add((id(files[finding.path]), str(s.start), selector))
                    silenced = True
        if not silenced:
            kept.append(finding)
    unused: list[Unused] = []
    for sf in files.values():
        for s in sf.suppressions:
            if any((id(sf), str(s.start), sel) in used for sel in s.selectors):
                continue  # it silenced something: not unused (FORMAT.md)
            unknown = [sel for sel in s.selectors if not _targets(sel, names)]
            enabled_targets = any(
                code in enabled for sel in s.selectors for code in _targets(sel, names)
            )
            if unknown or enabled_targets or not s.selectors:
                unused.append(Unused(sf, s, s.selectors, tuple(unknown)))
    return kept, unused
