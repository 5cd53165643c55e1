"""``kpilint diff BASE [HEAD]``: governance on change, and findings new at head.

Both revisions are read from git's object database (``ls-tree`` + ``cat-file``),
never by checking anything out, so the user's work tree and index stay as they
were; HEAD absent means the work tree. Each side is loaded as a whole project
and linted with the same config. A head finding is *new* when no base finding
has its identity: code, path, entity and key, never the line, so inserting
lines above an old finding does not make it new. Then the KPI8xx checks run on
every KPI id of either side (``KpiChange``).

A file git sees renamed (``git mv``; ``git diff -M`` pairs it) keeps its
findings: a base finding counts under the file's head path. Limits, on purpose:
a file moved without git knowing (untracked at head) is a new file, its old
findings new (an id-based identity would hide real regressions when two files
share ids); ``BASE`` is taken as given, so pass the merge base in a
pull request (``git merge-base``), not the tip of a moving branch; symlinked
folders inside a revision are not followed (symlinked files are).
"""

from __future__ import annotations

import os
import posixpath
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from kpilint import gitio
from kpilint.checks.governance import KpiChange, number
from kpilint.config import Config, ConfigError, parse_toml
from kpilint.context import Context
from kpilint.engine import (
    MAX_FINDINGS_PER_FILE,
    Loaded,
    UsageError,
    cap_per_file,
    count_entities,
    display_path,
    drop_per_file_ignored,
    file_identity,
    note_refused,
    paused_gc,
    rule_infos,
    run_checks,
    run_rules,
    source_files,
    source_readers,
)
from kpilint.entities import KpiEntity, TargetView
from kpilint.findings import Finding, Report, assign_fingerprints, fingerprint_base
from kpilint.loader import SourceFile, parse_bytes, read_file, too_big
from kpilint.project import (
    CONFIG_NAMES,
    SKIP_DIRS,
    Project,
    discover,
    excluded,
    find_root,
    glob_matches,
    is_kpi_name,
    leaves,
    real_folder,
    rel_path,
)
from kpilint.quoting import cut
from kpilint.validate import entities_of

WORK_TREE = "work tree"


@dataclass(frozen=True, slots=True)
class ChangedKpi:
    """One row of the "Changed KPIs" table: what a reviewer should look at."""

    kpi: str
    path: str  # head location, or base location when removed
    line: int
    changes: tuple[str, ...]  # "added", "target 120 → 100", ...
    codes: tuple[str, ...] = ()  # KPI8xx findings on this KPI


GOVERNANCE = ("KPI801", "KPI802", "KPI803")
# Answered by a suppression with a reason on their line at head (RULES.md); KPI802,
# located at base, only by keeping the KPI with `status: retired`.
ANSWERED_BY_REASON = ("KPI801", "KPI803")


@dataclass(slots=True)
class DiffResult:
    report: Report
    changes: list[ChangedKpi] = field(default_factory=list)
    base: str = ""
    head: str = WORK_TREE
    # display path -> head lines added or changed since base; None: the whole file is new
    changed_lines: dict[str, frozenset[int] | None] = field(default_factory=dict)

    @property
    def governance(self) -> list[Finding]:
        """The KPI8xx findings that stand (not answered)."""
        return [f for f in self.report.findings if f.code in GOVERNANCE]

    def fails(self, *, fail_on_governance: bool = False) -> bool:
        """``--fail-on``'s verdict, or any standing KPI8xx with ``fail_on_governance``."""
        return self.report.fails() or (fail_on_governance and bool(self.governance))

    def changed(self, f: Finding) -> bool:
        """Whether ``f`` is on a line added or changed since base."""
        if f.path not in self.changed_lines:
            return False
        lines = self.changed_lines[f.path]
        return lines is None or f.line in lines


def diff(
    base: str,
    head: str | None = None,
    config: Config | None = None,
    *,
    today: date | None = None,
    cwd: Path | None = None,
    overrides: dict[str, Any] | None = None,
    paths: Sequence[str] = (),
    project: Path | None = None,
) -> DiffResult:
    """Compare the project holding ``cwd`` at ``base`` with ``head`` (default: work tree).

    ``config`` replaces the project's config (the head's: the work tree's, or the
    one committed at ``head``); ``overrides`` apply over it, as in ``lint``.
    ``paths`` (relative to ``cwd``) limit the findings and changes reported to
    those files and folders, as ``kpilint diff BASE -- PATH`` does; ``project``
    is a folder of the project to compare when it is not ``cwd`` (paths are
    still shown relative to ``cwd``).
    """
    cwd = (cwd or Path.cwd()).resolve()
    start = (project or cwd).resolve()
    top = gitio.toplevel(start)
    base_commit = gitio.resolve(base, top)
    head_commit = gitio.resolve(head, top) if head is not None else None
    head_tree = gitio.ls_tree(head_commit, top) if head_commit else None
    root, found = _project_config(start, top, head, head_tree, parse=config is None)
    config = config or found
    if overrides:
        config = config.with_overrides(**overrides)
    scope = root if root == top or top in root.parents else top

    base_tree = gitio.ls_tree(base_commit, top)
    base_loaded = _tree_side(base_tree, top, scope, root, config, cwd)
    if head_tree is not None:
        head_loaded = _tree_side(head_tree, top, scope, root, config, cwd)
    else:
        head_loaded = _work_tree_side(scope, root, config, cwd, top)

    day = today or config.today or date.today()
    if config.actuals:  # ACTUALS.md: actuals files count for `diff` like any project file
        _actuals(base_loaded, base_tree, head_loaded, head_tree, top, scope, day, cwd)
    moved = {
        display_path(top / old, cwd): display_path(top / new, cwd)
        for old, new in gitio.renames(base_commit, head_commit, top).items()
    }
    new = new_findings(run_rules(base_loaded, day), run_rules(head_loaded, day), moved)
    pairs = _pairs(base_loaded.project, head_loaded.project)
    governance = _governance(pairs, base_loaded, head_loaded, day)

    governance = _unanswered(governance, head_loaded, day)
    inside = _within(paths, cwd)
    report = Report(today=day, fail_on=config.fail_on, rules=rule_infos(config))
    note_refused(report, head_loaded.refused, cwd)
    findings = [f for f in [*new, *governance] if inside(f.path)]
    findings, report.summary.omitted = cap_per_file(findings, MAX_FINDINGS_PER_FILE)
    report.findings = assign_fingerprints(sorted(findings, key=lambda f: f.sort_key))
    # What is shown: the head files inside `-- PATH`, and a deleted file KPI802 points into.
    shown = {path for path in head_loaded.reported if inside(path)}
    count_entities(report.summary, replace(head_loaded, reported=shown))
    report.summary.files += len({f.path for f in report.findings if f.path not in shown})
    report.recount()
    report.at_head = _at_head(report.findings, head_tree, top, cwd)
    changes = [row for row in _changed(pairs, governance) if inside(row.path)]
    lines = _changed_lines(base_loaded.project, head_loaded.project, moved)
    return DiffResult(report, changes, base, head or WORK_TREE, lines)


def _at_head(
    found: list[Finding], head_tree: list[gitio.TreeEntry] | None, top: Path, cwd: Path
) -> set[str]:
    """The base paths of KPI802 findings that hold a file at head (RULES.md: the `github`
    format annotates line 1 of that file, or no file when it is gone)."""
    paths = {f.path for f in found if f.code == "KPI802"}
    if head_tree is None:
        return {p for p in paths if (cwd / p).is_file()}
    at_head = {e.path for e in head_tree}
    return {p for p in paths if rel_path(cwd / p, top) in at_head}


def _within(paths: Sequence[str], cwd: Path) -> Any:
    """A test for display paths: inside one of ``paths`` (all, when none are given)."""
    prefixes = []
    for raw in paths:
        rel = display_path(cwd / raw, cwd)
        if rel in (".", ""):
            return lambda _path: True
        prefixes.append(rel.rstrip("/"))
    if not prefixes:
        return lambda _path: True
    return lambda path: any(path == p or path.startswith(p + "/") for p in prefixes)


def _unanswered(found: list[Finding], head: Loaded, day: date) -> list[Finding]:
    """Drop KPI801/KPI803 answered by a suppression with a reason on their line at head.

    One without a reason, or with only ``TODO``, does not answer (RULES.md); an
    expired ``until`` waiver silences nothing any more.
    """
    from kpilint.registry import registry
    from kpilint.suppressions import classify, matches

    names = {code: rule.name for code, rule in registry().items()}
    active, _expired, _malformed = classify(head.project.files, names, day)
    reasons: dict[tuple[str, int], list[tuple[str, ...]]] = {}
    for c in active:
        s = c.suppression
        if not s.whole_file and not s.without_reason:
            reasons.setdefault((c.file.display, s.pos.line), []).append(s.selectors)
    return [
        f
        for f in found
        if f.code not in ANSWERED_BY_REASON
        or not any(
            matches(sel, f.code, f.name)
            for selectors in reasons.get((f.path, f.line), ())
            for sel in selectors
        )
    ]


def _changed_lines(
    base: Project, head: Project, moved: dict[str, str]
) -> dict[str, frozenset[int] | None]:
    """Per head file, the lines added or changed since base (``None``: a new file);
    a renamed file is compared with its base version (``moved``: base path -> head path)."""
    import difflib

    before = {moved.get(sf.display, sf.display): sf.text for sf in base.files}
    out: dict[str, frozenset[int] | None] = {}
    for sf in head.files:
        old = before.get(sf.display)
        if old is None:
            out[sf.display] = None
            continue
        if old == sf.text:
            continue
        matcher = difflib.SequenceMatcher(
            None, old.splitlines(), sf.text.splitlines(), autojunk=False
        )
        lines = {
            j + 1
            for tag, _i1, _i2, j1, j2 in matcher.get_opcodes()
            if tag in ("replace", "insert")
            for j in range(j1, j2)
        }
        if lines:
            out[sf.display] = frozenset(lines)
    return out


# --- the two sides -------------------------------------------------------------


def _project_config(
    cwd: Path,
    top: Path,
    head: str | None,
    head_tree: list[gitio.TreeEntry] | None,
    *,
    parse: bool = True,
) -> tuple[Path, Config]:
    """Root and config as FORMAT.md finds them, in the work tree or in ``head``'s tree.

    ``parse=False`` (``--config`` given) only finds the root.
    """
    work_root, work_file = find_root(cwd)
    if head_tree is None or head is None:
        return work_root, Config.from_file(work_file) if work_file and parse else Config()
    blobs = {e.path: e for e in head_tree}
    folder = PurePosixPath(rel_path(cwd, top))
    for candidate in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            rel = (candidate / name).as_posix()
            if rel not in blobs:
                continue
            if not parse and name != "pyproject.toml":
                return top.joinpath(*candidate.parts), Config()
            raw = gitio.read_blobs([blobs[rel].oid], top)[blobs[rel].oid]
            try:
                data = _config_toml(raw, f"{head}:{rel}")
            except ConfigError:
                if name == "pyproject.toml":  # not ours to judge, as in the work tree
                    continue
                raise
            if name == "pyproject.toml":
                tool = data.get("tool")
                table = tool.get("kpilint") if isinstance(tool, dict) else None
                if not isinstance(table, dict):
                    continue
                data = table
            root = top.joinpath(*candidate.parts)
            return root, Config.from_mapping(data, Path(f"{head}:{rel}")) if parse else Config()
    if work_root in top.parents:  # a config above the repository
        return work_root, Config.from_file(work_file) if work_file and parse else Config()
    return top, Config()


def _config_toml(raw: bytes, where: str) -> dict[str, Any]:
    try:
        return parse_toml(raw, where)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


def _actuals(
    base: Loaded,
    base_tree: list[gitio.TreeEntry],
    head: Loaded,
    head_tree: list[gitio.TreeEntry] | None,
    top: Path,
    scope: Path,
    day: date,
    cwd: Path,
) -> None:
    """Each side's actuals: from its tree, or from the work tree as ``check`` reads them."""
    from kpilint.actuals.load import attach, attach_tree

    prefix = rel_path(scope, top)
    prefix = "" if prefix == "." else prefix + "/"
    attach_tree(base, base_tree, top, prefix, day, cwd)
    if head_tree is not None:
        attach_tree(head, head_tree, top, prefix, day, cwd)
    else:
        attach(head, day, cwd, [scope])


def _tree_side(
    entries: list[gitio.TreeEntry], top: Path, scope: Path, root: Path, config: Config, cwd: Path
) -> Loaded:
    """The project as one revision has it, parsed from blobs."""
    by_path = {e.path: e for e in entries if e.mode != gitio.MODE_SYMLINK}
    prefix = rel_path(scope, top)
    prefix = "" if prefix == "." else prefix + "/"
    picked: dict[str, gitio.TreeEntry] = {}
    links: list[gitio.TreeEntry] = []
    include, exclude = tuple(config.include), tuple(config.exclude)
    for e in entries:
        if not e.path.startswith(prefix):
            continue
        path = top.joinpath(*e.path.split("/"))
        if not (is_kpi_name(path.name, include) or glob_matches(path, root, include)):
            continue
        if excluded(path, root, exclude) or _skipped_dir(e.path, prefix, top, root, exclude):
            continue
        if e.mode == gitio.MODE_SYMLINK:
            links.append(e)
        else:
            picked[e.path] = e
    if links:  # a symlinked KPI file is the file it points to, as in the work tree
        targets = gitio.read_blobs([e.oid for e in links], top)
        seen = set(picked)
        for e in links:
            target = posixpath.normpath(
                posixpath.join(posixpath.dirname(e.path), os.fsdecode(targets[e.oid]))
            )
            if target in by_path and target not in seen:  # read once, as on disk
                picked[e.path] = by_path[target]
                seen.add(target)
    from_source = _tree_sources(entries, picked, prefix, top, root, config)
    readers = source_readers(config) if from_source else []
    small = [e.oid for e in picked.values() if e.size <= config.max_file_size]
    blobs = gitio.read_blobs(small, top)
    files = []
    with paused_gc():
        for rel in sorted(picked, key=lambda p: rel_path(top.joinpath(*p.split("/")), root)):
            entry = picked[rel]
            path = top.joinpath(*rel.split("/"))
            sf = SourceFile(path=path, display=display_path(path, cwd))
            if entry.size > config.max_file_size:
                sf.problems.append(too_big(entry.size, config.max_file_size))
            elif rel in from_source:
                sf = readers[from_source[rel]].parse(path, sf.display, blobs[entry.oid])
            else:
                parse_bytes(sf, blobs[entry.oid])
            files.append(sf)
        return _loaded(root, files, config)


def _tree_sources(
    entries: list[gitio.TreeEntry],
    picked: dict[str, gitio.TreeEntry],
    prefix: str,
    top: Path,
    root: Path,
    config: Config,
) -> dict[str, int]:
    """Blobs of the configured sources (added to ``picked``) -> the index of their source."""
    found: dict[str, int] = {}
    if not config.sources:
        return found
    for index, spec in enumerate(config.source_specs()):
        exclude = (*config.exclude, *spec.exclude)
        for e in entries:
            if e.path in picked or not e.path.startswith(prefix) or e.mode == gitio.MODE_SYMLINK:
                continue
            path = top.joinpath(*e.path.split("/"))
            if not (is_kpi_name(path.name, spec.include) or glob_matches(path, root, spec.include)):
                continue
            if excluded(path, root, exclude) or _skipped_dir(e.path, prefix, top, root, exclude):
                continue
            picked[e.path] = e
            found[e.path] = index
    return found


def _skipped_dir(rel: str, prefix: str, top: Path, root: Path, exclude: tuple[str, ...]) -> bool:
    """Folders the work-tree walk would not enter (``node_modules``, excluded ones)."""
    parts = rel.split("/")
    first = len(prefix.rstrip("/").split("/")) if prefix else 0
    for i in range(first, len(parts) - 1):
        folder = top.joinpath(*parts[: i + 1])
        if parts[i] in SKIP_DIRS or excluded(folder, root, exclude):
            return True
    return False


def _work_tree_side(scope: Path, root: Path, config: Config, cwd: Path, top: Path) -> Loaded:
    """The project as it is on disk, found and read as ``check`` does, but seen as git
    sees a revision: no files of submodules (a revision holds only their commit), no
    symlinks out of the repository (a revision holds only the link)."""
    refused: dict[Path, str] = {}
    found = discover(scope, root, tuple(config.include), tuple(config.exclude), refused)
    inside = real_folder(top)
    nested: dict[Path, bool] = {}

    def in_submodule(path: Path) -> bool:
        for folder in path.parents:
            if folder == top or top not in folder.parents:
                return False
            if folder not in nested:
                nested[folder] = (folder / ".git").exists()
            if nested[folder]:
                return True
        return False

    found = [p for p in found if not leaves(p, inside) and not in_submodule(p)]
    by_identity = {file_identity(p): p for p in found}
    from_source = source_files(root, config, by_identity, scope, refused)
    readers = source_readers(config) if from_source else []
    paths = {p.resolve(): (p, from_source.get(ident)) for ident, p in by_identity.items()}
    files = []
    with paused_gc():
        for real in sorted(paths, key=lambda p: rel_path(p, root)):
            path, index = paths[real]
            display = display_path(path, cwd)
            if index is None:
                files.append(read_file(path, display, config.max_file_size))
            else:
                files.append(readers[index].read(path, display, config.max_file_size))
        loaded = _loaded(root, files, config)
        loaded.refused = refused
        return loaded


def _loaded(root: Path, files: list[SourceFile], config: Config) -> Loaded:
    entities = [e for sf in files for e in entities_of(sf)]
    return Loaded(Project(root, files, entities), config, {sf.display for sf in files})


# --- comparing ----------------------------------------------------------------------


def _identity(f: Finding, path: str | None = None) -> str:
    return fingerprint_base(f.code, path or f.path, f.entity, f.key)


def new_findings(
    base: Iterable[Finding], head: Iterable[Finding], moved: dict[str, str] | None = None
) -> list[Finding]:
    """Head findings no base finding accounts for; repeats are matched one for one.

    ``moved`` (base path -> head path) matches a renamed file's findings across the
    rename: the identity ignores lines, so a moved file's old findings stay old.
    """
    moved = moved or {}
    known = Counter(_identity(f, moved.get(f.path)) for f in base)
    new = []
    for f in sorted(head, key=lambda f: f.sort_key):
        identity = _identity(f)
        if known[identity] > 0:
            known[identity] -= 1
        else:
            new.append(f)
    return new


def _pairs(base: Project, head: Project) -> list[KpiChange]:
    """Every KPI id of either side, base and head matched by id across all files.

    A KPI whose head file no longer parses is not paired as deleted: KPI001
    already reports that file, and a wall of KPI802 would bury it.
    """
    base_ids, head_ids = base.ids("kpi"), head.ids("kpi")
    unreadable = {sf.display for sf in head.files if not sf.ok}
    out = []
    for ident in dict.fromkeys([*head_ids, *base_ids]):
        old = base_ids[ident][0] if ident in base_ids else None
        new = head_ids[ident][0] if ident in head_ids else None
        if new is None and old is not None and old.file.display in unreadable:
            continue
        out.append(KpiChange(old, new))
    return out


def _governance(pairs: list[KpiChange], base: Loaded, head: Loaded, day: date) -> list[Finding]:
    resolved = head.config.resolve()
    found = run_checks({KpiChange: pairs}, Context(head.project, day), resolved)
    files = {sf.display: sf for sf in (*base.project.files, *head.project.files)}
    return drop_per_file_ignored(found, files, resolved, head.project.root)


def _changed(pairs: list[KpiChange], governance: list[Finding]) -> list[ChangedKpi]:
    flagged: dict[str, list[str]] = {}
    for f in governance:
        if f.entity and f.entity.id:
            flagged.setdefault(f.entity.id, []).append(f.code)
    rows = []
    for change in pairs:
        what = describe(change)
        if not what:
            continue
        entity = change.head or change.base
        assert entity is not None and entity.id is not None
        codes = tuple(sorted(set(flagged.get(entity.id, ()))))
        rows.append(ChangedKpi(entity.id, entity.file.display, entity.pos.line, what, codes))
    rows.sort(key=lambda r: (r.path, r.line, r.kpi))
    return rows


def describe(change: KpiChange) -> tuple[str, ...]:
    """What changed in one KPI, in a reviewer's words."""
    base, head = change.base, change.head
    if base is None:
        return ("added",)
    if head is None:
        return ("removed",)
    out = []
    old_status, new_status = base.model.status, head.model.status
    if new_status == "retired" and old_status != "retired":
        out.append("retired")
    elif new_status != old_status:
        out.append(f"status {old_status} → {new_status}")
    old_t, new_t = base.target, head.target
    if _target_key(old_t) != _target_key(new_t):
        out.append(f"target {_target(old_t)} → {_target(new_t)}")
        if old_t and new_t and old_t.direction != new_t.direction:
            out.append(f"direction {old_t.direction or 'none'} → {new_t.direction or 'none'}")
    old_end, new_end = _end(base), _end(head)
    if old_end != new_end:
        out.append(f"deadline {old_end} → {new_end}")
    if (base.model.owner or None) != (head.model.owner or None):
        out.append(f"owner {cut(base.model.owner or 'none')} → {cut(head.model.owner or 'none')}")
    return tuple(out)


def _target_key(view: TargetView | None) -> tuple[Any, ...]:
    if view is None:
        return (None, None, None, None, None)
    unit = (view.unit or "").strip().lower() or None
    measured = view.value is not None or view.change is not None
    return (view.value, unit, view.direction, None if measured else view.text, view.change)


def _target(view: TargetView | None) -> str:
    """A target as a reviewer reads it: ``1,800,000 USD``, ``change 10%``."""
    if view is None:
        return "none"
    unit = (view.unit or "").strip()
    unit = unit if unit == "%" else f" {unit}" if unit else ""
    if view.change is not None:
        return f"change {number(view.change)}{unit}"
    if view.value is None:
        return f'"{cut(view.text)}"' if view.text else "none"
    return number(view.value) + unit


def _end(kpi: KpiEntity) -> str:
    end = kpi.model.timeline.end if kpi.model.timeline else None
    return end.isoformat() if end else "none"


# --- markdown -----------------------------------------------------------------


def render_markdown(
    report: Report, changes: Sequence[ChangedKpi], base: str = "", head: str = ""
) -> str:
    """A "Changed KPIs" table, then the new findings: for ``$GITHUB_STEP_SUMMARY``.

    Text from the KPI files is escaped as ``check --format markdown`` escapes it.
    """
    from kpilint.reporters import severity_counts
    from kpilint.reporters.markdown import cell, code
    from kpilint.reporters.visible import visible, visible_copy

    report, changes = visible_copy(report), visible_copy(changes)
    base, head = visible(base), visible(head)
    title = "## kpilint diff"
    if base:
        title += f": {code(base)} → {code(head) if head != WORK_TREE else WORK_TREE}"
    lines = [title, "", "### Changed KPIs", ""]
    if changes:
        lines += ["| KPI | Change | Flagged | Where |", "| --- | --- | --- | --- |"]
        for row in changes:
            lines.append(
                f"| {code(cut(row.kpi))} | {cell('; '.join(row.changes))} "
                f"| {', '.join(row.codes)} | {code(f'{row.path}:{row.line}')} |"
            )
    else:
        lines.append("No KPI changed.")
    lines += ["", "### New findings", ""]
    if report.findings:
        lines += [
            f"{len(report.findings)} new at head: {severity_counts(report)}.",
            "",
            "| Severity | Rule | Where | Message | To answer |",
            "| --- | --- | --- | --- | --- |",
        ]
        for f in report.findings:
            lines.append(
                f"| {f.severity} | {f.code} {f.name} | {code(f'{f.path}:{f.line}:{f.column}')} "
                f"| {cell(f.message)} | {_answer(f, code)} |"
            )
    else:
        lines.append("No new findings.")
    return "\n".join(lines) + "\n"


def _answer(f: Finding, code: Any) -> str:
    """How a reviewer answers ``f`` (README "Governance diff"): KPI802 by retiring the KPI,
    the rest by a fix or a suppression with a reason on the finding's line at head."""
    if f.code == "KPI802":
        return "keep the KPI with `status: retired`"
    comment = code(f"# kpilint: ignore[{f.code}] <reason>")
    if f.code in ANSWERED_BY_REASON:
        return f"add {comment} to line {f.line}, saying why"
    return f"fix it, or add {comment} to line {f.line}"


__all__ = ["ChangedKpi", "DiffResult", "UsageError", "diff", "render_markdown"]
