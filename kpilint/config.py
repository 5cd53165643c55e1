"""Configuration: ``kpilint.toml``, ``.kpilint.toml`` or ``[tool.kpilint]``.

One file per project, no silent merging; command-line options win over it.
Unknown keys, unknown rule selectors and bad option values are ``ConfigError``
(exit 2) with a "did you mean".
"""

from __future__ import annotations

import difflib
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    TypeAdapter,
    ValidationError,
    field_validator,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FailOn = Literal["error", "warning", "info", "never"]
DEFAULT_INCLUDE = ("*.kpi.yaml", "*.kpi.yml")


class ConfigError(Exception):
    """The configuration cannot be used; the message says what and where."""


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data: dict[str, Any] = tomllib.load(handle)
            return data
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not UTF-8; save it as UTF-8 TOML") from None
    except OSError as exc:
        raise ValueError(f"{path}: cannot read: {exc.strerror}") from None


class Config(BaseModel):
    """Settings for one lint run. Field names are the TOML keys in snake_case."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)
    _resolved: Resolved | None = PrivateAttr(default=None)  # resolve()'s answer, kept

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = Field(default=(), alias="extend-select")
    extend_ignore: tuple[str, ...] = Field(default=(), alias="extend-ignore")
    per_file_ignores: dict[str, tuple[str, ...]] = Field(
        default_factory=dict, alias="per-file-ignores"
    )
    fail_on: FailOn = Field(default="error", alias="fail-on")
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    today: date | None = None
    owners: str | None = None  # path from the project root (FORMAT.md "Owners")
    severity: dict[str, Literal["error", "warning", "info"]] = Field(default_factory=dict)
    rules: dict[str, dict[str, Any]] = Field(default_factory=dict)
    max_file_size: int = Field(default=10 * 1024 * 1024, alias="max-file-size", gt=0)
    sources: tuple[dict[str, Any], ...] = ()  # [[sources]] (SOURCES.md), checked by source_specs
    source: Path | None = Field(default=None, exclude=True)

    @field_validator("today", mode="before")
    @classmethod
    def _iso_today(cls, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"'{value}' is not an ISO date like 2027-06-01") from None
        return value

    @classmethod
    def from_mapping(cls, data: dict[str, Any], source: Path | None = None) -> Config:
        where = f"{source}: " if source else ""
        known = sorted(
            {f.alias or name for name, f in cls.model_fields.items() if name != "source"}
        )
        for key in data:
            if key not in known:
                raise ConfigError(f"{where}unknown key '{key}'{_did_you_mean(key, known)}")
        try:
            config = cls.model_validate({**data, "source": source})
        except ValidationError as exc:
            error = exc.errors(include_url=False)[0]
            field = next(
                (f for name, f in cls.model_fields.items() if error["loc"][0] in (name, f.alias)),
                None,
            )
            loc = ".".join(str(p) for p in error["loc"])
            kind = _inner(field.annotation if field else None, error["loc"][1:])
            raise ConfigError(f"{where}'{loc}'{_plain(error, kind)}") from None
        config.resolve()  # validate selectors, severities and rule options now
        if "sources" in data:
            config.source_specs()  # a source declared wrongly is an error before any file is read
        return config

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Config:
        path = Path(path)
        try:
            data = read_toml(path)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        if path.name == "pyproject.toml":
            tool = data.get("tool", {})
            data = tool.get("kpilint", {}) if isinstance(tool, dict) else {}
            if not isinstance(data, dict):
                raise ConfigError(f"{path}: [tool.kpilint] must be a table")
        return cls.from_mapping(data, path)

    def with_overrides(self, **overrides: Any) -> Config:
        """Command-line options over the file: ``select`` replaces, the rest add.

        A bad selector is blamed on its option (``--extend-select``), not on the file.
        """
        update: dict[str, Any] = {}
        for key, value in overrides.items():
            if value is None or value == ():
                continue
            if key in _SELECTOR_KEYS:
                for selector in value:
                    _expand(selector, "", "--" + key.replace("_", "-"))
            if key in ("ignore", "extend_select", "exclude"):
                update[key] = (*getattr(self, key), *value)
            else:
                update[key] = value
        merged = self.model_copy(update=update)
        merged._resolved = None  # model_copy keeps private attributes: resolve the copy anew
        merged.resolve()
        return merged

    def source_specs(self) -> tuple[Any, ...]:
        """The ``[[sources]]`` declarations, checked (``kpilint.sources.spec.SourceSpec``)."""
        if not self.sources:
            return ()
        from kpilint.sources.spec import parse_sources

        return parse_sources(list(self.sources), f"{self.source}: " if self.source else "")

    def resolve(self) -> Resolved:
        """Which rules run, at what severity, with what options (once per config: it is frozen)."""
        if self._resolved is None:
            self._resolved = _resolve(self)
        return self._resolved


class Resolved(BaseModel):
    model_config = ConfigDict(frozen=True)

    severities: dict[str, str]  # enabled rule code -> severity
    options: dict[str, dict[str, Any]]  # code -> option values (defaults filled)
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = ()


def _resolve(config: Config) -> Resolved:
    from kpilint.registry import registry

    rules = registry()
    where = f"{config.source}: " if config.source else ""
    enabled: dict[str, str] = {}
    for code, rule in rules.items():
        if _selected(config, code, rule.name, where):
            enabled[code] = rule.meta.severity
    for selector, level in config.severity.items():
        codes = _expand(selector, where, "severity")
        for code in codes:
            if code in enabled:
                enabled[code] = level
    options: dict[str, dict[str, Any]] = {}
    for code, rule in rules.items():
        if rule.options:
            options[code] = {n: default for n, (_, default) in rule.options.items()}
    for selector, values in config.rules.items():
        target = _lookup(selector)
        if target is None:
            raise ConfigError(
                f"{where}[rules.{selector}]: no such rule{_did_you_mean(selector, _all_keys())}"
            )
        rule = rules[target]
        declared = rule.options
        if not isinstance(values, dict):
            raise ConfigError(f"{where}[rules.{selector}] must be a table of options")
        for raw_name, value in values.items():
            name = raw_name.replace("-", "_")
            if name not in declared:
                names = [n.replace("_", "-") for n in declared]
                hint = _did_you_mean(raw_name, names) or (
                    f"; options: {', '.join(names)}" if names else "; it takes no options"
                )
                raise ConfigError(f"{where}[rules.{selector}]: unknown option '{raw_name}'{hint}")
            kind = declared[name][0]
            try:
                value = TypeAdapter(kind).validate_python(value, strict=True)
            except ValidationError as exc:
                error = exc.errors(include_url=False)[0]
                plain = _plain(error, kind, value)
                raise ConfigError(f"{where}[rules.{selector}] {raw_name}{plain}") from None
            options.setdefault(target, {})[name] = value
    pfi = tuple(
        (pattern, frozenset(c for s in selectors for c in _expand(s, where, "per-file-ignores")))
        for pattern, selectors in config.per_file_ignores.items()
    )
    return Resolved(severities=enabled, options=options, per_file_ignores=pfi)


def _selected(config: Config, code: str, name: str, where: str) -> bool:
    """Ruff's rule: the most specific matching selector wins; ignore wins ties."""
    best: tuple[int, bool] = (0, True)  # (specificity, enabled): all rules on by default
    lists: tuple[tuple[str, tuple[str, ...], bool], ...] = (
        ("select", config.select if config.select is not None else ("ALL",), True),
        ("extend-select", config.extend_select, True),
        ("ignore", config.ignore, False),
        ("extend-ignore", config.extend_ignore, False),
    )
    if config.select is not None:
        best = (0, False)
    for key, selectors, on in lists:
        for selector in selectors:
            _expand(selector, where, key)  # validates
            weight = _specificity(selector, code, name)
            if weight and (weight > best[0] or (weight == best[0] and not on)):
                best = (weight, on)
    return best[1]


def _specificity(selector: str, code: str, name: str) -> int:
    sel = selector.strip()
    if sel.upper() == "ALL":
        return 1
    if sel.lower() == name or sel.upper() == code:
        return 100
    if code.startswith(sel.upper()) and sel.upper().startswith("KPI"):
        return 1 + len(sel)
    return 0


def _expand(selector: str, where: str, key: str) -> list[str]:
    from kpilint.registry import registry

    rules = registry()
    sel = selector.strip()
    if sel.upper() == "ALL":
        return list(rules)
    hits = [c for c, r in rules.items() if _specificity(sel, c, r.name) > 1]
    if not hits:
        raise ConfigError(
            f"{where}{key}: '{selector}' is not a rule code, name or code prefix"
            f"{_did_you_mean(selector, _all_keys())}"
        )
    return hits


_SELECTOR_KEYS = ("select", "ignore", "extend_select", "extend_ignore")


def _plain(error: Any, kind: Any, value: Any = None) -> str:
    """A validation error in the words of the TOML file, not pydantic's.

    ``kind`` is the type expected where the error is; ``value`` the value written
    there (default: what pydantic saw, which for a union is inside one branch).
    """
    ctx = error.get("ctx") or {}
    shown = _shown(error["input"] if value is None else value)
    if error["type"] == "value_error" and "error" in ctx:
        return f": {ctx['error']}"  # our own validators' messages
    for bound, words in (("gt", "greater than"), ("ge", "at least"), ("lt", "less than")):
        if bound in ctx:
            limit = ctx[bound]
            limit = f"{limit:g}" if isinstance(limit, float) else limit
            return f" must be {words} {limit}, not {shown}"
    return f" must be {describe_type(kind)}, not {shown}"


def _shown(value: Any) -> str:
    """A value as TOML writes it, cut short."""
    import json

    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str | int | float):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, dict):
        text = "a table"
    elif isinstance(value, list | tuple):
        text = "a list"
    else:
        text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _inner(kind: Any, loc: tuple[Any, ...]) -> Any:
    """The type at ``loc`` inside ``kind`` (a dict's values, a list's items)."""
    import types
    import typing

    for _ in loc:
        args = [a for a in typing.get_args(kind) if a is not type(None)]
        origin = typing.get_origin(kind)
        if origin in (typing.Union, types.UnionType) and len(args) == 1:
            kind, args = args[0], list(typing.get_args(args[0]))
            origin = typing.get_origin(kind)
        if origin is dict and len(args) == 2:
            kind = args[1]
        elif origin in (list, tuple) and args:
            kind = args[0]
        else:
            return kind
    return kind


def describe_type(kind: Any, plural: bool = False) -> str:
    """``tuple[str, ...]`` -> "a list of strings": what a TOML author must write."""
    import types
    import typing

    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is typing.Annotated:  # a bound (``Ge(1)``) is said by the error itself
        return describe_type(args[0], plural)
    if origin in (typing.Union, types.UnionType):
        parts = [describe_type(a, plural) for a in args if a is not type(None)]
        return " or ".join(dict.fromkeys(parts))
    if origin is typing.Literal:
        return "one of " + ", ".join(f'"{a}"' for a in args)
    if origin in (list, tuple):
        items = [a for a in args if a is not Ellipsis]
        inner = describe_type(items[0], plural=True) if items else "values"
        return ("lists" if plural else "a list") + f" of {inner}"
    if origin is dict:
        inner = describe_type(args[1], plural=True) if len(args) == 2 else "values"
        return ("tables" if plural else "a table") + f" of {inner}"
    names = {
        bool: ("true or false", "true or false"),
        int: ("a whole number", "whole numbers"),
        float: ("a number", "numbers"),
        str: ("a string", "strings"),
        date: ("a date like 2027-06-01", "dates like 2027-06-01"),
        Path: ("a path", "paths"),
    }
    if kind in names:
        return names[kind][1 if plural else 0]
    return "values" if plural else "a value"


def _lookup(selector: str) -> str | None:
    from kpilint.registry import by_name_or_code

    rule = by_name_or_code(selector)
    return rule.code if rule else None


def _all_keys() -> list[str]:
    from kpilint.registry import registry

    rules = registry()
    return [*rules, *(r.name for r in rules.values())]


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def discover_config(root_config: Path | None) -> Config:
    return Config.from_file(root_config) if root_config else Config()
