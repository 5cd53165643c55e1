"""Known findings: recorded without lines, hidden later, stale entries listed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import WriteProject, invoke_in

LEGACY = """\
kpis:
  - id: a
    name: A
  - id: b
    name: B
"""


def run(root: Path, *args: str) -> tuple[int, str]:
    return invoke_in(root, "check", "--today", "2027-06-01", *args)


def test_write_then_check_is_clean_and_survives_moved_lines(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": LEGACY})
    code, out = run(root, "--write-known", "known.json")
    assert code == 0 and "recorded" in out
    data = json.loads((root / "known.json").read_text())
    assert data["version"] == 1
    assert all("line" not in e for e in data["findings"])
    assert {
        "code": "KPI101",
        "path": "a.kpi.yaml",
        "entity": {"kind": "kpi", "id": "a"},
        "key": None,
        "count": 1,
    } in data["findings"]
    (root / "a.kpi.yaml").write_text("# moved\n\n" + LEGACY)
    assert run(root, "--known", "known.json")[0] == 0


def test_new_finding_is_reported(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": LEGACY})
    run(root, "--write-known", "known.json")
    (root / "a.kpi.yaml").write_text(LEGACY + "  - id: c\n    name: C\n")
    code, out = run(root, "--known", "known.json")
    assert code == 1
    assert "a.kpi.yaml:6:5: KPI101" in out  # the appended `- id: c`
    assert "KPI 'c' has no target" in out and "KPI 'a'" not in out


def test_fixed_findings_are_listed_as_stale(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": LEGACY})
    run(root, "--write-known", "known.json")
    (root / "a.kpi.yaml").write_text("kpis:\n  - id: a\n    name: A\n")
    code, out = run(root, "--known", "known.json")
    assert code == 0
    assert "known finding no longer occurs: KPI101 a.kpi.yaml kpi 'b' (x1)" in out


@pytest.mark.parametrize("content", [None, "not json", '{"version": 9}'])
def test_bad_known_file_is_exit_2(write_project: WriteProject, content: str | None) -> None:
    root = write_project({"a.kpi.yaml": LEGACY})
    if content is not None:
        (root / "known.json").write_text(content)
    code, out = run(root, "--known", "known.json")
    assert code == 2 and "known" in out and len(out.strip().splitlines()) == 1


BAD_ENTRIES = [
    {"code": "KPI101", "path": "a.kpi.yaml", "count": 1e999},
    {"code": "KPI101", "path": "a.kpi.yaml", "count": "2"},
    {"code": "KPI101", "path": "a.kpi.yaml", "count": True},
    {"code": 101, "path": "a.kpi.yaml"},
    {"code": ["KPI101"], "path": "a.kpi.yaml"},
    {"code": "KPI101", "path": None},
    {"code": "KPI101", "path": "a.kpi.yaml", "entity": "kpi"},
    {"code": "KPI101", "path": "a.kpi.yaml", "entity": {"kind": 1, "id": "a"}},
    [["KPI101"]],
    "KPI101",
]


def test_bad_entries_are_misses_not_crashes(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": LEGACY})
    run(root, "--write-known", "known.json")
    data = json.loads((root / "known.json").read_text())
    good = data["findings"]
    data["findings"] = BAD_ENTRIES + good
    (root / "known.json").write_text(json.dumps(data))
    code, out = run(root, "--known", "known.json")
    assert code == 0, out
    warnings = [line for line in out.splitlines() if line.startswith("kpilint: warning:")]
    assert len(warnings) == len(BAD_ENTRIES)
    assert warnings[0] == (
        "kpilint: warning: known.json: entry 1 ignored: 'count' is not a whole number of at least 1"
    )


def test_deeply_nested_known_file_is_exit_2(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": LEGACY})
    deep = "[" * 200_000 + "]" * 200_000
    (root / "known.json").write_text('{"version": 1, "findings": [' + deep + "]}")
    code, out = run(root, "--known", "known.json")
    assert code == 2 and "nested too deeply" in out and len(out.strip().splitlines()) == 1


TWO_FILES = {
    "a.kpi.yaml": LEGACY,
    "b.kpi.yaml": LEGACY.replace("id: a", "id: c").replace("id: b", "id: d"),
}


def test_a_partial_run_lists_no_stale_entries_of_files_it_did_not_read(
    write_project: WriteProject,
) -> None:
    root = write_project(TWO_FILES)
    run(root, "--write-known", "known.json")
    code, out = run(root, "--known", "known.json", "a.kpi.yaml")
    assert code == 0
    assert "no longer occurs" not in out  # b.kpi.yaml's entries were not looked at
    (root / "a.kpi.yaml").write_text("kpis:\n  - id: a\n    name: A\n")
    code, out = run(root, "--known", "known.json", "a.kpi.yaml")
    assert "known finding no longer occurs: KPI101 a.kpi.yaml kpi 'b' (x1)" in out
    assert "b.kpi.yaml" not in out


def test_write_known_on_a_partial_run_rewrites_only_the_named_files(
    write_project: WriteProject,
) -> None:
    root = write_project(TWO_FILES)
    run(root, "--write-known", "known.json")
    before = json.loads((root / "known.json").read_text())["findings"]
    (root / "a.kpi.yaml").write_text("kpis:\n  - id: a\n    name: A\n")
    code, out = run(root, "--write-known", "known.json", "a.kpi.yaml")
    assert code == 0 and "entries of files not in this run kept" in out
    after = json.loads((root / "known.json").read_text())["findings"]
    assert [e for e in after if e["path"] == "b.kpi.yaml"] == [
        e for e in before if e["path"] == "b.kpi.yaml"
    ]
    assert {e["entity"]["id"] for e in after if e["path"] == "a.kpi.yaml"} == {"a"}
    assert run(root, "--known", "known.json")[0] == 0


def test_write_known_on_a_whole_run_drops_entries_of_deleted_files(
    write_project: WriteProject,
) -> None:
    root = write_project(TWO_FILES)
    run(root, "--write-known", "known.json")
    (root / "b.kpi.yaml").unlink()
    run(root, "--write-known", "known.json")
    paths = {e["path"] for e in json.loads((root / "known.json").read_text())["findings"]}
    assert paths == {"a.kpi.yaml"}
