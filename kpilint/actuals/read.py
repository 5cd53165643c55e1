"""Reading actuals files (ACTUALS.md "Where actuals come from") into values by id and date.

A bad row is an ``Invalid`` (KPI906) and the rest of the file is read; a file
that cannot be read at all is ``Unreadable`` (KPI001). Rows after ``today``
are left out silently: progress is measured up to today.
"""

from __future__ import annotations

import csv
import io
import re
from calendar import monthrange
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from kpilint.actuals.spec import ActualsSpec


class Point(NamedTuple):
    day: date
    value: float


class Invalid(NamedTuple):
    """A row left out: KPI906 at ``line``, column 1."""

    path: Path
    line: int
    message: str


class Unreadable(NamedTuple):
    """A file not read at all: KPI001."""

    path: Path
    message: str


@dataclass(slots=True)
class Actuals:
    """Every value read, by KPI id and by metric id, and what went wrong."""

    files: list[Path] = field(default_factory=list)  # read, in project order
    kpis: dict[str, dict[date, float]] = field(default_factory=dict)
    metrics: dict[str, dict[date, float]] = field(default_factory=dict)
    invalid: list[Invalid] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)
    several: set[str] = field(default_factory=set)  # open-sdg ids with two values in a year
    by_hand: dict[str, str] = field(default_factory=dict)  # open-sdg id -> progress_status

    @property
    def declared(self) -> bool:
        """At least one actuals file was read: the KPI9xx rules run."""
        return bool(self.files)

    def of(self, kpi: str, metric: str | None) -> list[Point]:
        """A KPI's actuals by date: its own, else its metric's (its own row wins a date)."""
        merged = dict(self.metrics.get(metric, {})) if metric else {}
        merged.update(self.kpis.get(kpi, {}))
        return [Point(d, merged[d]) for d in sorted(merged)]


_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-[Qq]([1-4]))?")


def parse_date(text: str) -> date | None:
    """``YYYY-MM-DD``, ``YYYY-MM`` (its last day), ``YYYY-Qn`` (the quarter's) or ``YYYY``."""
    m = _DATE.fullmatch(text.strip())
    if m is None:
        return None
    year, month, day, quarter = m.groups()
    try:
        if quarter:
            last = int(quarter) * 3
            return date(int(year), last, monthrange(int(year), last)[1])
        if month is None:
            return date(int(year), 12, 31)
        if day is None:
            return date(int(year), int(month), monthrange(int(year), int(month))[1])
        return date(int(year), int(month), int(day))
    except ValueError:  # month 13, 30 February
        return None


def parse_value(text: str) -> float | None:
    """A number as people write one: ``1,200.5`` and ``12%`` are 1200.5 and 12."""
    try:
        result = float(text)  # the common case, at C speed: 14.5, -3, 1e3
    except ValueError:
        from kpilint.sources.csvcells import number

        text = text.strip().removesuffix("%").strip()
        value = number(text) if text else text
        if isinstance(value, str):
            return None
        result = float(value)
    return result if result == result and abs(result) != float("inf") else None


def read_all(
    specs: tuple[ActualsSpec, ...],
    files: list[tuple[Path, int]],
    kpi_ids: Collection[str],
    metric_ids: Collection[str],
    today: date,
    max_bytes: int,
    texts: Mapping[Path, bytes | None] | None = None,
) -> Actuals:
    """Every actuals file (``files``: path and the index of its spec), in project order.

    ``texts`` gives some files' bytes instead of the disk's (git ``HEAD``'s, for impact).
    """
    out = Actuals()
    for path, index in files:
        spec = specs[index]
        if texts is not None and path in texts:
            raw = texts[path]
            if raw is None or len(raw) > max_bytes:  # None: a blob too big to read
                out.unreadable.append(
                    Unreadable(path, f"file is over the {max_bytes:,}-byte limit")
                )
                continue
        else:
            raw = _bytes(path, max_bytes, out)
        if raw is None:
            continue
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            out.unreadable.append(Unreadable(path, "not UTF-8; save it as UTF-8 CSV"))
            continue
        out.files.append(path)
        if spec.format == "open-sdg":
            _read_open_sdg(path, text, today, out)
        else:
            _read_csv(path, text, dict(spec.columns), kpi_ids, metric_ids, today, out)
    return out


def _bytes(path: Path, max_bytes: int, out: Actuals) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        out.unreadable.append(Unreadable(path, f"cannot read: {exc.strerror or exc}"))
        return None
    if len(raw) > max_bytes:
        out.unreadable.append(
            Unreadable(path, f"file is over the {max_bytes:,}-byte limit; not read")
        )
        return None
    return raw


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """Each record and the line it starts on (a quoted cell may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    try:
        for row in reader:
            yield start, row
            start = reader.line_num + 1
    except csv.Error:
        return


def _read_csv(
    path: Path,
    text: str,
    columns: dict[str, str],
    kpi_ids: Collection[str],
    metric_ids: Collection[str],
    today: date,
    out: Actuals,
) -> None:
    rows = _rows(text)
    header = next(rows, None)
    if header is None:
        return
    names = [cell.strip() for cell in header[1]]
    where = {name: i for i, name in reversed(list(enumerate(names)))}
    date_at = where.get(columns.get("date", "date"))
    value_at = where.get(columns.get("value", "value"))
    if "id" in columns:
        id_cols = [("id", where.get(columns["id"]))]
    else:
        id_cols = [
            ("kpi", where.get(columns.get("kpi", "kpi"))),
            ("metric", where.get(columns.get("metric", "metric"))),
        ]
    missing = [
        columns.get(name, name)
        for name, at in (("date", date_at), ("value", value_at))
        if at is None
    ]
    if all(at is None for _, at in id_cols):
        missing.insert(0, " or ".join(columns.get(n, n) for n, _ in id_cols))
    if missing:
        out.invalid.append(
            Invalid(
                path, header[0], f"no column {', '.join(repr(m) for m in missing)} in the header"
            )
        )
        return
    assert date_at is not None and value_at is not None
    seen: set[tuple[str, str, date]] = set()
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        cells = row + [""] * (len(names) - len(row))
        kind, ident = "", ""
        for name, at in id_cols:
            if at is not None and cells[at].strip():
                kind, ident = name, cells[at].strip()
                break
        if kind == "id":
            kind = "kpi" if ident in kpi_ids else "metric"
        raw_date = cells[date_at].strip()
        day = parse_date(raw_date)
        if day is not None and day > today:
            continue
        problem = None
        value = parse_value(cells[value_at])
        if not ident:
            problem = "no id"
        elif (kind == "kpi" and ident not in kpi_ids) or (
            kind == "metric" and ident not in metric_ids
        ):
            problem = f"'{ident}' names no {'KPI or metric' if 'id' in columns else kind}"
        elif day is None:
            problem = f"date '{raw_date}' is not YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY"
        elif value is None:
            problem = f"value '{cells[value_at].strip()}' is not a number"
        elif (kind, ident, day) in seen:
            problem = f"a second value for '{ident}' on {day.isoformat()}"
        if problem is not None:
            out.invalid.append(Invalid(path, line, f"invalid actual: {problem}; row left out"))
            continue
        assert day is not None and value is not None
        seen.add((kind, ident, day))
        target = out.kpis if kind == "kpi" else out.metrics
        target.setdefault(ident, {})[day] = value


# Open SDG: columns that are not disaggregations (ACTUALS.md).
_NOT_DISAGGREGATION = {
    "Year",
    "Value",
    "Progress",
    "Units",
    "Series",
    "GeoCode",
    "Observation status",
    "Unit multiplier",
    "Unit measure",
}


def _read_open_sdg(path: Path, text: str, today: date, out: Actuals) -> None:
    ident = path.stem.removeprefix("indicator_")
    options, status = _settings(path, ident)
    option = first_target_option(options)
    if status is not None:
        out.by_hand[ident] = status
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(rows, None)
        if header is None:
            return
        names = [cell.strip() for cell in header]
        where = {name: i for i, name in reversed(list(enumerate(names)))}
        if "Year" not in where or "Value" not in where:
            return
        _select_rows(ident, rows, names, where, _selection(option, names), today, out)
    except csv.Error:
        return  # the rows read so far stand


def _select_rows(
    ident: str,
    rows: Iterator[list[str]],
    names: list[str],
    where: dict[str, int],
    wanted: list[tuple[int, str]],
    today: date,
    out: Actuals,
) -> None:
    """The selected rows' values by year (cells compared as written, as the Open SDG build
    compares them); one ``itemgetter`` per row keeps this near the ``csv`` module's speed."""
    from operator import itemgetter

    pick = itemgetter(*[i for i, _ in wanted]) if wanted else None
    want: Any = tuple(w for _, w in wanted) if len(wanted) != 1 else wanted[0][1]
    width = len(names)
    year_at, value_at, progress_at = where["Year"], where["Value"], where.get("Progress")
    values: dict[date, float] = {}
    pad = [""] * width
    for row in rows:
        if pick is not None:
            try:
                if pick(row) != want:
                    continue
            except IndexError:  # a short row: its missing cells are empty
                row = (row + pad)[:width]
                if pick(row) != want:
                    continue
        if len(row) < width:
            row = (row + pad)[:width]
        year = row[year_at].strip()[:4]
        if not year.isdigit():
            continue
        day = date(int(year), 12, 31)
        if day > today:
            continue
        raw = row[progress_at].strip() if progress_at is not None else ""
        value = parse_value(raw or row[value_at])
        if value is None:
            continue
        if day in values:
            out.several.add(ident)
        values[day] = value
    if values:
        out.kpis[ident] = values


def _selection(option: dict[str, Any] | None, names: list[str]) -> list[tuple[int, str]]:
    """(column, text) pairs: the option's unit, series and disaggregation; the rest empty."""
    option = option or {}
    chosen: dict[str, str] = {}
    if option.get("unit") is not None:
        chosen["Units"] = str(option["unit"])
    if option.get("series") is not None:
        chosen["Series"] = str(option["series"])
    pairs = option.get("disaggregation") or []
    if isinstance(pairs, dict):
        pairs = [{"field": k, "value": v} for k, v in pairs.items()]
    for pair in pairs if isinstance(pairs, list) else []:
        if isinstance(pair, dict) and pair.get("field") is not None:
            chosen[str(pair["field"])] = str(pair.get("value", ""))
    out: list[tuple[int, str]] = []
    for i, name in enumerate(names):
        if name in chosen:
            out.append((i, chosen[name]))
        elif name not in _NOT_DISAGGREGATION and not name.startswith("COMMENT_"):
            out.append((i, ""))
    return out


def progress_options(data_file: Path, ident: str) -> list[Any]:
    """The indicator's ``progress_calculation_options`` from its config or meta file."""
    return _settings(data_file, ident)[0]


def hand_status(data_file: Path, ident: str) -> str | None:
    """The ``progress_status`` an indicator sets by hand (``auto_progress_calculation:
    false``), as the Open SDG build reports it; None when its progress is computed."""
    return _settings(data_file, ident)[1]


# ACTUALS.md progress statuses, in the order reports list their counts.
STATUSES = (
    "target_achieved",
    "substantial_progress",
    "moderate_progress",
    "limited_progress",
    "deterioration",
    "not_available",
)
_AUTO_OFF = re.compile(r"^auto_progress_calculation[ \t]*:[ \t]*(?:false|False|FALSE)\b", re.M)
_STATUS = re.compile(r"^progress_status[ \t]*:[ \t]*['\"]?([a-z_]+)", re.MULTILINE)


def _settings(data_file: Path, ident: str) -> tuple[list[Any], str | None]:
    """The progress options and a status set by hand, each file read once: the files up to
    the first that holds options (``indicator-config/`` first, as the site merges them)."""
    site = data_file.parent.parent
    auto_off, status = False, None
    for folder, ext in (("indicator-config", ".yml"), ("meta", ".yml"), ("meta", ".md")):
        candidate = site / folder / f"{ident}{ext}"
        if not candidate.is_file() or candidate.is_symlink():
            continue
        try:
            text = candidate.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        if "auto_progress_calculation" in text and _AUTO_OFF.search(text) is not None:
            auto_off = True
        m = _STATUS.search(text) if auto_off and status is None else None
        if m is not None and m.group(1) in STATUSES:
            status = m.group(1)
        found = _options(text)
        if found is not None:
            return found, status if auto_off else None
    return [], status if auto_off else None


_OPTIONS = re.compile(r"^progress_calculation_options[ \t]*:", re.MULTILINE)
_TOP_KEY = re.compile(r"^(?:[^\s#-]|---)", re.MULTILINE)


def _options(text: str) -> list[Any] | None:
    """The key's value, parsing only its lines: a site's config files are long YAML and
    parsing them whole cost five times reading every data file."""
    import yaml

    m = _OPTIONS.search(text)
    if m is None:
        return None
    after = _TOP_KEY.search(text, m.end())
    fragment = text[m.start() : after.start() if after else len(text)]
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(fragment, Loader=loader)
    except yaml.YAMLError:
        return None
    options = data.get("progress_calculation_options") if isinstance(data, dict) else None
    return options if isinstance(options, list) else []


def first_target_option(options: list[Any]) -> dict[str, Any] | None:
    """The first progress entry with a target, entries under ``group`` depth-first."""
    for option in options:
        if not isinstance(option, dict):
            continue
        if isinstance(option.get("group"), list):
            found = first_target_option(option["group"])
            if found is not None:
                return found
        elif option.get("target") is not None:
            return option
    return None
