"""The impact of a partial run: findings in files not named that the change caused.

pre-commit names only the staged files, but a change to one file can break
another: delete a goal and the KPIs that track it elsewhere now point nowhere.
FORMAT.md defines the impact: in a git work tree, a finding located in a file
that was not named is reported when the project at ``HEAD`` does not have it
(same code, path, entity and key, never the line, as ``kpilint diff`` matches).

The ``HEAD`` project is built from the work tree's own parsed files wherever
their content is ``HEAD``'s (git says which paths differ), so only the changed
files are parsed again, from git's object database; nothing is checked out.
An untracked file that was not named is on both sides as it is: it is nobody's
change (pre-commit leaves untracked drafts in the work tree), so its findings
are not the named files' impact.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from kpilint import gitio
from kpilint.engine import Loaded, UsageError, _rel, run_rules
from kpilint.entities import Entity
from kpilint.findings import Finding, Fix
from kpilint.loader import SourceFile


def impact(loaded: Loaded, everywhere: list[Finding], day: date, cwd: Path) -> list[Finding]:
    """Findings of ``everywhere`` outside the named files that ``HEAD`` does not have.

    ``everywhere`` is the run's findings in every file of the project. The ones
    returned carry no edits: ``--fix`` changes only the files it was given.
    """
    from kpilint.diff import _new_findings, _tree_side

    project = loaded.project
    others = [f for f in everywhere if f.path not in loaded.reported]
    if not others:
        return []
    top = gitio.work_tree_top(project.root)
    if top is None:
        return []
    try:
        commit = gitio.head_commit(top)
        entries = gitio.ls_tree(commit, top) if commit else []
        changed = gitio.changed_paths(commit, top) if commit else set()
    except (UsageError, gitio._GitFailed):
        return []  # git could not answer: report what was named, as without git
    owned: dict[int, list[Entity[Any]]] = {}
    for entity in project.all_entities():
        owned.setdefault(id(entity.file), []).append(entity)
    tracked = {e.path for e in entries}
    reuse: dict[str, tuple[SourceFile, list[Entity[Any]]]] = {}
    for sf in project.files:
        rel = _rel(sf.path.absolute(), top)
        if rel.startswith("/"):
            continue  # outside the repository: HEAD cannot say anything about it
        if rel in tracked and rel not in changed and sf.display not in loaded.reported:
            # HEAD's content, parsed already. A named file is always read from HEAD:
            # its text may not be the disk's (stdin, an editor's buffer).
            reuse[rel] = (sf, owned.get(id(sf), []))
        elif rel not in tracked and sf.display not in loaded.reported:
            reuse[rel] = (sf, owned.get(id(sf), []))  # untracked and not named: no change
    scope = project.root if top in (project.root, *project.root.parents) else top
    orders = [(entity, entity.order) for entity in project.all_entities()]
    try:
        head = _tree_side(entries, top, scope, project.root, loaded.config, cwd, reuse)
        before = run_rules(head, day)
    finally:  # the HEAD project numbered the shared entities its own way
        for entity, order in orders:
            entity.order = order
    new = _new_findings(before, others)
    return [replace(f, fix=Fix(f.fix.description)) for f in new]
