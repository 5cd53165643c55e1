"""Measurability (KPI2xx): a target people can check, in a unit, with a direction.

Checked for live KPIs with a valid target. A text target with no number gets
KPI201 and nothing else from this family.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from kpilint.context import Context
from kpilint.entities import KpiEntity, TargetView, Violation
from kpilint.findings import Edit
from kpilint.registry import rule


def _measurable(kpi: KpiEntity) -> TargetView | None:
    target = kpi.target
    return target if target is not None and target.measurable else None


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(value)


@rule("KPI201")
def unmeasurable_target(kpi: KpiEntity) -> Iterator[Violation]:
    target = kpi.target
    if target is not None and target.text is not None and not target.measurable:
        yield kpi.violation(f"{kpi.label}: target '{target.text.strip()}' has no number", "target")


@rule("KPI202")
def missing_unit(kpi: KpiEntity, ctx: Context) -> Iterator[Violation]:
    target = _measurable(kpi)
    if target is None or target.unit or (target.text is None and kpi.has("target.unit")):
        return
    metric = ctx.project.metric_of(kpi)
    if metric is None or not metric.model.unit:
        yield kpi.violation(
            f"{kpi.label}: target has no unit, and neither has its metric", "target"
        )


@rule("KPI203")
def missing_direction(kpi: KpiEntity) -> Iterator[Violation]:
    target = _measurable(kpi)
    if target is None or (target.text is None and kpi.has("target.direction")):
        return
    if target.direction is None:
        how = "no 'direction'" if target.text is None else "no comparison word such as 'at least'"
        yield kpi.violation(f"{kpi.label}: target has {how}; is higher or lower better?", "target")


@rule("KPI204")
def missing_baseline(kpi: KpiEntity) -> Iterator[Violation]:
    target = _measurable(kpi)
    if target is not None and target.text is None and not kpi.has("target.baseline"):
        yield kpi.violation(f"{kpi.label}: target has no baseline", "target")


@rule("KPI205")
def target_not_improvement(kpi: KpiEntity) -> Iterator[Violation]:
    t = _measurable(kpi)
    if t is None or t.value is None or t.baseline is None:
        return
    if t.direction == "increase" and t.value <= t.baseline:
        yield kpi.violation(
            f"{kpi.label}: target {_num(t.value)} does not increase on the baseline "
            f"{_num(t.baseline)}",
            "target",
        )
    elif t.direction == "decrease" and t.value >= t.baseline:
        yield kpi.violation(
            f"{kpi.label}: target {_num(t.value)} does not decrease on the baseline "
            f"{_num(t.baseline)}",
            "target",
        )


@rule("KPI206")
def unrealistic_target(kpi: KpiEntity, *, factor: float = 3) -> Iterator[Violation]:
    t = _measurable(kpi)
    if t is None or t.value is None or t.baseline is None:
        return
    value, base = t.value, t.baseline
    if (t.direction == "increase" and base > 0 and value > factor * base) or (
        t.direction == "decrease" and value < base / factor
    ):
        yield kpi.violation(
            f"{kpi.label}: target {_num(value)} is more than {_num(factor)}x away from the "
            f"baseline {_num(base)}",
            "target",
        )


@rule("KPI207")
def average_hides_variation(kpi: KpiEntity, ctx: Context) -> Iterator[Violation]:
    if _measurable(kpi) is None:
        return
    metric = ctx.project.metric_of(kpi)
    if metric is not None and metric.model.aggregation == "avg":
        yield kpi.violation(
            f"{kpi.label}: its metric '{metric.id}' is an average, which hides variation",
            "metric",
        )


@rule("KPI208")
def free_text_target(kpi: KpiEntity) -> Iterator[Violation]:
    t = _measurable(kpi)
    if t is None or t.text is None or t.value is None:
        return
    parts = [f"value: {_num(t.value)}"]
    if t.unit:
        parts.append(f"unit: {_scalar(t.unit)}")
    if t.direction:
        parts.append(f"direction: {t.direction}")
    mapping = "{" + ", ".join(parts) + "}"
    span = kpi.value_span("target")
    edits = (Edit(span.start, span.end, mapping),) if span is not None else ()
    yield kpi.violation(
        f"{kpi.label}: free-text target '{t.text.strip()}' reads as {mapping}",
        "target",
        fix=f"Write the target as a mapping: {mapping}",
        edits=edits,
    )


_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 _/.()-]*[A-Za-z0-9)]$|^[A-Za-z]$")
_RESERVED = {"yes", "no", "true", "false", "on", "off", "null", "y", "n", "~"}


def _scalar(text: str) -> str:
    """A YAML flow scalar for ``text``: plain when safe, else double-quoted."""
    if _PLAIN.match(text) and text.lower() not in _RESERVED and ": " not in text:
        return text
    return json.dumps(text, ensure_ascii=False)
