"""Rule options are bounded: a limit that makes every KPI a finding is a config error."""

from __future__ import annotations

import pytest

from tests.conftest import WriteProject, invoke_in

KPI = "kpis:\n  - id: a\n    name: A\n"


@pytest.mark.parametrize(
    ("table", "option", "message"),
    [
        ("unrealistic-target", "factor = -1", "factor must be greater than 1, not -1"),
        ("unrealistic-target", "factor = 1", "factor must be greater than 1, not 1"),
        ("too-many-kpis", "max = 0", "max must be at least 1, not 0"),
        ("too-many-kpis", "team = 0", "team must be at least 1, not 0"),
        ("overloaded-owner", "max = -3", "max must be at least 1, not -3"),
    ],
)
def test_an_out_of_range_option_is_exit_2_naming_it(
    write_project: WriteProject, table: str, option: str, message: str
) -> None:
    root = write_project({"a.kpi.yaml": KPI, "kpilint.toml": f"[rules.{table}]\n{option}\n"})
    code, out = invoke_in(root, "check")
    assert code == 2
    assert f"[rules.{table}] {message}" in out and "Traceback" not in out


@pytest.mark.parametrize(
    ("table", "option"),
    [
        ("unrealistic-target", "factor = 1.5"),
        ("too-many-kpis", "max = 1"),
        ("too-many-kpis", "team = 7"),
    ],
)
def test_options_in_range_are_taken(write_project: WriteProject, table: str, option: str) -> None:
    root = write_project({"a.kpi.yaml": KPI, "kpilint.toml": f"[rules.{table}]\n{option}\n"})
    assert invoke_in(root, "check")[0] == 1  # KPI101 and friends: the config was read
