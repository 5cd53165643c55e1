"""Values quoted in messages: whole, shortened with an ellipsis when long, never failing.

A value comes from a KPI file, so it can be a 900 KB string, a list nested
10,000 deep or an integer of 5,000 digits (Python's ``repr`` refuses those);
a message shows enough of it to find it, in bounded time.
"""

from __future__ import annotations

import reprlib
from datetime import date, datetime, time
from typing import Any

LIMIT = 60  # characters of a quoted value in a message


class _Repr(reprlib.Repr):
    def __init__(self) -> None:
        super().__init__()
        self.maxlevel = 3
        self.maxstring = LIMIT
        self.maxother = LIMIT
        self.maxlong = LIMIT
        self.maxlist = self.maxtuple = self.maxdict = self.maxset = 6

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 3 * LIMIT:  # too long to show, and repr() may refuse it
            return f"<an integer of about {int(x.bit_length() * 0.30103)} digits>"
        return super().repr_int(x, level)

    # A value as a KPI or config file writes it, never as Python does (no repr reaches a user):
    def repr_date(self, x: date, level: int) -> str:
        return x.isoformat()

    def repr_datetime(self, x: datetime, level: int) -> str:
        return x.isoformat(sep=" ")

    def repr_time(self, x: time, level: int) -> str:
        return x.isoformat()

    def repr_bool(self, x: bool, level: int) -> str:
        return "true" if x else "false"

    def repr_NoneType(self, x: None, level: int) -> str:
        return "null"

    def repr_bytes(self, x: bytes, level: int) -> str:
        return f"<{len(x)} bytes of binary data>"


_REPR = _Repr()


def cut(text: str, limit: int = LIMIT) -> str:
    """``text`` as it is when short, else its first ``limit - 1`` characters and ``…``."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quote(value: Any, limit: int = LIMIT) -> str:
    """``'text'`` for a string, a short plain text otherwise (a date in ISO, ``true``,
    ``null``, ``[1.5, 2027-01-01]``, never Python's ``datetime.date(...)``); cut to
    ``limit`` with ``…``.

    The one way a message names an id, key or value from a KPI file (CLI.md
    "Output safety and size"): a 50,000-character id would otherwise be
    repeated in every message about its entity."""
    if isinstance(value, str):
        return f"'{cut(value, limit - 2)}'"
    try:
        text = _REPR.repr(value)
    except (ValueError, RecursionError):
        text = f"<a {type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"
