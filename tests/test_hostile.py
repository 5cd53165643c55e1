"""Hostile and odd input, through the real command line.

Each case runs ``python -m kpilint`` as a process with a time limit and a 1 GiB
address-space limit, and must end in findings (exit 0 or 1) or a one-line usage
error (exit 2): never a traceback, a signal, a hang or unbounded memory. Where a
finding is expected, its code, line and column are checked exactly.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, git

TIMEOUT = 20.0  # seconds: every case must finish well within this
MEMORY = 1 << 30  # bytes of address space for the child
TODAY = "2027-03-15"

GOAL = """\
goals:
  - id: g
    name: Goal
    kind: revenue
    owner: ceo
    period: {start: 2027-01-01, end: 2027-12-31}
"""
METRIC = """\
metrics:
  - id: m
    name: Revenue
    category: output
    unit: USD
    source: stripe
    source_type: automated
    aggregation: sum
"""
KPI = """\
  - id: {id}
    name: {name}
    goal: g
    metric: m
    owner: cfo
    target: {{value: 120, unit: USD, direction: increase, baseline: 100}}
    timeline: {{start: 2027-01-01, end: 2027-12-31, review: monthly, last_reviewed: 2027-03-01}}
"""
CLEAN = GOAL + METRIC + "kpis:\n" + KPI.format(id="k", name="MRR")


@dataclass(frozen=True, slots=True)
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float

    def findings(self) -> list[dict[str, Any]]:
        findings: list[dict[str, Any]] = json.loads(self.stdout)["findings"]
        return findings

    def where(self, code: str | None = None) -> list[tuple[str, int, int]]:
        return [
            (f["code"], f["line"], f["column"])
            for f in self.findings()
            if code is None or f["code"] == code
        ]


def _limit_memory() -> None:  # runs in the child, before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def kpilint(*args: str, cwd: Path, stdin: str | None = None, timeout: float = TIMEOUT) -> Run:
    """Run kpilint as a process; assert the outcome is sane whatever the input."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "kpilint", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env={**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"},
        timeout=timeout,
        preexec_fn=_limit_memory,
    )
    run = Run(proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - start)
    assert run.code in (0, 1, 2), f"exit {run.code} (a signal?); stderr: {run.stderr[-2000:]}"
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    if run.code == 2:
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("kpilint: error: "), run.stderr
    return run


def check(root: Path, *paths: str, extra: tuple[str, ...] = ()) -> Run:
    run = kpilint(
        "check", "--format", "json", "--today", TODAY, *extra, *(paths or ["."]), cwd=root
    )
    assert run.code in (0, 1), run.stderr
    return run


def check_many(
    base: Path, contents: dict[str, str | bytes], *options: str
) -> dict[str, list[tuple[str, int, int]]]:
    """One project per entry (``NAME/a.kpi.yaml``), all linted by one process."""
    for name, content in contents.items():
        write(base / name, "kpilint.toml", "")
        write(base / name, "a.kpi.yaml", content)
    run = check(base, *contents, extra=options)
    found: dict[str, list[tuple[str, int, int]]] = {name: [] for name in contents}
    for f in run.findings():
        found[f["path"].split("/")[0]].append((f["code"], f["line"], f["column"]))
    return found


@pytest.fixture
def root(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    (project / "kpilint.toml").write_text("")
    return project


def locate(text: str, line: str, word: str) -> tuple[int, int]:
    """1-based line and column of ``word`` in the (first) line equal to ``line``."""
    number = text.splitlines().index(line)
    return number + 1, line.index(word) + 1


def write(root: Path, name: str, content: str | bytes) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


# --- expansion and nesting ------------------------------------------------------------


def test_billion_laughs_is_one_finding(root: Path) -> None:
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        refs = ", ".join([f"*lol{i - 1}"] * 9)
        lines.append(f"lol{i}: &lol{i} [{refs}]")
    write(root, "bomb.kpi.yaml", "\n".join(lines) + "\n")
    write(root, "ok.kpi.yaml", CLEAN)
    run = check(root)
    assert run.where() == [("KPI001", 1, 1)]
    assert "alias bomb" in run.findings()[0]["message"]
    assert run.findings()[0]["path"] == "bomb.kpi.yaml"


def test_alias_bomb_inside_a_kpi(root: Path) -> None:
    lines = ["x: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    for i in range(1, 8):
        lines.append(f"y{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]")
    text = "\n".join(lines) + "\nkpis:\n  - id: k\n    name: K\n    target: *a7\n"
    write(root, "bomb.kpi.yaml", text)
    run = check(root)
    assert run.where() == [("KPI001", 1, 1)]


def test_merge_key_bomb(root: Path) -> None:
    lines = ["m0: &m0 {" + ", ".join(f"k{j}: {j}" for j in range(10)) + "}"]
    for i in range(1, 12):
        lines.append(f"m{i}: &m{i}\n  <<: [{', '.join([f'*m{i - 1}'] * 10)}]\n  own{i}: 1")
    write(root, "merge.kpi.yaml", "\n".join(lines) + "\n")
    run = check(root)
    assert run.where("KPI001") == [("KPI001", 1, 1)]
    assert run.seconds < 10


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("kpis: " + "[" * 20_000 + "]" * 20_000 + "\n", id="flow-sequences"),
        pytest.param("kpis: " + "{a: " * 20_000 + "1" + "}" * 20_000 + "\n", id="flow-mappings"),
        pytest.param("- " * 20_000 + "1\n", id="block-sequences"),
        pytest.param(
            "kpis:\n" + "".join(" " * i + "-\n" for i in range(1, 1500)), id="indented-block"
        ),
    ],
)
def test_nesting_20000_deep(root: Path, text: str) -> None:
    write(root, "deep.kpi.yaml", text)
    run = check(root)
    assert run.where() == [("KPI001", 1, 1)]
    assert "nests more than" in run.findings()[0]["message"]


def test_nesting_100000_deep(root: Path) -> None:
    write(root, "deep.kpi.yaml", "kpis: " + "[" * 100_000 + "]" * 100_000 + "\n")
    run = check(root)
    assert run.where() == [("KPI001", 1, 1)]


# --- files that are not KPI files -----------------------------------------------------


def test_binary_files(root: Path) -> None:
    write(root, "nul.kpi.yaml", bytes(range(256)) * 40)
    write(root, "png.kpi.yaml", b"\x89PNG\r\n\x1a\n" + bytes(range(1, 256)) * 4)
    write(root, "latin1.kpi.yaml", "kpis:\n  - id: k\n    name: Caf\xe9\n".encode("latin-1"))
    write(root, "utf16.kpi.yaml", "kpis: []\n".encode("utf-16"))
    write(root, "ok.kpi.yaml", CLEAN)
    run = check(root)
    by_file = {(f["path"], f["code"], f["line"], f["column"]) for f in run.findings()}
    assert by_file == {
        ("latin1.kpi.yaml", "KPI001", 3, 14),
        ("nul.kpi.yaml", "KPI001", 1, 1),
        ("png.kpi.yaml", "KPI001", 1, 1),
        ("utf16.kpi.yaml", "KPI001", 1, 1),
    }


def test_reader_error_after_non_ascii(root: Path) -> None:
    write(root, "a.kpi.yaml", "kpis:\n  - id: caf\u00e9\u00e9\u00e9\x1f\n")
    run = check(root)
    assert run.where() == [("KPI001", 2, len("  - id: caf\u00e9\u00e9\u00e9") + 1)]


def test_reader_error_position_in_ascii(root: Path) -> None:
    write(root, "a.kpi.yaml", "kpis:\n  - id: cafe\x1f\n")
    run = check(root)
    assert run.where() == [("KPI001", 2, len("  - id: cafe") + 1)]


def test_file_over_the_default_size_limit(root: Path) -> None:
    with (root / "huge.kpi.yaml").open("wb") as handle:
        handle.truncate(11 * 1024 * 1024)  # sparse: the limit is checked before reading
    write(root, "ok.kpi.yaml", CLEAN)
    run = check(root)
    assert run.where() == [("KPI001", 1, 1)]
    assert "over the 10,485,760-byte limit" in run.findings()[0]["message"]
    named = check(root, "huge.kpi.yaml")
    assert named.where() == [("KPI001", 1, 1)]


def test_size_limit_is_configurable(root: Path) -> None:
    write(root, "kpilint.toml", "max-file-size = 2000\n")
    write(root, "big.kpi.yaml", CLEAN + "# padding\n" * 300)
    write(root, "ok.kpi.yaml", CLEAN.replace("id: k", "id: k2"))
    run = check(root)
    located = [(f["path"], f["code"], f["line"], f["column"]) for f in run.findings()]
    assert located == [("big.kpi.yaml", "KPI001", 1, 1)]
    assert "over the 2,000-byte limit" in run.findings()[0]["message"]


def test_named_endless_device(root: Path) -> None:
    run = kpilint("check", "--format", "json", "/dev/zero", cwd=root)
    assert run.code == 0  # skipped after a stat, before any read (SOURCES.md "Files")
    assert run.where() == []
    assert run.stderr.endswith("dev/zero: it is a device\n")
    assert run.stderr.startswith("kpilint: warning: not read ")


def test_named_fifo(root: Path) -> None:
    os.mkfifo(root / "pipe.kpi.yaml")
    run = kpilint("check", "--format", "json", "pipe.kpi.yaml", cwd=root, timeout=3)
    assert run.code == 0  # skipped after a stat, before any open that would block
    assert run.where() == []
    assert run.stderr == "kpilint: warning: not read pipe.kpi.yaml: it is a FIFO\n"


def test_fifo_in_a_folder_is_skipped(root: Path) -> None:
    os.mkfifo(root / "pipe.kpi.yaml")
    write(root, "ok.kpi.yaml", CLEAN.replace("owner: cfo", "ownr: cfo"))
    run = check(root)
    assert run.code == 1  # ok.kpi.yaml's finding; the skipped FIFO changes nothing
    assert {f["path"] for f in run.findings()} == {"ok.kpi.yaml"}
    assert run.stderr == "kpilint: warning: not read pipe.kpi.yaml: it is a FIFO\n"


# --- the file system ------------------------------------------------------------------


def test_symlink_loops(root: Path) -> None:
    write(root, "sub/a.kpi.yaml", CLEAN)
    os.symlink(root, root / "sub" / "back-to-root")
    os.symlink("self", root / "self")  # a link to itself
    os.symlink(".", root / "here.kpi.yaml")  # a link named like a KPI file, to its folder
    os.symlink("missing.kpi.yaml", root / "dangling.kpi.yaml")
    run = check(root)
    assert run.where() == []
    assert json.loads(run.stdout)["summary"]["files"] == 1
    assert run.seconds < 10


def test_named_symlink_loop_is_a_usage_error(root: Path) -> None:
    os.symlink("self.kpi.yaml", root / "self.kpi.yaml")
    run = kpilint("check", "self.kpi.yaml", cwd=root)
    assert run.code == 2
    assert "self.kpi.yaml" in run.stderr


def test_folder_named_like_a_kpi_file(root: Path) -> None:
    write(root, "team.kpi.yaml/inner.kpi.yaml", CLEAN)
    write(root, "empty.kpi.yml/.keep", "")
    run = check(root)
    assert run.where() == []
    assert json.loads(run.stdout)["summary"]["files"] == 1
    named = check(root, "team.kpi.yaml")
    assert named.where() == []
    assert json.loads(named.stdout)["summary"]["files"] == 1


# --- odd YAML -------------------------------------------------------------------------


def test_non_string_keys(root: Path) -> None:
    text = (
        CLEAN.replace(
            "    owner: cfo\n",
            "    owner: cfo\n"
            "    1: one\n"
            "    [a, b]: list\n"
            "    {c: d}: mapping\n"
            "    null: nothing\n"
            "    true: yes\n"
            "    2027-01-01: day\n",
        )
        + "3.5: top\n"
    )
    write(root, "keys.kpi.yaml", text)
    run = check(root)
    base = CLEAN.splitlines().index("    owner: cfo") + 2  # 1-based line of the first odd key
    assert run.where() == [
        ("KPI003", base, 5),
        ("KPI002", base + 1, 5),
        ("KPI003", base + 1, 5),
        ("KPI002", base + 2, 5),
        ("KPI003", base + 2, 5),
        ("KPI003", base + 3, 5),
        ("KPI003", base + 4, 5),
        ("KPI003", base + 5, 5),
        ("KPI003", text.splitlines().index("3.5: top") + 1, 1),
    ]


def test_duplicate_key_outside_a_section(root: Path) -> None:
    write(root, "a.kpi.yaml", "other:\n  - name: a\n    name: b\n")
    run = check(root)
    assert run.where() == [("KPI003", 1, 1), ("KPI004", 3, 5)]


def test_id_that_is_not_a_string(root: Path) -> None:
    text = CLEAN.replace("id: k", "id: 123")
    write(root, "a.kpi.yaml", text)
    run = check(root)
    assert run.where() == [("KPI002", *locate(text, "  - id: 123", "id"))]


TARGET_VALUES = {
    "nan": ".nan",
    "NaN": ".NaN",
    "inf": ".inf",
    "minus-inf": "-.inf",
    "plus-Inf": "+.Inf",
    "overflowing-float": "1.0e+400",
    "huge-int": "9" * 400,
    "int-over-digit-limit": "9" * 5000,  # beyond Python's int digits limit: kept as text
    "huge-negative-int": "-" + "9" * 400,
    "huge-hex": "0x" + "f" * 400,
}


def test_nan_infinity_and_huge_target_values(tmp_path: Path) -> None:
    texts = {name: CLEAN.replace("value: 120", f"value: {v}") for name, v in TARGET_VALUES.items()}
    found = check_many(tmp_path, texts)
    line = next(t for t in CLEAN.splitlines() if t.startswith("    target:"))
    at = locate(CLEAN, line, "value")
    assert found == {name: [("KPI002", *at)] for name in texts}


def test_nan_infinity_and_huge_baselines(tmp_path: Path) -> None:
    values = {"nan": ".nan", "inf": ".inf", "minus-inf": "-.inf", "huge-int": "9" * 400}
    texts = {n: CLEAN.replace("baseline: 100", f"baseline: {v}") for n, v in values.items()}
    found = check_many(tmp_path, texts)
    line = next(t for t in CLEAN.splitlines() if t.startswith("    target:"))
    at = locate(CLEAN, line, "baseline")
    assert found == {name: [("KPI002", *at)] for name in texts}


def test_nan_infinity_and_huge_bare_targets(tmp_path: Path) -> None:
    mapping = "{value: 120, unit: USD, direction: increase, baseline: 100}"
    values = {"overflowing-float": "1.0e+400", "nan": ".nan", "huge-int": "9" * 400}
    texts = {n: CLEAN.replace(mapping, v) for n, v in values.items()}
    found = check_many(tmp_path, texts)
    line = next(t for t in CLEAN.splitlines() if t.startswith("    target:"))
    at = locate(CLEAN, line, "target")
    # YAML reads these as inf, nan and a 400-digit int; none is a finite float: no number
    assert found == {name: [("KPI201", *at)] for name in texts}


IMPOSSIBLE_DATES = {
    "feb-30": ("{start: 2027-01-01, end: 2027-02-30, review: monthly}", "end"),
    "month-13": ("{start: 2027-01-01, end: 2027-13-01, review: monthly}", "end"),
    "month-0": ("{start: 2027-00-10, end: 2027-12-31, review: monthly}", "start"),
    "year-0": ("{start: 0000-01-01, end: 2027-12-31, review: monthly}", "start"),
    "not-leap": (
        "{start: 2027-01-01, end: 2027-12-31, review: monthly, last_reviewed: 2027-02-29}",
        "last_reviewed",
    ),
    "quoted": ("{start: 2027-01-01, end: '2027-04-31', review: monthly}", "end"),
    "date-time": ("{start: 2027-01-01, end: 2027-12-31T10:00:00, review: monthly}", "end"),
    "hour-25": ("{start: 2027-01-01, end: 2027-12-31 25:00:00, review: monthly}", "end"),
}


def test_impossible_dates(tmp_path: Path) -> None:
    """An impossible date is KPI002 at its key, and nothing else breaks."""
    original = "{start: 2027-01-01, end: 2027-12-31, review: monthly, last_reviewed: 2027-03-01}"
    texts = {n: CLEAN.replace(original, t) for n, (t, _) in IMPOSSIBLE_DATES.items()}
    found = check_many(tmp_path, texts)
    expected = {}
    for name, (_, key) in IMPOSSIBLE_DATES.items():
        line = next(t for t in texts[name].splitlines() if t.startswith("    timeline:"))
        expected[name] = [("KPI002", *locate(texts[name], line, key + ":"))]
    assert found == expected


def test_impossible_date_in_block_style_and_goal_period(root: Path) -> None:
    text = CLEAN.replace(
        "    period: {start: 2027-01-01, end: 2027-12-31}\n",
        "    period:\n      start: 2027-02-30\n      end: 2027-12-31\n",
    )
    write(root, "a.kpi.yaml", text)
    run = check(root)
    assert run.where("KPI002") == [("KPI002", 7, 7)]


def test_bom_and_line_endings_keep_positions(tmp_path: Path) -> None:
    text = (
        CLEAN.replace("    owner: cfo\n", "    ownr: cfo\n")
        + "  - id: second\n"
        + "    name: Second\n"
        + "    goal: g\n"
    )
    lines = text.splitlines()
    variants = {
        "bom-crlf": (True, "\r\n"),
        "crlf": (False, "\r\n"),
        "bom-lf": (True, "\n"),
        "cr": (False, "\r"),
        "bom-cr": (True, "\r"),
    }
    raws = {
        name: (b"\xef\xbb\xbf" if bom else b"") + (newline.join(lines) + newline).encode()
        for name, (bom, newline) in variants.items()
    }
    found = check_many(tmp_path, raws, "--select", "KPI003,KPI101")
    ownr = (lines.index("    ownr: cfo") + 1, 5)
    second = (lines.index("  - id: second") + 1, 5)
    assert found == {name: [("KPI003", *ownr), ("KPI101", *second)] for name in variants}


def test_bom_and_crlf_survive_fix(root: Path) -> None:
    text = CLEAN.replace("    owner: cfo\n", "    ownr: cfo\n")
    raw = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
    path = write(root, "a.kpi.yaml", raw)
    run = kpilint("check", "--fix", "--today", TODAY, ".", cwd=root)
    assert run.code == 0, run.stdout + run.stderr
    fixed = path.read_bytes()
    assert fixed == raw.replace(b"ownr:", b"owner:")


def test_merge_keys(root: Path) -> None:
    text = (
        GOAL
        + METRIC
        + "kpis:\n"
        + "  - &base\n"
        + "    id: base\n"
        + "    name: Base\n"
        + "    goal: g\n"
        + "    metric: m\n"
        + "    owner: cfo\n"
        + "    target: &target {value: 120, unit: USD, direction: increase, baseline: 100}\n"
        + "    timeline: &tl {start: 2027-01-01, end: 2027-12-31, review: monthly,"
        + " last_reviewed: 2027-03-01}\n"
        + "  - <<: *base\n"
        + "    id: derived\n"
        + "    name: Derived\n"
        + "    ownr: x\n"
        + "    target:\n"
        + "      <<: *target\n"
        + "      direction: sideways\n"
        + "    timeline:\n"
        + "      <<: [{review: fortnightly}, *tl]\n"
        + "    scope: team:x\n"
    )
    write(root, "a.kpi.yaml", text)
    run = check(root)
    assert run.where() == [
        ("KPI003", *locate(text, "    ownr: x", "ownr")),  # an explicit key
        ("KPI002", *locate(text, "      direction: sideways", "direction")),  # explicit
        # a merged value is reported where it is written; the first source wins (YAML)
        ("KPI002", *locate(text, "      <<: [{review: fortnightly}, *tl]", "review")),
    ]


def test_merge_key_of_a_non_mapping(root: Path) -> None:
    text = CLEAN + "  - <<: [1, 2]\n    id: broken\n"
    write(root, "a.kpi.yaml", text)
    run = check(root)
    line = "  - <<: [1, 2]"
    assert run.where() == [
        ("KPI001", *locate(text, line, "1")),
        ("KPI001", *locate(text, line, "2")),
    ]


# --- configuration --------------------------------------------------------------------


@pytest.mark.parametrize(
    "config",
    [
        pytest.param(b"select:\n  - KPI1\n", id="yaml"),
        pytest.param(b'{"select": ["KPI1"]}\n', id="json"),
        pytest.param(b"[tool.kpilint\nselect = 1\n", id="broken-table"),
        pytest.param(b"select = [\n", id="unterminated"),
        pytest.param(b"today = 2027-02-30\n", id="impossible-date"),
        pytest.param(b"\x00\x01\x02 = 1\n", id="control-characters"),
    ],
)
def test_config_that_is_not_toml(root: Path, config: bytes) -> None:
    write(root, "kpilint.toml", config)
    write(root, "a.kpi.yaml", CLEAN)
    run = kpilint("check", ".", cwd=root)
    assert run.code == 2
    assert "kpilint.toml" in run.stderr


def test_config_that_is_not_utf8_names_the_file(root: Path) -> None:
    write(root, "kpilint.toml", b"\xff\xfe\x00select = 1\n")
    write(root, "a.kpi.yaml", CLEAN)
    run = kpilint("check", ".", cwd=root)
    assert run.code == 2
    assert "kpilint.toml" in run.stderr


@pytest.mark.parametrize(
    "config",
    [b"select:\n  - KPI1\n", b"\x00\x01\x02", b""],
)
def test_explicit_config_that_is_not_toml(root: Path, config: bytes) -> None:
    write(root, "other.yaml", config)
    write(root, "a.kpi.yaml", CLEAN)
    run = kpilint("check", "--config", "other.yaml", ".", cwd=root)
    assert run.code == (2 if config else 0)  # an empty file is valid TOML: the defaults


def test_pyproject_that_is_not_toml(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[tool.kpilint]\nselect = ["KPI101"\n')
    write(tmp_path, "a.kpi.yaml", CLEAN)
    run = kpilint("check", ".", cwd=tmp_path)
    assert run.code == 2
    assert "pyproject.toml" in run.stderr


def test_config_that_is_a_folder(root: Path) -> None:
    write(root, "a.kpi.yaml", CLEAN)
    (root / "conf.toml").mkdir()
    run = kpilint("check", "--config", "conf.toml", ".", cwd=root)
    assert run.code == 2


def test_clean_control(root: Path) -> None:
    """The fixture itself is clean: the cases above see only their own findings."""
    write(root, "a.kpi.yaml", CLEAN)
    assert check(root).where() == []


# --- the cache and the known-findings file (a branch can commit either) --------------


def test_cache_folder_symlinked_out_of_the_project(root: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.json").write_text("{}")
    write(root, "a.kpi.yaml", CLEAN)
    (root / ".kpilint_cache").symlink_to(victim)
    run = kpilint("check", "--today", TODAY, ".", cwd=root)
    assert run.code == 0 and run.stderr.count("is a symlink") == 1
    assert [p.name for p in victim.iterdir()] == ["keep.json"]


def test_hostile_cache_entries(root: Path) -> None:
    write(root, "a.kpi.yaml", CLEAN.replace("owner: cfo", "ownr: cfo"))
    first = kpilint("check", "--format", "json", "--today", TODAY, ".", cwd=root)
    [entry] = (root / ".kpilint_cache").glob("*.json")
    data = json.loads(entry.read_text())
    for damage in ('"counts": []', '"severity": "bogus"', '"line": "x"', '"path": null'):
        name, value = damage.split(": ")
        data["findings"][0][name.strip('"')] = json.loads(value)
        entry.write_text(json.dumps(data))
        assert check(root).where() == first.where()
    entry.write_text("[" * 200_000 + "]" * 200_000)
    assert check(root).where() == first.where()


@pytest.mark.parametrize(
    ("entries", "code", "said"),
    [
        (
            '[{"code": "KPI101", "path": "a.kpi.yaml", "count": 1e999}]',
            0,
            "entry 1 ignored: 'count' is not a whole number of at least 1",
        ),
        (
            '[{"code": 1, "path": "a.kpi.yaml"}, {"code": "KPI101", "path": "a.kpi.yaml"}]',
            0,
            "entry 1 ignored: 'code' is not a string",
        ),
        ("[" * 100_000 + "]" * 100_000, 2, "'known.json' is nested too deeply"),
    ],
    ids=["infinite-count", "mixed-type-codes", "deep-arrays"],
)
def test_hostile_known_files(root: Path, entries: str, code: int, said: str) -> None:
    write(root, "a.kpi.yaml", CLEAN)
    write(root, "known.json", '{"version": 1, "findings": ' + entries + "}")
    run = kpilint("check", "--today", TODAY, "--known", "known.json", ".", cwd=root)
    assert run.code == code and said in run.stderr, run.stderr


# --- text that reaches terminals, CI logs and job summaries --------------------------

# Zero-width and bidi marks hide or reorder text as surely as a control character;
# an HTML entity would become one in markdown (CLI.md "Output safety and size").
INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u061c"
HOSTILE_TEXT = "x\n::add-mask::secret\r\x1b]0;pwned\x07\x1b[2J\u202e" + INVISIBLE + "&#x202e;"
RAW = ("\n::", "\r", "\x1b", "\x07", "\u202e", *INVISIBLE)


def _hostile_project(root: Path) -> None:
    text = json.dumps(HOSTILE_TEXT)  # a YAML double-quoted scalar
    kpi = KPI.format(id="k", name=text) + f"    {text}: 1\n"
    goal = GOAL.replace("name: Goal", f"name: {text}")
    write(root, "a.kpi.yaml", goal + METRIC + "kpis:\n" + kpi)


def _assert_shown(output: str, fence: str = "", *, markdown: bool = False) -> None:
    body = output.replace(fence, "") if fence else output
    for raw in RAW:
        assert raw not in body, (raw, output[:2000])
    assert "::add-mask::secret" in body  # shown, escaped, not dropped
    assert "\\u200b\\u200c\\u200d\\u200e\\u200f\\u2060" in body.replace("\\\\", "\\")
    if markdown:  # an entity is text, not the character it names
        assert re.search(r"(?<!\\)&#x202e;", body) is None, output[:2000]
        assert "\\&#x202e;" in body


@pytest.mark.parametrize("fmt", ["text", "markdown", "github", "junit"])
def test_control_characters_are_shown_in_check_formats(root: Path, fmt: str) -> None:
    _hostile_project(root)
    run = kpilint("check", "--format", fmt, "--today", TODAY, ".", cwd=root)
    assert run.code == 1
    if fmt != "markdown":  # markdown escapes the backslashes once more
        assert "\\n::add-mask::secret\\r\\x1b]0;pwned\\x07" in run.stdout
    shown = run.stdout.replace("\n::", "\n") if fmt == "github" else run.stdout
    _assert_shown(shown, markdown=fmt == "markdown")
    if fmt == "github":  # every line is a command kpilint wrote, none from the file
        assert all(
            line.startswith(("::error ", "::warning ", "::notice ", "::group::", "::endgroup::"))
            or line.startswith("kpilint: ")
            for line in run.stdout.splitlines()
        )


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_control_characters_are_shown_in_audit_formats(root: Path, fmt: str) -> None:
    _hostile_project(root)
    run = kpilint("audit", "--format", fmt, "--today", TODAY, ".", cwd=root)
    assert run.code == 1
    _assert_shown(run.stdout, markdown=fmt == "markdown")
    if fmt == "html":
        assert "&#x202e;" not in run.stdout and "&amp;#x202e;" in run.stdout


def test_control_characters_and_markdown_in_diff_markdown(root: Path) -> None:
    git(root, "init", "-q")
    write(root, "a.kpi.yaml", CLEAN)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    owner = "@octocat ![x](https://e.io/t.png) [click](https://evil.io)"  # under 60
    changed = CLEAN.replace("owner: cfo", f"owner: {json.dumps(owner)}")
    target = "target: {value: 120, unit: USD, direction: increase, baseline: 100}"
    changed = changed.replace(target, f"target: {json.dumps(HOSTILE_TEXT)}")
    changed = changed.replace("name: MRR", 'name: "MRR`|x"')
    write(root, "a.kpi.yaml", changed)
    run = kpilint("diff", "main", "--format", "markdown", "--today", TODAY, cwd=root)
    _assert_shown(run.stdout, markdown=True)
    changed_part, findings_part = run.stdout.split("### New findings")
    rows = [line for line in changed_part.splitlines() if line.startswith("| ")]
    owner_cell = "@<!-- -->octocat !\\[x\\](https://e.io/t.png) \\[click\\](https://evil"
    assert any(owner_cell in row for row in rows), rows
    assert all(row.count(" | ") == 3 for row in rows[2:]), rows  # no cell broke out
    found = [line for line in findings_part.splitlines() if line.startswith("| ")]
    assert found and all(row.count(" | ") == 4 for row in found[2:]), found  # 5 columns


# --- content that used to raise: huge integers, the last date, file names, limits ----

BIG_INTS = {
    "hex": "0x" + "f" * 3700,
    "binary": "0b" + "1" * 15000,
    "octal": "0" + "7" * 5000,
}


@pytest.mark.parametrize("number", list(BIG_INTS.values()), ids=list(BIG_INTS))
def test_huge_integers_in_messages(root: Path, number: str) -> None:
    kpi = KPI.format(id="k", name="MRR").replace("baseline: 100", f"baseline: {number}")
    kpi = kpi.replace("owner: cfo", f"owner: {number}")
    write(root, "a.kpi.yaml", f"version: {number}\n" + GOAL + METRIC + "kpis:\n" + kpi)
    run = check(root)
    found = {(code, line) for code, line, _ in run.where("KPI002")}
    assert found == {("KPI002", 1), ("KPI002", 21), ("KPI002", 22)}  # version, owner, baseline
    assert all(len(f["message"]) < 200 for f in run.findings())
    if number == BIG_INTS["hex"]:  # every format goes through the same quoting
        kpilint("check", "--format", "sarif", "--today", TODAY, ".", cwd=root)
        for fmt in ("json", "html"):
            kpilint("audit", "--format", fmt, "--today", TODAY, ".", cwd=root)


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html"])
def test_last_reviewed_on_the_last_day_there_is(root: Path, fmt: str) -> None:
    write(
        root, "a.kpi.yaml", CLEAN.replace("last_reviewed: 2027-03-01", "last_reviewed: 9999-12-31")
    )
    assert kpilint("audit", "--format", fmt, "--today", TODAY, ".", cwd=root).code in (0, 1)


NOT_UTF8 = b"caf\xe9.kpi.yaml"


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "gitlab", "junit", "markdown"])
def test_file_name_that_is_not_utf8(root: Path, fmt: str) -> None:
    (root / os.fsdecode(NOT_UTF8)).write_text(CLEAN.replace("owner: cfo", "ownr: cfo"))
    run = kpilint("check", "--format", fmt, "--today", TODAY, ".", cwd=root)
    assert run.code == 1
    if fmt == "json":
        assert {f["path"] for f in run.findings()} == {"caf\udce9.kpi.yaml"}
    elif fmt == "gitlab":
        assert {f["location"]["path"] for f in json.loads(run.stdout)} == {"caf\udce9.kpi.yaml"}
    elif fmt == "markdown":
        assert "caf\\\\xe9.kpi.yaml" in run.stdout
    elif fmt == "sarif":
        assert '"uri": "caf%E9.kpi.yaml"' in run.stdout
    else:
        assert "caf\\xe9.kpi.yaml" in run.stdout


def test_file_name_that_is_not_utf8_is_fixed_and_audited(root: Path) -> None:
    path = root / os.fsdecode(NOT_UTF8)
    path.write_text(CLEAN.replace("owner: cfo", "ownr: cfo"))
    run = kpilint("check", "--fix", "--today", TODAY, ".", cwd=root)
    assert run.code == 0 and path.read_text() == CLEAN
    for fmt in ("text", "json", "markdown", "html"):
        kpilint("audit", "--format", fmt, "--today", TODAY, ".", cwd=root)


def test_absurd_max_file_size(root: Path) -> None:
    write(root, "kpilint.toml", "max-file-size = 99999999999999999999999999\n")
    write(root, "a.kpi.yaml", CLEAN)
    assert check(root).where() == []


# --- values quoted in messages -------------------------------------------------------


def test_a_value_is_quoted_whole_or_shortened(root: Path) -> None:
    long = "x" * 300
    kpi = KPI.format(id="k", name="MRR").replace("goal: g", 'goal: "@octocat"')
    kpi += f"    status: {long}\n"
    write(root, "a.kpi.yaml", GOAL + METRIC + "kpis:\n" + kpi)
    messages = {f["line"]: f["message"] for f in check(root).findings() if f["code"] == "KPI002"}
    assert messages[18].startswith("KPI 'k': 'goal' is '@octocat'; ")
    assert messages[23].startswith("KPI 'k': 'status' is '" + "x" * 57 + "…'; ")


# --- where import writes (--output-file: test_output_file.py) ---------------------


def _tree(top: Path) -> set[str]:
    return {str(p.relative_to(top)) for p in top.rglob("*")}


def test_import_per_team_stays_inside_the_output_folder(tmp_path: Path) -> None:
    work = tmp_path / "deep" / "work"
    work.mkdir(parents=True)
    rows = "id,name,scope\na,A,team:../\nb,B,team:/\nc,C,team:/тмп/\nd,D,team:тмп\x00\ne,E,team:x\n"
    (work / "k.csv").write_bytes(rows.encode("utf-16"))
    before = _tree(tmp_path)
    run = kpilint("import", "--from", "csv", "--per-team", "-o", "out", "k.csv", cwd=work)
    assert run.code == 0, run.stderr
    written = sorted(_tree(tmp_path) - before)
    assert written == [
        "deep/work/out",
        "deep/work/out/k.kpi.yaml",
        "deep/work/out/x.kpi.yaml",
        "deep/work/out/тмп.kpi.yaml",
    ]
    assert not Path("/.kpi.yaml").exists() and not Path("/тмп").exists()
    assert "id: a" in (work / "out" / "k.kpi.yaml").read_text()


def test_import_does_not_write_through_a_dangling_symlink(tmp_path: Path) -> None:
    (tmp_path / "k.csv").write_text("id,name\na,A\n")
    (tmp_path / "out").mkdir()
    victim = tmp_path / "victim.yaml"
    (tmp_path / "out" / "k.kpi.yaml").symlink_to(victim)
    run = kpilint("import", "--from", "csv", "-o", "out", "k.csv", cwd=tmp_path)
    assert run.code == 2 and "--force" in run.stderr and not victim.exists()
    run = kpilint("import", "--from", "csv", "-o", "out", "k.csv", "--force", cwd=tmp_path)
    assert run.code == 0 and not victim.exists()
    assert not (tmp_path / "out" / "k.kpi.yaml").is_symlink()


# --- work bounded by the input's size (the bench's pathological row measures it) -----


def test_base60_value_of_900kb_is_text(root: Path) -> None:
    notes = ":".join(["59"] * 300_000)  # YAML 1.1 reads it as one huge base-60 int
    kpi = KPI.format(id="k", name="MRR") + f"    description: {notes}\n"
    write(root, "a.kpi.yaml", GOAL + METRIC + "kpis:\n" + kpi)
    assert check(root).where() == []  # kept as text, as a decimal int that long is


def test_20000_unknown_keys_list_1000_and_count_the_rest(root: Path) -> None:
    keys = "".join(f"    zz{i}: 1\n" for i in range(20_000))
    write(root, "a.kpi.yaml", CLEAN + keys)
    run = check(root)
    found = run.where()
    assert len(found) == 1000 and found[0] == ("KPI003", 23, 5) and found[-1][1] == 1022
    assert json.loads(run.stdout)["summary"]["omitted"] == 19_000
    text = kpilint("check", "--today", TODAY, ".", cwd=root).stdout
    assert "Found 1000 findings (1000 errors) in 1 file.\n19000 more findings not listed" in text


def _long_values_file() -> str:
    """A KPI file whose id, references, values, keys and comments are thousands of
    characters long, each made of one letter so a message showing it whole is seen."""
    a, b, d, f = ("a" * 5000, "b" * 5000, "d" * 5000, "f" * 5000)
    e = "e" * 1000  # a YAML simple key has at most 1,024 characters
    return (
        GOAL
        + METRIC.replace("source: stripe", f"source: {f} spreadsheet")
        + f"kpis:\n  - id: {a}\n    name: K\n    goal: {b}\n    metric: m\n    owner: cfo\n"
        + f"    target: {d}\n    {e}: 1\n    {e}: 2\n"
        + f"  - id: {a}\n    name: K2\n    # kpilint: {e}[KPI101]\n"
        + f"    metric: m  # kpilint: ignore[{f}] because\n"
    )


def test_long_ids_and_values_are_cut_in_messages_and_whole_in_json(root: Path) -> None:
    write(root, "a.kpi.yaml", _long_values_file())
    run = check(root)
    cut_a = "'" + "a" * 57 + "…'"  # 60 characters (CLI.md "Output safety and size")
    by_where = {(f["code"], f["line"], f["column"]): f for f in run.findings()}
    assert by_where["KPI101", 24, 5]["message"] == f"KPI {cut_a} has no target"
    assert by_where["KPI101", 24, 5]["entity"] == {"kind": "kpi", "id": "a" * 5000}
    unknown = by_where["KPI003", 23, 5]
    assert unknown["message"] == f"KPI {cut_a}: unknown key '{'e' * 57}…'"
    assert unknown["fix"]["description"].startswith(f"Remove '{'e' * 57}…', or use one of: id,")
    assert f"'goal' is '{'b' * 57}…'" in by_where["KPI002", 18, 5]["message"]
    assert by_where["KPI004", 23, 5]["message"].startswith(f"key '{'e' * 57}…' appears twice")
    assert by_where["KPI005", 24, 5]["fix"]["description"].endswith(f"called {cut_a}")
    assert f"target '{'d' * 57}…' has no number" in by_where["KPI201", 21, 5]["message"]
    assert "(source: " + "f" * 59 + "…)" in by_where["KPI701", 8, 5]["message"]
    assert f"unknown directive '{'e' * 57}…'" in by_where["KPI008", 26, 5]["message"]
    assert f"no rule is called '{'f' * 57}…'" in by_where["KPI008", 27, 16]["message"]
    for f in run.findings():  # every message and fix shows at most 59 of a long value
        shown = f["message"] + f["fix"]["description"]
        assert not any(c * 60 in shown for c in "abdef"), (f["code"], f["line"])
    for fmt in ("text", "markdown", "github", "junit"):
        out = kpilint("check", "--format", fmt, "--today", TODAY, ".", cwd=root).stdout
        assert not any(c * 60 in out for c in "abdef"), fmt
        assert len(out) < 20 * len(run.findings()) * 200, fmt  # about 200 bytes a finding
    # SARIF keeps the whole id as JSON does, but once per run (a logical location the
    # results refer to by index), not once per finding.
    sarif = json.loads(
        kpilint("check", "--format", "sarif", "--today", TODAY, ".", cwd=root).stdout
    )
    [sarif_run] = sarif["runs"]
    assert json.dumps(sarif_run["results"]).count("a" * 5000) == 0
    places = sarif_run["logicalLocations"]
    assert [p["name"] for p in places].count("a" * 5000) == 1
    long_id = next(p["index"] for p in places if p["name"] == "a" * 5000)
    assert any(p.get("parentIndex") == long_id and p["kind"] == "property" for p in places)


def test_misspelt_references_among_many_ids_cost_bounded_work(root: Path) -> None:
    # 2,000 ids and 2,000 near-miss references: "did you mean" compared each with
    # each (70 s); the hints now share a budget, and every finding is still made.
    n, per_file = 2000, 500
    goals = "".join(f"  - {{id: goal-number-{i}, name: G, kind: revenue}}\n" for i in range(n))
    write(root, "goals.kpi.yaml", "goals:\n" + goals)
    write(root, "owners.txt", "".join(f"owner-number-{i}\n" for i in range(n)))
    write(root, "kpilint.toml", 'owners = "owners.txt"\n')
    for part in range(n // per_file):
        kpis = "".join(
            f"  - {{id: k{i}, name: K, goal: goal-numbr-{i}, owner: owner-numbr-{i}}}\n"
            for i in range(part * per_file, (part + 1) * per_file)
        )
        write(root, f"k{part}.kpi.yaml", "kpis:\n" + kpis)
    run = check(root, extra=("--select", "KPI006,KPI106"))
    found = run.findings()
    assert len(found) == 2 * n  # one per reference and per owner, hint or not
    first = {
        f["code"]: f["message"] for f in found if f["path"] == "k0.kpi.yaml" and f["line"] == 2
    }
    assert first["KPI006"].endswith("names no goal in the project; did you mean 'goal-number-0'?")
    assert first["KPI106"].endswith("not in the owners list; did you mean 'owner-number-0'?")


def test_limit_keeps_the_most_severe_findings_of_a_file(root: Path) -> None:
    tiny = "".join(f"  - {{id: k{i}, name: K, goal: g, metric: m, owner: o}}\n" for i in range(600))
    write(root, "a.kpi.yaml", GOAL + METRIC + "kpis:\n" + tiny)
    run = check(root)
    summary = json.loads(run.stdout)["summary"]
    assert len(run.findings()) == 1000 and summary["omitted"] > 0
    assert summary["error"] == 1000 and run.code == 1  # errors first: the exit code stands
    assert run.where() == sorted(run.where(), key=lambda w: (w[1], w[2], w[0]))


# --- symlinks in and out of the project ----------------------------------------------


def test_file_symlinked_into_the_named_folder_is_reported_by_its_link(
    root: Path, tmp_path: Path
) -> None:
    write(root, "other/a.kpi.yaml", CLEAN.replace("owner: cfo", "ownr: cfo"))
    (root / "sub").mkdir()
    (root / "sub" / "in.kpi.yaml").symlink_to("../other/a.kpi.yaml")
    outside = tmp_path / "elsewhere" / "b.kpi.yaml"
    write(
        outside.parent,
        outside.name,
        CLEAN.replace("id: k", "id: b").replace("owner: cfo", "ownr: x"),
    )
    (root / "sub" / "out.kpi.yaml").symlink_to(outside)
    run = check(root, "sub")  # the link out of the project is never read (SOURCES.md "Files")
    assert sorted({f["path"] for f in run.findings()}) == ["sub/in.kpi.yaml"]
    assert json.loads(run.stdout)["summary"]["files"] == 1  # other/a.kpi.yaml, by its link
    assert run.stderr == (
        "kpilint: warning: not read sub/out.kpi.yaml: it resolves outside the project root\n"
    )


def test_directory_symlink_out_of_the_project_is_not_walked(root: Path, tmp_path: Path) -> None:
    write(root, "a.kpi.yaml", CLEAN)
    (root / "disk").symlink_to("/")
    write(tmp_path / "elsewhere", "b.kpi.yaml", "kpis: [\n")
    (root / "elsewhere").symlink_to(tmp_path / "elsewhere")
    write(root, "real/c.kpi.yaml", "kpis: [\n")
    (root / "inside").symlink_to(root / "real")
    run = check(root)  # the link to / is not walked; the one inside is the same file
    assert run.where() == [("KPI001", 2, 1)]
    assert run.findings()[0]["path"] in ("inside/c.kpi.yaml", "real/c.kpi.yaml")


def test_messages_on_stderr_show_control_characters(root: Path, tmp_path: Path) -> None:
    name = "a\n::add-mask::x\x1b[2J.kpi.yaml"
    write(root, name, CLEAN.replace("owner: cfo", "ownr: cfo"))
    (root / name).chmod(0o444)  # --fix refuses it, naming the file on stderr
    run = kpilint("check", "--fix", "--today", TODAY, ".", cwd=root)
    assert "not fixed a\\n::add-mask::x\\x1b[2J.kpi.yaml: the file is read-only" in run.stderr
    assert "\x1b" not in run.stderr and "\n::" not in run.stderr
