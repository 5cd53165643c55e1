"""Ids across files: what the cursor is on, where an id is defined, who refers to it.

References are the keys RULES.md's KPI006 resolves: a goal's ``parent``, a
KPI's ``goal``, ``metric`` and ``counterbalance``, an incentive's ``kpis``.
Completion reads the line being typed, which is often not valid YAML yet.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from kpilint.entities import Entity
from kpilint.loader import SourceFile
from kpilint.model import KIND_OF_SECTION
from kpilint.project import REFERENCES, Project

_SLUG_CHAR = re.compile(r"[A-Za-z0-9_.-]")

Location = tuple[SourceFile, int, int]  # file, start and end character offsets


def word_at(text: str, offset: int) -> tuple[int, int]:
    start = offset
    while start > 0 and _SLUG_CHAR.match(text[start - 1]):
        start -= 1
    end = offset
    while end < len(text) and _SLUG_CHAR.match(text[end]):
        end += 1
    return start, end


def _entities_of(project: Project, sf: SourceFile) -> Iterator[Entity[Any]]:
    return (e for e in project.all_entities() if e.file is sf)


def id_at(project: Project, sf: SourceFile, offset: int) -> tuple[str, str] | None:
    """(kind, id) of the id under ``offset``: an entity's own ``id`` or a reference."""
    for entity in _entities_of(project, sf):
        span = sf.values.get(entity.path)
        if span is None or not span.start <= offset <= span.end:
            continue
        for key in entity.raw:
            value = entity.value_span(str(key))
            if value is None or not value.start <= offset <= value.end:
                continue
            kind = entity.kind if key == "id" else REFERENCES.get((entity.kind, str(key)))
            if kind is None:
                return None
            start, end = word_at(sf.text, offset)
            ident = sf.text[start:end]
            return (kind, ident) if ident else None
    return None


def definitions(project: Project, kind: str, ident: str) -> list[Location]:
    """Where entities of ``kind`` with id ``ident`` are defined (their ``id`` values)."""
    out: list[Location] = []
    for entity in project.ids(kind).get(ident, []):
        span = entity.value_span("id")
        if span is not None:
            out.append((entity.file, *_unquoted(entity.file.text, span.start, span.end)))
    return out


def references(project: Project, kind: str, ident: str) -> list[Location]:
    """Every place a reference key names ``ident`` of ``kind``, in project order."""
    pattern = re.compile(rf"(?<![A-Za-z0-9_.-]){re.escape(ident)}(?![A-Za-z0-9_.-])")
    out: list[Location] = []
    for entity in project.all_entities():
        for (holder, key), target in REFERENCES.items():
            if holder != entity.kind or target != kind or ident not in _refs(entity.raw.get(key)):
                continue
            span = entity.value_span(key)
            if span is None:
                continue
            text = entity.file.text
            for match in pattern.finditer(text, span.start, span.end):
                if not _in_comment(text, match.start()):
                    out.append((entity.file, match.start(), match.end()))
    return sorted(out, key=lambda loc: (loc[0].display, loc[1]))


def _refs(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _unquoted(text: str, start: int, end: int) -> tuple[int, int]:
    if end - start >= 2 and text[start] in "'\"" and text[end - 1] == text[start]:
        return start + 1, end - 1
    return start, end


def _in_comment(text: str, offset: int) -> bool:
    line_start = text.rfind("\n", 0, offset) + 1
    return "#" in re.sub(r"'[^']*'|\"[^\"]*\"", "", text[line_start:offset])


_KEY_LINE = re.compile(
    r"^(?P<indent>[ \t]*)(?:-[ \t]+)?(?P<key>[A-Za-z_][\w-]*)[ \t]*:(?P<rest>.*)$"
)


def completion_kind(text: str, offset: int) -> str | None:
    """The kind of id wanted at ``offset`` (``goal:`` wants a goal id), or None.

    Lexical on purpose: the buffer is being typed. The key is the one on the
    cursor's line (after its colon), or for a ``- `` item of a block list the
    nearest less-indented key above; the section is the nearest top-level key.
    """
    line_start = text.rfind("\n", 0, offset) + 1
    line = text[line_start:offset]
    match = _KEY_LINE.match(line)
    if match:
        if not match["indent"] and not line.startswith("-"):
            return None  # a top-level key: a section, not a reference
        if match["rest"].lstrip().startswith(("|", ">")):
            return None  # a block scalar's header: free text follows
        if _in_block_scalar(text, line_start, len(match["indent"])):
            return None
        key: str | None = match["key"]
    elif re.match(r"^[ \t]*-[ \t]*[A-Za-z0-9_.-]*$", line):
        key = _key_above(text, line_start, len(line) - len(line.lstrip()))
    else:
        return None
    holder = KIND_OF_SECTION.get(_section_above(text, line_start) or "")
    if key is None or holder is None:
        return None
    return REFERENCES.get((holder, key))


def _in_block_scalar(text: str, before: int, indent: int) -> bool:
    """Whether the nearest less-indented line above opens a ``|`` or ``>`` block."""
    for line in reversed(text[:before].splitlines()):
        stripped = line.lstrip()
        if stripped and len(line) - len(stripped) < indent:
            match = _KEY_LINE.match(line)
            return bool(match and match["rest"].strip().startswith(("|", ">")))
    return False


def _key_above(text: str, before: int, indent: int) -> str | None:
    for line in reversed(text[:before].splitlines()):
        stripped = line.lstrip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _KEY_LINE.match(line)
        depth = len(line) - len(stripped)
        if match and depth < indent + 1 and not match["rest"].strip():
            return match["key"]
        if depth <= indent and not stripped.startswith("-"):
            return None
    return None


def _section_above(text: str, before: int) -> str | None:
    for line in reversed(text[:before].splitlines()):
        if line[:1].isalpha():
            return line.split(":", 1)[0].strip()
    return None


def complete(project: Project, kind: str) -> list[Entity[Any]]:
    """Entities of ``kind`` with an id, first of each id, in project order."""
    return [found[0] for found in project.ids(kind).values()]
