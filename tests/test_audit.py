"""``kpilint audit``: totals, completeness, scores, tree, orphans, attention, formats, CLI."""

from __future__ import annotations

import importlib.util
import io
import json
import re
import time
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpilint.audit import FORMATS, Audit, TreeGoal, audit, render
from kpilint.audit.progress import Progress, wanted
from kpilint.audit.score import WEIGHTS, band, explain, kpi_score, mean_score
from kpilint.cli import cli
from kpilint.reporters.json import report_dict
from tests.conftest import GITLAB_CORPUS, NO_GITLAB_CORPUS, REPO, WriteProject, cli_commands
from tests.test_cli import run

EXAMPLES = REPO / "examples"

GOAL = """
goals:
  - id: g
    name: Goal
    kind: revenue
    period: {start: 2027-01-01, end: 2027-12-31}
"""
METRIC = """
  - id: {id}
    name: Metric {id}
    category: output
    unit: USD
    source: {source}
    source_type: {source_type}
    aggregation: sum
"""
KPI = """
  - id: {id}
    name: KPI {id}
    goal: {goal}
    metric: {metric}
    owner: cfo
    status: {status}
    scope: {scope}
    target: {{value: 120, unit: USD, direction: increase, baseline: 100}}
    timeline: {{start: 2027-01-01, end: {end}, review: monthly, last_reviewed: {reviewed}}}
"""


def kpi(ident: str, **kw: str) -> str:
    values = {
        "id": ident,
        "goal": "g",
        "metric": "m",
        "status": "active",
        "scope": "org",
        "end": "2027-12-31",
        "reviewed": "2027-03-01",
        **kw,
    }
    return KPI.format(**values)


def metric(ident: str, source: str = "stripe", source_type: str = "automated") -> str:
    return METRIC.format(id=ident, source=source, source_type=source_type)


@pytest.fixture(scope="module")
def examples() -> Audit:
    return audit([EXAMPLES], cwd=REPO)


def kpi_row(result: Audit, ident: str) -> object:
    return next(k for k in result.kpis if k.id == ident)


# The score -------------------------------------------------------------------


def test_score_formula() -> None:
    assert kpi_score([]) == 100
    assert kpi_score(["error"]) == 100 - WEIGHTS["error"]
    assert kpi_score(["warning", "info"]) == 100 - WEIGHTS["warning"] - WEIGHTS["info"]
    assert kpi_score(["error"] * 5) == 0  # floor
    # One error outweighs many infos, and more than one warning.
    assert kpi_score(["error"]) < kpi_score(["info"] * 12)
    assert kpi_score(["error"]) < kpi_score(["warning"] * 3)
    assert WEIGHTS["error"] > WEIGHTS["warning"] > WEIGHTS["info"] > 0
    assert mean_score([]) is None
    assert mean_score([100, 75, 92]) == 89.0
    assert mean_score([100, 99, 99]) == 99.3


def test_score_bands_are_one_verdict_in_text_and_html() -> None:
    from kpilint.audit.render_html import _pill
    from kpilint.audit.render_text import score_style

    cases = {None: ("none", "2"), 100: ("good", "32"), 90: ("good", "32"), 89.9: ("fair", "33")}
    cases |= {70: ("fair", "33"), 69.9: ("poor", "31"), 0: ("poor", "31")}
    for score, (word, ansi) in cases.items():
        assert (band(score), score_style(score)) == (word, ansi), score
        assert f'class="pill {word}"' in _pill(score)


def test_explain_names_the_weights_and_the_readme_agrees() -> None:
    text = explain()
    for severity, weight in WEIGHTS.items():
        assert f"{severity} {weight}" in text
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Audit", 1)[1].split("\n## ", 1)[0]
    for severity, weight in WEIGHTS.items():
        assert f"{severity} {weight}" in section, f"README's Audit section lacks {severity}"


# The example catalogue: exact numbers, counted from the files -----------------


def test_examples_totals(examples: Audit) -> None:
    t = examples.totals
    assert (t.files, t.goals, t.metrics, t.kpis, t.incentives) == (7, 5, 26, 25, 2)
    assert t.kpis_by_status == {"active": 24, "draft": 1, "retired": 0}
    assert t.findings == {"error": 3, "warning": 4, "info": 4}
    # 25 live KPIs; deductions: KPI101 (25), KPI701, KPI601, KPI303 (8 each),
    # KPI204, KPI207, KPI208 (2 each): (2500 - 55) / 25.
    assert t.score == 97.8
    assert examples.today == date(2027, 3, 15)


def test_examples_by_rule(examples: Audit) -> None:
    rows = {(r.code, r.severity): r.count for r in examples.by_rule}
    assert rows == {
        ("KPI003", "error"): 1,
        ("KPI101", "error"): 1,
        ("KPI501", "error"): 1,
        ("KPI303", "warning"): 1,
        ("KPI503", "warning"): 1,
        ("KPI601", "warning"): 1,
        ("KPI701", "warning"): 1,
        ("KPI204", "info"): 1,
        ("KPI207", "info"): 1,
        ("KPI208", "info"): 1,
        ("KPI404", "info"): 1,
    }
    severities = [r.severity for r in examples.by_rule]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)


def test_examples_scopes(examples: Audit) -> None:
    scopes = {s.scope: s for s in examples.scopes}
    assert {name: (s.kpis, s.active, s.draft) for name, s in scopes.items()} == {
        "role:account-executive": (3, 3, 0),
        "team:customer-success": (5, 4, 1),
        "team:engineering": (4, 4, 0),
        "team:marketing": (4, 4, 0),
        "team:sales": (4, 4, 0),
        "team:support": (5, 5, 0),
    }
    cs = scopes["team:customer-success"].completeness
    assert cs is not None
    # The draft at-risk-save-rate has no target: 4 of 5 have one.
    assert cs["target"] == 80.0 and cs["measurable_target"] == 80.0
    assert cs["timeline"] == cs["goal"] == cs["owner"] == cs["review"] == 100.0
    assert cs["overall"] == round(100 * 28 / 30, 1)
    assert scopes["team:customer-success"].score == (100 * 5 - 25 - 8) / 5
    assert scopes["team:sales"].score == (400 - 8 - 2) / 4
    assert scopes["role:account-executive"].score == 100.0


def test_examples_kpis_and_goals(examples: Audit) -> None:
    row = next(k for k in examples.kpis if k.id == "at-risk-save-rate")
    assert row.status == "draft" and row.score == 75
    assert row.checks["target"] is False and row.checks["owner"] is True
    assert row.completeness == round(100 * 4 / 6, 1)
    nps = next(k for k in examples.kpis if k.id == "customer-nps")
    assert nps.codes == ("KPI701",) and nps.score == 92  # the finding is on its metric
    csat = next(k for k in examples.kpis if k.id == "support-csat")
    assert csat.checks["measurable_target"] and csat.score == 98  # free text that parsed
    goals = {g.id: g for g in examples.goals}
    assert [g.id for g in examples.goals] == [  # by id, numbers as numbers (issue 23)
        "arr-fy2027",
        "brand-awareness-fy2027",
        "nrr-fy2027",
        "reliability-fy2027",
        "support-cost-fy2027",
    ]
    # support-csat tracks two goals; a goal counts the KPIs that track it directly.
    assert {i: g.kpis for i, g in goals.items()} == {
        "arr-fy2027": 10,
        "nrr-fy2027": 6,
        "support-cost-fy2027": 5,
        "brand-awareness-fy2027": 1,
        "reliability-fy2027": 4,
    }


def test_examples_tree_orphans_attention(examples: Audit) -> None:
    assert [n.goal.id for n in examples.tree] == ["arr-fy2027"]
    root = examples.tree[0]
    assert [c.goal.id for c in root.children] == [
        "brand-awareness-fy2027",
        "nrr-fy2027",
        "reliability-fy2027",
        "support-cost-fy2027",
    ]
    assert len(root.kpis) == 10
    assert all(not c.children for c in root.children)
    nrr = root.children[1]
    assert "at-risk-save-rate" in [k.id for k in nrr.kpis]  # drafts are in the tree
    assert next(k for k in nrr.kpis if k.id == "nrr").metric == "net-revenue-retention"
    assert [r.id for r in examples.orphans.metrics] == ["production-deploys"]
    assert examples.orphans.goals == [] and examples.orphans.kpis == []
    assert [(a.kind, a.kpi.id, a.date, a.days) for a in examples.attention] == [
        ("review-overdue", "sales-cycle", date(2027, 3, 1), -14)
    ]


def test_attention_window_follows_today() -> None:
    result = audit([EXAMPLES], cwd=REPO, today=date(2027, 12, 10))
    soon = [a for a in result.attention if a.kind == "deadline-soon"]
    # Every live KPI ends 2027-12-31, 21 days after that "today".
    assert len(soon) == 25 and {a.days for a in soon} == {21}
    assert not [a for a in result.attention if a.kind == "deadline-passed"]
    later = audit([EXAMPLES], cwd=REPO, today=date(2028, 1, 5))
    assert {a.kind for a in later.attention} == {"deadline-passed", "review-overdue"}
    early = audit([EXAMPLES], cwd=REPO, today=date(2027, 2, 20))
    assert early.attention == []  # nothing due: reviews are fresh, deadlines far


# Edge cases on small projects -------------------------------------------------


def test_metric_findings_count_against_every_kpi_tracking_it(
    write_project: WriteProject,
) -> None:
    root = write_project(
        {
            "a.kpi.yaml": GOAL
            + "metrics:"
            + metric("m", "google-sheets", "spreadsheet")
            + "kpis:"
            + kpi("k1")
            + kpi("k2", scope="team:x"),
            "kpilint.toml": 'today = "2027-03-15"\n',
        }
    )
    result = audit([root], cwd=root)
    scores = {k.id: (k.score, k.codes) for k in result.kpis}
    # KPI701 on the metric (8); KPI405 does not fire: the KPIs are in different scopes.
    assert scores == {"k1": (92, ("KPI701",)), "k2": (92, ("KPI701",))}
    assert result.totals.score == 92.0


def test_retired_kpis_are_counted_not_scored(write_project: WriteProject) -> None:
    root = write_project(
        {
            "a.kpi.yaml": GOAL
            + "metrics:"
            + metric("m")
            + metric("old")
            + "kpis:"
            + kpi("k")
            + kpi("gone", metric="old", status="retired", end="2020-01-01"),
            "kpilint.toml": 'today = "2027-03-15"\n',
        }
    )
    result = audit([root], cwd=root)
    assert result.totals.kpis_by_status == {"active": 1, "draft": 0, "retired": 1}
    gone = next(k for k in result.kpis if k.id == "gone")
    assert gone.score is None
    assert [s.kpis for s in result.scopes] == [1]
    assert [k.id for k in result.tree[0].kpis] == ["k"]
    # Its metric is an orphan: only a retired KPI uses it (KPI404 agrees).
    assert [r.id for r in result.orphans.metrics] == ["old"]
    assert not [a for a in result.attention if a.kpi.id == "gone"]  # not live: no attention


def test_orphans_and_a_goal_cycle(write_project: WriteProject) -> None:
    root = write_project(
        {
            "a.kpi.yaml": """
            goals:
              - {id: lonely, name: Lonely goal}
              - {id: a, name: A, parent: b}
              - {id: b, name: B, parent: a}
            metrics:
              - {id: unused, name: Unused}
              - {id: m, name: M}
            kpis:
              - {id: k-a, name: KA, goal: a, metric: m}
              - {id: k-none, name: No goal, metric: m}
              - {id: k-bad, name: Unknown goal, goal: nowhere}
            """
        }
    )
    result = audit([root], cwd=root)
    assert [r.id for r in result.orphans.goals] == ["lonely"]
    assert [r.id for r in result.orphans.metrics] == ["unused"]
    assert [r.id for r in result.orphans.kpis] == ["k-none", "k-bad"]

    def ids(nodes: tuple[TreeGoal, ...] | list[TreeGoal]) -> list[object]:
        return [(n.goal.id, [k.id for k in n.kpis], ids(n.children)) for n in nodes]

    # The cycle a -> b -> a is cut where it is first met, goals in natural order of id.
    assert ids(result.tree) == [("a", ["k-a"], [("b", [], [])]), ("lonely", [], [])]
    for fmt in FORMATS:
        out = render(result, fmt)
        assert all(i in out for i in ("lonely", "unused", "k-none", "k-bad")), fmt


def test_incomplete_kpi_completeness(write_project: WriteProject) -> None:
    root = write_project(
        {
            "a.kpi.yaml": """
            kpis:
              - {id: bare, name: Bare}
              - id: vague
                name: Vague
                target: improve engagement
                timeline: {end: 2027-12-31}
            """
        }
    )
    result = audit([root], cwd=root, today=date(2027, 1, 1))
    bare, vague = result.kpis
    assert not any(bare.checks.values()) and bare.completeness == 0.0
    assert vague.checks == {
        "target": True,
        "measurable_target": False,
        "timeline": True,
        "goal": False,
        "owner": False,
        "review": False,
    }
    assert bare.score == 100 - 3 * 25 - 2 * 8  # KPI101-103 errors, KPI104-105 warnings
    assert result.scopes[0].completeness is not None
    assert result.scopes[0].completeness["overall"] == round(100 * 2 / 12, 1)


def test_named_file_audits_that_file_with_outside_goals(write_project: WriteProject) -> None:
    root = write_project(
        {
            "goals.kpi.yaml": GOAL,
            "team.kpi.yaml": "metrics:" + metric("m") + "kpis:" + kpi("k"),
            "kpilint.toml": 'today = "2027-03-15"\n',
        }
    )
    result = audit([root / "team.kpi.yaml"], cwd=root)
    assert (result.totals.files, result.totals.goals, result.totals.kpis) == (1, 0, 1)
    assert result.goals == []
    assert [(n.goal.id, n.outside) for n in result.tree] == [("g", True)]
    assert result.orphans.kpis == []  # its goal resolves across the project


def test_empty_project(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": "version: 1\n"})
    result = audit([root], cwd=root)
    assert result.totals.score is None and result.scopes == [] and result.tree == []
    no_score = {
        "text": "health score: - / 100",
        "markdown": "Health score **- / 100**",
        "json": '"score": null',
        "html": "<title>kpilint audit: score -</title>",
    }
    assert set(no_score) == set(FORMATS)
    for fmt in FORMATS:
        assert no_score[fmt] in render(result, fmt)


def test_same_findings_as_check(examples: Audit) -> None:
    from kpilint import lint

    report = lint([EXAMPLES], cwd=REPO)
    assert report_dict(examples.report) == report_dict(report)


# Formats ----------------------------------------------------------------------


def test_json_shape(examples: Audit) -> None:
    data = json.loads(render(examples, "json"))
    assert list(data) == ["version", "findings", "summary", "audit"]
    assert data["version"] == 1
    assert {k: v for k, v in data.items() if k != "audit"} == report_dict(examples.report)
    a = data["audit"]
    assert list(a) == [
        "today",
        "totals",
        "by_rule",
        "scopes",
        "goals",
        "kpis",
        "tree",
        "orphans",
        "attention",
        "waivers",
        "owners",
    ]
    assert a["today"] == "2027-03-15"
    assert a["totals"] == {
        "files": 7,
        "goals": 5,
        "metrics": 26,
        "kpis": 25,
        "kpis_by_status": {"active": 24, "draft": 1, "retired": 0},
        "incentives": 2,
        "findings": {"error": 3, "warning": 4, "info": 4},
        "score": 97.8,
    }
    assert a["by_rule"][0] == {
        "code": "KPI003",
        "name": "unknown-key",
        "severity": "error",
        "count": 1,
    }
    assert list(a["scopes"][0]) == ["scope", "kpis", "active", "draft", "completeness", "score"]
    assert list(a["scopes"][0]["completeness"]) == [
        "target",
        "measurable_target",
        "timeline",
        "goal",
        "owner",
        "review",
        "overall",
    ]
    assert list(a["goals"][0]) == [
        "id",
        "name",
        "path",
        "line",
        "level",
        "kind",
        "parent",
        "kpis",
        "completeness",
        "score",
    ]
    draft = next(k for k in a["kpis"] if k["id"] == "at-risk-save-rate")
    assert draft == {
        "id": "at-risk-save-rate",
        "name": "Save rate on at-risk accounts",
        "path": "examples/customer-success.kpi.yaml",
        "line": 85,
        "scope": "team:customer-success",
        "status": "draft",
        "goals": ["nrr-fy2027"],
        "metric": "at-risk-saves",
        "owner": "head-of-customer-success-ops",
        "completeness": {
            "target": False,
            "measurable_target": False,
            "timeline": True,
            "goal": True,
            "owner": True,
            "review": True,
            "percent": 66.7,
        },
        "findings": {"error": 1, "warning": 0, "info": 0, "codes": ["KPI101"]},
        "score": 75,
    }
    node = a["tree"][0]
    assert list(node) == ["goal", "name", "path", "line", "score", "outside", "kpis", "children"]
    assert node["kpis"][0]["metric"] == {
        "id": "marketing-sourced-pipeline",
        "name": "Marketing-sourced pipeline",
    }
    assert a["orphans"] == {
        "goals": [],
        "metrics": [
            {
                "id": "production-deploys",
                "name": "Production deploys",
                "path": "examples/engineering.kpi.yaml",
                "line": 38,
            }
        ],
        "kpis": [],
    }
    assert a["attention"] == {
        "days": 30,
        "items": [
            {
                "kind": "review-overdue",
                "kpi": "sales-cycle",
                "name": "Median sales cycle",
                "path": "examples/sales.kpi.yaml",
                "line": 75,
                "date": "2027-03-01",
                "days": -14,
                "message": "monthly review due 2027-03-01 (last 2027-01-29), 14 days overdue",
            }
        ],
    }


def test_text_is_aligned_and_plain_unless_coloured(examples: Audit) -> None:
    plain = render(examples, "text")
    assert "\x1b[" not in plain
    assert "health score: 97.8 / 100" in plain
    lines = plain.splitlines()
    start = lines.index("Scopes (live KPIs; % with each part)") + 1
    block = lines[start : start + 7]
    # Right-aligned numbers: every row's score ends in the same column as the header.
    assert len({len(line) for line in block}) == 1, block
    assert "├─ nrr-fy2027" in plain
    assert "└─ KPI change-failure (98) → metric change-failure-rate" in plain
    coloured = render(examples, "text", color=True)
    assert "\x1b[" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain  # colour never moves a column


def test_markdown_escapes_user_text(write_project: WriteProject) -> None:
    root = write_project(
        {
            "a.kpi.yaml": """
            goals:
              - {id: g_1, name: "Win | lose *big* @someone <b>"}
            kpis:
              - {id: k_1, name: K, goal: g_1, scope: "team:a|b"}
            """
        }
    )
    text = render(audit([root], cwd=root), "markdown")
    assert "`g_1` Win \\| lose \\*big\\* @<!-- -->someone \\<b\\>" in text
    assert "| team:a\\|b |" in text
    assert "- KPI `k_1`" in text  # an id in a code span is not backslash-escaped


def test_markdown_sections(examples: Audit) -> None:
    text = render(examples, "markdown")
    for heading in (
        "## kpilint audit",
        "### Scopes",
        "### Goals",
        "### Findings by rule",
        "### Lowest KPI scores",
        "### Needs attention",
        "### Goal tree",
        "### Orphans",
        "### Findings",
    ):
        assert f"\n{heading}\n" in f"\n{text}"
    assert "Health score **97.8 / 100**" in text
    assert "- Metrics without KPIs (1): `production-deploys`" in text


# CLI --------------------------------------------------------------------------


def test_cli_formats_match_the_package() -> None:
    command = cli_commands()["audit"]
    option = next(p for p in command.params if p.name == "fmt")
    assert tuple(option.type.choices) == tuple(FORMATS)  # type: ignore[attr-defined]


def test_cli_audit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    runner = CliRunner()
    result = runner.invoke(cli, ["audit", "examples"], env={"NO_COLOR": "", "FORCE_COLOR": ""})
    assert result.exit_code == 1, result.output  # three errors, --fail-on error
    assert "health score: 97.8 / 100" in result.output
    assert "\x1b[" not in result.output
    assert runner.invoke(cli, ["audit", "examples", "--fail-on", "never"]).exit_code == 0
    out = tmp_path / "report" / "audit.html"
    result = runner.invoke(cli, ["audit", "examples", "--format", "html", "-o", str(out)])
    assert result.exit_code == 1 and result.output == ""
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    data = json.loads(runner.invoke(cli, ["audit", "examples", "--format", "json"]).output)
    assert data["audit"]["totals"]["score"] == 97.8
    result = runner.invoke(cli, ["audit", "examples", "--select", "KPI1", "--format", "json"])
    assert json.loads(result.output)["audit"]["totals"]["findings"] == {
        "error": 1,
        "warning": 0,
        "info": 0,
    }


def test_cli_colour_on_request_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    runner = CliRunner()
    forced = runner.invoke(cli, ["audit", "examples"], env={"FORCE_COLOR": "1", "NO_COLOR": ""})
    assert "\x1b[" in forced.output
    both = runner.invoke(cli, ["audit", "examples"], env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[" not in both.output
    json_out = runner.invoke(
        cli, ["audit", "examples", "--format", "json"], env={"FORCE_COLOR": "1"}
    )
    assert "\x1b[" not in json_out.output


def test_cli_explain_score_and_misuse(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["audit", "--explain-score"])
    assert result.exit_code == 0 and result.output == explain()
    result = runner.invoke(cli, ["audit", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "does not exist" in result.output and "Traceback" not in result.output
    result = runner.invoke(cli, ["audit", "--format", "sarif"])
    assert result.exit_code == 2


@pytest.mark.slow
def test_cli_process_prints_no_progress_on_pipes() -> None:
    proc = run(["audit", "examples", "--fail-on", "never"], REPO, env={"CI": ""})
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert "Goal tree" in proc.stdout


# Progress ---------------------------------------------------------------------


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal_outside_ci() -> None:
    assert wanted(FakeTty(), {}) is True
    assert wanted(FakeTty(), {"CI": "true"}) is False
    assert wanted(io.StringIO(), {}) is False


def test_progress_appears_after_the_delay_and_is_wiped() -> None:
    stream = FakeTty()
    with Progress(stream, delay=0.0, interval=0.01) as progress:
        progress("running rules")
        deadline = time.monotonic() + 5
        while "running rules" not in stream.getvalue() and time.monotonic() < deadline:
            time.sleep(0.01)
    text = stream.getvalue()
    assert "kpilint audit: running rules" in text
    assert text.endswith("\r\x1b[K")  # the line is cleared at the end


def test_progress_is_silent_for_short_runs_or_when_disabled() -> None:
    quick = FakeTty()
    with Progress(quick, delay=10.0, interval=0.01) as progress:
        progress("loading")
        time.sleep(0.05)
    assert quick.getvalue() == ""
    off = FakeTty()
    with Progress(off, enabled=False, delay=0.0, interval=0.01) as progress:
        progress("loading")
        time.sleep(0.05)
    assert off.getvalue() == ""


def test_audit_reports_its_steps() -> None:
    steps: list[str] = []
    audit([EXAMPLES], cwd=REPO, progress=steps.append)
    assert steps[0].startswith("loading ") and steps[-1] == "scoring"
    assert any(s.startswith("running rules") for s in steps)


# The GitLab handbook corpus, through its importer --------------------------------


def test_gitlab_corpus_audit() -> None:
    if importlib.util.find_spec("kpilint.importers.gitlab") is None:
        pytest.skip("the gitlab-pi importer is not there yet")
    if not GITLAB_CORPUS.is_dir():
        pytest.skip(NO_GITLAB_CORPUS)
    result = audit([GITLAB_CORPUS], cwd=REPO, source_format="gitlab-pi", today=date(2027, 3, 15))
    t = result.totals
    assert (t.files, t.goals, t.metrics, t.kpis, t.incentives) == (11, 0, 94, 63, 0)
    assert t.kpis_by_status == {"active": 63, "draft": 0, "retired": 0}
    # info: a text target that parses to a value or change without a baseline is KPI204
    # (RULES.md, issue 21), as its mapping would be
    assert t.findings == {"error": 164, "warning": 127, "info": 190}
    assert t.score == 22.5
    assert sum(r.count for r in result.by_rule) == len(result.report.findings)
    score = {
        "text": "health score: 22.5 / 100",
        "markdown": "Health score **22.5 / 100**",
        "json": '"score": 22.5',
        "html": "<title>kpilint audit: score 22.5</title>",
    }
    assert set(score) == set(FORMATS)
    for fmt in FORMATS:
        out = render(result, fmt)
        assert score[fmt] in out and "support-satisfaction-ssat" in out, fmt
    from kpilint import lint

    checked = lint([GITLAB_CORPUS], cwd=REPO, source_format="gitlab-pi", today=date(2027, 3, 15))
    assert report_dict(result.report) == report_dict(checked)
    args = ["audit", "--from", "gitlab-pi", str(GITLAB_CORPUS), "--format", "json"]
    out = CliRunner().invoke(cli, [*args, "--fail-on", "never", "--today", "2027-03-15"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["summary"]["kpis"] == data["audit"]["totals"]["kpis"] == t.kpis


# A text target's deadline (`by 2025`) counts where `check` counts it ----------


def test_text_target_deadline_is_a_timeline_and_needs_attention(
    write_project: WriteProject,
) -> None:
    root = write_project(
        {
            "a.kpi.yaml": GOAL.replace("2027-12-31", "2029-12-31")
            + "metrics:"
            + metric("m")
            + """
kpis:
  - id: by-text
    name: By text
    goal: g
    metric: m
    owner: cfo
    target: at least 30% by 2025
    timeline: {review: monthly, last_reviewed: 2026-05-20}
  - id: soon
    name: Soon
    goal: g
    metric: m
    owner: cfo
    target: at least 30% by 2026
  - id: none
    name: None
    goal: g
    metric: m
    owner: cfo
    target: at least 30%
"""
        }
    )
    result = audit([root], cwd=root, today=date(2026, 12, 10))
    kpi302 = [(f.entity.id, f.code) for f in result.report.findings if f.code == "KPI302"]
    assert kpi302 == [("by-text", "KPI302")]
    assert [(a.kind, a.kpi.id, a.date, a.days) for a in result.attention] == [
        ("deadline-passed", "by-text", date(2025, 12, 31), -344),
        ("review-overdue", "by-text", date(2026, 6, 20), -173),
        ("deadline-soon", "soon", date(2026, 12, 31), 21),
    ]
    timeline = {k.id: k.checks["timeline"] for k in result.kpis}
    assert timeline == {"by-text": True, "soon": True, "none": False}
    kpi102 = {f.entity.id for f in result.report.findings if f.code == "KPI102"}
    assert kpi102 == {"none"}  # the same KPIs lack a timeline in check and in the audit
    assert result.scopes[0].completeness is not None
    assert result.scopes[0].completeness["timeline"] == round(100 * 2 / 3, 1)
    text = render(result, "text")
    assert "deadline 2025-12-31 passed 344 days ago" in text


def test_los_angeles_corpus_attention_matches_expired_kpis() -> None:
    corpus = GITLAB_CORPUS.parent / "open-sdg-los-angeles" / "meta"
    if not corpus.is_dir():
        pytest.skip(f"the Los Angeles Open SDG corpus is not at {corpus}")
    result = audit([corpus], cwd=REPO, source_format="open-sdg", today=date(2026, 12, 1))
    expired = sorted(f.entity.id or "" for f in result.report.findings if f.code == "KPI302")
    passed = sorted(a.kpi.id or "" for a in result.attention if a.kind == "deadline-passed")
    # 26 since the text-target parser reads a deadline wherever it stands (8.7's "... and by
    # 2025 end child labour"); the preset rework (issue 20) decides which texts are targets.
    assert len(expired) == 26 and passed == expired
