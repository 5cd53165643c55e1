"""Progress (KPI9xx): actuals that are missing or stale, KPIs off track, targets met at start.

Every check here returns at once unless the project declares actuals
(``ctx.actuals``), so a project without them imports nothing of
``kpilint.actuals`` (ACTUALS.md: "run only when the project declares actuals").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

from kpilint.context import Context
from kpilint.edits import own
from kpilint.entities import KpiEntity, Violation
from kpilint.findings import Edit, Pos
from kpilint.loader import SourceFile
from kpilint.registry import rule


def _num(value: float | None) -> str:
    """A value as a reader writes it: ``12``, ``12.5``, ``0.9526``."""
    if value is None:
        return "n/a"
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.4g}" if abs(value) < 1e-3 or abs(value) >= 1e6 else f"{value:.4f}".rstrip("0")


@rule("KPI901")
def missing_actuals(kpi: KpiEntity, ctx: Context) -> Iterator[Violation]:
    actuals = ctx.actuals
    if actuals is None or not actuals.declared or actuals.points(kpi):
        return
    from kpilint.actuals.load import cadence_days

    timeline = kpi.model.timeline
    start = timeline.start if timeline is not None else None
    days = cadence_days(kpi)
    if start is not None and start >= ctx.today - timedelta(days=days):
        return
    since = f" although its timeline started on {start}" if start is not None else ""
    tracked = f" or its metric '{kpi.model.metric}'" if kpi.model.metric else ""
    yield kpi.violation(f"{kpi.label} has no actuals (none for it{tracked}){since}")


@rule("KPI902")
def stale_actuals(kpi: KpiEntity, ctx: Context) -> Iterator[Violation]:
    actuals = ctx.actuals
    if actuals is None or not actuals.declared:
        return
    timeline = kpi.model.timeline
    end = timeline.end if timeline is not None else None
    if end is not None and end < ctx.today:
        return
    points = actuals.points(kpi)
    if not points:
        return
    from kpilint.actuals.load import cadence_days

    days = cadence_days(kpi)
    latest = points[-1].day
    if (ctx.today - latest).days > 3 * days:
        yield kpi.violation(
            f"{kpi.label}: the latest actual is from {latest}, "
            f"{(ctx.today - latest).days} days ago, more than three review cadences "
            f"({3 * days} days): the data stopped arriving"
        )


@rule("KPI903")
def off_track(kpi: KpiEntity, ctx: Context) -> Iterator[Violation]:
    actuals = ctx.actuals
    if actuals is None or not actuals.declared:
        return
    progress = actuals.progress(kpi)
    if progress is None or progress.status not in ("limited_progress", "deterioration"):
        return
    current = progress.current
    when = f" by {progress.target_date}" if progress.target_date else ""
    words = progress.status.replace("_", " ")
    yield kpi.violation(
        f"{kpi.label} is off track ({words}, p = {_num(progress.p)}): "
        f"{_num(current.value)} on {current.day}, target {_num(progress.target)}{when}",
        "target",
    )


@rule("KPI904")
def target_met_at_start(kpi: KpiEntity, ctx: Context) -> Iterator[Violation]:
    actuals = ctx.actuals
    if actuals is None or not actuals.declared:
        return
    progress = actuals.progress(kpi)
    if progress is None or progress.base is None:
        return
    from kpilint.actuals.progress import achieved

    target = kpi.target
    strict = bool(target and target.strict)
    base = progress.base
    if achieved(base.value, progress.target, progress.direction, strict):
        yield kpi.violation(
            f"{kpi.label}: its base actual {_num(base.value)} on {base.day} already meets "
            f"the target {_num(progress.target)}: the target asks for nothing",
            "target",
        )


@rule("KPI905")
def baseline_mismatch(kpi: KpiEntity, ctx: Context) -> Iterator[Violation]:
    actuals = ctx.actuals
    target = kpi.target
    if actuals is None or not actuals.declared or target is None or target.baseline is None:
        return
    progress = actuals.progress(kpi)
    if progress is None or progress.base is None:
        return
    base = progress.base.value
    baseline = float(target.baseline)
    if abs(baseline - base) <= (0.05 * abs(base) if base != 0 else 0):
        return
    edits: tuple[Edit, ...] = ()
    pos = kpi.at("target")
    if target.text is None:  # a mapping: at its `baseline` key, which the fix rewrites
        found = _baseline(kpi)
        if found is not None:
            pos, start, end = found
            written = str(int(base)) if base.is_integer() and abs(base) < 1e15 else repr(base)
            edits = (Edit(start, end, written),) if own(kpi, start, end) else ()
    yield kpi.violation(
        f"{kpi.label}: the target's baseline {_num(baseline)} differs from the base actual "
        f"{_num(base)} on {progress.base.day} by more than 5%",
        fix=f"Set `baseline` to the base actual, {_num(base)}",
        edits=edits,
        pos=pos,
    )


_BASELINE = re.compile(
    r"(?:^|(?<=[\s{,]))(baseline)[ \t]*:[ \t]*([-+]?[0-9][0-9_.eE+-]*)(?=[\s,}#]|$)"
)


def _baseline(kpi: KpiEntity) -> tuple[Pos, int, int] | None:
    """Where ``target.baseline`` is: its key's position and its number's offsets.

    Positions below an entity's own keys are not kept after validation (memory), so
    the key is found again in the text of the target's mapping, block or flow.
    """
    span = kpi.value_span("target")
    if span is None:
        return None
    m = _BASELINE.search(kpi.file.text, span.start, span.end)
    if m is None:
        return None
    return kpi.file.position(m.start(1)), m.start(2), m.end(2)


@rule("KPI906")
def invalid_actual(file: SourceFile) -> Iterator[Violation]:
    for p in file.problems:
        if p.code == "KPI906":
            yield Violation(p.message, p.pos, file, None, None, p.fix)
