"""Pydantic's view of the model: exact validation errors and the JSON Schema.

Imported only when an entity is not plainly valid, or for the schema: building
pydantic's validators costs a cold run of a small project more than all of its
linting. ``kpilint.model`` declares the classes with annotations naming the
constraints below; ``install()`` puts these names into that module's namespace,
where pydantic resolves the (string) annotations of a stdlib dataclass.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PlainValidator,
    Strict,
    StringConstraints,
    Tag,
    TypeAdapter,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from kpilint import model
from kpilint.model import SCOPE_PATTERN, SLUG_PATTERN, KpiFile, TargetSpec

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, max_length=64),
    Field(description="A slug: lower-case letters, digits, '_', '.', '-'; at most 64 characters"),
]
Text = Annotated[str, StringConstraints(min_length=1)]
Scope = Annotated[str, StringConstraints(pattern=SCOPE_PATTERN)]


def to_date(value: Any) -> Any:
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
    BeforeValidator(to_date),
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
StrictFlag = Annotated[bool, Strict()]  # `true`, never "yes" or 1
_REVIEW_EXPECTED = (
    "'weekly', 'biweekly', 'monthly', 'quarterly', 'semiannually', 'annually' "
    "or 'every N weeks|months|years' (N from 1 to 10)"
)


def _review(value: Any) -> Any:
    """A cadence word or ``every N weeks|months|years``; else the error a Literal gives."""
    if type(value) is str and (
        value in get_args(model.Review) or re.fullmatch(model.REVIEW_EVERY_PATTERN, value)
    ):
        return value
    raise PydanticCustomError(
        "literal_error", "Input should be {expected}", {"expected": _REVIEW_EXPECTED}
    )


ReviewCadence = Annotated[
    str,
    PlainValidator(_review),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "enum": list(get_args(model.Review))},
                {"type": "string", "pattern": f"^{model.REVIEW_EVERY_PATTERN}$"},
            ]
        }
    ),
]


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


def _exact_int(value: Any) -> Any:
    """Lax ``Literal[1]`` would take ``true`` and ``1.0``; the schema does not."""
    if type(value) is not int:
        raise ValueError("expected the integer 1")
    return value


Version = Annotated[Literal[1], BeforeValidator(_exact_int)]


def doc(text: str) -> Any:
    """A field's description: the JSON Schema carries it, so editors explain each key."""
    return Field(description=text)


def install() -> None:
    """Give ``kpilint.model``'s annotations their meaning, and its classes pydantic's config."""
    names = {
        "Slug": Slug,
        "Text": Text,
        "Scope": Scope,
        "IsoDate": IsoDate,
        "SlugRefs": SlugRefs,
        "Number": Number,
        "PositiveNumber": PositiveNumber,
        "StrictFlag": StrictFlag,
        "ReviewCadence": ReviewCadence,
        "Target": Target,
        "Version": Version,
        "_doc": doc,
    }
    vars(model).update(names)
    for cls in (*model.SECTIONS.values(), model.Period, model.TargetSpec, model.Timeline):
        cls.__pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[attr-defined]
    KpiFile.__pydantic_config__ = ConfigDict(  # type: ignore[attr-defined]
        extra="forbid",
        title="kpilint KPI file",
        json_schema_extra={
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://kpilint.dev/schemas/kpi-file.schema.json",
        },
    )


install()
_adapters: dict[type[Any], TypeAdapter[Any]] = {}


def adapter(cls: type[Any]) -> TypeAdapter[Any]:
    found = _adapters.get(cls)
    if found is None:
        found = _adapters[cls] = TypeAdapter(cls)
    return found


def json_schema() -> dict[str, Any]:
    """The published JSON Schema of a KPI file (``schemas/kpi-file.schema.json``)."""
    schema = adapter(KpiFile).json_schema()
    # A bare number target is read as its text; the validator converts it first,
    # so the generated schema does not know numbers are welcome there.
    target = schema["$defs"]["Kpi"]["properties"]["target"]
    target["anyOf"].insert(-1, {"type": "number"})
    target["description"] = "A mapping, or free text such as 'at or above 84%'"
    # Exactly one of value and change (KPI002 otherwise).
    schema["$defs"]["TargetSpec"]["oneOf"] = [{"required": ["value"]}, {"required": ["change"]}]
    return schema
