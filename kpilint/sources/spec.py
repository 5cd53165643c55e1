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
from kpilint.sources.paths import Template, compile_template, is_path
from kpilint.suggest import did_you_mean

FORMATS = ("yaml", "json", "toml", "front-matter", "csv")
KINDS = ("goal", "metric", "kpi", "incentive")
_FIELD_KEYS = (
    "from",
    "values",
    "default",
    "template",
    "scale",
    "fn",
    "match",
    "unless",
    "otherwise",
)
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
    "merge-by",
    "ignore",
)
_ALSO_KEYS = ("kind", "map", "where", "skip", "scope")
_GOALS_FROM_KEYS = ("from", "id", "name", "parent", "level", "values", "fn", "match", "unless")
_UNSET: Any = object()


@dataclass(frozen=True, slots=True)
class Field:
    """Where one kpilint key's value is in a record, and how it is translated."""

    paths: tuple[str, ...] = ()  # the first present wins; () with a default: a constant
    values: dict[str, Any] | None = None  # normalised text -> translation
    default: Any = None
    template: tuple[Template, ...] = ()  # the first whose placeholders all have values wins
    scale: float | None = None
    fn: str | None = None
    match: re.Pattern[str] | None = None  # searched; groups are {1}..{9}
    unless: re.Pattern[str] | None = None  # a whole match makes the value absent
    otherwise: Any = _UNSET  # beside `values`: what every other value becomes ("" absent)


@dataclass(frozen=True, slots=True)
class GoalsFrom:
    """One goal per distinct value of a path (``goals-from``)."""

    field: Field
    id: Template
    name: Template
    parent: Template | None = None
    level: Template | None = None


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
    merge_by: Template | None = None  # records of several files with one key are one record
    ignore: tuple[tuple[str, str], ...] = ()  # (selector, reason): rules the format cannot meet

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
        if isinstance(entry.get("ignore"), dict) and isinstance(base.get("ignore"), dict):
            entry["ignore"] = {**base["ignore"], **entry["ignore"]}  # the user's reason wins
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
        isinstance(p, str) and (p == "" or is_path(p)) for p in record_paths
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
    merge_by = entry.get("merge-by")
    if merge_by is not None:
        if not isinstance(merge_by, str) or not merge_by.strip():
            raise err(f"{key}.merge-by", 'must be a template such as "{$file}"')
        merge_by = _template(merge_by, f"{key}.merge-by", err, groups=None, has_value=False)
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
        merge_by=merge_by,
        ignore=_ignore(entry.get("ignore"), f"{key}.ignore", err),
    )


def _ignore(raw: Any, key: str, err: _Err) -> tuple[tuple[str, str], ...]:
    """``ignore = { KPI104 = "reason" }``: a reason is required, as for a suppression."""
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise err(key, 'must be a table: rule = "reason", such as { KPI104 = "no owner field" }')
    from kpilint.registry import rule_names
    from kpilint.suppressions import Targets

    targets = Targets(rule_names())
    out = []
    for selector, reason in raw.items():
        if not targets(selector):
            raise err(f"{key}.{selector}", "selects no rule; name a rule code, prefix or name")
        if not isinstance(reason, str) or not reason.strip():
            raise err(
                f"{key}.{selector}",
                "needs a reason: why the catalogue's format has no place for what it asks",
            )
        out.append((selector, reason.strip()))
    return tuple(out)


def _template(text: str, key: str, err: _Err, *, groups: int | None, has_value: bool) -> Template:
    try:
        return compile_template(text, groups=groups, has_value=has_value)
    except ValueError as exc:
        raise err(key, str(exc)) from None


def _regex(value: Any, key: str, err: _Err) -> re.Pattern[str] | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise err(key, 'must be a regular expression (Python syntax) such as "^(\\d+)"')
    try:
        return re.compile(value)
    except re.error as exc:
        raise err(key, f"{quote(value)} is not a regular expression: {exc}") from None


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
    if not isinstance(value, str) or not value or not is_path(value):
        raise err(
            key,
            f'{quote(value)} is not a dotted path such as "goal.value", "items[0].id", '
            'labels."pyrra.dev/service" or a pseudo-path ($file, $key, $path, $dir, $doc.PATH)',
        )
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
    if "otherwise" in value and values is None:
        raise err(f"{key}.otherwise", "goes beside `values`: what every value not in it becomes")
    match = _regex(value.get("match"), f"{key}.match", err)
    unless = _regex(value.get("unless"), f"{key}.unless", err)
    raw_template = value.get("template")
    templates: list[Any] = (
        []
        if raw_template is None
        else [raw_template]
        if isinstance(raw_template, str)
        else raw_template
    )
    if raw_template is not None and (
        not isinstance(templates, list)
        or not templates
        or not all(isinstance(t, str) for t in templates)
    ):
        raise err(f"{key}.template", 'must be a string such as "team:{slug}" (or a list of them)')
    groups = match.groups if match is not None else None
    reads = bool(checked) or value.get("fn") is not None
    compiled = tuple(
        _template(
            t,
            f"{key}.template" if len(templates) == 1 else f"{key}.template[{n}]",
            err,
            groups=groups,
            has_value=reads,
        )
        for n, t in enumerate(templates)
    )
    scale = value.get("scale")
    if scale is not None and (isinstance(scale, bool) or not isinstance(scale, (int, float))):
        raise err(f"{key}.scale", "must be a number (100 turns a 0-1 ratio into %)")
    fn = value.get("fn")
    if fn is not None:
        from kpilint.sources.fns import FNS

        if fn not in FNS:
            raise err(f"{key}.fn", f"unknown function '{fn}'; one of {', '.join(sorted(FNS))}")
    if not checked and "default" not in value and fn is None and not compiled:
        raise err(key, "needs `from` (a dotted path), a `template` or a `default`")
    return (
        Field(
            paths=checked,
            values={normal(k): v for k, v in values.items()} if values is not None else None,
            default=value.get("default"),
            template=compiled,
            scale=float(scale) if scale is not None else None,
            fn=fn,
            match=match,
            unless=unless,
            otherwise=value.get("otherwise", _UNSET),
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
        {k: v for k, v in value.items() if k in ("from", "values", "fn", "match", "unless")},
        key,
        err,
    )
    groups = fields[0].match.groups if fields[0].match is not None else None
    out: dict[str, Template | None] = {}
    for part, default in (("id", "{slug}"), ("name", "{}"), ("parent", None), ("level", None)):
        text = value.get(part, default)
        if text is None:
            out[part] = None
            continue
        if not isinstance(text, str):
            raise err(f"{key}.{part}", 'must be a template string such as "sdg-{}"')
        out[part] = _template(text, f"{key}.{part}", err, groups=groups, has_value=True)
    assert out["id"] is not None and out["name"] is not None
    return GoalsFrom(fields[0], out["id"], out["name"], out["parent"], out["level"])
