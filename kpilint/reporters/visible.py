"""Control characters from KPI files, shown instead of obeyed (CLI.md "Output safety").

A key or value can hold a newline followed by ``::add-mask::``, a carriage
return, or an ANSI/OSC sequence; printed raw, it starts a line that a CI log
reads as a workflow command, or drives the reader's terminal. Every
human-readable format shows such characters escaped (``\\n``, ``\\x1b``); JSON,
SARIF and GitLab carry the text as data, escaped by their own syntax.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, TypeVar

T = TypeVar("T")

# C0 and C1 controls, DEL, line/paragraph separators, bidi overrides and
# isolates ("Trojan Source"), the invisible marks that hide or reorder text
# (zero-width space, joiners and LRM/RLM U+200B-U+200F, word joiner and invisible
# operators U+2060-U+2064, the BOM/zero-width no-break space U+FEFF, the Arabic
# letter mark U+061C), and the lone surrogates that stand for the bytes of a
# file name that is not UTF-8.
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _show(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named:
        return named
    n = ord(char)
    if 0xDC80 <= n <= 0xDCFF:  # surrogateescape: one undecodable byte
        return f"\\x{n - 0xDC00:02x}"
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def visible(text: str) -> str:
    """``text`` with every control character written as an escape."""
    return _CONTROL.sub(_show, text) if _CONTROL.search(text) else text


def visible_copy(value: T) -> T:
    """``value`` (a report, an audit: dataclasses, lists, dicts) with every string
    passed through ``visible``; parts with nothing to escape are shared, not copied."""
    return _copy(value, {})  # type: ignore[no-any-return]


def _copy(value: Any, memo: dict[int, Any]) -> Any:
    if isinstance(value, str):
        return visible(value)
    if value is None or isinstance(value, (int, float)):
        return value
    done = memo.get(id(value))
    if done is not None:
        return done
    out: Any = value
    if isinstance(value, list):
        items = [_copy(v, memo) for v in value]
        if any(a is not b for a, b in zip(items, value, strict=True)):
            out = items
    elif isinstance(value, tuple) and not hasattr(value, "_fields"):
        items = [_copy(v, memo) for v in value]
        if any(a is not b for a, b in zip(items, value, strict=True)):
            out = tuple(items)
    elif isinstance(value, dict):
        pairs = [(_copy(k, memo), _copy(v, memo)) for k, v in value.items()]
        if any(
            a is not k or b is not v for (a, b), (k, v) in zip(pairs, value.items(), strict=True)
        ):
            out = dict(pairs)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for field in dataclasses.fields(value):
            if field.init:
                old = getattr(value, field.name)
                new = _copy(old, memo)
                if new is not old:
                    changes[field.name] = new
        if changes:
            out = dataclasses.replace(value, **changes)
    memo[id(value)] = out
    return out
