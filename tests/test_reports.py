"""Report formats, snapshot-tested from one fixture project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kpilint import lint
from kpilint.findings import Report
from kpilint.reporters import FORMATS, RenderOptions, get
from tests.snapshot import assert_snapshot

FIXTURE = Path(__file__).parent / "fixtures" / "snapshot"


@pytest.fixture(scope="module")
def report() -> Report:
    return lint([FIXTURE], cwd=FIXTURE)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_format_snapshot(report: Report, fmt: str) -> None:
    assert_snapshot(f"check.{fmt}", get(fmt)(report, RenderOptions()))


def test_text_colour_only_when_asked(report: Report) -> None:
    assert "\x1b[" not in get("text")(report, RenderOptions(color=False))
    assert "\x1b[31;1mKPI101 [error]\x1b[0m" in get("text")(report, RenderOptions(color=True))


def test_json_shape_is_the_spec(report: Report) -> None:
    data = json.loads(get("json")(report, RenderOptions()))
    assert list(data) == ["version", "findings", "summary"]
    assert data["version"] == 1
    for f in data["findings"]:
        assert list(f) == [
            "code",
            "name",
            "severity",
            "path",
            "line",
            "column",
            "entity",
            "message",
            "fix",
        ]
        assert list(f["fix"]) == ["description", "applicability"]
    keys = [(f["path"], f["line"], f["column"], f["code"]) for f in data["findings"]]
    assert keys == sorted(keys)
    assert list(data["summary"]) == [
        "files",
        "goals",
        "metrics",
        "kpis",
        "incentives",
        "error",
        "warning",
        "info",
    ]


def test_empty_report_text() -> None:
    assert (
        get("text")(Report(), RenderOptions()) == "All checks passed: 0 files, 0 KPIs, 0 goals.\n"
    )


def test_fingerprints_ignore_line_numbers(tmp_path: Path) -> None:
    text = (FIXTURE / "team.kpi.yaml").read_text()
    (tmp_path / "kpilint.toml").write_text("today = 2027-06-01\n")
    (tmp_path / "team.kpi.yaml").write_text(text)
    before = {(f.code, f.fingerprint) for f in lint([tmp_path], cwd=tmp_path).findings}
    (tmp_path / "team.kpi.yaml").write_text("# a comment\n\n\n" + text)
    after = lint([tmp_path], cwd=tmp_path).findings
    assert {(f.code, f.fingerprint) for f in after} == before
    assert len({f.fingerprint for f in after}) == len(after)
