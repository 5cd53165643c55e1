"""Values quoted in messages: whole, shortened with an ellipsis when long, never failing.

A value comes from a KPI file, so it can be a 900 KB string, a list nested
10,000 deep or an integer of 5,000 digits (Python's ``repr`` refuses those);
a message shows enough of it to find it, in bounded time.
"""

from __future__ import annotations

import reprlib
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


_REPR = _Repr()


def quote(value: Any, limit: int = LIMIT) -> str:
    """``'text'`` for a string, a short ``repr`` otherwise; cut to ``limit`` with ``…``."""
    if isinstance(value, str):
        inner = value if len(value) <= limit - 2 else value[: limit - 3] + "…"
        return f"'{inner}'"
    try:
        text = _REPR.repr(value)
    except (ValueError, RecursionError):
        text = f"<a {type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"
