"""Text helpers the sources share: short slugs for ids, a DRI's link text, source text.

``slug`` here is the id slug of the GitLab handbook (NFKD to ASCII, at most 64
characters, ``-2`` for repeats in a file); templates' ``{slug}`` is SOURCES.md's.
"""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

from kpilint.loader import Path_, SourceFile

MAX_SLUG = 64
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """A FORMAT.md slug of ``text`` ("" when nothing is left): ASCII, lower-case, '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_SLUG.sub("-", ascii_text.lower()).strip("-")[:MAX_SLUG].rstrip("-")


_HTML_TAG = re.compile(r"<[^>]*>")


def html_text(text: str) -> str:
    """A DRI is often an HTML link; the owner is its text (``<a ...>Mek</a>`` -> ``Mek``)."""
    plain = " ".join(html.unescape(_HTML_TAG.sub(" ", text)).split())
    return plain or text.strip()


def source_text(sf: SourceFile, path: Path_) -> str:
    """The value at ``path`` as its source text (``.25`` stays ``.25``); "" when unplaced."""
    span = sf.values.get(path)
    return sf.text[span.start : span.end].strip() if span is not None else ""


class Slugs:
    """Hands out slugs unique within one file: ``x``, ``x-2``, ``x-3``."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def unique(self, base: str) -> str:
        candidate, n = base, 1
        while candidate in self.used:
            n += 1
            suffix = f"-{n}"
            candidate = base[: MAX_SLUG - len(suffix)].rstrip("-") + suffix
        self.used.add(candidate)
        return candidate


def kpi_stem(file: Path) -> str:
    """The file's stem, and a KPI file's name without ``.kpi.yaml``: output names, ``$file``."""
    name = file.name
    for suffix in (".kpi.yaml", ".kpi.yml"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return file.stem
