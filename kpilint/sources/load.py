"""Reading a declared source's files into ``SourceFile``s the engine lints.

One ``SourceReader`` per declaration and run: it shares the goals that
``goals-from`` made across the source's files, so one value is one goal.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kpilint.loader import DEFAULT_MAX_BYTES, SourceFile, read_bytes
from kpilint.sources.spec import SourceSpec, parse_source

if TYPE_CHECKING:
    from kpilint.importers.common import Imported


@dataclass(slots=True)
class SourceReader:
    """Reads the files of one source (the ``Importer`` protocol, for ``--from`` and import)."""

    spec: SourceSpec
    goals: dict[str, bool] = field(default_factory=dict)
    root: Path | None = None  # the project root, for `$path` (else the display path)
    GLOBS: tuple[str, ...] = field(init=False)  # file-name globs, for a folder named by --from

    def __post_init__(self) -> None:
        self.GLOBS = tuple(dict.fromkeys(posixpath.basename(g) or g for g in self.spec.include))

    def read(self, path: Path, display: str, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceFile:
        sf = SourceFile(path=path, display=display)
        raw = read_bytes(sf, max_bytes)
        if raw is None:
            sf.catalogue = self.spec.preset or self.spec.where_declared
            return sf
        return self.parse(path, display, raw)

    def parse(self, path: Path, display: str, raw: bytes) -> SourceFile:
        """``raw`` (a file's bytes, or a blob at a revision) read through the mapping."""
        from kpilint.importers.common import kpi_stem
        from kpilint.sources import readers
        from kpilint.sources.mapping import Builder

        parsed = readers.read(self.spec.format_of(path.name), path, display, raw)
        return Builder(self.spec, parsed, self.goals, self.relpath(path)).build(kpi_stem(path))

    def relpath(self, path: Path) -> str:
        """``path`` from the project root, '/'-separated ("" outside it: the display path)."""
        if self.root is None:
            return ""
        try:
            return path.absolute().relative_to(self.root.absolute()).as_posix()
        except ValueError:
            return ""

    def convert(self, path: Path, display: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Imported:
        from kpilint.importers.common import Imported

        return Imported(self.read(path, display, max_bytes))


def preset_reader(name: str) -> SourceReader:
    return SourceReader(parse_source({"preset": name}, f"preset '{name}'"))
