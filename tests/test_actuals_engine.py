"""Actuals in a run (ACTUALS.md): the config's globs, unreadable and refused files, the
KPI905 fix, and a project without actuals untouched. Real ``kpilint`` processes."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from tests.conftest import WriteProject, git, modules_after, run_kpilint

CONFIG = '[[actuals]]\ninclude = ["actuals/*.csv"]\n'
KPIS = """
kpis:
  - id: signups
    name: Monthly signups
    target: {change: 20, unit: "%", direction: increase, baseline: 800}
    timeline: {start: 2027-01-01, end: 2027-12-31, review: monthly}
"""


def _findings(root: Path, *args: str) -> tuple[int, list[tuple[str, str, int, int]], str]:
    done = run_kpilint(
        ["check", "--no-cache", "--today", "2027-06-01", "--format", "json", *args], root
    )
    report = json.loads(done.stdout) if done.stdout.strip() else {"findings": []}
    rows = [(f["code"], f["path"], f["line"], f["column"]) for f in report["findings"]]
    return done.returncode, rows, done.stderr


def test_a_glob_that_finds_nothing_is_exit_2(write_project: WriteProject) -> None:
    root = write_project({"kpilint.toml": CONFIG, "a.kpi.yaml": KPIS})
    done = run_kpilint(["check", "--no-cache"], root)
    assert done.returncode == 2
    assert "actuals[1]" in done.stderr and "actuals/*.csv" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_unreadable_actuals_file_is_kpi001(write_project: WriteProject) -> None:
    root = write_project({"kpilint.toml": CONFIG, "a.kpi.yaml": KPIS})
    (root / "actuals").mkdir()
    (root / "actuals" / "bad.csv").write_bytes(b"kpi,date,value\nsignups,2027-01,\xff\n")
    code, rows, _ = _findings(root, "--select", "KPI001,KPI9")
    assert code == 1
    assert rows == [("KPI001", "actuals/bad.csv", 1, 1)]


def test_a_file_outside_the_root_or_a_fifo_is_never_read(
    write_project: WriteProject, tmp_path: Path
) -> None:
    root = write_project({"kpilint.toml": CONFIG, "a.kpi.yaml": KPIS})
    (root / "actuals").mkdir()
    secret = tmp_path / "secret.csv"
    secret.write_text("kpi,date,value\nsignups,2027-13,1\n")
    (root / "actuals" / "leak.csv").symlink_to(secret)
    os.mkfifo(root / "actuals" / "pipe.csv")
    (root / "actuals" / "ok.csv").write_text("kpi,date,value\nsignups,2027-01,bad\n")
    _code, rows, stderr = _findings(root, "--select", "KPI906")
    assert rows == [("KPI906", "actuals/ok.csv", 2, 1)]
    assert "not read actuals/leak.csv: it resolves outside the project root" in stderr
    assert "not read actuals/pipe.csv: it is a FIFO" in stderr


def test_kpi905_fix_sets_the_baseline(write_project: WriteProject) -> None:
    root = write_project({"kpilint.toml": CONFIG, "a.kpi.yaml": KPIS})
    (root / "actuals").mkdir()
    (root / "actuals" / "k.csv").write_text("kpi,date,value\nsignups,2027-01,1000\n")
    rows = _findings(root, "--select", "KPI905")[1]
    assert rows == [("KPI905", "a.kpi.yaml", 4, 58)]
    done = run_kpilint(
        ["check", "--no-cache", "--today", "2027-06-01", "--select", "KPI905", "--fix"], root
    )
    assert "baseline: 800}" in (root / "a.kpi.yaml").read_text()  # unsafe: not by --fix alone
    done = run_kpilint(
        [
            "check",
            "--no-cache",
            "--today",
            "2027-06-01",
            "--select",
            "KPI905",
            "--fix",
            "--unsafe-fixes",
        ],
        root,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    text = (root / "a.kpi.yaml").read_text()
    assert 'target: {change: 20, unit: "%", direction: increase, baseline: 1000}' in text


def test_a_named_kpi_file_does_not_report_the_actuals_file(write_project: WriteProject) -> None:
    root = write_project({"kpilint.toml": CONFIG, "a.kpi.yaml": KPIS})
    (root / "actuals").mkdir()
    (root / "actuals" / "k.csv").write_text("kpi,date,value\nsignups,2027-01,x\n")
    assert _findings(root, "--select", "KPI906", "a.kpi.yaml")[1] == []
    assert _findings(root, "--select", "KPI906", "actuals/k.csv")[1] == [
        ("KPI906", "actuals/k.csv", 2, 1)
    ]


CHURN = """
kpis:
  - id: churn
    name: Churn
    target: {value: 3, unit: "%", direction: decrease}
    timeline: {start: 2024-01-01, end: 2028-12-31, review: annually}
  - id: text
    name: Text
    target: between 3 and 5
"""


def _json(root: Path, command: str, *args: str) -> Any:
    done = run_kpilint([command, "--today", "2027-06-01", "--format", "json", *args], root)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def test_progress_list_in_check_and_audit_and_the_cache(write_project: WriteProject) -> None:
    root = write_project({"kpilint.toml": CONFIG, "a.kpi.yaml": CHURN})
    (root / "actuals").mkdir()
    csv = root / "actuals" / "k.csv"
    csv.write_text("kpi,date,value\nchurn,2024,5.0\nchurn,2026,4.9\n")
    g_o = (4.9 / 5.0) ** (1 / 2) - 1
    g_r = (3 / 5.0) ** (1 / 4) - 1
    first = {
        "kpi": "churn",
        "status": "limited_progress",
        "p": -g_o / abs(g_r),
        "base": {"date": "2024-12-31", "value": 5.0},
        "current": {"date": "2026-12-31", "value": 4.9},
        "target": {"date": "2028-12-31", "value": 3.0},
        "reason": None,
    }
    for _ in range(2):  # the second run is the cache's
        got = _json(root, "check")["progress"]
        assert isinstance(got, list) and len(got) == 1
        assert got[0] == {**first, "p": got[0]["p"]}
        assert abs(got[0]["p"] - first["p"]) < 1e-12
    csv.write_text("kpi,date,value\nchurn,2024,5.0\nchurn,2026,3.1\n")  # the cache must see it
    after = _json(root, "check")
    assert [r["status"] for r in after["progress"]] == ["substantial_progress"]
    assert [r["status"] for r in _json(root, "audit")["progress"]] == ["substantial_progress"]


def test_no_progress_list_without_actuals(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": CHURN})
    assert "progress" not in _json(root, "check", "--no-cache")
    assert "progress" not in _json(root, "audit")


TWO = {
    "a.kpi.yaml": CHURN,
    "b.kpi.yaml": (
        "kpis:\n  - id: nps\n    name: NPS\n    target: {value: 50, direction: increase}\n"
        "    timeline: {start: 2024-01-01, end: 2028-12-31, review: annually}\n"
    ),
}


def _repo(tmp_path: Path, csv: str) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    (root / "kpilint.toml").write_text(CONFIG)
    (root / "actuals").mkdir()
    (root / "actuals" / "k.csv").write_text(csv)
    for name, text in TWO.items():
        (root / name).write_text(text.lstrip("\n"))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "on track")
    return root


def test_impact_of_a_changed_actuals_file(tmp_path: Path) -> None:
    """Naming only the actuals file reports the KPI it put off track, in a file not named."""
    root = _repo(
        tmp_path, "kpi,date,value\nchurn,2024,5\nchurn,2026,3.5\nnps,2024,20\nnps,2026,10\n"
    )
    (root / "actuals" / "k.csv").write_text(
        "kpi,date,value\nchurn,2024,5\nchurn,2026,4.9\nnps,2024,20\nnps,2026,10\n"
    )
    done = run_kpilint(
        [
            "check",
            "--no-cache",
            "--today",
            "2027-06-01",
            "--select",
            "KPI903",
            "--format",
            "json",
            "actuals/k.csv",
        ],
        root,
    )
    found = json.loads(done.stdout)["findings"]
    # nps was off track before the change: not its impact
    assert [(f["code"], f["path"], f["line"], f["column"]) for f in found] == [
        ("KPI903", "a.kpi.yaml", 4, 5)
    ]
    assert found[0]["message"].endswith("(caused by your change to actuals/k.csv)")


def test_naming_a_kpi_file_keeps_old_progress_findings_elsewhere_quiet(tmp_path: Path) -> None:
    root = _repo(
        tmp_path, "kpi,date,value\nchurn,2024,5\nchurn,2026,4.9\nnps,2024,20\nnps,2026,10\n"
    )
    (root / "b.kpi.yaml").write_text(TWO["b.kpi.yaml"].replace("name: NPS", "name: Net promoter"))
    done = run_kpilint(
        [
            "check",
            "--no-cache",
            "--today",
            "2027-06-01",
            "--select",
            "KPI903",
            "--format",
            "json",
            "b.kpi.yaml",
        ],
        root,
    )
    found = json.loads(done.stdout)["findings"]
    assert [(f["code"], f["path"]) for f in found] == [("KPI903", "b.kpi.yaml")]


def _diff_rows(root: Path, *revs: str) -> list[tuple[str, str, int, int]]:
    done = run_kpilint(
        ["diff", *revs, "--today", "2027-06-01", "--select", "KPI9", "--format", "json"], root
    )
    assert done.returncode in (0, 1), done.stderr
    return [
        (f["code"], f["path"], f["line"], f["column"]) for f in json.loads(done.stdout)["findings"]
    ]


def test_diff_reads_each_side_s_actuals(tmp_path: Path) -> None:
    """The findings new at head come from head's actuals; base's come from its own tree."""
    root = _repo(
        tmp_path, "kpi,date,value\nchurn,2024,5\nchurn,2026,3.5\nnps,2024,20\nnps,2026,10\n"
    )
    csv = root / "actuals" / "k.csv"
    csv.write_text(
        "kpi,date,value\nchurn,2024,5\nchurn,2026,4.9\nnps,2024,20\nnps,2026,10\nx,1,2\n"
    )
    expected = [("KPI903", "a.kpi.yaml", 4, 5), ("KPI906", "actuals/k.csv", 6, 1)]
    assert _diff_rows(root, "HEAD") == expected  # the work tree
    git(root, "commit", "-q", "-am", "off track")
    assert _diff_rows(root, "HEAD~1", "HEAD") == expected  # two trees
    assert _diff_rows(root, "HEAD", "HEAD~1") == []


def test_init_writes_a_commented_actuals_example_that_works(tmp_path: Path) -> None:
    assert run_kpilint(["init"], tmp_path).returncode == 0
    config = (tmp_path / "kpilint.toml").read_text(encoding="utf-8")
    assert '\n# [[actuals]]\n# include = ["actuals/*.csv"]\n' in config
    # Uncommented, the example is a valid declaration.
    lines = config.split("\n")
    at = lines.index("# [[actuals]]")
    table = [line[2:] for line in lines[at : at + 4]]
    (tmp_path / "kpilint.toml").write_text("\n".join(table) + "\n", encoding="utf-8")
    (tmp_path / "actuals").mkdir()
    (tmp_path / "actuals" / "a.csv").write_text("kpi,month,amount\nnope,2020-01,1\n")
    done = run_kpilint(["check", "--no-cache", "--select", "KPI906"], tmp_path)
    assert done.returncode == 1, done.stderr
    assert "actuals/a.csv:2:1: KPI906" in done.stdout


def test_a_check_without_actuals_imports_none_of_their_code(write_project: WriteProject) -> None:
    """ACTUALS.md: a project without actuals pays nothing (only the rules' module loads)."""
    code = (
        "from kpilint.cli import main\nsys.argv = ['kpilint', 'check', '--no-cache', '.']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
    )
    loaded = modules_after(code, write_project({"a.kpi.yaml": CHURN}))
    assert "kpilint.checks.actuals" in loaded  # the rules ran
    assert sorted(m for m in loaded if m.startswith("kpilint.actuals")) == []
    assert "csv" not in loaded
