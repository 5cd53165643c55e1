"""The impact of a partial run (FORMAT.md): what the named files' change broke elsewhere.

Every test here builds a real git repository, commits a consistent project, then
changes one file and names only that file, as pre-commit does.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from kpilint import lint
from tests.conftest import git, invoke_in, run_kpilint
from tests.test_precommit import GOALS as PRE_COMMIT_GOALS
from tests.test_precommit import PreCommit, git_env, hook_repo

__all__ = ["hook_repo"]  # the fixture that builds the hook environment, shared

TODAY = "2027-06-01"

GOALS = (
    PRE_COMMIT_GOALS
    + """\
  - id: keep-customers
    name: Keep customers
    kind: retention
    period: {start: 2027-01-01, end: 2027-12-31}
"""
)


def kpi(ident: str, goal: str = "grow-revenue", scope: str = "org") -> str:
    return f"""\
  - id: {ident}
    name: KPI {ident}
    goal: {goal}
    owner: cfo
    scope: {scope}
    target: {{value: 120, unit: USD, direction: increase, baseline: 100}}
    timeline: {{start: 2027-01-01, end: 2027-12-31, review: monthly}}
"""


KPIS = "kpis:\n" + kpi("new-revenue") + kpi("retention", "keep-customers")
INCENTIVES = """\
incentives:
  - id: sales-plan
    name: Sales plan
    role: ae
    kpis: [new-revenue, retention]
"""


def repo(tmp_path: Path, files: dict[str, str]) -> Path:
    """A git repository with ``files`` committed (and a kpilint.toml at its root)."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    (root / "kpilint.toml").write_text("")
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "consistent project")
    return root


def check(root: Path, *args: str) -> tuple[int, list[tuple[str, str, int, int]]]:
    code, out = invoke_in(root, "check", "--today", TODAY, "--format", "json", "--no-cache", *args)
    findings = json.loads(out)["findings"]
    return code, [(f["code"], f["path"], f["line"], f["column"]) for f in findings]


def test_deleting_a_goal_reports_the_kpis_elsewhere_that_track_it(tmp_path: Path) -> None:
    root = repo(tmp_path, {"goals.kpi.yaml": GOALS, "kpis.kpi.yaml": KPIS})
    (root / "goals.kpi.yaml").write_text(GOALS.split("  - id: keep-customers")[0])
    code, found = check(root, "goals.kpi.yaml")
    assert code == 1
    assert found == [("KPI006", "kpis.kpi.yaml", 11, 5)]  # `goal: keep-customers`
    assert check(root, "goals.kpi.yaml", "--no-impact") == (0, [])


def test_an_impact_finding_says_which_change_caused_it(tmp_path: Path) -> None:
    other = "kpis:\n  - id: nps\n    name: Net promoter score\n    status: draft\n"
    root = repo(tmp_path, {"goals.kpi.yaml": GOALS, "kpis.kpi.yaml": KPIS, "o.kpi.yaml": other})
    (root / "goals.kpi.yaml").write_text(GOALS.split("  - id: keep-customers")[0])
    done = run_kpilint(["check", "--no-cache", "--today", TODAY, "goals.kpi.yaml"], root)
    assert done.returncode == 1
    assert done.stdout.startswith(
        "kpis.kpi.yaml:11:5: KPI006 [error] KPI 'retention': goal 'keep-customers' names no goal "
        "in the project (caused by your change to goals.kpi.yaml)\n"
    )
    # Two files changed and named: the one whose entities lead to the finding is named.
    (root / "o.kpi.yaml").write_text(other.replace("Net promoter", "Promoter"))
    _, out = invoke_in(
        root,
        "check",
        "--no-cache",
        "--today",
        TODAY,
        "--format",
        "json",
        "goals.kpi.yaml",
        "o.kpi.yaml",
    )
    messages = [f["message"] for f in json.loads(out)["findings"] if f["code"] == "KPI006"]
    assert messages == [
        "KPI 'retention': goal 'keep-customers' names no goal in the project "
        "(caused by your change to goals.kpi.yaml)"
    ]
    # A finding in a named file is the file's own: no cause is added.
    (root / "kpis.kpi.yaml").write_text(KPIS.replace("owner: cfo", "owner: ceo"))
    own = run_kpilint(
        ["check", "--no-cache", "--today", TODAY, "kpis.kpi.yaml", "goals.kpi.yaml"], root
    )
    assert "KPI006" in own.stdout and "caused by" not in own.stdout


def test_renaming_a_kpi_an_incentive_names(tmp_path: Path) -> None:
    root = repo(
        tmp_path,
        {"goals.kpi.yaml": GOALS, "kpis.kpi.yaml": KPIS, "plans.kpi.yaml": INCENTIVES},
    )
    (root / "kpis.kpi.yaml").write_text(KPIS.replace("id: new-revenue", "id: net-new-revenue"))
    code, found = check(root, "kpis.kpi.yaml")
    assert code == 1
    assert found == [("KPI006", "plans.kpi.yaml", 5, 5)]  # `kpis:` of the incentive


def test_a_sixth_kpi_from_a_new_file_reports_the_team_over_its_limit(tmp_path: Path) -> None:
    team = "kpis:\n" + "".join(kpi(f"k{i}", scope="team:sales") for i in range(1, 6))
    root = repo(tmp_path, {"goals.kpi.yaml": GOALS, "sales.kpi.yaml": team})
    # "a-new" sorts first, so the sixth in project order is the team file's last KPI.
    (root / "a-new.kpi.yaml").write_text("kpis:\n" + kpi("k6", scope="team:sales"))
    code, found = check(root, "a-new.kpi.yaml")
    assert found == [("KPI401", "sales.kpi.yaml", 30, 5)]
    _, out = invoke_in(root, "check", "--today", TODAY, "--format", "json", "a-new.kpi.yaml")
    [message] = [f["message"] for f in json.loads(out)["findings"]]
    assert message.endswith(" (caused by your change to a-new.kpi.yaml)")
    assert code == 0  # a warning: below the default fail level
    assert check(root, "a-new.kpi.yaml", "--no-impact") == (0, [])


def test_old_findings_elsewhere_are_not_the_change_s_impact(tmp_path: Path) -> None:
    legacy = "kpis:\n  - id: legacy\n    name: Legacy\n"  # KPI101, KPI102, KPI103 ... at HEAD
    root = repo(tmp_path, {"goals.kpi.yaml": GOALS, "kpis.kpi.yaml": KPIS, "old.kpi.yaml": legacy})
    (root / "kpis.kpi.yaml").write_text(KPIS.replace("owner: cfo", "owner: ceo"))
    assert check(root, "kpis.kpi.yaml") == (0, [])


def test_untracked_files_not_named_are_nobody_s_change(tmp_path: Path) -> None:
    root = repo(tmp_path, {"goals.kpi.yaml": GOALS, "kpis.kpi.yaml": KPIS})
    (root / "draft.kpi.yaml").write_text("kpis:\n  - id: draft\n    name: Draft\n")
    (root / "kpis.kpi.yaml").write_text(KPIS.replace("owner: cfo", "owner: ceo"))
    assert check(root, "kpis.kpi.yaml") == (0, [])


def test_impact_findings_are_not_fixed_in_files_not_named(tmp_path: Path) -> None:
    root = repo(tmp_path, {"goals.kpi.yaml": GOALS, "kpis.kpi.yaml": KPIS})
    (root / "goals.kpi.yaml").write_text(GOALS.split("  - id: keep-customers")[0])
    before = (root / "kpis.kpi.yaml").read_text()
    code, out = invoke_in(root, "check", "--today", TODAY, "--fix", "goals.kpi.yaml")
    assert code == 1 and "kpis.kpi.yaml:11:5: KPI006" in out
    assert (root / "kpis.kpi.yaml").read_text() == before


def test_outside_git_a_partial_run_reports_the_named_files_only(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    root.mkdir()
    (root / "kpilint.toml").write_text("")
    (root / "goals.kpi.yaml").write_text(GOALS.split("  - id: keep-customers")[0])
    (root / "kpis.kpi.yaml").write_text(KPIS)
    assert check(root, "goals.kpi.yaml") == (0, [])


def test_the_cache_follows_head(tmp_path: Path) -> None:
    """The same work tree gives other findings after a commit: HEAD is in the cache key."""
    root = repo(tmp_path, {"goals.kpi.yaml": GOALS, "kpis.kpi.yaml": KPIS})
    (root / "goals.kpi.yaml").write_text(GOALS.split("  - id: keep-customers")[0])
    args = ("check", "--today", TODAY, "--format", "json", "goals.kpi.yaml")
    first = json.loads(invoke_in(root, *args)[1])["findings"]
    assert [(f["code"], f["path"], f["line"], f["column"]) for f in first] == [
        ("KPI006", "kpis.kpi.yaml", 11, 5)
    ]
    git(root, "commit", "-q", "-am", "drop the goal")
    assert json.loads(invoke_in(root, *args)[1])["findings"] == []  # not the cached answer


def test_library_and_subprocess_agree(tmp_path: Path) -> None:
    root = repo(tmp_path, {"goals.kpi.yaml": GOALS, "kpis.kpi.yaml": KPIS})
    (root / "goals.kpi.yaml").write_text(GOALS.split("  - id: keep-customers")[0])
    report = lint([root / "goals.kpi.yaml"], cwd=root)
    assert [(f.code, f.path, f.line, f.column) for f in report.findings] == [
        ("KPI006", "kpis.kpi.yaml", 11, 5)
    ]
    assert not lint([root / "goals.kpi.yaml"], cwd=root, impact=False).findings
    done = run_kpilint(["check", "--no-cache", "goals.kpi.yaml"], root)
    assert done.returncode == 1 and "kpis.kpi.yaml:11:5: KPI006" in done.stdout


# --- real pre-commit ---------------------------------------------------------------------


@pytest.fixture
def hooked(hook_repo: tuple[Path, str, Path], tmp_path: Path) -> PreCommit:
    source, rev, home = hook_repo
    project = PreCommit(tmp_path / "hooked", git_env(home), source, rev)
    project.write("goals.kpi.yaml", GOALS)
    project.write("kpis.kpi.yaml", KPIS)
    project.write("plans.kpi.yaml", INCENTIVES)
    project.git("add", "-A")
    project.git("commit", "-q", "-m", "a consistent project")
    return project


def staged(project: PreCommit, name: str, text: str) -> subprocess.CompletedProcess[str]:
    project.write(name, text)
    project.git("add", name)
    return project.run("kpilint")


@pytest.mark.slow
def test_pre_commit_stops_a_deleted_goal(hooked: PreCommit) -> None:
    done = staged(hooked, "goals.kpi.yaml", GOALS.split("  - id: keep-customers")[0])
    assert done.returncode == 1, done.stdout + done.stderr
    assert "kpis.kpi.yaml:11:5: KPI006" in done.stdout
    assert "names no goal in the project (caused by your change to goals.kpi.yaml)" in done.stdout


@pytest.mark.slow
def test_pre_commit_stops_a_renamed_kpi_an_incentive_names(hooked: PreCommit) -> None:
    done = staged(hooked, "kpis.kpi.yaml", KPIS.replace("id: retention", "id: kept"))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "plans.kpi.yaml:5:5: KPI006" in done.stdout


@pytest.mark.slow
def test_pre_commit_shows_a_sixth_kpi_from_a_new_file(hooked: PreCommit) -> None:
    team = "kpis:\n" + "".join(kpi(f"k{i}", scope="team:sales") for i in range(1, 6))
    hooked.write("sales.kpi.yaml", team)
    hooked.git("add", "sales.kpi.yaml")
    hooked.git("commit", "-q", "-m", "five sales KPIs")
    hooked.write(
        ".pre-commit-config.yaml",
        hooked.read(".pre-commit-config.yaml").replace(
            f'"--today={TODAY}"', f'"--today={TODAY}", "--fail-on=warning"'
        ),
    )
    hooked.git("add", ".pre-commit-config.yaml")
    done = staged(hooked, "a-new.kpi.yaml", "kpis:\n" + kpi("k6", scope="team:sales"))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "sales.kpi.yaml:30:5: KPI401" in done.stdout


def test_an_unstaged_edit_elsewhere_is_not_the_named_file_s_impact(tmp_path: Path) -> None:
    """Only what the named files changed counts; pre-commit stashes the rest anyway."""
    root = repo(tmp_path, {"goals.kpi.yaml": GOALS, "kpis.kpi.yaml": KPIS})
    (root / "kpis.kpi.yaml").write_text(KPIS.replace("goal: grow-revenue", "goal: nowhere"))
    (root / "goals.kpi.yaml").write_text(GOALS.replace("name: Keep customers", "name: Keep them"))
    _, found = check(root, "goals.kpi.yaml")
    assert [f for f in found if f[1] != "goals.kpi.yaml"] == []  # no KPI006 in kpis.kpi.yaml
    code, found = check(root, "kpis.kpi.yaml")  # named: its finding, and its impact
    assert (code, found) == (
        1,
        [("KPI403", "goals.kpi.yaml", 2, 5), ("KPI006", "kpis.kpi.yaml", 4, 5)],
    )


def test_a_goal_removed_from_a_configured_source_is_impact_in_native_files(
    tmp_path: Path,
) -> None:
    catalogue = (
        "objectives:\n  - key: grow-revenue\n    title: Grow\n"
        "  - key: keep-customers\n    title: Keep\n"
    )
    root = repo(
        tmp_path,
        {
            "objectives.yml": catalogue,
            "kpis.kpi.yaml": KPIS,
        },
    )
    (root / "kpilint.toml").write_text(
        '[[sources]]\ninclude = ["objectives.yml"]\nformat = "yaml"\n'
        'records = "objectives"\nkind = "goal"\n\n'
        '[sources.map]\nid = "key"\nname = "title"\n'
    )
    git(root, "commit", "-q", "-am", "goals read from a catalogue")
    assert [f for f in check(root, "objectives.yml")[1] if f[1] != "objectives.yml"] == []
    (root / "objectives.yml").write_text(catalogue.split("  - key: keep-customers")[0])
    code, found = check(root, "objectives.yml")
    assert code == 1
    assert [f for f in found if f[1] != "objectives.yml"] == [("KPI006", "kpis.kpi.yaml", 11, 5)]


def test_two_references_away_an_incentive_sees_its_kpis_metrics_change(tmp_path: Path) -> None:
    """KPI502 reads incentive -> KPI -> metric: a metric file's change reaches the incentive."""
    metrics = (
        "metrics:\n"
        "  - {id: revenue, name: Revenue, category: output, unit: USD, source: stripe}\n"
        "  - {id: calls, name: Calls, category: activity, unit: calls, source: dialer}\n"
    )
    kpis = KPIS.replace("    owner: cfo\n", "    owner: cfo\n    metric: revenue\n", 1).replace(
        "    goal: keep-customers\n", "    goal: keep-customers\n    metric: calls\n"
    )
    root = repo(
        tmp_path,
        {
            "goals.kpi.yaml": GOALS,
            "metrics.kpi.yaml": metrics,
            "kpis.kpi.yaml": kpis,
            "plans.kpi.yaml": INCENTIVES,
        },
    )
    assert check(root, "metrics.kpi.yaml") == (0, [])
    (root / "metrics.kpi.yaml").write_text(
        metrics.replace("category: output", "category: activity")
    )
    code, found = check(root, "metrics.kpi.yaml")
    assert (code, found) == (0, [("KPI502", "plans.kpi.yaml", 5, 5)])


def test_cross_file_rules_are_wholly_project_scope_or_wholly_per_entity() -> None:
    """Impact runs project-scope rules in full and the others on near entities only."""
    from kpilint.impact import cross_file_codes, project_scope_codes
    from kpilint.project import Project
    from kpilint.registry import registry

    for code in cross_file_codes():
        scopes = {check.scope is Project for check in registry()[code].checks}
        assert len(scopes) == 1, f"{code} mixes project-scope and entity checks"
    assert project_scope_codes() <= cross_file_codes()
