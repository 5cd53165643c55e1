"""Structure (KPI0xx): the file parses, fits the format, and its ids resolve."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kpilint.entities import Entity, Violation
from kpilint.findings import EntityRef
from kpilint.loader import Problem, SourceFile
from kpilint.model import KIND_OF_SECTION
from kpilint.project import Project
from kpilint.quoting import cut, quote
from kpilint.registry import rule
from kpilint.suggest import Hints
from kpilint.suppressions import Comment, Expired, Malformed, Unused


def _problems(file: SourceFile, code: str) -> Iterator[Violation]:
    for p in file.problems:
        if p.code == code:
            yield Violation(p.message, p.pos, file, _entity_of(file, p), _key_of(p), p.fix, p.edits)


def _entity_of(file: SourceFile, problem: Problem) -> EntityRef | None:
    path = problem.path
    if len(path) < 2 or not isinstance(path[1], int) or not isinstance(file.data, dict):
        return None
    items = file.data.get(str(path[0]))
    if not isinstance(items, list) or path[1] >= len(items) or not isinstance(items[path[1]], dict):
        return None
    ident = items[path[1]].get("id")
    kind = KIND_OF_SECTION.get(str(path[0]))  # None under an unknown top-level key
    if kind is None:
        return None
    return EntityRef(kind, ident if isinstance(ident, str) else None)


def _key_of(problem: Problem) -> str | None:
    inner = (
        problem.path[2:]
        if len(problem.path) >= 2 and isinstance(problem.path[1], int)
        else problem.path
    )
    return ".".join(str(p) for p in inner) or None


@rule("KPI001")
def yaml_syntax(file: SourceFile) -> Iterator[Violation]:
    yield from _problems(file, "KPI001")


@rule("KPI002")
def schema_violation(file: SourceFile) -> Iterator[Violation]:
    yield from _problems(file, "KPI002")


@rule("KPI003")
def unknown_key(file: SourceFile) -> Iterator[Violation]:
    yield from _problems(file, "KPI003")


@rule("KPI004")
def duplicate_key(file: SourceFile) -> Iterator[Violation]:
    yield from _problems(file, "KPI004")


@rule("KPI005")
def duplicate_id(project: Project) -> Iterator[Violation]:
    for kind in ("goal", "metric", "kpi", "incentive"):
        for ident, entities in project.ids(kind).items():
            first = entities[0]
            for again in entities[1:]:
                where = (
                    f"line {first.pos.line}"
                    if first.file is again.file
                    else f"{first.file.display}:{first.pos.line}"
                )
                yield again.violation(
                    f"{again.label} is already defined at {where}; ids are unique per kind",
                    fix=f"Rename one of the two {kind}s called {quote(ident)}",
                )


@rule("KPI006")
def unknown_reference(project: Project) -> Iterator[Violation]:
    goals, metrics, kpis = project.ids("goal"), project.ids("metric"), project.ids("kpi")
    checks: list[tuple[Entity[Any], str, list[str], dict[str, Any], str]] = []
    for goal in project.goals:
        if goal.model.parent:
            checks.append((goal, "parent", [goal.model.parent], goals, "goal"))
    for kpi in project.kpis:
        checks.append((kpi, "goal", list(kpi.model.goal or ()), goals, "goal"))
        if kpi.model.metric:
            checks.append((kpi, "metric", [kpi.model.metric], metrics, "metric"))
        checks.append((kpi, "counterbalance", list(kpi.model.counterbalance or ()), kpis, "KPI"))
    for incentive in project.incentives:
        checks.append((incentive, "kpis", list(incentive.model.kpis), kpis, "KPI"))
    hints: dict[int, Hints] = {}  # one per set of ids: a budget for all their lookups
    for entity, key, refs, known, noun in checks:
        for ident in dict.fromkeys(refs):
            if ident not in known:
                if id(known) not in hints:
                    hints[id(known)] = Hints(known, cutoff=0.7)
                hint = hints[id(known)](ident)
                yield entity.violation(
                    f"{entity.label}: {key} {quote(ident)} names no {noun} in the project{hint}",
                    key,
                    fix=f"Point '{key}' at an existing {noun} id{hint}",
                )


@rule("KPI007")
def goal_cycle(project: Project) -> Iterator[Violation]:
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in project.goals:
        if start.id is None or start.id in state:
            continue
        path: list[str] = []
        ident: str | None = start.id
        while ident is not None and ident not in state:
            goal = project.goal(ident)
            if goal is None:
                break
            state[ident] = 1
            path.append(ident)
            ident = goal.model.parent
        if ident is not None and state.get(ident) == 1:
            cycle = path[path.index(ident) :]
            members = [g for g in (project.goal(i) for i in cycle) if g is not None]
            first = min(members, key=lambda g: g.order)
            loop = " -> ".join(
                cut(step)
                for step in [
                    *cycle[cycle.index(first.id or "") :],
                    *cycle[: cycle.index(first.id or "")],
                    first.id or "",
                ]
            )
            yield first.violation(
                f"{first.label}: following 'parent' comes back to it ({loop})",
                "parent",
            )
        for i in path:
            state[i] = 2


@rule("KPI008")
def malformed_suppression(comment: Malformed) -> Iterator[Violation]:
    hint = f"; did you mean '{comment.suggestion}'?" if comment.suggestion else ""
    fix = (
        f"Write '{comment.suggestion}'"
        if comment.suggestion
        else "Write it as '# kpilint: ignore[CODE, ...] reason' (or ignore-file[...]), "
        "with 'until YYYY-MM-DD:' before the reason for a waiver"
    )
    yield Violation(
        f"'kpilint:' comment is not a valid suppression and silences nothing: "
        f"{comment.problem}{hint}",
        comment.suppression.pos,
        comment.file,
        fix=fix,
        edits=comment.edits,
    )


@rule("KPI009")
def suppression_without_reason(comment: Comment) -> Iterator[Violation]:
    s = comment.suppression
    if s.without_reason:
        what = "only 'TODO' as its reason" if s.reason else "no reason"
        yield Violation(f"suppression {quote(s.label)} gives {what}", s.pos, comment.file)


@rule("KPI010")
def unused_suppression(unused: Unused) -> Iterator[Violation]:
    s = unused.suppression
    message = f"suppression {quote(s.label)} silences nothing"
    yield Violation(message, s.pos, unused.file, edits=(unused.removal(),))


@rule("KPI011")
def expired_suppression(expired: Expired) -> Iterator[Violation]:
    s = expired.suppression
    yield Violation(
        f"waiver {quote(s.label)} ran until {s.until} and has expired; it silences nothing now",
        s.pos,
        expired.file,
    )
