"""The small strict checker behind the config and rule options (no pydantic)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
from annotated_types import Le, Lt

from kpilint import lint
from kpilint.config import Config
from kpilint.registry import registry
from kpilint.typecheck import Ge, Gt, Invalid, check
from tests.conftest import WriteProject, modules_after

Limit = Annotated[int, Ge(1)]


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        (int, 3, 3),
        (float, 2, 2.0),  # a whole number is a number
        (float, 1.5, 1.5),
        (bool, True, True),
        (str, "a", "a"),
        (tuple[str, ...], ["a", "b"], ("a", "b")),  # TOML's list is the tuple
        (tuple[str, ...], ("a",), ("a",)),
        (list[str], ["a"], ["a"]),
        (dict[str, tuple[str, ...]], {"a": ["x"]}, {"a": ("x",)}),
        (date, "2027-06-01", date(2027, 6, 1)),
        (date, datetime(2027, 6, 1), date(2027, 6, 1)),  # TOML's 2027-06-01T00:00:00
        (Path, "a/b.toml", Path("a/b.toml")),
        (Literal["error", "never"], "never", "never"),
        (int | None, None, None),
        (Limit | dict[str, Limit], {"team": 3}, {"team": 3}),
        (Any, {"x": [1]}, {"x": [1]}),
    ],
)
def test_a_fitting_value_is_taken_and_coerced(kind: Any, value: Any, expected: Any) -> None:
    got = check(kind, value)
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        (int, True, " must be a whole number, not true"),
        (int, 1.5, " must be a whole number, not 1.5"),
        (int, "3", ' must be a whole number, not "3"'),
        (float, True, " must be a number, not true"),
        (str, 3, " must be a string, not 3"),
        (bool, 1, " must be true or false, not 1"),
        (list[str], ("a",), " must be a list of strings, not a list"),
        (tuple[str, ...], "a", ' must be a list of strings, not "a"'),
        (dict[str, int], [1], " must be a table of whole numbers, not a list"),
        (Literal[1], True, ' must be one of "1", not true'),  # True == 1, but is not 1
        (
            date,
            datetime(2027, 6, 1, 10, 5),
            " must be a date like 2027-06-01, not 2027-06-01 10:05:00",
        ),
        (date, "June", ": 'June' is not an ISO date like 2027-06-01"),
        (Path, 3, " must be a path, not 3"),
        (Annotated[int, Gt(0)], 0, " must be greater than 0, not 0"),
        (Annotated[float, Gt(1)], float("nan"), " must be greater than 1, not NaN"),
        (Annotated[int, Ge(1)], 0, " must be at least 1, not 0"),
        (Annotated[float, Lt(1.5)], 2, " must be less than 1.5, not 2.0"),  # annotated_types' too
        (Annotated[int, Le(9)], 10, " must be at most 9, not 10"),
        (Limit | dict[str, Limit], 0, " must be at least 1, not 0"),  # the first branch's bound
        (
            Limit | dict[str, Limit],
            "x",
            ' must be a whole number or a table of whole numbers, not "x"',
        ),
    ],
)
def test_a_misfit_says_what_to_write(kind: Any, value: Any, message: str) -> None:
    with pytest.raises(Invalid) as info:
        check(kind, value, ("key",))
    assert info.value.plain() == message


def test_the_error_is_located_where_the_bad_item_is() -> None:
    with pytest.raises(Invalid) as info:
        check(dict[str, tuple[str, ...]], {"a": ["x"], "b": ["y", 2]}, ("per-file-ignores",))
    assert info.value.loc == ("per-file-ignores", "b", 1)
    assert info.value.plain() == " must be a string, not 2"


def test_an_annotation_it_does_not_know_is_a_programming_error() -> None:
    with pytest.raises(TypeError, match="cannot check"):
        check(set[str], ["a"])


def test_every_rule_option_is_an_annotation_it_checks() -> None:
    """A new option with an unknown annotation must fail here, not when a user sets it."""
    for rule in registry().values():
        for name, (kind, default) in rule.options.items():
            assert check(kind, default) == default, (rule.code, name)


CONFIG = """
today = "2027-03-15"
fail-on = "warning"
max-file-size = 100000
per-file-ignores = {"old/*.kpi.yaml" = ["KPI101"]}
[severity]
KPI101 = "info"
[rules.too-many-kpis]
max = {team = 3}
team = 4
[rules.unrealistic-target]
factor = 2.5
[rules.vanity-metric-kpi]
extend-terms = ["retweets"]
"""


def test_reading_checking_and_resolving_a_config_imports_no_pydantic(tmp_path: Path) -> None:
    (tmp_path / "kpilint.toml").write_text(CONFIG)
    (tmp_path / "pyproject.toml").write_text('[tool.kpilint]\nselect = ["KPI1"]\n')
    code = (
        "from kpilint.config import Config\n"
        "c = Config.from_file('kpilint.toml')\n"
        "c = c.with_overrides(select=('KPI1',), ignore=('KPI101',))\n"
        "c.resolve(); c.fingerprint(); Config.from_file('pyproject.toml').resolve()\n"
        "Config(select=['KPI2'], today='2027-06-01').resolve()"
    )
    loaded = modules_after(code, tmp_path)
    assert "kpilint.config" in loaded
    assert sorted(m for m in loaded if m.startswith("pydantic")) == []


def test_a_run_without_rule_options_reads_no_option_types(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Option annotations are evaluated only for an option a config sets (annotated_types
    costs a cold check 8 ms to import); the run passes options by name."""
    from kpilint.registry import Check

    root = write_project(
        {
            "a.kpi.yaml": "kpis:\n  - id: a\n    name: A\n",
            "kpilint.toml": "[rules.KPI406]\nmax = 2\n",
        }
    )

    def unread(self: Check) -> None:
        raise AssertionError(f"{self.code}: option types read")

    config = Config.from_file(root / "kpilint.toml")  # reads KPI406's types: it sets max
    monkeypatch.setattr(Check, "options", property(unread))
    report = lint([root], config, cwd=root)
    assert "KPI000" not in {f.code for f in report.findings}
    assert config.resolve().options["KPI406"]["max"] == 2


# --- a misspelt choice gets a did-you-mean, like a misspelt key (issue 23) -----------------


@pytest.mark.parametrize(
    ("toml", "key", "wrote", "meant"),
    [
        ('fail-on = "warnin"\n', "fail-on", "warnin", "warning"),
        ('[severity]\nKPI101 = "eror"\n', "severity.KPI101", "eror", "error"),
    ],
)
def test_a_misspelt_config_value_says_did_you_mean(
    tmp_path: Path, toml: str, key: str, wrote: str, meant: str
) -> None:
    from tests.conftest import run_kpilint

    (tmp_path / "kpilint.toml").write_text(toml, encoding="utf-8")
    done = run_kpilint(["check", "."], tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    (line,) = done.stderr.splitlines()  # one line, no traceback
    assert f"kpilint.toml: '{key}' must be one of " in line
    assert line.endswith(f", not \"{wrote}\"; did you mean '{meant}'?"), line


def test_a_value_like_no_choice_gets_no_guess() -> None:
    from kpilint.config import ConfigError

    with pytest.raises(ConfigError) as caught:
        Config.from_mapping({"fail-on": "sometimes"})
    assert str(caught.value).endswith('not "sometimes"')
