"""Library and input edges: paths as str, UTF-16 files, folders with nothing to lint."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

import pytest

import kpilint
from kpilint import Config, lint
from kpilint.engine import UsageError
from tests.conftest import WriteProject, invoke_in, run_kpilint

NO_TARGET = "kpis:\n  - id: a\n    name: A\n"


def test_lint_takes_one_path_as_a_str(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project({"kpis/a.kpi.yaml": NO_TARGET})
    monkeypatch.chdir(root)
    report = lint("kpis/")  # not the characters 'k', 'p', 'i', 's', '/'
    assert [(f.code, f.path, f.line, f.column) for f in report.findings][:1] == [
        ("KPI101", "kpis/a.kpi.yaml", 2, 5)
    ]
    located = [(f.code, f.path, f.line, f.column) for f in report.findings]
    assert [(f.code, f.path, f.line, f.column) for f in lint(Path("kpis")).findings] == located


def test_config_from_file_takes_str_and_pathlike(write_project: WriteProject) -> None:
    root = write_project({"kpilint.toml": 'ignore = ["KPI104"]\n'})
    for given in (str(root / "kpilint.toml"), root / "kpilint.toml"):
        assert Config.from_file(given).ignore == ("KPI104",)
    assert kpilint.Config is Config


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), id="utf-16-le-bom"),
        pytest.param(lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), id="utf-16-be-bom"),
        pytest.param(lambda t: t.encode("utf-16-le"), id="utf-16-le-no-bom"),
    ],
)
def test_a_utf16_file_is_named_as_such(
    write_project: WriteProject, encode: Callable[[str], bytes]
) -> None:
    root = write_project({})
    (root / "a.kpi.yaml").write_bytes(encode(NO_TARGET))
    code, out = invoke_in(root, "check", "a.kpi.yaml")
    assert code == 1
    assert "a.kpi.yaml:1:1: KPI001 [error] the file is UTF-16 text, not UTF-8" in out
    assert "Save it as UTF-8" in out
    assert "binary" not in out


def test_real_binary_is_still_binary(write_project: WriteProject) -> None:
    root = write_project({})
    (root / "a.kpi.yaml").write_bytes(bytes(range(256)) * 4)
    code, out = invoke_in(root, "check", "a.kpi.yaml")
    assert code == 1 and "a.kpi.yaml:1:1: KPI001 [error] binary file" in out


def test_a_named_folder_with_no_kpi_file_is_misuse(write_project: WriteProject) -> None:
    root = write_project({"kpis/a.kpi.yaml": NO_TARGET, "empty/notes.yaml": "a: 1\n"})
    code, out = invoke_in(root, "check", "empty")
    assert code == 2
    assert "no file to lint in folder 'empty'" in out and "Traceback" not in out
    code, _ = invoke_in(root, "check", "kpis", "empty")  # one of several named
    assert code == 2
    done = run_kpilint(["check", "empty"], root)
    assert done.returncode == 2 and "no file to lint in folder 'empty'" in done.stderr
    assert done.stdout == ""
    with pytest.raises(UsageError):
        lint([root / "empty"], cwd=root)


def test_no_file_to_lint_names_each_source_and_its_globs(write_project: WriteProject) -> None:
    root = write_project(
        {
            "kpilint.toml": '[[sources]]\npreset = "gitlab-pi"\n\n'
            '[[sources]]\ninclude = ["meta/*.md", "extra/*.md"]\nrecords = ""\nkind = "kpi"\n'
            '[sources.map]\nid = "id"\nname = "name"\n',
            "data/notes.txt": "nothing here\n",
        }
    )
    done = run_kpilint(["check", "data"], root)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "kpilint: error: no file to lint in folder 'data' (looked for KPI files *.kpi.yaml, "
        "*.kpi.yml; source sources[1] (preset 'gitlab-pi'): data/performance_indicators/*.yml; "
        "source sources[2]: meta/*.md, extra/*.md); name a folder that holds them, or correct "
        "the source's `include` (relative to the project root)\n"
    )


def test_a_named_file_that_force_exclude_drops_is_not_an_error(
    write_project: WriteProject,
) -> None:
    root = write_project(
        {"kpilint.toml": 'exclude = ["legacy/"]\n', "legacy/a.kpi.yaml": NO_TARGET}
    )
    code, _ = invoke_in(root, "check", "--force-exclude", "legacy/a.kpi.yaml")
    assert code == 0


def test_from_a_folder_with_nothing_of_that_format_is_misuse(write_project: WriteProject) -> None:
    root = write_project({"data/a.kpi.yaml": NO_TARGET})
    code, out = invoke_in(root, "check", "--from", "csv", "data")
    assert code == 2 and "no file to lint in folder 'data'" in out


@pytest.mark.parametrize(
    "path",
    [
        "/a/b/c.yaml",
        "/a/b/x/./y",
        "/a/b/x/../y",
        "/a/bc/d",
        "/a/b",
        "/x/y",
        "/a/b/.h/f",
        "/a/b/..f",
    ],
)
def test_display_path_is_relpath(path: str) -> None:
    """The fast path for files under the working directory says what relpath says."""
    import os

    from kpilint.engine import display_path

    cwd = Path("/a/b")
    assert display_path(Path(path), cwd) == Path(os.path.relpath(path, cwd)).as_posix()
