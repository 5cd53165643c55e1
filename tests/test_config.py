"""Configuration: discovery, validation with "did you mean", selection, options."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kpilint import lint
from kpilint.config import Config, ConfigError
from kpilint.project import find_root
from tests.conftest import WriteProject

KPI = """
kpis:
  - id: page-views
    name: Page views
    goal: g
    owner: web
    target: {value: 10, unit: views, direction: increase, baseline: 9}
    timeline: {start: 2027-01-01, end: 2027-12-31, review: monthly}
goals:
  - id: g
    name: G
    kind: revenue
"""


def codes(root: Path, **kwargs: object) -> list[tuple[str, int, int]]:
    report = lint([root], cwd=root, today=date(2027, 6, 1), **kwargs)  # type: ignore[arg-type]
    return [(f.code, f.line, f.column) for f in report.findings]


VANITY = ("KPI601", 2, 5)  # at the KPI (its `- id:` line), as RULES.md locates it


@pytest.mark.parametrize("name", ["kpilint.toml", ".kpilint.toml"])
def test_config_file_names(write_project: WriteProject, name: str) -> None:
    root = write_project({"a.kpi.yaml": KPI})
    assert codes(root) == [VANITY]  # the fixture's empty kpilint.toml ignores nothing
    if name != "kpilint.toml":
        (root / "kpilint.toml").unlink()  # the fixture's empty one would win
    (root / name).write_text('ignore = ["KPI601"]\n')
    assert codes(root) == []


def test_pyproject_table(tmp_path: Path) -> None:
    sub = tmp_path / "kpis"
    sub.mkdir()
    (sub / "a.kpi.yaml").write_text(KPI)
    assert codes(sub) == [("KPI601", 3, 5)]  # no config yet (the text starts with a blank line)
    (tmp_path / "pyproject.toml").write_text('[tool.kpilint]\nignore = ["vanity-metric-kpi"]\n')
    assert find_root(sub / "a.kpi.yaml") == (tmp_path, tmp_path / "pyproject.toml")
    assert codes(sub) == []


def test_pyproject_without_table_is_not_a_root(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / ".git").mkdir()
    sub = tmp_path / "a"
    sub.mkdir()
    (sub / "pyproject.toml").write_text("[tool.black]\n")
    assert find_root(sub) == (tmp_path, None)  # falls back to the git work tree


def test_root_is_the_folder_when_nothing_marks_one(tmp_path: Path) -> None:
    folder = (tmp_path / "x").resolve()
    folder.mkdir()
    markers = ("kpilint.toml", ".kpilint.toml", "pyproject.toml", ".git")
    if any((p / m).exists() for p in folder.parents for m in markers):
        pytest.skip(f"an ancestor of {folder} marks a project root")
    assert find_root(folder) == (folder, None)


def test_today_from_config(write_project: WriteProject) -> None:
    kpi = KPI.replace("end: 2027-12-31", "end: 2027-03-01")
    root = write_project({"a.kpi.yaml": kpi, "kpilint.toml": "today = 2027-02-01\n"})
    expired = ("KPI302", 7, 5)  # at timeline, as RULES.md locates it
    at = [(f.code, f.line, f.column) for f in lint([root], cwd=root).findings]
    assert expired not in at and "KPI302" not in [code for code, _, _ in at]
    assert expired in [
        (f.code, f.line, f.column) for f in lint([root], cwd=root, today=date(2027, 6, 1)).findings
    ]


def test_severity_override_by_name_and_code(write_project: WriteProject) -> None:
    root = write_project(
        {
            "a.kpi.yaml": KPI,
            "kpilint.toml": '[severity]\nvanity-metric-kpi = "error"\nKPI404 = "info"\n',
        }
    )
    report = lint([root], cwd=root, today=date(2027, 6, 1))
    assert [(f.code, f.severity) for f in report.findings] == [("KPI601", "error")]


def test_most_specific_selector_wins(write_project: WriteProject) -> None:
    root = write_project(
        {"a.kpi.yaml": KPI, "kpilint.toml": 'ignore = ["KPI6"]\nextend-select = ["KPI601"]\n'}
    )
    assert codes(root) == [VANITY]


def test_cli_overrides_win(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": KPI, "kpilint.toml": 'select = ["KPI1"]\n'})
    assert codes(root) == []
    assert codes(root, overrides={"select": ("KPI6",)}) == [VANITY]


def test_vanity_terms_options(write_project: WriteProject) -> None:
    root = write_project(
        {"a.kpi.yaml": KPI, "kpilint.toml": '[rules.vanity-metric-kpi]\nterms = ["likes"]\n'}
    )
    assert codes(root) == []
    (root / "kpilint.toml").write_text('[rules.KPI601]\nextend-terms = ["retweets"]\n')
    assert codes(root) == [VANITY]


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('selct = ["KPI1"]\n', "unknown key 'selct'; did you mean 'select'?"),
        ('fail-on = "sometimes"\n', "'fail-on'"),
        ('select = ["KPI99"]\n', "'KPI99' is not a rule code, name or code prefix"),
        ('ignore = ["missing-targte"]\n', "did you mean 'missing-target'?"),
        ('[severity]\nKPI101 = "fatal"\n', "'severity.KPI101'"),
        ("[rules.too-many-kpi]\nmax = 3\n", "no such rule; did you mean 'too-many-kpis'?"),
        ("[rules.too-many-kpis]\nmaxx = 3\n", "unknown option 'maxx'; did you mean 'max'?"),
        ('[rules.too-many-kpis]\nmax = "three"\n', "[rules.too-many-kpis] max must be"),
        (
            '[rules.unrealistic-target]\nfactor = "x"\n',
            "[rules.unrealistic-target] factor must be a number",
        ),
        ("[rules.missing-target]\nx = 1\n", "it takes no options"),
        ("today = 'soon'\n", "'soon' is not an ISO date"),
        ("this is = not toml\n", "not valid TOML"),
    ],
)
def test_bad_config_is_config_error(write_project: WriteProject, toml: str, message: str) -> None:
    root = write_project({"a.kpi.yaml": KPI, "kpilint.toml": toml})
    with pytest.raises(ConfigError) as info:
        lint([root], cwd=root)
    assert message in str(info.value)
    assert str(root / "kpilint.toml") in str(info.value)


def test_config_is_a_library_object() -> None:
    config = Config.from_mapping({"select": ["KPI1"], "fail-on": "warning"})
    assert config.fail_on == "warning"
    assert set(config.resolve().severities) == {f"KPI10{n}" for n in range(1, 7)}


def test_include_and_exclude(write_project: WriteProject) -> None:
    root = write_project(
        {
            "a.kpi.yaml": KPI,
            "archive/old.kpi.yaml": KPI.replace("page-views", "old-views"),
            "other.yaml": KPI.replace("page-views", "other-views"),
            "kpilint.toml": 'include = ["*.kpi.yaml", "other.yaml"]\nexclude = ["archive/"]\n',
        }
    )
    report = lint([root], cwd=root, today=date(2027, 6, 1))
    assert sorted({f.path for f in report.findings}) == ["a.kpi.yaml", "other.yaml"]


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('select = "KPI1"\n', "'select' must be a list of strings, not \"KPI1\""),
        ('fail-on = "sometimes"\n', '\'fail-on\' must be one of "error", "warning"'),
        ("max-file-size = -1\n", "'max-file-size' must be greater than 0, not -1"),
        ('[severity]\nKPI101 = "fatal"\n', "'severity.KPI101' must be one of \"error\""),
        ("per-file-ignores = 3\n", "'per-file-ignores' must be a table of lists of strings"),
        ("include = [3]\n", "'include.0' must be a string, not 3"),
        ("today = 'soon'\n", "'today': 'soon' is not an ISO date like 2027-06-01"),
        (
            '[rules.too-many-kpis]\nmax = "three"\n',
            "[rules.too-many-kpis] max must be a whole number or a table of whole numbers, "
            'not "three"',
        ),
        ('[rules.vanity-metric-kpi]\nterms = "likes"\n', "terms must be a list of strings"),
        ('extend-select = ["foo"]\n', "extend-select: 'foo' is not a rule code"),
        # strict: true is not a number, 1.0 not a whole number, "10" not a number
        ("max-file-size = true\n", "'max-file-size' must be a whole number, not true"),
        ("max-file-size = 1.0\n", "'max-file-size' must be a whole number, not 1.0"),
        ('max-file-size = "10"\n', "'max-file-size' must be a whole number, not \"10\""),
        ("owners = true\n", "'owners' must be a string, not true"),
        ("today = 2027-06-01T10:05:00\n", "'today' must be a date like 2027-06-01, not 2027-"),
        ("[rules.too-many-kpis]\nteam = true\n", "team must be a whole number, not true"),
        ("[rules.unrealistic-target]\nfactor = true\n", "factor must be a number, not true"),
        ("[rules.unrealistic-target]\nfactor = nan\n", "factor must be greater than 1, not NaN"),
        ("[rules.vanity-metric-kpi]\nterms = [3]\n", "terms must be a list of strings, not a list"),
    ],
)
def test_config_errors_speak_toml_not_pydantic(
    write_project: WriteProject, toml: str, message: str
) -> None:
    """The user wrote TOML: no "Input should be", "Value error", "valid tuple"."""
    root = write_project({"a.kpi.yaml": KPI, "kpilint.toml": toml})
    with pytest.raises(ConfigError) as info:
        lint([root], cwd=root)
    text = str(info.value)
    assert message in text
    for leak in ("Input should", "Value error", "tuple", "valid dictionary"):
        assert leak not in text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"select": ("KPI999",)}, "--select: 'KPI999' is not a rule code"),
        ({"extend_select": ("foo",)}, "--extend-select: 'foo' is not a rule code"),
        ({"ignore": ("bar",)}, "--ignore: 'bar' is not a rule code"),
    ],
)
def test_bad_selector_on_the_command_line_is_blamed_on_the_option(
    write_project: WriteProject, overrides: dict[str, tuple[str, ...]], message: str
) -> None:
    root = write_project({"a.kpi.yaml": KPI, "kpilint.toml": ""})
    with pytest.raises(ConfigError) as info:
        lint([root], cwd=root, overrides=overrides)
    assert str(info.value).startswith(message)
    assert "kpilint.toml" not in str(info.value)


def test_config_from_python_is_checked_and_coerced_like_a_file() -> None:
    config = Config(select=["KPI1"], today="2027-06-01", source="a/kpilint.toml")
    assert config.select == ("KPI1",) and config.today == date(2027, 6, 1)
    assert config.source == Path("a/kpilint.toml")
    assert config == Config(select=("KPI1",), today=date(2027, 6, 1), source=Path("a/kpilint.toml"))
    assert config != Config(select=["KPI1"])
    assert config.fields_set == {"select", "today", "source"}
    with pytest.raises(ConfigError) as info:
        Config(select="KPI1")
    assert str(info.value) == "'select' must be a list of strings, not \"KPI1\""
    with pytest.raises(TypeError, match="selct"):
        Config(selct=["KPI1"])
    with pytest.raises(AttributeError):
        config.select = ("KPI2",)  # type: ignore[misc]


def test_a_whole_number_is_a_number_option(write_project: WriteProject) -> None:
    root = write_project(
        {"a.kpi.yaml": KPI, "kpilint.toml": "[rules.unrealistic-target]\nfactor = 2\n"}
    )
    config = Config.from_file(root / "kpilint.toml")
    assert config.resolve().options["KPI206"]["factor"] == 2.0


def test_the_fingerprint_is_the_settings_not_the_file_they_came_from(tmp_path: Path) -> None:
    one = Config.from_mapping({"select": ["KPI1"]}, tmp_path / "a.toml")
    assert (
        one.fingerprint()
        == Config.from_mapping({"select": ["KPI1"]}, tmp_path / "b.toml").fingerprint()
    )
    assert one.fingerprint() != Config.from_mapping({"select": ["KPI2"]}).fingerprint()
    assert one.fingerprint() != Config(select=["KPI1"], today="2027-06-01").fingerprint()
    merged = one.with_overrides(ignore=("KPI101",))
    assert merged.ignore == ("KPI101",) and merged.fields_set == {"select", "source", "ignore"}
