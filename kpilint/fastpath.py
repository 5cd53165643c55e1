"""Valid entities built without pydantic: the common path of every run.

Importing pydantic and building its validators costs a cold ``kpilint check``
of a small project more than the linting itself, and nearly every entity in a
project is valid. So each field's rule is written here once more, narrowly:
a value of exactly the expected type and form is taken as pydantic would take
it; anything else (an error, a bytes id, a tuple, a huge int) is not judged
here at all, and ``build`` returns None so pydantic validates and explains it.

``tests/test_fastpath.py`` holds this to pydantic: every entity built here is
the one pydantic builds from the same data (a property test over valid and
invalid shapes), and every valid entity of the examples and corpora is built
here, so the fast path cannot drift from the model or quietly stop being used.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable
from datetime import date
from typing import Any, NamedTuple, get_args

from kpilint.model import (
    REVIEW_EVERY_PATTERN,
    Aggregation,
    Category,
    Direction,
    Goal,
    GoalKind,
    GoalLevel,
    Incentive,
    Kpi,
    Metric,
    Period,
    Review,
    SourceType,
    Status,
    TargetSpec,
    Timeline,
)


class _No:
    """A value this module does not vouch for."""


NO: Any = _No()
Check = Callable[[Any], Any]

# model.SLUG_PATTERN without anchors: pydantic's (Rust) ``$`` is the very end,
# Python's would also allow a final newline, so fullmatch instead.
_SLUG = re.compile(r"[a-z0-9][a-z0-9_.-]*")
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only; any other is pydantic's
_SCOPES = ("team:", "role:", "campaign:", "channel:")
_EXACT_FLOAT = 2**53  # beyond it, whether an int is taken as a float is pydantic's call


_SLUGS_SEEN: set[str] = set()  # ids recur (a goal named by each of its KPIs): match each once


def slug(value: Any) -> Any:
    if type(value) is not str:
        return NO
    if value in _SLUGS_SEEN:
        return value
    if len(value) <= 64 and _SLUG.fullmatch(value):
        if len(_SLUGS_SEEN) < 100_000:
            _SLUGS_SEEN.add(value)
        return value
    return NO


def text(value: Any) -> Any:
    return value if type(value) is str and value else NO


def scope(value: Any) -> Any:
    """``org`` or ``team:NAME`` (and the like), NAME starting with a visible ASCII character."""
    if type(value) is not str or "\n" in value:
        return NO
    if value == "org":
        return value
    head, colon, rest = value.partition(":")
    if colon and f"{head}:" in _SCOPES and rest and "!" <= rest[0] <= "~":
        return value
    return NO


def iso_date(value: Any) -> Any:
    if type(value) is date:
        return value
    if type(value) is str:
        stripped = value.strip()
        if _ISO.fullmatch(stripped):
            try:
                return date.fromisoformat(stripped)
            except ValueError:
                return NO
    return NO


def number(value: Any) -> Any:
    kind = type(value)
    if kind is float:
        return value if math.isfinite(value) else NO
    if kind is int and -_EXACT_FLOAT <= value <= _EXACT_FLOAT:
        return float(value)
    return NO


def positive(value: Any) -> Any:
    built = number(value)
    return built if built is not NO and built > 0 else NO


def slugs(value: Any) -> Any:
    if type(value) is not list:
        return NO
    for item in value:
        if slug(item) is NO:
            return NO
    return list(value)


def slug_refs(value: Any) -> Any:
    """One id or a list of ids, always a list."""
    if type(value) is str:
        return [value] if slug(value) is not NO else NO
    return slugs(value)


_REVIEWS = frozenset(get_args(Review))
_EVERY = re.compile(REVIEW_EVERY_PATTERN)


def review(value: Any) -> Any:
    """A cadence word, or ``every N weeks|months|years`` (N 1 to 10, singular for 1)."""
    if type(value) is str and (value in _REVIEWS or _EVERY.fullmatch(value)):
        return value
    return NO


def flag(value: Any) -> Any:
    """Exactly ``true`` or ``false``: pydantic's strict bool."""
    return value if type(value) is bool else NO


def one_of(allowed: Any) -> frozenset[str]:
    """A ``Literal``'s words: ``build`` takes a string among them."""
    return frozenset(get_args(allowed))


class _Maybe(NamedTuple):
    check: Any


def optional(check: Any) -> Any:
    """``check``, or None."""
    return _Maybe(check)


def nested(model: type[Any]) -> Check:
    def check(value: Any) -> Any:
        built = build(model, value)
        return NO if built is None else built

    return check


_target_spec = nested(TargetSpec)


def target(value: Any) -> Any:
    """A mapping, a text, or a bare number read as its text."""
    kind = type(value)
    if kind is str:
        return value
    if kind is int or kind is float:
        return str(value)
    if kind is dict:
        return _target_spec(value)
    return NO


_date = optional(iso_date)
_str = optional(str)  # exactly a str
# Each key's check: ``str`` (exactly a str), a set of words, or a function
# returning the value as built or NO; ``optional`` also takes None.
_SPECS: dict[type[Any], dict[str, Any]] = {
    Period: {"start": _date, "end": _date},
    Goal: {
        "id": slug,
        "name": text,
        "description": _str,
        "owner": _str,
        "level": one_of(GoalLevel),
        "kind": optional(one_of(GoalKind)),
        "parent": optional(slug),
        "period": optional(nested(Period)),
    },
    Metric: {
        "id": slug,
        "name": text,
        "description": _str,
        "category": optional(one_of(Category)),
        "unit": _str,
        "source": _str,
        "source_type": optional(one_of(SourceType)),
        "owner": _str,
        "aggregation": optional(one_of(Aggregation)),
    },
    TargetSpec: {
        "value": optional(number),
        "change": optional(positive),
        "unit": _str,
        "direction": optional(one_of(Direction)),
        "strict": flag,
        "baseline": optional(number),
    },
    Timeline: {
        "start": _date,
        "end": _date,
        "review": optional(review),
        "last_reviewed": _date,
    },
    Kpi: {
        "id": slug,
        "name": text,
        "description": _str,
        "goal": optional(slug_refs),
        "metric": optional(slug),
        "owner": _str,
        "scope": scope,
        "target": optional(target),
        "timeline": optional(nested(Timeline)),
        "counterbalance": optional(slug_refs),
        "status": one_of(Status),
    },
    Incentive: {
        "id": slug,
        "name": text,
        "role": _str,
        "kpis": slugs,
        "description": _str,
    },
}
REQUIRED = {
    model: frozenset(
        f.name
        for f in dataclasses.fields(model)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    )
    for model in _SPECS
}
_CHECKS = {
    model: {key: c.check if isinstance(c, _Maybe) else c for key, c in spec.items()}
    for model, spec in _SPECS.items()
}
_NULLABLE = {
    model: frozenset(key for key, c in spec.items() if isinstance(c, _Maybe))
    for model, spec in _SPECS.items()
}


def build(model: type[Any], data: Any) -> Any:
    """``data`` as a ``model`` if it is plainly valid, else None (ask pydantic).

    Written for speed (it runs once per entity of every run): the checks are
    dispatched inline rather than through a function each.
    """
    checks = _CHECKS.get(model)
    if checks is None or type(data) is not dict:
        return None
    nullable = _NULLABLE[model]
    fields: dict[str, Any] = {}
    for key, value in data.items():
        check = checks.get(key)  # a key that is not a str is no field's name
        if check is None:
            return None
        if value is None:
            if key not in nullable:
                return None
        elif check is str:
            if type(value) is not str:
                return None
        elif type(check) is frozenset:
            if type(value) is not str or value not in check:
                return None
        else:
            value = check(value)
            if value is NO:
                return None
        fields[key] = value
    if not REQUIRED[model] <= fields.keys():
        return None
    try:
        return model(**fields)
    except ValueError:  # TargetSpec: exactly one of value and change
        return None
