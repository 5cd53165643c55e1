"""GitLab handbook performance indicators (``data/performance_indicators/*.yml``).

Each file is a YAML list of entries (``name``, ``definition``, ``target``, ``org``,
``is_key``, ``dri``, ``health``, ``urls``, ...). An entry with ``is_key`` true is a
KPI; every other entry is a metric. GitLab's own keys that have no KPI-file
meaning (``health``, ``urls``, ``sisense_data``, ``parent``, ...) are dropped.
Every converted key keeps the position of the GitLab key it came from, so
findings point at the handbook file: ``owner`` at ``dri:``, ``scope`` at ``org:``,
an entity (and its ``id``) at the entry's first key.

GitLab reads these files with Ruby's YAML 1.1 loader, as PyYAML does: ``is_key:
yes`` is true. Such values, and non-boolean ones (any value but false or null is
true in Ruby), are read the same way and noted, since YAML 1.2 tools disagree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kpilint.findings import FILE_START
from kpilint.importers.common import Imported, Note, Slugs, html_text, slug, source_text
from kpilint.loader import (
    DEFAULT_MAX_BYTES,
    Path_,
    Problem,
    SourceFile,
    Span,
    parse_bytes,
    read_bytes,
)
from kpilint.quoting import quote

GLOBS: tuple[str, ...] = ("*.yml", "*.yaml")

_YAML11_BOOLS = {"yes", "no", "on", "off"}
# GitLab key -> KPI-file key, for the keys that carry over (and for locating problems).
_RENAMED = {"definition": "description", "dri": "owner", "org": "scope"}


def read(path: Path, display: str, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceFile:
    """The file as KPI-format data positioned in the GitLab file (the ``Importer`` protocol)."""
    return convert(path, display, max_bytes).source


def convert(path: Path, display: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Imported:
    """Read one GitLab file; never raises for bad content, only records problems."""
    sf = SourceFile(path=path, display=display)
    result = Imported(sf)
    raw = read_bytes(sf, max_bytes)
    if raw is None:
        return result
    parsed = SourceFile(path=path, display=display)
    parse_bytes(parsed, raw, require_mapping=False)
    sf.text, sf.newline, sf.suppressions = parsed.text, parsed.newline, parsed.suppressions
    sf.lines.reset(parsed.text)
    if parsed.data is None and any(p.code == "KPI001" for p in parsed.problems):
        sf.problems.extend(parsed.problems)
        return result
    if isinstance(parsed.data, (dict, list)):
        from kpilint.sources.readers import ints_as_text

        ints_as_text(parsed, parsed.data, ())
    entries = [] if parsed.data == {} else parsed.data  # an empty file: no entries
    if not isinstance(entries, list):
        span = parsed.values.get(())
        kind = "a mapping" if isinstance(entries, dict) else "a single value"
        sf.problems.append(
            Problem(
                "KPI001",
                span.pos if span is not None else FILE_START,
                f"the top level is {kind}, not a list of performance indicators",
                "Write the file as a list of entries: `- name: ...`",
            )
        )
        return result
    _Builder(parsed, result).build(entries)
    return result


class _Builder:
    """GitLab entries -> ``metrics`` and ``kpis`` with positions copied from the source."""

    def __init__(self, parsed: SourceFile, result: Imported) -> None:
        self.parsed = parsed
        self.result = result
        self.sf = result.source
        self.slugs = Slugs()
        self.sections: dict[str, list[dict[str, Any]]] = {"metrics": [], "kpis": []}
        self.where: dict[int, Path_] = {}  # source entry index -> entity path
        self.dropped_targets = 0

    def build(self, entries: list[Any]) -> None:
        root = self.parsed.values.get(())
        if root is not None:
            self.sf.values.put((), root.start, root.end)
        for index, entry in enumerate(entries):
            if isinstance(entry, dict):
                self._entry(index, entry)
                continue
            span = self.parsed.values.get((index,))
            self.sf.problems.append(
                Problem(
                    "KPI002",
                    span.pos if span is not None else FILE_START,
                    f"entry {index + 1} is {_a(entry)}, not a mapping of name, definition, "
                    "target, org, is_key, ...",
                    "Write each performance indicator as a mapping: `- name: ...`",
                )
            )
        self.sf.data = {s: items for s, items in self.sections.items() if items}
        for problem in self.parsed.problems:  # duplicate keys (KPI004), located in the entity
            path = problem.path
            if path and isinstance(path[0], int) and path[0] in self.where:
                key, *rest = path[1:] or ("",)
                path = (*self.where[path[0]], _RENAMED.get(str(key), key), *rest)
            self.sf.problems.append(
                Problem(problem.code, problem.pos, problem.message, problem.fix, path, ())
            )
        if self.dropped_targets:
            self.result.notes.append(
                Note(
                    None,
                    _dropped(self.dropped_targets),
                )
            )

    def _entry(self, index: int, entry: dict[str, Any]) -> None:
        is_key = self._is_key(index, entry)
        section = "kpis" if is_key else "metrics"
        path: Path_ = (section, len(self.sections[section]))
        self.where[index] = path
        entry_span = self.parsed.values.get((index,))
        if entry_span is not None:
            self.sf.values.put(path, entry_span.start, entry_span.end)
        out: dict[str, Any] = {}
        name = entry.get("name")
        base = slug(str(name)) if name is not None and not isinstance(name, (dict, list)) else ""
        out["id"] = self.slugs.unique(base or f"entry-{index + 1}")
        first = next(iter(entry), None)
        first_span = self.parsed.keys.get((index, first)) if first is not None else None
        self._put(self.sf.keys, (*path, "id"), first_span or entry_span)
        self._put(self.sf.values, (*path, "id"), self.parsed.values.get((index, "name")))
        if "name" in entry:
            out["name"] = name.strip() if isinstance(name, str) else name
            self._copy((index, "name"), (*path, "name"), name)
        if entry.get("definition") is not None:
            out["description"] = entry["definition"]
            self._copy((index, "definition"), (*path, "description"), entry["definition"])
        org = entry.get("org")
        team = slug(str(org)) or "-".join(str(org).split()) if _scalar(org) else ""
        if team:
            self.result.teams[path] = team
        if not is_key:
            if _present(entry.get("target")):
                self.dropped_targets += 1
            self.sections[section].append(out)
            return
        dri = entry.get("dri")
        if _present(dri):
            out["owner"] = html_text(dri) if isinstance(dri, str) else dri
            self._copy((index, "dri"), (*path, "owner"), dri)
        if _present(org):
            out["scope"] = f"team:{team}" if team else org  # a list or mapping: KPI002
            self._copy((index, "org"), (*path, "scope"), org)
        target = entry.get("target")
        if _present(target):
            if _scalar(target) and not isinstance(target, str):
                written = source_text(self.parsed, (index, "target"))
                target = written or str(target)  # `.25` stays .25
            out["target"] = target
            self._copy((index, "target"), (*path, "target"), target)
        self.sections[section].append(out)

    def _is_key(self, index: int, entry: dict[str, Any]) -> bool:
        """``is_key`` as GitLab's Ruby reads it: anything but false and null is true."""
        if "is_key" not in entry:
            return False
        value = entry["is_key"]
        written = source_text(self.parsed, (index, "is_key")) or quote(value)
        key = self.parsed.keys.get((index, "is_key"))
        pos = key.pos if key is not None else None
        if isinstance(value, bool):
            if written.lower() in _YAML11_BOOLS:
                self.result.notes.append(
                    Note(
                        pos,
                        f"`is_key: {written}` is a YAML 1.1 boolean; read as "
                        f"{str(value).lower()}, as GitLab reads it (YAML 1.2 tools read a string)",
                    )
                )
            return value
        if value is None:
            return False
        self.result.notes.append(
            Note(
                pos,
                f"`is_key: {written}` is not a boolean; read as true, as GitLab's Ruby reads "
                "any value but false and null",
            )
        )
        return True

    def _copy(self, src: Path_, dst: Path_, value: Any) -> None:
        """Positions of ``src`` (and everything under it) as positions of ``dst``."""
        self._put(self.sf.keys, dst, self.parsed.keys.get(src))
        self._put(self.sf.values, dst, self.parsed.values.get(src))
        if isinstance(value, dict):
            for key, item in value.items():
                self._copy((*src, key), (*dst, key), item)
        elif isinstance(value, list):
            for n, item in enumerate(value):
                self._copy((*src, n), (*dst, n), item)

    @staticmethod
    def _put(positions: Any, path: Path_, span: Span | None) -> None:
        if span is not None:
            positions.put(path, span.start, span.end)


def _present(value: Any) -> bool:
    """Null, an empty string or white space is absent (``target: `` is no target)."""
    return value is not None and not (isinstance(value, str) and not value.strip())


def _scalar(value: Any) -> bool:
    return value is not None and not isinstance(value, (dict, list))


def _dropped(n: int) -> str:
    if n == 1:
        return (
            "the target of 1 entry that is not is_key was left out: it became a metric, "
            "and a metric has no target"
        )
    return (
        f"the targets of {n} entries that are not is_key were left out: they became metrics, "
        "and a metric has no target"
    )


def _a(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    return "null" if value is None else f"a single value ({quote(value)})"
