"""``# kpilint:`` comments, applied by the engine after rules ran.

Rules never see suppressions; the engine filters their findings here and sorts
the comments into what KPI008-KPI011 report: malformed (silences nothing),
expired waivers, and valid ones that silenced nothing.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from kpilint.comments import DIRECTIVES, Suppression
from kpilint.config import specificity
from kpilint.findings import Edit, Finding
from kpilint.loader import SourceFile
from kpilint.quoting import LIMIT, cut
from kpilint.suggest import closest


class Comment(NamedTuple):
    """A valid suppression comment in a reported file (KPI009 reads these).

    This and the kinds below are NamedTuples, not frozen dataclasses: the same
    immutable records, several times cheaper to define at every start.
    """

    file: SourceFile
    suppression: Suppression

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


class Unused(Comment):
    """A valid, unexpired suppression that silenced nothing (KPI010)."""

    __slots__ = ()


class Expired(Comment):
    """A waiver whose ``until`` date is before today (KPI011)."""

    __slots__ = ()


class Malformed(NamedTuple):
    """A ``kpilint:`` comment that is not a valid suppression (KPI008)."""

    file: SourceFile
    suppression: Suppression
    problem: str = ""
    suggestion: str = ""  # "did you mean" text
    edits: tuple[Edit, ...] = ()


@dataclass(slots=True)
class Outcome:
    """The findings left after suppressions, and the comments sorted by what they did."""

    kept: list[Finding] = field(default_factory=list)
    valid: list[Comment] = field(default_factory=list)
    unused: list[Unused] = field(default_factory=list)
    expired: list[Expired] = field(default_factory=list)
    malformed: list[Malformed] = field(default_factory=list)

    def subjects(self) -> dict[type, Sequence[Any]]:
        """What the suppression rules run over, by their subject type."""
        return {
            Comment: self.valid,
            Unused: self.unused,
            Expired: self.expired,
            Malformed: self.malformed,
        }


def matches(selector: str, code: str, name: str) -> bool:
    """``selector`` names the rule as ``--select`` reads it (FORMAT.md "Suppressions")."""
    return specificity(selector, code, name) > 0


class Targets:
    """The rules each selector names, worked out once per distinct selector text."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names
        self._seen: dict[str, frozenset[str]] = {}

    def __call__(self, selector: str) -> frozenset[str]:
        found = self._seen.get(selector)
        if found is None:
            found = frozenset(c for c, n in self.names.items() if matches(selector, c, n))
            self._seen[selector] = found
        return found


def close_rule(selector: str, names: dict[str, str]) -> str | None:
    """The rule code or name a misspelt selector most likely meant (``KPI3O5``: KPI305)."""
    sel = selector.strip()
    if sel.upper().startswith("KPI"):
        fixed = sel.upper().replace("O", "0").replace("I", "1").replace("L", "1")
        fixed = "KPI" + fixed[3:]
        if any(matches(fixed, code, name) for code, name in names.items()):
            return fixed
        return closest(sel.upper(), names)
    return closest(sel.lower(), names.values())


def _malformed(sf: SourceFile, s: Suppression, targets: Targets) -> Malformed | None:
    """Why a comment is not a valid suppression, or None when it is one."""
    if s.problem is not None:
        edits: tuple[Edit, ...] = ()
        suggestion = ""
        if s.directive and s.directive not in DIRECTIVES:
            close = closest(s.directive, DIRECTIVES)
            if close:
                suggestion = close
                edits = (Edit(*s.directive_span, close),)
        return Malformed(sf, s, s.problem, suggestion, edits)
    unknown = [sel for sel in s.selectors if not targets(sel)]
    if not unknown:
        return None
    guesses = {sel: close_rule(sel, targets.names) for sel in unknown}
    listed = ", ".join(repr(cut(u, LIMIT - 2)) for u in unknown)
    problem = f"no rule is called {listed}"
    suggestion = ", ".join(g for g in guesses.values() if g)
    edits = ()
    if all(guesses.values()) and s.selector_span is not None:
        written = ", ".join(guesses.get(sel) or sel for sel in s.selectors)
        edits = (Edit(*s.selector_span, written),)
    return Malformed(sf, s, problem, suggestion, edits)


def classify(
    files: Iterable[SourceFile], names: dict[str, str] | Targets, today: date
) -> tuple[list[Comment], list[Expired], list[Malformed]]:
    """Every kpilint comment of ``files``: in force, expired, or malformed."""
    targets = names if isinstance(names, Targets) else Targets(names)
    active: list[Comment] = []
    expired: list[Expired] = []
    malformed: list[Malformed] = []
    for sf in files:
        for s in sf.suppressions:
            bad = _malformed(sf, s, targets)
            if bad is not None:
                malformed.append(bad)
            elif s.until is not None and s.until < today:
                expired.append(Expired(sf, s))
            else:
                active.append(Comment(sf, s))
    return active, expired, malformed


def _entity_lines(entities: Iterable[Any]) -> dict[tuple[str, str, str | None], list[int]]:
    """The lines that open entities, by (file, kind, id), sorted."""
    lines: dict[tuple[str, str, str | None], list[int]] = {}
    for entity in entities:
        lines.setdefault((entity.file.display, entity.kind, entity.id), []).append(entity.pos.line)
    for found in lines.values():
        found.sort()
    return lines


def apply(
    findings: Iterable[Finding],
    files: dict[str, SourceFile],
    enabled: dict[str, str],
    names: dict[str, str],
    *,
    today: date,
    entities: Iterable[Any] = (),
) -> Outcome:
    """Drop suppressed findings; sort the comments of ``files`` into an ``Outcome``.

    A suppression silences findings on its line, in its file (``ignore-file``),
    or of the entity whose first key is on its line (FORMAT.md).
    """
    targets = Targets(names)
    active, expired, malformed = classify(files.values(), targets, today)
    out = Outcome(valid=[*active, *expired], expired=expired, malformed=malformed)
    by_line: dict[tuple[str, int], list[Comment]] = {}
    whole_file: dict[str, list[Comment]] = {}
    for c in active:
        if c.suppression.whole_file:
            whole_file.setdefault(c.file.display, []).append(c)
        else:
            by_line.setdefault((c.file.display, c.suppression.pos.line), []).append(c)
    opening = _entity_lines(entities) if by_line else {}
    used: set[int] = set()  # id() of comments that silenced something
    for finding in findings:
        candidates = [*by_line.get((finding.path, finding.line), ())]
        if finding.entity is not None and opening:
            lines = opening.get((finding.path, finding.entity.kind, finding.entity.id))
            if lines:  # the last entity of that id opened at or before the finding
                line = lines[max(bisect.bisect_right(lines, finding.line) - 1, 0)]
                if line != finding.line:
                    candidates += by_line.get((finding.path, line), ())
        candidates += whole_file.get(finding.path, ())
        silenced = False
        for c in candidates:
            if any(finding.code in targets(sel) for sel in c.suppression.selectors):
                used.add(id(c))
                silenced = True
        if not silenced:
            out.kept.append(finding)
    for c in active:
        if id(c) in used:
            continue  # it silenced something: not unused (FORMAT.md)
        selectors = c.suppression.selectors
        if any(code in enabled for sel in selectors for code in targets(sel)):
            out.unused.append(Unused(c.file, c.suppression))
    return out
