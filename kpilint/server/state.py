"""One project as the language server keeps it between edits.

The project is loaded once. Each file's parse and validation is cached,
keyed by its content (an editor buffer's text, or a file's size, mtime and
inode on disk), so an edit re-reads one file, rebuilds the index and re-runs
the rules, with the other files' work reused. Nothing here knows LSP.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kpilint.config import Config
from kpilint.engine import Load, Loaded, load_project, run_rules
from kpilint.entities import Entity
from kpilint.findings import Finding, assign_fingerprints
from kpilint.loader import SourceFile
from kpilint.project import excluded, is_kpi_name


@dataclass(slots=True)
class _Cached:
    key: object
    file: SourceFile
    entities: list[Entity[Any]]


class ProjectState:
    """A project root, its config, and the per-file results of the last lint."""

    def __init__(self, root: Path, config_file: Path | None) -> None:
        self.root = root
        self.config_file = config_file
        self.config = Config.from_file(config_file) if config_file else Config()
        self.loaded: Loaded | None = None
        self._cache: dict[Path, _Cached] = {}

    def wants(self, path: Path) -> bool:
        """Whether ``path`` is a file of this project: a KPI file or a configured source's."""
        try:
            rel = path.relative_to(self.root).as_posix()
        except ValueError:
            return False
        exclude = tuple(self.config.exclude)
        kinds = [(tuple(self.config.include), ())]
        kinds += [(tuple(s.include), tuple(s.exclude)) for s in self.config.source_specs()]
        # an actuals file: saving it re-lints the project (ACTUALS.md)
        kinds += [(tuple(s.include), tuple(s.exclude)) for s in self.config.actuals_specs()]
        return any(
            (is_kpi_name(path.name, include) or is_kpi_name(rel, include))
            and not excluded(path, self.root, (*exclude, *more))
            for include, more in kinds
        )

    def _read(
        self, path: Path, display: str, text: str | bytes | None, load: Load
    ) -> tuple[SourceFile, list[Entity[Any]]]:
        key: object
        if text is not None:
            key = ("text", display, text)
        else:
            try:
                st = os.stat(path)
                key = ("disk", display, st.st_size, st.st_mtime_ns, st.st_ino)
            except OSError:
                key = None
        hit = self._cache.get(path)
        if hit is not None and key is not None and hit.key == key:
            return hit.file, hit.entities
        sf, entities = load(path, display, text)
        if key is not None:
            self._cache[path] = _Cached(key, sf, entities)
        return sf, entities

    def lint(self, buffers: dict[Path, str], report: list[Path]) -> dict[Path, list[Finding]]:
        """Findings of the ``report`` files, the project read from ``buffers`` and the disk."""
        loaded = load_project(
            self.root, report, self.config, self.root, overlay=dict(buffers), read=self._read
        )
        self.loaded = loaded
        kept = {sf.path for sf in loaded.project.files}
        for stale in [p for p in self._cache if p not in kept]:
            del self._cache[stale]
        day = self.config.today or date.today()
        if self.config.actuals:  # read from disk: an actuals file counts once saved
            from kpilint.actuals.load import attach
            from kpilint.engine import UsageError

            # no actuals file yet: the KPI9xx rules stay quiet until one is saved
            with contextlib.suppress(UsageError):
                attach(loaded, day, self.root, report)
        by_display = {sf.display: sf.path for sf in loaded.project.files}
        out: dict[Path, list[Finding]] = {path: [] for path in report}
        found = sorted(run_rules(loaded, day, local=True), key=lambda f: f.sort_key)
        for finding in assign_fingerprints(found):
            path = by_display.get(finding.path)
            if path is not None:
                out.setdefault(path, []).append(finding)
        return out

    def file(self, path: Path) -> SourceFile | None:
        """The loaded file at ``path`` (as last linted)."""
        if self.loaded is None:
            return None
        return next((sf for sf in self.loaded.project.files if sf.path == path), None)
