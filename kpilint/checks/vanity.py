"""Vanity (KPI6xx): reach numbers are easy to inflate and say little about the business."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from kpilint.context import Context
from kpilint.entities import KpiEntity, Violation
from kpilint.registry import rule, vocabulary

_SEPARATORS = re.compile(r"[-_.\s]+")


def normalise(text: str) -> str:
    """Lower case, with ``-``, ``_`` and ``.`` as spaces: ``Page-Views`` is ``page views``."""
    return _SEPARATORS.sub(" ", text.lower()).strip()


@cache
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    words = sorted({normalise(t) for t in terms if normalise(t)}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?<![a-z0-9])(" + "|".join(re.escape(w) for w in words) + r")(?![a-z0-9])")


def default_terms() -> tuple[str, ...]:
    return tuple(vocabulary()["vanity"]["terms"])


@rule("KPI601")
def vanity_metric_kpi(
    kpi: KpiEntity,
    ctx: Context,
    *,
    terms: list[str] | None = None,
    extend_terms: list[str] | None = None,
) -> Iterator[Violation]:
    pattern = _pattern(
        tuple(terms if terms is not None else default_terms()) + tuple(extend_terms or ())
    )
    if pattern is None:
        return
    if any(g.model.kind == "awareness" for g in ctx.project.goals_of(kpi)):
        return
    metric = ctx.project.metric_of(kpi)
    texts = [("name", kpi.model.name), ("id", kpi.id or "")]
    if metric is not None:
        texts += [("metric name", metric.model.name), ("metric id", metric.id or "")]
    for where, text in texts:
        match = pattern.search(normalise(text))
        if match:
            yield kpi.violation(
                f"{kpi.label} tracks a vanity metric ('{match.group(1)}' in its {where}) "
                "for a goal that is not about awareness"
            )
            return
