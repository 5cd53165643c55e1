"""Loading: discovery, positions, safe parsing, and bad input that never crashes."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
import yaml

from kpilint import lint
from kpilint.engine import UsageError
from kpilint.loader import SourceFile, parse_bytes
from kpilint.project import discover
from tests.conftest import WriteProject


def load(raw: bytes) -> SourceFile:
    sf = SourceFile(Path("x.kpi.yaml"), "x.kpi.yaml")
    parse_bytes(sf, raw)
    return sf


def problems(raw: bytes) -> list[tuple[str, int, int]]:
    return [(p.code, p.pos.line, p.pos.column) for p in load(raw).problems]


def test_positions_of_keys_and_values() -> None:
    sf = load(b"kpis:\n  - id: a\n    target: {value: 3}\n")
    span = sf.keys[("kpis", 0, "target")]
    assert (span.line, span.column) == (3, 5)
    value = sf.values[("kpis", 0, "target", "value")]
    assert (value.line, value.column) == (3, 21)


def test_pruned_positions_keep_every_entity_key() -> None:
    text = (
        b"base: &b {unit: USD, owner: ann}\n"
        b"kpis:\n"
        b"  - id: a\n"
        b"    <<: *b\n"
        b"    target: {value: 3}\n"
        b"    id: b\n"  # a duplicate: the last one is the value, and the position
        b"  - id: c\n"
    )
    sf = load(text)
    before = {p: (sf.keys.get(p), sf.values.get(p)) for p in list(sf.positions.packed)}
    sf.keys.prune(3)
    for path, spans in before.items():
        expected = spans if len(path) <= 3 else (None, None)
        assert (sf.keys.get(path), sf.values.get(path)) == expected, path
    assert sf.keys[("kpis", 0, "id")][:2] == (6, 5)
    assert sf.values[("kpis", 0, "unit")][:2] == (1, 17)  # merged from the anchor
    assert ("kpis", 0, "nope") not in sf.keys and ("kpis", 9, "id") not in sf.values
    sf.values.put(("kpis", 1, "id"), 0, 1)  # a pruned store still takes positions
    assert sf.values[("kpis", 1, "id")][2:] == (0, 1)
    assert sf.keys[("kpis", 1, "id")][:2] == (7, 5)


def test_bom_and_crlf_keep_line_numbers() -> None:
    sf = load("\ufeffkpis:\r\n  - id: a\r\n    name: A\r\n".encode())
    assert sf.data == {"kpis": [{"id": "a", "name": "A"}]}
    name = sf.keys[("kpis", 0, "name")]
    assert (name.line, name.column) == (3, 5)
    assert sf.newline == "\r\n"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"a: !!python/object/apply:os.system ['echo hi']\n", [("KPI001", 1, 4)]),
        (b"a: !custom x\n", [("KPI001", 1, 4)]),
        (b"a: !!binary aGk=\n", [("KPI001", 1, 4)]),
        (b"- just\n- a list\n", [("KPI001", 1, 1)]),
        (b"just text\n", [("KPI001", 1, 1)]),
        (b"a: [1, 2\n", [("KPI001", 2, 1)]),
        (b"a: 1\n---\nb: 2\n", [("KPI001", 2, 1)]),
        (b"a: 1\nb: \xff\xfe\n", [("KPI001", 2, 4)]),
        (b"a: 1\x00\n", [("KPI001", 1, 1)]),
        (b"a: 1\na: 2\n", [("KPI004", 2, 1)]),
        (b"", []),
        (b"# only a comment\n", []),
    ],
)
def test_bad_input_is_a_finding(raw: bytes, expected: list[tuple[str, int, int]]) -> None:
    assert problems(raw) == expected


def test_python_tags_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    sf = load(f"a: !!python/object/apply:os.system ['touch {marker}']\n".encode())
    assert sf.problems and not marker.exists()


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]")
    sf = load("\n".join(lines).encode())
    assert [(p.code, p.pos.line, p.pos.column) for p in sf.problems] == [("KPI001", 1, 1)]
    assert "alias bomb" in sf.problems[0].message


def test_deep_nesting_is_refused() -> None:
    sf = load(b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n")
    assert [(p.code, p.pos.line, p.pos.column) for p in sf.problems] == [("KPI001", 1, 1)]
    assert "nests more than" in sf.problems[0].message


def test_merge_keys_are_resolved() -> None:
    sf = load(b"base: &b {unit: USD, value: 1}\nt:\n  <<: *b\n  value: 2\n")
    assert sf.data["t"] == {"unit": "USD", "value": 2}
    assert sf.problems == []
    assert sf.keys[("t",)][:2] == (2, 1) and sf.values[("t",)][:2] == (3, 3)
    assert sf.keys[("t", "value")][:2] == (4, 3)


def test_tagged_merge_key_is_resolved() -> None:
    sf = load(b"base: &b {unit: USD, value: 1}\nt:\n  !!merge x: *b\n  value: 2\n")
    assert sf.data["t"] == {"unit": "USD", "value": 2}


def test_scalars_resolve_by_their_style() -> None:
    sf = load(b"a: 12\nb: '12'\nc: |\n  12\nd: [12, '12']\ne: 2027-01-01\nf: \"2027-01-01\"\n")
    assert sf.data["a"] == 12 and sf.data["b"] == "12" and sf.data["c"] == "12\n"
    assert sf.data["d"] == [12, "12"] and sf.data["f"] == "2027-01-01"
    assert sf.data["e"] == date(2027, 1, 1)


def test_impossible_date_is_kpi002(write_project: WriteProject) -> None:
    root = write_project(
        {"a.kpi.yaml": "kpis:\n  - id: a\n    name: A\n    timeline: {end: 2027-02-30}\n"}
    )
    found = [
        (f.code, f.line, f.column)
        for f in lint([root], cwd=root, today=date(2027, 1, 1)).findings
        if f.code == "KPI002"
    ]
    assert found == [("KPI002", 4, 16)]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("    timeline: Q4\n", (4, 5, "KPI 'a': 'timeline' is 'Q4'; expected a mapping")),
        ("    colour: red\n", (4, 5, "KPI 'a': unknown key 'colour'")),
        ("    target: {unit: USD}\n", (4, 5, "KPI 'a': target has neither 'value' nor 'change'")),
    ],
)
def test_validation_messages_name_the_key(
    write_project: WriteProject, line: str, expected: tuple[int, int, str]
) -> None:
    root = write_project({"a.kpi.yaml": "kpis:\n  - id: a\n    name: A\n" + line})
    found = [
        (f.line, f.column, f.message)
        for f in lint([root], cwd=root, today=date(2027, 1, 1)).findings
        if f.code in ("KPI002", "KPI003")
    ]
    assert found == [expected]


def test_discovery_survives_loops_and_odd_entries(tmp_path: Path) -> None:
    (tmp_path / "a.kpi.yaml").write_text("kpis: []\n")
    (tmp_path / "folder.kpi.yaml").mkdir()
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.kpi.yml").write_text("kpis: []\n")
    (tmp_path / "sub" / "notes.yaml").write_text("x: 1\n")
    os.symlink(tmp_path, tmp_path / "sub" / "loop")
    found = [p.relative_to(tmp_path).as_posix() for p in discover(tmp_path, tmp_path)]
    assert found == ["a.kpi.yaml", "sub/b.kpi.yml"]


def test_one_bad_file_does_not_stop_the_others(write_project: WriteProject) -> None:
    root = write_project(
        {
            "a.kpi.yaml": "kpis: [\n",
            "b.kpi.yaml": "kpis:\n  - id: b\n    name: B\n",
            "c.kpi.yaml": b"\xff".decode("latin-1"),
        }
    )
    (root / "c.kpi.yaml").write_bytes(b"kpis: \xff\n")
    report = lint(
        [root], cwd=root, today=date(2027, 1, 1), overrides={"select": ("KPI001", "KPI101")}
    )
    assert [(f.path, f.code, f.line, f.column) for f in report.findings] == [
        ("a.kpi.yaml", "KPI001", 2, 1),
        ("b.kpi.yaml", "KPI101", 2, 5),
        ("c.kpi.yaml", "KPI001", 1, 7),
    ]


def test_named_file_is_linted_whatever_its_name(write_project: WriteProject) -> None:
    root = write_project({"kpis.yaml": "kpis:\n  - id: a\n    name: A\n"})
    with pytest.raises(UsageError, match="no file to lint in folder"):
        lint([root], cwd=root)  # a folder is searched for *.kpi.yaml only
    report = lint([root / "kpis.yaml"], cwd=root, today=date(2027, 1, 1))
    assert ("kpis.yaml", "KPI101", 2, 5) in [
        (f.path, f.code, f.line, f.column) for f in report.findings
    ]


def test_file_over_the_size_limit(write_project: WriteProject) -> None:
    root = write_project(
        {"a.kpi.yaml": "kpis: []\n" + "#" * 2000 + "\n", "kpilint.toml": "max-file-size = 1000\n"}
    )
    findings = lint([root], cwd=root).findings
    assert [(f.code, f.line, f.column) for f in findings] == [("KPI001", 1, 1)]
    assert "over the 1,000-byte limit" in findings[0].message


def test_named_files_get_whole_project_context(write_project: WriteProject) -> None:
    root = write_project(
        {
            "goals.kpi.yaml": "goals:\n  - id: g\n    name: G\n",
            "kpis.kpi.yaml": "kpis:\n  - id: k\n    name: K\n    goal: g\n",
        }
    )
    report = lint([root / "kpis.kpi.yaml"], cwd=root, today=date(2027, 1, 1))
    assert {f.path for f in report.findings} == {"kpis.kpi.yaml"}
    assert "KPI006" not in {f.code for f in report.findings}
    assert report.summary.files == 1


_SCALARS = [
    "0",
    "00",
    "010",
    "007",
    "0o7",
    "0x1F",
    "+5",
    "-5",
    "1_000",
    "1:30",
    "12",
    "10.5",
    ".5",
    "1e3",
    ".inf",
    "-.inf",
    "~",
    "null",
    "Null",
    "yes",
    "No",
    "on",
    "OFF",
    "true",
    "y",
    "n",
    "2027-01-01",
    "2027-1-1",
    "2027-01-01T10:00:00",
    "'2027-01-01'",
    '"12"',
    "<<x",
    "e",
    "Deploys",
    "+",
    ".",
    "~x",
    "99999999999999999999",
]


@pytest.mark.parametrize("scalar", _SCALARS)
def test_scalars_load_as_pyyaml_loads_them(scalar: str) -> None:
    text = f"a: {scalar}\nb: [{scalar}]\n".encode()
    expected = yaml.load(text, Loader=yaml.CSafeLoader)
    data = load(text).data
    assert (data, [type(v) for v in data.values()]) == (
        expected,
        [type(v) for v in expected.values()],
    )
    assert type(data["b"][0]) is type(expected["b"][0])


@pytest.mark.parametrize(
    "path", sorted((Path(__file__).parent.parent / "examples").rglob("*.yaml")), ids=str
)
def test_files_load_as_pyyaml_loads_them(path: Path) -> None:
    raw = path.read_bytes()
    assert load(raw).data == yaml.load(raw, Loader=yaml.CSafeLoader)
