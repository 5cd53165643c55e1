"""Configuration: ``kpilint.toml``, ``.kpilint.toml`` or ``[tool.kpilint]``.

One file per project, no silent merging; command-line options win over it.
Unknown keys, unknown rule selectors and bad option values are ``ConfigError``
(exit 2) with a "did you mean".
"""

from __future__ import annotations

import os
import re
import sys
import typing
from dataclasses import MISSING, dataclass, field, fields
from datetime import date
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple

from kpilint.errors import (
    ConfigError as ConfigError,  # re-exported: callers catch config.ConfigError
)
from kpilint.suggest import did_you_mean
from kpilint.typecheck import Gt, Invalid, check

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FailOn = Literal["error", "warning", "info", "never"]
DEFAULT_INCLUDE = ("*.kpi.yaml", "*.kpi.yml")


def read_toml(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"{path}: cannot read: {exc.strerror}") from None
    return parse_toml(raw, str(path))


def parse_toml(raw: bytes, where: str) -> dict[str, Any]:
    """TOML from a file or a git object (``where`` names it); ``ValueError`` says what is wrong."""
    try:
        text = raw.decode("utf-8")
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{where}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ValueError(f"{where}: not UTF-8; save it as UTF-8 TOML") from None
    except ValueError:  # an int past Python's int-digit limit; TOML promises 64 bits
        raise _long_int(text, where) or ValueError(f"{where}: {_LONG_INT}") from None
    except RecursionError:
        raise ValueError(f"{where}: the TOML nests too deeply to read") from None
    if _LONG_DIGITS.search(text):  # a 0x int of 4,000 digits reads, but never prints
        problem = _long_int(text, where)
        if problem is not None:
            raise problem
    return data


_LONG_DIGITS = re.compile(r"[0-9A-Fa-f_]{3000,}")
_LONG_INT = "not valid TOML: an integer too long to read"


def _long_int(text: str, where: str) -> ValueError | None:
    """The error at the first integer Python cannot convert or print, if there is one."""
    from kpilint.sources.tomlpos import unreadable_int

    at = unreadable_int(text)
    if at is None:
        return None
    line, column = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
    return ValueError(f"{where}:{line}:{column}: {_LONG_INT}")


@dataclass(frozen=True, init=False)
class Config:
    """Settings for one lint run. Field names are the TOML keys in snake_case.

    A frozen dataclass checked by ``kpilint.typecheck``, not a pydantic model:
    a cold ``check`` never imports pydantic. ``Config(**settings)`` takes field
    names, ``from_mapping`` TOML keys; both check and coerce (a list to a
    tuple, an ISO string to a date, a string to a ``Path``).
    """

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    extend_ignore: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    fail_on: FailOn = "error"
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    today: date | None = None
    owners: str | None = None  # path from the project root (FORMAT.md "Owners")
    severity: dict[str, Literal["error", "warning", "info"]] = field(default_factory=dict)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    max_file_size: Annotated[int, Gt(0)] = 10 * 1024 * 1024
    sources: tuple[dict[str, Any], ...] = ()  # [[sources]] (SOURCES.md), checked by source_specs
    actuals: tuple[dict[str, Any], ...] = ()  # [[actuals]] (ACTUALS.md), checked by actuals_specs
    source: Path | None = None  # the file read; not a setting, not in fingerprint()
    # The fields given (a file's keys): --show-settings tells them from defaults.
    fields_set: frozenset[str] = field(default=frozenset(), init=False, compare=False, repr=False)
    _resolved: Resolved | None = field(default=None, init=False, compare=False, repr=False)

    def __init__(self, **settings: Any) -> None:
        """Check and coerce ``settings``; a bad one is a ``ConfigError`` naming its TOML key."""
        kinds = _kinds()
        unknown = [name for name in settings if name not in kinds]
        if unknown:
            raise TypeError(f"Config() got an unexpected keyword argument '{unknown[0]}'")
        source = settings.get("source")
        where = f"{source}: " if source else ""
        for spec in fields(self):
            if spec.name in settings:
                try:
                    value = check(kinds[spec.name], settings[spec.name], (_key(spec.name),))
                except Invalid as exc:
                    loc = ".".join(str(part) for part in exc.loc)
                    raise ConfigError(f"{where}'{loc}'{exc.plain()}") from None
            elif spec.default_factory is not MISSING:
                value = spec.default_factory()
            else:
                value = spec.default
            object.__setattr__(self, spec.name, value)
        object.__setattr__(self, "fields_set", frozenset(settings))

    @classmethod
    def toml_keys(cls) -> dict[str, str]:
        """Each setting's field name and its key in a config file (``fail_on``: ``fail-on``)."""
        return {name: _key(name) for name in _kinds() if name != "source"}

    @classmethod
    def from_mapping(cls, data: dict[str, Any], source: Path | None = None) -> Config:
        where = f"{source}: " if source else ""
        known = sorted(cls.toml_keys().values())
        for key in data:
            if key not in known:
                raise ConfigError(f"{where}unknown key '{key}'{did_you_mean(key, known)}")
        config = cls(**{key.replace("-", "_"): value for key, value in data.items()}, source=source)
        config.resolve()  # validate selectors, severities and rule options now
        if "sources" in data:
            config.source_specs()  # a source declared wrongly is an error before any file is read
        if "actuals" in data:
            config.actuals_specs()
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
        given = {name: getattr(self, name) for name in self.fields_set}
        merged = Config(**{**given, **update})
        merged.resolve()
        return merged

    def fingerprint(self) -> str:
        """The settings as JSON for cache keys: equal settings, equal text (``source`` left out)."""
        import json

        return json.dumps({name: getattr(self, name) for name in self.toml_keys()}, default=str)

    def source_specs(self) -> tuple[Any, ...]:
        """The ``[[sources]]`` declarations, checked (``kpilint.sources.spec.SourceSpec``)."""
        if not self.sources:
            return ()
        from kpilint.sources.spec import parse_sources

        return parse_sources(list(self.sources), f"{self.source}: " if self.source else "")

    def actuals_specs(self) -> tuple[Any, ...]:
        """The ``[[actuals]]`` declarations, checked (``kpilint.actuals.spec.ActualsSpec``)."""
        if not self.actuals:
            return ()
        from kpilint.actuals.spec import parse_actuals

        return parse_actuals(list(self.actuals), f"{self.source}: " if self.source else "")

    def resolve(self) -> Resolved:
        """Which rules run, at what severity, with what options (once per config: it is frozen)."""
        if self._resolved is None:
            object.__setattr__(self, "_resolved", _resolve(self))
        assert self._resolved is not None
        return self._resolved


class Resolved(NamedTuple):
    """A config's answer for a run (a NamedTuple: a tenth of a dataclass's cost to define)."""

    severities: dict[str, str]  # enabled rule code -> severity
    options: dict[str, dict[str, Any]]  # code -> option values (defaults filled)
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = ()


_NOT_CHECKED = ("fields_set", "_resolved")


@cache
def _kinds() -> dict[str, Any]:
    """The type of each setting (and ``source``), from the annotations, once."""
    hints = typing.get_type_hints(Config, include_extras=True)
    return {spec.name: hints[spec.name] for spec in fields(Config) if spec.name not in _NOT_CHECKED}


def _key(name: str) -> str:
    return name.replace("_", "-")


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
        if rule.defaults:  # the options' types are read only for an option the config sets
            options[code] = rule.defaults
    for selector, values in config.rules.items():
        target = _lookup(selector)
        if target is None:
            raise ConfigError(
                f"{where}[rules.{selector}]: no such rule{did_you_mean(selector, _all_keys())}"
            )
        rule = rules[target]
        declared = rule.defaults
        if not isinstance(values, dict):
            raise ConfigError(f"{where}[rules.{selector}] must be a table of options")
        for raw_name, value in values.items():
            name = raw_name.replace("-", "_")
            if name not in declared:
                names = [n.replace("_", "-") for n in declared]
                hint = did_you_mean(raw_name, names) or (
                    f"; options: {', '.join(names)}" if names else "; it takes no options"
                )
                raise ConfigError(f"{where}[rules.{selector}]: unknown option '{raw_name}'{hint}")
            kind = rule.options[name][0]
            try:
                value = check(kind, value)
            except Invalid as exc:
                plain = exc.plain(kind, value)  # the option's whole type, not a list item's
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
            weight = specificity(selector, code, name)
            if weight and (weight > best[0] or (weight == best[0] and not on)):
                best = (weight, on)
    return best[1]


def specificity(selector: str, code: str, name: str) -> int:
    """How closely ``selector`` names the rule (0: not at all): ``ALL``, a code prefix,
    the code or the name. Selectors mean the same everywhere: config, options, comments."""
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
    hits = [c for c, r in rules.items() if specificity(sel, c, r.name) > 1]
    if not hits:
        raise ConfigError(
            f"{where}{key}: '{selector}' is not a rule code, name or code prefix"
            f"{did_you_mean(selector, _all_keys())}"
        )
    return hits


_SELECTOR_KEYS = ("select", "ignore", "extend_select", "extend_ignore")


def _lookup(selector: str) -> str | None:
    from kpilint.registry import by_name_or_code

    rule = by_name_or_code(selector)
    return rule.code if rule else None


def _all_keys() -> list[str]:
    from kpilint.registry import codes_and_names

    return codes_and_names()


def discover_config(root_config: Path | None) -> Config:
    return Config.from_file(root_config) if root_config else Config()
