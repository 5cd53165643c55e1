"""What ``--from`` accepts, and the reader of each: every source preset, and ``csv``.

Light on purpose: the CLI imports it at start-up for the ``--from`` choices.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kpilint.loader import SourceFile

# The CSV register is read by code until the mapping language can say it (issue 20, item 4).
_CODE = {"csv": "kpilint.sources.register"}


class Reader(Protocol):
    GLOBS: tuple[str, ...]

    def read(self, path: Path, display: str, max_bytes: int) -> SourceFile: ...


class UnknownFormat(ValueError):
    pass


def formats() -> tuple[str, ...]:
    """What ``--from`` accepts: ``csv``, then every source preset."""
    from kpilint.sources.presets import preset_names

    return tuple(dict.fromkeys([*_CODE, *preset_names()]))


def reader_of(name: str) -> Reader:
    """The reader of ``name``: the CSV register's module, else a preset's ``SourceReader``."""
    if name in _CODE:
        module: Reader = importlib.import_module(_CODE[name])
        return module
    if name not in formats():
        raise UnknownFormat(f"unknown format '{name}'; choose one of {', '.join(formats())}")
    from kpilint.sources.load import preset_reader

    return preset_reader(name)
