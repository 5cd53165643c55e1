"""Completeness (KPI1xx): a metric without a target, timeline and goal is not a KPI.

Checked for live KPIs (the engine passes only those). A key present with an
invalid value counts as present: KPI002 already said what is wrong with it.
"""

from __future__ import annotations

from collections.abc import Iterator

from kpilint.entities import KpiEntity, Violation
from kpilint.registry import rule


@rule("KPI101")
def missing_target(kpi: KpiEntity) -> Iterator[Violation]:
    if not kpi.has("target"):
        yield kpi.violation(f"{kpi.label} has no target")


@rule("KPI102")
def missing_timeline(kpi: KpiEntity) -> Iterator[Violation]:
    if not kpi.has("timeline.end"):
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
