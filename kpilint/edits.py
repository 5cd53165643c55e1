"""Text edits at node positions: fixes never re-dump YAML, so comments survive."""

from __future__ import annotations

from typing import Any

from kpilint.entities import Entity
from kpilint.findings import Edit


def set_key(entity: Entity[Any], key: str, value: str) -> tuple[Edit, ...]:
    """Set ``key: value`` in the entity's mapping, in its own style (block or flow)."""
    text = entity.file.text
    existing = entity.value_span(key)
    if existing is not None and key in entity.raw:
        return (Edit(existing.start, existing.end, value),)
    mapping = entity.file.values.get(entity.path)
    if mapping is None or not entity.raw:
        return ()
    if text[mapping.start : mapping.start + 1] == "{":
        close = text.rfind("}", mapping.start, mapping.end)
        if close < 0:
            return ()
        return (Edit(close, close, f", {key}: {value}"),)
    last = entity.value_span(next(reversed(entity.raw)))
    if last is None:
        return ()
    newline = entity.file.newline
    indent = " " * (entity.pos.column - 1)
    at = _end_of_content(text, last.end, len(indent))
    line_end = text.find("\n", at)
    if line_end < 0:
        return (Edit(len(text), len(text), f"{newline}{indent}{key}: {value}{newline}"),)
    return (Edit(line_end + 1, line_end + 1, f"{indent}{key}: {value}{newline}"),)


def _end_of_content(text: str, end: int, indent: int) -> int:
    """Back from a node's end to its last character of content.

    libyaml ends a block collection at the next token (the next item's ``-``),
    so step back over white space and over comment lines no deeper than the
    entity's keys (a deeper ``#`` line may be the text of a block scalar).
    """
    at = end
    while True:
        while at > 0 and text[at - 1] in " \t\r\n":
            at -= 1
        line_start = text.rfind("\n", 0, at) + 1
        line = text[line_start:at]
        stripped = line.lstrip()
        if stripped.startswith("#") and len(line) - len(stripped) <= indent and line_start > 0:
            at = line_start
            continue
        return at
