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

    start: IsoDate | None = None
    end: IsoDate | None = None


@dataclass(config=_CONFIG, frozen=True, slots=True, kw_only=True)
class Goal:
    """A business goal that KPIs track progress towards."""

    id: Slug
    name: Text
    description: str | None = None
    owner: str | None = None
    level: GoalLevel = "company"
    kind: GoalKind | None = None
    parent: Slug | None = None
    period: Period | None = None


@dataclass(config=_CONFIG, frozen=True, slots=True, kw_only=True)
class Metric:
    """Anything that is counted: a raw number with no target of its own."""

    id: Slug
    name: Text
    description: str | None = None
    category: Category | None = None
    unit: str | None = None
    source: str | None = None
    source_type: SourceType | None = None
    owner: str | None = None
    aggregation: Aggregation | None = None


VALUE_OR_CHANGE = "a target has exactly one of 'value' and 'change'"


@dataclass(config=_CONFIG, frozen=True, slots=True, kw_only=True)
class TargetSpec:
    """A target written as a mapping: a level (``value``) or a move (``change``), not both."""

    value: Number | None = None
    change: PositiveNumber | None = None
    unit: str | None = None
    direction: Direction | None = None
    baseline: Number | None = None

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

    start: IsoDate | None = None
    end: IsoDate | None = None
    review: Review | None = None
    last_reviewed: IsoDate | None = None


@dataclass(config=_CONFIG, frozen=True, slots=True, kw_only=True)
class Kpi:
    """A metric with a target and a timeline, tied to a business goal."""

    id: Slug
    name: Text
    description: str | None = None
    goal: SlugRefs | None = None
    metric: Slug | None = None
    owner: str | None = None
    scope: Annotated[str, StringConstraints(pattern=SCOPE_PATTERN)] = "org"
    target: Target | None = None
    timeline: Timeline | None = None
    counterbalance: SlugRefs | None = None
    status: Status = "active"


@dataclass(config=_CONFIG, frozen=True, slots=True, kw_only=True)
class Incentive:
    """A compensation or evaluation plan that rewards people on KPIs."""

    id: Slug
    name: Text
    role: str | None = None
    kpis: list[Slug]
    description: str | None = None


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

    version: Annotated[Literal[1], BeforeValidator(_exact_int)] | None = None
    goals: list[Goal] | None = None
    metrics: list[Metric] | None = None
    kpis: list[Kpi] | None = None
    incentives: list[Incentive] | None = None


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
