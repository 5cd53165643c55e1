"""Timeline (KPI3xx): deadlines that make sense, reviewed on a cadence.

Every date is compared with ``ctx.today`` (``--today``, config ``today``, else
the system date), so results are reproducible.
"""

from __future__ import annotations

from collections.abc import Iterator

from kpilint.context import Context
from kpilint.edits import set_key
from kpilint.entities import GoalEntity, KpiEntity, Violation
from kpilint.quoting import quote
from kpilint.registry import rule

_UNIT_CADENCE = {"week": "weekly", "month": "monthly", "year": "annually"}


class _Cadences(dict[str, int]):
    """Days per cadence word; ``every N weeks|months|years`` is N times its unit's (RULES.md)."""

    def __missing__(self, review: str) -> int:
        words = review.split()
        if len(words) == 3 and words[0] == "every" and words[1].isdigit():
            unit = _UNIT_CADENCE.get(words[2].removesuffix("s"))
            if unit is not None:
                return int(words[1]) * self[unit]
        raise KeyError(review)


# KPI303: how long a review may be overdue (the longest month, quarter, half, leap year).
CADENCE_DAYS = _Cadences(
    weekly=7, biweekly=14, monthly=31, quarterly=92, semiannually=184, annually=366
)
# KPI304: the shortest span a cadence fits in, so a calendar year reviewed annually is fine.
CADENCE_SPAN_DAYS = _Cadences(
    weekly=7, biweekly=14, monthly=28, quarterly=90, semiannually=181, annually=365
)


def _named(review: str) -> str:
    """``monthly``, or ``'every 2 weeks'`` quoted so the sentence still reads."""
    return review if " " not in review else f"'{review}'"


@rule("KPI301")
def invalid_timeline(entity: KpiEntity) -> Iterator[Violation]:
    t = entity.model.timeline
    if t is not None and t.start is not None and t.end is not None and t.start > t.end:
        yield entity.violation(
            f"{entity.label}: timeline starts {t.start} after it ends {t.end}", "timeline"
        )


@rule("KPI301")
def invalid_goal_period(goal: GoalEntity) -> Iterator[Violation]:
    p = goal.model.period
    if p is not None and p.start is not None and p.end is not None and p.start > p.end:
        yield goal.violation(
            f"{goal.label}: period starts {p.start} after it ends {p.end}", "period"
        )


@rule("KPI302")
def expired_kpi(kpi: KpiEntity, ctx: Context) -> Iterator[Violation]:
    end = kpi.deadline  # timeline.end, else a text target's one deadline
    if end is not None and end < ctx.today:
        ago = _days((ctx.today - end).days)
        yield kpi.violation(
            f"{kpi.label} expired on {end} ({ago} ago) and is still {kpi.model.status}",
            "timeline",
            edits=set_key(kpi, "status", "retired"),
        )


@rule("KPI303")
def review_overdue(kpi: KpiEntity, ctx: Context) -> Iterator[Violation]:
    t = kpi.model.timeline
    if t is None or t.review is None or t.last_reviewed is None:
        return
    age = (ctx.today - t.last_reviewed).days
    if age > CADENCE_DAYS[t.review]:
        yield kpi.violation(
            f"{kpi.label}: last reviewed {t.last_reviewed} ({_days(age)} ago), "
            f"more than one {_named(t.review)} cadence ({CADENCE_DAYS[t.review]} days)",
            "timeline",
        )


@rule("KPI304")
def review_cadence_too_long(kpi: KpiEntity) -> Iterator[Violation]:
    t = kpi.model.timeline
    if t is None or t.review is None or t.start is None or t.end is None or t.start > t.end:
        return
    span = (t.end - t.start).days + 1  # both days count: Jan 1 to Dec 31 is 365 days
    cadence = CADENCE_SPAN_DAYS[t.review]
    if cadence > span:
        yield kpi.violation(
            f"{kpi.label}: reviewed {_named(t.review)} (every {cadence} days), longer than its "
            f"timeline ({_days(span)}, {t.start} to {t.end})",
            "timeline",
        )


@rule("KPI305")
def kpi_outlives_goal(kpi: KpiEntity, ctx: Context) -> Iterator[Violation]:
    end = kpi.deadline  # timeline.end, else a text target's one deadline
    if end is None:
        return
    late = [
        g
        for g in ctx.project.goals_of(kpi)
        if g.model.period is not None
        and g.model.period.end is not None
        and end > g.model.period.end
    ]
    if late:
        goals = ", ".join(f"{quote(g.id)} ({g.model.period.end})" for g in late if g.model.period)
        yield kpi.violation(
            f"{kpi.label}: deadline {end} is after the end of goal {goals}", "timeline"
        )


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"
