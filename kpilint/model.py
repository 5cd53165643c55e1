"""The KPI file format as pydantic models: the single source of the JSON Schema.

Models are strict (a YAML ``yes`` is not a string, ``"12"`` is not a number)
except for dates, which YAML may load as dates or strings. Validation errors are
turned into KPI002/KPI003 by ``kpilint.validate``; these models never see
positions.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    WithJsonSchema,
)

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
Number = Annotated[float, Field(allow_inf_nan=False)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Period(_Model):
    """When a goal must be met."""

    start: IsoDate | None = None
    end: IsoDate | None = None


class Goal(_Model):
    """A business goal that KPIs track progress towards."""

    id: Slug
    name: Text
    description: str | None = None
    owner: str | None = None
    level: GoalLevel = "company"
    kind: GoalKind | None = None
    parent: Slug | None = None
    period: Period | None = None


class Metric(_Model):
    """Anything that is counted: a raw number with no target of its own."""

    id: Slug
    name: Text
    description: str | None = None
    category: Category | None = None
    unit: str | None = None
    source: str | None = None
    source_type: SourceType | None = None
    aggregation: Aggregation | None = None


class TargetSpec(_Model):
    """A target written as a mapping."""

    value: Number
    unit: str | None = None
    direction: Direction | None = None
    baseline: Number | None = None


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


class Timeline(_Model):
    """When a KPI's target must be reached, and how often it is reviewed."""

    start: IsoDate | None = None
    end: IsoDate | None = None
    review: Review | None = None
    last_reviewed: IsoDate | None = None


class Kpi(_Model):
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


class Incentive(_Model):
    """A compensation or evaluation plan that rewards people on KPIs."""

    id: Slug
    name: Text
    role: str | None = None
    kpis: list[Slug]
    description: str | None = None


class KpiFile(_Model):
    """A KPI file: any subset of the four sections."""

    model_config = ConfigDict(
        title="kpilint KPI file",
        json_schema_extra={
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://kpilint.dev/schemas/kpi-file.schema.json",
        },
    )

    version: Literal[1] | None = None
    goals: list[Goal] | None = None
    metrics: list[Metric] | None = None
    kpis: list[Kpi] | None = None
    incentives: list[Incentive] | None = None


SECTIONS: dict[str, type[_Model]] = {
    "goals": Goal,
    "metrics": Metric,
    "kpis": Kpi,
    "incentives": Incentive,
}
KIND_OF_SECTION = {"goals": "goal", "metrics": "metric", "kpis": "kpi", "incentives": "incentive"}
TOP_LEVEL_KEYS = ("version", *SECTIONS)


def known_keys(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(model.model_fields)


def json_schema() -> dict[str, Any]:
    """The published JSON Schema of a KPI file (``schemas/kpi-file.schema.json``)."""
    schema = KpiFile.model_json_schema()
    # A bare number target is read as its text; the validator converts it first,
    # so the generated schema does not know numbers are welcome there.
    target = schema["$defs"]["Kpi"]["properties"]["target"]
    target["anyOf"].insert(-1, {"type": "number"})
    target["description"] = "A mapping, or free text such as 'at or above 84%'"
    return schema
