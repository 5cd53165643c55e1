"""An ``[[actuals]]`` declaration checked and turned into an ``ActualsSpec``.

A declaration written wrongly is a ``ConfigError`` naming its key
(``actuals[1].columns.date``) before any file is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kpilint.errors import ConfigError
from kpilint.suggest import did_you_mean

FORMATS = ("csv", "open-sdg")
COLUMNS = ("id", "kpi", "metric", "date", "value")
_KEYS = ("include", "exclude", "format", "columns")


@dataclass(frozen=True, slots=True)
class ActualsSpec:
    """Where actuals files are (globs from the project root) and how to read them."""

    include: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    format: str = "csv"
    columns: tuple[tuple[str, str], ...] = ()  # kpilint's column -> the file's header
    where_declared: str = "actuals[1]"


def parse_actuals(raw: Any, where: str = "") -> tuple[ActualsSpec, ...]:
    """Every ``[[actuals]]`` entry of a config; ``ConfigError`` naming the key otherwise."""
    if not isinstance(raw, list | tuple):
        raise ConfigError(f"{where}'actuals' must be an array of tables: [[actuals]]")
    return tuple(_parse(entry, f"actuals[{i + 1}]", where) for i, entry in enumerate(raw))


def _parse(entry: Any, key: str, where: str) -> ActualsSpec:
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}'{key}' must be a table")
    for name in entry:
        if name not in _KEYS:
            raise ConfigError(f"{where}'{key}': unknown key '{name}'{did_you_mean(name, _KEYS)}")
    include = _globs(entry.get("include"), f"{key}.include", where, required=True)
    exclude = _globs(entry.get("exclude", []), f"{key}.exclude", where, required=False)
    fmt = entry.get("format", "csv")
    if fmt not in FORMATS:
        hint = did_you_mean(str(fmt), FORMATS) or f"; one of {', '.join(FORMATS)}"
        raise ConfigError(f"{where}'{key}.format' must be a format, not {fmt!r}{hint}")
    columns = entry.get("columns", {})
    if not isinstance(columns, dict):
        raise ConfigError(f"{where}'{key}.columns' must be a table: {{ date = \"month\" }}")
    for name, header in columns.items():
        if name not in COLUMNS:
            hint = did_you_mean(name, COLUMNS) or f"; one of {', '.join(COLUMNS)}"
            raise ConfigError(f"{where}'{key}.columns': unknown column '{name}'{hint}")
        if not isinstance(header, str) or not header:
            raise ConfigError(f"{where}'{key}.columns.{name}' must be a column name (a string)")
    if columns and fmt != "csv":
        raise ConfigError(f"{where}'{key}.columns' is for format \"csv\" only")
    return ActualsSpec(include, exclude, fmt, tuple(columns.items()), key)


def _globs(value: Any, key: str, where: str, *, required: bool) -> tuple[str, ...]:
    if value is None and required:
        raise ConfigError(f"{where}'{key}' is required: the files' globs from the project root")
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(g, str) and g for g in value):
        raise ConfigError(f"{where}'{key}' must be a list of globs")
    if required and not value:
        raise ConfigError(f"{where}'{key}' must name at least one glob")
    return tuple(value)
