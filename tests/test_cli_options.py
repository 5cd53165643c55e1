"""The options a ruff user expects (issue 13 items 9 and 10), through click and a process.

``--exit-zero``, ``--statistics``, ``--show-fixes``, ``-q``/``-v``, ``--show-settings``,
``--show-files``, ``--exclude``, ``kpilint init``, and fix hints that never offer what
cannot work (``check --from``, ``diff``, ``--unsafe-fixes`` without ``--fix``).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpilint.cli import cli
from kpilint.config import parse_toml
from tests.conftest import WriteProject
from tests.conftest import run_kpilint as run
from tests.test_cli import CLEAN, NO_TARGET

TODAY = ["--today", "2027-06-01"]
# KPI003 (a misspelt key, safe fix), KPI101 (no target) and KPI104 (so, no owner)
TYPO = NO_TARGET.replace("    owner: cfo\n", "    ownr: cfo\n")
# KPI302: expired and still active (an unsafe fix sets status: retired)
RETIRED = "kpis:\n  - id: old\n    name: Old\n    status: retired\n"
EXPIRED = CLEAN.replace("end: 2027-12-31, review", "end: 2027-03-31, review")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def project(write_project: WriteProject, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = write_project({"a.kpi.yaml": TYPO, "b.kpi.yaml": RETIRED})
    monkeypatch.chdir(root)
    return root


def test_exit_zero_passes_with_errors_but_not_misuse(runner: CliRunner, project: Path) -> None:
    assert runner.invoke(cli, ["check", *TODAY]).exit_code == 1
    result = runner.invoke(cli, ["check", "--exit-zero", *TODAY])
    assert result.exit_code == 0, result.output
    assert "a.kpi.yaml:" in result.output  # the findings are still reported
    assert runner.invoke(cli, ["check", "--exit-zero", "nope/"]).exit_code == 2


def test_statistics_counts_by_rule(runner: CliRunner, project: Path) -> None:
    result = runner.invoke(cli, ["check", "--statistics", *TODAY])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[:2] == [
        "1\tKPI003\t[*] unknown-key (error)",
        "1\tKPI101\t[ ] missing-target (error)",
    ]
    assert "a.kpi.yaml" not in result.output  # counts instead of findings
    data = json.loads(runner.invoke(cli, ["check", "--statistics", "--format", "json"]).output)
    assert {row["code"]: row["count"] for row in data} == {"KPI003": 1, "KPI101": 1, "KPI104": 1}
    bad = runner.invoke(cli, ["check", "--statistics", "--format", "sarif"])
    assert bad.exit_code == 2 and "--statistics prints text or json" in bad.output


def test_show_fixes_previews_each_fix_and_lists_what_was_fixed(
    runner: CliRunner, project: Path
) -> None:
    shown = runner.invoke(cli, ["check", "--show-fixes", *TODAY])
    lines = shown.output.splitlines()
    at = lines.index("  fix: [*] Rename 'ownr' to 'owner'")
    assert lines[at + 1 : at + 3] == ["    --- a/a.kpi.yaml", "    +++ b/a.kpi.yaml"]
    assert "    -    ownr: cfo" in lines and "    +    owner: cfo" in lines
    assert (project / "a.kpi.yaml").read_text(encoding="utf-8") == TYPO.lstrip()  # unwritten
    fixed = runner.invoke(cli, ["check", "--fix", "--show-fixes", *TODAY])
    assert "Fixed 1 finding in 1 file.\n- a.kpi.yaml:\n    1 × KPI003 (unknown-key)\n" in (
        fixed.stderr
    )


def test_quiet_and_verbose(runner: CliRunner, project: Path) -> None:
    quiet = runner.invoke(cli, ["check", "-q", *TODAY])
    assert quiet.exit_code == 1
    assert quiet.output.startswith("a.kpi.yaml:")
    assert "Found" not in quiet.output and "fixable" not in quiet.output
    silent = runner.invoke(cli, ["check", "-qq", *TODAY])
    assert (silent.exit_code, silent.output) == (1, "")
    verbose = runner.invoke(cli, ["check", "-v", "--no-cache", *TODAY])
    assert "kpilint: running rules on 2 files" in verbose.stderr
    assert "kpilint:" not in verbose.stdout


def test_show_settings_names_where_each_value_came_from(runner: CliRunner, project: Path) -> None:
    (project / "kpilint.toml").write_text(
        'ignore = ["KPI204"]\n[severity]\nmissing-owner = "error"\n'
        "[rules.too-many-kpis]\nmax = 4\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        cli, ["check", "--show-settings", "--ignore", "KPI207", "--fail-on", "warning", *TODAY]
    )
    assert result.exit_code == 0, result.output
    config = str(project / "kpilint.toml")
    lines = result.output.splitlines()
    assert f"# config file: {config}" in lines
    assert 'select = ["ALL"]  # default' in lines
    assert f'ignore = ["KPI204", "KPI207"]  # {config} + --ignore' in lines
    assert 'fail-on = "warning"  # --fail-on' in lines
    assert "today = 2027-06-01  # --today" in lines
    assert f'KPI104 = "error"  # {config} [severity], missing-owner' in lines
    assert 'KPI101 = "error"  # default, missing-target' in lines
    assert "# not run: KPI204, KPI207" in lines
    assert f"max = 4  # {config}" in lines


def _settings(output: str) -> dict[str, object]:
    """The settings --show-settings prints, read as TOML (``3`` and ``3.0`` are equal)."""
    return parse_toml(output.encode(), "--show-settings")


@pytest.mark.parametrize(
    "config",
    [
        "",  # every default: owners unset, today the system date
        'owners = "team/OWNERS"\ntoday = 2027-06-01\nfail-on = "warning"\n'
        'extend-ignore = ["KPI2"]\nexclude = ["archive/"]\nmax-file-size = 5000\n'
        '[severity]\nmissing-owner = "error"\n'
        '[per-file-ignores]\n"drafts/*.kpi.yaml" = ["KPI1"]\n'
        "[rules.too-many-kpis]\nmax = 4\nteam = 2\n[rules.vanity-metric-kpi]\n"
        'extend-terms = ["likes"]\n'
        '[[sources]]\ninclude = ["data/*.csv"]\nformat = "csv"\n'
        'kind = { from = "type", values = { "key kpi" = "kpi" }, default = "metric" }\n'
        '[sources.map]\nid = "id"\nname = "name"\n',
    ],
)
def test_show_settings_pasted_back_is_the_same_config(
    runner: CliRunner, project: Path, config: str
) -> None:
    (project / "team").mkdir()
    (project / "team" / "OWNERS").write_text("cfo\n", encoding="utf-8")
    (project / "kpilint.toml").write_text(config, encoding="utf-8")
    shown = runner.invoke(cli, ["check", "--show-settings"])
    assert shown.exit_code == 0, shown.output
    assert "None" not in shown.output
    before = runner.invoke(cli, ["check", "--format", "json", *TODAY, "--no-cache"])
    (project / "kpilint.toml").write_text(shown.output, encoding="utf-8")
    again = runner.invoke(cli, ["check", "--show-settings"])
    assert again.exit_code == 0, again.output  # no config error
    assert _settings(again.output) == _settings(shown.output)
    after = runner.invoke(cli, ["check", "--format", "json", *TODAY, "--no-cache"])
    assert (after.exit_code, after.output) == (before.exit_code, before.output)
    if not config:
        lines = shown.output.splitlines()
        assert "# owners: not set  # default" in lines
        assert any(line.startswith("# today = ") for line in lines)  # not pinned


def test_show_files_and_exclude(runner: CliRunner, project: Path) -> None:
    (project / "archive").mkdir()
    (project / "archive" / "old.kpi.yaml").write_text(TYPO.replace("id: ", "id: old-"))
    files = runner.invoke(cli, ["check", "--show-files"])
    assert files.output == "a.kpi.yaml\narchive/old.kpi.yaml\nb.kpi.yaml\n"
    files = runner.invoke(cli, ["check", "--show-files", "--exclude", "archive/,b.kpi.yaml"])
    assert files.output == "a.kpi.yaml\n"
    report = runner.invoke(cli, ["check", "--exclude", "archive/", "--format", "json", *TODAY])
    assert {f["path"] for f in json.loads(report.output)["findings"]} == {"a.kpi.yaml"}


def test_init_writes_a_project_that_passes_and_never_overwrites(tmp_path: Path) -> None:
    done = run(["init"], tmp_path)
    assert done.returncode == 0, done.stderr
    config = (tmp_path / "kpilint.toml").read_text(encoding="utf-8")
    assert "# today = " in config and "\ntoday" not in config  # documented, not pinned
    assert config.count("\n#") > 10
    checked = run(["check", "--fail-on", "info"], tmp_path)
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout.startswith("All checks passed: 1 file, 1 KPI, 1 goal.")
    (tmp_path / "kpilint.toml").write_text("# mine\n", encoding="utf-8")
    again = run(["init"], tmp_path)
    assert again.returncode == 2
    assert again.stderr.startswith(
        "kpilint: error: kpilint.toml, kpis/company.kpi.yaml already exist"
    )
    assert len(again.stderr.strip().splitlines()) == 1
    assert (tmp_path / "kpilint.toml").read_text(encoding="utf-8") == "# mine\n"


def test_check_from_offers_no_fix(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "reg.csv").write_text(
        "kind,id,name,target,owner\nkpi,k1,K one,at least 100 USD,me\n", encoding="utf-8"
    )
    result = runner.invoke(cli, ["check", "--from", "csv", str(tmp_path / "reg.csv"), *TODAY])
    assert "KPI208" in result.output
    assert "--fix" not in result.output and "[*]" not in result.output


def test_diff_offers_no_fix(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = ["-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q", "-b", "main", str(tmp_path)], check=True)
    (tmp_path / "kpilint.toml").write_text("")
    (tmp_path / "a.kpi.yaml").write_text(CLEAN, encoding="utf-8")
    subprocess.run(["git", "-C", str(tmp_path), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(tmp_path), *env, "commit", "-qm", "b"], check=True)
    (tmp_path / "a.kpi.yaml").write_text(TYPO, encoding="utf-8")  # a fixable new finding
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["diff", "main", *TODAY])
    assert "KPI003" in result.output
    assert "--fix" not in result.output and "[*]" not in result.output


def test_unsafe_fixes_without_fix_shows_them_as_available(
    runner: CliRunner, write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(write_project({"a.kpi.yaml": EXPIRED}))
    plain = runner.invoke(cli, ["check", *TODAY])
    assert plain.output.endswith("[*] 1 fixable with `--fix --unsafe-fixes`.\n")  # not "0 with"
    result = runner.invoke(cli, ["check", "--unsafe-fixes", *TODAY])
    assert "  fix: [*] " in result.output
    assert result.output.endswith("[*] 1 fixable with `--fix --unsafe-fixes`.\n")


def test_github_and_sarif_paths_are_relative_to_the_workspace(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run in a subfolder of GITHUB_WORKSPACE (the Action's working-directory)."""
    monkeypatch.setenv("GITHUB_WORKSPACE", str(project.parent))
    github = runner.invoke(cli, ["check", "--format", "github", *TODAY])
    assert f"::error file={project.name}/a.kpi.yaml,line=" in github.output
    sarif = json.loads(runner.invoke(cli, ["check", "--format", "sarif", *TODAY]).output)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
    }
    assert uris == {f"{project.name}/a.kpi.yaml"}
    text = runner.invoke(cli, ["check", *TODAY])
    assert text.output.startswith("a.kpi.yaml:")  # other formats: relative to the folder


def test_gitlab_paths_are_relative_to_the_project_dir(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI_PROJECT_DIR", str(project.parent))
    issues = json.loads(runner.invoke(cli, ["check", "--format", "gitlab", *TODAY]).output)
    assert {issue["location"]["path"] for issue in issues} == {f"{project.name}/a.kpi.yaml"}


@pytest.mark.parametrize("option", [["--statistics"], ["--show-files"], ["--base", "main"]])
def test_options_that_need_files_refuse_stdin(
    runner: CliRunner, project: Path, option: list[str]
) -> None:
    result = runner.invoke(cli, ["check", "--stdin-filename", "a.kpi.yaml", *option, "-"], input="")
    assert result.exit_code == 2
    assert f"{option[0]} does not combine with --stdin-filename" in result.output
