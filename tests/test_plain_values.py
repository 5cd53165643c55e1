"""No Python repr reaches a user: dates, times, floats, booleans and nulls in any key
are shown as the file writes them (issue 23), in every message and fix."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from kpilint.cli import cli
from kpilint.model import SECTIONS, Period, TargetSpec, Timeline, known_keys
from kpilint.quoting import quote
from tests.conftest import WriteProject

# What Python's repr writes and no KPI file or config does.
PYTHON = re.compile(
    r"datetime\.|\bdate\(|\btime\(|timezone\.|\bNone\b|\bTrue\b|\bFalse\b|(?:^|[\s(\[{,:])b'|"
    r"Decimal\(|Fraction\(|\\x[0-9a-f]{2}"
)
# YAML scalars that load as non-strings, each written as a user might.
ODD = [
    "2027-01-01 10:00:00",
    "2027-01-01T10:00:00Z",
    "2027-01-01",
    "12:30:00",
    "3.0e-7",
    "1.5e300",
    ".inf",
    "true",
    "null",
    "[1.5, 2027-01-01, 2027-01-01 10:00:00]",
    "{a: 2027-01-01, b: 2.5}",
]


# Keys that hold a mapping of their own, and that mapping's keys.
NESTED = {
    "period": known_keys(Period),
    "target": known_keys(TargetSpec),
    "timeline": known_keys(Timeline),
}


def _fixture() -> dict[str, str]:
    """One file per key (a file lists at most 1,000 findings), each value in it."""
    files = {}
    for section, model in SECTIONS.items():
        for key in known_keys(model):
            lines = [f"{section}:"]
            for n, odd in enumerate(ODD):
                lines.append(f"  - id: {section}-{key}-{n}")
                if key != "id":
                    lines.append(f"    {key}: {odd}")
                for sub in NESTED.get(key, ()):
                    lines += [f"  - id: {section}-{key}-{sub}-{n}", f"    {key}:"]
                    lines.append(f"      {sub}: {odd}")
            files[f"{section}-{key}.kpi.yaml"] = "\n".join(lines) + "\n"
    return files


def test_quote_writes_values_as_files_do() -> None:
    from datetime import date, datetime, time, timezone

    assert quote(datetime(2027, 1, 1, 10, 0)) == "2027-01-01 10:00:00"
    assert quote(date(2027, 1, 1)) == "2027-01-01"
    assert quote(datetime(2027, 1, 1, tzinfo=timezone.utc)) == "2027-01-01 00:00:00+00:00"
    assert quote(time(12, 30)) == "12:30:00"
    assert quote([1.5, date(2027, 1, 1), None, True]) == "[1.5, 2027-01-01, null, true]"
    assert quote(b"\x00\x01") == "<2 bytes of binary data>"
    assert quote("text") == "'text'"


def test_no_message_shows_a_python_repr(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project(_fixture())
    monkeypatch.chdir(root)
    done = CliRunner().invoke(cli, ["check", "--format", "json", "--today", "2027-06-01"])
    assert done.exit_code == 1, done.output
    findings = json.loads(done.stdout)["findings"]
    assert len(findings) > 500  # the fixture is read: every key, every odd value
    texts = [
        (f["code"], f["line"], f["message"], (f.get("fix") or {}).get("description") or "")
        for f in findings
    ]
    shown = [t for t in texts if PYTHON.search(t[2]) or PYTHON.search(t[3])]
    assert shown == []
    messages = {f["message"] for f in findings}
    # as written: a time YAML 1.1 reads as 45000, a float with its exponent, a date and time
    assert (
        "KPI 'kpis-timeline-end-0': 'timeline.end' is 2027-01-01 10:00:00; "
        "expected a calendar date like 2027-12-31, not a date and time"
    ) in messages
    status = "expected one of draft, active or retired"
    assert f"KPI 'kpis-status-3': 'status' is 12:30:00; {status}" in messages
    assert f"KPI 'kpis-status-4': 'status' is 3.0e-7; {status}" in messages
    assert f"KPI 'kpis-status-8': 'status' is null; {status}" in messages
    assert (
        "KPI 'kpis-scope-9': 'scope' is [1.5, 2027-01-01, 2027-01-01 10:00:00]; expected a string"
    ) in messages


def test_a_source_with_odd_values_shows_them_plainly() -> None:
    from datetime import date

    from kpilint.config import Config, ConfigError

    for records in (date(2027, 1, 1), 1.5, True, [date(2027, 1, 1)]):
        with pytest.raises(ConfigError) as caught:
            Config.from_mapping(
                {
                    "sources": [
                        {"include": ["*.csv"], "format": "yaml", "records": records, "kind": "kpi"}
                    ]
                }
            )
        assert not PYTHON.search(str(caught.value)), str(caught.value)
