"""Data (KPI7xx): numbers should flow from systems of record, not spreadsheets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from kpilint.context import Context
from kpilint.entities import MetricEntity, Violation
from kpilint.quoting import cut
from kpilint.registry import rule, vocabulary


def _tracked(metric: MetricEntity, ctx: Context) -> bool:
    return metric.id is not None and any(
        k.live for k in ctx.project.kpis_by_metric.get(metric.id, ())
    )


@cache
def _spreadsheet_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    parts = []
    for term in terms:
        term = term.lower().strip()
        if term.startswith("."):  # a file extension: "kpis.xlsx"
            parts.append(re.escape(term) + r"(?![a-z0-9])")
        else:
            words = r"[\s_-]+".join(re.escape(w) for w in re.split(r"[\s_-]+", term))
            parts.append(r"(?<![a-z0-9])" + words + r"(?![a-z0-9])")
    return re.compile("|".join(parts) or r"(?!)")


@rule("KPI701")
def manual_data_source(
    metric: MetricEntity, ctx: Context, *, spreadsheet_terms: list[str] | None = None
) -> Iterator[Violation]:
    if not _tracked(metric, ctx):
        return
    kind = metric.model.source_type
    if kind in ("manual", "spreadsheet"):
        yield metric.violation(f"{metric.label} is fed by hand (source_type: {kind})")
        return
    terms = (
        spreadsheet_terms if spreadsheet_terms is not None else vocabulary()["spreadsheet"]["terms"]
    )
    source = metric.model.source
    if source and _spreadsheet_pattern(tuple(terms)).search(source.lower()):
        yield metric.violation(f"{metric.label} comes from a spreadsheet (source: {cut(source)})")


@rule("KPI702")
def missing_data_source(metric: MetricEntity, ctx: Context) -> Iterator[Violation]:
    if _tracked(metric, ctx) and not metric.has("source"):
        yield metric.violation(f"{metric.label} has no source (system of record)")
