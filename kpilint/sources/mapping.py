"""Apply a mapping to a read source: records to kpilint entities, positions carried over.

The result is a ``SourceFile`` in the KPI file format's shape (``kpis``,
``metrics``, ``goals``) whose every key is positioned at the source key that
held its value, and every entity at its record's first key, so validation,
rules, suppressions and reporters work on it unchanged.
"""

from __future__ import annotations

from typing import Any

from kpilint.findings import FILE_START
from kpilint.loader import Path_, Problem, SourceFile, Span
from kpilint.quoting import quote
from kpilint.sources.records import (
    _MISSING,
    Picked,
    Record,
    as_written,
    evaluate,
    fill,
    pick,
    render,
    slug,
    text_of,
    walk,
)
from kpilint.sources.spec import KINDS, Also, SourceSpec, normal

__all__ = ["_MISSING", "Picked", "Record", "evaluate", "fill", "normal", "slug", "text_of", "walk"]

_NUMERIC = frozenset({"target.value", "target.change", "target.baseline"})
_NESTED = frozenset({"target", "timeline", "period"})
_HALF = (1 << 64) - 1  # PositionStore packs a key's offsets above a value's


class Builder:
    """One source file's records to entities; ``goals`` is shared by the source's files."""

    def __init__(
        self,
        spec: SourceSpec,
        parsed: SourceFile,
        goals: dict[str, bool],
        relpath: str = "",
        merge: Any = None,  # a ``merge.MergeIndex`` when the source has `merge-by`
    ) -> None:
        self.spec = spec
        self.merge = merge
        self.relpath = relpath or parsed.display.replace("\\", "/").removeprefix("./")
        self.parsed = parsed
        self.goal_ids = goals
        self.sf = SourceFile(path=parsed.path, display=parsed.display)
        self.sf.text, self.sf.newline = parsed.text, parsed.newline
        self.sf.suppressions = parsed.suppressions
        self.sf.lines.reset(parsed.text)
        self.sf.catalogue = spec.preset or spec.where_declared
        self.sf.ignores = spec.ignore
        self.sf.problems.extend(Problem(p.code, p.pos, p.message, p.fix) for p in parsed.problems)
        self.sections: dict[str, list[dict[str, Any]]] = {
            "goals": [],
            "metrics": [],
            "kpis": [],
            "incentives": [],
        }
        self.state: dict[str, Any] = {}

    def build(self, stem: str) -> SourceFile:
        documents = self.parsed.data if isinstance(self.parsed.data, list) else []
        for doc_index, document in enumerate(documents):
            for rec in self._records(doc_index, document, stem):
                self._record(rec)
        self.sf.data = {s: items for s, items in self.sections.items() if items}
        return self.sf

    def _records(self, doc_index: int, document: Any, stem: str) -> list[Record]:
        if document is None:
            return []
        for dotted in self.spec.records:
            if dotted == "":
                if isinstance(document, list):  # a CSV's rows, or a YAML list of records
                    return self._list(document, (doc_index,), document, stem)
                return [
                    Record(
                        document,
                        (doc_index,),
                        document,
                        None,
                        stem,
                        self.parsed,
                        self.state,
                        self.relpath,
                    )
                ]
            found, path = walk(document, (doc_index,), dotted)
            if found is _MISSING or found is None or path is None:
                continue
            if isinstance(found, list):
                return self._list(found, path, document, stem)
            if isinstance(found, dict):
                return [
                    Record(
                        item,
                        (*path, key),
                        document,
                        key,
                        stem,
                        self.parsed,
                        self.state,
                        self.relpath,
                    )
                    for key, item in found.items()
                ]
            self._unreadable(path, f"'{dotted}' is {_a(found)}, not a list or mapping of records")
            return []
        return []

    def _list(self, items: list[Any], path: Path_, document: Any, stem: str) -> list[Record]:
        return [
            Record(item, (*path, n), document, n, stem, self.parsed, self.state, self.relpath)
            for n, item in enumerate(items)
        ]

    def _unreadable(self, path: Path_, message: str) -> None:
        span = self.parsed.values.get(path)
        self.sf.problems.append(
            Problem(
                "KPI002",
                span.pos if span is not None else FILE_START,
                message,
                "Correct the record, or exclude the file from the source",
            )
        )

    def _record(self, rec: Record) -> None:
        if not isinstance(rec.data, dict):
            self._unreadable(
                rec.path,
                f"record {quote(rec.key)} is {_a(rec.data)}, not a mapping; it is not read",
            )
            return
        if not rec.data:
            return
        if self.merge is not None:
            role, merged = self.merge.role(self.parsed.path.resolve(), rec)
            if role == "merged":  # part of a record another file holds
                return
            rec = merged or rec
        main = self.spec.entity
        if not _admitted(main, rec):  # the source's `where`/`skip` leave the record unread
            return
        self._entity(main, rec)
        for also in self.spec.also:
            if _admitted(also, rec):
                self._entity(also, rec)
        if self.spec.goals_from is not None:
            self._goal_from(rec)

    def _entity(self, how: Also, rec: Record) -> None:
        kind_pick = evaluate(how.kind, rec, kind=True)
        kind = kind_pick.value if kind_pick is not None else None
        if kind not in KINDS:
            src = kind_pick.src if kind_pick is not None else None
            span = self._span(src) if src is not None else None
            self.sf.problems.append(
                Problem(
                    "KPI002",
                    span.pos if span is not None else self._record_pos(rec),
                    f"record kind {quote(kind)} is not one of {', '.join(KINDS)}; "
                    "the record is not read",
                    "Map the value to a kind with `values`, or give `kind` a `default`",
                )
            )
            return
        from kpilint.model import SECTIONS, known_keys

        section = f"{kind}s"
        allowed = set(known_keys(SECTIONS[section]))
        path: Path_ = (section, len(self.sections[section]))
        out: dict[str, Any] = {}
        sourced: dict[str, bool] = {}
        for name, fields in how.map.items():
            parts = name.split(".")
            if parts[0] not in allowed:
                continue
            picked = evaluate(fields, rec)
            if picked is None:
                continue
            value = picked.value
            if name in _NUMERIC and isinstance(value, str):
                from kpilint.importers.csv import number

                value = number(value)
            if not _assign(out, parts, value):
                continue
            if len(parts) > 1:
                sourced[parts[0]] = sourced.get(parts[0], False) or picked.sourced
            self._copy(picked, (*path, *parts), value)
        for top, any_sourced in sourced.items():
            if not any_sourced:  # a nested mapping of defaults only says nothing
                out.pop(top, None)
            elif isinstance(out.get(top), dict) and not self.sf.positions.get((*path, top)) >> 64:
                self._locate_parent((*path, top), out[top])
        self._locate(path, rec)
        self.sections[section].append(out)

    def _goal_from(self, rec: Record) -> None:
        """One goal per value; ``parent`` and ``level`` from the first record naming it."""
        how = self.spec.goals_from
        assert how is not None
        f = how.field
        picked, groups = pick(f, rec)
        if f.fn is not None:
            from kpilint.sources.fns import FNS

            picked = FNS[f.fn].apply(picked, rec)
        if picked is None or picked.value is None or isinstance(picked.value, (dict, list)):
            return
        value, src = picked.value, picked.src
        if f.values is not None and normal(as_written(rec.parsed, src, value)) in f.values:
            value, src = f.values[normal(as_written(rec.parsed, src, value))], None
        done = render(how.id, rec, value, picked.src if src is not None else None, groups)
        if done is None or not done[0] or done[0] in self.goal_ids:
            return
        ident = done[0]
        self.goal_ids[ident] = True
        path: Path_ = ("goals", len(self.sections["goals"]))
        goal: dict[str, Any] = {"id": ident}
        for part in ("name", "parent", "level"):
            template = getattr(how, part)
            filled = render(template, rec, value, src, groups) if template is not None else None
            if filled is not None and filled[0]:
                goal[part] = filled[0]
        self._locate(path, rec)
        for key in goal:
            self._copy(Picked(goal[key], picked.src), (*path, key), goal[key])
        self.sections["goals"].append(goal)

    def _locate(self, path: Path_, rec: Record) -> None:
        """The entity at its record's first key (stored as the entity's own key)."""
        get = self.parsed.positions.get
        first = next(iter(rec.data), None)
        key = get((*rec.path, first)) >> 64 if first is not None else 0
        record = get(rec.path)
        key = key or (record >> 64) or (record & _HALF)
        if key or record:
            self.sf.positions.packed[path] = key << 64 | (record & _HALF)

    def _locate_parent(self, path: Path_, built: dict[str, Any]) -> None:
        """``target`` built from ``target.value`` etc. is where its first placed key is."""
        packed = self.sf.positions.packed
        for key in built:
            child = packed.get((*path, key), 0) >> 64
            if child:
                packed[path] = child << 64
                return

    def _record_pos(self, rec: Record) -> Any:
        first = next(iter(rec.data), None)
        span = self.parsed.keys.get((*rec.path, first)) if first is not None else None
        span = span or self.parsed.values.get(rec.path)
        return span.pos if span is not None else FILE_START

    def _span(self, src: Path_) -> Span | None:
        return self.parsed.keys.get(src) or self.parsed.values.get(src)

    def _copy(self, picked: Picked, dst: Path_, value: Any) -> None:
        """Positions of the source key (and everything under it) as those of ``dst``."""
        if picked.children is not None:
            for key, child in picked.children.items():
                self._copy(child, (*dst, key), child.value)
            if picked.src is None:
                return
        if picked.src is None:
            return
        self._copy_path(picked.src, dst, value, top=True)

    def _copy_path(self, src: Path_, dst: Path_, value: Any, *, top: bool = False) -> None:
        """Key and value offsets copied as they are: both files have the same text."""
        packed = self.parsed.positions.get(src)
        if not packed:
            return
        if not packed >> 64:  # a list item has no key: its value stands for it
            packed |= (packed & _HALF) << 64
        self.sf.positions.packed[dst] = packed
        if isinstance(value, dict):
            for name, item in value.items():
                self._copy_path((*src, name), (*dst, name), item)
        elif isinstance(value, list):
            for n, item in enumerate(value):
                self._copy_path((*src, n), (*dst, n), item)


def _assign(out: dict[str, Any], parts: list[str], value: Any) -> bool:
    """Set ``out[a][b] = value``; False when an earlier key already holds that place."""
    node = out
    for part in parts[:-1]:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            return False
        node = child
    if parts[-1] in node:
        return False
    node[parts[-1]] = value
    return True


def _admitted(how: Also, rec: Record) -> bool:
    for dotted, wanted in how.where:
        value, _ = rec.lookup(dotted)
        if value is _MISSING or normal(value) not in wanted:
            return False
    for dotted, unwanted in how.skip:
        value, _ = rec.lookup(dotted)
        if value is not _MISSING and normal(value) in unwanted:
            return False
    return True


def _a(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "null" if value is None else f"a single value ({quote(value)})"
