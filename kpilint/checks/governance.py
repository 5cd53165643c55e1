"""Governance on change (KPI8xx): run by ``kpilint diff`` only.

Each check sees one KPI at two revisions (a ``KpiChange``), matched by id
across the whole project, so moving a KPI to another file is no change. The
ordinary ``run_rules`` has no ``KpiChange`` subjects and so never runs these;
``kpilint.diff`` feeds them. Choices, so reviews see the same thing every time:

* KPI801 compares only targets that are measurable and have a direction on both
  sides, and trusts the *head* direction: lowering an ``increase`` target or
  raising a ``decrease`` one is flagged; when the direction itself flipped the
  message says so, but flags only if the head direction's easy way was taken.
  Targets whose units both exist and differ are not compared (``100 k USD`` vs
  ``90000 USD`` would be a false alarm), nor are ``maintain`` targets.
* A ``change`` target (``reduce by 10%``) is compared with a change in the same
  direction: a smaller change is easier. A value and a change are not compared.
* KPI801 and KPI803 skip KPIs retired at head: nobody is judged on them any more.
* KPI802 fires for any id gone from the whole head project, retired or not at
  base, because deleting removes the record either way.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from kpilint.entities import KpiEntity, TargetView, Violation
from kpilint.registry import rule


class KpiChange(NamedTuple):
    """One KPI id at base and at head; ``None`` where it does not exist."""

    base: KpiEntity | None
    head: KpiEntity | None


def number(value: float) -> str:
    """``420,000`` not ``420000.0``; what a reviewer would write (thousands separated)."""
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.15g}"  # 1,234,567.5 and 0.3 as written, without float noise


def _unit(view: TargetView) -> str:
    return (view.unit or "").strip().lower()


@rule("KPI801")
def target_lowered(change: KpiChange) -> Iterator[Violation]:
    """A target moved the easy way for the head direction."""
    base, head = change.base, change.head
    if base is None or head is None or not head.live:
        return
    old, new = base.target, head.target
    if old is None or new is None:
        return
    if old.direction is None or new.direction not in ("increase", "decrease"):
        return
    if _unit(old) and _unit(new) and _unit(old) != _unit(new):
        return
    if old.change is not None and new.change is not None and old.direction == new.direction:
        yield from _change_smaller(head, old.change, new.change, new)
        return
    if old.value is None or new.value is None:
        return  # a value and a change are not comparable
    easier = new.value < old.value if new.direction == "increase" else new.value > old.value
    if not easier:
        return
    verb = "lowered" if new.direction == "increase" else "raised"
    unit = f" {new.unit}" if new.unit else ""
    message = (
        f"{head.label} target {verb} from {number(old.value)} to {number(new.value)}{unit}, "
        f"the easy way for `direction: {new.direction}`"
    )
    if old.direction != new.direction:
        message += f" (the direction also changed, from {old.direction})"
    yield head.violation(message, "target", fix=f"Keep the target, or record why it was {verb}")


def _change_smaller(
    head: KpiEntity, old: float, new: float, target: TargetView
) -> Iterator[Violation]:
    """A ``change`` that got smaller asks for less movement, whichever the direction."""
    if new >= old:
        return
    unit = f" {target.unit}" if target.unit else ""
    yield head.violation(
        f"{head.label} target change lowered from {number(old)} to {number(new)}{unit} "
        f"({target.direction}), an easier target",
        "target",
        fix="Keep the target, or record why it was lowered",
    )


@rule("KPI802")
def kpi_deleted(change: KpiChange) -> Iterator[Violation]:
    """Located at base: the head has nowhere to point."""
    if change.base is None or change.head is not None:
        return
    base = change.base
    yield base.violation(
        f"{base.label} was deleted: it is gone from every file at head "
        "(set `status: retired` to keep its history)"
    )


@rule("KPI803")
def deadline_extended(change: KpiChange) -> Iterator[Violation]:
    """``timeline.end`` moved later."""
    base, head = change.base, change.head
    if base is None or head is None or not head.live:
        return
    old = base.model.timeline.end if base.model.timeline else None
    new = head.model.timeline.end if head.model.timeline else None
    if old is None or new is None or new <= old:
        return
    days = (new - old).days
    yield head.violation(
        f"{head.label} deadline moved from {old.isoformat()} to {new.isoformat()} "
        f"({days} day{'' if days == 1 else 's'} later)",
        "timeline",
    )
