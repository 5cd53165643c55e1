"""A project: every KPI file under one root, in project order, with its id index.

Project order (RULES.md) is files sorted by path, then entities by line; the
focus rules report "the first over the limit" and "the second" in that order.
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

from kpilint.entities import Entity, GoalEntity, IncentiveEntity, KpiEntity, MetricEntity
from kpilint.loader import SourceFile

KPI_GLOBS = ("*.kpi.yaml", "*.kpi.yml")
CONFIG_FILES = ("kpilint.toml", ".kpilint.toml")
CONFIG_NAMES = (*CONFIG_FILES, "pyproject.toml")  # every file that may hold the config
SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox"}

# FORMAT.md "References", the keys KPI006 resolves:
# (kind of the entity holding the key, key) -> kind of entity the key names
REFERENCES: dict[tuple[str, str], str] = {
    ("goal", "parent"): "goal",
    ("kpi", "goal"): "goal",
    ("kpi", "metric"): "metric",
    ("kpi", "counterbalance"): "kpi",
    ("incentive", "kpis"): "kpi",
}


class Project:
    """Entities of all files, and the lookups the rules need, built once."""

    def __init__(self, root: Path, files: list[SourceFile], entities: Iterable[Entity[Any]]):
        self.root = root
        self.files = files
        self.goals: list[GoalEntity] = []
        self.metrics: list[MetricEntity] = []
        self.kpis: list[KpiEntity] = []
        self.incentives: list[IncentiveEntity] = []
        buckets: dict[str, list[Any]] = {
            "goal": self.goals,
            "metric": self.metrics,
            "kpi": self.kpis,
            "incentive": self.incentives,
        }
        for order, entity in enumerate(entities):
            entity.order = order
            buckets[entity.kind].append(entity)
        self._goal_ids = _index(self.goals)
        self._metric_ids = _index(self.metrics)
        self._kpi_ids = _index(self.kpis)
        self._incentive_ids = _index(self.incentives)

    def all_entities(self) -> Iterator[Entity[Any]]:
        yield from self.goals
        yield from self.metrics
        yield from self.kpis
        yield from self.incentives

    def goal(self, ident: str) -> GoalEntity | None:
        found = self._goal_ids.get(ident)
        return found[0] if found else None

    def metric(self, ident: str) -> MetricEntity | None:
        found = self._metric_ids.get(ident)
        return found[0] if found else None

    def kpi(self, ident: str) -> KpiEntity | None:
        found = self._kpi_ids.get(ident)
        return found[0] if found else None

    def ids(self, kind: str) -> dict[str, list[Any]]:
        return {
            "goal": self._goal_ids,
            "metric": self._metric_ids,
            "kpi": self._kpi_ids,
            "incentive": self._incentive_ids,
        }[kind]

    @cached_property
    def kpis_by_metric(self) -> dict[str, list[KpiEntity]]:
        out: dict[str, list[KpiEntity]] = defaultdict(list)
        for kpi in self.kpis:
            if kpi.model.metric:
                out[kpi.model.metric].append(kpi)
        return out

    @cached_property
    def kpis_by_goal(self) -> dict[str, list[KpiEntity]]:
        out: dict[str, list[KpiEntity]] = defaultdict(list)
        for kpi in self.kpis:
            for ident in dict.fromkeys(kpi.model.goal or ()):
                out[ident].append(kpi)
        return out

    @cached_property
    def child_goals(self) -> dict[str, list[GoalEntity]]:
        out: dict[str, list[GoalEntity]] = defaultdict(list)
        for goal in self.goals:
            if goal.model.parent:
                out[goal.model.parent].append(goal)
        return out

    def goals_of(self, kpi: KpiEntity) -> list[GoalEntity]:
        return [g for ident in kpi.model.goal or () if (g := self.goal(ident)) is not None]

    def metric_of(self, kpi: KpiEntity) -> MetricEntity | None:
        return self.metric(kpi.model.metric) if kpi.model.metric else None


def _index(entities: list[Any]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = defaultdict(list)
    for entity in entities:
        if entity.id is not None:
            out[entity.id].append(entity)
    return dict(out)


def find_root(start: Path) -> tuple[Path, Path | None]:
    """The project root for ``start`` and its config file, as FORMAT.md defines them."""
    folder = start if start.is_dir() else start.parent
    folder = folder.resolve()
    for candidate in (folder, *folder.parents):
        for name in CONFIG_FILES:
            config = candidate / name
            if config.is_file():
                return candidate, config
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and _has_kpilint_table(pyproject):
            return candidate, pyproject
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate, None
    return folder, None


def find_root_of_named(path: Path, cwd: Path) -> tuple[Path, Path | None]:
    """``find_root`` for a path named on the command line, whose way may pass a symlink.

    A CI job names ``meta/``; the branch it checks can make ``meta`` a symlink to
    ``~/.kube``. Then the project is the one holding the link, which the path
    leaves, so nothing in it is read (SOURCES.md "Files"), rather than a project
    found around the link's target. Only links below ``cwd`` (a real path) count:
    the ones above it (``/home -> /mnt/home``) are the machine's, not a branch's.
    """
    normal = Path(os.path.normpath(path))
    if normal.is_relative_to(cwd) and os.path.realpath(normal) != str(normal):
        for link in [*reversed(normal.parents), normal]:  # from the top: the first link
            if link.is_relative_to(cwd) and link != cwd and os.path.islink(link):
                root, config = find_root(link.parent)
                if leaves(link, real_folder(root)):
                    return root, config
    return find_root(path)


def _has_kpilint_table(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    if "tool.kpilint" not in text:  # cheap pre-check before parsing TOML
        return False
    from kpilint.config import read_toml

    try:
        data = read_toml(pyproject)
    except ValueError:  # broken TOML that mentions kpilint: the root, so its error is shown
        return True
    tool = data.get("tool")
    return isinstance(tool, dict) and isinstance(tool.get("kpilint"), dict)


def is_kpi_name(name: str, globs: Iterable[str] = KPI_GLOBS) -> bool:
    return any(fnmatch.fnmatch(name, g) for g in globs)


def discover(
    folder: Path,
    root: Path,
    include: tuple[str, ...] = KPI_GLOBS,
    exclude: tuple[str, ...] = (),
    refused: dict[Path, str] | None = None,
) -> list[Path]:
    """KPI files below ``folder``; symlink loops and odd entries never crash the walk.

    A matching file that must not be read (``unreadable``) is left out and put in
    ``refused`` with the reason, for the warning that names it.
    """
    found: list[Path] = []
    seen_dirs: set[tuple[int, int]] = set()
    inside = real_folder(root)
    if leaves(folder, inside):  # a named folder that is a symlink out of the project
        if refused is not None:
            refused[folder] = OUTSIDE
        return found
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=True, onerror=None):
        try:
            st = os.stat(dirpath)
        except OSError:
            dirnames[:] = []
            continue
        ident = (st.st_dev, st.st_ino)
        if ident in seen_dirs:  # a symlink loop, or the same folder twice
            dirnames[:] = []
            continue
        seen_dirs.add(ident)
        dirnames[:] = sorted(
            d
            for d in dirnames
            if d not in SKIP_DIRS
            and not excluded(Path(dirpath, d), root, exclude)
            and not _link_out(os.path.join(dirpath, d), inside)
        )
        for name in filenames:
            path = Path(dirpath, name)
            if not is_kpi_name(name, include) and not glob_matches(path, root, include):
                continue
            if excluded(path, root, exclude):
                continue
            why, regular = _walked(path, inside)
            if why is not None and refused is not None:
                refused[path] = why
            elif regular:  # a folder named like a KPI file is not a file
                found.append(path)
    return sorted(found)


OUTSIDE = "it resolves outside the project root"
_KINDS = {
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFIFO: "a FIFO",
    stat.S_IFSOCK: "a socket",
}


def real_folder(root: Path | str) -> str:
    """``root``'s real path ending in a separator, as ``leaves`` compares paths with it."""
    return os.path.join(os.path.realpath(root), "")


def leaves(path: Path | str, inside: str) -> bool:
    """``path`` resolves outside the folder ``inside`` (a ``real_folder``).

    A pull request can commit a symlink to a secret outside the checkout
    (``leak.yml -> ~/.kube/config``); kpilint reads no such file, and ``diff``
    compares no such file (SOURCES.md "Files").
    """
    return not os.path.join(os.path.realpath(path), "").startswith(inside)


def _walked(path: Path, inside: str) -> tuple[str | None, bool]:
    """Why a file the walk found is never read (or None), and whether it is a regular file.

    One lstat, as ``is_file()`` was one stat; the folders walked are inside, so
    only a symlink can leave.
    """
    try:
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode):
            if leaves(path, inside):
                return OUTSIDE, False
            mode = os.stat(path).st_mode
    except OSError:  # vanished, or a dangling link inside
        return None, False
    return _kind(mode), stat.S_ISREG(mode)


def _link_out(path: str, inside: str) -> bool:
    """A symlink out of ``inside``; the walk needs no more (its folders are inside)."""
    return os.path.islink(path) and leaves(path, inside)


def unreadable(path: Path | str, inside: str) -> str | None:
    """Why ``path`` must never be read, or None (SOURCES.md "Files").

    A symlink resolving outside the project root (``inside``, a ``real_folder``),
    a device, FIFO or socket: reading one may leak a secret, never end or block.
    """
    if leaves(path, inside):
        return OUTSIDE
    try:
        mode = os.stat(path).st_mode
    except OSError:  # missing or unreadable: the reader says so
        return None
    return _kind(mode)


def _kind(mode: int) -> str | None:
    """Why a file of this mode is never read: a device, FIFO or socket."""
    kind = _KINDS.get(stat.S_IFMT(mode))
    return f"it is {kind}" if kind else None


def rel_path(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def glob_matches(path: Path, root: Path, globs: tuple[str, ...]) -> bool:
    rel = rel_path(path, root)
    return any(
        fnmatch.fnmatch(rel, g[1:])
        if g.startswith("/")  # anchored at the root: the whole relative path, never the name
        else fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(path.name, g)
        for g in globs
    )


def excluded(path: Path, root: Path, exclude: tuple[str, ...]) -> bool:
    if not exclude:
        return False
    rel = rel_path(path, root)
    for pattern in exclude:
        pattern = pattern.rstrip("/")
        if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(path.name, pattern):
            return True
        if fnmatch.fnmatch(rel, pattern + "/*"):
            return True
    return False


def display_path(path: Path, cwd: Path) -> str:
    text = os.fspath(path)
    prefix = os.path.join(os.fspath(cwd), "")
    if os.sep == "/" and text.startswith(prefix) and not _UNCLEAN.search(text[len(prefix) :]):
        return text[len(prefix) :]  # what relpath gives, without its cost (2,000 files a run)
    try:
        return Path(os.path.relpath(path.absolute(), cwd)).as_posix()
    except ValueError:  # another drive on Windows
        return path.absolute().as_posix()


_UNCLEAN = re.compile(r"(?:^|/)\.{1,2}(?:/|$)|//|^$|/$")  # what relpath would normalise
