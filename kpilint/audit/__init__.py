"""``kpilint audit``: a portfolio report of a project, beside the check's findings.

The audit loads and checks each project exactly as ``lint`` does (same config,
same rules, same findings), then keeps the loaded project to count, score and
draw the goal tree, which a ``Report`` alone cannot. ``audit(paths)`` is the
library entry point: it never prints or exits; the renderers only read the
``Audit`` it returns.

What an audit covers: the entities of the files it reports on (the whole
project, unless only some files or folders are named); references resolve
across the whole project, as for ``check``. Retired KPIs are counted but not
scored, completed, placed in the tree or listed as orphans.
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from kpilint.audit.accountability import OwnerRow, Waivers, owner_rows, waivers_of
from kpilint.audit.score import kpi_score, mean_score
from kpilint.findings import SEVERITIES, SEVERITY_RANK, Finding, Report

if TYPE_CHECKING:
    from kpilint.actuals.progress import Progress as KpiProgress
    from kpilint.actuals.read import Point
    from kpilint.audit.history import History
    from kpilint.config import Config
    from kpilint.engine import Loaded
    from kpilint.entities import GoalEntity, KpiEntity
    from kpilint.project import Project

#: What makes a KPI complete, in report order (keys of ``KpiRow.checks``).
COMPLETENESS: tuple[str, ...] = (
    "target",
    "measurable_target",
    "timeline",
    "goal",
    "owner",
    "review",
)
#: Column titles for the completeness checks.
COMPLETENESS_TITLES: dict[str, str] = {
    "target": "target",
    "measurable_target": "measurable",
    "timeline": "timeline",
    "goal": "goal",
    "owner": "owner",
    "review": "review",
}
#: A deadline this many days ahead (or less) needs attention.
ATTENTION_DAYS = 30

Progress = Callable[[str], None]
AttentionKind = Literal["deadline-soon", "deadline-passed", "review-overdue", "off-track"]


@dataclass(frozen=True, slots=True)
class KpiRow:
    """One KPI as the audit sees it: completeness checks, findings, score."""

    id: str | None
    name: str
    path: str
    line: int
    scope: str
    status: str
    goals: tuple[str, ...]
    metric: str | None
    metric_name: str | None  # None when the KPI has no metric or it does not resolve
    owner: str | None
    checks: dict[str, bool]  # COMPLETENESS -> passed
    findings: dict[str, int]  # severity -> count, on the KPI and its metric
    codes: tuple[str, ...]  # those findings' codes, in report order
    score: int | None  # None for a retired KPI

    @property
    def live(self) -> bool:
        return self.status != "retired"

    @property
    def label(self) -> str:
        return self.id if self.id is not None else f"(line {self.line})"

    @property
    def completeness(self) -> float:
        return round(100 * sum(self.checks.values()) / len(COMPLETENESS), 1)


@dataclass(frozen=True, slots=True)
class ScopeRow:
    """A scope (``org``, ``team:sales``): its live KPIs' completeness and score."""

    scope: str
    kpis: int  # live KPIs
    active: int
    draft: int
    completeness: dict[str, float] | None  # COMPLETENESS and "overall" -> percent
    score: float | None


@dataclass(frozen=True, slots=True)
class GoalRow:
    """A goal: the live KPIs that track it directly, their completeness and score."""

    id: str | None
    name: str
    path: str
    line: int
    level: str
    kind: str | None
    parent: str | None
    kpis: int
    completeness: dict[str, float] | None
    score: float | None

    @property
    def label(self) -> str:
        return self.id if self.id is not None else f"(line {self.line})"


@dataclass(frozen=True, slots=True)
class TreeGoal:
    """A goal in the goal -> KPI -> metric tree, with its sub-goals beneath it.

    ``outside`` marks a goal from a file the audit does not cover, drawn because
    a covered KPI tracks it.
    """

    goal: GoalRow
    kpis: tuple[KpiRow, ...]
    children: tuple[TreeGoal, ...]
    outside: bool = False


@dataclass(frozen=True, slots=True)
class Ref:
    """An entity named in a list (orphans)."""

    kind: str
    id: str | None
    name: str
    path: str
    line: int

    @property
    def label(self) -> str:
        return self.id if self.id is not None else f"(line {self.line})"


@dataclass(slots=True)
class Orphans:
    """Entities the tree cannot place: goals and metrics no live KPI uses, KPIs with no goal."""

    goals: list[Ref] = field(default_factory=list)
    metrics: list[Ref] = field(default_factory=list)
    kpis: list[Ref] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.goals) + len(self.metrics) + len(self.kpis)


@dataclass(frozen=True, slots=True)
class Attention:
    """A date that needs someone soon: a deadline close or passed, a review overdue."""

    kind: AttentionKind
    kpi: KpiRow
    date: date  # the deadline, or the day the review was due
    days: int  # days from today to ``date``: negative when it has passed
    message: str


@dataclass(frozen=True, slots=True)
class Track:
    """A KPI with actuals (ACTUALS.md "Audit"): its values up to today and its progress."""

    kpi: KpiRow
    points: tuple[Point, ...]  # by date
    progress: KpiProgress


@dataclass(frozen=True, slots=True)
class RuleCount:
    code: str
    name: str
    severity: str
    count: int


@dataclass(frozen=True, slots=True)
class Totals:
    files: int
    goals: int
    metrics: int
    kpis: int
    incentives: int
    kpis_by_status: dict[str, int]  # active, draft, retired
    findings: dict[str, int]  # severity -> count
    score: float | None  # the overall health score
    progress: dict[str, int] | None = None  # KPIs per progress status (None: no actuals)


@dataclass(slots=True)
class Audit:
    """Everything ``kpilint audit`` reports; renderers read nothing else."""

    report: Report
    today: date
    totals: Totals
    by_rule: list[RuleCount]
    scopes: list[ScopeRow]
    goals: list[GoalRow]
    kpis: list[KpiRow]
    tree: list[TreeGoal]
    orphans: Orphans
    attention: list[Attention]
    attention_days: int = ATTENTION_DAYS
    history: History | None = None  # --history / --since: the project at past commits
    waivers: Waivers = field(default_factory=Waivers)
    owners: list[OwnerRow] = field(default_factory=list)
    tracks: list[Track] = field(default_factory=list)  # KPIs with actuals, for charts

    @property
    def score(self) -> float | None:
        return self.totals.score


def audit(
    paths: Sequence[str | os.PathLike[str]] = (".",),
    config: Config | None = None,
    *,
    today: date | None = None,
    cwd: Path | None = None,
    overrides: dict[str, Any] | None = None,
    force_exclude: bool = False,
    source_format: str | None = None,
    progress: Progress | None = None,
) -> Audit:
    """Audit ``paths``: ``lint``'s report (same arguments, same findings) plus the portfolio.

    ``progress`` is told what is happening (``"loading ..."``, ``"running rules"``);
    the CLI shows it on a terminal when the audit takes a while.
    """
    from kpilint.engine import lint, paused_gc

    parts: list[tuple[Loaded, date]] = []
    with paused_gc():  # as in `lint`: many small objects, no cycles worth collecting
        report = lint(
            paths,
            config,
            today=today,
            cwd=cwd,
            overrides=overrides,
            force_exclude=force_exclude,
            source_format=source_format,
            on_project=lambda loaded, day: parts.append((loaded, day)),
            progress=progress,
            impact=False,  # the portfolio of what was named, not what a change caused
        )
        (progress or _quiet)("scoring")
        return build(report, parts)


def _quiet(_message: str) -> None:
    """The default progress: say nothing."""


def _show_path(path: Path, cwd: Path) -> str:
    try:
        rel = Path(os.path.relpath(path, cwd)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()
    return rel if rel != "." else "."


def build(report: Report, parts: Iterable[tuple[Loaded, date]]) -> Audit:
    """The portfolio of loaded projects whose findings are in ``report``."""
    parts = list(parts)
    by_entity: dict[tuple[str, str, str | None], list[Finding]] = defaultdict(list)
    for f in report.findings:
        if f.entity is not None:
            by_entity[(f.path, f.entity.kind, f.entity.id)].append(f)
    kpis: list[KpiRow] = []
    goals: list[GoalRow] = []
    tree: list[TreeGoal] = []
    orphans = Orphans()
    attention: list[Attention] = []
    statuses: Counter[str] = Counter()
    tracks: list[Track] = []
    for loaded, day in parts:
        part = _Part(loaded, by_entity, day)
        kpis.extend(part.kpi_rows.values())
        goals.extend(part.goal_rows())
        tree.extend(part.tree())
        part.add_orphans(orphans)
        attention.extend(part.attention())
        tracks.extend(part.tracks())
        statuses.update(k.model.status for k in part.kpis)
    attention.sort(key=lambda a: (a.date, a.kind, a.kpi.path, a.kpi.line))
    goals.sort(key=lambda g: (natural(g.label), g.path, g.line))
    tree.sort(key=lambda node: (natural(node.goal.label), node.goal.path, node.goal.line))
    orphans.goals.sort(key=lambda r: (natural(r.label), r.path, r.line))
    live = [k for k in kpis if k.score is not None]
    s = report.summary
    totals = Totals(
        files=s.files,
        goals=s.goals,
        metrics=s.metrics,
        kpis=s.kpis,
        incentives=s.incentives,
        kpis_by_status={status: statuses[status] for status in ("active", "draft", "retired")},
        findings={sev: report.count(sev) for sev in SEVERITIES},
        score=mean_score(k.score for k in live if k.score is not None),
        progress=_progress_counts(report),
    )
    return Audit(
        report=report,
        today=report.today or date.today(),
        totals=totals,
        by_rule=_by_rule(report.findings),
        scopes=_scope_rows(kpis),
        goals=goals,
        kpis=kpis,
        tree=tree,
        orphans=orphans,
        attention=attention,
        waivers=waivers_of(parts),
        owners=owner_rows(kpis, parts),
        tracks=tracks,
    )


def _progress_counts(report: Report) -> dict[str, int] | None:
    """KPIs per progress status (ACTUALS.md "Audit"); None when no actuals were declared."""
    if report.progress is None:
        return None
    from kpilint.actuals.read import STATUSES  # in the order reports list their counts

    counts = Counter(str(record.get("status")) for record in report.progress)
    return {status: counts[status] for status in STATUSES}


def _by_rule(findings: list[Finding]) -> list[RuleCount]:
    counts = Counter((f.code, f.name, f.severity) for f in findings)
    rows = [RuleCount(code, name, sev, n) for (code, name, sev), n in counts.items()]
    return sorted(rows, key=lambda r: (-SEVERITY_RANK[r.severity], r.code))


def completeness(rows: Sequence[KpiRow]) -> dict[str, float] | None:
    """Percent of ``rows`` passing each check, and ``overall`` (all checks of all rows)."""
    if not rows:
        return None
    n = len(rows)
    out = {check: round(100 * sum(r.checks[check] for r in rows) / n, 1) for check in COMPLETENESS}
    passed = sum(sum(r.checks.values()) for r in rows)
    out["overall"] = round(100 * passed / (n * len(COMPLETENESS)), 1)
    return out


def _scope_rows(kpis: list[KpiRow]) -> list[ScopeRow]:
    by_scope: dict[str, list[KpiRow]] = defaultdict(list)
    for row in kpis:
        if row.live:
            by_scope[row.scope].append(row)
    return [
        ScopeRow(
            scope=scope,
            kpis=len(rows),
            active=sum(r.status == "active" for r in rows),
            draft=sum(r.status == "draft" for r in rows),
            completeness=completeness(rows),
            score=mean_score(r.score for r in rows if r.score is not None),
        )
        for scope, rows in sorted(by_scope.items(), key=lambda item: (item[0] != "org", item[0]))
    ]


class _Part:
    """The audit of one loaded project: rows for the entities of its reported files."""

    def __init__(
        self,
        loaded: Loaded,
        by_entity: dict[tuple[str, str, str | None], list[Finding]],
        today: date,
    ) -> None:
        self.project: Project = loaded.project
        self.actuals = loaded.actuals
        self.today = today
        reported = loaded.reported
        self.goals = [g for g in self.project.goals if g.file.display in reported]
        self.metrics = [m for m in self.project.metrics if m.file.display in reported]
        self.kpis = [k for k in self.project.kpis if k.file.display in reported]
        self.by_entity = by_entity
        self.kpi_rows: dict[KpiEntity, KpiRow] = {k: self._kpi_row(k) for k in self.kpis}
        self._goal_rows: dict[GoalEntity, GoalRow] = {}

    def _findings_of(self, kind: str, entity: Any) -> list[Finding]:
        return self.by_entity.get((entity.file.display, kind, entity.id), [])

    def _kpi_row(self, kpi: KpiEntity) -> KpiRow:
        metric = self.project.metric_of(kpi)
        found = self._findings_of("kpi", kpi)
        if metric is not None:
            found = found + self._findings_of("metric", metric)
        target = kpi.target
        checks = {
            "target": kpi.has("target"),
            "measurable_target": target is not None and target.measurable,
            # timeline.end, else a text target's deadline (`by 2030`), as KPI102 reads it
            "timeline": kpi.deadline is not None,
            "goal": kpi.has("goal"),
            "owner": kpi.has("owner"),
            "review": kpi.has("timeline.review"),
        }
        return KpiRow(
            id=kpi.id,
            name=kpi.model.name,
            path=kpi.file.display,
            line=kpi.pos.line,
            scope=kpi.model.scope,
            status=kpi.model.status,
            goals=tuple(dict.fromkeys(kpi.model.goal or ())),
            metric=kpi.model.metric,
            metric_name=metric.model.name if metric is not None else None,
            owner=kpi.model.owner,
            checks=checks,
            findings={sev: sum(f.severity == sev for f in found) for sev in SEVERITIES},
            codes=tuple(f.code for f in found),
            score=kpi_score(f.severity for f in found) if kpi.live else None,
        )

    def _live_rows_of(self, goal: GoalEntity) -> list[KpiRow]:
        """Covered live KPIs that track ``goal`` directly."""
        rows = (self.kpi_rows.get(k) for k in self.project.kpis_by_goal.get(goal.id or "", ()))
        return [r for r in rows if r is not None and r.live]

    def goal_row(self, goal: GoalEntity) -> GoalRow:
        if goal not in self._goal_rows:
            rows = self._live_rows_of(goal)
            self._goal_rows[goal] = GoalRow(
                id=goal.id,
                name=goal.model.name,
                path=goal.file.display,
                line=goal.pos.line,
                level=goal.model.level,
                kind=goal.model.kind,
                parent=goal.model.parent,
                kpis=len(rows),
                completeness=completeness(rows),
                score=mean_score(r.score for r in rows if r.score is not None),
            )
        return self._goal_rows[goal]

    def goal_rows(self) -> list[GoalRow]:
        return [self.goal_row(g) for g in self.goals]

    def tree(self) -> list[TreeGoal]:
        """Goals by parent, each with its live KPIs; cycles (KPI007) are cut where met."""
        covered = set(self.goals)
        nodes: dict[GoalEntity, None] = dict.fromkeys(self.goals)
        for kpi in self.kpis:
            if kpi.live:
                nodes.update(dict.fromkeys(self.project.goals_of(kpi)))
        ordered = sorted(nodes, key=_goal_order)
        visited: set[GoalEntity] = set()

        def walk(goal: GoalEntity) -> TreeGoal:
            visited.add(goal)
            children = [
                walk(child)
                for child in sorted(
                    self.project.child_goals.get(goal.id or "", ()), key=_goal_order
                )
                if child in nodes and child not in visited
            ]
            return TreeGoal(
                self.goal_row(goal),
                tuple(self._live_rows_of(goal)),
                tuple(children),
                outside=goal not in covered,
            )

        roots = []
        for goal in ordered:
            parent = self.project.goal(goal.model.parent) if goal.model.parent else None
            if parent is None or parent not in nodes or parent is goal:
                roots.append(walk(goal))
        for goal in ordered:  # goals on a parent cycle have no root above them
            if goal not in visited:
                roots.append(walk(goal))
        return roots

    def add_orphans(self, orphans: Orphans) -> None:
        tracked = self.project.kpis_by_goal
        used = self.project.kpis_by_metric
        for goal in self.goals:
            has_kpi = any(k.live for k in tracked.get(goal.id or "", ()))
            if not has_kpi and not self.project.child_goals.get(goal.id or ""):
                orphans.goals.append(_ref(goal))
        for metric in self.metrics:
            if not any(k.live for k in used.get(metric.id or "", ())):
                orphans.metrics.append(_ref(metric))
        for kpi in self.kpis:
            if kpi.live and not self.project.goals_of(kpi):
                orphans.kpis.append(_ref(kpi))

    def attention(self) -> list[Attention]:
        from kpilint.checks.timeline import CADENCE_DAYS

        out: list[Attention] = []
        for kpi, row in self.kpi_rows.items():
            if not row.live:
                continue
            end = kpi.deadline  # timeline.end, else a text target's deadline, as KPI302 reads it
            if end is not None:
                days = (end - self.today).days
                if 0 <= days <= ATTENTION_DAYS:
                    when = "today" if days == 0 else f"in {days} day{_s(days)}"
                    out.append(
                        Attention("deadline-soon", row, end, days, f"deadline {end}, {when}")
                    )
                elif days < 0:
                    out.append(
                        Attention(
                            "deadline-passed",
                            row,
                            end,
                            days,
                            f"deadline {end} passed {-days} day{_s(-days)} ago",
                        )
                    )
            off = self._off_track(kpi, row)
            if off is not None:
                out.append(off)
            t = kpi.model.timeline
            if t is None:
                continue
            if t.review is not None and t.last_reviewed is not None:
                # A review dated near 9999-12-31 is due after the last date there is.
                cadence = timedelta(days=CADENCE_DAYS[t.review])
                due = t.last_reviewed + cadence if t.last_reviewed < date.max - cadence else None
                if due is not None and due < self.today:
                    late = (self.today - due).days
                    out.append(
                        Attention(
                            "review-overdue",
                            row,
                            due,
                            -late,
                            f"{t.review} review due {due} (last {t.last_reviewed}), "
                            f"{late} day{_s(late)} overdue",
                        )
                    )
        return out

    def tracks(self) -> list[Track]:
        """Live KPIs with progress and at least one actual up to today, in project order."""
        if self.actuals is None or not self.actuals.declared:
            return []
        out: list[Track] = []
        for kpi, row in self.kpi_rows.items():
            p = self.actuals.progress(kpi) if row.live else None
            points = tuple(pt for pt in self.actuals.points(kpi) if pt.day <= self.today)
            if p is not None and points:
                out.append(Track(row, points, p))
        return out

    def _off_track(self, kpi: KpiEntity, row: KpiRow) -> Attention | None:
        """A KPI off track (KPI903's statuses), dated at its target's date (else its latest)."""
        if self.actuals is None or not self.actuals.declared:
            return None
        p = self.actuals.progress(kpi)
        if p is None or p.status not in ("limited_progress", "deterioration") or not p.current:
            return None
        when = p.target_date or p.current.day
        by = f" by {p.target_date}" if p.target_date else ""
        message = (
            f"{p.status.replace('_', ' ')}, p = {p.p or 0:.2f}: {p.current.value:g} on "
            f"{p.current.day}, target {p.target:g}{by}"
        )
        return Attention("off-track", row, when, (when - self.today).days, message)


def natural(text: str) -> tuple[str | int, ...]:
    """A sort key that reads numbers as numbers: sdg-1, sdg-2, sdg-10 (not sdg-1, sdg-10, sdg-2)."""
    parts = re.split(r"(\d+)", text)
    return tuple(int(p) if i % 2 else p.casefold() for i, p in enumerate(parts))


def _goal_order(goal: GoalEntity) -> tuple[tuple[str | int, ...], int]:
    """Goals by id, naturally; a goal without id where it stands in its file."""
    return natural(goal.id or ""), goal.order


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _ref(entity: Any) -> Ref:
    return Ref(entity.kind, entity.id, entity.model.name, entity.file.display, entity.pos.line)


def explain_score() -> str:
    """The score formula with its weights, as ``kpilint audit --explain-score`` prints it."""
    from kpilint.audit.score import explain

    return explain()


#: ``--format`` of ``kpilint audit`` -> renderer module.
FORMATS: dict[str, str] = {
    "text": "kpilint.audit.render_text",
    "markdown": "kpilint.audit.render_markdown",
    "json": "kpilint.audit.render_json",
    "html": "kpilint.audit.render_html",
}


def render(result: Audit, fmt: str, *, color: bool = False) -> str:
    """``result`` in ``fmt`` (a key of ``FORMATS``); renderers are imported when used."""
    import importlib

    from kpilint.reporters.visible import visible_copy

    module = importlib.import_module(FORMATS[fmt])
    if fmt != "json":  # human-readable: control characters shown, not obeyed
        result = visible_copy(result)
    text: str = module.render(result, color=color)
    return text


__all__ = [
    "ATTENTION_DAYS",
    "COMPLETENESS",
    "FORMATS",
    "Attention",
    "Audit",
    "GoalRow",
    "KpiRow",
    "Orphans",
    "OwnerRow",
    "Ref",
    "RuleCount",
    "ScopeRow",
    "Totals",
    "TreeGoal",
    "Waivers",
    "audit",
    "build",
    "completeness",
    "explain_score",
    "render",
]
