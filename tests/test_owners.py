"""The config's ``owners`` list: how it is read, and that a bad one is exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpilint.config import ConfigError
from kpilint.owners import load
from tests.conftest import WriteProject, invoke_in, run_kpilint

KPIS = """
kpis:
  - id: mrr
    name: MRR
    owner: "@dana"
"""


def test_codeowners_takes_every_handle_after_the_pattern(tmp_path: Path) -> None:
    (tmp_path / "CODEOWNERS").write_text(
        "# comment @not-me\n"
        "*            @acme/finance  @dana # trailing @nor-me\n"
        "/@weird/path/ dev@example.com @lee\n"
        "\n"
        "/docs/\n",
        encoding="utf-8",
    )
    assert load(tmp_path, "CODEOWNERS") == {"@acme/finance", "@dana", "@lee"}


def test_plain_and_yaml_lists(tmp_path: Path) -> None:
    (tmp_path / "owners.txt").write_text("\ufeffcfo\n  # nobody\nSales Lead  # note\n\n")
    assert load(tmp_path, "owners.txt") == {"cfo", "Sales Lead"}
    (tmp_path / "owners.yaml").write_text('- "@dana"\n- cfo\n')
    assert load(tmp_path, "owners.yaml") == {"@dana", "cfo"}
    (tmp_path / "empty.yml").write_text("")
    assert load(tmp_path, "empty.yml") == frozenset()


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("missing.txt", None, "no such file under the project root"),
        ("owners.yaml", "owners: [a, b]\n", "must hold a YAML list of handles"),
        ("owners.yaml", "- [a\n", "not valid YAML at line"),
        ("owners.yaml", "- 1\n- a\n", "must hold a YAML list of handles"),
        ("latin1.txt", b"caf\xe9\n", "cannot read it (not UTF-8 text)"),
    ],
)
def test_unusable_lists_are_config_errors(
    tmp_path: Path, name: str, text: str | bytes | None, expected: str
) -> None:
    if isinstance(text, bytes):
        (tmp_path / name).write_bytes(text)
    elif text is not None:
        (tmp_path / name).write_text(text)
    with pytest.raises(ConfigError, match=r"^owners = '") as caught:
        load(tmp_path, name)
    assert expected in str(caught.value)


def test_a_folder_is_not_a_list(tmp_path: Path) -> None:
    (tmp_path / "team").mkdir()
    with pytest.raises(ConfigError, match="cannot read it"):
        load(tmp_path, "team")


def test_missing_owners_file_is_exit_2_in_check_and_audit(write_project: WriteProject) -> None:
    root = write_project({"kpilint.toml": 'owners = "CODEOWNERS"\n', "a.kpi.yaml": KPIS})
    code, output = invoke_in(root, "check", ".")
    assert code == 2
    assert "owners = 'CODEOWNERS': no such file under the project root" in output
    assert "Traceback" not in output
    done = run_kpilint(["audit", "."], root)
    assert done.returncode == 2, done.stderr
    assert "owners = 'CODEOWNERS'" in done.stderr and "Traceback" not in done.stderr


def test_owners_path_is_from_the_project_root_and_keyed_in_the_cache(
    write_project: WriteProject,
) -> None:
    root = write_project(
        {
            "kpilint.toml": 'owners = "people/owners.txt"\n',
            "people/owners.txt": "@lee\n",
            "sub/a.kpi.yaml": KPIS,
        }
    )
    args = ["check", "--select", "KPI106", "."]  # the cache is on by default
    code, output = invoke_in(root / "sub", *args)
    assert code == 0 and "a.kpi.yaml:4:5: KPI106" in output, output
    (root / "people" / "owners.txt").write_text("@lee\n@dana\n")
    code, output = invoke_in(root / "sub", *args)
    assert code == 0 and "KPI106" not in output, output
