"""The open-sdg preset declares its site's actuals itself (SOURCES.md, ACTUALS.md):
``check --from open-sdg SITE`` reads ``data/indicator_*.csv``. Real ``kpilint`` processes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import NO_CORPORA, WriteProject, run_kpilint
from tests.test_actuals_progress import CANADA, _canada_cases

META = """---
indicator_name: Poverty rate
progress_calculation_options:
  - direction: negative
    target: 5
    unit: Percent
    base_year: 2016
    target_year: 2030
periodicity: Annual
---
"""
CHECK = ("check", "--no-cache", "--from", "open-sdg", "--today", "2026-12-06", "--format", "json")
DATA = "Year,Units,Value\n2015,Percent,40\n2016,Percent,30\n2025,Percent,29\n2025,Number,1\n"


def _check(root: Path, *args: str) -> tuple[int, dict[str, Any]]:
    done = run_kpilint([*CHECK, *args], root)
    assert "Traceback" not in done.stderr
    return done.returncode, json.loads(done.stdout)


def test_the_sites_data_are_its_actuals(write_project: WriteProject) -> None:
    root = write_project({"site/meta/1-1-1.md": META, "site/data/indicator_1-1-1.csv": DATA})
    code, report = _check(root, "site")
    assert code == 0  # warnings only
    off = [(f["code"], f["path"], f["line"], f["column"]) for f in report["findings"]]
    assert ("KPI903", "site/meta/1-1-1.md", 5, 5) in off  # key target of the progress entry
    assert not [f for f in report["findings"] if f["code"] in ("KPI901", "KPI902")]
    (record,) = report["progress"]
    assert record["kpi"] == "1-1-1" and record["status"] == "limited_progress"
    # base_year 2016 is timeline.start: the base is 2016's 30, not 2015's 40; the
    # Number row is outside the entry's unit, so 29 stays the current value
    assert record["base"] == {"date": "2016-12-31", "value": 30.0}
    assert record["current"] == {"date": "2025-12-31", "value": 29.0}
    assert record["target"] == {"date": "2030-12-31", "value": 5.0}


def test_a_status_set_by_hand_is_reported_as_set(write_project: WriteProject) -> None:
    meta = META.replace(
        "---\nindicator_name",
        "---\nauto_progress_calculation: false\n"
        "progress_status: substantial_progress\nindicator_name",
    )
    root = write_project({"site/meta/1-1-1.md": meta, "site/data/indicator_1-1-1.csv": DATA})
    _, report = _check(root, "site")
    (record,) = report["progress"]
    assert (record["status"], record["p"], record["reason"]) == (
        "substantial_progress",
        None,
        "set by hand",
    )
    assert record["current"] == {"date": "2025-12-31", "value": 29.0}
    assert not [f for f in report["findings"] if f["code"] == "KPI903"]  # not off track


def test_a_site_without_data_declares_no_actuals(write_project: WriteProject) -> None:
    root = write_project({"site/meta/1-1-1.md": META})
    _, report = _check(root, "site")
    assert "progress" not in report
    assert not [f for f in report["findings"] if f["code"].startswith("KPI9")]


@pytest.mark.skipif(not CANADA.is_dir(), reason=NO_CORPORA)
def test_statistics_canada_progress_through_the_preset(tmp_path: Path) -> None:
    """Every indicator with one progress entry holding a target: the site's own status and p."""
    _, report = _check(tmp_path, str(CANADA))
    got = {r["kpi"]: r for r in report["progress"]}
    compared = 0
    for ident, _option, want in _canada_cases():
        if want is None:  # 16-9-1: a status set by hand, no computed record
            record = got[ident]
            assert (ident, record["status"], record["p"], record["reason"]) == (
                "16-9-1",
                "target_achieved",
                None,
                "set by hand",
            )
            continue
        record = got[ident]
        assert record["status"] == want["status"], ident
        if want["progress_value"] is None:
            assert record["p"] is None, ident
        else:
            assert record["p"] == pytest.approx(want["progress_value"], abs=1e-6), ident
        compared += 1
    assert compared == 46
