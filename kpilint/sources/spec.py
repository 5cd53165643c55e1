"""A source declaration (``[[sources]]``) checked and turned into a ``SourceSpec``.

The mapping language is data (SOURCES.md); this module only validates it, so a
source declared wrongly is a ``ConfigError`` that names the config key
(``sources[2].map.owner.values``) before any file is read.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from typing import Any

from kpilint.config import ConfigError
from kpilint.quoting import quote
from kpilint.suggest import did_you_mean

FORMATS = ("yaml", "json", "toml", "front-matter", "csv")
KINDS = ("goal", "metric", "kpi", "incentive")
_FIELD_KEYS = ("from", "values", "default", "template", "scale", "fn")
_SOURCE_KEYS = (
    "preset",
    "include",
    "exclude",
    "format",
    "records",
    "where",
    "skip",
    "kind",
    "scope",
    "map",
    "also",
    "goals-from",
)
_ALSO_KEYS = ("kind", "map", "where", "skip", "scope")
_GOALS_FROM_KEYS = ("from", "id", "name", "values", "fn")
_PATH = re.compile(
    r"^(\$file|\$key|(\$doc\.)?[^.\[\]]+(\[(\d+|\?[^\]]+)\])*(\.[^.\[\]]+(\[(\d+|\?[^\]]+)\])*)*)$"
)


@dataclass(frozen=True, slots=True)
class Field:
    """Where one kpilint key's value is in a record, and how it is translated."""

    paths: tuple[str, ...] = ()  # the first present wins; () with a default: a constant
    values: dict[str, Any] | None = None  # normalised text -> translation
    default: Any = None
    template: str | None = None
    scale: float | None = None
    fn: str | None = None


@dataclass(frozen=True, slots=True)
class GoalsFrom:
    """One goal per distinct value of a path (``goals-from``)."""

    field: Field
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Also:
    """A second entity from the same record (a KPI and its metric)."""

    kind: tuple[Field, ...]
    map: dict[str, tuple[Field, ...]]
    where: tuple[tuple[str, tuple[str, ...]], ...] = ()
    skip: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """One ``[[sources]]`` entry, preset merged and checked."""

    where_declared: str  # "sources[1]" or "preset 'open-sdg'", for messages
    include: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    format: str | None = None  # None: by file extension
    records: tuple[str, ...] = ("",)
    entity: Also = field(default_factory=lambda: Also((Field(default="kpi"),), {}))
    also: tuple[Also, ...] = ()
    goals_from: GoalsFrom | None = None
    preset: str | None = None

    def format_of(self, name: str) -> str:
        """The declared format, else the one the file's extension names."""
        if self.format:
            return self.format
        lower = name.lower()
        if lower.endswith((".md", ".markdown")):
            return "front-matter"
        for fmt, ext in (("json", ".json"), ("toml", ".toml"), ("csv", ".csv"), ("csv", ".tsv")):
            if lower.endswith(ext):
                return fmt
        return "yaml"


def parse_sources(raw: Any, where: str = "") -> tuple[SourceSpec, ...]:
    """Every ``[[sources]]`` entry of a config; ``ConfigError`` naming the key otherwise."""
    if not isinstance(raw, list):
        raise ConfigError(f"{where}'sources' must be an array of tables: [[sources]]")
    return tuple(parse_source(entry, f"sources[{i + 1}]", where) for i, entry in enumerate(raw))


def parse_source(entry: Any, key: str, where: str = "") -> SourceSpec:
    """One declaration; ``key`` names it in messages (``sources[2]``)."""
    err = _Err(where)
    if not isinstance(entry, dict):
        raise err(key, "must be a table")
    entry = _kebab(entry)
    _known(entry, _SOURCE_KEYS, key, err)
    preset_name = entry.get("preset")
    if preset_name is not None:
        from kpilint.sources.presets import preset_names, preset_table

        if not isinstance(preset_name, str) or preset_name not in preset_names():
            hint = did_you_mean(str(preset_name), list(preset_names()))
            raise err(
                f"{key}.preset",
                f"unknown preset '{preset_name}'{hint or ''}; "
                f"`kpilint sources` lists them: {', '.join(preset_names())}",
            )
        base = _kebab(preset_table(preset_name))
        entry = {**base, **{k: v for k, v in entry.items() if k != "preset"}}
        if "map" in entry and "map" in base and entry["map"] is not base["map"]:
            entry["map"] = {**base["map"], **entry["map"]}
    include = _globs(entry.get("include"), f"{key}.include", err, required=True)
    exclude = _globs(entry.get("exclude", []), f"{key}.exclude", err, required=False)
    fmt = entry.get("format")
    if fmt is not None and fmt not in FORMATS:
        raise err(
            f"{key}.format",
            f"'{fmt}' is not a format{did_you_mean(str(fmt), list(FORMATS))}; "
            f"use one of {', '.join(FORMATS)}",
        )
    if "records" not in entry and fmt != "csv":
        raise err(
            f"{key}.records",
            'is missing: a dotted path to the list of records, or "" when a file is one record',
        )
    records = entry.get("records", "")
    record_paths = (records,) if isinstance(records, str) else records
    if not isinstance(record_paths, (list, tuple)) or not all(
        isinstance(p, str) and (p == "" or _PATH.match(p)) for p in record_paths
    ):
        raise err(f"{key}.records", f"{quote(records)} is not a dotted path (or a list of them)")
    if "kind" not in entry:
        raise err(f"{key}.kind", 'is missing: "kpi", "metric", "goal", or a table with `from`')
    entity = _also(
        {k: entry[k] for k in ("kind", "map", "where", "skip", "scope") if k in entry}, key, err
    )
    also_raw = entry.get("also", [])
    also_list = [also_raw] if isinstance(also_raw, dict) else also_raw
    if not isinstance(also_list, list):
        raise err(f"{key}.also", "must be a table (or an array of tables) with `kind` and `map`")
    also = tuple(_also(a, f"{key}.also", err, require_map=True) for a in also_list)
    goals = entry.get("goals-from")
    return SourceSpec(
        where_declared=key,
        include=include,
        exclude=exclude,
        format=fmt,
        records=tuple(record_paths),
        entity=entity,
        also=also,
        goals_from=_goals_from(goals, f"{key}.goals-from", err) if goals is not None else None,
        preset=preset_name,
    )


class _Err:
    def __init__(self, where: str) -> None:
        self.where = where

    def __call__(self, key: str, message: str) -> ConfigError:
        return ConfigError(f"{self.where}{key}: {message}")


def _kebab(table: dict[str, Any]) -> dict[str, Any]:
    return {k.replace("_", "-") if k in ("goals_from",) else k: v for k, v in table.items()}


def _known(table: dict[str, Any], known: tuple[str, ...], key: str, err: _Err) -> None:
    for name in table:
        if name not in known:
            raise err(f"{key}.{name}", f"unknown key{did_you_mean(name, list(known))}")


def _globs(value: Any, key: str, err: _Err, *, required: bool) -> tuple[str, ...]:
    if value is None:
        if required:
            raise err(key, 'is missing: globs from the project root, such as ["meta/*.md"]')
        return ()
    globs = [value] if isinstance(value, str) else value
    if not isinstance(globs, list) or not all(isinstance(g, str) for g in globs):
        raise err(key, 'must be a list of globs, such as ["meta/*.md"]')
    if required and not globs:
        raise err(key, 'is empty: name the files, such as ["meta/*.md"]')
    for glob in globs:
        bad = _bad_glob(glob)
        if bad:
            raise err(key, f"'{glob}' {bad}")
    return tuple(globs)


def _bad_glob(glob: str) -> str:
    if not glob.strip():
        return "is empty"
    if glob.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", glob):
        return "is absolute; write it relative to the project root"
    if ".." in glob.replace("\\", "/").split("/"):
        return "leaves the project root ('..')"
    try:
        re.compile(fnmatch.translate(glob))
    except re.error:
        return "is not a valid glob"
    if glob.count("[") != glob.count("]"):
        return "has an unclosed '['"
    return ""


def _path(value: Any, key: str, err: _Err) -> str:
    if not isinstance(value, str) or not value or not _PATH.match(value):
        raise err(key, f'{quote(value)} is not a dotted path such as "goal.value" or "items[0].id"')
    return value


def parse_field(value: Any, key: str, err: _Err) -> tuple[Field, ...]:
    """A map entry: a path, a table, or an array of tables (the first giving a value wins)."""
    if isinstance(value, str):
        return (Field(paths=(_path(value, key, err),)),)
    if isinstance(value, list) and value and all(isinstance(v, (dict, str)) for v in value):
        return tuple(f for n, v in enumerate(value) for f in parse_field(v, f"{key}[{n}]", err))
    if not isinstance(value, dict):
        raise err(key, "must be a dotted path, or a table with `from` (and `values`, `default`...)")
    _known(value, _FIELD_KEYS, key, err)
    raw_from = value.get("from", [])
    paths = [raw_from] if isinstance(raw_from, str) else raw_from
    if not isinstance(paths, list):
        raise err(f"{key}.from", "must be a dotted path or a list of them")
    checked = tuple(_path(p, f"{key}.from", err) for p in paths)
    values = value.get("values")
    if values is not None and not isinstance(values, dict):
        raise err(f"{key}.values", "must be a table: source value = kpilint value")
    template = value.get("template")
    if template is not None and not isinstance(template, str):
        raise err(f"{key}.template", 'must be a string such as "team:{slug}"')
    scale = value.get("scale")
    if scale is not None and (isinstance(scale, bool) or not isinstance(scale, (int, float))):
        raise err(f"{key}.scale", "must be a number (100 turns a 0-1 ratio into %)")
    fn = value.get("fn")
    if fn is not None:
        from kpilint.sources.fns import FNS

        if fn not in FNS:
            raise err(f"{key}.fn", f"unknown function '{fn}'; one of {', '.join(sorted(FNS))}")
    if not checked and "default" not in value and fn is None:
        raise err(key, "needs `from` (a dotted path) or a `default`")
    return (
        Field(
            paths=checked,
            values={normal(k): v for k, v in values.items()} if values is not None else None,
            default=value.get("default"),
            template=template,
            scale=float(scale) if scale is not None else None,
            fn=fn,
        ),
    )


def normal(text: Any) -> str:
    """``values`` match case- and blank-insensitively on a value's text (``true``, ``7``)."""
    if isinstance(text, bool):
        text = "true" if text else "false"
    return " ".join(str(text).split()).lower()


def _also(table: Any, key: str, err: _Err, *, require_map: bool = False) -> Also:
    if not isinstance(table, dict):
        raise err(key, "must be a table with `kind` and `map`")
    _known(table, _ALSO_KEYS, key, err)
    if "kind" not in table:
        raise err(f"{key}.kind", 'is missing: "kpi", "metric", "goal" or a table with `from`')
    kind_raw = table["kind"]
    if isinstance(kind_raw, str):
        if kind_raw not in KINDS:
            raise err(f"{key}.kind", f"'{kind_raw}' is not one of {', '.join(KINDS)}")
        kind: tuple[Field, ...] = (Field(default=kind_raw),)
    else:
        kind = parse_field(kind_raw, f"{key}.kind", err)
        for f in kind:
            for out in [f.default, *(f.values or {}).values()]:
                if out is not None and out not in KINDS:
                    raise err(f"{key}.kind", f"'{out}' is not one of {', '.join(KINDS)}")
    raw_map = table.get("map", {})
    if not isinstance(raw_map, dict) or (require_map and not raw_map):
        raise err(f"{key}.map", "must be a table: kpilint key = where its value is")
    mapping: dict[str, tuple[Field, ...]] = {}
    for target, value in raw_map.items():
        _target_key(target, f"{key}.map", err)
        mapping[target] = parse_field(value, f"{key}.map.{_quote(target)}", err)
    if "scope" in table:
        mapping["scope"] = parse_field(table["scope"], f"{key}.scope", err)
    return Also(
        kind, mapping, _conditions(table, "where", key, err), _conditions(table, "skip", key, err)
    )


def _quote(name: str) -> str:
    return f'"{name}"' if "." in name else name


def _target_key(name: str, key: str, err: _Err) -> None:
    from kpilint.model import SECTIONS, known_keys

    top, _, rest = name.partition(".")
    allowed = sorted({k for model in SECTIONS.values() for k in known_keys(model)})
    if top not in allowed:
        raise err(
            f"{key}.{_quote(name)}", f"'{top}' is not a kpilint key{did_you_mean(top, allowed)}"
        )
    if rest and top not in ("target", "timeline", "period"):
        raise err(f"{key}.{_quote(name)}", f"'{top}' has no keys inside it")


def _conditions(
    table: dict[str, Any], name: str, key: str, err: _Err
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    raw = table.get(name)
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise err(f"{key}.{name}", "must be a table: path = value (or a list of values)")
    out = []
    for path, wanted in raw.items():
        _path(path, f"{key}.{name}", err)
        options = wanted if isinstance(wanted, list) else [wanted]
        out.append((path, tuple(normal(w) for w in options)))
    return tuple(out)


def _goals_from(value: Any, key: str, err: _Err) -> GoalsFrom:
    if not isinstance(value, dict):
        raise err(key, 'must be a table: { from = "sdg_goal", id = "sdg-{}", name = "SDG {}" }')
    _known(value, _GOALS_FROM_KEYS, key, err)
    if "from" not in value:
        raise err(f"{key}.from", "is missing: the path whose distinct values become goals")
    fields = parse_field(
        {k: v for k, v in value.items() if k in ("from", "values", "fn")}, key, err
    )
    ident, name = value.get("id", "{slug}"), value.get("name", "{}")
    for part, text in (("id", ident), ("name", name)):
        if not isinstance(text, str):
            raise err(f"{key}.{part}", 'must be a template string such as "sdg-{}"')
    return GoalsFrom(fields[0], ident, name)
