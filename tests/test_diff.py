"""``kpilint diff``: governance on change and new findings, on real git repositories.

Each test builds a repository in a temporary folder, commits a base, edits, and
either commits a head or leaves the edit in the work tree. Findings are
compared as exact (code, path, line, column) rows.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kpilint.cli import cli
from kpilint.diff import DiffResult, diff, render_markdown
from kpilint.engine import UsageError
from tests.conftest import run_kpilint

TODAY = date(2027, 6, 1)

# mrr: entity 22:5, target 27:5, timeline 28:5; churn: entity 29:5, target 34:5, timeline 35:5
BASE = """\
goals:
  - id: g
    name: Grow revenue
    kind: revenue
    period: {start: 2027-01-01, end: 2027-12-31}
metrics:
  - id: m
    name: Revenue
    category: output
    unit: USD
    source: stripe
    source_type: automated
    aggregation: sum
  - id: c
    name: Churned revenue
    category: output
    unit: USD
    source: stripe
    source_type: automated
    aggregation: sum
kpis:
  - id: mrr
    name: Monthly recurring revenue
    goal: g
    metric: m
    owner: cfo
    target: {value: 120, unit: USD, direction: increase, baseline: 100}
    timeline: {start: 2027-01-01, end: 2027-09-30, review: monthly}
  - id: churn
    name: Churned revenue
    goal: g
    metric: c
    owner: cfo
    target: {value: 5, unit: USD, direction: decrease, baseline: 8}
    timeline: {start: 2027-01-01, end: 2027-09-30, review: monthly}
"""
MRR_TARGET = "    target: {value: 120, unit: USD, direction: increase, baseline: 100}\n"
CHURN_TARGET = "    target: {value: 5, unit: USD, direction: decrease, baseline: 8}\n"
CHURN = BASE[BASE.index("  - id: churn") :]
F = "team.kpi.yaml"


class Repo:
    """A git repository in a temporary folder, driven with plain git commands."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, cwd: Path | None = None) -> str:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd or self.root,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    def write(self, files: dict[str, str | None]) -> None:
        for name, text in files.items():
            path = self.root / name
            if text is None:
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")

    def commit(self, files: dict[str, str | None], message: str = "change") -> str:
        self.write(files)
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD").strip()


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch: pytest.MonkeyPatch) -> None:
    """No user or system git config, a fixed identity: the same result on every machine."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "kpilint tests")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "tests@example.com")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Repo]:
    r = Repo(tmp_path / "repo")
    r.commit({"kpilint.toml": "", F: BASE}, "base")
    monkeypatch.chdir(r.root)
    yield r


def rows(result: DiffResult) -> list[tuple[str, str, int, int]]:
    return [(f.code, f.path, f.line, f.column) for f in result.report.findings]


def run_diff(*revs: str, cwd: Path | None = None) -> DiffResult:
    base, *head = revs
    return diff(base, head[0] if head else None, today=TODAY, cwd=cwd)


# --- KPI801 target-lowered ------------------------------------------------------


def test_lowered_mapping_target_in_the_work_tree(repo: Repo) -> None:
    repo.write({F: BASE.replace("value: 120,", "value: 110,")})
    result = run_diff("main")
    assert rows(result) == [("KPI801", F, 27, 5)]
    finding = result.report.findings[0]
    assert finding.message == (
        "KPI 'mrr' target lowered from 120 to 110 USD, the easy way for `direction: increase`"
    )
    assert finding.severity == "warning"
    assert finding.entity is not None and finding.entity.id == "mrr"
    assert finding.fix.description == "Keep the target, or record why it was lowered"


def test_raised_decrease_target_between_two_commits(repo: Repo) -> None:
    head = repo.commit({F: BASE.replace("value: 5,", "value: 6,")})
    result = run_diff("main~1", head)
    assert rows(result) == [("KPI801", F, 34, 5)]
    assert "raised from 5 to 6 USD" in result.report.findings[0].message
    # a `decrease` target that went up was raised, and the fix says so
    assert (
        result.report.findings[0].fix.description == "Keep the target, or record why it was raised"
    )


def test_lowered_text_target(repo: Repo) -> None:
    text_base = BASE.replace(MRR_TARGET, '    target: "at least 120 USD"\n')
    base = repo.commit({F: text_base}, "text target")
    repo.write({F: text_base.replace("at least 120 USD", "at least 100 USD")})
    result = run_diff(base)
    # KPI208 (free-text target) fires at both revisions, so it is not new.
    assert rows(result) == [("KPI801", F, 27, 5)]
    assert "lowered from 120 to 100 USD" in result.report.findings[0].message


def test_raised_target_is_no_finding(repo: Repo) -> None:
    repo.write({F: BASE.replace("value: 120,", "value: 150,").replace("value: 5,", "value: 4,")})
    result = run_diff("main")
    assert rows(result) == []
    assert [(c.kpi, c.changes, c.codes) for c in result.changes] == [
        ("mrr", ("target 120 USD → 150 USD",), ()),
        ("churn", ("target 5 USD → 4 USD",), ()),
    ]


def test_direction_flip_is_judged_by_the_head_direction(repo: Repo) -> None:
    flipped = CHURN_TARGET.replace("value: 5, unit: USD, direction: decrease", "{}")
    easy = flipped.replace("{}", "value: 4, unit: USD, direction: increase")
    repo.write({F: BASE.replace(CHURN_TARGET, easy)})
    result = run_diff("main")
    assert [r for r in rows(result) if r[0] == "KPI801"] == [("KPI801", F, 34, 5)]
    assert result.report.findings[-1].message.endswith(
        "(the direction also changed, from decrease)"
    )
    hard = flipped.replace("{}", "value: 9, unit: USD, direction: increase")
    repo.write({F: BASE.replace(CHURN_TARGET, hard)})
    assert [r for r in rows(run_diff("main")) if r[0] == "KPI801"] == []


def test_smaller_change_is_lowered_whichever_the_direction(repo: Repo) -> None:
    """RULES.md KPI801: a `change` that got smaller moved the easy way."""
    as_change = CHURN_TARGET.replace("value: 5, unit: USD", "change: 10, unit: '%'")
    base = repo.commit({F: BASE.replace(CHURN_TARGET, as_change)}, "change target")
    repo.write({F: BASE.replace(CHURN_TARGET, as_change.replace("change: 10", "change: 6"))})
    result = run_diff(base)
    assert rows(result) == [("KPI801", F, 34, 5)]
    assert "change lowered from 10 to 6 %" in result.report.findings[0].message
    assert result.changes[0].changes == ("target change 10% → change 6%",)
    repo.write({F: BASE.replace(CHURN_TARGET, as_change.replace("change: 10", "change: 12"))})
    assert rows(run_diff(base)) == []  # a bigger change is harder
    as_text = '    target: "reduce by 5% from 8"\n'  # a text change is read as one
    assert as_text != CHURN_TARGET
    repo.write({F: BASE.replace(CHURN_TARGET, as_text)})
    assert [r for r in rows(run_diff(base)) if r[0] == "KPI801"] == [("KPI801", F, 34, 5)]


def test_targets_in_different_units_are_not_compared(repo: Repo) -> None:
    repo.write({F: BASE.replace("value: 120, unit: USD", "value: 0.1, unit: MUSD")})
    result = run_diff("main")
    assert [r for r in rows(result) if r[0] == "KPI801"] == []
    assert result.changes[0].changes == ("target 120 USD → 0.1 MUSD",)


# --- KPI802 kpi-deleted ---------------------------------------------------------


def test_deleted_kpi_is_located_at_its_base_path_and_line(repo: Repo) -> None:
    repo.write({F: BASE.replace(CHURN, "")})
    result = run_diff("main")
    # the metric `c` is now orphaned at head: KPI404 is new too.
    assert rows(result) == [("KPI404", F, 14, 5), ("KPI802", F, 29, 5)]
    deleted = result.report.findings[1]
    assert deleted.message.startswith("KPI 'churn' was deleted")


def test_deleted_file_is_located_in_the_base_file(repo: Repo) -> None:
    other = "kpis:\n  - id: nps\n    name: Net promoter score\n    status: draft\n"
    base = repo.commit({"old/extra.kpi.yaml": other})
    repo.write({"old/extra.kpi.yaml": None})
    (repo.root / "old").rmdir()
    result = run_diff(base)
    assert rows(result) == [("KPI802", "old/extra.kpi.yaml", 2, 5)]


def test_github_annotates_kpi802_on_line_1_of_the_head_file_naming_the_base_line(
    repo: Repo,
) -> None:
    """RULES.md KPI802: only `github` moves it (line 1 of the head file, or no file)."""
    other = "kpis:\n  - id: nps\n    name: Net promoter score\n    status: draft\n"
    base = repo.commit({"old/extra.kpi.yaml": other})
    repo.write({F: BASE.replace(CHURN, ""), "old/extra.kpi.yaml": None})
    runner = CliRunner()
    args = ["diff", base, "--today", "2027-06-01"]
    gh = runner.invoke(cli, [*args, "--format", "github"]).output.splitlines()
    deleted = "was deleted: it is gone from every file at head (set `status: retired` to keep"
    fix802 = "Set status: retired instead of deleting the KPI, so its history stays"
    assert (
        f"::warning file={F},line=1,title=KPI802 kpi-deleted::KPI 'churn' {deleted} "
        f"its history) (at base: {F}:29)%0Afix: {fix802}"
    ) in gh
    assert gh[gh.index("::group::kpilint (no file)") + 1] == (
        f"::warning title=KPI802 kpi-deleted::KPI 'nps' {deleted} its history) "
        f"(at base: old/extra.kpi.yaml:2)%0Afix: {fix802}"
    )
    # Other formats keep the base location.
    data = json.loads(runner.invoke(cli, [*args, "--format", "json"]).output)
    assert [
        (f["path"], f["line"], f["column"]) for f in data["findings"] if f["code"] == "KPI802"
    ] == [
        ("old/extra.kpi.yaml", 2, 5),
        (F, 29, 5),
    ]
    # Between two commits, the head file is looked up in the head revision.
    head = repo.commit({}, "churn and nps deleted")
    repo.write({"old/extra.kpi.yaml": "# back in the work tree, not at HEAD\n"})
    gh = runner.invoke(cli, ["diff", base, head, "--format", "github"]).output.splitlines()
    assert f"::warning file={F},line=1,title=KPI802 kpi-deleted::KPI 'churn' {deleted} " in (
        "\n".join(gh)
    )
    assert gh[gh.index("::group::kpilint (no file)") + 1].startswith(
        f"::warning title=KPI802 kpi-deleted::KPI 'nps' {deleted}"
    )
    # check --base (what the GitHub Action annotates with) does the same.
    repo.write({F: BASE.replace(CHURN, "")})
    checked = runner.invoke(cli, ["check", "--base", base, "--format", "github", *args[2:]])
    assert f"::warning file={F},line=1,title=KPI802 kpi-deleted::KPI 'churn'" in checked.output


def test_kpi_moved_to_another_file_is_not_deleted(repo: Repo) -> None:
    repo.write({F: BASE.replace(CHURN, ""), "more.kpi.yaml": "kpis:\n" + CHURN})
    result = run_diff("main")
    assert [r for r in rows(result) if r[0] == "KPI802"] == []


def test_retired_kpi_is_not_deleted(repo: Repo) -> None:
    repo.write(
        {
            F: BASE.replace(
                "    name: Churned revenue\n    goal",
                "    status: retired\n    name: Churned revenue\n    goal",
            )
        }
    )
    result = run_diff("main")
    assert rows(result) == [("KPI404", F, 14, 5)]  # its metric is tracked by no live KPI
    assert [(c.kpi, c.changes) for c in result.changes] == [("churn", ("retired",))]


def test_unparseable_head_file_is_kpi001_not_a_wall_of_kpi802(repo: Repo) -> None:
    repo.write({F: BASE + "  - [unclosed\n"})
    result = run_diff("main")
    assert rows(result) == [("KPI001", F, 37, 1)]  # the stream end, after the 36th line


def test_excluded_files_are_not_read_at_base_either(repo: Repo) -> None:
    draft = "kpis:\n  - id: nps\n    name: Net promoter score\n    status: draft\n"
    base = repo.commit({"kpilint.toml": 'exclude = ["drafts/"]\n', "drafts/a.kpi.yaml": draft})
    repo.write({"drafts/a.kpi.yaml": None})
    assert rows(run_diff(base)) == []


# --- KPI803 deadline-extended -----------------------------------------------------


def test_deadline_extended(repo: Repo) -> None:
    head = BASE.replace(
        "    timeline: {start: 2027-01-01, end: 2027-09-30, review: monthly}\n  - id: churn",
        "    timeline: {start: 2027-01-01, end: 2027-12-31, review: monthly}\n  - id: churn",
    )
    repo.write({F: head})
    result = run_diff("main")
    assert rows(result) == [("KPI803", F, 28, 5)]
    assert result.report.findings[0].message == (
        "KPI 'mrr' deadline moved from 2027-09-30 to 2027-12-31 (92 days later)"
    )


def test_deadline_brought_forward_is_no_finding(repo: Repo) -> None:
    repo.write({F: BASE.replace("end: 2027-09-30", "end: 2027-08-31")})
    assert rows(run_diff("main")) == []


# --- new findings, matched by fingerprint ----------------------------------------


def test_old_finding_stays_old_when_lines_are_inserted_above(repo: Repo) -> None:
    no_owner = BASE.replace("    owner: cfo\n    target: {value: 120", "    target: {value: 120")
    base = repo.commit({F: no_owner}, "mrr has no owner")
    shifted = "# one\n# two\n# three\n# four\n# five\n" + no_owner
    repo.write({F: shifted})
    assert rows(run_diff(base)) == []
    # ... and a new finding in the same file is reported at its head line.
    repo.write(
        {F: shifted.replace("    owner: cfo\n    target: {value: 5", "    target: {value: 5")}
    )
    result = run_diff(base)
    assert rows(result) == [("KPI104", F, 33, 5)]
    assert result.report.findings[0].message == "KPI 'churn' has no owner"


def test_a_renamed_file_keeps_its_old_findings(repo: Repo) -> None:
    no_owner = BASE.replace("    owner: cfo\n    target: {value: 120", "    target: {value: 120")
    base = repo.commit({"sales.kpi.yaml": no_owner, F: None}, "sales, mrr has no owner")
    repo.git("mv", "sales.kpi.yaml", "revenue.kpi.yaml")  # staged, in the work tree
    assert rows(run_diff(base)) == []
    assert run_diff(base).changed_lines == {}  # the same text under its new name
    head = repo.commit({}, "rename")
    assert rows(run_diff(base, head)) == []
    # Renamed and edited: only the finding the edit brings is new, at its head line.
    edited = "# renamed\n" + no_owner.replace(
        "    owner: cfo\n    target: {value: 5", "    target: {value: 5"
    )
    repo.git("mv", "revenue.kpi.yaml", "income.kpi.yaml")
    repo.write({"income.kpi.yaml": edited})
    result = run_diff(base)
    assert rows(result) == [("KPI104", "income.kpi.yaml", 29, 5)]
    assert result.changed_lines == {"income.kpi.yaml": frozenset({1})}
    # A file only copied is new: its findings are new there.
    repo.git("reset", "-q", "--hard", head)
    repo.write({"copy.kpi.yaml": no_owner.replace("id: mrr", "id: mrr2")})
    repo.git("add", "copy.kpi.yaml")
    assert ("KPI104", "copy.kpi.yaml", 22, 5) in rows(run_diff(base))


def test_a_rename_seen_from_a_subfolder_is_matched_too(repo: Repo) -> None:
    no_owner = BASE.replace("    owner: cfo\n    target: {value: 120", "    target: {value: 120")
    base = repo.commit({"kpis/sales.kpi.yaml": no_owner, F: None}, "sales")
    repo.git("mv", "kpis/sales.kpi.yaml", "kpis/revenue.kpi.yaml")
    assert rows(run_diff(base, cwd=repo.root / "kpis")) == []
    done = run_kpilint(["diff", base, "--today", "2027-06-01"], cwd=repo.root / "kpis")
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_repeated_finding_is_new_only_once_more(repo: Repo) -> None:
    x = "  - id: x\n    name: X\n    status: draft\n"
    base = repo.commit({"d.kpi.yaml": "kpis:\n" + x + x})  # KPI005 at line 5
    repo.write({"d.kpi.yaml": "# moved\nkpis:\n" + x + x + x})
    # two KPI005 at head (lines 6 and 9), one at base: exactly one is new
    new = [r for r in rows(run_diff(base)) if r[0] == "KPI005"]
    assert new == [("KPI005", "d.kpi.yaml", 9, 5)]


def test_new_findings_are_listed_at_most_1000_per_file_and_the_rest_counted(
    repo: Repo,
) -> None:
    repo.write({F: BASE + "".join(f"    zz{i}: 1\n" for i in range(1_200))})  # in churn
    result = run_diff("main")
    assert len(result.report.findings) == 1000 and result.report.summary.omitted == 200
    assert rows(result)[0] == ("KPI003", F, 36, 5) and rows(result)[-1][2] == 1035
    done = CliRunner().invoke(cli, ["diff", "main", "--today", "2027-06-01", "--format", "json"])
    assert json.loads(done.output)["summary"]["omitted"] == 200


def test_a_file_over_the_size_limit_at_head_is_one_kpi001(repo: Repo) -> None:
    base = repo.commit({"kpilint.toml": "max-file-size = 2000\n"})
    head = repo.commit({F: BASE + "# padding\n" * 200})
    assert rows(run_diff(base, head)) == [("KPI001", F, 1, 1)]


# --- git handling -------------------------------------------------------------------


def test_unknown_base_is_a_usage_error(repo: Repo) -> None:
    with pytest.raises(UsageError, match=r"unknown revision 'nope': fetch it first"):
        run_diff("nope")


def test_not_a_git_repository(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    with pytest.raises(UsageError, match="not inside a git work tree"):
        run_diff("main", cwd=folder)


def test_without_git_diff_says_so_and_audit_history_sees_no_work_tree(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kpilint.audit.history import history

    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no git on it
    with pytest.raises(UsageError, match=r"^git is not installed or not on PATH"):
        run_diff("main")
    with pytest.raises(UsageError, match=r"is not inside a git work tree"):
        history([repo.root], cwd=repo.root, use_cache=False)


def test_work_tree_and_index_are_untouched(repo: Repo) -> None:
    repo.write({F: BASE.replace("value: 120,", "value: 110,")})
    repo.git("add", F)  # staged ...
    repo.write({F: BASE.replace("value: 120,", "value: 105,"), "new.kpi.yaml": "kpis: []\n"})

    def state() -> tuple[str, dict[str, int], bytes]:
        status = repo.git("--no-optional-locks", "status", "--porcelain")
        files = {
            str(p.relative_to(repo.root)): p.stat().st_mtime_ns
            for p in repo.root.rglob("*")
            if p.is_file() and "objects" not in p.parts and "logs" not in p.parts
        }
        return status, files, (repo.root / ".git" / "index").read_bytes()

    before = state()
    result = run_diff("main")
    assert before == state()
    assert " 105 " in result.report.findings[0].message  # ... but the work tree is what counts


def test_head_revision_ignores_the_work_tree(repo: Repo) -> None:
    head = repo.commit({F: BASE.replace("end: 2027-09-30", "end: 2027-10-31")})
    repo.write({F: BASE.replace("value: 120,", "value: 1,")})  # not committed
    result = run_diff("main~1", head)
    assert rows(result) == [("KPI803", F, 28, 5), ("KPI803", F, 35, 5)]


def test_head_revision_config_is_used(repo: Repo) -> None:
    repo.commit({"kpilint.toml": 'ignore = ["KPI803"]\n'}, "config")
    head = repo.commit({F: BASE.replace("end: 2027-09-30", "end: 2027-10-31")})
    repo.write({"kpilint.toml": ""})  # the work tree's config must not count
    assert rows(run_diff("main~2", head)) == []


def test_run_from_a_subfolder_of_the_repository(repo: Repo) -> None:
    repo.commit({F: None, "kpis/kpilint.toml": "", f"kpis/{F}": BASE}, "move to kpis/")
    repo.write({f"kpis/{F}": BASE.replace("value: 120,", "value: 110,")})
    assert rows(run_diff("main", cwd=repo.root)) == [("KPI801", f"kpis/{F}", 27, 5)]
    assert rows(run_diff("main", cwd=repo.root / "kpis")) == [("KPI801", F, 27, 5)]


def test_shallow_clone_after_fetching_the_base(repo: Repo, tmp_path: Path) -> None:
    base = repo.git("rev-parse", "HEAD").strip()
    repo.commit({F: BASE.replace("value: 120,", "value: 110,")})
    clone = tmp_path / "clone"
    repo.git("clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone))
    with pytest.raises(UsageError, match=r"this clone is shallow, fetch it first"):
        run_diff(base, cwd=clone)
    repo.git("fetch", "-q", "--depth=1", "origin", base, cwd=clone)
    assert rows(run_diff(base, cwd=clone)) == [("KPI801", F, 27, 5)]
    assert rows(run_diff(base, "HEAD", cwd=clone)) == [("KPI801", F, 27, 5)]


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_symlinked_file_is_read_once(repo: Repo) -> None:
    (repo.root / "link.kpi.yaml").symlink_to(F)
    head = repo.commit({F: BASE.replace("value: 120,", "value: 110,")})
    assert repo.git("ls-files", "-s", "link.kpi.yaml").startswith("120000")
    # read twice, every KPI would be a new KPI005 duplicate-id
    assert rows(run_diff("main~1", head)) == [("KPI801", F, 27, 5)]
    assert rows(run_diff("main~1")) == [("KPI801", F, 27, 5)]


def test_severity_comes_from_the_config(repo: Repo) -> None:
    base = repo.commit({"kpilint.toml": '[severity]\nkpi-deleted = "error"\n'})
    repo.write({F: BASE.replace(CHURN, "")})
    result = run_diff(base, cwd=repo.root)
    assert rows(result) == [("KPI404", F, 14, 5), ("KPI802", F, 29, 5)]  # metric c; churn at base
    assert [f.severity for f in result.report.findings] == ["info", "error"]
    assert result.report.fails()


# --- markdown -------------------------------------------------------------------------


def test_markdown_table_of_changed_kpis(repo: Repo) -> None:
    head = (
        BASE.replace(CHURN, CHURN.replace("owner: cfo", "owner: coo"))
        .replace(MRR_TARGET, MRR_TARGET.replace("120", "100"))
        .replace("end: 2027-09-30", "end: 2027-12-31")
        + "  - id: nrr\n    name: Net revenue retention\n    status: draft\n"
    )
    repo.write({F: head})
    result = run_diff("main")
    text = render_markdown(result.report, result.changes, result.base, result.head)
    lines = text.splitlines()
    assert lines[0] == "## kpilint diff: `main` → work tree"
    table = lines[lines.index("### Changed KPIs") + 2 : lines.index("### New findings") - 1]
    assert table == [
        "| KPI | Change | Flagged | Where |",
        "| --- | --- | --- | --- |",
        "| `mrr` | target 120 USD → 100 USD; deadline 2027-09-30 → 2027-12-31 | KPI801, KPI803 "
        f"| `{F}:22` |",
        f"| `churn` | deadline 2027-09-30 → 2027-12-31; owner cfo → coo | KPI803 | `{F}:29` |",
        f"| `nrr` | added |  | `{F}:36` |",
    ]
    assert "9 new at head: 3 errors, 6 warnings." in lines  # nrr is a bare draft
    assert (
        f"| warning | KPI801 target-lowered | `{F}:27:5` | KPI 'mrr' target lowered from 120"
        " to 100 USD, the easy way for \\`direction: increase\\` "
        "| add `# kpilint: ignore[KPI801] <reason>` to line 27, saying why |"
    ) in lines


def test_markdown_numbers_read_as_written_and_each_finding_says_how_to_answer(
    repo: Repo,
) -> None:
    big = MRR_TARGET.replace("value: 120,", "value: 1800000,").replace("100}", "1000000}")
    base = repo.commit({F: BASE.replace(MRR_TARGET, big)}, "a big target")
    lowered = BASE.replace(MRR_TARGET, big.replace("1800000", "1600000.5")).replace(CHURN, "")
    repo.write({F: lowered})
    result = run_diff(base)
    text = render_markdown(result.report, result.changes, result.base, result.head)
    lines = text.splitlines()
    assert f"| `mrr` | target 1,800,000 USD → 1,600,000.5 USD | KPI801 | `{F}:22` |" in lines
    assert f"| `churn` | removed | KPI802 | `{F}:29` |" in lines
    assert "| Severity | Rule | Where | Message | To answer |" in lines
    assert (
        f"| warning | KPI801 target-lowered | `{F}:27:5` | KPI 'mrr' target lowered from "
        "1,800,000 to 1,600,000.5 USD, the easy way for \\`direction: increase\\` "
        "| add `# kpilint: ignore[KPI801] <reason>` to line 27, saying why |"
    ) in lines
    assert (
        f"| warning | KPI802 kpi-deleted | `{F}:29:5` | KPI 'churn' was deleted: it is gone "
        "from every file at head (set \\`status: retired\\` to keep its history) "
        "| keep the KPI with `status: retired` |"
    ) in lines
    assert (
        f"| info | KPI404 orphan-metric | `{F}:14:5` | no live KPI tracks metric 'c' "
        "| fix it, or add `# kpilint: ignore[KPI404] <reason>` to line 14 |"
    ) in lines
    # The answer it gives answers: that comment, with a reason, on that line.
    answered = lowered.splitlines(keepends=True)
    answered[26] = answered[26].rstrip("\n") + "  # kpilint: ignore[KPI801] new pricing\n"
    repo.write({F: "".join(answered)})
    assert "KPI801" not in [f.code for f in run_diff(base).report.findings]


def test_markdown_cuts_long_ids_owners_and_targets(repo: Repo) -> None:
    owner, text, ident = "o" * 3000, "t" * 3000, "n" * 3000
    churn = CHURN.replace("owner: cfo", f"owner: {owner}").replace(
        CHURN_TARGET, f"    target: {text}\n"
    )
    repo.write(
        {F: BASE.replace(CHURN, churn) + f"  - id: {ident}\n    name: N\n    status: draft\n"}
    )
    result = run_diff("main")
    markdown = render_markdown(result.report, result.changes, result.base, result.head)
    rows = [line for line in markdown.splitlines() if line.startswith("| `")]
    assert rows[0].startswith(
        f'| `churn` | target 5 USD → "{"t" * 59}…"; direction decrease → none; '
        f"owner cfo → {'o' * 59}… |"
    )
    assert rows[1].startswith(f"| `{'n' * 59}…` | added |")
    assert not any(c * 60 in markdown for c in "otn")  # CLI.md "Output safety and size"


def test_markdown_without_changes(repo: Repo) -> None:
    result = run_diff("main")
    text = render_markdown(result.report, result.changes, result.base, result.head)
    assert "No KPI changed." in text and "No new findings." in text


# --- command line -----------------------------------------------------------------------


def test_cli_json_and_exit_codes(repo: Repo) -> None:
    repo.write({F: BASE.replace("value: 120,", "value: 110,")})
    runner = CliRunner()
    result = runner.invoke(cli, ["diff", "main", "--today", "2027-06-01", "--format", "json"])
    assert result.exit_code == 0, result.output  # a warning does not fail by default
    findings = json.loads(result.output)["findings"]
    assert [(f["code"], f["path"], f["line"], f["column"]) for f in findings] == [
        ("KPI801", F, 27, 5)
    ]
    failing = runner.invoke(cli, ["diff", "main", "--today", "2027-06-01", "--fail-on", "warning"])
    assert failing.exit_code == 1
    assert failing.output.startswith(f"{F}:27:5: KPI801 [warning] KPI 'mrr' target lowered")
    ignored = runner.invoke(cli, ["diff", "main", "--ignore", "KPI8", "--fail-on", "warning"])
    assert ignored.exit_code == 0, ignored.output
    Path("other.toml").write_text('ignore = ["target-lowered"]\n', encoding="utf-8")
    configured = runner.invoke(cli, ["diff", "main", "--config", "other.toml", "--fail-on", "info"])
    assert configured.exit_code == 0, configured.output
    assert configured.output.startswith("All checks passed")


def test_cli_markdown_to_a_file(repo: Repo, tmp_path: Path) -> None:
    repo.write({F: BASE.replace(CHURN, "")})
    out = tmp_path / "summary.md"
    result = CliRunner().invoke(
        cli, ["diff", "main", "--format", "markdown", "--output-file", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert f"| `churn` | removed | KPI802 | `{F}:29` |" in out.read_text(encoding="utf-8")


def test_cli_unknown_revision_exits_2(repo: Repo) -> None:
    result = CliRunner().invoke(cli, ["diff", "no-such-branch"])
    assert result.exit_code == 2
    assert "unknown revision 'no-such-branch'" in result.output


def test_real_process(repo: Repo) -> None:
    repo.write({F: BASE.replace("end: 2027-09-30", "end: 2027-10-31")})
    done = run_kpilint(["diff", "main", "--today", "2027-06-01"], repo.root)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == (
        f"{F}:28:5: KPI803 [warning] KPI 'mrr' deadline moved from 2027-09-30 to 2027-10-31"
        " (31 days later)"
    )
    assert f"{F}:35:5: KPI803 [warning]" in done.stdout
    bad = run_kpilint(["diff", "nope"], repo.root)
    assert bad.returncode == 2
    assert bad.stderr.startswith("kpilint: error: unknown revision 'nope'")
    assert "Traceback" not in bad.stderr


# --- answering governance findings, --fail-on-governance, -- PATH ------------------------

LOWERED = BASE.replace(MRR_TARGET, MRR_TARGET.replace("120", "110"))


@pytest.mark.parametrize(
    ("comment", "answered"),
    [
        ("  # kpilint: ignore[KPI801] the market shrank; agreed with the CFO", True),
        ("  # kpilint: ignore[target-lowered] churn of our largest customer", True),
        ("  # kpilint: ignore[KPI801]", False),
        ("  # kpilint: ignore[KPI801] TODO", False),
        ("  # kpilint: ignore[KPI803] wrong rule", False),
        ("  # kpilint: ignore[KPI801] until 2027-05-01: expired waiver", False),
    ],
    ids=["reason", "by-name", "no-reason", "todo", "other-rule", "expired"],
)
def test_a_reason_on_the_changed_line_answers_kpi801(
    repo: Repo, comment: str, answered: bool
) -> None:
    repo.write(
        {
            F: LOWERED.replace(
                MRR_TARGET.replace("120", "110"),
                MRR_TARGET.replace("120", "110")[:-1] + comment + "\n",
            )
        }
    )
    result = run_diff("main")
    assert (("KPI801", F, 27, 5) in rows(result)) is not answered
    assert result.fails(fail_on_governance=True) is not answered
    assert not result.report.fails()  # a warning, below the default fail level


def test_a_reason_elsewhere_does_not_answer(repo: Repo) -> None:
    repo.write(
        {
            F: LOWERED.replace(
                "  - id: mrr\n", "  - id: mrr  # kpilint: ignore[KPI801] not on the target line\n"
            )
        }
    )
    assert ("KPI801", F, 27, 5) in rows(run_diff("main"))


def test_a_reason_answers_kpi803_but_never_kpi802(repo: Repo) -> None:
    extended = BASE.replace(
        "end: 2027-09-30, review: monthly}\n  - id: churn",
        "end: 2027-12-31, review: monthly}  # kpilint: ignore[KPI803] a later launch\n"
        "  - id: churn",
    )
    repo.write({F: extended})
    assert rows(run_diff("main")) == []
    deleted = BASE.replace(CHURN, "").replace(
        "kpis:\n", "kpis:  # kpilint: ignore-file[KPI802] merged into mrr\n"
    )
    repo.write({F: deleted})
    assert ("KPI802", F, 29, 5) in rows(run_diff("main"))


def test_cli_fail_on_governance(repo: Repo) -> None:
    repo.write({F: LOWERED})
    runner = CliRunner()
    plain = runner.invoke(cli, ["diff", "main", "--today", "2027-06-01"])
    assert plain.exit_code == 0, plain.output  # a warning; --fail-on is error
    strict = runner.invoke(cli, ["diff", "main", "--today", "2027-06-01", "--fail-on-governance"])
    assert strict.exit_code == 1, strict.output
    never = ["diff", "main", "--fail-on", "never", "--fail-on-governance"]
    assert runner.invoke(cli, never).exit_code == 1  # whatever --fail-on says
    answered = LOWERED.replace(
        MRR_TARGET.replace("120", "110"),
        MRR_TARGET.replace("120", "110")[:-1] + "  # kpilint: ignore[KPI801] new pricing\n",
    )
    repo.write({F: answered})
    assert runner.invoke(cli, never).exit_code == 0


def test_cli_paths_after_dashes_limit_the_report(repo: Repo) -> None:
    base = repo.commit({"other/x.kpi.yaml": "kpis:\n  - id: x\n    name: X\n    status: draft\n"})
    repo.write({F: LOWERED, "other/x.kpi.yaml": None})
    runner = CliRunner()
    both = runner.invoke(cli, ["diff", base, "--format", "json"])

    def located(result: Any) -> list[tuple[str, str, int, int]]:
        findings = json.loads(result.output)["findings"]
        return [(f["code"], f["path"], f["line"], f["column"]) for f in findings]

    deleted, lowered = located(both)
    assert [deleted[:2], lowered[:2]] == [("KPI802", "other/x.kpi.yaml"), ("KPI801", F)]
    assert deleted[2:] == (2, 5)  # `- id: x` at base
    only = runner.invoke(cli, ["diff", base, "--format", "json", "--", "other/"])
    assert located(only) == [deleted]
    one = runner.invoke(cli, ["diff", base, "--format", "json", "--", F])
    assert located(one) == [lowered]
    markdown = runner.invoke(cli, ["diff", base, "--format", "markdown", "--", "other"])
    assert "`mrr`" not in markdown.output and "`x`" in markdown.output


def test_a_path_filtered_diff_counts_the_files_it_shows(repo: Repo) -> None:
    extra = {
        f"more/{n}.kpi.yaml": f"kpis:\n  - id: k{n}\n    name: K{n}\n    status: draft\n"
        for n in range(3)
    }
    base = repo.commit({**extra, "other/x.kpi.yaml": "kpis:\n  - {id: x, name: X}\n"})
    repo.write({F: LOWERED, "other/x.kpi.yaml": None})
    runner = CliRunner()
    args = ["diff", base, "--today", "2027-06-01"]
    everything = runner.invoke(cli, args).output  # team + 3 at head, and the deleted file
    assert everything.rstrip().endswith("Found 2 findings (2 warnings) in 5 files.")
    one = runner.invoke(cli, [*args, "--", F]).output
    assert one.rstrip().endswith("Found 1 finding (1 warning) in 1 file.")
    gone = runner.invoke(cli, [*args, "--format", "json", "--", "other/"])
    summary = json.loads(gone.output)["summary"]
    assert (summary["files"], summary["kpis"], summary["warning"]) == (1, 0, 1)
    shown = json.loads(runner.invoke(cli, [*args, "--format", "json", "--", "more"]).output)
    assert (shown["summary"]["files"], shown["summary"]["kpis"], shown["findings"]) == (3, 3, [])


def test_cli_diff_takes_known(repo: Repo, tmp_path: Path) -> None:
    repo.write(
        {F: BASE.replace("    owner: cfo\n    target: {value: 120", "    target: {value: 120")}
    )
    runner = CliRunner()
    known = tmp_path / "known.json"
    assert runner.invoke(cli, ["check", "--write-known", str(known)]).exit_code == 0
    result = runner.invoke(cli, ["diff", "main", "--known", str(known)])
    assert result.exit_code == 0
    assert result.output.startswith("All checks passed")
    assert "no longer occurs" not in result.output


def test_changed_lines(repo: Repo) -> None:
    repo.write({F: "# a new first line\n" + LOWERED, "new.kpi.yaml": "kpis: []\n"})
    result = run_diff("main")
    assert result.changed_lines == {F: frozenset({1, 28}), "new.kpi.yaml": None}


# --- check --base ------------------------------------------------------------------------


def test_check_base_adds_governance_and_only_changed_keeps_changed_lines(repo: Repo) -> None:
    debt = BASE.replace("    owner: cfo\n    target: {value: 5", "    target: {value: 5")
    repo.commit({F: debt}, "churn has no owner")  # KPI104 at 29:5, old debt
    repo.write({F: debt.replace(MRR_TARGET, MRR_TARGET.replace("120", "110"))})
    runner = CliRunner()
    args = ["check", "--today", "2027-06-01", "--format", "json", "--base", "main"]
    every = runner.invoke(cli, args)
    assert every.exit_code == 0, every.output
    found = [(f["code"], f["line"], f["column"]) for f in json.loads(every.output)["findings"]]
    assert found == [("KPI801", 27, 5), ("KPI104", 29, 5)]
    changed = runner.invoke(cli, [*args, "--only-changed"])
    assert [
        (f["code"], f["line"], f["column"]) for f in json.loads(changed.stdout)["findings"]
    ] == [("KPI801", 27, 5)]
    assert "1 finding on lines not changed since main not shown" in changed.stderr
    assert runner.invoke(cli, [*args, "--fail-on-governance"]).exit_code == 1
    misuse = runner.invoke(cli, ["check", "--only-changed"])
    assert misuse.exit_code == 2 and "need --base REV" in misuse.output


def test_a_governance_answer_is_not_an_unused_suppression_in_check(repo: Repo) -> None:
    repo.write(
        {
            F: BASE.replace(
                MRR_TARGET, MRR_TARGET[:-1] + "  # kpilint: ignore[KPI801] lowered in May\n"
            )
        }
    )
    result = CliRunner().invoke(cli, ["check", "--today", "2027-06-01", "--fail-on", "info"])
    assert result.exit_code == 0, result.output  # no KPI010


# --- sources --------------------------------------------------------------------------

SOURCE_TOML = """
[[sources]]
include = ["meta/*.md"]
records = ""
kind = "kpi"
[sources.map]
id = { from = "$file", template = "{slug}" }
name = "title"
"target.value" = "goal"
"target.direction" = { default = "increase" }
"timeline.review" = "review"
"""


def test_diff_reads_configured_sources_at_both_revisions(repo: Repo) -> None:
    """A source's KPIs are compared like native ones: lowered, deleted, new findings."""
    repo.commit(
        {
            "kpilint.toml": SOURCE_TOML,
            "meta/a.md": "---\ntitle: A\ngoal: 50\nreview: monthly\n---\nText\n",
            "meta/b.md": "---\ntitle: B\ngoal: 10\n---\n",
        },
        "sources",
    )
    repo.write(
        {
            "meta/a.md": "---\ntitle: A\ngoal: 40\nreview: Sometimes\n---\nText\n",
            "meta/b.md": None,
        }
    )
    found = rows(run_diff("HEAD"))
    assert ("KPI801", "meta/a.md", 3, 1) in found  # goal: 50 -> 40, at the source key
    assert ("KPI002", "meta/a.md", 4, 1) in found  # new at head: review: Sometimes
    assert ("KPI802", "meta/b.md", 2, 1) in found  # deleted: at its base file and line
    committed = repo.commit({}, "head")
    assert rows(run_diff("HEAD~1", committed)) == found  # the same from two commits


# --- submodules and symlinks: the same on both sides -----------------------------------


def test_unchanged_checkout_with_a_submodule_and_outside_symlinks_has_nothing_new(
    repo: Repo, tmp_path: Path
) -> None:
    sub = Repo(tmp_path / "sub")
    sub.commit({"broken.kpi.yaml": "kpis:\n  - id: x\n"}, "sub")
    repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub.root), "vendor")
    outside = tmp_path / "outside.kpi.yaml"
    outside.write_text("kpis: [\n")
    (repo.root / "passwd.kpi.yaml").symlink_to("/etc/passwd")
    (repo.root / "outside.kpi.yaml").symlink_to(outside)
    repo.commit({}, "submodule and links")
    assert rows(run_diff("HEAD")) == []
    assert rows(run_diff("HEAD", "HEAD")) == []


def test_symlinked_kpi_file_inside_the_repository_is_read_on_both_sides(repo: Repo) -> None:
    (repo.root / "link.kpi.yaml").symlink_to(F)
    repo.commit({}, "link")
    assert rows(run_diff("HEAD")) == []
