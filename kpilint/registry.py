"""Rules declared once: metadata as data in ``rules/*.toml``, checks as functions.

``@rule("KPI101")`` registers a check. The annotation of its first parameter
picks what it runs over (a KPI, goal, metric, incentive, a file, the project);
a ``ctx`` parameter receives the lint context; keyword-only parameters with
defaults are its options under ``[rules.NAME]``. Checks never know their
severity: the engine stamps it from config.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

CHECK_MODULES = (
    "structure",
    "completeness",
    "measurability",
    "timeline",
    "focus",
    "incentives",
    "vanity",
    "data",
    "governance",
    "actuals",
)
DOC_SECTIONS = ("summary", "what", "why", "example", "passing", "fix")


class RuleMeta(NamedTuple):
    """A rule's metadata from ``rules/*.toml`` (a NamedTuple: cheap to define at start-up)."""

    code: str
    name: str
    severity: str
    family: str
    family_title: str
    summary: str
    what: str
    why: str
    example: str
    passing: str
    fix: str
    applicability: str
    status: str
    options_doc: str = ""


@dataclass(frozen=True, slots=True)
class Check:
    code: str
    func: Callable[..., Iterator[Any]]
    scope: type
    wants_ctx: bool

    @property
    def defaults(self) -> dict[str, Any]:
        """Its options (keyword-only parameters) and their defaults: what every run needs."""
        return dict(self.func.__kwdefaults__ or {})

    @property
    def options(self) -> dict[str, tuple[Any, Any]]:
        """name -> (type, default). The types are read from the annotations only here,
        when a config sets options or docs are made: evaluating them costs start-up."""
        return dict(option_types(self.func))


@dataclass(frozen=True, slots=True)
class Rule:
    meta: RuleMeta
    checks: tuple[Check, ...] = ()

    @property
    def code(self) -> str:
        return self.meta.code

    @property
    def name(self) -> str:
        return self.meta.name

    @property
    def implemented(self) -> bool:
        return bool(self.checks)

    @property
    def defaults(self) -> dict[str, Any]:
        """Option name -> default, over all its checks (cheap: no annotations read)."""
        return {name: value for check in self.checks for name, value in check.defaults.items()}

    @property
    def options(self) -> dict[str, tuple[Any, Any]]:
        """Options of all its checks (a rule may check several kinds of entity)."""
        return {name: spec for check in self.checks for name, spec in check.options.items()}


_CHECKS: dict[str, list[Check]] = {}


def rule(code: str) -> Callable[[Callable[..., Iterator[Any]]], Callable[..., Iterator[Any]]]:
    """Register ``func`` as the check of rule ``code``."""

    def register(func: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
        code_ = func.__code__
        names = code_.co_varnames[: code_.co_argcount + code_.co_kwonlyargcount]
        missing = [n for n in names[code_.co_argcount :] if n not in (func.__kwdefaults__ or {})]
        if not names or missing:
            raise TypeError(f"{func.__qualname__}: a subject first, options with defaults")
        scope = _annotation(func, names[0])
        wants_ctx = "ctx" in names[1:]
        _CHECKS.setdefault(code, []).append(Check(code, func, scope, wants_ctx))
        return func

    return register


def _annotation(func: Callable[..., Any], name: str) -> Any:
    """The type ``name`` is annotated with: a plain class name is looked up in the
    check's module; anything else is evaluated as ``typing.get_type_hints`` would."""
    written = func.__annotations__[name]
    if isinstance(written, str) and written.isidentifier():
        found = vars(sys.modules[func.__module__]).get(written)
        if isinstance(found, type):
            return found
    return _hints(func)[name]


def _hints(func: Callable[..., Any]) -> dict[str, Any]:
    from typing import get_type_hints

    return get_type_hints(func, vars(sys.modules[func.__module__]), include_extras=True)


@cache
def option_types(func: Callable[..., Any]) -> dict[str, tuple[Any, Any]]:
    """Option name -> (its annotated type, its default); a check without options reads
    no annotations."""
    defaults = func.__kwdefaults__
    if not defaults:
        return {}
    hints = _hints(func)
    return {name: (hints.get(name, Any), value) for name, value in defaults.items()}


def rules_dir() -> Path:
    """``rules/`` in a source checkout, or its copy inside the installed package.

    Found beside this file, not through ``importlib.resources``: importing that
    costs a cold ``check`` more than reading every rule's metadata.
    """
    package = Path(__file__).resolve().parent
    packaged = package / "_rules"
    if packaged.is_dir():
        return packaged
    return package.parent / "rules"


def read_rule_files(folder: Path) -> dict[str, dict[str, Any]]:
    """Every ``*.toml`` of ``folder`` parsed, by file name, through a JSON cache.

    tomllib is pure Python: parsing the rules on every start cost a cold
    ``check`` of a small project a tenth of its time. The parsed data is kept in
    ``__pycache__/`` beside the files (where Python keeps its own), keyed by each
    file's name, size and mtime; a missing, stale or unwritable cache only means
    parsing again.
    """
    import json
    import os

    from kpilint import __version__

    paths = sorted(folder.glob("*.toml"))
    stamp = [__version__]
    for path in paths:
        st = path.stat()
        stamp.append(f"{path.name}:{st.st_size}:{st.st_mtime_ns}")
    cache_file = folder / "__pycache__" / "kpilint-rules.json"
    try:
        cached = json.loads(cache_file.read_text(encoding="utf-8"))
        if cached["stamp"] == stamp and isinstance(cached["files"], dict):
            files: dict[str, dict[str, Any]] = cached["files"]
            return files
    except (OSError, ValueError, KeyError, TypeError):
        pass
    from kpilint.config import read_toml

    files = {path.name: read_toml(path) for path in paths}
    try:
        text = json.dumps({"stamp": stamp, "files": files})
        cache_file.parent.mkdir(exist_ok=True)
        tmp = cache_file.with_name(f".{cache_file.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, cache_file)
    except (OSError, TypeError, ValueError):  # read-only install, or a value JSON cannot hold
        pass
    return files


@cache
def _shipped_rule_files() -> dict[str, dict[str, Any]]:
    """kpilint's own rule files, read once for the metadata and the vocabulary."""
    return read_rule_files(rules_dir())


def read_metadata(folder: Path | None = None) -> dict[str, RuleMeta]:
    files = read_rule_files(folder) if folder else _shipped_rule_files()
    folder = folder or rules_dir()
    out: dict[str, RuleMeta] = {}
    for name, data in files.items():
        if name == "vocabulary.toml":
            continue
        path = folder / name
        for entry in data.get("rule", []):
            meta = RuleMeta(
                code=entry["code"],
                name=entry["name"],
                severity=entry["severity"],
                family=data.get("family", path.stem),
                family_title=data.get("title", path.stem),
                summary=entry.get("summary", "").strip(),
                what=entry.get("what", "").strip(),
                why=entry.get("why", "").strip(),
                example=entry.get("example", "").strip("\n"),
                passing=entry.get("passing", "").strip("\n"),
                fix=entry.get("fix", "").strip(),
                applicability=entry.get("fix-applicability", "none"),
                status=entry.get("status", "stable"),
                options_doc=entry.get("options", "").strip(),
            )
            out[meta.code] = meta
    return out


@cache
def registry() -> dict[str, Rule]:
    """Every rule by code, in code order; check modules are imported on first use."""
    for module in CHECK_MODULES:
        importlib.import_module(f"kpilint.checks.{module}")
    metadata = read_metadata()
    codes = sorted(set(metadata) | set(_CHECKS))
    missing_meta = [c for c in codes if c not in metadata]
    if missing_meta:
        raise RuntimeError(f"rules without metadata in rules/: {', '.join(missing_meta)}")
    return {code: Rule(metadata[code], tuple(_CHECKS.get(code, ()))) for code in codes}


@cache
def vocabulary() -> dict[str, Any]:
    return _shipped_rule_files()["vocabulary.toml"]


def rule_names() -> dict[str, str]:
    """Rule code -> name, what selectors and suppression comments are read against."""
    return {code: rule.name for code, rule in registry().items()}


def codes_and_names() -> list[str]:
    """Every word a selector may be: the codes, then the names (for "did you mean")."""
    names = rule_names()
    return [*names, *names.values()]


def by_name_or_code(key: str) -> Rule | None:
    rules = registry()
    upper = key.strip().upper()
    if upper in rules:
        return rules[upper]
    lowered = key.strip().lower()
    return next((r for r in rules.values() if r.name == lowered), None)
