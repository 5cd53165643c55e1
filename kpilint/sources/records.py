"""Records and fields: a value looked up by path, then worked out as SOURCES.md orders it.

``Record.lookup`` follows a path or pseudo-path; ``evaluate`` applies a field
(``from``, ``unless``/``match``, ``fn``, ``values``/``otherwise``, ``template``,
``scale``, ``default``) and keeps where the value sits in the source.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from kpilint.loader import Path_, SourceFile
from kpilint.sources.paths import Placeholder, Template, parse_path
from kpilint.sources.spec import _UNSET, KINDS, Field, normal

__all__ = ["Picked", "Record", "as_written", "evaluate", "fill", "normal", "pick", "render"]

_MISSING: Any = object()
_NON_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(slots=True)
class Picked:
    """A value and where it sits in the source (``src`` None: nowhere, a constant)."""

    value: Any
    src: Path_ | None = None
    children: dict[str, Picked] | None = None  # positions of a built mapping's keys
    sourced: bool = True  # False: only a `default` gave it


@dataclass(slots=True)
class Record:
    """One record of a document, with what the pseudo-paths need."""

    data: Any
    path: Path_  # (document, *records path, key or index)
    document: Any
    key: str | int | None
    stem: str
    parsed: SourceFile
    state: dict[str, Any] = field(default_factory=dict)  # per file, for functions
    relpath: str = ""  # the file's path from the project root, '/'-separated ($path)
    foreign: frozenset[str] = frozenset()  # merged top-level keys of another file: no place here

    def lookup(self, dotted: str) -> tuple[Any, Path_ | None]:
        """The value at a dotted path and its source path; ``_MISSING`` when absent."""
        if dotted == "$file":
            return self.stem, None
        if dotted == "$path":
            return self.relpath, None
        if dotted == "$dir":
            parent = self.relpath.rpartition("/")[0].rpartition("/")[2]
            return (parent, None) if parent else (_MISSING, None)
        if dotted == "$key":
            return (self.key, self.path) if isinstance(self.key, str) else (_MISSING, None)
        if dotted.startswith("$doc."):
            return walk(self.document, self.path[:1], dotted[5:])
        value, at = walk(self.data, self.path, dotted)
        if self.foreign and at is not None and at[len(self.path)] in self.foreign:
            return value, None
        return value, at


def walk(value: Any, base: Path_, dotted: str) -> tuple[Any, Path_ | None]:
    """Follow ``a."b.c"[0].d`` (``[?key]``: the first item holding ``key``) from ``value``.

    ``[n]`` on a value that is not a list is absent (SOURCES.md), as is a missing key.
    """
    parts = parse_path(dotted)
    if parts is None:
        return _MISSING, None
    path = base
    for how, arg in parts:
        if how == "k":
            if not isinstance(value, dict) or arg not in value:
                return _MISSING, None
            value, path = value[arg], (*path, arg)
        elif how == "i":
            assert isinstance(arg, int)  # -1 past any list (parse_path): absent
            if not isinstance(value, list) or not 0 <= arg < len(value):
                return _MISSING, None
            value, path = value[arg], (*path, arg)
        else:
            if not isinstance(value, list):
                return _MISSING, None
            for n, item in enumerate(value):
                if isinstance(item, dict) and item.get(arg) is not None:
                    value, path = item, (*path, n)
                    break
            else:
                return _MISSING, None
    return value, path


def slug(value: Any) -> str:
    """SOURCES.md's slug: lower-case ASCII letters and digits, every other run one '-'."""
    return _NON_SLUG.sub("-", text_of(value).lower()).strip("-")


def text_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def fill(template: str, value: Any) -> str:
    """``{}`` is the value, ``{slug}`` its slug (the simple case, for messages and tests)."""
    return template.replace("{slug}", slug(value)).replace("{}", text_of(value))


def as_written(parsed: SourceFile, src: Path_ | None, value: Any) -> str:
    """A scalar's text as the source wrote it (``1.10``, not ``1.1``); a string as it is."""
    if isinstance(value, str) or src is None:
        return text_of(value)
    span = parsed.values.get(src)
    text = parsed.text[span.start : span.end].strip() if span is not None else ""
    if not text or text[0] in "\"'" or len(text) > 64 or "\n" in text:
        return text_of(value)
    return text


def render(
    template: Template,
    rec: Record,
    value: Any,
    src: Path_ | None,
    groups: tuple[str, ...] = (),
) -> tuple[str, Path_ | None] | None:
    """The template filled from the record; None when a path it names is absent.

    Returns the text and where it comes from: the field's value, else the first
    path placeholder that has a place in the source.
    """
    out: list[str] = []
    where = src
    for piece in template.pieces:
        if isinstance(piece, str):
            out.append(piece)
            continue
        text = _placeholder(piece, rec, value, src, groups)
        if text is None:
            return None
        if isinstance(text, tuple):
            text, at = text
            where = where or at
        out.append(slug(text) if piece.slug else text)
    return "".join(out), where


def _placeholder(
    piece: Placeholder, rec: Record, value: Any, src: Path_ | None, groups: tuple[str, ...]
) -> str | tuple[str, Path_ | None] | None:
    if piece.what == "value":
        return as_written(rec.parsed, src, value)
    if piece.what == "group":
        assert isinstance(piece.arg, int)
        return groups[piece.arg - 1] if piece.arg <= len(groups) else ""
    found, at = rec.lookup(str(piece.arg))
    if found is _MISSING or found is None or isinstance(found, (dict, list)):
        return None
    return as_written(rec.parsed, at, found), at


def evaluate(fields: tuple[Field, ...], rec: Record, *, kind: bool = False) -> Picked | None:
    """The first of ``fields`` that gives a value (SOURCES.md's order of steps)."""
    for f in fields:
        picked = _one(f, rec, kind)
        if picked is not None:
            return picked
    return None


def pick(f: Field, rec: Record) -> tuple[Picked | None, tuple[str, ...]]:
    """The first ``from`` path whose value is present, not null, not ``unless``, ``match``ed."""
    for dotted in f.paths:
        value, src = rec.lookup(dotted)
        if value is _MISSING or value is None:
            continue
        if f.unless is None and f.match is None:
            return Picked(value, src), ()
        if isinstance(value, (dict, list)):
            if f.match is None:
                return Picked(value, src), ()
            continue
        text = as_written(rec.parsed, src, value)
        if f.unless is not None and f.unless.fullmatch(text):
            continue
        if f.match is None:
            return Picked(value, src), ()
        m = f.match.search(text)
        if m is not None:
            return Picked(value, src), tuple(g or "" for g in m.groups())
    return None, ()


def _one(f: Field, rec: Record, kind: bool) -> Picked | None:
    picked, groups = pick(f, rec)
    if f.fn is not None:
        from kpilint.sources.fns import FNS

        picked = FNS[f.fn].apply(picked, rec)
    absent = Picked(f.default, None, sourced=False) if f.default is not None else None
    if not f.paths and f.fn is None and f.template:  # a template of other paths alone
        for template in f.template:
            done = render(template, rec, None, None)
            if done is not None:
                return Picked(done[0], done[1])
        return absent
    if picked is None or picked.value is None:
        return absent
    value = picked.value
    if isinstance(value, (dict, list)):
        return picked
    translated = False
    written = picked.src if f.fn is None else None  # a function's value was never written
    if f.values is not None:
        key = normal(as_written(rec.parsed, written, value))
        if key not in f.values:  # `yes` read as true matches `true` too
            key = normal(value)
        if key in f.values:
            value, translated = f.values[key], True
        elif f.otherwise is not _UNSET:
            value, translated = f.otherwise, True
            if value == "" or value is None:
                return absent
    if kind and not translated and value not in KINDS and f.default is not None:
        return Picked(f.default, picked.src)
    if f.template:
        src = None if translated else written  # {} is the value as written, untranslated
        for template in f.template:
            done = render(template, rec, value, src, groups)
            if done is not None:
                value = done[0]
                break
        else:
            return absent
    if f.scale is not None and isinstance(value, (int, float)) and not isinstance(value, bool):
        value = _scaled(value, f.scale)
    return Picked(value, picked.src, picked.children)


def _scaled(value: int | float, scale: float) -> int | float:
    """``value * scale``; an int too large for a float, inf and NaN stay as they are,
    for validation to report as it would unscaled (never an OverflowError)."""
    try:
        scaled = round(value * scale, 10)
    except OverflowError:
        return value
    if not math.isfinite(scaled):
        return scaled
    return int(scaled) if isinstance(value, int) and scaled == int(scaled) else scaled
