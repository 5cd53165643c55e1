"""The worked example in ../shared/spec gives exactly its expected findings."""

from __future__ import annotations

import json
import os
from datetime import date

import pytest
from click.testing import CliRunner

from kpilint import lint
from kpilint.cli import cli
from tests.conftest import NO_SPEC, SPEC_EXAMPLE

pytestmark = pytest.mark.skipif(not SPEC_EXAMPLE.is_dir(), reason=NO_SPEC)

KEYS = ("code", "name", "severity", "path", "line", "column", "entity")


def _expected() -> list[tuple[object, ...]]:
    data = json.loads((SPEC_EXAMPLE / "expected.json").read_text())
    return [tuple(json.dumps(f[k]) for k in KEYS) for f in data["findings"]]


def test_library_gives_expected_findings() -> None:
    report = lint([SPEC_EXAMPLE], today=date(2027, 6, 1), cwd=SPEC_EXAMPLE)
    got = [
        (
            f.code,
            f.name,
            f.severity,
            f.path,
            f.line,
            f.column,
            {"kind": f.entity.kind, "id": f.entity.id} if f.entity else None,
        )
        for f in report.findings
    ]
    assert [tuple(json.dumps(v) for v in row) for row in got] == _expected()


def test_cli_json_report_matches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SPEC_EXAMPLE)
    result = CliRunner().invoke(cli, ["check", "--today", "2027-06-01", "--format", "json", "."])
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    assert [tuple(json.dumps(f[k]) for k in KEYS) for f in data["findings"]] == _expected()
    for finding in data["findings"]:
        assert finding["message"] and finding["fix"]["description"]
        assert finding["fix"]["applicability"] in ("safe", "unsafe", "none")
    assert data["summary"] == {
        "files": 1,
        "goals": 1,
        "metrics": 2,
        "kpis": 4,
        "incentives": 1,
        "error": 5,
        "warning": 3,
        "info": 1,
    }
    assert os.path.samefile(os.getcwd(), SPEC_EXAMPLE)  # the CLI never changes directory
