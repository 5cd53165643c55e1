"""``kpilint audit --format markdown``: the portfolio for a wiki page or a job summary.

GitHub-flavoured tables and a nested list for the goal tree; every user-written
text goes through the check reporter's ``cell`` escaping, so a KPI name can
neither break a table nor mention anyone. Long lists stop at ``MAX_ROWS``.
"""

from __future__ import annotations

from kpilint.audit import COMPLETENESS, COMPLETENESS_TITLES, Audit, Ref, TreeGoal
from kpilint.audit.render_text import fmt_pct, fmt_score, progress_counts
from kpilint.findings import SEVERITY_RANK
from kpilint.reporters import plural
from kpilint.reporters.markdown import MAX_ROWS, cell, rich
from kpilint.reporters.markdown import code as _code


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _header(titles: list[str], right: int = 0) -> list[str]:
    """A header row and its rule; the last ``right`` columns are right-aligned numbers."""
    rule = ["---"] * (len(titles) - right) + ["---:"] * right
    return [_row(titles), _row(rule)]


def _more(shown: int, total: int, what: str) -> list[str]:
    if total <= shown:
        return []
    return ["", f"_… and {plural(total - shown, what)} not shown._"]


def render(result: Audit, *, color: bool = False) -> str:
    t = result.totals
    status = ", ".join(f"{n} {s}" for s, n in t.kpis_by_status.items())
    out = [
        "## kpilint audit",
        "",
        f"Health score **{fmt_score(t.score)} / 100** on {result.today.isoformat()} "
        "(`kpilint audit --explain-score` gives the formula).",
        *(["", f"Progress: {progress_counts(t.progress)}."] if t.progress is not None else []),
        "",
        *_header(["files", "goals", "metrics", "KPIs", "incentives", "errors", "warnings", "info"]),
        _row(
            [
                str(t.files),
                str(t.goals),
                str(t.metrics),
                f"{t.kpis} ({status})",
                str(t.incentives),
                *(str(t.findings[s]) for s in ("error", "warning", "info")),
            ]
        ),
    ]
    checks = [COMPLETENESS_TITLES[c] for c in COMPLETENESS]

    out += ["", "### Scopes", ""]
    if result.scopes:
        out += _header(["scope", "KPIs", *checks, "complete", "score"], right=len(checks) + 3)
        for s in result.scopes:
            c = s.completeness
            out.append(
                _row(
                    [
                        cell(s.scope),
                        str(s.kpis),
                        *(fmt_pct(c[k] if c else None) for k in COMPLETENESS),
                        fmt_pct(c["overall"] if c else None),
                        fmt_score(s.score),
                    ]
                )
            )
    else:
        out.append("No live KPIs.")

    out += ["", "### Goals", ""]
    if result.goals:
        out += _header(["goal", "level", "KPIs", "complete", "score"], right=3)
        for g in result.goals:
            c = g.completeness
            out.append(
                _row(
                    [
                        f"{_code(g.label)} {cell(g.name)}",
                        g.level,
                        str(g.kpis),
                        fmt_pct(c["overall"] if c else None),
                        fmt_score(g.score),
                    ]
                )
            )
    else:
        out.append("No goals.")

    out += ["", "### Findings by rule", ""]
    if result.by_rule:
        out += _header(["rule", "severity", "findings"], right=1)
        out += [_row([f"{r.code} {r.name}", r.severity, str(r.count)]) for r in result.by_rule]
    else:
        out.append("No findings.")

    low = sorted(
        (k for k in result.kpis if k.score is not None and k.score < 100),
        key=lambda k: (k.score, k.path, k.line),
    )
    out += ["", "### Lowest KPI scores", ""]
    if low:
        out += _header(["KPI", "scope", "status", "findings", "score"], right=1)
        out += [
            _row(
                [
                    _code(k.label),
                    cell(k.scope),
                    k.status,
                    " ".join(dict.fromkeys(k.codes)),
                    fmt_score(k.score),
                ]
            )
            for k in low[:MAX_ROWS]
        ]
        out += _more(min(len(low), MAX_ROWS), len(low), "more KPI")
    else:
        out.append("Every live KPI scores 100.")

    out += ["", "### Needs attention", ""]
    if result.attention:
        out += _header(["KPI", "what", "date", "detail", "location"])
        out += [
            _row(
                [
                    _code(a.kpi.label),
                    a.kind,
                    a.date.isoformat(),
                    rich(a.message),
                    cell(f"{a.kpi.path}:{a.kpi.line}"),
                ]
            )
            for a in result.attention[:MAX_ROWS]
        ]
        out += _more(min(len(result.attention), MAX_ROWS), len(result.attention), "more item")
    else:
        out.append(
            f"Nothing: no deadline within {result.attention_days} days or passed, "
            "no review overdue."
        )

    out += _waivers(result)
    out += _owners(result)

    out += ["", "### Goal tree", ""]
    if result.tree:
        for node in result.tree:
            out += _tree(node, 0)
    else:
        out.append("No goals.")

    out += ["", "### Orphans", ""]
    out += _orphans("Goals without KPIs", result.orphans.goals)
    out += _orphans("Metrics without KPIs", result.orphans.metrics)
    out += _orphans("KPIs without goals", result.orphans.kpis)

    if result.report.findings:
        ordered = sorted(
            result.report.findings, key=lambda f: (-SEVERITY_RANK[f.severity], f.sort_key)
        )
        out += ["", "### Findings", ""]
        out += _header(["location", "rule", "severity", "message"])
        out += [
            _row(
                [
                    cell(f"{f.path}:{f.line}" if f.path else "(no file)"),
                    f"{f.code} {f.name}",
                    f.severity,
                    rich(f.message),
                ]
            )
            for f in ordered[:MAX_ROWS]
        ]
        out += _more(min(len(ordered), MAX_ROWS), len(ordered), "more finding")
    if result.history is not None:
        out += _history(result)
    return "\n".join(out) + "\n"


def _history(result: Audit) -> list[str]:
    """The score and findings per rule family at past commits, oldest first."""
    from kpilint.audit.history import summary
    from kpilint.audit.history import table as history_table

    h = result.history
    assert h is not None
    out = ["", "### History", "", cell(summary(h))]
    if h.note:
        out += ["", f"_Note: {cell(h.note)}_"]
    if not h.points:
        return [*out, "", "No commit touched the project."]
    headers, rows = history_table(h)
    out += ["", _row(headers), _row(["---", "---", *["---:"] * (len(headers) - 3), "---"])]
    out += [_row([*r[:-1], cell(r[-1])]) for r in rows[-MAX_ROWS:]]
    return out + _more(min(len(rows), MAX_ROWS), len(rows), "older commit")


def _tree(node: TreeGoal, depth: int) -> list[str]:
    pad = "  " * depth
    g = node.goal
    note = " _(outside the audited files)_" if node.outside else ""
    lines = [f"{pad}- goal {_code(g.label)} {cell(g.name)} (score {fmt_score(g.score)}){note}"]
    for k in node.kpis:
        status = "" if k.status == "active" else f" _{k.status}_"
        metric = f" → metric {_code(k.metric)}" if k.metric else ""
        lines.append(f"{pad}  - KPI {_code(k.label)}{status} ({fmt_score(k.score)}){metric}")
    for child in node.children:
        lines += _tree(child, depth + 1)
    return lines


def _orphans(title: str, refs: list[Ref]) -> list[str]:
    if not refs:
        return [f"- {title}: none"]
    names = ", ".join(_code(r.label) for r in refs[:MAX_ROWS])
    extra = f" and {len(refs) - MAX_ROWS} more" if len(refs) > MAX_ROWS else ""
    return [f"- {title} ({len(refs)}): {names}{extra}"]


def _waivers(result: Audit) -> list[str]:
    w = result.waivers
    out = ["", "### Waivers", ""]
    if w.active:
        out += _header(["ends", "days left", "rules", "reason", "location"], right=0)
        out += [
            _row(
                [
                    r.until.isoformat(),
                    str(r.days),
                    ("file: " if r.whole_file else "") + ", ".join(_code(x) for x in r.rules),
                    rich(r.reason) if r.reason else "_(none)_",
                    cell(f"{r.path}:{r.line}"),
                ]
            )
            for r in w.active[:MAX_ROWS]
        ]
        out += _more(min(len(w.active), MAX_ROWS), len(w.active), "more waiver")
    else:
        out.append("No suppression in force has an end date.")
    out += [
        "",
        f"{plural(w.without_end, 'suppression')} with no end date; "
        f"{plural(w.expired, 'expired waiver')} (KPI011).",
    ]
    return out


def _owners(result: Audit) -> list[str]:
    out = ["", "### Owners", ""]
    if not result.owners:
        return [*out, "No live KPI names an owner."]
    listed = any(o.listed is not None for o in result.owners)
    titles = ["owner", "KPIs", "active", "errors", "warnings", "info"]
    out += _header([*titles, *(["listed"] if listed else [])])
    out += [
        _row(
            [
                _code(o.owner),
                str(o.kpis),
                str(o.active),
                *(str(o.findings[s]) for s in ("error", "warning", "info")),
                *((["yes" if o.listed else "**no**"]) if listed else []),
            ]
        )
        for o in result.owners[:MAX_ROWS]
    ]
    out += _more(min(len(result.owners), MAX_ROWS), len(result.owners), "more owner")
    return out
