"""Reading a declared source's files into ``SourceFile``s the engine lints.

One ``SourceReader`` per declaration and run: it shares the goals that
``goals-from`` made across the source's files, so one value is one goal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    partners: Sequence[Path] = ()  # every file of the source, for `merge-by`
    _merge: Any = None  # the ``MergeIndex``, built once when first needed
    GLOBS: tuple[str, ...] = field(init=False)  # the globs, for messages

    def __post_init__(self) -> None:
        self.GLOBS = self.spec.include

    def find(
        self,
        folder: Path,
        root: Path,
        exclude: tuple[str, ...] = (),
        refused: dict[Path, str] | None = None,
    ) -> list[Path]:
        """The files below ``folder`` (named by ``--from``) whose path ends as a glob says.

        SOURCES.md: ``meta/*.md`` matches ``meta/1-1-1.md`` and ``site/meta/1-1-1.md``,
        never ``meta/en/1-1-1.yml``; a leading ``/`` anchors the glob at ``folder``;
        hidden folders (``.github``) are never searched.
        """
        from kpilint.project import discover

        seen: dict[Path, str] = {}
        found = discover(folder, root, ("*",), exclude, seen)

        above = folder.absolute().parts

        def wanted(path: Path) -> bool:
            try:
                parts = path.relative_to(folder).parts
            except ValueError:
                return False
            return bool(parts) and self.wanted(parts, above)

        if refused is not None:
            refused.update((p, why) for p, why in seen.items() if p == folder or wanted(p))
        return [p for p in found if wanted(p)]

    def wanted(self, parts: tuple[str, ...], above: tuple[str, ...] = ()) -> bool:
        """A file (``parts`` below the named folder, whose own parts are ``above``) to read.

        A glob matches the end of the whole path (so naming ``meta/`` itself works);
        an anchored one the path from the named folder, or from its parent (naming
        ``definitions/`` for ``/definitions/*.toml``).
        """
        if any(part.startswith(".") for part in parts[:-1]):
            return False
        whole = (*above, *parts)
        for glob in self.spec.include:
            if glob.startswith("/"):
                if glob_tail_matches(glob, parts) or glob_tail_matches(
                    glob, whole[-len(parts) - 1 :]
                ):
                    return True
            elif glob_tail_matches(glob, whole):
                return True
        return False

    def read(self, path: Path, display: str, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceFile:
        sf = SourceFile(path=path, display=display)
        raw = read_bytes(sf, max_bytes)
        if raw is None:
            sf.catalogue = self.spec.preset or self.spec.where_declared
            sf.ignores = self.spec.ignore
            return sf
        return self.parse(path, display, raw)

    def parse(self, path: Path, display: str, raw: bytes) -> SourceFile:
        """``raw`` (a file's bytes, or a blob at a revision) read through the mapping."""
        from kpilint.importers.common import kpi_stem
        from kpilint.sources import readers
        from kpilint.sources.mapping import Builder

        parsed = readers.read(self.spec.format_of(path.name), path, display, raw)
        merge = self.merge_index() if self.spec.merge_by is not None else None
        return Builder(self.spec, parsed, self.goals, self.relpath(path), merge).build(
            kpi_stem(path)
        )

    def merge_index(self) -> Any:
        """Every partner file's records by merge key (read once per run)."""
        if self._merge is None and self.partners:
            from kpilint.sources.merge import build_index

            files = sorted({p.resolve() for p in self.partners})
            self._merge = build_index(self.spec, files, self._records_of, self._rank)
        return self._merge

    def _records_of(self, path: Path) -> list[Any]:
        from kpilint.importers.common import kpi_stem
        from kpilint.sources import readers
        from kpilint.sources.mapping import Builder

        sf = SourceFile(path=path, display=str(path))
        raw = read_bytes(sf, DEFAULT_MAX_BYTES)
        if raw is None:
            return []
        parsed = readers.read(self.spec.format_of(path.name), path, str(path), raw)
        builder = Builder(self.spec, parsed, {}, self.relpath(path))
        documents = parsed.data if isinstance(parsed.data, list) else []
        stem = kpi_stem(path)
        return [r for n, d in enumerate(documents) for r in builder._records(n, d, stem)]

    def _rank(self, path: Path) -> int:
        """The index of the first `include` glob the file matches (SOURCES.md's merge order)."""
        parts = Path(self.relpath(path) or path.as_posix()).parts
        for n, glob in enumerate(self.spec.include):
            if glob_tail_matches(glob, parts):
                return n
        return len(self.spec.include)

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


def glob_tail_matches(glob: str, parts: tuple[str, ...]) -> bool:
    """``glob`` matches the end of ``parts`` segment by segment (``/glob``: all of them)."""
    anchored = glob.startswith("/")
    pattern = tuple(p for p in glob.strip("/").split("/") if p)
    if anchored:
        return _segments(pattern, parts)
    return any(_segments(pattern, parts[i:]) for i in range(len(parts)))


def _segments(pattern: tuple[str, ...], parts: tuple[str, ...]) -> bool:
    """fnmatch per segment (``*`` never crosses a ``/``); ``**`` is any number of segments."""
    if not pattern:
        return not parts
    head = pattern[0]
    if head == "**":
        return any(_segments(pattern[1:], parts[i:]) for i in range(len(parts) + 1))
    return bool(parts) and fnmatch(parts[0], head) and _segments(pattern[1:], parts[1:])


def preset_reader(name: str) -> SourceReader:
    return SourceReader(parse_source({"preset": name}, f"preset '{name}'"))
