"""Rules declared once: metadata as data in ``rules/*.toml``, checks as functions.

``@rule("KPI101")`` registers a check. The annotation of its first parameter
picks what it runs over (a KPI, goal, metric, incentive, a file, the project);
a ``ctx`` parameter receives the lint context; keyword-only parameters with
defaults are its options under ``[rules.NAME]``. Checks never know their
severity: the engine stamps it from config.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, get_type_hints

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
)
DOC_SECTIONS = ("summary", "what", "why", "example", "passing", "fix")


@dataclass(frozen=True, slots=True)
class RuleMeta:
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
    options: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # name -> (type, default)


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
    def options(self) -> dict[str, tuple[Any, Any]]:
        """Options of all its checks (a rule may check several kinds of entity)."""
        return {name: spec for check in self.checks for name, spec in check.options.items()}


_CHECKS: dict[str, list[Check]] = {}


def rule(code: str) -> Callable[[Callable[..., Iterator[Any]]], Callable[..., Iterator[Any]]]:
    """Register ``func`` as the check of rule ``code``."""

    def register(func: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
        hints = get_type_hints(func, vars(sys.modules[func.__module__]), include_extras=True)
        params = list(inspect.signature(func).parameters.values())
        scope = hints[params[0].name]
        options = {
            p.name: (hints.get(p.name, Any), p.default)
            for p in params
            if p.kind is inspect.Parameter.KEYWORD_ONLY
        }
        wants_ctx = any(p.name == "ctx" for p in params[1:])
        _CHECKS.setdefault(code, []).append(Check(code, func, scope, wants_ctx, options))
        return func

    return register


def rules_dir() -> Path:
    """``rules/`` in a source checkout, or its copy inside the installed package."""
    packaged = resources.files("kpilint") / "_rules"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "rules"


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


def read_metadata(folder: Path | None = None) -> dict[str, RuleMeta]:
    folder = folder or rules_dir()
    out: dict[str, RuleMeta] = {}
    for name, data in read_rule_files(folder).items():
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
    return read_rule_files(rules_dir())["vocabulary.toml"]


def by_name_or_code(key: str) -> Rule | None:
    rules = registry()
    upper = key.strip().upper()
    if upper in rules:
        return rules[upper]
    lowered = key.strip().lower()
    return next((r for r in rules.values() if r.name == lowered), None)
