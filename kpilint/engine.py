"""The engine: load the project, run the enabled rules, stamp, filter, report.

``lint(paths, config)`` is the library entry point. It never prints and never
exits; misuse raises ``UsageError`` (the CLI turns it into exit 2).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kpilint import cache
from kpilint.config import Config, ConfigError, Resolved
from kpilint.context import Context
from kpilint.entities import Entity, GoalEntity, IncentiveEntity, KpiEntity, MetricEntity, Violation
from kpilint.errors import UsageError as UsageError  # re-exported
from kpilint.findings import (
    SEVERITY_RANK,
    EntityRef,
    Finding,
    Fix,
    Report,
    RuleInfo,
    Summary,
    assign_fingerprints,
)
from kpilint.loader import SourceFile, read_file, read_text
from kpilint.project import (
    OUTSIDE,
    Project,
    discover,
    excluded,
    find_root_of_named,
    is_kpi_name,
    leaves,
    real_folder,
    rel_path,
    unreadable,
)
from kpilint.project import (
    display_path as display_path,  # re-exported
)
from kpilint.registry import Check, Rule, registry, rule_names
from kpilint.suppressions import apply
from kpilint.validate import entities_of

Overlay = dict[Path, "str | bytes"]  # absolute path -> text that replaces the file's
# Loads one project file: (path, display path, overlay text or None) -> file and its entities
Load = Callable[[Path, str, "str | bytes | None"], "tuple[SourceFile, list[Entity[Any]]]"]
Read = Callable[[Path, str, "str | bytes | None", Load], "tuple[SourceFile, list[Entity[Any]]]"]


@dataclass(slots=True)
class Loaded:
    """A project loaded for linting, and which of its files the user named."""

    project: Project
    config: Config
    reported: set[str]  # display paths of the files whose findings are reported
    source_of: dict[str, int] = field(default_factory=dict)  # display -> its [[sources]] index
    refused: dict[Path, str] = field(default_factory=dict)  # files not read -> why (warnings)
    actuals: Any = None  # kpilint.actuals.load.ProjectActuals, when the config declares actuals


def lint(
    paths: Sequence[str | os.PathLike[str]] = (".",),
    config: Config | None = None,
    *,
    today: date | None = None,
    cwd: Path | None = None,
    overrides: dict[str, Any] | None = None,
    force_exclude: bool = False,
    source_format: str | None = None,
    on_project: Callable[[Loaded, date], None] | None = None,
    progress: Callable[[str], None] | None = None,
    use_cache: bool = False,
    overlay: Mapping[Path, str | bytes] | None = None,
    impact: bool = True,
) -> Report:
    """Lint ``paths``; each path's project is loaded whole, findings are for ``paths`` only.

    ``config`` replaces the discovered project config; ``overrides`` are applied
    over whichever config is used (the command line's options). ``source_format``
    reads another format (``gitlab-pi``, ``csv``) through its importer: then only
    the named files and folders make the project, and findings point into them.
    ``on_project`` receives each loaded project (the audit keeps them);
    ``progress`` is told what is happening; ``use_cache`` reuses the findings of
    an unchanged project from ``.kpilint_cache/`` (see ``kpilint.cache``).
    ``overlay`` gives the text of some files (absolute paths) instead of the disk:
    stdin (``--stdin-filename``) and an editor's unsaved buffers. Such a file
    need not exist; it is part of its project whatever its name.
    ``impact``: when only part of a project is named, also report findings in
    its other files that the project at git ``HEAD`` does not have (FORMAT.md;
    ``kpilint.impact``).
    """
    if isinstance(paths, (str, os.PathLike)):  # one path, not its characters
        paths = [paths]
    with paused_gc():  # millions of small objects, no cycles worth collecting
        return _lint(
            paths,
            config,
            today,
            cwd,
            overrides,
            force_exclude,
            source_format,
            on_project,
            progress,
            use_cache,
            _absolute(overlay, cwd),
            impact and source_format is None,
        )


def _absolute(overlay: Mapping[Path, str | bytes] | None, cwd: Path | None) -> Overlay:
    base = (cwd or Path.cwd()).resolve()
    return {Path(os.path.normpath(base / p)): text for p, text in (overlay or {}).items()}


def _lint(
    paths: Sequence[str | os.PathLike[str]],
    config: Config | None,
    today: date | None,
    cwd: Path | None,
    overrides: dict[str, Any] | None,
    force_exclude: bool,
    source_format: str | None,
    on_project: Callable[[Loaded, date], None] | None,
    progress: Callable[[str], None] | None,
    use_cache: bool,
    overlay: Overlay,
    impact: bool,
) -> Report:
    cwd = (cwd or Path.cwd()).resolve()
    report = Report()
    findings: list[Finding] = []
    say = progress or (lambda _message: None)
    for root, config_file, named in _group_by_project(paths, cwd, overlay):
        say(f"loading {display_path(root, cwd)}")
        project_config = config or (Config.from_file(config_file) if config_file else Config())
        if overrides:
            project_config = project_config.with_overrides(**overrides)
        day = today or project_config.today or date.today()
        report.today = day
        report.fail_on = project_config.fail_on
        report.rules.update(rule_infos(project_config))
        key = None
        found_files = None  # the project's files, when the cache key needed them
        if use_cache and source_format is None and on_project is None and not overlay:
            found_files = project_files(root, named, project_config, force_exclude=force_exclude)
            displays = [display_path(p, cwd) for p in found_files.paths]
            reported = {d for d, r in zip(displays, found_files.reported, strict=True) if r}
            try:
                key = _cache_key(project_config, cwd, day, found_files, root, impact)
            except cache.Unusable as exc:  # no secret to key it with: said once a run
                key = None
                if str(exc) not in report.notes:
                    report.notes.append(str(exc))
            hit = cache.load(root, key, {"", *displays}) if key else None
            kept = None
            if hit is not None and project_config.actuals:
                from kpilint.actuals.load import cached_progress

                kept = cached_progress(root, key)
            if hit is not None and project_config.actuals and kept is None:
                hit = None  # the progress records went (pruned): lint again
            if hit is not None:
                if kept:  # [records], or [None] when the project declared no actuals
                    _add_progress(report, kept[0])
                note_refused(report, found_files.refused, cwd)
                report.files |= reported
                report.partial |= len(reported) < len(displays)
                findings.extend(hit[0])
                for name, n in hit[1].items():
                    setattr(report.summary, name, getattr(report.summary, name) + n)
                continue
        if source_format is not None:
            loaded = load_foreign(source_format, root, named, project_config, cwd)
            project_config = loaded.config = _preset_actuals(source_format, loaded)
        else:
            loaded = load_project(
                root,
                named,
                project_config,
                cwd,
                force_exclude=force_exclude,
                overlay=overlay,
                found=found_files,
            )
        note_refused(report, loaded.refused, cwd)
        report.files |= loaded.reported
        report.partial |= len(loaded.reported) < len(loaded.project.files)
        if project_config.actuals:  # ACTUALS.md: only then is anything of it imported
            from kpilint.actuals.load import attach

            attach(loaded, day, cwd, named)
            note_refused(report, loaded.refused, cwd)
        say(f"running rules on {len(loaded.project.files)} files")
        found = run_rules_with_impact(loaded, day, cwd) if impact else run_rules(loaded, day)
        # --fix writes a file only if it still has the text these findings came from.
        report.texts.update(
            (sf.display, hash(sf.text))
            for sf in loaded.project.files
            if sf.display in loaded.reported
        )
        findings.extend(found)
        records = None
        if loaded.actuals is not None and loaded.actuals.declared:
            shown = [k for k in loaded.project.kpis if k.file.display in loaded.reported]
            records = loaded.actuals.records(shown)
            _add_progress(report, records)
        if on_project is not None:
            on_project(loaded, day)
        counts = Summary()
        count_entities(counts, loaded)
        for name in ("files", "goals", "metrics", "kpis", "incentives"):
            setattr(report.summary, name, getattr(report.summary, name) + getattr(counts, name))
        if key:
            note = cache.store(root, key, found, asdict(counts))
            if project_config.actuals and not note:
                cache.store_data(root, f"{key}-progress.json", {"progress": records})
            if note:
                report.notes.append(note)
    findings, report.summary.omitted = cap_per_file(findings, MAX_FINDINGS_PER_FILE)
    findings.sort(key=lambda f: f.sort_key)
    report.findings = assign_fingerprints(findings)
    report.recount()
    return report


def _add_progress(report: Report, records: list[dict[str, Any]] | None) -> None:
    """ACTUALS.md: the JSON report's ``progress`` list, when a project declares actuals."""
    if records is not None:
        report.progress = [*(report.progress or []), *records]


MAX_FINDINGS_PER_FILE = 1000  # CLI.md "Output safety and size"


def note_refused(report: Report, refused: Mapping[Path, str], cwd: Path) -> None:
    """A warning naming each file not read (SOURCES.md "Files"), once."""
    for path, why in sorted(refused.items()):
        note = f"not read {display_path(path, cwd)}: {why}"
        if note not in report.notes:
            report.notes.append(note)


def cap_per_file(findings: list[Finding], limit: int) -> tuple[list[Finding], int]:
    """At most ``limit`` findings of each file, the most severe first; and how many were left.

    An absurd file (390,000 tiny KPIs) must not make a report of millions of
    lines. Keeping the most severe keeps the exit code: were an omitted finding
    at the fail level, every kept one would be too.
    """
    by_file: dict[str, list[Finding]] = {}
    for f in findings:
        by_file.setdefault(f.path, []).append(f)
    if all(len(mine) <= limit for mine in by_file.values()):
        return findings, 0
    kept: list[Finding] = []
    for mine in by_file.values():
        if len(mine) > limit:
            mine.sort(key=lambda f: (-SEVERITY_RANK[f.severity], f.sort_key))
            del mine[limit:]
        kept += mine
    return kept, len(findings) - len(kept)


def _cache_key(
    config: Config, cwd: Path, day: date, found: ProjectFiles, root: Path, impact: bool
) -> str | None:
    """The key of a run's findings: config, today, the files and, for impact, git HEAD."""
    parts = [
        config.fingerprint(),
        str(config.source),
        day.isoformat(),
        str(cwd),
        *(f"{p}:{r}" for p, r in zip(found.paths, found.reported, strict=True)),
    ]
    if impact and not all(found.reported):
        from kpilint import gitio

        parts.append(f"HEAD:{gitio.head_of(root)}")  # impact is measured against it
    if config.owners:
        from kpilint import owners

        inputs = [*found.paths, owners.path_of(root, config.owners)]
    else:
        inputs = list(found.paths)
    if config.actuals:  # their values decide KPI9xx (ACTUALS.md)
        from kpilint.actuals.load import paths

        actuals = paths(config, root)
        parts += [f"actuals:{p}" for p in actuals]
        inputs += actuals
    return cache.digest(parts, inputs, cache.secret())  # Unusable: no secret, no cache


def rule_infos(config: Config) -> dict[str, RuleInfo]:
    rules = registry()
    return {
        code: RuleInfo(code, rules[code].name, level, m.summary, m.why, m.fix)
        for code, level in config.resolve().severities.items()
        if (m := rules[code].meta)
    }


def _group_by_project(
    paths: Sequence[str | os.PathLike[str]], cwd: Path, overlay: Overlay
) -> list[tuple[Path, Path | None, list[Path]]]:
    groups: dict[Path, tuple[Path | None, list[Path]]] = {}
    for raw in paths or (".",):
        path = (cwd / Path(raw)).absolute()
        if not path.exists() and Path(os.path.normpath(path)) not in overlay:
            raise UsageError(f"path '{raw}' does not exist; name a KPI file or a folder")
        root, config_file = find_root_of_named(path, cwd)
        groups.setdefault(root, (config_file, []))[1].append(Path(os.path.normpath(path)))
    return [(root, cfg, named) for root, (cfg, named) in groups.items()]


@dataclass(slots=True)
class ProjectFiles:
    """The files of a project in project order, and which of them were named."""

    paths: list[Path]  # as found (not resolved), sorted by root-relative path
    reported: list[bool]
    sources: dict[Path, int] = field(default_factory=dict)  # path -> its [[sources]] index
    refused: dict[Path, str] = field(default_factory=dict)  # files never read -> why


def project_files(
    root: Path,
    named: list[Path],
    config: Config,
    *,
    force_exclude: bool = False,
    extra: Iterable[Path] = (),
) -> ProjectFiles:
    """Every KPI file of the project, plus named files whatever their name.

    ``force_exclude`` applies ``exclude`` to named files too (pre-commit names them).
    ``extra`` files (an overlay's, below ``root``) belong to the project as well.
    A file that must not be read (``project.unreadable``) is in ``refused`` instead.
    """
    include, exclude = tuple(config.include), tuple(config.exclude)
    # One stat per file identifies it (symlinked twins included); pathlib's
    # resolve() and relative_to() would dominate a cached pre-commit run.
    # Named folders as given and as resolved: a file is reported when it lies
    # in one either way, and by the path that lies in it (a symlinked file is
    # reported by its link's name, not its target's).
    inside = real_folder(root)
    refused: dict[Path, str] = {}
    named_dirs = [
        (os.path.join(str(path), ""), os.path.join(os.path.realpath(path), ""))
        for path in named
        if path.is_dir()
    ]
    for path in named:  # a folder that is a symlink out of the project: nothing in it is read
        if path.is_dir() and leaves(path, inside):  # (``find_root_of_named``): exit 2 below
            refused[path] = OUTSIDE
    given = tuple(d for d, _ in named_dirs)
    paths: dict[tuple[int, int], Path] = {}
    for p in discover(root, root, include, exclude, refused):
        ident = file_identity(p)
        if ident not in paths or (
            str(p).startswith(given) and not str(paths[ident]).startswith(given)
        ):
            paths[ident] = p
    for p in extra:
        if (
            p.is_relative_to(root)
            and is_kpi_name(p.name, include)
            and not excluded(p, root, exclude)
        ):
            paths.setdefault(file_identity(p), p)
            refused.pop(p, None)  # its text is the overlay's, not the disk's
    from_source = source_files(root, config, paths, refused=refused)
    named_files: set[tuple[int, int]] = set()
    overlaid = set(extra)
    for path in named:
        if path.is_dir():
            continue
        if force_exclude and excluded(path, root, exclude):
            continue
        if config.actuals and _is_actuals(path, root, config):
            continue  # read as actuals (kpilint.actuals.load), not as a KPI file
        why = None if path in overlaid else unreadable(path, inside)
        if why is not None:
            refused[path] = why
            continue
        ident = file_identity(path)
        paths[ident] = path  # reported by the name it was given
        named_files.add(ident)
    prefix = os.path.join(str(root), "")

    def rel(path: Path) -> str:
        text = str(path)
        return text[len(prefix) :] if text.startswith(prefix) else text

    order = sorted(paths, key=lambda ident: rel(paths[ident]))
    found = ProjectFiles(
        [paths[ident] for ident in order],
        [
            ident in named_files or (bool(named_dirs) and _in_dirs(paths[ident], named_dirs))
            for ident in order
        ],
        {paths[ident]: from_source[ident] for ident in order if ident in from_source},
        refused,
    )
    if named_dirs:
        shown = [p for p, r in zip(found.paths, found.reported, strict=True) if r]
        _require_files(named_dirs, shown, include, _source_globs(config), refused)
    return found


def _is_actuals(path: Path, root: Path, config: Config) -> bool:
    from kpilint.actuals.load import is_actuals

    return is_actuals(path, root, config)


def _source_globs(config: Config) -> list[str]:
    """Each configured source and its globs, for "no file to lint" (what else was looked for)."""
    if not config.sources:
        return []
    return [
        f"source {spec.where_declared}"
        + (f" (preset '{spec.preset}')" if spec.preset else "")
        + f": {', '.join(spec.include)}"
        for spec in config.source_specs()
    ]


def _in_dirs(path: Path, dirs: Sequence[tuple[str, str]]) -> bool:
    """``path`` lies in one of ``dirs`` (as given, or resolved: both end with a separator)."""
    text = str(path)
    if any(text.startswith(given) for given, _ in dirs):
        return True
    real = os.path.realpath(path)
    return any(real.startswith(resolved) for _, resolved in dirs)


def _require_files(
    dirs: list[tuple[str, str]],
    reported: Sequence[Path],
    patterns: Sequence[str],
    sources: Sequence[str] = (),
    refused: Mapping[Path, str] | None = None,
) -> None:
    """A named folder with nothing to lint is a mistake (a typo must not pass CI): exit 2."""
    for folder in dirs:
        if not any(_in_dirs(p, [folder]) for p in reported):
            raise _nothing_to_lint(folder[0], patterns, sources, refused)


def _nothing_to_lint(
    folder: str,
    patterns: Sequence[str],
    sources: Sequence[str] = (),
    refused: Mapping[Path, str] | None = None,
) -> UsageError:
    """The error; it names the files in ``folder`` not read, whose warnings it would hide."""
    shown = os.path.relpath(folder.rstrip(os.sep) or os.sep)
    prefix = os.path.join(folder, "")
    skipped = "".join(
        f"; not read {os.path.relpath(p)}: {why}"
        for p, why in (refused or {}).items()
        if os.path.join(p, "").startswith(prefix)
    )
    if sources:  # the source's globs are relative to the project root (SOURCES.md)
        return UsageError(
            f"no file to lint in folder '{shown}' (looked for KPI files {', '.join(patterns)}; "
            f"{'; '.join(sources)}{skipped}); name a folder that holds them, or correct the "
            "source's `include` (relative to the project root)"
        )
    return UsageError(
        f"no file to lint in folder '{shown}' (looked for {', '.join(patterns)}{skipped}); "
        "name a folder that holds KPI files, or set `include` in the config"
    )


def source_files(
    root: Path,
    config: Config,
    paths: dict[tuple[int, int], Path],
    folder: Path | None = None,
    refused: dict[Path, str] | None = None,
) -> dict[tuple[int, int], int]:
    """Files of the configured sources (added to ``paths``) -> the index of their source.

    A KPI file is never a source file, and a file two sources match is the first's.
    ``folder`` (default: the root) limits the walk, as ``diff`` does to its scope.
    Files never read go in ``refused`` (``discover``).
    """
    found: dict[tuple[int, int], int] = {}
    if not config.sources:
        return found
    exclude = tuple(config.exclude)
    for index, spec in enumerate(config.source_specs()):
        globs = spec.include, (*exclude, *spec.exclude)
        for p in discover(folder or root, root, *globs, refused):
            ident = file_identity(p)
            if ident not in paths:
                paths[ident] = p
                found[ident] = index
    return found


def file_identity(path: Path) -> tuple[int, int]:
    """(device, inode): one file, whatever path (or symlink) names it."""
    try:
        st = os.stat(path)
    except OSError:
        return (-1, hash(str(path)))
    return (st.st_dev, st.st_ino)


def load_project(
    root: Path,
    named: list[Path],
    config: Config,
    cwd: Path,
    *,
    force_exclude: bool = False,
    overlay: Overlay | None = None,
    read: Read | None = None,
    found: ProjectFiles | None = None,
) -> Loaded:
    """Load and validate the project's files (see ``project_files``).

    ``read`` wraps the loading of each file (the language server's cache of
    unchanged files): it gets the path, its display path, the overlay's text
    for it (or None) and the function that loads it. ``found`` is ``project_files``'
    answer when the caller has it already (the cache key needs it: one walk, not two).
    """
    overlay = overlay or {}
    if found is None:
        found = project_files(root, named, config, force_exclude=force_exclude, extra=overlay)
    by_identity = {file_identity(p): text for p, text in overlay.items()}
    files = []
    entities: list[Entity[Any]] = []
    reported: set[str] = set()
    readers = source_readers(config) if found.sources else []
    for n, reader in enumerate(readers):  # `merge-by` reads a source's files together
        reader.partners = [p for p, i in found.sources.items() if i == n]
    source_of: dict[str, int] = {}

    def load(
        path: Path, display: str, text: str | bytes | None
    ) -> tuple[SourceFile, list[Entity[Any]]]:
        index = found.sources.get(path)
        if index is not None:
            if text is None:
                sf = readers[index].read(path, display, config.max_file_size)
            else:
                raw = text.encode("utf-8") if isinstance(text, str) else text
                sf = readers[index].parse(path, display, raw)
        elif text is None:
            sf = read_file(path, display, config.max_file_size)
        else:
            sf = read_text(path, display, text, config.max_file_size)
        return sf, entities_of(sf)  # now, so its nested positions go at once

    with paused_gc():
        for path, is_reported in zip(found.paths, found.reported, strict=True):
            text = by_identity.get(file_identity(path)) if overlay else None
            display = display_path(path, cwd)
            sf, of_file = read(path, display, text, load) if read else load(path, display, text)
            files.append(sf)
            entities.extend(of_file)
            if is_reported:
                reported.add(sf.display)
            if path in found.sources:
                source_of[sf.display] = found.sources[path]
    project = Project(root, files, entities)
    return Loaded(project, config, reported, source_of, found.refused)


def source_readers(config: Config) -> list[Any]:
    """One ``SourceReader`` per ``[[sources]]`` (goals made once per source and run)."""
    from kpilint.sources.load import SourceReader

    root = config.source.parent if config.source is not None else None
    return [SourceReader(spec, root=root) for spec in config.source_specs()]


def load_foreign(fmt: str, root: Path, named: list[Path], config: Config, cwd: Path) -> Loaded:
    """Definitions in another format, read by its importer into ``SourceFile``s."""
    from kpilint.sources.formats import reader_of

    source = reader_of(fmt)
    unique, refused = foreign_files(source, root, named, config)
    from kpilint.sources.load import SourceReader

    if isinstance(source, SourceReader):  # a preset: `$path` from this root, files merged
        source.root, source.partners = root, unique
    with paused_gc():
        files = [source.read(p, display_path(p, cwd), config.max_file_size) for p in unique]
        entities = [e for sf in files for e in entities_of(sf)]
    reported = {sf.display for sf in files}
    return Loaded(Project(root, files, entities), config, reported, refused=refused)


def _preset_actuals(fmt: str, loaded: Loaded) -> Config:
    """The config with the actuals a preset declares itself (SOURCES.md: open-sdg's data)."""
    from dataclasses import replace

    from kpilint.sources.presets import site_actuals

    root = loaded.project.root
    extra = site_actuals(fmt, root, [sf.path for sf in loaded.project.files])
    config = loaded.config
    return replace(config, actuals=(*config.actuals, *extra)) if extra else config


def foreign_files(
    source: Any, root: Path, named: list[Path], config: Config
) -> tuple[list[Path], dict[Path, str]]:
    """What ``--from`` reads of ``named``: a named file always; in a folder, what the globs match.

    A preset's globs match the end of a path (``SourceReader.find``); a folder where
    they match nothing is a mistake: exit 2 naming them.
    """
    paths: list[Path] = []
    refused: dict[Path, str] = {}
    find = getattr(source, "find", None)
    for path in named:
        if path.is_dir():
            exclude = tuple(config.exclude)
            if find is not None:
                inside = find(path, root, exclude, refused)
            else:
                inside = discover(path, root, source.GLOBS, exclude, refused)
            if not inside and find is not None:
                shown = os.path.relpath(str(path).rstrip(os.sep) or os.sep)
                skipped = "".join(
                    f"; not read {os.path.relpath(p)}: {why}" for p, why in refused.items()
                )
                raise UsageError(
                    f"no file to lint in folder '{shown}' (the preset's globs "
                    f"{', '.join(source.GLOBS)} match the end of a file's path{skipped}); "
                    "name the folder that holds those files, or the files themselves"
                )
            if not inside:
                raise _nothing_to_lint(str(path), source.GLOBS, refused=refused)
            paths.extend(inside)
        elif (why := unreadable(path, real_folder(root))) is not None:
            refused[path] = why
        else:
            paths.append(path)
    unique = sorted(dict.fromkeys(p.resolve() for p in paths), key=lambda p: rel_path(p, root))
    return unique, refused


def run_rules_with_impact(loaded: Loaded, today: date, cwd: Path) -> list[Finding]:
    """``run_rules``, plus the named files' impact on the others on a partial run."""
    everything = {sf.display for sf in loaded.project.files}
    if loaded.reported >= everything:
        return run_rules(loaded, today)
    from kpilint import gitio

    if gitio.work_tree_top(loaded.project.root) is None:
        return run_rules(loaded, today)
    from kpilint.impact import impact

    if loaded.actuals is not None:  # findings in a named actuals file, too
        everything |= {sf.display for sf in loaded.actuals.files} & loaded.reported
    whole = Loaded(loaded.project, loaded.config, everything, actuals=loaded.actuals)
    found = run_rules(whole, today)
    named = [f for f in found if f.path in loaded.reported]
    return named + impact(loaded, found, today, cwd)


def run_rules(
    loaded: Loaded, today: date, *, local: bool = False, only: Collection[Any] | None = None
) -> list[Finding]:
    """Run every enabled check, then apply scope, suppressions and KPI008-KPI011.

    ``local`` runs entity checks only on the entities of reported files: an
    entity check reports on its own entity (``tests/test_server_parts.py`` holds it to
    that), so a few files of a large project are linted in a fraction of the time.
    ``only`` runs them only on those entities (the impact's "before", ``kpilint.impact``).
    """
    resolved = loaded.config.resolve()
    rules = registry()
    project = loaded.project
    ctx = Context(project, today, owners_of(loaded), loaded.actuals)
    reported = {sf.display: sf for sf in project.files if sf.display in loaded.reported}
    if loaded.actuals is not None:  # findings in actuals files (KPI001, KPI906)
        reported.update(
            (sf.display, sf) for sf in loaded.actuals.files if sf.display in loaded.reported
        )

    chosen = None if only is None else {id(e) for e in only}

    def mine(entities: list[Any]) -> list[Any]:
        if chosen is not None:
            entities = [e for e in entities if id(e) in chosen]
        return [e for e in entities if e.file.display in reported] if local else entities

    subjects: dict[type, list[Any]] = {
        KpiEntity: mine([k for k in project.kpis if k.live]),
        GoalEntity: mine(project.goals),
        MetricEntity: mine(project.metrics),
        IncentiveEntity: mine(project.incentives),
        SourceFile: list(reported.values()),
        Project: [project],
    }
    found = [f for f in run_checks(subjects, ctx, resolved) if f.path in reported]
    found = drop_per_file_ignored(found, reported, resolved, project.root)
    found = drop_source_ignored(found, reported)
    names = rule_names()
    entities = [e for e in project.all_entities() if e.file.display in reported]
    # KPI8xx run only in `kpilint diff`, where a suppression with a reason answers them:
    # such a comment is never "unused" (KPI010) in a plain lint.
    linted = {c: s for c, s in resolved.severities.items() if rules[c].meta.family != "governance"}
    outcome = apply(found, reported, linted, names, today=today, entities=entities)
    return outcome.kept + run_checks(outcome.subjects(), ctx, resolved)


def owners_of(loaded: Loaded) -> frozenset[str] | None:
    """The config's owners list (ConfigError when it cannot be read), or None."""
    setting = loaded.config.owners
    if setting is None:
        return None
    from kpilint import owners

    return owners.load(loaded.project.root, setting, loaded.config.max_file_size)


def run_checks(
    subjects: Mapping[type, Sequence[Any]], ctx: Context, resolved: Resolved
) -> list[Finding]:
    """Every enabled check whose scope is in ``subjects``, over those subjects."""
    rules = registry()
    found: list[Finding] = []
    for code in resolved.severities:
        rule = rules[code]
        for check in rule.checks:
            targets = subjects.get(check.scope)
            if targets:
                found += _run(rule, check, targets, ctx, resolved)
    return found


def _run(
    rule: Rule, check: Check, subjects: Sequence[Any], ctx: Context, resolved: Resolved
) -> list[Finding]:
    """``check`` on every subject; a subject it fails on gets KPI000 instead of findings."""
    options = resolved.options.get(rule.code, {})
    kwargs = {name: options[name] for name in check.defaults if name in options}
    if check.wants_ctx:
        kwargs["ctx"] = ctx
    severity = resolved.severities[rule.code]
    func = check.func
    found: list[Finding] = []
    for subject in subjects:
        try:
            found += [_finding(rule, severity, v) for v in func(subject, **kwargs)]
        except Exception as exc:  # one broken rule must not take the run down
            found.append(_internal_error(rule, subject, exc))
    return found


def _finding(rule: Rule, severity: str, v: Violation) -> Finding:
    edits = () if v.file.catalogue else v.edits  # a catalogue kpilint does not own: text fix
    applicability = rule.meta.applicability if edits else "none"
    return Finding(
        code=rule.code,
        name=rule.name,
        severity=severity,  # type: ignore[arg-type]
        path=v.file.display,
        line=v.pos.line,
        column=v.pos.column,
        entity=v.entity,
        message=v.message,
        fix=Fix(v.fix or rule.meta.fix, applicability, edits),  # type: ignore[arg-type]
        key=v.key,
    )


def _internal_error(rule: Rule, subject: Any, exc: Exception) -> Finding:
    import traceback

    entity = subject if isinstance(subject, Entity) else None
    file = entity.file if entity else subject if isinstance(subject, SourceFile) else None
    where = traceback.extract_tb(exc.__traceback__)[-1]
    what = entity.label if entity else (file.display if file else "the project")
    return Finding(
        code="KPI000",
        name="internal-error",
        severity="error",
        path=file.display if file else "",
        line=entity.pos.line if entity else 1,
        column=entity.pos.column if entity else 1,
        entity=EntityRef(entity.kind, entity.id) if entity else None,
        message=(
            f"internal error: rule {rule.code} ({rule.name}) failed on {what}: "
            f"{type(exc).__name__}: {exc} ({Path(where.filename).name}:{where.lineno})"
        ),
        fix=Fix("This is a bug in kpilint; please report it with this message"),
    )


def drop_per_file_ignored(
    found: list[Finding], files: dict[str, SourceFile], resolved: Resolved, root: Path
) -> list[Finding]:
    if not resolved.per_file_ignores:
        return found
    import fnmatch

    def ignored(f: Finding) -> bool:
        rel = rel_path(files[f.path].path.resolve(), root)
        return any(
            f.code in codes and (fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(f.path, pattern))
            for pattern, codes in resolved.per_file_ignores
        )

    return [f for f in found if not ignored(f)]


def drop_source_ignored(found: list[Finding], files: dict[str, SourceFile]) -> list[Finding]:
    """A source's ``ignore``: rules its catalogue's format has no place for (SOURCES.md)."""
    ignoring = {d: sf.ignores for d, sf in files.items() if sf.ignores}
    if not ignoring:
        return found
    from kpilint.suppressions import Targets

    targets = Targets(rule_names())
    return [
        f
        for f in found
        if f.path not in ignoring or not any(f.code in targets(s) for s, _ in ignoring[f.path])
    ]


def count_entities(summary: Summary, loaded: Loaded) -> None:
    for sf in loaded.project.files:
        if sf.display in loaded.reported:
            summary.files += 1
    for entity in loaded.project.all_entities():
        if entity.file.display in loaded.reported:
            field = entity.kind + "s"
            setattr(summary, field, getattr(summary, field) + 1)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Building many small objects triggers GC passes that grow with the heap."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


__all__ = ["ConfigError", "Context", "UsageError", "is_kpi_name", "lint"]
