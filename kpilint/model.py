"""The KPI file format: the entity classes rules see, and the one place they are validated.

The classes are frozen, slotted stdlib dataclasses, cheap to build and to hold
(a project keeps one per entity). Their annotations name pydantic's
constraints (``Slug``, ``IsoDate``, ``Target``...), but are never evaluated on
the common path: a valid entity is built by ``kpilint.fastpath`` without
pydantic, which the hook cannot afford to import. Anything else goes to
pydantic (``kpilint.strict``), which defines those names, says exactly what is
wrong (KPI002/KPI003 in ``kpilint.validate``) and generates the JSON Schema.
Validation is lax (mappings become dataclasses) and strict per type where lax
would coerce something YAML produces: a number must not come from ``"12"`` or
``true`` (``tests/test_schema.py`` holds the cases). Dates may be dates or ISO
strings. These classes never see positions.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

if TYPE_CHECKING:  # defined by kpilint.strict, resolved only when pydantic validates
    from kpilint.strict import (
        IsoDate,
        Number,
        PositiveNumber,
        ReviewCadence,
        Scope,
        Slug,
        SlugRefs,
        StrictFlag,
        Target,
        Text,
        Version,
    )
    from kpilint.strict import doc as _doc

SLUG_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"
SCOPE_PATTERN = r"^(org|(team|role|campaign|channel):\S.*)$"
VALUE_OR_CHANGE = "a target has exactly one of 'value' and 'change'"

Status = Literal["draft", "active", "retired"]
Direction = Literal["increase", "decrease", "maintain"]
Review = Literal["weekly", "biweekly", "monthly", "quarterly", "semiannually", "annually"]
# `every N weeks|months|years`, N from 1 to 10, singular for 1, lower case (FORMAT.md).
REVIEW_EVERY_PATTERN = r"every (?:1 (?:week|month|year)|(?:[2-9]|10) (?:weeks|months|years))"
GoalLevel = Literal["company", "department", "team"]
GoalKind = Literal[
    "revenue",
    "profitability",
    "growth",
    "retention",
    "satisfaction",
    "awareness",
    "efficiency",
    "other",
]
Category = Literal["activity", "output", "operational"]
SourceType = Literal["automated", "manual", "spreadsheet"]
Aggregation = Literal[
    "sum",
    "count",
    "avg",
    "median",
    "min",
    "max",
    "p50",
    "p75",
    "p90",
    "p95",
    "p99",
    "rate",
    "ratio",
    "latest",
]

T = TypeVar("T")


def validate(model: type[T], data: Any) -> T:
    """``data`` as a ``model``; raises pydantic's ``ValidationError``.

    A valid entity is built without pydantic; only what the fast path cannot
    vouch for (an error, or a shape it does not know) is handed to pydantic.
    """
    from kpilint.fastpath import build

    built: T | None = build(model, data)
    if built is not None:
        return built
    from kpilint.strict import adapter

    result: T = adapter(model).validate_python(data)
    return result


def known_keys(model: type[Any]) -> tuple[str, ...]:
    """The keys a model accepts, in declaration order."""
    return tuple(f.name for f in dataclasses.fields(model))


@dataclass(frozen=True, slots=True, kw_only=True)
class Period:
    """When a goal must be met."""

    start: Annotated[IsoDate | None, _doc("When the period begins (YYYY-MM-DD)")] = None
    end: Annotated[IsoDate | None, _doc("When the goal must be met (YYYY-MM-DD)")] = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Goal:
    """A business goal that KPIs track progress towards."""

    id: Annotated[Slug, _doc("Unique id of the goal: a slug (a-z, 0-9, _ . -), at most 64")]
    name: Annotated[Text, _doc("Human-readable name")]
    description: Annotated[str | None, _doc("What the goal means and why it matters")] = None
    owner: Annotated[str | None, _doc("The accountable person or team")] = None
    level: Annotated[GoalLevel, _doc("company (default), department or team")] = "company"
    kind: Annotated[
        GoalKind | None,
        _doc("What kind of outcome; 'awareness' goals may legitimately use reach metrics"),
    ] = None
    parent: Annotated[Slug | None, _doc("Id of the higher goal this one supports")] = None
    period: Annotated[Period | None, _doc("When the goal must be met: start and end dates")] = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Metric:
    """Anything that is counted: a raw number with no target of its own."""

    id: Annotated[Slug, _doc("Unique id of the metric: a slug (a-z, 0-9, _ . -), at most 64")]
    name: Annotated[Text, _doc("Human-readable name")]
    description: Annotated[str | None, _doc("What is counted, and how")] = None
    category: Annotated[
        Category | None,
        _doc("activity (effort and cost), output (results) or operational (internal efficiency)"),
    ] = None
    unit: Annotated[str | None, _doc("Unit of the numbers: USD, %, leads, days, ...")] = None
    source: Annotated[
        str | None, _doc("System of record the numbers come from (stripe, salesforce, ...)")
    ] = None
    source_type: Annotated[
        SourceType | None, _doc("How the numbers get there: automated, manual or spreadsheet")
    ] = None
    owner: Annotated[str | None, _doc("Who maintains the definition and its data")] = None
    aggregation: Annotated[
        Aggregation | None,
        _doc("How values are aggregated over a period (sum, count, median, p90, ...)"),
    ] = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TargetSpec:
    """A target written as a mapping: a level (``value``) or a move (``change``), not both."""

    value: Annotated[Number | None, _doc("The level to reach (or give change instead)")] = None
    change: Annotated[
        PositiveNumber | None,
        _doc("How far to move from baseline instead of a level; with unit % a share of it"),
    ] = None
    unit: Annotated[str | None, _doc("Unit of the value (USD, %, days, ...)")] = None
    direction: Annotated[
        Direction | None,
        _doc("increase: at least value is good; decrease: at most value; maintain"),
    ] = None
    strict: Annotated[
        StrictFlag,
        _doc("True when the value itself does not meet the target (less than, more than)"),
    ] = False
    baseline: Annotated[Number | None, _doc("Where the KPI stands today")] = None

    def __post_init__(self) -> None:
        if (self.value is None) == (self.change is None):
            raise ValueError(VALUE_OR_CHANGE)


@dataclass(frozen=True, slots=True, kw_only=True)
class Timeline:
    """When a KPI's target must be reached, and how often it is reviewed."""

    start: Annotated[IsoDate | None, _doc("When work towards the target starts (YYYY-MM-DD)")] = (
        None
    )
    end: Annotated[IsoDate | None, _doc("The deadline for reaching the target (YYYY-MM-DD)")] = None
    review: Annotated[
        ReviewCadence | None,
        _doc("How often the KPI is reviewed: a cadence word, or 'every N weeks|months|years'"),
    ] = None
    last_reviewed: Annotated[IsoDate | None, _doc("When it was last reviewed (YYYY-MM-DD)")] = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Kpi:
    """A metric with a target and a timeline, tied to a business goal."""

    id: Annotated[Slug, _doc("Unique id of the KPI: a slug (a-z, 0-9, _ . -), at most 64")]
    name: Annotated[Text, _doc("Human-readable name")]
    description: Annotated[str | None, _doc("What the KPI means and why it matters")] = None
    goal: Annotated[SlugRefs | None, _doc("Id of the goal it tracks, or a list of goal ids")] = None
    metric: Annotated[Slug | None, _doc("Id of the metric it measures (optional)")] = None
    owner: Annotated[str | None, _doc("The accountable person or team")] = None
    scope: Annotated[
        Scope,
        _doc(
            "Whose KPI it is: org (default), or team:NAME, role:NAME, campaign:NAME, channel:NAME"
        ),
    ] = "org"
    target: Annotated[
        Target | None,
        _doc(
            "A mapping (value, unit, direction, baseline), or free text such as 'at or above 84%'"
        ),
    ] = None
    timeline: Annotated[
        Timeline | None,
        _doc("When the target must be reached (end) and how often it is reviewed (review)"),
    ] = None
    counterbalance: Annotated[
        SlugRefs | None, _doc("KPI id (or list) that guards this one against being gamed")
    ] = None
    status: Annotated[
        Status, _doc("draft, active (default) or retired; retired KPIs are not counted or checked")
    ] = "active"


@dataclass(frozen=True, slots=True, kw_only=True)
class Incentive:
    """A compensation or evaluation plan that rewards people on KPIs."""

    id: Annotated[Slug, _doc("Unique id of the incentive: a slug (a-z, 0-9, _ . -), at most 64")]
    name: Annotated[Text, _doc("Human-readable name")]
    role: Annotated[str | None, _doc("Who is rewarded (sdr, writer, call-center-agent, ...)")] = (
        None
    )
    kpis: Annotated[list[Slug], _doc("Ids of the KPIs they are rewarded on")]
    description: Annotated[str | None, _doc("What the plan is")] = None


@dataclass(frozen=True, kw_only=True)
class KpiFile:
    """A KPI file: any subset of the four sections."""

    version: Annotated[
        Version | None,
        _doc("Version of the file format; only 1"),
    ] = None
    goals: Annotated[list[Goal] | None, _doc("Business goals that KPIs track")] = None
    metrics: Annotated[
        list[Metric] | None,
        _doc("Anything that is counted: raw numbers with no target of their own"),
    ] = None
    kpis: Annotated[
        list[Kpi] | None, _doc("Metrics with a target and a timeline, tied to a business goal")
    ] = None
    incentives: Annotated[
        list[Incentive] | None, _doc("Compensation or evaluation plans that reward people on KPIs")
    ] = None


SECTIONS: dict[str, type[Any]] = {
    "goals": Goal,
    "metrics": Metric,
    "kpis": Kpi,
    "incentives": Incentive,
}
KIND_OF_SECTION = {"goals": "goal", "metrics": "metric", "kpis": "kpi", "incentives": "incentive"}
TOP_LEVEL_KEYS = ("version", *SECTIONS)


def json_schema() -> dict[str, Any]:
    """The published JSON Schema of a KPI file (``schemas/kpi-file.schema.json``)."""
    from kpilint.strict import json_schema as generate

    return generate()
