"""``kpilint check --add-noqa``: a TODO suppression for every finding, once."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import WriteProject, invoke_in, run_kpilint

BEFORE = """\
goals:
  - id: arr-2027
    name: ARR 2027
    period: {start: 2027-01-01, end: 2027-12-31}
kpis:
  - id: mrr  # kpilint: ignore[KPI102] the deadline comes from finance
    name: MRR
    goal: arr-2027
    timeline: {start: 2027-01-01, end: 2028-03-31}\t
  - id: social-followers   # brand team
    name: Social followers
"""

AFTER = """\
goals:
  - id: arr-2027
    name: ARR 2027
    period: {start: 2027-01-01, end: 2027-12-31}
kpis:
  - id: mrr  # kpilint: ignore[KPI102, KPI101, KPI104, KPI105] the deadline comes from finance
    name: MRR
    goal: arr-2027
    timeline: {start: 2027-01-01, end: 2028-03-31}  # kpilint: ignore[KPI305] TODO
  - id: social-followers   # brand team  # kpilint: ignore[KPI101, KPI102, KPI103, KPI104, KPI105, KPI601] TODO
    name: Social followers
"""  # noqa: E501


def check(root: Path, *args: str) -> tuple[int, str]:
    return invoke_in(root, "check", "--today", "2027-06-01", "--no-cache", *args, ".")


def test_adds_merges_and_is_idempotent(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": BEFORE})
    code, output = check(root, "--add-noqa")
    assert code == 0
    assert "Added 3 suppressions to 1 file." in output
    assert (root / "a.kpi.yaml").read_text() == AFTER
    code, output = check(root, "--add-noqa")
    assert code == 0 and "Added 0 suppressions to 0 files." in output
    assert (root / "a.kpi.yaml").read_text() == AFTER
    code, output = check(root, "--format", "json")
    # Everything is silenced; the TODO reasons are KPI009 until someone writes them.
    rows = [(f["code"], f["line"], f["column"]) for f in json.loads(output)["findings"]]
    assert rows == [("KPI009", 9, 53), ("KPI009", 10, 42)]


def test_keeps_crlf_bom_and_mode(write_project: WriteProject) -> None:
    root = write_project({})
    path = root / "a.kpi.yaml"
    path.write_bytes(b"\xef\xbb\xbfkpis:\r\n  - id: a\r\n    name: A\r\n")
    path.chmod(0o640)
    code, output = invoke_in(root, "check", "--select", "KPI104", "--add-noqa", ".")
    assert code == 0, output
    assert path.read_bytes() == (
        b"\xef\xbb\xbfkpis:\r\n  - id: a  # kpilint: ignore[KPI104] TODO\r\n    name: A\r\n"
    )
    assert path.stat().st_mode & 0o777 == 0o640


def test_a_line_that_continues_a_string_is_left_alone(write_project: WriteProject) -> None:
    text = 'kpis:\n  - id: a\n    name: A\n    owner: x\n    descripton: "two\n      lines"\n'
    root = write_project({"a.kpi.yaml": text})
    code, output = invoke_in(root, "check", "--select", "KPI003", "--add-noqa", ".")
    assert code == 0
    assert "no suppressions added to a.kpi.yaml: a comment there would change its data" in output
    assert (root / "a.kpi.yaml").read_text() == text


def test_malformed_comments_and_expired_waivers_are_not_extended(
    write_project: WriteProject,
) -> None:
    text = (
        "kpis:\n"
        "  - id: a  # kpilint: ignore[KPI3O5] typo\n"
        "    name: A\n"
        "  - id: b  # kpilint: ignore[KPI101] until 2027-01-31: old waiver\n"
        "    name: B\n"
    )
    root = write_project({"a.kpi.yaml": text})
    code, output = check(root, "--select", "KPI104,KPI101", "--add-noqa")
    assert code == 0 and "Added 0 suppressions" in output
    assert (root / "a.kpi.yaml").read_text() == text


def test_refuses_fix_diff_and_stdin(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": BEFORE})
    for extra in (["--fix"], ["--diff"]):
        code, output = invoke_in(root, "check", "--add-noqa", *extra, ".")
        assert code == 2 and "--add-noqa" in output
    assert (root / "a.kpi.yaml").read_text() == BEFORE


def test_as_a_real_process(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": BEFORE})
    done = run_kpilint(["check", "--today", "2027-06-01", "--add-noqa", "."], root)
    assert done.returncode == 0, done.stderr
    assert (root / "a.kpi.yaml").read_text() == AFTER
