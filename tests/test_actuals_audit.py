"""The audit with actuals (ACTUALS.md "Audit"): KPIs per progress status beside the health
score, and KPIs off track under "Needs attention", in text, markdown and JSON."""

from __future__ import annotations

import json

from tests.conftest import WriteProject, run_kpilint

CONFIG = '[[actuals]]\ninclude = ["actuals/*.csv"]\n'
KPIS = """
kpis:
  - id: churn
    name: Churn
    target: {value: 3, unit: "%", direction: decrease}
    timeline: {start: 2024-01-01, end: 2028-12-31, review: annually}
  - id: nps
    name: NPS
    target: {value: 50, direction: increase}
    timeline: {start: 2024-01-01, end: 2028-12-31, review: annually}
  - id: signups
    name: Signups
    target: {value: 10, direction: increase}
    timeline: {end: 2028-12-31}
"""
CSV = "kpi,date,value\nchurn,2024,5\nchurn,2026,4.9\nnps,2024,20\nnps,2026,60\nsignups,2026,1\n"


def _audit(write_project: WriteProject, fmt: str, config: str = CONFIG) -> str:
    root = write_project({"kpilint.toml": config, "a.kpi.yaml": KPIS, "actuals/k.csv": CSV})
    done = run_kpilint(["audit", "--today", "2027-06-01", "--format", fmt], root)
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


def test_text(write_project: WriteProject) -> None:
    out = _audit(write_project, "text")
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("  health score:"))
    assert lines[at + 1] == "  progress: 1 target achieved, 1 limited progress, 1 not available"
    attention = out[out.index("Needs attention") :]
    assert attention.startswith(
        "Needs attention (deadlines within 30 days or passed, reviews overdue, KPIs off track)"
    )
    row = next(line for line in attention.splitlines() if line.startswith("  churn"))
    assert "off-track" in row and "2028-12-31" in row and "a.kpi.yaml:2" in row
    assert "limited progress, p = 0.08: 4.9 on 2026-12-31, target 3 by 2028-12-31" in row
    assert "  nps " not in attention and "  signups " not in attention


def test_markdown(write_project: WriteProject) -> None:
    out = _audit(write_project, "markdown")
    assert "\n\nProgress: 1 target achieved, 1 limited progress, 1 not available.\n\n" in out
    assert "off-track" in out[out.index("### Needs attention") :]


def test_json(write_project: WriteProject) -> None:
    data = json.loads(_audit(write_project, "json"))
    assert data["audit"]["totals"]["progress"] == {
        "target_achieved": 1,
        "substantial_progress": 0,
        "moderate_progress": 0,
        "limited_progress": 1,
        "deterioration": 0,
        "not_available": 1,
    }
    items = data["audit"]["attention"]["items"]
    assert [(i["kind"], i["kpi"], i["date"]) for i in items] == [
        ("off-track", "churn", "2028-12-31")
    ]
    assert [r["status"] for r in data["progress"]] == [
        "limited_progress",
        "target_achieved",
        "not_available",
    ]
    assert data["progress"][2]["reason"] == "one actual only"


def test_nothing_without_actuals(write_project: WriteProject) -> None:
    out = _audit(write_project, "text", config="")
    assert "  progress:" not in out and "KPIs off track" not in out
    assert "progress" not in json.loads(_audit(write_project, "json", config=""))["audit"]["totals"]
