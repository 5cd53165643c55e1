"""Presets: mappings shipped as data (``presets/*.toml``), in the user's own language.

Each file holds one ``[[sources]]`` table, exactly as a user would write it in
``kpilint.toml``; ``kpilint sources NAME`` prints the file to copy.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent.parent


def presets_dir() -> Path:
    """``presets/`` in a source checkout, or its copy inside the installed package."""
    packaged = _PACKAGE / "_presets"
    return packaged if packaged.is_dir() else _PACKAGE.parent / "presets"


@cache
def preset_names() -> tuple[str, ...]:
    """Cheap enough for the CLI's start-up: one directory listing, nothing parsed."""
    try:
        names = os.listdir(presets_dir())
    except OSError:
        return ()
    return tuple(sorted(n[:-5] for n in names if n.endswith(".toml")))


def preset_text(name: str) -> str:
    return (presets_dir() / f"{name}.toml").read_text(encoding="utf-8")


@cache
def _table(name: str) -> dict[str, Any]:
    from kpilint.config import read_toml

    data = read_toml(presets_dir() / f"{name}.toml")
    table: dict[str, Any] = data["sources"][0]
    return table


def preset_table(name: str) -> dict[str, Any]:
    """The preset's ``[[sources]]`` table (a copy: callers merge into it)."""
    import copy

    return copy.deepcopy(_table(name))


def preset_summary(name: str) -> str:
    """The preset's first comment line, without its name: what it reads."""
    for line in preset_text(name).splitlines():
        if line.startswith("#"):
            text = line.lstrip("# ").strip()
            return text.split(":", 1)[1].strip() if text.startswith(f"{name}:") else text
    return ""


def preset_actuals(name: str) -> list[dict[str, Any]]:
    """The preset's own ``[[actuals]]`` (globs from the folder that holds its files)."""
    from kpilint.config import read_toml

    if name not in preset_names():
        return []
    import copy

    actuals = read_toml(presets_dir() / f"{name}.toml").get("actuals", [])
    return copy.deepcopy(actuals) if isinstance(actuals, list) else []


def site_actuals(name: str, root: Path, files: list[Path]) -> list[dict[str, Any]]:
    """The preset's ``[[actuals]]`` for the sites ``files`` were read from, globs from ``root``.

    A site is the folder a preset glob is rooted at (``meta/*.md``: the folder that holds
    ``meta/``); a site where an actuals glob matches nothing declares no actuals from it.
    """
    declared = preset_actuals(name)
    if not declared:
        return []
    from fnmatch import fnmatchcase

    globs = [g.lstrip("/") for g in _table(name).get("include", [])]
    sites: set[Path] = set()
    for path in files:
        for glob in globs:
            depth = glob.count("/") + 1
            if len(path.parts) > depth and fnmatchcase("/".join(path.parts[-depth:]), glob):
                sites.add(path.parents[depth - 1])
                break
    out: list[dict[str, Any]] = []
    for entry in declared:
        include = []
        for site in sorted(sites):
            try:
                rel = site.relative_to(root).as_posix()
            except ValueError:
                continue
            for glob in entry.get("include", []):
                if next(site.glob(glob), None) is not None:
                    include.append(glob if rel == "." else f"{rel}/{glob}")
        if include:
            out.append({**entry, "include": include})
    return out
