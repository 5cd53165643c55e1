"""The language server's parts that need no client: positions, ids, the project state."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kpilint.config import Config
from kpilint.engine import Loaded, load_project, run_rules
from kpilint.server.navigate import completion_kind, definitions, id_at, references
from kpilint.server.positions import TextIndex
from kpilint.server.state import ProjectState
from tests.conftest import REPO, WriteProject

EXAMPLES = REPO / "examples"


@pytest.mark.parametrize(("encoding", "column"), [("utf-16", 6), ("utf-8", 9), ("utf-32", 5)])
def test_positions_count_code_units_of_the_negotiated_encoding(encoding: str, column: int) -> None:
    text = "a: 1\nb: é😀x\r\nc\rd"
    index = TextIndex(text, encoding)
    x = text.index("x")
    assert index.position(x) == (1, column)
    assert index.offset(1, column) == x
    assert index.position(text.index("d")) == (3, 0)  # a lone \r ends a line in LSP
    assert index.offset(1, 999) == text.index("\r\n")  # clamped to the line's content
    assert index.offset(9, 0) == len(text)


def test_finding_positions_use_yaml_line_breaks() -> None:
    text = "a: 1\u2028b: 2\nc: 3\n"  # YAML breaks at U+2028, LSP does not
    index = TextIndex(text)
    assert index.from_finding(2, 1) == text.index("b")
    assert index.position(text.index("b")) == (0, 5)
    assert index.from_finding(3, 2) == text.index("c") + 1


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("kpis:\n  - id: a\n    goal: ", "goal"),
        ("kpis:\n  - id: a\n    goal: [x, ", "goal"),
        ("kpis:\n  - id: a\n    metric: m", "metric"),
        ("kpis:\n  - id: a\n    counterbalance:\n      - ", "kpi"),
        ("kpis:\n  - goal: ", "goal"),
        ("goals:\n  - id: a\n    parent: ", "goal"),
        ("incentives:\n  - id: b\n    kpis:\n      # who\n      - x\n      - ", "kpi"),
        ("incentives:\n  - id: b\n    kpis: [", "kpi"),
        ("kpis:\n  - ", None),
        ("kpis: ", None),
        ("kpis:\n  - id: a\n    name: ", None),
        ("kpis:\n  - id: a\n    description: |\n      goal: ", None),
        ("goals:\n  - id: a\n    goal: ", None),
        ("kpis:\n  - id: a\n    goa", None),
    ],
)
def test_completion_kind_reads_the_line_being_typed(text: str, kind: str | None) -> None:
    assert completion_kind(text, len(text)) == kind


def test_ids_resolve_across_the_example_catalogue() -> None:
    state = ProjectState(EXAMPLES, EXAMPLES / "kpilint.toml")
    sales = EXAMPLES / "sales.kpi.yaml"
    state.lint({}, [sales])
    assert state.loaded is not None
    project = state.loaded.project
    sf = state.file(sales)
    assert sf is not None
    at = sf.text.index("goal: arr-fy2027") + len("goal: arr")
    assert id_at(project, sf, at) == ("goal", "arr-fy2027")
    [(where, start, end)] = definitions(project, "goal", "arr-fy2027")
    assert where.display == "company.kpi.yaml"
    assert where.text[start:end] == "arr-fy2027"
    found = references(project, "goal", "arr-fy2027")
    assert found and all(f.text[s:e] == "arr-fy2027" for f, s, e in found)
    assert {f.display for f, _, _ in found} >= {"sales.kpi.yaml", "company.kpi.yaml"}
    assert id_at(project, sf, sf.text.index("name: New business")) is None


def test_local_rules_find_what_the_whole_run_finds_in_each_file() -> None:
    """`run_rules(local=True)` (entity checks on the named files only) loses nothing."""
    config = Config.from_file(EXAMPLES / "kpilint.toml")
    day = config.today
    assert day is not None
    whole = load_project(EXAMPLES, [EXAMPLES], config, EXAMPLES)
    every = run_rules(whole, day)
    assert every
    for sf in whole.project.files:
        one = Loaded(whole.project, config, {sf.display})
        mine = [f for f in every if f.path == sf.display]
        assert sorted(run_rules(one, day, local=True), key=lambda f: f.sort_key) == sorted(
            mine, key=lambda f: f.sort_key
        )


def test_the_state_reuses_unchanged_files_and_rereads_edited_ones(
    write_project: WriteProject,
) -> None:
    root = write_project(
        {"a.kpi.yaml": "goals:\n  - {id: g, name: G}\n", "b.kpi.yaml": "kpis: []\n"}
    )
    state = ProjectState(root, root / "kpilint.toml")
    a, b = root / "a.kpi.yaml", root / "b.kpi.yaml"
    state.lint({}, [b])
    first_a, first_b = state.file(a), state.file(b)
    state.lint({b: "kpis:\n  - {id: k, name: K, goal: g}\n"}, [b])
    assert state.file(a) is first_a
    assert state.file(b) is not first_b
    found = state.lint({b: "kpis:\n  - {id: k, name: K, goal: x}\n"}, [b])
    assert ("KPI006", 2, 22) in {(f.code, f.line, f.column) for f in found[b]}  # key `goal`
    a.write_text("goals:\n  - {id: x, name: X}\n")
    found = state.lint({b: "kpis:\n  - {id: k, name: K, goal: x}\n"}, [b])
    assert "KPI006" not in {f.code for f in found[b]}
    assert state.file(a) is not first_a


@pytest.mark.slow
def test_check_and_version_never_import_the_server() -> None:
    code = (
        "import sys\n"
        "from kpilint.cli import main\n"
        "for argv in (['--version'], ['check', '--today', '2027-03-15', 'examples']):\n"
        "    sys.argv = ['kpilint', *argv]\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit:\n"
        "        pass\n"
        "sys.stderr.write(repr(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('pygls', 'lsprotocol', 'cattrs') or m.startswith('kpilint.server'))))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert proc.stderr == "[]"


def test_server_without_the_extra_says_how_to_get_it(tmp_path: Path) -> None:
    blocker = tmp_path / "pygls.py"
    blocker.write_text("raise ImportError('no pygls here', name='pygls')\n")
    proc = subprocess.run(
        [sys.executable, "-m", "kpilint", "server"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": f"{tmp_path}:{REPO}", "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 2
    assert proc.stderr == (
        "kpilint: error: kpilint server needs the server extra: pip install 'kpilint[server]'\n"
    )
    assert proc.stdout == ""


def test_the_readme_editor_setups_parse_and_start_the_server() -> None:
    import json
    import re

    from kpilint.config import tomllib

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## In the editor") : readme.index("## pre-commit")]
    blocks = dict(re.findall(r"```(\w+)\n(.*?)```", section, re.S)[1:])
    vscode = json.loads(blocks["json"])
    assert [vscode["glspc.server.command"], *vscode["glspc.server.commandArguments"]] == [
        "kpilint",
        "server",
    ]
    [(schema, globs)] = vscode["yaml.schemas"].items()
    assert (REPO / schema).is_file() and globs == ["*.kpi.yaml", "*.kpi.yml"]
    helix = tomllib.loads(blocks["toml"])
    server = helix["language-server"]["kpilint"]
    assert [server["command"], *server["args"]] == ["kpilint", "server"]
    assert "kpilint" in helix["language"][0]["language-servers"]
    assert 'cmd = { "kpilint", "server" }' in blocks["lua"]
