"""The impact of a partial run: findings in files not named that the change caused.

pre-commit names only the staged files, but a change to one file can break
another: delete a goal and the KPIs that track it elsewhere now point nowhere.
FORMAT.md defines the impact: in a git work tree, a finding located in a file
that was not named is reported when the project at ``HEAD`` does not have it
(same code, path, entity and key, never the line, as ``kpilint diff`` matches).

"Before" is the project with each named file as ``HEAD`` has it (absent when
``HEAD`` does not have it) and every other file as it is: exactly what the
named files' change made different. Under pre-commit the other files are
``HEAD``'s anyway (it stashes what is not staged); an untracked draft or an
unstaged edit elsewhere is nobody's change here, so its findings are not
reported as the named files' impact.

Only rules that look beyond the entity or file they report on (project-scope
checks and checks given the project context) can find something new in a file
that did not change, so only they run on "before"; the other files are reused
as parsed, and only the named files are read again, from git's object
database. Nothing is checked out.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from kpilint import gitio
from kpilint.engine import Loaded, UsageError, run_rules, source_readers
from kpilint.entities import Entity
from kpilint.findings import Finding, Fix
from kpilint.loader import SourceFile, parse_bytes
from kpilint.project import REFERENCES, Project, rel_path
from kpilint.registry import registry
from kpilint.validate import entities_of


def impact(loaded: Loaded, everywhere: list[Finding], day: date, cwd: Path) -> list[Finding]:
    """Findings of ``everywhere`` outside the named files that "before" does not have.

    ``everywhere`` is the run's findings in every file of the project. The ones
    returned carry no edits: ``--fix`` changes only the files it was given.
    """
    from kpilint.diff import new_findings

    codes = cross_file_codes()
    others = [f for f in everywhere if f.path not in loaded.reported and f.code in codes]
    if not others:
        return []
    project = loaded.project
    top = gitio.work_tree_top(project.root)
    if top is None:
        return []
    try:
        commit = gitio.head_commit(top)
        actuals = loaded.actuals.files if loaded.actuals is not None else []
        rels = {
            sf.display: rel_path(sf.path.absolute(), top)
            for sf in [*project.files, *actuals]
            if sf.display in loaded.reported
        }
        inside = [rel for rel in rels.values() if not rel.startswith("/")]
        entries = {e.path: e for e in gitio.ls_tree(commit, top, inside)} if commit else {}
        named = {display: entries.get(rel) for display, rel in rels.items()}
        blobs = gitio.read_blobs(
            [e.oid for e in named.values() if e is not None and e.mode != gitio.MODE_SYMLINK], top
        )
    except (UsageError, gitio.GitFailed):
        return []  # git could not answer: report what was named, as without git
    owned: dict[int, list[Entity[Any]]] = {}
    for entity in project.all_entities():
        owned.setdefault(id(entity.file), []).append(entity)
    files: list[SourceFile] = []
    entities: list[Entity[Any]] = []
    readers = source_readers(loaded.config) if loaded.source_of else []
    edited: list[str] = []  # the named files that differ from HEAD: the change
    for sf in project.files:
        if sf.display not in named:
            files.append(sf)
            entities.extend(owned.get(id(sf), []))
            continue
        entry = named[sf.display]
        if entry is None or entry.oid not in blobs:
            edited.append(sf.display)
            continue  # new since HEAD (or a symlink there): "before" has no such file
        index = loaded.source_of.get(sf.display)
        if index is None:
            old = SourceFile(path=sf.path, display=sf.display)
            parse_bytes(old, blobs[entry.oid])
        else:  # a catalogue file, read through its source as when it was loaded
            old = readers[index].parse(sf.path, sf.display, blobs[entry.oid])
        files.append(old)
        entities.extend(entities_of(old))
        if old.text != sf.text:
            edited.append(sf.display)
    # Entity checks that look across files read what an entity references, and
    # what that references (an incentive's KPIs' metrics): an entity more than
    # two references away from the changed ones reads the same before and now.
    changed = [e for e in project.all_entities() if e.file.display in loaded.reported]
    changed += [e for e in entities if e.file.display in loaded.reported]
    near = _near(changed, [*entities, *changed])
    whole = project_scope_codes()
    old_actuals: dict[str, bytes | None] = {}
    for sf in actuals:  # a changed actuals file can move any KPI's progress
        if sf.display in named:
            entry = named[sf.display]
            old_actuals[sf.display] = blobs.get(entry.oid) if entry is not None else None
            if old_actuals[sf.display] is None or sf.display in edited_actuals(sf, blobs, entry):
                whole = whole | {c for c in codes if c.startswith("KPI9")}
                near |= {("kpi", e.id) for e in entities if e.kind == "kpi"}
                edited.append(sf.display)
    others = [
        f
        for f in others
        if f.code in whole or (f.entity is not None and (f.entity.kind, f.entity.id) in near)
    ]
    if not others:
        return []
    config = loaded.config.with_overrides(select=tuple(sorted(codes)))
    orders = [(entity, entity.order) for entity in project.all_entities()]
    try:
        every = {sf.display for sf in files}
        before = Loaded(Project(project.root, files, entities), config, every)
        if loaded.actuals is not None:
            from kpilint.actuals.load import before as actuals_before

            before.actuals = actuals_before(loaded, before.project, old_actuals, day)
        found = run_rules(before, day, only=[e for e in entities if (e.kind, e.id) in near])
    finally:  # "before" numbered the shared entities its own way
        for entity, order in orders:
            entity.order = order
    new = new_findings([f for f in found if f.path not in loaded.reported], others)
    blame = _blame(edited, [*project.all_entities(), *entities], new)
    return [
        replace(
            f,
            message=f"{f.message} (caused by your change to {blame(f)})",
            fix=Fix(f.fix.description),
        )
        for f in new
    ]


def edited_actuals(sf: SourceFile, blobs: dict[str, bytes], entry: Any) -> set[str]:
    """``{sf.display}`` when the actuals file differs from its ``HEAD`` blob."""
    try:
        now = sf.path.read_bytes()
    except OSError:
        return {sf.display}
    return set() if entry is not None and blobs.get(entry.oid) == now else {sf.display}


def _blame(edited: list[str], everything: list[Entity[Any]], found: list[Finding]) -> Any:
    """For a finding, the changed files that caused it: those whose entities (now or at
    HEAD) reach its entity within two references (a reference, a duplicate id or metric);
    all of them for a count that no reference explains (a scope's or owner's KPIs)."""
    if not found or len(edited) < 2:
        return lambda _f: ", ".join(edited)
    reach: dict[str, set[Node]] = {}
    for display in edited:
        start = [e for e in everything if e.file.display == display]
        reach[display] = _near(start, everything)

    def blame(f: Finding) -> str:
        if f.code in _COUNTS or f.entity is None:
            return ", ".join(edited)
        node = (f.entity.kind, f.entity.id)
        return ", ".join([d for d in edited if node in reach[d]] or edited)

    return blame


Node = tuple[str, str | None]  # (kind, id)
# Project-wide counts (KPIs per scope, company goals, KPIs per owner): no reference leads
# from the change to the finding, so every changed file is named as its cause.
_COUNTS = frozenset({"KPI401", "KPI402", "KPI406"})


def _near(start: list[Entity[Any]], everything: list[Entity[Any]], hops: int = 2) -> set[Node]:
    """Entities (as kind and id) at most ``hops`` references from ``start``, either way."""
    links: dict[Node, set[Node]] = {}
    for entity in everything:
        if entity.id is None:
            continue
        here: Node = (entity.kind, entity.id)
        for (holder, key), kind in REFERENCES.items():
            if holder != entity.kind:
                continue
            value = entity.raw.get(key)
            for ident in value if isinstance(value, list) else [value]:
                if isinstance(ident, str):
                    links.setdefault(here, set()).add((kind, ident))
                    links.setdefault((kind, ident), set()).add(here)
    reached: set[Node] = {(e.kind, e.id) for e in start if e.id is not None}
    frontier = set(reached)
    for _ in range(hops):
        frontier = {n for node in frontier for n in links.get(node, ())} - reached
        reached |= frontier
    return reached


@cache
def project_scope_codes() -> frozenset[str]:
    """Rules checked on the whole project at once: they run in full on "before"."""
    return frozenset(
        code for code, rule in registry().items() if any(c.scope is Project for c in rule.checks)
    )


@cache
def cross_file_codes() -> frozenset[str]:
    """Rules whose finding in one file can depend on another file: the ones impact runs.

    A project-scope check sees every file; a check that takes the context may
    look entities up across files (at most two references away: ``_near``).
    Every other check reports on one entity or file from its own content, which
    did not change in a file that was not named.
    """
    return frozenset(
        code
        for code, rule in registry().items()
        if any(c.scope is Project or c.wants_ctx for c in rule.checks)
    )
