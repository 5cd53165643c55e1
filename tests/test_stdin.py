"""`kpilint check --stdin-filename F -`: stdin linted as F, the rest of the project from disk."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kpilint.cli import cli
from tests.conftest import REPO, WriteProject

GOALS = """
goals:
  - id: arr
    name: ARR
    kind: revenue
"""
KPI = """\
kpis:
  - id: k
    name: MRR
    goal: arr
    targett: {value: 5}
"""


def invoke(root: Path, args: list[str], stdin: bytes, monkeypatch: pytest.MonkeyPatch) -> Result:
    monkeypatch.chdir(root)
    return CliRunner().invoke(cli, ["check", "--today", "2027-06-01", *args], input=stdin)


def codes(stdout: str) -> list[tuple[str, str, int, int]]:
    return [(f["code"], f["path"], f["line"], f["column"]) for f in json.loads(stdout)["findings"]]


def test_stdin_is_linted_as_the_named_file_with_the_project_from_disk(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project({"goals.kpi.yaml": GOALS, "kpis/a.kpi.yaml": "kpis: []\n"})
    text = KPI.replace("goal: arr", "goal: arx")
    result = invoke(
        root,
        ["--format", "json", "--stdin-filename", "kpis/a.kpi.yaml", "-"],
        text.encode(),
        monkeypatch,
    )
    assert result.exit_code == 1
    found = codes(result.stdout)
    # the goal comes from goals.kpi.yaml on disk; the KPI from stdin, not from kpis/a.kpi.yaml
    assert ("KPI006", "kpis/a.kpi.yaml", 4, 5) in found
    assert ("KPI003", "kpis/a.kpi.yaml", 5, 5) in found
    assert {path for _, path, _, _ in found} == {"kpis/a.kpi.yaml"}


def test_the_file_need_not_exist_and_its_goal_resolves(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project({"goals.kpi.yaml": GOALS})
    result = invoke(
        root, ["--format", "json", "--stdin-filename", "new.kpi.yaml"], KPI.encode(), monkeypatch
    )
    found = codes(result.stdout)
    assert ("KPI003", "new.kpi.yaml", 5, 5) in found
    assert not any(code == "KPI006" for code, *_ in found)
    assert not (root / "new.kpi.yaml").exists()


def test_fix_prints_the_fixed_text_and_reports_on_stderr(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project({"goals.kpi.yaml": GOALS})
    on_disk = "kpis: []\n"
    (root / "a.kpi.yaml").write_text(on_disk)
    result = invoke(
        root, ["--fix", "--stdin-filename", "a.kpi.yaml", "-"], KPI.encode(), monkeypatch
    )
    assert result.stdout == KPI.replace("targett:", "target:")
    assert "Fixed 1 finding." in result.stderr
    assert "a.kpi.yaml:2:5: KPI102 [error]" in result.stderr
    assert result.exit_code == 1
    assert (root / "a.kpi.yaml").read_text() == on_disk  # nothing written


def test_fix_keeps_a_bom_and_passes_text_it_cannot_fix_through(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project({"goals.kpi.yaml": GOALS})
    bom = b"\xef\xbb\xbf" + KPI.encode()
    result = invoke(root, ["--fix", "--stdin-filename", "a.kpi.yaml", "-"], bom, monkeypatch)
    assert result.stdout_bytes == b"\xef\xbb\xbf" + KPI.replace("targett:", "target:").encode()
    bad = b"kpis:\n  - id: \xff\n"
    result = invoke(root, ["--fix", "--stdin-filename", "a.kpi.yaml", "-"], bad, monkeypatch)
    assert result.stdout_bytes == bad
    assert "a.kpi.yaml:2:9: KPI001 [error] not UTF-8" in result.stderr
    assert result.exit_code == 1


def test_diff_prints_the_fix_and_writes_nothing(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project({"goals.kpi.yaml": GOALS})
    result = invoke(
        root, ["--diff", "--stdin-filename", "a.kpi.yaml", "-"], KPI.encode(), monkeypatch
    )
    assert "-    targett: {value: 5}\n+    target: {value: 5}\n" in result.stdout
    assert result.stdout.startswith("--- a/a.kpi.yaml\n+++ b/a.kpi.yaml\n")
    assert result.exit_code == 1
    assert not (root / "a.kpi.yaml").exists()


def test_invalid_yaml_on_stdin_is_kpi001_at_the_parser_position(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project({"goals.kpi.yaml": GOALS})
    result = invoke(
        root, ["--format", "json", "--stdin-filename", "a.kpi.yaml", "-"], b"kpis: [\n", monkeypatch
    )
    assert codes(result.stdout) == [("KPI001", "a.kpi.yaml", 2, 1)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-"], "needs --stdin-filename"),
        (["--stdin-filename", "a.kpi.yaml", "-", "goals.kpi.yaml"], "the only PATH is '-'"),
        (["--stdin-filename", ".", "-"], "must name a file"),
        (["--from", "csv", "--stdin-filename", "a.csv", "-"], "does not combine with --from"),
    ],
)
def test_misuse_is_exit_2(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    root = write_project({"goals.kpi.yaml": GOALS})
    result = invoke(root, args, b"kpis: []\n", monkeypatch)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1


STDIN = ("--stdin-filename", "sub/a.kpi.yaml", "-")


@pytest.mark.slow
def test_stdin_as_a_real_process(write_project: WriteProject) -> None:
    root = write_project({"goals.kpi.yaml": GOALS})
    proc = subprocess.run(
        [sys.executable, "-m", "kpilint", "check", "--today", "2027-06-01", "--fix", *STDIN],
        cwd=root,
        input=KPI.encode(),
        capture_output=True,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert proc.stdout == KPI.replace("targett:", "target:").encode()
    assert b"sub/a.kpi.yaml:2:5: KPI102" in proc.stderr
    assert proc.returncode == 1
