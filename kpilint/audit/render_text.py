"""``kpilint audit`` on a terminal: aligned tables, colour only when asked.

Columns are aligned whether or not the output is a terminal (a piped report is
still read by people); ANSI styling is added after padding, so it never shifts
a column, and only when ``color`` is on (a terminal without ``NO_COLOR``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kpilint.audit import COMPLETENESS, COMPLETENESS_TITLES, Audit, KpiRow, Ref, TreeGoal
from kpilint.audit.score import band
from kpilint.reporters import plural

_SEVERITY_STYLE = {"error": "31;1", "warning": "33;1", "info": "36;1"}
Style = Callable[[str], str]


def fmt_score(score: float | None) -> str:
    if score is None:
        return "-"
    return f"{score:.1f}" if isinstance(score, float) else str(score)


def fmt_pct(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.0f}%" if value == int(value) else f"{value:.1f}%"


_BAND_STYLE = {"good": "32", "fair": "33", "poor": "31", "none": "2"}


def score_style(score: float | None) -> str:
    """ANSI colour of a score's band: green, yellow, red, or dim without a score."""
    return _BAND_STYLE[band(score)]


class _Painter:
    def __init__(self, on: bool) -> None:
        self.on = on

    def __call__(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.on and code and text else text


def progress_counts(counts: dict[str, int]) -> str:
    """``1 target achieved, 2 limited progress``: the statuses that have KPIs."""
    shown = [f"{n} {status.replace('_', ' ')}" for status, n in counts.items() if n]
    return ", ".join(shown) or "no KPI with a numeric target"


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    right: Sequence[bool] | None = None,
    styles: Sequence[Sequence[str]] | None = None,
    paint: _Painter | None = None,
    indent: str = "  ",
) -> list[str]:
    """Lines of an aligned table; numbers right-aligned where ``right`` says so."""
    right = right or [False] * len(headers)
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    paint = paint or _Painter(False)

    def line(cells: Sequence[str], codes: Sequence[str]) -> str:
        parts = []
        last = len(cells) - 1
        for i, cell in enumerate(cells):
            if right[i]:
                padded = cell.rjust(widths[i])
            else:  # a last left-aligned column needs no trailing spaces
                padded = cell if i == last else cell.ljust(widths[i])
            parts.append(paint(padded, codes[i]) if codes[i] else padded)
        return (indent + "  ".join(parts)).rstrip()

    out = [line(headers, ["1"] * len(headers))]
    for n, row in enumerate(rows):
        out.append(line(row, styles[n] if styles else [""] * len(row)))
    return out


def render(result: Audit, *, color: bool = False) -> str:
    paint = _Painter(color)
    t = result.totals
    out: list[str] = []
    status = ", ".join(f"{n} {s}" for s, n in t.kpis_by_status.items())
    out.append(paint("kpilint audit", "1") + f" (today {result.today})")
    out.append(
        f"  {plural(t.files, 'file')}, {plural(t.goals, 'goal')}, "
        f"{plural(t.metrics, 'metric')}, {plural(t.kpis, 'KPI')} ({status}), "
        f"{plural(t.incentives, 'incentive')}"
    )
    counts = ", ".join(plural(t.findings[s], s) for s in ("error", "warning", "info"))
    out.append(f"  findings: {counts}")
    score = paint(fmt_score(t.score), score_style(t.score) + ";1")
    out.append(f"  health score: {score} / 100 (see `kpilint audit --explain-score`)")
    if t.progress is not None:  # ACTUALS.md: KPIs per progress status beside the score
        out.append(f"  progress: {progress_counts(t.progress)}")

    out += ["", paint("Findings by rule", "1")]
    if result.by_rule:
        out += table(
            ["code", "name", "severity", "count"],
            [[r.code, r.name, r.severity, str(r.count)] for r in result.by_rule],
            right=[False, False, False, True],
            styles=[["", "", _SEVERITY_STYLE[r.severity], ""] for r in result.by_rule],
            paint=paint,
        )
    else:
        out.append("  none")

    checks = [COMPLETENESS_TITLES[c] for c in COMPLETENESS]
    out += ["", paint("Scopes", "1") + " (live KPIs; % with each part)"]
    if result.scopes:
        out += table(
            ["scope", "KPIs", *checks, "complete", "score"],
            [
                [
                    s.scope,
                    str(s.kpis),
                    *_pcts(s.completeness),
                    fmt_pct(s.completeness["overall"] if s.completeness else None),
                    fmt_score(s.score),
                ]
                for s in result.scopes
            ],
            right=[False, *[True] * (len(checks) + 3)],
            styles=[["", *[""] * (len(checks) + 2), score_style(s.score)] for s in result.scopes],
            paint=paint,
        )
    else:
        out.append("  no live KPIs")

    out += ["", paint("Goals", "1")]
    if result.goals:
        out += table(
            ["goal", "level", "KPIs", *checks, "complete", "score"],
            [
                [
                    g.label,
                    g.level,
                    str(g.kpis),
                    *_pcts(g.completeness),
                    fmt_pct(g.completeness["overall"] if g.completeness else None),
                    fmt_score(g.score),
                ]
                for g in result.goals
            ],
            right=[False, False, *[True] * (len(checks) + 3)],
            styles=[
                ["", "", *[""] * (len(checks) + 2), score_style(g.score)] for g in result.goals
            ],
            paint=paint,
        )
    else:
        out.append("  none")

    out += ["", paint("KPI scores", "1") + " (lowest first; only KPIs below 100)"]
    scored = [k for k in result.kpis if k.score is not None]
    low = sorted((k for k in scored if k.score is not None and k.score < 100), key=_by_score)
    if low:
        out += table(
            ["kpi", "scope", "status", "errors", "warnings", "infos", "score", "findings"],
            [
                [
                    k.label,
                    k.scope,
                    k.status,
                    str(k.findings["error"]),
                    str(k.findings["warning"]),
                    str(k.findings["info"]),
                    fmt_score(k.score),
                    " ".join(dict.fromkeys(k.codes)),
                ]
                for k in low
            ],
            right=[False, False, False, True, True, True, True, False],
            styles=[["", "", "", "", "", "", score_style(k.score), ""] for k in low],
            paint=paint,
        )
    healthy = len(scored) - len(low)
    out.append(f"  {plural(healthy, 'KPI')} of {len(scored)} live score 100.")

    out += ["", paint("Goal tree", "1") + " (goal → KPI → metric)"]
    if result.tree:
        for node in result.tree:
            out += _tree(node, "  ", "  ", paint)
    else:
        out.append("  no goals")

    out += ["", paint("Orphans", "1")]
    out += _orphans("goals without KPIs", result.orphans.goals)
    out += _orphans("metrics without KPIs", result.orphans.metrics)
    out += _orphans("KPIs without goals", result.orphans.kpis)

    out += [
        "",
        paint("Needs attention", "1")
        + f" (deadlines within {result.attention_days} days or passed, reviews overdue"
        + (", KPIs off track)" if t.progress is not None else ")"),
    ]
    if result.attention:
        out += table(
            ["kpi", "what", "date", "detail", "where"],
            [
                [a.kpi.label, a.kind, a.date.isoformat(), a.message, f"{a.kpi.path}:{a.kpi.line}"]
                for a in result.attention
            ],
            styles=[
                ["", "31" if a.kind != "deadline-soon" else "33", "", "", "2"]
                for a in result.attention
            ],
            paint=paint,
        )
    else:
        out.append("  nothing")
    out += _waivers(result, paint)
    out += _owners(result, paint)
    if result.history is not None:
        out += _history(result, paint)
    return "\n".join(out) + "\n"


def _history(result: Audit, paint: _Painter) -> list[str]:
    """Score and findings per rule family at past commits, oldest first."""
    from kpilint.audit.history import summary
    from kpilint.audit.history import table as history_table

    h = result.history
    assert h is not None
    out = ["", paint("History", "1") + f" {summary(h)}"]
    if h.note:
        out.append(f"  note: {h.note}")
    if not h.points:
        return [*out, "  no commit touched the project"]
    headers, rows = history_table(h)
    numeric = len(headers) - 3
    out += table(
        headers,
        rows,
        right=[False, False, *[True] * numeric, False],
        styles=[["", "2", score_style(p.score), *[""] * numeric] for p in h.points],
        paint=paint,
    )
    return out


def _by_score(k: KpiRow) -> tuple[int, str, int]:
    return (k.score if k.score is not None else 101, k.path, k.line)


def _pcts(values: dict[str, float] | None) -> list[str]:
    return [fmt_pct(values[c] if values else None) for c in COMPLETENESS]


def _tree(node: TreeGoal, first: str, rest: str, paint: _Painter) -> list[str]:
    """Lines of one goal and everything under it, drawn with box characters."""
    g = node.goal
    note = " (outside the audited files)" if node.outside else ""
    head = f"{paint(g.label, '1')}  {g.name}  [score {fmt_score(g.score)}]{note}"
    lines = [first + head]
    items: list[KpiRow | TreeGoal] = [*node.kpis, *node.children]
    for i, item in enumerate(items):
        last = i == len(items) - 1
        branch, cont = ("└─ ", "   ") if last else ("├─ ", "│  ")
        if isinstance(item, TreeGoal):
            lines += _tree(item, rest + branch, rest + cont, paint)
        else:
            status = "" if item.status == "active" else f" [{item.status}]"
            metric = f" → metric {item.metric}" if item.metric else " (no metric)"
            score = paint(fmt_score(item.score), score_style(item.score))
            lines.append(f"{rest}{branch}KPI {item.label}{status} ({score}){metric}")
    return lines


def _orphans(title: str, refs: list[Ref]) -> list[str]:
    if not refs:
        return [f"  {title}: none"]
    return [f"  {title}:"] + [f"    {r.label}  {r.name}  ({r.path}:{r.line})" for r in refs]


def _waivers(result: Audit, paint: _Painter) -> list[str]:
    w = result.waivers
    out = ["", paint("Waivers", "1") + " (suppressions in force until a date, soonest end first)"]
    if w.active:
        out += table(
            ["ends", "days left", "rules", "reason", "where"],
            [
                [
                    r.until.isoformat(),
                    str(r.days),
                    ("file: " if r.whole_file else "") + ", ".join(r.rules),
                    r.reason or "(none)",
                    f"{r.path}:{r.line}",
                ]
                for r in w.active
            ],
            right=[False, True, False, False, False],
            styles=[["", "33" if r.days <= 30 else "", "", "", "2"] for r in w.active],
            paint=paint,
        )
    else:
        out.append("  none")
    out.append(
        f"  {plural(w.without_end, 'suppression')} with no end date; "
        f"{plural(w.expired, 'expired waiver')} (KPI011)"
    )
    return out


def _owners(result: Audit, paint: _Painter) -> list[str]:
    out = ["", paint("Owners", "1") + " (live KPIs each owner is accountable for, busiest first)"]
    if not result.owners:
        return [*out, "  no live KPI names an owner"]
    listed = any(o.listed is not None for o in result.owners)
    out += table(
        ["owner", "KPIs", "active", "errors", "warnings", "infos", *(["listed"] if listed else [])],
        [
            [
                o.owner,
                str(o.kpis),
                str(o.active),
                *(str(o.findings[s]) for s in ("error", "warning", "info")),
                *((["yes" if o.listed else "no"]) if listed else []),
            ]
            for o in result.owners
        ],
        right=[False, True, True, True, True, True, *([False] if listed else [])],
        styles=[
            ["", "", "", "", "", "", *(["" if o.listed else "31"] if listed else [])]
            for o in result.owners
        ],
        paint=paint,
    )
    return out
