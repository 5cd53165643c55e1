"""The command line, through click's runner and as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpilint import __version__
from kpilint.cli import cli
from kpilint.registry import registry
from tests.conftest import REPO, WriteProject, cli_commands
from tests.conftest import run_kpilint as run

CLEAN = """
goals:
  - id: g
    name: Goal
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
kpis:
  - id: k
    name: MRR
    goal: g
    metric: m
    owner: cfo
    target: {value: 120, unit: USD, direction: increase, baseline: 100}
    timeline: {start: 2027-01-01, end: 2027-12-31, review: monthly}
"""
NO_TARGET = CLEAN.replace(
    "    target: {value: 120, unit: USD, direction: increase, baseline: 100}\n", ""
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_clean_project_exits_0(
    runner: CliRunner, write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project({"a.kpi.yaml": CLEAN})
    monkeypatch.chdir(root)
    result = runner.invoke(cli, ["check", "--today", "2027-06-01"])
    assert result.exit_code == 0, result.output
    assert result.output == "All checks passed: 1 file, 1 KPI, 1 goal.\n"


def test_error_exits_1_with_ruff_style_lines(
    runner: CliRunner, write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project({"a.kpi.yaml": NO_TARGET})
    monkeypatch.chdir(root)
    result = runner.invoke(cli, ["check", "--today", "2027-06-01", "."])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "a.kpi.yaml:15:5: KPI101 [error] KPI 'k' has no target"
    assert lines[1].startswith("  fix: ")
    assert lines[-1] == "Found 1 finding (1 error) in 1 file."
    assert "\x1b[" not in result.output  # not a terminal: no colour


@pytest.mark.parametrize("env", [{}, {"GITHUB_ACTIONS": "true", "CI": "true"}])
def test_default_format_is_text_everywhere(
    runner: CliRunner,
    write_project: WriteProject,
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
) -> None:
    """CLI.md: ``text`` is the default; CI asks for ``github`` or ``sarif`` by name."""
    monkeypatch.chdir(write_project({"a.kpi.yaml": NO_TARGET}))
    result = runner.invoke(cli, ["check", "--today", "2027-06-01"], env=env)
    assert result.output.splitlines()[0] == "a.kpi.yaml:15:5: KPI101 [error] KPI 'k' has no target"


@pytest.mark.parametrize(
    ("fail_on", "code"), [("error", 0), ("warning", 1), ("info", 1), ("never", 0)]
)
def test_fail_on(
    runner: CliRunner,
    write_project: WriteProject,
    monkeypatch: pytest.MonkeyPatch,
    fail_on: str,
    code: int,
) -> None:
    root = write_project({"a.kpi.yaml": CLEAN.replace("    owner: cfo\n", "")})  # KPI104 warning
    monkeypatch.chdir(root)
    result = runner.invoke(cli, ["check", "--today", "2027-06-01", "--fail-on", fail_on])
    assert result.exit_code == code, result.output


def test_fail_on_from_config(
    runner: CliRunner, write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project(
        {
            "a.kpi.yaml": CLEAN.replace("    owner: cfo\n", ""),
            "kpilint.toml": 'fail-on = "warning"\n',
        }
    )
    monkeypatch.chdir(root)
    assert runner.invoke(cli, ["check", "--today", "2027-06-01"]).exit_code == 1
    assert (
        runner.invoke(cli, ["check", "--today", "2027-06-01", "--fail-on", "error"]).exit_code == 0
    )


def test_select_ignore_and_extend_select(
    runner: CliRunner, write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project({"a.kpi.yaml": NO_TARGET.replace("    owner: cfo\n", "")})
    monkeypatch.chdir(root)

    def codes(*args: str) -> list[str]:
        out = runner.invoke(
            cli, ["check", "--today", "2027-06-01", "--format", "json", *args]
        ).output
        return [f"{f['code']}@{f['line']}:{f['column']}" for f in json.loads(out)["findings"]]

    both = ["KPI101@15:5", "KPI104@15:5"]  # each at the KPI, as RULES.md locates them
    assert codes() == both
    assert codes("--select", "KPI1") == both
    assert codes("--select", "missing-owner") == ["KPI104@15:5"]
    assert codes("--ignore", "KPI101,missing-owner") == []
    assert codes("--select", "KPI104", "--extend-select", "KPI101") == both


def test_output_file(
    runner: CliRunner, write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project({"a.kpi.yaml": NO_TARGET})
    monkeypatch.chdir(root)
    result = runner.invoke(
        cli, ["check", "--today", "2027-06-01", "--format", "json", "-o", "out/r.json"]
    )
    assert result.exit_code == 1
    assert result.output == ""
    assert json.loads((root / "out" / "r.json").read_text())["summary"]["error"] == 1


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["check", "missing/"], "path 'missing/' does not exist"),
        (["check", "--format", "xml"], "'xml' is not one of"),
        (["check", "--zzzz"], "No such option '--zzzz'; see 'kpilint check --help'"),
        (["check", "--exit-zeroo"], "'--exit-zeroo'; did you mean '--exit-zero'?; see"),
        (["check", "--today", "June"], "'June' is not an ISO date"),
        (["check", "--select", "KPI999"], "error: --select: 'KPI999' is not a rule code"),
        (["check", "--extend-select", "foo"], "error: --extend-select: 'foo' is not a rule code"),
        (["check", "--config", "nope.toml"], "config file 'nope.toml' does not exist"),
        (["rule", "missing-targt"], "did you mean 'missing-target'?"),
        (["nonsense"], "No such command 'nonsense'"),
        (["chck"], "No such command 'chck'; did you mean 'check'?; see 'kpilint --help'"),
    ],
)
def test_misuse_exits_2_with_one_line(
    runner: CliRunner,
    write_project: WriteProject,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    needle: str,
) -> None:
    monkeypatch.chdir(write_project({"a.kpi.yaml": CLEAN}))
    result = runner.invoke(cli, args)
    assert result.exit_code == 2
    assert needle in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_bad_config_exits_2_with_did_you_mean(
    runner: CliRunner, write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project({"a.kpi.yaml": CLEAN, "kpilint.toml": 'fail_on = "warning"\n'})
    monkeypatch.chdir(root)
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 2
    assert "unknown key 'fail_on'; did you mean 'fail-on'?" in result.output


def test_rules_lists_every_rule(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["rules"])
    assert result.exit_code == 0
    for code, rule in registry().items():
        assert code in result.output and rule.name in result.output


def test_rule_explains_by_code_and_name(runner: CliRunner) -> None:
    by_code = runner.invoke(cli, ["rule", "KPI601"])
    by_name = runner.invoke(cli, ["rule", "vanity-metric-kpi"])
    assert by_code.exit_code == by_name.exit_code == 0
    assert by_code.output == by_name.output
    for heading in (
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## Use instead",
        "## Fix",
    ):
        assert heading in by_code.output


def test_schema_command_prints_the_committed_schema(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["schema"])
    committed = json.loads((REPO / "schemas" / "kpi-file.schema.json").read_text())
    assert json.loads(result.output) == committed


@pytest.mark.slow
def test_subprocess_check_json_and_exit_code(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": NO_TARGET, "b.kpi.yaml": "kpis: [\n"})
    result = run(["check", "--format", "json", "--today", "2027-06-01"], cwd=root)
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert [(f["code"], f["path"], f["line"], f["column"]) for f in data["findings"]] == [
        ("KPI101", "a.kpi.yaml", 15, 5),
        ("KPI001", "b.kpi.yaml", 2, 1),
    ]
    assert result.stderr == ""


@pytest.mark.slow
def test_subprocess_colour_and_no_color(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": NO_TARGET})
    forced = run(["check", "--today", "2027-06-01"], cwd=root, env={"FORCE_COLOR": "1"})
    assert "\x1b[" in forced.stdout
    plain = run(
        ["check", "--today", "2027-06-01"], cwd=root, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}
    )
    assert "\x1b[" not in plain.stdout


@pytest.mark.slow
def test_subprocess_version_and_misuse(tmp_path: Path) -> None:
    version = run(["--version"], cwd=tmp_path)
    assert version.returncode == 0 and __version__ in version.stdout
    missing = run(["check", "nowhere"], cwd=tmp_path)
    assert missing.returncode == 2
    assert (
        missing.stderr.strip()
        == "kpilint: error: path 'nowhere' does not exist; name a KPI file or a folder"
    )
    assert missing.stdout == ""


def test_explicit_config_replaces_the_projects(
    runner: CliRunner, write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project(
        {
            "a.kpi.yaml": NO_TARGET,
            "kpilint.toml": 'ignore = ["KPI101"]\n',
            "strict.toml": '[severity]\nmissing-target = "warning"\n',
        }
    )
    monkeypatch.chdir(root)
    assert runner.invoke(cli, ["check", "--today", "2027-06-01"]).exit_code == 0
    result = runner.invoke(
        cli, ["check", "--today", "2027-06-01", "--config", "strict.toml", "--format", "json"]
    )
    findings = json.loads(result.output)["findings"]
    assert [(f["code"], f["severity"], f["line"], f["column"]) for f in findings] == [
        ("KPI101", "warning", 15, 5)
    ]
    assert result.exit_code == 0  # a warning, below the default fail-on


def test_every_command_is_found_by_its_own_name(runner: CliRunner) -> None:
    """Commands are imported when they run: the registry, the modules and --help agree."""
    commands = cli_commands()
    names = ["audit", "check", "diff", "import", "init", "rule", "rules", "schema", "server"]
    assert list(commands) == [*names, "sources"]
    assert [command.name for command in commands.values()] == list(commands)
    listed = runner.invoke(cli, ["--help"]).output.split("Commands:\n")[1].splitlines()
    assert [line.split()[0] for line in listed] == list(commands)


def test_version_imports_nothing_heavy() -> None:
    """`kpilint --version` runs on every hook start-up path: no YAML, pydantic or jsonschema."""
    code = (
        "import sys; from kpilint.cli import main; sys.argv = ['kpilint', '--version']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('yaml', 'pydantic', 'jsonschema') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
    ).stdout
    assert out.strip().splitlines()[-1] == "[]"
