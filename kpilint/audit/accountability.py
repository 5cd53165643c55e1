"""The audit's waivers and owners: which exceptions are in force, and who carries the KPIs.

Waivers are read from the covered files' comments as the engine reads them
(``kpilint.suppressions.classify``); owners from the KPI rows, with the
config's ``owners`` list when it names one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from kpilint.findings import SEVERITIES

if TYPE_CHECKING:
    from kpilint.audit import KpiRow
    from kpilint.engine import Loaded


@dataclass(frozen=True, slots=True)
class WaiverRow:
    """A suppression in force with an ``until`` date."""

    path: str
    line: int
    rules: tuple[str, ...]
    until: date
    days: int  # from today to ``until``
    reason: str
    whole_file: bool


@dataclass(slots=True)
class Waivers:
    active: list[WaiverRow] = field(default_factory=list)  # soonest end first
    without_end: int = 0  # suppressions in force that never expire
    expired: int = 0  # KPI011 reports each


@dataclass(frozen=True, slots=True)
class OwnerRow:
    """One owner: the live KPIs they are accountable for, and those KPIs' findings."""

    owner: str
    kpis: int  # live
    active: int
    findings: dict[str, int]  # severity -> count, on their KPIs
    listed: bool | None  # in the config's owners list; None without one


def waivers_of(parts: Iterable[tuple[Loaded, date]]) -> Waivers:
    from kpilint.registry import registry
    from kpilint.suppressions import classify

    names = {code: rule.name for code, rule in registry().items()}
    out = Waivers()
    for loaded, day in parts:
        files = [sf for sf in loaded.project.files if sf.display in loaded.reported]
        active, expired, _ = classify(files, names, day)
        out.expired += len(expired)
        for c in active:
            s = c.suppression
            if s.until is None:
                out.without_end += 1
                continue
            out.active.append(
                WaiverRow(
                    c.file.display,
                    s.pos.line,
                    s.selectors,
                    s.until,
                    (s.until - day).days,
                    s.reason,
                    s.whole_file,
                )
            )
    out.active.sort(key=lambda w: (w.until, w.path, w.line))
    return out


def owner_rows(kpis: Iterable[KpiRow], parts: Iterable[tuple[Loaded, date]]) -> list[OwnerRow]:
    """Owners of live KPIs, the busiest first."""
    from kpilint.engine import owners_of

    lists = [known for loaded, _ in parts if (known := owners_of(loaded)) is not None]
    known = frozenset().union(*lists) if lists else None
    by_owner: dict[str, list[KpiRow]] = defaultdict(list)
    for k in kpis:
        if k.live and k.owner:
            by_owner[k.owner].append(k)
    rows = [
        OwnerRow(
            owner,
            len(rows),
            sum(r.status == "active" for r in rows),
            {sev: sum(r.findings[sev] for r in rows) for sev in SEVERITIES},
            None if known is None else owner in known,
        )
        for owner, rows in by_owner.items()
    ]
    return sorted(rows, key=lambda r: (-r.active, -r.kpis, r.owner))
