"""Review cadences (FORMAT.md ``timeline.review``, RULES.md KPI303/KPI304; issue 21).

``semiannually`` and ``every N weeks|months|years`` (N 1 to 10, singular for 1, lower
case) are valid in the model, the fast path and the schema alike, and every place
that counts a cadence's days (KPI303, KPI304, the audit's review-overdue) counts them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import jsonschema
import pytest

from kpilint import fastpath
from kpilint.audit import audit
from kpilint.checks.timeline import CADENCE_DAYS, CADENCE_SPAN_DAYS
from kpilint.model import Timeline, json_schema

VALID = [
    "weekly", "biweekly", "monthly", "quarterly", "semiannually", "annually",
    "every 1 week", "every 1 month", "every 1 year", "every 2 weeks", "every 10 months",
    "every 3 years",
]  # fmt: skip
INVALID = [
    "every 0 weeks", "every 11 weeks", "every 1 weeks", "every 2 week", "Every 2 weeks",
    "every 2 Weeks", "every  2 weeks", "every 2 days", "every two weeks", "semi-annually",
    "every 02 weeks", " every 2 weeks",
]  # fmt: skip


@pytest.mark.parametrize("review", VALID)
def test_valid_cadences_are_built_by_both_paths_and_the_schema(review: str) -> None:
    from kpilint.strict import adapter

    assert fastpath.build(Timeline, {"review": review}) == Timeline(review=review)
    assert adapter(Timeline).validate_python({"review": review}) == Timeline(review=review)
    timeline = json_schema()["$defs"]["Timeline"]
    jsonschema.validate({"review": review}, {**timeline, "$defs": json_schema()["$defs"]})


@pytest.mark.parametrize("review", INVALID)
def test_other_cadences_are_refused_by_both_paths_and_the_schema(review: str) -> None:
    from pydantic import ValidationError

    from kpilint.strict import adapter

    assert fastpath.build(Timeline, {"review": review}) is None
    with pytest.raises(ValidationError) as raised:
        adapter(Timeline).validate_python({"review": review})
    assert raised.value.errors()[0]["type"] == "literal_error"
    timeline = json_schema()["$defs"]["Timeline"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"review": review}, {**timeline, "$defs": json_schema()["$defs"]})


@pytest.mark.parametrize(
    ("review", "overdue", "span"),
    [
        ("semiannually", 184, 181),
        ("every 1 week", 7, 7),
        ("every 2 weeks", 14, 14),
        ("every 1 month", 31, 28),
        ("every 6 months", 186, 168),
        ("every 1 year", 366, 365),
        ("every 10 years", 3660, 3650),
    ],
)
def test_days_of_a_cadence(review: str, overdue: int, span: int) -> None:
    assert CADENCE_DAYS[review] == overdue
    assert CADENCE_SPAN_DAYS[review] == span


def test_the_audit_counts_every_n_weeks(tmp_path: Path) -> None:
    (tmp_path / "kpilint.toml").write_text("")
    (tmp_path / "a.kpi.yaml").write_text(
        "kpis:\n"
        "  - {id: ok, name: A, timeline: {review: every 3 weeks, last_reviewed: 2027-05-11}}\n"
        "  - {id: late, name: B, timeline: {review: every 3 weeks, last_reviewed: 2027-05-10}}\n"
    )
    result = audit([tmp_path], cwd=tmp_path, today=date(2027, 6, 1))
    overdue = [a for a in result.attention if a.kind == "review-overdue"]
    assert [(a.kpi.id, a.date) for a in overdue] == [("late", date(2027, 5, 31))]
