"""CLI.md and RULES.md statements that no other test pins, each through the real command.

Every test runs ``kpilint`` both through click's runner and as a real process, and
asserts what the spec fixes (codes, lines, columns, fields, exit codes), never wording.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kpilint.cli import cli
from tests.conftest import NO_SPEC, SPEC_EXAMPLE, WriteProject, run_kpilint

TODAY = ["--today", "2027-06-01"]

CLEAN = """
goals:
  - {id: g, name: G, owner: o, period: {start: 2027-01-01, end: 2027-12-31}}
metrics:
  - {id: m, name: M, unit: USD, source: stripe}
kpis:
  - id: k
    name: K
    goal: g
    metric: m
    owner: o
    target: {value: 10, direction: increase, baseline: 5}
    timeline: {start: 2027-01-01, end: 2027-12-31, review: monthly}
"""


def both(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str]]:
    """(exit code, stdout) from click's runner and from ``python -m kpilint``, in that order."""
    monkeypatch.chdir(cwd)
    runner = CliRunner().invoke(cli, args)
    process = run_kpilint(args, cwd)
    return [(runner.exit_code, runner.stdout), (process.returncode, process.stdout)]


def rows(output: str) -> list[tuple[Any, ...]]:
    findings = json.loads(output)["findings"]
    return [
        (f["code"], f["path"], f["line"], f["column"], f["entity"], f["fix"]["applicability"])
        for f in findings
    ]


@pytest.mark.skipif(not SPEC_EXAMPLE.is_dir(), reason=NO_SPEC)
def test_worked_example_as_a_real_process() -> None:
    keys = ("code", "name", "severity", "path", "line", "column", "entity")
    expected = json.loads((SPEC_EXAMPLE / "expected.json").read_text())
    run = run_kpilint(["check", *TODAY, "--format", "json", "."], SPEC_EXAMPLE)
    assert run.returncode == 1, run.stderr
    got = json.loads(run.stdout)["findings"]
    assert [[f[k] for k in keys] for f in got] == [
        [f[k] for k in keys] for f in expected["findings"]
    ]


def test_json_entity_null_paths_from_the_cwd_and_order(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CLI.md: entity is null for KPI001, KPI004 at top level and suppression findings;
    paths are relative to the current directory with '/'; sorted by path, line, column, code."""
    root = write_project(
        {
            "kpis/b.kpi.yaml": "goals: [\n",
            "kpis/a.kpi.yaml": """
            # kpilint: ignore-file[KPI702] until 2027-01-01: waiver
            kpis:
              - id: k  # kpilint: ignore[KPI104]
                name: K
              - id: j  # kpilint: ignore[KPI601] not vanity
                name: J
              - id: i  # kpilint: ignore[KPI1O4] reason
                name: I
            kpis: []
            """,
        }
    )
    args = ["check", *TODAY, "--format", "json", "--select", "KPI0,KPI104"]
    # The second `kpis` replaces the first (YAML keeps the last), so no entity is left
    # and every finding belongs to none.
    want = [
        ("KPI011", "project/kpis/a.kpi.yaml", 1, 1, None, "none"),
        ("KPI009", "project/kpis/a.kpi.yaml", 3, 12, None, "none"),
        ("KPI010", "project/kpis/a.kpi.yaml", 3, 12, None, "safe"),
        ("KPI008", "project/kpis/a.kpi.yaml", 7, 12, None, "unsafe"),
        ("KPI004", "project/kpis/a.kpi.yaml", 9, 1, None, "none"),
        ("KPI001", "project/kpis/b.kpi.yaml", 2, 1, None, "none"),
    ]
    for code, output in both([*args, "project"], root.parent, monkeypatch):
        assert code == 1
        assert rows(output) == want


def test_fix_applicability_per_finding_in_the_json_report(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """RULES.md's fix column: a safe or unsafe fix only where the rule says, else none."""
    root = write_project(
        {
            "a.kpi.yaml": """
            kpis:
              - id: a
                name: A
                ownr: x
                zzzzqq: 1
              - id: b  # kpilint: ignore[KPI3O5] a reason
                name: B
              - id: c  # kpilint: ignore[KPI601] not a vanity name
                name: C
              - id: d
                name: D
                target: at least 5 deals by 2026
                timeline: {end: 2027-12-31}
              - id: e
                name: E
                target: at least 5 deals by 2026
              - id: f
                name: F
                target: between 4 and 6 deals
            """
        }
    )
    select = "KPI003,KPI008,KPI010,KPI208,KPI302,KPI601"
    args = ["check", *TODAY, "--format", "json", "--select", select]
    want = [
        ("KPI003", "a.kpi.yaml", 4, 5, {"kind": "kpi", "id": "a"}, "safe"),  # did you mean owner
        ("KPI003", "a.kpi.yaml", 5, 5, {"kind": "kpi", "id": "a"}, "none"),  # nothing close
        ("KPI008", "a.kpi.yaml", 6, 12, None, "unsafe"),  # did you mean KPI305
        ("KPI010", "a.kpi.yaml", 8, 12, None, "safe"),
        ("KPI208", "a.kpi.yaml", 12, 5, {"kind": "kpi", "id": "d"}, "none"),  # deadline differs
        ("KPI302", "a.kpi.yaml", 14, 5, {"kind": "kpi", "id": "e"}, "unsafe"),
        ("KPI208", "a.kpi.yaml", 16, 5, {"kind": "kpi", "id": "e"}, "safe"),
        ("KPI208", "a.kpi.yaml", 19, 5, {"kind": "kpi", "id": "f"}, "none"),  # a range
    ]
    for code, output in both(args, root, monkeypatch):
        assert code == 1
        assert rows(output) == want


WARNING_ONLY = CLEAN.replace("    owner: o\n    target", "    target")  # KPI104, a warning
INFO_ONLY = CLEAN.replace(
    "metrics:\n", "metrics:\n  - {id: orphan, name: O, source: x}\n"
)  # KPI404


@pytest.mark.parametrize(
    ("files", "args", "code"),
    [
        ({"a.kpi.yaml": CLEAN}, [], 0),
        ({"a.kpi.yaml": WARNING_ONLY}, [], 0),
        ({"a.kpi.yaml": WARNING_ONLY}, ["--fail-on", "warning"], 1),
        ({"a.kpi.yaml": WARNING_ONLY}, ["--fail-on", "error"], 0),
        ({"a.kpi.yaml": INFO_ONLY}, ["--fail-on", "warning"], 0),
        ({"a.kpi.yaml": INFO_ONLY}, ["--fail-on", "info"], 1),
        ({"a.kpi.yaml": CLEAN.replace("goal: g", "goal: nope")}, ["--fail-on", "never"], 0),
        ({"a.kpi.yaml": CLEAN.replace("goal: g", "goal: nope")}, [], 1),
        ({"a.kpi.yaml": CLEAN, "b.kpi.yaml": "kpis: [\n"}, [], 1),  # KPI001 is a finding
        ({"a.kpi.yaml": CLEAN, "kpilint.toml": 'fail-on = "never"\n'}, [], 0),
    ],
)
def test_exit_codes_0_and_1(
    write_project: WriteProject,
    monkeypatch: pytest.MonkeyPatch,
    files: dict[str, str],
    args: list[str],
    code: int,
) -> None:
    root = write_project(files)
    for got, _ in both(["check", *TODAY, *args, "."], root, monkeypatch):
        assert got == code


@pytest.mark.parametrize(
    ("config", "args"),
    [
        ("", ["--fail-on", "sometimes", "."]),  # bad option value
        ("", ["--no-such-option", "."]),  # bad option
        ("fail-on = 'sometimes'\n", ["."]),  # bad config value
        ("selekt = ['KPI1']\n", ["."]),  # unknown config key
        ("", ["no-such-folder"]),  # a named path that does not exist
        ("", ["empty"]),  # a named folder with no KPI file
        ("", ["--config", "missing.toml", "."]),  # an explicit config that does not exist
        ("owners = 'nobody.txt'\n", ["."]),  # FORMAT.md: owners path that does not exist
    ],
)
def test_misuse_exits_2_with_one_line_and_no_traceback(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch, config: str, args: list[str]
) -> None:
    root = write_project({"kpilint.toml": config, "a.kpi.yaml": CLEAN, "empty/README.md": "x"})
    monkeypatch.chdir(root)
    runner = CliRunner().invoke(cli, ["check", *args], catch_exceptions=False)
    process = run_kpilint(["check", *args], root)
    assert process.returncode == 2, process.stderr
    assert len(process.stderr.strip().splitlines()) == 1, process.stderr
    assert "Traceback" not in process.stderr and process.stdout == ""
    assert runner.exit_code == 2


def test_a_named_file_force_exclude_drops_is_not_misuse(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project(
        {"kpilint.toml": 'exclude = ["legacy/"]\n', "legacy/a.kpi.yaml": "kpis: [\n"}
    )
    for code, _ in both(["check", "--force-exclude", "legacy/a.kpi.yaml"], root, monkeypatch):
        assert code == 0


def test_today_is_the_option_else_the_config_else_the_system_date(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """RULES.md: every date rule uses --today, else the `today` key, else the system date."""
    yesterday = date.today() - timedelta(days=1)
    kpi = CLEAN.replace("end: 2027-12-31, review", f"end: {yesterday.isoformat()}, review")
    kpi = kpi.replace("start: 2027-01-01, end: 2027-12-31}", f"end: {yesterday.isoformat()}}}")
    kpi = kpi.replace("start: 2027-01-01, end", f"start: {yesterday.isoformat()}, end")
    kpi = kpi.replace("review: monthly", "review: weekly")
    expired = [("KPI302", "a.kpi.yaml", 12, 5, {"kind": "kpi", "id": "k"}, "unsafe")]
    args = ["check", "--format", "json", "--select", "KPI302"]
    root = write_project({"a.kpi.yaml": kpi})
    for code, output in both(args, root, monkeypatch):  # the system date
        assert (code, rows(output)) == (0, expired)
    (root / "kpilint.toml").write_text(f"today = {yesterday.isoformat()}\n")
    for code, output in both(args, root, monkeypatch):  # the config's today
        assert (code, rows(output)) == (0, [])
    for code, output in both([*args, "--today", date.today().isoformat()], root, monkeypatch):
        assert (code, rows(output)) == (0, expired)  # the option wins over the config


CONFIG_KEYS = """
select = ["ALL"]
ignore = ["KPI105"]
extend-select = ["KPI601"]
fail-on = "warning"
include = ["*.kpi.yaml", "*.kpi.yml"]
exclude = ["archive/"]
today = 2027-06-01
owners = "owners.txt"

[severity]
missing-owner = "error"
KPI601 = "info"

[rules.too-many-kpis]
max = 5
team = 7

[rules.overloaded-owner]
max = 7

[rules.unrealistic-target]
factor = 3

[rules.vanity-metric-kpi]
terms = ["followers"]
extend-terms = ["retweets"]
"""


@pytest.mark.parametrize("where", ["kpilint.toml", ".kpilint.toml", "pyproject.toml"])
def test_every_config_key_cli_md_names_is_read_from_each_config_file(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    text = CONFIG_KEYS
    if where == "pyproject.toml":
        text = "[tool.kpilint]\n" + text.replace("[severity]", "[tool.kpilint.severity]")
        text = text.replace("[rules.", "[tool.kpilint.rules.")
    kpis = CLEAN.replace("    owner: o\n    target", "    target")  # KPI104, now an error
    kpis = kpis.replace("end: 2027-12-31, review", "end: 2027-05-31, review")  # KPI302 by today
    kpis += '  - {id: retweets, name: Retweets, goal: g, owner: "@x"}\n'  # KPI601, KPI106
    files = {where: text, "owners.txt": "o\n", "sub/a.kpi.yaml": kpis}
    root = write_project({**files, "sub/archive/old.kpi.yaml": "kpis: [\n"})  # excluded
    if where != "kpilint.toml":
        (root / "kpilint.toml").unlink()
    want = [
        ("KPI104", 6, 5, "error"),  # [severity] by name
        ("KPI302", 11, 5, "warning"),  # today = 2027-06-01
        ("KPI101", 12, 6, "error"),
        ("KPI102", 12, 6, "error"),
        ("KPI601", 12, 6, "info"),  # extend-terms, and [severity] by code
        ("KPI106", 12, 45, "warning"),  # owners; KPI105 ignored, KPI001 excluded
    ]
    for code, output in both(["check", "--format", "json", "sub"], root, monkeypatch):
        assert code == 1
        findings = json.loads(output)["findings"]
        assert [(f["code"], f["line"], f["column"], f["severity"]) for f in findings] == want


def test_an_unknown_config_key_in_pyproject_is_exit_2_with_did_you_mean(
    write_project: WriteProject,
) -> None:
    root = write_project(
        {"pyproject.toml": "[tool.kpilint]\nfial-on = 'never'\n", "a.kpi.yaml": CLEAN}
    )
    (root / "kpilint.toml").unlink()
    run = run_kpilint(["check", "."], root)
    assert run.returncode == 2
    assert "fail-on" in run.stderr and "fial-on" in run.stderr


def test_text_lines_are_path_line_col_code_severity_message_then_the_fix(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project({"kpis/a.kpi.yaml": CLEAN.replace("goal: g", "goal: nope")})
    for code, output in both(["check", *TODAY, "--select", "KPI006", "kpis"], root, monkeypatch):
        assert code == 1
        lines = output.splitlines()
        assert re.fullmatch(r"kpis/a\.kpi\.yaml:8:5: KPI006 \[error\] .*nope.*", lines[0])
        assert lines[1].strip() and lines[1].startswith(" ")  # the fix, beneath
