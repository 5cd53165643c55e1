"""Completeness (KPI1xx): a metric without a target, timeline and goal is not a KPI.

Checked for live KPIs (the engine passes only those). A key present with an
invalid value counts as present: KPI002 already said what is wrong with it.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from typing import Any

from kpilint.context import Context
from kpilint.entities import Entity, GoalEntity, KpiEntity, Violation
from kpilint.project import Project
from kpilint.quoting import quote
from kpilint.registry import rule
from kpilint.suggest import Hints


@rule("KPI101")
def missing_target(kpi: KpiEntity) -> Iterator[Violation]:
    if not kpi.has("target"):
        yield kpi.violation(f"{kpi.label} has no target")


@rule("KPI102")
def missing_timeline(kpi: KpiEntity) -> Iterator[Violation]:
    if not kpi.has("timeline.end") and kpi.deadline is None:  # `by 2030` in a text target
        what = "timeline" if not kpi.has("timeline") else "deadline (timeline.end)"
        yield kpi.violation(f"{kpi.label} has no {what}")


@rule("KPI103")
def missing_goal(kpi: KpiEntity) -> Iterator[Violation]:
    if not kpi.has("goal"):
        yield kpi.violation(f"{kpi.label} is not linked to a goal")


@rule("KPI104")
def missing_owner(kpi: KpiEntity) -> Iterator[Violation]:
    if not kpi.has("owner"):
        yield kpi.violation(f"{kpi.label} has no owner")


@rule("KPI105")
def missing_review_cadence(kpi: KpiEntity) -> Iterator[Violation]:
    if not kpi.has("timeline.review"):
        yield kpi.violation(f"{kpi.label} has no review cadence (timeline.review)")


@rule("KPI106")
def unknown_owner(entity: KpiEntity, ctx: Context) -> Iterator[Violation]:
    yield from _owner_not_listed(entity, ctx)


@rule("KPI106")
def unknown_goal_owner(goal: GoalEntity, ctx: Context) -> Iterator[Violation]:
    yield from _owner_not_listed(goal, ctx)


_HINTS: weakref.WeakKeyDictionary[Project, Hints] = weakref.WeakKeyDictionary()


def _owner_not_listed(entity: Entity[Any], ctx: Context) -> Iterator[Violation]:
    owner = getattr(entity.model, "owner", None)
    if ctx.owners is None or not isinstance(owner, str) or not owner or owner in ctx.owners:
        return
    hints = _HINTS.get(ctx.project)
    if hints is None:  # one per lint run: a budget for all of its owner lookups
        hints = _HINTS[ctx.project] = Hints(sorted(ctx.owners), cutoff=0.7)
    hint = hints(owner)
    yield entity.violation(
        f"{entity.label}: owner {quote(owner)} is not in the owners list{hint}",
        "owner",
        fix=f"Name an owner from the owners list{hint}, or add {quote(owner)} to it",
    )
