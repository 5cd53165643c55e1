"""A KPI register kept as a spreadsheet, exported to CSV.

The header row names the columns after FORMAT.md keys (case-insensitive; spaces
and hyphens read as ``_``). A ``kind`` column (``goal``, ``metric``, ``kpi``,
``incentive``; default ``kpi``) lets one sheet hold every kind, so a goal's own
kind is the ``goal_kind`` column. Flat columns build the nested keys:
``target_value``/``target_unit``/``direction``/``baseline`` the target mapping,
``start``/``end``/``review``/``last_reviewed`` a KPI's timeline, and
``start``/``end`` (or ``period_start``/``period_end``) a goal's period.

Cells are converted only where a spreadsheet loses the type (numbers, dates,
lists of ids, enum case); a value that still does not fit is passed on as
written, so validation reports it as KPI002 *at that cell*, and an imported
KPI file reports the same. Cells, their exact positions and the encodings Excel
writes come from ``sources.csvcells``, which the ``csv`` reader format shares.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from kpilint.loader import (
    DEFAULT_MAX_BYTES,
    Path_,
    Problem,
    SourceFile,
    read_bytes,
)
from kpilint.model import SECTIONS, Period, TargetSpec, Timeline, known_keys
from kpilint.sources.csvcells import (
    DELIMITERS,
    Cell,
    decode,
    number,
    sniff_delimiter,
    tokenize,
    unclosed_quote,
)
from kpilint.sources.text import slug
from kpilint.suggest import closest

__all__ = [
    "DELIMITERS",
    "GLOBS",
    "Cell",
    "number",
    "read",
    "sniff_delimiter",
    "tokenize",
]

GLOBS: tuple[str, ...] = ("*.csv", "*.tsv")

KINDS = {
    "goal": "goals",
    "goals": "goals",
    "metric": "metrics",
    "metrics": "metrics",
    "kpi": "kpis",
    "kpis": "kpis",
    "incentive": "incentives",
    "incentives": "incentives",
}
Keys = tuple[str, ...]
_COMMON: dict[str, Keys] = {"id": ("id",), "name": ("name",), "description": ("description",)}
# column -> key path in an entity of each kind
COLUMNS_BY_KIND: dict[str, dict[str, Keys]] = {
    "goals": {
        **_COMMON,
        "owner": ("owner",),
        "level": ("level",),
        "goal_kind": ("kind",),
        "parent": ("parent",),
        "start": ("period", "start"),
        "end": ("period", "end"),
        "period_start": ("period", "start"),
        "period_end": ("period", "end"),
    },
    "metrics": {
        **_COMMON,
        "category": ("category",),
        "unit": ("unit",),
        "source": ("source",),
        "source_type": ("source_type",),
        "aggregation": ("aggregation",),
    },
    "kpis": {
        **_COMMON,
        "goal": ("goal",),
        "metric": ("metric",),
        "owner": ("owner",),
        "scope": ("scope",),
        "status": ("status",),
        "counterbalance": ("counterbalance",),
        "target": ("target",),
        "target_value": ("target", "value"),
        "target_unit": ("target", "unit"),
        "direction": ("target", "direction"),
        "baseline": ("target", "baseline"),
        "start": ("timeline", "start"),
        "end": ("timeline", "end"),
        "review": ("timeline", "review"),
        "last_reviewed": ("timeline", "last_reviewed"),
    },
    "incentives": {**_COMMON, "role": ("role",), "kpis": ("kpis",)},
}
COLUMNS: tuple[str, ...] = tuple(
    dict.fromkeys(["kind", *(c for cols in COLUMNS_BY_KIND.values() for c in cols)])
)
_NUMBERS = {"target_value", "baseline"}
_DATES = {"start", "end", "period_start", "period_end", "last_reviewed"}
_ENUMS = {"level", "goal_kind", "category", "source_type", "aggregation", "status"}
_ENUMS |= {"direction", "review"}
_REFS = {"goal", "counterbalance"}  # one id, or several
_LISTS = {"kpis"}  # always a list

_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00)?)?")  # Excel adds a midnight
_ID_SEPARATORS = re.compile(r"[;|,\s]+")
_NESTED: dict[str, type[Any]] = {"target": TargetSpec, "timeline": Timeline, "period": Period}


def read(path: Path, display: str, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceFile:
    """Read one CSV register as KPI-format data positioned in the CSV; never raises for
    bad content, only records problems (and notes: the encoding; teams: each KPI's)."""
    sf = SourceFile(path=path, display=display)
    raw = read_bytes(sf, max_bytes)
    if raw is None:
        return sf
    decoded = decode(sf, raw)
    if decoded is None:
        return sf
    text, note = decoded
    if note is not None:
        sf.notes.append((None, note))
    sf.text = text
    sf.lines.reset(text)
    if "\r\n" in text:
        sf.newline = "\r\n"
    rows, unclosed = tokenize(text, sniff_delimiter(text))
    if unclosed is not None:
        sf.problems.append(unclosed_quote(sf, unclosed))
        return sf
    _Builder(sf).build(rows)
    return sf


def column_name(header: str) -> str:
    """``Target Value`` and ``target-value`` name the ``target_value`` column."""
    return re.sub(r"[\s_-]+", "_", header.strip().lower()).strip("_")


class _Builder:
    """Rows -> entities, with every key positioned at its cell."""

    def __init__(self, sf: SourceFile) -> None:
        self.sf = sf
        self.sections: dict[str, list[dict[str, Any]]] = {s: [] for s in COLUMNS_BY_KIND}
        self.columns: list[str | None] = []  # per header position: known name, or None
        self.nameless: set[int] = set()  # header positions left empty

    def build(self, rows: list[list[Cell]]) -> None:
        rows = [r for r in rows if any(c.value for c in r)]  # Excel leaves empty rows
        if rows:
            self._header(rows[0])
            unnamed: set[int] = set()
            for row in rows[1:]:
                self._row(row, unnamed)
        self.sf.data = {s: items for s, items in self.sections.items() if items}

    def _problem(self, code: str, cell: Cell, message: str, fix: str) -> None:
        self.sf.problems.append(Problem(code, self.sf.position(cell.start), message, fix))

    def _header(self, header: list[Cell]) -> None:
        seen: dict[str, Cell] = {}
        for cell in header:
            name = column_name(cell.text)
            if not name:
                self.nameless.add(len(self.columns))  # reported where a row fills it
                self.columns.append(None)
                continue
            if name not in COLUMNS:
                close = closest(name, COLUMNS, cutoff=0.75)
                hint = f"; did you mean '{close}'?" if close else ""
                self._problem(
                    "KPI003",
                    cell,
                    f"unknown column '{cell.value}'{hint}",
                    f"Rename the column to '{close}'"
                    if close
                    else f"Remove the column, or name it one of: {', '.join(COLUMNS)}",
                )
                self.columns.append(None)
            elif name in seen:
                self._problem(
                    "KPI004",
                    cell,
                    f"column '{name}' appears twice in the header; only the first is read",
                    f"Remove or rename one of the '{name}' columns",
                )
                self.columns.append(None)
            else:
                seen[name] = cell
                self.columns.append(name)

    def _row(self, row: list[Cell], unnamed: set[int]) -> None:
        named: dict[str, Cell] = {}
        for index, cell in enumerate(row):
            if not cell.value:
                continue
            column = self.columns[index] if index < len(self.columns) else None
            if column is not None:
                named[column] = cell
            elif (index >= len(self.columns) or index in self.nameless) and index not in unnamed:
                unnamed.add(index)
                self._problem(
                    "KPI003",
                    cell,
                    f"column {index + 1} has values but no name in the header row",
                    "Name the column in the header row, or empty it",
                )
        kind_cell = named.pop("kind", None)
        section = "kpis"
        if kind_cell is not None:
            found = KINDS.get(kind_cell.value.lower())
            if found is None:
                self._problem(
                    "KPI002",
                    kind_cell,
                    f"kind '{kind_cell.value}' is not goal, metric, kpi or incentive; "
                    "the row is not read",
                    "Use one of: goal, metric, kpi, incentive",
                )
                return
            section = found
        items = self.sections[section]
        path: Path_ = (section, len(items))
        self.sf.values.put(path, row[0].start, row[-1].end)
        out: dict[str, Any] = {}
        mapping = COLUMNS_BY_KIND[section]
        for column, cell in named.items():
            self._place(out, path, mapping.get(column, (column,)), column, cell, named)
        out = _ordered(out, SECTIONS[section])
        items.append(out)
        scope = out.get("scope")
        if section == "kpis" and isinstance(scope, str) and scope.startswith("team:"):
            team = slug(scope[5:]) or "-".join(scope[5:].split())
            if team:
                self.sf.teams[path] = team

    def _place(
        self,
        out: dict[str, Any],
        path: Path_,
        keys: Keys,
        column: str,
        cell: Cell,
        named: dict[str, Cell],
    ) -> None:
        value = _cell_value(column, cell.value)
        parent = out
        for depth, key in enumerate(keys[:-1]):
            existing = parent.get(key)
            if existing is None:
                existing = parent[key] = {}
                sub = (*path, *keys[: depth + 1])
                self.sf.keys.put(sub, cell.start, cell.end)
                self.sf.values.put(sub, cell.start, cell.end)
            if not isinstance(existing, dict):
                self._conflict(column, cell, str(key), named)
                return
            parent = existing
        last = keys[-1]
        if last in parent:
            self._conflict(column, cell, ".".join(map(str, keys)), named)
            return
        parent[last] = value
        self.sf.keys.put((*path, *keys), cell.start, cell.end)
        self.sf.values.put((*path, *keys), cell.start, cell.end)

    def _conflict(self, column: str, cell: Cell, key: str, named: dict[str, Cell]) -> None:
        others = [c for c in named if c != column and c in _SAME_KEY.get(column, ())]
        other = f" (already given by '{others[0]}')" if others else ""
        self._problem(
            "KPI002",
            cell,
            f"column '{column}' sets '{key}' again{other}; this cell is not read",
            "Fill only one of the columns that set it",
        )


# Columns that fill the same key, for the conflict message.
_SAME_KEY: dict[str, tuple[str, ...]] = {
    "target_value": ("target",),
    "target_unit": ("target",),
    "direction": ("target",),
    "baseline": ("target",),
    "target": ("target_value", "target_unit", "direction", "baseline"),
    "start": ("period_start",),
    "end": ("period_end",),
    "period_start": ("start",),
    "period_end": ("end",),
}


def _ordered(out: dict[str, Any], model: type[Any]) -> dict[str, Any]:
    """Keys in FORMAT.md's order (``id`` first: it locates the entity), others after."""
    fields = known_keys(model)
    rank = {key: n for n, key in enumerate(fields)}
    ordered: dict[str, Any] = {}
    for key in sorted(out, key=lambda k: rank.get(k, len(fields))):
        value = out[key]
        nested = _NESTED.get(key)
        if isinstance(value, dict) and nested is not None and key in rank:
            value = _ordered(value, nested)
        ordered[key] = value
    return ordered


def _cell_value(column: str, text: str) -> Any:
    """A cell as the KPI-file value it stands for; anything that does not fit, as written."""
    if column in _NUMBERS:
        return number(text)
    if column in _DATES:
        m = _ISO_DATE.fullmatch(text)
        if m:
            try:
                return date.fromisoformat(m.group(1))
            except ValueError:
                return text  # 2027-02-30: validation says it is not a real date
        return text
    if column in _ENUMS or column == "kind":
        return text.lower()
    if column in _REFS or column in _LISTS:
        ids = [part for part in _ID_SEPARATORS.split(text) if part]
        return ids[0] if len(ids) == 1 and column not in _LISTS else ids
    return text
