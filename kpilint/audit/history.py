"""``kpilint audit --history N`` / ``--since REV``: the project's health at past commits.

Each commit that touched the project's KPI files, its sources or its config is
read from git's object database (as ``kpilint diff`` reads a revision: nothing
is checked out), linted with the config committed at that commit and with its
commit date as "today", and scored as the audit scores the work tree. A commit
never changes, so its point is cached in ``.kpilint_cache/`` by commit id,
kpilint's code and the options; a second run only lints new commits.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from kpilint.findings import SEVERITIES

if TYPE_CHECKING:
    from kpilint.config import Config
    from kpilint.engine import Loaded

DEFAULT_COMMITS = 10
CACHE_FILE = "history.data"  # not *.json: the result cache prunes those
CACHE_POINTS = 500  # points kept in the cache file; the oldest go first


@dataclass(frozen=True, slots=True)
class Point:
    """The audit's headline numbers at one commit."""

    commit: str
    date: date  # the commit date, used as "today"
    subject: str
    score: float | None  # None with no live KPI, or when the commit could not be linted
    completeness: float | None  # overall completeness of live KPIs, percent
    kpis: int  # live KPIs
    findings: dict[str, int]  # severity -> count
    families: dict[str, int]  # rule family -> count (only families with findings)
    error: str | None = None  # why the commit could not be linted (its config, say)

    @property
    def short(self) -> str:
        return self.commit[:7]


@dataclass(slots=True)
class History:
    """Points oldest first, the rule families that occur in them, and a note for the reader."""

    points: list[Point] = field(default_factory=list)
    families: list[str] = field(default_factory=list)
    note: str | None = None
    requested: str = ""  # "last 10 commits", "since v1.0"


def history(
    paths: Sequence[str | os.PathLike[str]],
    config: Config | None = None,
    *,
    count: int | None = None,
    since: str | None = None,
    cwd: Path | None = None,
    overrides: dict[str, Any] | None = None,
    use_cache: bool = True,
    progress: Callable[[str], None] | None = None,
) -> History:
    """The audit at the last ``count`` commits (default 10) that touched the project, or at
    every such commit after ``since``; raises ``UsageError`` outside git."""
    from kpilint import gitio
    from kpilint.diff import _project_config
    from kpilint.engine import UsageError

    cwd = (cwd or Path.cwd()).resolve()
    named = [(cwd / p).resolve() for p in (paths or (".",))]
    folder = named[0] if named[0].is_dir() else named[0].parent
    top = gitio.work_tree_top(folder)
    if top is None:
        raise UsageError(
            f"'{folder}' is not inside a git work tree; --history and --since read the "
            "project's git history, so run them in a clone"
        )
    if gitio.head_commit(top) is None:
        return History(note="the repository has no commit yet", requested=_requested(count, since))
    root, work_config = _project_config(folder, top, None, None, parse=config is None)
    shallow = gitio.is_shallow(top)
    note = None
    since_oid = None
    if since is not None:
        try:
            since_oid = gitio.resolve(since, top)
        except UsageError:
            if not shallow:
                raise
            note = f"'{since}' is not in this shallow clone"
    limit = count if count is not None else (None if since else DEFAULT_COMMITS)
    specs = _pathspecs(root, top, config or work_config, explicit=config is not None)
    commits = gitio.log(top, specs, limit=limit, since=since_oid)
    if shallow and (since is not None or limit is None or len(commits) < limit):
        shown = f"{len(commits)} commit{'' if len(commits) == 1 else 's'}"
        note = (note + ": " if note else "this clone is shallow: ") + (
            f"the history shows the {shown} it has; `git fetch --unshallow` gives the rest"
        )
    undated = [c.oid[:7] for c in commits if c.day is None]
    if undated:  # no "today" to lint them with
        commits = [c for c in commits if c.day is not None]
        left = (
            f"left out {len(undated)} commit{'' if len(undated) == 1 else 's'} whose commit"
            f" date is not a calendar date from year 1 to 9999 ({', '.join(undated)})"
        )
        note = f"{note}; {left}" if note else left
    say = progress or (lambda _message: None)
    cached = _load_cache(root) if use_cache else {}
    keys = []
    points = []
    for i, commit in enumerate(reversed(commits), 1):
        key = _key(commit.oid, config, overrides, top, named)
        keys.append(key)
        point = _from_cache(cached.get(key), commit)
        if point is None:
            say(f"history: commit {i} of {len(commits)} ({commit.oid[:7]})")
            point = _point(commit, top, folder, named, config, overrides, cwd)
            cached[key] = _to_cache(point)
        points.append(point)
    if use_cache and commits:
        _store_cache(root, cached, keys)
    families = _family_order([f for p in points for f in p.families])
    return History(points, families, note, _requested(count, since))


def _requested(count: int | None, since: str | None) -> str:
    if since is not None:
        return f"since {since}" + (f", at most {count}" if count is not None else "")
    return f"last {count or DEFAULT_COMMITS} commits that touched the project"


def _pathspecs(root: Path, top: Path, config: Config, *, explicit: bool) -> list[str]:
    """Git pathspecs of what makes the project: KPI files, source files, the config."""
    from kpilint.project import CONFIG_NAMES

    prefix = PurePosixPath(os.path.relpath(root, top)).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    patterns = list(config.include)
    for source in getattr(config, "sources", ()) or ():
        include = source.get("include", ()) if isinstance(source, dict) else ()
        patterns += [p for p in ([include] if isinstance(include, str) else include) if p]
    specs = []
    for pattern in dict.fromkeys([*patterns, *CONFIG_NAMES]):
        pattern = pattern.lstrip("/")
        where = pattern if "/" in pattern else f"**/{pattern}"
        specs.append(f":(glob){prefix}{where}")
    if explicit and config.source is not None:
        rel = os.path.relpath(Path(config.source).resolve(), top)
        if not rel.startswith(".."):  # a --config file inside the repository
            specs.append(f":(literal){PurePosixPath(rel).as_posix()}")
    return specs


def _point(
    commit: Any,
    top: Path,
    folder: Path,
    named: list[Path],
    config: Config | None,
    overrides: dict[str, Any] | None,
    cwd: Path,
) -> Point:
    """Lint and score the project as ``commit`` has it."""
    from kpilint import gitio
    from kpilint.audit import build, completeness
    from kpilint.config import ConfigError
    from kpilint.diff import _project_config, _tree_side
    from kpilint.engine import Loaded, count_entities, rule_infos, run_rules
    from kpilint.findings import Report, assign_fingerprints

    tree = gitio.ls_tree(commit.oid, top)
    try:
        root, found = _project_config(folder, top, commit.oid, tree, parse=config is None)
        used = config or found
        if overrides:
            used = used.with_overrides(**overrides)
    except ConfigError as exc:
        return _failed(commit, f"its config cannot be used: {exc}")
    scope = root if root == top or top in root.parents else top
    loaded = _tree_side(tree, top, scope, root, used, cwd)  # KPI files and sources
    reported = {
        sf.display
        for sf in loaded.project.files
        if any(sf.path == p or p in sf.path.parents for p in named)
    }
    part: Loaded = Loaded(loaded.project, used, reported)
    day = commit.day
    report = Report(today=day, fail_on=used.fail_on, rules=rule_infos(used))
    report.findings = assign_fingerprints(sorted(run_rules(part, day), key=lambda f: f.sort_key))
    count_entities(report.summary, part)
    report.recount()
    result = build(report, [(part, day)])
    live = [k for k in result.kpis if k.live]
    overall = completeness(live)
    return Point(
        commit=commit.oid,
        date=day,
        subject=commit.subject,
        score=result.score,
        completeness=overall["overall"] if overall else None,
        kpis=len(live),
        findings={sev: report.count(sev) for sev in SEVERITIES},
        families=_families(f.code for f in report.findings),
    )


def _failed(commit: Any, why: str) -> Point:
    return Point(
        commit.oid,
        commit.day,
        commit.subject,
        None,
        None,
        0,
        dict.fromkeys(SEVERITIES, 0),
        {},
        why,
    )


def _families(codes: Any) -> dict[str, int]:
    from kpilint.registry import registry

    rules = registry()
    out: dict[str, int] = {}
    for code in codes:
        family = rules[code].meta.family if code in rules else "other"
        out[family] = out.get(family, 0) + 1
    return {f: out[f] for f in _family_order(out)}


def _family_order(families: Sequence[str] | dict[str, int]) -> list[str]:
    """Families in rule-code order (structure first), unknown ones last."""
    from kpilint.registry import registry

    order = list(dict.fromkeys(r.meta.family for r in registry().values()))
    present = set(families)
    return [f for f in order if f in present] + sorted(present - set(order))


# --- the cache ------------------------------------------------------------------------


def _key(
    oid: str,
    config: Config | None,
    overrides: dict[str, Any] | None,
    top: Path,
    named: list[Path],
) -> str:
    from kpilint.cache import digest

    parts = [
        "history",
        oid,
        config.fingerprint() if config is not None else "committed config",
        json.dumps(overrides or {}, sort_keys=True, default=str),
        *(os.path.relpath(p, top) for p in named),
    ]
    return digest(parts, []) or oid


def _load_cache(root: Path) -> dict[str, Any]:
    from kpilint.cache import load_data

    data = load_data(root, CACHE_FILE)
    return data if isinstance(data, dict) else {}


def _store_cache(root: Path, cached: dict[str, Any], recent: list[str]) -> None:
    from kpilint.cache import store_data

    keep = [k for k in cached if k not in recent][-(CACHE_POINTS - len(recent)) :] + recent
    store_data(root, CACHE_FILE, {k: cached[k] for k in keep if k in cached})


def _to_cache(point: Point) -> dict[str, Any]:
    data = asdict(point)
    data.pop("commit"), data.pop("date"), data.pop("subject")  # from git, each run
    return data


def _from_cache(data: Any, commit: Any) -> Point | None:
    """A cached point, or None when absent or not of the expected shape."""
    if not isinstance(data, dict):
        return None
    try:
        score, done = data["score"], data["completeness"]
        findings, families, error = data["findings"], data["families"], data["error"]
        ok = (
            all(v is None or (type(v) in (int, float) and 0 <= v <= 100) for v in (score, done))
            and _count(data["kpis"])
            and _counts(findings)
            and set(findings) == set(SEVERITIES)
            and _counts(families)
            and (error is None or isinstance(error, str))
        )
    except KeyError:
        return None
    if not ok:
        return None
    return Point(
        commit.oid, commit.day, commit.subject, score, done, data["kpis"], findings, families, error
    )


def _counts(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and _count(v) for k, v in value.items()
    )


def _count(value: Any) -> bool:
    """A whole number a float holds exactly: the charts scale by it (NaN, inf and 10**400
    raised there, from a cache file anyone may have written)."""
    return type(value) is int and 0 <= value < 1 << 53


# --- what every renderer shows ----------------------------------------------------------

#: Numeric columns of the history table, after date and commit.
HEADLINE = ("score", "complete", "KPIs", "errors", "warnings", "info")


def table(h: History) -> tuple[list[str], list[list[str]]]:
    """Headers and rows (oldest first) of the history table: the numbers, then the subject.

    Text and markdown print it as it is; HTML shows it under the charts.
    """
    from kpilint.audit.render_text import fmt_pct, fmt_score

    headers = ["date", "commit", *HEADLINE, *h.families, "subject"]
    rows = []
    for p in h.points:
        numbers = [
            fmt_score(p.score),
            fmt_pct(p.completeness),
            str(p.kpis),
            *(str(p.findings[s]) for s in SEVERITIES),
            *(str(p.families.get(f, 0)) for f in h.families),
        ]
        subject = f"not linted: {p.error}" if p.error else p.subject
        rows.append([p.date.isoformat(), p.short, *numbers, subject])
    return headers, rows


def summary(h: History) -> str:
    """One sentence: what was audited and which way the score went."""
    scored = [p for p in h.points if p.score is not None]
    n = len(h.points)
    text = f"{n} commit{'' if n == 1 else 's'} ({h.requested})"
    if len(scored) >= 2:
        first, last = scored[0], scored[-1]
        assert first.score is not None and last.score is not None
        change = round(last.score - first.score, 1)
        way = "up" if change > 0 else "down" if change < 0 else "unchanged"
        text += (
            f": score {first.score:.1f} on {first.date} to {last.score:.1f} on {last.date}"
            f" ({way}{f' {abs(change):.1f}' if change else ''})"
        )
    return text + "."
