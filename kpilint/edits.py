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
    at = last.end
    if at > 0 and text[at - 1] == "\n":
        return (Edit(at, at, f"{indent}{key}: {value}{newline}"),)
    line_end = text.find("\n", at)
    if line_end < 0:
        return (Edit(len(text), len(text), f"{newline}{indent}{key}: {value}{newline}"),)
    return (Edit(line_end + 1, line_end + 1, f"{indent}{key}: {value}{newline}"),)
