"""Offsets in a file's text to LSP positions and ranges, and back.

kpilint counts lines with YAML's line breaks and columns in characters; LSP
counts lines with ``\\n``, ``\\r\\n`` and ``\\r`` only and columns in the
negotiated code units (UTF-16 unless the client asks for UTF-8 or UTF-32).
Everything here works on character offsets into the text, the currency of
findings and fixes, so the two never mix.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

import yaml

from kpilint.findings import Finding
from kpilint.loader import SourceFile

_LSP_BREAKS = re.compile(r"\r\n|\r|\n")
_YAML_BREAKS = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


class TextIndex:
    """Line starts of one text, both ways, in one encoding's code units."""

    __slots__ = ("_starts", "_yaml_starts", "encoding", "text")

    def __init__(self, text: str, encoding: str = "utf-16") -> None:
        self.text = text
        self.encoding = encoding
        self._starts = [0, *(m.end() for m in _LSP_BREAKS.finditer(text))]
        self._yaml_starts: list[int] | None = None

    def _units(self, chars: str) -> int:
        if self.encoding == "utf-32" or chars.isascii():
            return len(chars)
        if self.encoding == "utf-8":
            return len(chars.encode("utf-8", "surrogatepass"))
        return len(chars.encode("utf-16-le", "surrogatepass")) // 2

    def position(self, offset: int) -> tuple[int, int]:
        """Character offset -> (0-based line, column in code units)."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self._starts, offset) - 1
        return line, self._units(self.text[self._starts[line] : offset])

    def offset(self, line: int, units: int) -> int:
        """(0-based line, column in code units) -> character offset, clamped to the line."""
        if line >= len(self._starts):
            return len(self.text)
        start = self._starts[max(line, 0)]
        end = self._starts[line + 1] if line + 1 < len(self._starts) else len(self.text)
        content = self.text[start:end].rstrip("\r\n")
        if self.encoding == "utf-32" or content.isascii():
            return start + min(max(units, 0), len(content))
        count = 0
        for i, char in enumerate(content):
            if count >= units:
                return start + i
            count += self._units(char)
        return start + len(content)

    def from_finding(self, line: int, column: int) -> int:
        """A finding's 1-based line and column (YAML's line breaks) -> character offset."""
        if self._yaml_starts is None:
            self._yaml_starts = [0, *(m.end() for m in _YAML_BREAKS.finditer(self.text))]
        starts = self._yaml_starts
        if line > len(starts):
            return len(self.text)
        return min(starts[max(line, 1) - 1] + max(column, 1) - 1, len(self.text))

    def line_end(self, offset: int) -> int:
        """The offset of the end of ``offset``'s line (before its line break)."""
        line = bisect.bisect_right(self._starts, offset) - 1
        end = self._starts[line + 1] if line + 1 < len(self._starts) else len(self.text)
        while end > offset and self.text[end - 1] in "\r\n":
            end -= 1
        return end


def finding_span(sf: SourceFile, index: TextIndex, finding: Finding) -> tuple[int, int]:
    """The character range a finding covers: the key or value that starts where it points.

    A node that starts there gives its extent (the smallest one: ``- id: x``
    starts both the entity's mapping and its ``id`` key); anything else (a
    comment, a parse error) runs to the end of its line.
    """
    start = index.from_finding(finding.line, finding.column)
    if finding.end_line is not None and finding.end_column is not None:
        return start, max(start, index.from_finding(finding.end_line, finding.end_column))
    parsed = not any(p.code == "KPI001" for p in sf.problems)  # never compose what failed
    end = node_ends(sf.text).get(start) if parsed else None
    if end is None:
        end = index.line_end(start)
    while end > start and sf.text[end - 1] in " \t\r\n":
        end -= 1
    return start, end


@lru_cache(maxsize=64)
def node_ends(text: str) -> dict[int, int]:
    """Start offset -> end offset of every node of ``text`` (the smallest per start)."""
    from kpilint.loader import _Loader

    ends: dict[int, int] = {}
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except (yaml.YAMLError, RecursionError):
        return ends
    finally:
        loader.dispose()
    stack = [root] if root is not None else []
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:  # an alias: its node is walked once
            continue
        seen.add(id(node))
        start, end = node.start_mark.index, node.end_mark.index
        if start not in ends or end < ends[start]:
            ends[start] = end
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack += (key, value)
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
    return ends
