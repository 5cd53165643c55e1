"""Positions of a TOML file's keys and values, from a light scan of its text.

``tomllib`` gives values without positions. The file has already parsed, so this
scan can trust the grammar: it walks table headers, dotted keys, strings,
arrays and inline tables once, and records each key's and value's offsets
under the logical path ``(0, *keys)`` (array-of-tables elements by index).
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

from kpilint.loader import SourceFile

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_SPACE = re.compile(r"[ \t]*")
_BLANKS = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*")
_BASIC = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_LITERAL = re.compile(r"'[^'\n]*'")
_ML_BASIC = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*""""{0,2}', re.DOTALL)
_ML_LITERAL = re.compile(r"'''(?:[^']|'(?!''))*''''{0,2}", re.DOTALL)
_SCALAR = re.compile(r"[^,\]}\r\n#]*")
_INT = re.compile(
    r"[+-]?(?:0x(?P<x>[0-9A-Fa-f_]+)|0o(?P<o>[0-7_]+)|0b(?P<b>[01_]+)|(?P<d>[0-9_]+))"
)

Key = tuple[str | int, ...]


def scan(text: str, sf: SourceFile) -> None:
    """Record positions into ``sf`` (never raises: a gap only costs a position)."""
    with contextlib.suppress(IndexError, ValueError, RecursionError):
        _Scanner(text, sf).run()


class _Scanner:
    def __init__(self, text: str, sf: SourceFile) -> None:
        self.text = text
        self.sf = sf
        self.i = 0
        self.arrays: dict[Key, int] = {}  # array-of-tables path -> index of its last element
        self.seen: set[Key] = set()

    def run(self) -> None:
        text, n = self.text, len(self.text)
        table: Key = ()
        while True:
            self.i = _BLANKS.match(text, self.i).end()  # type: ignore[union-attr]
            if self.i >= n:
                return
            if text.startswith("[[", self.i):
                start = self.i
                self.i += 2
                parts, spans = self._key()
                self.i = text.index("]]", self.i) + 2
                path = (*self._resolve(parts[:-1]), parts[-1])  # the array, not its last element
                index = self.arrays.get(path, -1) + 1
                self.arrays[path] = index
                table = (*path, index)
                self._put(path, spans[-1], (start, self.i), only_new=True)
                self._put(table, (start, self.i), (start, self.i))
            elif text[self.i] == "[":
                start = self.i
                self.i += 1
                parts, spans = self._key()
                self.i = text.index("]", self.i) + 1
                table = self._resolve(parts)
                self._put(table, spans[-1], (start, self.i), only_new=True)
            else:
                self._pair(table)
            self.i = _SPACE.match(text, self.i).end()  # type: ignore[union-attr]

    def _resolve(self, parts: list[str]) -> Key:
        """Header keys with the index of each array of tables along the way."""
        path: Key = ()
        for part in parts:
            path = (*path, part)
            if path in self.arrays:
                path = (*path, self.arrays[path])
        return path

    def _key(self) -> tuple[list[str], list[tuple[int, int]]]:
        text = self.text
        parts: list[str] = []
        spans: list[tuple[int, int]] = []
        while True:
            self.i = _SPACE.match(text, self.i).end()  # type: ignore[union-attr]
            start = self.i
            if text[self.i] == '"':
                m = _BASIC.match(text, self.i)
                assert m is not None
                import json

                parts.append(json.loads(m.group(0)))
            elif text[self.i] == "'":
                m = _LITERAL.match(text, self.i)
                assert m is not None
                parts.append(m.group(0)[1:-1])
            else:
                m = _BARE.match(text, self.i)
                assert m is not None
                parts.append(m.group(0))
            self.i = m.end()
            spans.append((start, self.i))
            self.i = _SPACE.match(text, self.i).end()  # type: ignore[union-attr]
            if self.i < len(text) and text[self.i] == ".":
                self.i += 1
                continue
            return parts, spans

    def _pair(self, table: Key) -> None:
        parts, spans = self._key()
        key_span = (spans[0][0], spans[-1][1])
        self.i = _SPACE.match(self.text, self.i).end() + 1  # type: ignore[union-attr]  # '='
        self.i = _SPACE.match(self.text, self.i).end()  # type: ignore[union-attr]
        for n in range(1, len(parts)):  # dotted keys: a.b = 1 defines a
            self._put((*table, *parts[:n]), spans[n - 1], spans[n - 1], only_new=True)
        self._value((*table, *parts), key_span)

    def _value(self, path: Key, key_span: tuple[int, int] | None) -> None:
        text, start = self.text, self.i
        ch = text[start]
        if text.startswith('"""', start):
            m = _ML_BASIC.match(text, start)
        elif text.startswith("'''", start):
            m = _ML_LITERAL.match(text, start)
        elif ch == '"':
            m = _BASIC.match(text, start)
        elif ch == "'":
            m = _LITERAL.match(text, start)
        elif ch == "[":
            self._array(path)
            self._put(path, key_span, (start, self.i))
            return
        elif ch == "{":
            self._inline(path)
            self._put(path, key_span, (start, self.i))
            return
        else:
            m = _SCALAR.match(text, start)
        assert m is not None
        end = m.end()
        while end > start and text[end - 1] in " \t":
            end -= 1
        self.i = m.end()
        self._put(path, key_span, (start, end))

    def _array(self, path: Key) -> None:
        text = self.text
        self.i += 1
        index = 0
        while True:
            self.i = _BLANKS.match(text, self.i).end()  # type: ignore[union-attr]
            if text[self.i] == "]":
                self.i += 1
                return
            if text[self.i] == ",":
                self.i += 1
                continue
            self._value((*path, index), None)
            index += 1

    def _inline(self, path: Key) -> None:
        text = self.text
        self.i += 1
        while True:
            self.i = _BLANKS.match(text, self.i).end()  # type: ignore[union-attr]
            if text[self.i] == "}":
                self.i += 1
                return
            if text[self.i] == ",":
                self.i += 1
                continue
            self._pair(path)

    def _put(
        self,
        path: Key,
        key: tuple[int, int] | None,
        value: tuple[int, int],
        *,
        only_new: bool = False,
    ) -> None:
        full = (0, *path)
        if only_new and full in self.seen:
            return
        self.seen.add(full)
        if key is not None:
            self.sf.keys.put(full, *key)
        self.sf.values.put(full, *value)


class _IntFinder(_Scanner):
    """A scan that stops at the first integer value ``int()`` cannot convert."""

    found: int | None = None

    def _put(
        self,
        path: Key,
        key: tuple[int, int] | None,
        value: tuple[int, int],
        *,
        only_new: bool = False,
    ) -> None:
        m = _INT.fullmatch(self.text, *value)
        if m is not None:
            base = {"x": 16, "o": 8, "b": 2, "d": 10}[m.lastgroup or "d"]
            try:
                str(int(m[m.lastgroup or "d"].replace("_", ""), base))
            except ValueError:
                self.found = value[0]
                raise


def unreadable_int(text: str) -> int | None:
    """The offset of the first integer that ``int()`` refuses or that has no decimal text
    (past Python's int-digit limit, whatever it is set to; ``0x`` ints read in any length)."""
    finder = _IntFinder(text, SourceFile(path=Path(), display=""))
    with contextlib.suppress(IndexError, ValueError, RecursionError):
        finder.run()
    return finder.found
