"""The KPI file format as pydantic models: the single source of the JSON Schema.

The models are frozen, slotted pydantic dataclasses rather than ``BaseModel``s:
a project keeps one per entity, and a slotted instance is a tenth of the size
(no ``__dict__``, no fields-set). Validation is lax (a strict dataclass takes
only instances, not mappings) and strict per type where lax would coerce
something YAML produces: a number must not come from ``"12"`` or ``true``
(``tests/test_schema.py`` holds the cases). Dates may be dates or ISO strings.
Validation errors are turned into KPI002/KPI003 by ``kpilint.validate``; these
models never see positions.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Strict,
    StringConstraints,
    Tag,
    TypeAdapter,
    WithJsonSchema,
    model_validator,
)
from pydantic.dataclasses import dataclass

SLUG_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"
SCOPE_PATTERN = r"^(org|(team|role|campaign|channel):\S.*)$"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Status = Literal["draft", "active", "retired"]
Direction = Literal["increase", "decrease", "maintain"]
Review = Literal["weekly", "biweekly", "monthly", "quarterly", "annually"]
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

Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, max_length=64),
    Field(description="A slug: lower-case letters, digits, '_', '.', '-'; at most 64 characters"),
]
Text = Annotated[str, StringConstraints(min_length=1)]


def _to_date(value: Any) -> Any:
    """Accept a YAML date or an ISO ``YYYY-MM-DD`` string; nothing else."""
    if isinstance(value, datetime):
        raise ValueError("expected a calendar date like 2027-12-31, not a date and time")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"'{value}' is not a real calendar date") from None
    raise ValueError("expected a date like 2027-12-31")


IsoDate = Annotated[
    date,
    BeforeValidator(_to_date),
    WithJsonSchema({"type": "string", "format": "date"}),
]


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


SlugRefs = Annotated[
    list[Slug],
    BeforeValidator(_one_or_many),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": SLUG_PATTERN, "maxLength": 64},
                {
                    "type": "array",
                    "items": {"type": "string", "pattern": SLUG_PATTERN, "maxLength": 64},
                },
            ]
        }
    ),
]
Number = Annotated[float, Strict(), Field(allow_inf_nan=False)]
PositiveNumber = Annotated[float, Strict(), Field(allow_inf_nan=False, gt=0)]


def _doc(text: str) -> Any:
    """A field's description: the JSON Schema carries it, so editors explain each key."""
    return Field(description=text)


T = TypeVar("T")
_CONFIG = ConfigDict(extra="forbid")
_adapters: dict[type[Any], TypeAdapter[Any]] = {}


def validate(model: type[T], data: Any) -> T:
    """``data`` as a ``model``; raises pydantic's ``ValidationError``."""
    adapter = _adapters.get(model)
    if adapter is None:
        adapter = _adapters[model] = TypeAdapter(model)
    result: T = adapter.validate_python(data)
    return result


def known_keys(model: type[Any]) -> tuple[str, ...]:
    """The keys a model accepts, in declaration order."""
    return tuple(f.name for f in dataclasses.fields(model))


@dataclass(config=_CONFIG, frozen=True, slots=True, kw_only=True)
class Period:
    """When a goal must be met."""

    start: Annotated[IsoDate | None, _doc("When the period begins (YYYY-MM-DD)")] = None
    end: Annotated[IsoDate | None, _doc("When the goal must be met (YYYY-MM-DD)")] = None


@dataclass(config=_CONFIG, frozen=True, slots=True, kw_only=True)
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


@dataclass(config=_CONFIG, frozen=True, slots=True, kw_only=True)
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


VALUE_OR_CHANGE = "a target has exactly one of 'value' and 'change'"


@dataclass(config=_CONFIG, frozen=True, slots=True, kw_only=True)
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
    baseline: Annotated[Number | None, _doc("Where the KPI stands today")] = None

    @model_validator(mode="after")
    def _value_or_change(self) -> TargetSpec:
        if (self.value is None) == (self.change is None):
            raise ValueError(VALUE_OR_CHANGE)
        return self


def _target_kind(value: Any) -> str:
    return "mapping" if isinstance(value, dict) else "text"


def _number_as_text(value: Any) -> Any:
    """A bare number target (``target: 0.5``) is read as that text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


Target = Annotated[
    Annotated[TargetSpec, Tag("mapping")] | Annotated[str, Tag("text")],
    Discriminator(_target_kind),
    BeforeValidator(_number_as_text),
]


@dataclass(config=_CONFIG, frozen=True, slots=True, kw_only=True)
class Timeline:
    """When a KPI's target must be reached, and how often it is reviewed."""

    start: Annotated[IsoDate | None, _doc("When work towards the target starts (YYYY-MM-DD)")] = (
        None
    )
    end: Annotated[IsoDate | None, _doc("The deadline for reaching the target (YYYY-MM-DD)")] = None
    review: Annotated[Review | None, _doc("How often the KPI is reviewed")] = None
    last_reviewed: Annotated[IsoDate | None, _doc("When it was last reviewed (YYYY-MM-DD)")] = None


@dataclass(config=_CONFIG, frozen=True, slots=True, kw_only=True)
class Kpi:
    """A metric with a target and a timeline, tied to a business goal."""

    id: Annotated[Slug, _doc("Unique id of the KPI: a slug (a-z, 0-9, _ . -), at most 64")]
    name: Annotated[Text, _doc("Human-readable name")]
    description: Annotated[str | None, _doc("What the KPI means and why it matters")] = None
    goal: Annotated[SlugRefs | None, _doc("Id of the goal it tracks, or a list of goal ids")] = None
    metric: Annotated[Slug | None, _doc("Id of the metric it measures (optional)")] = None
    owner: Annotated[str | None, _doc("The accountable person or team")] = None
    scope: Annotated[
        Annotated[str, StringConstraints(pattern=SCOPE_PATTERN)],
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


@dataclass(config=_CONFIG, frozen=True, slots=True, kw_only=True)
class Incentive:
    """A compensation or evaluation plan that rewards people on KPIs."""

    id: Annotated[Slug, _doc("Unique id of the incentive: a slug (a-z, 0-9, _ . -), at most 64")]
    name: Annotated[Text, _doc("Human-readable name")]
    role: Annotated[str | None, _doc("Who is rewarded (sdr, writer, call-center-agent, ...)")] = (
        None
    )
    kpis: Annotated[list[Slug], _doc("Ids of the KPIs they are rewarded on")]
    description: Annotated[str | None, _doc("What the plan is")] = None


def _exact_int(value: Any) -> Any:
    """Lax ``Literal[1]`` would take ``true`` and ``1.0``; the schema does not."""
    if type(value) is not int:
        raise ValueError("expected the integer 1")
    return value


@dataclass(
    config=ConfigDict(
        extra="forbid",
        title="kpilint KPI file",
        json_schema_extra={
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://kpilint.dev/schemas/kpi-file.schema.json",
        },
    ),
    frozen=True,
    kw_only=True,
)
class KpiFile:
    """A KPI file: any subset of the four sections."""

    version: Annotated[
        Annotated[Literal[1], BeforeValidator(_exact_int)] | None,
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
    schema = TypeAdapter(KpiFile).json_schema()
    # A bare number target is read as its text; the validator converts it first,
    # so the generated schema does not know numbers are welcome there.
    target = schema["$defs"]["Kpi"]["properties"]["target"]
    target["anyOf"].insert(-1, {"type": "number"})
    target["description"] = "A mapping, or free text such as 'at or above 84%'"
    # Exactly one of value and change (KPI002 otherwise).
    schema["$defs"]["TargetSpec"]["oneOf"] = [{"required": ["value"]}, {"required": ["change"]}]
    return schema
