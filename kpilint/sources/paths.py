"""Paths and templates of the mapping language (SOURCES.md "Paths and templates").

Both are parsed once, when the config is read, so a path or placeholder that
cannot work is a config error naming its key, and applying a mapping to a
record only follows parsed parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

PSEUDO = ("$file", "$key", "$path", "$dir")
_SEGMENT = re.compile(r'"([^"]*)"|([^."\[\]]+)')
_INDEX = re.compile(r"\[(\d+)\]|\[\?([^\]]+)\]")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

# ("k", name): a mapping's key; ("i", n): a list's item; ("h", key): the first item holding key
Part = tuple[str, str | int]


@cache
def parse_path(dotted: str) -> tuple[Part, ...] | None:
    """``a."b.c"[0].d`` as parts; None when it is not a path."""
    parts: list[Part] = []
    i, n = 0, len(dotted)
    while True:
        m = _SEGMENT.match(dotted, i)
        if m is None or (m[1] is not None and not m[1]):
            return None
        parts.append(("k", m[1] if m[1] is not None else m[2]))
        i = m.end()
        while (x := _INDEX.match(dotted, i)) is not None:
            if x[1] is not None:  # past any list (and any int-digit limit): absent
                parts.append(("i", int(x[1]) if len(x[1]) < 19 else -1))
            else:
                parts.append(("h", x[2]))
            i = x.end()
        if i == n:
            return tuple(parts)
        if dotted[i] != ".":
            return None
        i += 1


def is_path(text: str) -> bool:
    """A path or a pseudo-path (``$file``, ``$key``, ``$path``, ``$dir``, ``$doc.PATH``)."""
    if text in PSEUDO:
        return True
    if text.startswith("$doc."):
        return parse_path(text[5:]) is not None
    return not text.startswith("$") and parse_path(text) is not None


@dataclass(frozen=True, slots=True)
class Placeholder:
    """``{}`` (what "value"), ``{N}`` ("group"), ``{PATH}`` ("path"); ``slug``: ``|slug``."""

    what: str
    arg: str | int = ""
    slug: bool = False


@dataclass(frozen=True, slots=True)
class Template:
    text: str
    pieces: tuple[str | Placeholder, ...]

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(
            str(p.arg) for p in self.pieces if isinstance(p, Placeholder) and p.what == "path"
        )


def compile_template(text: str, *, groups: int | None, has_value: bool) -> Template:
    """The template's pieces; ``ValueError`` (the config error's words) for a bad placeholder.

    ``groups``: how many groups the field's ``match`` has (None: no ``match``);
    ``has_value``: the field reads a value, so ``{}`` and ``{slug}`` have one.
    """
    pieces: list[str | Placeholder] = []
    at = 0
    for m in _PLACEHOLDER.finditer(text):
        if m.start() > at:
            pieces.append(text[at : m.start()])
        at = m.end()
        inner = m[1].strip()
        name, bar, flt = inner.rpartition("|") if "|" in inner else (inner, "", "")
        name = name.strip()
        if bar and flt.strip() != "slug":
            raise ValueError(f"'{{{m[1]}}}' has an unknown filter '{flt.strip()}' (only |slug)")
        if name in ("", "slug") and not (bar and name == "slug"):
            if not has_value:
                raise ValueError(
                    f"'{{{m[1]}}}' needs a value: give the field `from` "
                    "(or name a path: {$file}, {name|slug})"
                )
            pieces.append(Placeholder("value", slug=name == "slug" or bool(bar)))
        elif name.isdigit():
            n = int(name)
            if groups is None:
                raise ValueError(f"'{{{m[1]}}}' names a group, but the field has no `match`")
            if not 1 <= n <= min(groups, 9):
                raise ValueError(f"'{{{m[1]}}}' names group {n}; the `match` has {groups}")
            pieces.append(Placeholder("group", n, bool(bar)))
        elif is_path(name):
            pieces.append(Placeholder("path", name, bool(bar)))
        else:
            raise ValueError(
                f"'{{{m[1]}}}' is not a placeholder: use {{}}, {{slug}}, {{1}}..{{9}}, "
                "or a path ({$file}, {name|slug})"
            )
    if at < len(text):
        pieces.append(text[at:])
    return Template(text, tuple(pieces))
