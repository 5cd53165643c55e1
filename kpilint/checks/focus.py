"""Focus (KPI4xx): measuring everything means measuring nothing.

Only active KPIs count (not drafts, not retired). Findings go to the first
entity over the line in project order: files by path, then by line.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Annotated

from kpilint.entities import GoalEntity, KpiEntity, Violation
from kpilint.project import Project
from kpilint.quoting import quote
from kpilint.registry import rule
from kpilint.typecheck import Ge

SCOPE_KINDS = ("org", "team", "role", "campaign", "channel")
Limit = Annotated[int, Ge(1)]  # a limit of 0 KPIs would flag every KPI


def _limit(scope: str, max: int | dict[str, int], per_kind: dict[str, int | None]) -> int:
    kind = scope.split(":", 1)[0]
    if per_kind.get(kind) is not None:
        return per_kind[kind]  # type: ignore[return-value]
    if isinstance(max, dict):
        return max.get(kind, max.get("default", 5))
    return max


@rule("KPI401")
def too_many_kpis(
    project: Project,
    *,
    max: Limit | dict[str, Limit] = 5,
    org: Limit | None = None,
    team: Limit | None = None,
    role: Limit | None = None,
    campaign: Limit | None = None,
    channel: Limit | None = None,
) -> Iterator[Violation]:
    per_kind = {"org": org, "team": team, "role": role, "campaign": campaign, "channel": channel}
    by_scope: dict[str, list[KpiEntity]] = defaultdict(list)
    for kpi in project.kpis:
        if kpi.active:
            by_scope[kpi.model.scope].append(kpi)
    for scope, kpis in by_scope.items():
        limit = _limit(scope, max, per_kind)
        if len(kpis) > limit:
            first_over = kpis[limit]
            yield first_over.violation(
                f"scope {quote(scope)} has {len(kpis)} active KPIs, more than {limit}; "
                f"{first_over.label} is the first over the limit",
                fix=(
                    f"Keep at most {limit} KPIs in scope {quote(scope)}, the ones that drive the "
                    "goal; make the rest plain metrics"
                ),
            )


@rule("KPI402")
def multiple_company_goals(project: Project) -> Iterator[Violation]:
    # Clusters of company goals linked by overlapping periods, found by one sort
    # and sweep (no pairwise comparison); each cluster is reported once, at its
    # second goal in project order.
    spans = []
    for goal in project.goals:
        if goal.model.level == "company":
            period = goal.model.period
            lo = period.start.toordinal() if period and period.start else -(10**9)
            hi = period.end.toordinal() if period and period.end else 10**9
            spans.append((min(lo, hi), max(lo, hi), goal))
    spans.sort(key=lambda s: (s[0], s[1], s[2].order))
    clusters: list[list[GoalEntity]] = []
    reach = None
    for lo, hi, goal in spans:
        if reach is None or lo > reach:
            clusters.append([])
            reach = hi
        reach = max(reach, hi)
        clusters[-1].append(goal)
    for cluster in clusters:
        if len(cluster) > 1:
            second = sorted(cluster, key=lambda g: g.order)[1]
            others = len(cluster) - 1
            yield second.violation(
                f"{len(cluster)} company goals have overlapping periods ({second.label} and "
                f"{'another' if others == 1 else f'{others} others'}); pick one main goal"
            )


@rule("KPI403")
def goal_without_kpis(project: Project) -> Iterator[Violation]:
    for goal in project.goals:
        if goal.id is None:
            continue
        tracked = any(k.active for k in project.kpis_by_goal.get(goal.id, ()))
        if not tracked and not project.child_goals.get(goal.id):
            yield goal.violation(
                f"no active KPI tracks {goal.label}, and no goal names it as parent"
            )


@rule("KPI404")
def orphan_metric(project: Project) -> Iterator[Violation]:
    for metric in project.metrics:
        if metric.id is None or not any(k.live for k in project.kpis_by_metric.get(metric.id, ())):
            yield metric.violation(f"no live KPI tracks {metric.label}")


@rule("KPI405")
def duplicate_kpi(project: Project) -> Iterator[Violation]:
    seen: dict[tuple[str, str], KpiEntity] = {}
    for kpi in project.kpis:
        if not kpi.active or not kpi.model.metric:
            continue
        key = (kpi.model.scope, kpi.model.metric)
        first = seen.setdefault(key, kpi)
        if first is not kpi:
            yield kpi.violation(
                f"{kpi.label} tracks metric {quote(kpi.model.metric)} "
                f"in scope {quote(kpi.model.scope)}, "
                f"as {first.label} already does"
            )


@rule("KPI406")
def overloaded_owner(project: Project, *, max: Limit = 7) -> Iterator[Violation]:
    by_owner: dict[str, list[KpiEntity]] = defaultdict(list)
    for kpi in project.kpis:
        if kpi.active and kpi.model.owner:
            by_owner[kpi.model.owner].append(kpi)
    for owner, kpis in by_owner.items():
        if len(kpis) > max:
            first_over = kpis[max]
            yield first_over.violation(
                f"owner {quote(owner)} is accountable for {len(kpis)} active KPIs across all "
                f"scopes, more than {max}; {first_over.label} is the first over the limit",
                fix=f"Share the load (at most {max} per owner), or drop KPIs that do not "
                "drive a goal",
            )
