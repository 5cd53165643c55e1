"""Values read from TOML checked against the type hints that declare them.

The configuration and the rules' options (``[rules.NAME]``) are declared with
type hints. pydantic checked them, but importing it and building its validators
cost a cold ``kpilint check`` of a small project a third of its time, for a
handful of annotations: ``str``, ``int``, ``float``, ``bool``, ``date``,
``Path``, ``None``, ``Any``, ``Literal``, unions, ``tuple[X, ...]``,
``list[X]``, ``dict[K, V]`` and ``Annotated[X, bound]`` where the bound has a
``gt``, ``ge``, ``lt`` or ``le`` (``Gt`` and ``Ge`` here, annotated_types').

Strict, as a TOML author expects: ``true`` is not a number, ``1`` is not a
string, ``1.5`` is not a whole number. A whole number is a number, a list is a
tuple, an ISO date string is a date, a string is a path.
"""

from __future__ import annotations

import operator
import os
import types
import typing
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from kpilint.suggest import did_you_mean

Loc = tuple[str | int, ...]


class Gt:
    """``Annotated[int, Gt(0)]``: more than 0."""

    __slots__ = ("gt",)

    def __init__(self, gt: float) -> None:
        self.gt = gt


class Ge:
    """``Annotated[int, Ge(1)]``: at least 1."""

    __slots__ = ("ge",)

    def __init__(self, ge: float) -> None:
        self.ge = ge


_BOUNDS: tuple[tuple[str, str, Callable[[Any, Any], bool]], ...] = (
    ("gt", "greater than", operator.gt),
    ("ge", "at least", operator.ge),
    ("lt", "less than", operator.lt),
    ("le", "at most", operator.le),
)


class Invalid(Exception):
    """``value`` at ``loc`` is not a ``kind``; ``bound`` or ``reason`` say why if not its type."""

    def __init__(
        self,
        loc: Loc,
        kind: Any,
        value: Any,
        bound: tuple[str, Any] | None = None,
        reason: str = "",
    ) -> None:
        super().__init__(loc, kind, value)
        self.loc, self.kind, self.value, self.bound, self.reason = loc, kind, value, bound, reason

    def plain(self, kind: Any = None, value: Any = None) -> str:
        """The error in the words of the TOML file: `` must be a string, not 3``.

        ``kind`` and ``value`` say it of a wider place than ``loc`` (a rule
        option names its whole type and the value written, not a list item).
        """
        if self.reason:
            return f": {self.reason}"
        shown_value = shown(self.value if value is None else value)
        if self.bound:
            words, limit = self.bound
            limit = f"{limit:g}" if isinstance(limit, float) else limit
            return f" must be {words} {limit}, not {shown_value}"
        return (
            f" must be {describe_type(self.kind if kind is None else kind)}, not {shown_value}"
            + self._close_choice()
        )

    def _close_choice(self) -> str:
        """A misspelt choice (``"warnin"``) gets the did-you-mean a misspelt key gets."""
        if typing.get_origin(self.kind) is not typing.Literal or not isinstance(self.value, str):
            return ""
        choices = [a for a in typing.get_args(self.kind) if isinstance(a, str)]
        return did_you_mean(self.value, choices)


def check(kind: Any, value: Any, loc: Loc = ()) -> Any:
    """``value`` as a ``kind`` (a list made a tuple, an ISO string a date), or ``Invalid``."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if kind is Any:
        return value
    if origin is typing.Annotated:
        value = check(args[0], value, loc)
        for bound in args[1:]:
            for attr, words, holds in _BOUNDS:
                limit = getattr(bound, attr, None)
                if limit is not None and not holds(value, limit):
                    raise Invalid(loc, args[0], value, (words, limit))
        return value
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        options = [a for a in args if a is not type(None)]
        if len(options) == 1:  # ``X | None``: the error is X's, at its place
            return check(options[0], value, loc)
        first: Invalid | None = None
        for option in options:
            try:
                return check(option, value, loc)
            except Invalid as exc:
                first = first or exc
        raise Invalid(loc, kind, value, first.bound if first else None)
    if origin is typing.Literal:
        if any(type(value) is type(a) and value == a for a in args):
            return value
        raise Invalid(loc, kind, value)
    if origin in (tuple, list) and args[1:] in ((), (Ellipsis,)):
        if not isinstance(value, list if origin is list else list | tuple):
            raise Invalid(loc, kind, value)
        items = [check(args[0], item, (*loc, i)) for i, item in enumerate(value)]
        return tuple(items) if origin is tuple else items
    if origin is dict:
        if not isinstance(value, dict):
            raise Invalid(loc, kind, value)
        return {
            check(args[0], k, (*loc, k)): check(args[1], v, (*loc, k)) for k, v in value.items()
        }
    return _scalar(kind, value, loc)


def _scalar(kind: Any, value: Any, loc: Loc) -> Any:
    if kind is date:
        return _date(value, loc)
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:
            raise Invalid(loc, kind, value) from None
    if kind is Path and isinstance(value, str | os.PathLike):
        return Path(value)
    if kind not in (str, int, float, bool, type(None), Path):
        raise TypeError(f"kpilint.typecheck cannot check {kind!r}")
    if isinstance(value, kind) and (kind is bool or not isinstance(value, bool)):
        return value
    raise Invalid(loc, kind, value)


def _date(value: Any, loc: Loc) -> date:
    if isinstance(value, datetime):  # TOML's 2027-06-01T00:00:00: a date if at midnight
        if value.time() == time():
            return value.date()
    elif isinstance(value, date):
        return value
    elif isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            reason = f"'{value}' is not an ISO date like 2027-06-01"
            raise Invalid(loc, date, value, reason=reason) from None
    raise Invalid(loc, date, value)


def shown(value: Any) -> str:
    """A value as TOML writes it, cut short."""
    import json

    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str | int | float):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, dict):
        text = "a table"
    elif isinstance(value, list | tuple):
        text = "a list"
    else:
        text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def describe_type(kind: Any, plural: bool = False) -> str:
    """``tuple[str, ...]`` -> "a list of strings": what a TOML author must write."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is typing.Annotated:  # a bound (``Ge(1)``) is said by the error itself
        return describe_type(args[0], plural)
    if origin in (typing.Union, types.UnionType):
        parts = [describe_type(a, plural) for a in args if a is not type(None)]
        return " or ".join(dict.fromkeys(parts))
    if origin is typing.Literal:
        return "one of " + ", ".join(f'"{a}"' for a in args)
    if origin in (list, tuple):
        items = [a for a in args if a is not Ellipsis]
        inner = describe_type(items[0], plural=True) if items else "values"
        return ("lists" if plural else "a list") + f" of {inner}"
    if origin is dict:
        inner = describe_type(args[1], plural=True) if len(args) == 2 else "values"
        return ("tables" if plural else "a table") + f" of {inner}"
    names = {
        bool: ("true or false", "true or false"),
        int: ("a whole number", "whole numbers"),
        float: ("a number", "numbers"),
        str: ("a string", "strings"),
        date: ("a date like 2027-06-01", "dates like 2027-06-01"),
        Path: ("a path", "paths"),
    }
    if kind in names:
        return names[kind][1 if plural else 0]
    return "values" if plural else "a value"
