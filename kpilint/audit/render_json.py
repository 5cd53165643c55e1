"""``kpilint audit --format json``: the check's JSON report plus an ``audit`` object.

The shape is documented in the README and stable within ``version`` 1: keys are
only ever added. ``findings`` and ``summary`` are exactly what ``check --format
json`` prints, so tools that read one read the other.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from kpilint.audit import Attention, Audit, GoalRow, KpiRow, Ref, TreeGoal
from kpilint.audit.history import History


def audit_dict(result: Audit) -> dict[str, Any]:
    """The whole JSON document as plain data."""
    from kpilint.reporters.json import report_dict

    data = report_dict(result.report)
    t = result.totals
    data["audit"] = {
        "today": result.today.isoformat(),
        "totals": {
            "files": t.files,
            "goals": t.goals,
            "metrics": t.metrics,
            "kpis": t.kpis,
            "kpis_by_status": dict(t.kpis_by_status),
            "incentives": t.incentives,
            "findings": dict(t.findings),
            "score": t.score,
            **({"progress": dict(t.progress)} if t.progress is not None else {}),
        },
        "by_rule": [
            {"code": r.code, "name": r.name, "severity": r.severity, "count": r.count}
            for r in result.by_rule
        ],
        "scopes": [
            {
                "scope": s.scope,
                "kpis": s.kpis,
                "active": s.active,
                "draft": s.draft,
                "completeness": s.completeness,
                "score": s.score,
            }
            for s in result.scopes
        ],
        "goals": [_goal(g) for g in result.goals],
        "kpis": [_kpi(k) for k in result.kpis],
        "tree": [_node(n) for n in result.tree],
        "orphans": {
            "goals": [_ref(r) for r in result.orphans.goals],
            "metrics": [_ref(r) for r in result.orphans.metrics],
            "kpis": [_ref(r) for r in result.orphans.kpis],
        },
        "attention": {
            "days": result.attention_days,
            "items": [_attention(a) for a in result.attention],
        },
        "waivers": _waivers(result),
        "owners": [asdict(o) for o in result.owners],  # owner, kpis, active, findings, listed
    }
    if result.history is not None:
        data["audit"]["history"] = _history(result.history)
    return data


def _history(h: History) -> dict[str, Any]:
    """The series, oldest first: one entry per commit, every rule family in each."""
    return {
        "requested": h.requested,
        "note": h.note,
        "families": list(h.families),
        "points": [
            {
                "commit": p.commit,
                "date": p.date.isoformat(),
                "subject": p.subject,
                "score": p.score,
                "completeness": p.completeness,
                "kpis": p.kpis,
                "findings": dict(p.findings),
                "families": {f: p.families.get(f, 0) for f in h.families},
                "error": p.error,
            }
            for p in h.points
        ],
    }


def _goal(g: GoalRow) -> dict[str, Any]:
    return {
        "id": g.id,
        "name": g.name,
        "path": g.path,
        "line": g.line,
        "level": g.level,
        "kind": g.kind,
        "parent": g.parent,
        "kpis": g.kpis,
        "completeness": g.completeness,
        "score": g.score,
    }


def _kpi(k: KpiRow) -> dict[str, Any]:
    return {
        "id": k.id,
        "name": k.name,
        "path": k.path,
        "line": k.line,
        "scope": k.scope,
        "status": k.status,
        "goals": list(k.goals),
        "metric": k.metric,
        "owner": k.owner,
        "completeness": {**k.checks, "percent": k.completeness},
        "findings": {**k.findings, "codes": list(k.codes)},
        "score": k.score,
    }


def _node(n: TreeGoal) -> dict[str, Any]:
    return {
        "goal": n.goal.id,
        "name": n.goal.name,
        "path": n.goal.path,
        "line": n.goal.line,
        "score": n.goal.score,
        "outside": n.outside,
        "kpis": [
            {
                "id": k.id,
                "name": k.name,
                "status": k.status,
                "score": k.score,
                "metric": {"id": k.metric, "name": k.metric_name} if k.metric else None,
            }
            for k in n.kpis
        ],
        "children": [_node(c) for c in n.children],
    }


def _ref(r: Ref) -> dict[str, Any]:
    return {"id": r.id, "name": r.name, "path": r.path, "line": r.line}


def _attention(a: Attention) -> dict[str, Any]:
    return {
        "kind": a.kind,
        "kpi": a.kpi.id,
        "name": a.kpi.name,
        "path": a.kpi.path,
        "line": a.kpi.line,
        "date": a.date.isoformat(),
        "days": a.days,
        "message": a.message,
    }


def render(result: Audit, *, color: bool = False) -> str:
    return json.dumps(audit_dict(result), indent=2, ensure_ascii=False) + "\n"


def _waivers(result: Audit) -> dict[str, Any]:
    w = result.waivers
    return {
        "active": [
            {
                "path": r.path,
                "line": r.line,
                "rules": list(r.rules),
                "file": r.whole_file,
                "until": r.until.isoformat(),
                "days": r.days,
                "reason": r.reason,
            }
            for r in w.active
        ],
        "without_end": w.without_end,
        "expired": w.expired,
    }
