"""Importers: read KPI definitions kept in other formats as ``SourceFile``s.

An importer turns a source file (GitLab handbook performance indicators, a CSV
register) into the KPI file format's data, with every key and value positioned
in the *source* file. The engine, rules and reporters then work unchanged, and
findings point at the source's lines.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the CLI imports this module for IMPORTERS: keep PyYAML off start-up
    from kpilint.importers.common import Imported
    from kpilint.loader import SourceFile

IMPORTERS: dict[str, str] = {
    "csv": "kpilint.importers.csv",
}


class Importer(Protocol):
    GLOBS: tuple[str, ...]

    def read(self, path: Path, display: str, max_bytes: int) -> SourceFile: ...

    def convert(self, path: Path, display: str, max_bytes: int) -> Imported: ...


class UnknownFormat(ValueError):
    pass


def formats() -> tuple[str, ...]:
    """What ``--from`` accepts: the code importers, then every source preset."""
    from kpilint.sources.presets import preset_names

    return tuple(dict.fromkeys([*IMPORTERS, *preset_names()]))


def importer(name: str) -> Importer:
    """The code importer of ``name``, else a reader for the source preset of that name."""
    if name in IMPORTERS:
        module: Importer = importlib.import_module(IMPORTERS[name])
        return module
    if name not in formats():
        raise UnknownFormat(f"unknown format '{name}'; choose one of {', '.join(formats())}")
    from kpilint.sources.load import preset_reader

    return preset_reader(name)
