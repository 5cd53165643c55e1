"""Measurability (KPI2xx): a target people can check, in a unit, with a direction.

Checked for live KPIs with a valid target. A text target with no number gets
KPI201 and nothing else from this family. A statement, rate, rank or range is
measurable but has no value or change: KPI202-KPI206 skip it and KPI208 gives
it a text fix. Rules read a parsed text exactly as the mapping it parses to
(KPI204 included), so KPI208's fix never adds a finding (FORMAT.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated

from kpilint.context import Context
from kpilint.edits import flow_mapping, replace_value, set_nested_key, yaml_comment
from kpilint.entities import KpiEntity, TargetView, Violation
from kpilint.findings import Edit
from kpilint.quoting import cut, quote
from kpilint.registry import rule
from kpilint.typecheck import Gt


def _measurable(kpi: KpiEntity) -> TargetView | None:
    target = kpi.target
    return target if target is not None and target.measurable else None


def _numeric(kpi: KpiEntity) -> TargetView | None:
    """A target with a value or change: what KPI202-KPI206 read."""
    target = kpi.target
    return target if target is not None and target.numeric else None


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(value)


@rule("KPI201")
def unmeasurable_target(kpi: KpiEntity) -> Iterator[Violation]:
    target = kpi.target
    if target is not None and target.text is not None and not target.measurable:
        yield kpi.violation(
            f"{kpi.label}: target {quote(target.text.strip())} has no number", "target"
        )


@rule("KPI202")
def missing_unit(kpi: KpiEntity, ctx: Context) -> Iterator[Violation]:
    target = _numeric(kpi)
    if target is None or target.unit or (target.text is None and kpi.has("target.unit")):
        return
    metric = ctx.project.metric_of(kpi)
    if metric is None or not metric.model.unit:
        yield kpi.violation(
            f"{kpi.label}: target has no unit, and neither has its metric", "target"
        )


@rule("KPI203")
def missing_direction(kpi: KpiEntity) -> Iterator[Violation]:
    target = _numeric(kpi)
    if target is None or (target.text is None and kpi.has("target.direction")):
        return
    if target.direction is None:
        how = "no 'direction'" if target.text is None else "no comparison word such as 'at least'"
        yield kpi.violation(f"{kpi.label}: target has {how}; is higher or lower better?", "target")


@rule("KPI204")
def missing_baseline(kpi: KpiEntity) -> Iterator[Violation]:
    target = _numeric(kpi)
    if target is None:
        return
    if (target.baseline is None) if target.text is not None else not kpi.has("target.baseline"):
        yield kpi.violation(f"{kpi.label}: target has no baseline", "target")


@rule("KPI205")
def target_not_improvement(kpi: KpiEntity) -> Iterator[Violation]:
    t = _numeric(kpi)
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
def unrealistic_target(
    kpi: KpiEntity, *, factor: Annotated[float, Gt(1)] = 3
) -> Iterator[Violation]:
    t = _numeric(kpi)
    if t is None or t.baseline is None:
        return
    value, base = _level(t), t.baseline
    if value is None:
        return
    if (t.direction == "increase" and base > 0 and value > factor * base) or (
        t.direction == "decrease" and value < base / factor
    ):
        what = f"target {_num(value)}" if t.change is None else f"target change to {_num(value)}"
        yield kpi.violation(
            f"{kpi.label}: {what} is more than {_num(factor)}x away from the baseline {_num(base)}",
            "target",
        )


def _level(t: TargetView) -> float | None:
    """The level a target aims at: its value, or where its change leads from the baseline."""
    if t.change is None or t.baseline is None:
        return t.value
    step = t.baseline * t.change / 100 if t.unit == "%" else t.change
    if t.direction == "increase":
        return t.baseline + step
    if t.direction == "decrease":
        return t.baseline - step
    return None


@rule("KPI207")
def average_hides_variation(kpi: KpiEntity, ctx: Context) -> Iterator[Violation]:
    if _measurable(kpi) is None:
        return
    metric = ctx.project.metric_of(kpi)
    if metric is not None and metric.model.aggregation == "avg":
        yield kpi.violation(
            f"{kpi.label}: its metric {quote(metric.id)} is an average, which hides variation",
            "metric",
        )


@rule("KPI208")
def free_text_target(kpi: KpiEntity) -> Iterator[Violation]:
    t = _measurable(kpi)
    if t is None or t.text is None or t.parsed is None:
        return
    parsed, text = t.parsed, t.text.strip()
    mapping = parsed.mapping()
    written = flow_mapping(mapping) if mapping is not None else ""
    edits, conflict = _rewrite(kpi, written, parsed.deadline) if mapping else ((), None)
    if mapping is None or conflict is not None:
        yield kpi.violation(
            f"{kpi.label}: free-text target {quote(text)} has no exact mapping "
            f"({conflict or parsed.inexact})",
            "target",
            fix="Write the target as a mapping (value or change, unit, direction) that says "
            "what the text means",
        )
        return
    deadline = f", timeline.end: {parsed.deadline}" if parsed.deadline else ""
    # the edit writes the whole unit; the message shows it as it shows any value
    shown = flow_mapping({k: cut(v) if isinstance(v, str) else v for k, v in mapping.items()})
    yield kpi.violation(
        f"{kpi.label}: free-text target {quote(text)} reads as {shown}{deadline}",
        "target",
        fix=f"Write the target as a mapping: {shown}{deadline}",
        edits=edits,
    )


def _rewrite(
    kpi: KpiEntity, written: str, deadline: date | None
) -> tuple[tuple[Edit, ...], str | None]:
    """The safe fix's edits: the mapping (with the text as a comment) and the deadline."""
    assert kpi.target is not None and kpi.target.text is not None
    text = kpi.target.text
    same = written == f"{{value: {text.strip()}}}"  # a bare number: nothing to keep
    edits = replace_value(kpi, "target", written, "" if same else yaml_comment(text))
    if not edits:
        return (), None  # not safely editable here: the text fix says what to write
    if deadline is None:
        return edits, None
    end = kpi.model.timeline.end if kpi.model.timeline is not None else None
    if kpi.has("timeline.end"):
        if end == deadline:
            return edits, None
        return (), f"its deadline {deadline} differs from timeline.end"
    timeline = set_nested_key(kpi, "timeline", "end", deadline.isoformat())
    return (edits + timeline, None) if timeline else ((), None)
