"""The health score: one formula, kept here so the README, ``--explain-score`` and
every renderer agree.

A KPI starts at 100 and loses a fixed weight per finding located on it or on its
metric. The weights grow steeply with severity so that one error outweighs many
infos: a KPI with an error is never healthier than one with a dozen infos.
"""

from __future__ import annotations

from collections.abc import Iterable

from kpilint.findings import SEVERITIES

#: Points one finding costs, by severity.
WEIGHTS: dict[str, int] = {"error": 25, "warning": 8, "info": 2}
MAX_SCORE = 100


def kpi_score(severities: Iterable[str]) -> int:
    """The score of one KPI from the severities of its findings (its own and its metric's)."""
    return max(0, MAX_SCORE - sum(WEIGHTS[s] for s in severities))


def mean_score(scores: Iterable[int]) -> float | None:
    """A scope's, goal's or the project's score: the mean of its live KPIs, one decimal.

    ``None`` when there is no live KPI to average: no KPIs is not a perfect score.
    """
    values = list(scores)
    if not values:
        return None
    return round(sum(values) / len(values), 1)


def band(score: float | None) -> str:
    """How a score reads, for colour: ``good`` from 90, ``fair`` from 70, ``poor`` below,
    ``none`` without a score (every renderer colours by this)."""
    if score is None:
        return "none"
    return "good" if score >= 90 else "fair" if score >= 70 else "poor"


def explain() -> str:
    """The formula in words, with the weights in force (``kpilint audit --explain-score``)."""
    weights = ", ".join(f"{s} {WEIGHTS[s]}" for s in SEVERITIES)
    return (
        "Health score (0-100)\n"
        "\n"
        f"  KPI score   = max(0, {MAX_SCORE} - sum of the weights of its findings)\n"
        "  scope score = mean of the scores of the live KPIs in the scope\n"
        "  goal score  = mean of the scores of the live KPIs that track the goal\n"
        "  overall     = mean of the scores of all live KPIs\n"
        "\n"
        f"Weights per finding: {weights}.\n"
        "A KPI's findings are those on the KPI itself and those on the metric it tracks\n"
        "(a metric finding counts against every KPI that tracks the metric). Findings on\n"
        "goals, incentives or files are listed in the report but do not move the score.\n"
        "Suppressed findings and rules that are not selected do not count. Retired KPIs\n"
        "have no score. Means are rounded to one decimal; with no live KPI there is no\n"
        f"score. One error ({WEIGHTS['error']}) outweighs "
        f"{WEIGHTS['error'] // WEIGHTS['info']} infos ({WEIGHTS['info']} each).\n"
    )
