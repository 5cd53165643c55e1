"""A project's actuals: found, read, turned into files findings can point at, and measured.

The engine calls ``attach`` only when the config declares ``[[actuals]]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kpilint.actuals.progress import Progress, direction_of, measure
from kpilint.actuals.read import Actuals, Point, read_all
from kpilint.findings import FILE_START, Pos
from kpilint.loader import Problem, SourceFile

if TYPE_CHECKING:
    from kpilint.engine import Loaded
    from kpilint.entities import KpiEntity

DEFAULT_CADENCE = 92  # one quarter, for a KPI without `timeline.review` (ACTUALS.md)
_INVALID_FIX = "Correct the row (id, date YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY, a number)"


@dataclass(slots=True)
class ProjectActuals:
    """What the KPI9xx rules and the reports read: the values and each KPI's progress."""

    data: Actuals
    files: list[SourceFile]  # every actuals file, read or not, for findings in it
    today: date
    _progress: dict[int, Progress | None] = field(default_factory=dict)

    @property
    def declared(self) -> bool:
        return self.data.declared

    def points(self, kpi: KpiEntity) -> list[Point]:
        return self.data.of(kpi.id or "", kpi.model.metric)

    def progress(self, kpi: KpiEntity) -> Progress | None:
        """The KPI's progress, or None when its target is not numeric (computed once)."""
        key = id(kpi)
        if key not in self._progress:
            self._progress[key] = _measure(self, kpi)
        return self._progress[key]

    def records(self, kpis: list[KpiEntity]) -> list[dict[str, Any]]:
        """The JSON report's ``progress`` list, in project order."""
        found = (self.progress(k) for k in kpis if k.live)
        return [p.as_json() for p in found if p is not None]


def cadence_days(kpi: KpiEntity) -> int:
    """RULES.md KPI303's day count of the KPI's review cadence; a quarter without one."""
    from kpilint.checks.timeline import CADENCE_DAYS

    timeline = kpi.model.timeline
    review = timeline.review if timeline is not None else None
    if not review:
        return DEFAULT_CADENCE
    try:
        return int(CADENCE_DAYS[review])
    except KeyError:
        return DEFAULT_CADENCE


def _measure(actuals: ProjectActuals, kpi: KpiEntity) -> Progress | None:
    target = kpi.target
    if target is None or not target.numeric:
        return None
    timeline = kpi.model.timeline
    start = timeline.start if timeline is not None else None
    got = measure(
        kpi.id or "",
        actuals.points(kpi),
        target_value=target.value,
        change=target.change,
        unit=target.unit,
        direction=direction_of(target.direction),
        strict=target.strict,
        baseline=target.baseline,
        start=start,
        end=kpi.deadline,
        cadence_days=cadence_days(kpi),
    )
    by_hand = actuals.data.by_hand.get(kpi.id or "")
    if got is not None and by_hand is not None:  # SOURCES.md open-sdg: a status set by hand
        return Progress(
            got.kpi, by_hand, None, got.base, got.current, got.target_date,
            got.target, "set by hand", got.direction,
        )  # fmt: skip
    several = actuals.data.several
    if got is not None and (kpi.id in several or kpi.model.metric in several):
        return Progress(
            got.kpi, "not_available", None, got.base, got.current, got.target_date,
            got.target, "several series", got.direction,
        )  # fmt: skip
    return got


def attach(loaded: Loaded, today: date, cwd: Path, named: list[Path]) -> None:
    """Read the project's actuals into ``loaded.actuals`` (``UsageError``: a glob finds nothing).

    An actuals file is reported when it is named or lies in a named folder, as
    a KPI file is.
    """
    from kpilint.errors import UsageError
    from kpilint.project import discover, rel_path

    config, project = loaded.config, loaded.project
    root = project.root
    specs = config.actuals_specs()
    kpi_files = {sf.path for sf in project.files}
    files: list[tuple[Path, int]] = []
    seen: set[Path] = set()
    for index, spec in enumerate(specs):
        refused: dict[Path, str] = {}
        found = discover(root, root, spec.include, (*config.exclude, *spec.exclude), refused)
        for path, why in refused.items():
            loaded.refused.setdefault(path, why)
        if not found and not refused:
            raise UsageError(
                f"{config.source or 'config'}: {spec.where_declared}: no file matches "
                f"{', '.join(spec.include)} (globs are relative to the project root {root}); "
                "correct `include`, or remove the [[actuals]] table"
            )
        for path in found:
            if path not in seen and path not in kpi_files:
                seen.add(path)
                files.append((path, index))
    files.sort(key=lambda item: rel_path(item[0], root))
    reported = [
        path
        for path, _ in files
        if any(path == n or (n.is_dir() and path.is_relative_to(n)) for n in named)
    ]
    _build(loaded, files, today, cwd, None, reported)


def _build(
    loaded: Loaded,
    files: list[tuple[Path, int]],
    today: date,
    cwd: Path,
    texts: dict[Path, bytes | None] | None,
    reported: list[Path],
) -> None:
    """Read ``files`` (``texts`` instead of the disk when given) into ``loaded.actuals``."""
    from kpilint.project import display_path

    config, project = loaded.config, loaded.project
    data = read_all(
        config.actuals_specs(),
        files,
        project.ids("kpi"),
        project.ids("metric"),
        today,
        config.max_file_size,
        texts,
    )
    problems: dict[Path, list[Problem]] = {path: [] for path, _ in files}
    for row in data.invalid:
        problems[row.path].append(Problem("KPI906", Pos(row.line, 1), row.message, _INVALID_FIX))
    for bad in data.unreadable:
        problems[bad.path].append(Problem("KPI001", FILE_START, bad.message))
    sources: list[SourceFile] = []
    shown = set(reported)
    for path, _ in files:
        sf = SourceFile(path=path, display=display_path(path, cwd), problems=problems[path])
        sources.append(sf)
        if path in shown:
            loaded.reported.add(sf.display)
    loaded.actuals = ProjectActuals(data, sources, today)


def attach_tree(
    loaded: Loaded, entries: list[Any], top: Path, prefix: str, today: date, cwd: Path
) -> None:
    """``attach`` for a git revision (``kpilint diff``): the actuals files among ``entries``
    (a tree's, below ``prefix``), read from their blobs; every one is reported."""
    from kpilint import gitio
    from kpilint.project import excluded, glob_matches, rel_path

    config = loaded.config
    root = loaded.project.root
    kpi_files = {sf.path for sf in loaded.project.files}
    picked: dict[Path, tuple[int, Any]] = {}
    for index, spec in enumerate(config.actuals_specs()):
        for e in entries:
            if not e.path.startswith(prefix) or e.mode == gitio.MODE_SYMLINK:
                continue
            path = top.joinpath(*e.path.split("/"))
            if path in picked or path in kpi_files or not glob_matches(path, root, spec.include):
                continue
            if not excluded(path, root, (*config.exclude, *spec.exclude)):
                picked[path] = (index, e)
    small = {p: e for p, (_, e) in picked.items() if e.size <= config.max_file_size}
    blobs = gitio.read_blobs([e.oid for e in small.values()], top)
    texts: dict[Path, bytes | None] = {p: blobs[e.oid] for p, e in small.items()}
    texts.update({p: None for p in picked if p not in small})  # too big: not read
    files = sorted(((p, i) for p, (i, _) in picked.items()), key=lambda f: rel_path(f[0], root))
    _build(loaded, files, today, cwd, texts, [p for p, _ in files])


def before(
    loaded: Loaded, project: Any, old: dict[str, bytes | None], today: date
) -> ProjectActuals | None:
    """The actuals of impact's "before" project: each named actuals file as ``HEAD`` has
    it (``old``, display -> bytes; None: not in ``HEAD``), the others as they are."""
    now = loaded.actuals
    if now is None:
        return None
    specs = loaded.config.actuals_specs()
    index = {p: i for p, i in _spec_index(loaded.config, project.root)}
    texts: dict[Path, bytes | None] = {}
    files: list[tuple[Path, int]] = []
    for sf in now.files:
        if sf.display in old:
            blob = old[sf.display]
            if blob is None:
                continue  # new since HEAD: "before" has no such file
            texts[sf.path] = blob
        files.append((sf.path, index.get(sf.path, 0)))
    data = read_all(
        specs,
        files,
        project.ids("kpi"),
        project.ids("metric"),
        today,
        loaded.config.max_file_size,
        texts,
    )
    return ProjectActuals(data, now.files, today)


def _spec_index(config: Any, root: Path) -> list[tuple[Path, int]]:
    from kpilint.project import discover

    out: list[tuple[Path, int]] = []
    for i, spec in enumerate(config.actuals_specs()):
        out += [
            (p, i) for p in discover(root, root, spec.include, (*config.exclude, *spec.exclude), {})
        ]
    return list(reversed(out))  # the first spec wins in the dict built from it


def cached_progress(root: Path, key: str | None) -> list[Any] | None:
    """The progress records cached beside a run's findings, as ``[records]``; None: a miss."""
    from kpilint import cache

    data = cache.load_data(root, f"{key}-progress.json") if key else None
    if not isinstance(data, dict) or "progress" not in data:
        return None
    records = data["progress"]
    ok = records is None or (
        isinstance(records, list) and all(isinstance(r, dict) for r in records)
    )
    return [records] if ok else None


def is_actuals(path: Path, root: Path, config: Any) -> bool:
    """``path`` (named on the command line) is one of the project's actuals files."""
    from kpilint.project import excluded, glob_matches

    return any(
        glob_matches(path, root, spec.include)
        and not excluded(path, root, (*config.exclude, *spec.exclude))
        for spec in config.actuals_specs()
    )


def paths(loaded_config: Any, root: Path) -> list[Path]:
    """The actuals files of a project, for cache keys, impact and ``diff`` (no reading)."""
    from kpilint.project import discover

    out: list[Path] = []
    for spec in loaded_config.actuals_specs():
        out += discover(root, root, spec.include, (*loaded_config.exclude, *spec.exclude), {})
    return sorted(set(out))


__all__ = ["ProjectActuals", "attach", "cadence_days", "paths"]
