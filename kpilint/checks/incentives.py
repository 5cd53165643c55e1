"""Incentives (KPI5xx): Goodhart's law, people game the one number they are paid on."""

from __future__ import annotations

from collections.abc import Iterator

from kpilint.context import Context
from kpilint.entities import IncentiveEntity, Violation
from kpilint.quoting import quote
from kpilint.registry import rule


@rule("KPI501")
def single_kpi_incentive(incentive: IncentiveEntity) -> Iterator[Violation]:
    kpis = incentive.model.kpis
    if len(kpis) == 1:
        yield incentive.violation(
            f"{incentive.label} rewards a single KPI ({quote(kpis[0])})", "kpis"
        )


@rule("KPI502")
def activity_only_incentive(incentive: IncentiveEntity, ctx: Context) -> Iterator[Violation]:
    project = ctx.project
    categories = []
    for ident in incentive.model.kpis:
        kpi = project.kpi(ident)
        metric = project.metric_of(kpi) if kpi is not None else None
        categories.append(metric.model.category if metric is not None else None)
    if categories and all(c == "activity" for c in categories):
        yield incentive.violation(
            f"{incentive.label} rewards only activity (effort) metrics, no outcome", "kpis"
        )


@rule("KPI503")
def counterbalance_not_rewarded(incentive: IncentiveEntity, ctx: Context) -> Iterator[Violation]:
    rewarded = set(incentive.model.kpis)
    for ident in dict.fromkeys(incentive.model.kpis):
        kpi = ctx.project.kpi(ident)
        if kpi is None:
            continue
        for guard in kpi.model.counterbalance or ():
            if guard not in rewarded:
                yield incentive.violation(
                    f"{incentive.label} rewards {quote(ident)} "
                    f"but not its counterbalance {quote(guard)}",
                    "kpis",
                    fix=f"Add {quote(guard)} to the incentive's kpis",
                )
