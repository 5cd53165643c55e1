"""Hostile input that used to end in a traceback: integers past Python's int-digit
limit, nesting past the recursion limit, commit dates outside years 1 to 9999.

The style of test_hostile (its ``kpilint`` helper: a real process with a time and
memory limit, never a traceback, exit 2 as one line), here for the source readers,
the config, the owners file and ``audit --history``. No test depends on Python's
own limits or messages: every input is far past them (5,000 digits, 5,000 levels).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import git
from tests.test_hostile import CLEAN, TODAY, check, kpilint, write

HUGE = "9" * 5000  # an int no Python reads with its default limit (4,300 digits)
DEEP = 5000

# One source of two records per format: the first holds a huge int in a key the
# mapping does not read (n) and in one it reads (agg); the second is clean.
SOURCES = {
    "yaml": (
        "items:\n"
        "  - key: a\n"
        "    title: A\n"
        f"    n: {HUGE}\n"
        f"    agg: {HUGE}\n"
        "  - key: b\n"
        "    title: B\n"
        "    agg: sum\n"
    ),
    "json": (
        '{"items": [\n'
        f'  {{"key": "a", "title": "A", "n": {HUGE},\n'
        f'   "agg": {HUGE}}},\n'
        '  {"key": "b", "title": "B", "agg": "sum"}\n'
        "]}\n"
    ),
    "csv": f"key,title,n,agg\na,A,{HUGE},{HUGE}\nb,B,,sum\n",
    "toml": (
        "[[items]]\n"
        'key = "a"\n'
        'title = "A"\n'
        f"n = {HUGE}\n"
        f"agg = {HUGE}\n"
        "\n"
        "[[items]]\n"
        'key = "b"\n'
        'title = "B"\n'
        'agg = "sum"\n'
    ),
}
SOURCE_CONFIG = """\
[[sources]]
include = ["cat/*.{fmt}"]
format = "{fmt}"
records = "items"
kind = "metric"
[sources.map]
id = "key"
name = "title"
aggregation = {agg}
"""


def _source(root: Path, fmt: str, text: str, agg: str = '"agg"') -> None:
    config = SOURCE_CONFIG.replace("{fmt}", fmt).replace("{agg}", agg)
    if fmt == "csv":  # the rows are the document
        config = config.replace('records = "items"', 'records = ""')
    write(root, "kpilint.toml", config)
    write(root, f"cat/a.{fmt}", text)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    return project


# --- integers past Python's int-digit limit ------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "where", "metrics"),
    [
        # Read as a kpilint file reads it (SOURCES.md): the number is kept as text, so
        # the mapped key is KPI002 at the source key, and both records are read.
        ("yaml", [("KPI002", 5, 5)], 2),
        ("json", [("KPI002", 3, 4)], 2),
        ("csv", [("KPI002", 2, len(f"a,A,{HUGE},") + 1)], 2),
        # TOML promises 64-bit integers; tomllib cannot read the file: KPI001 at the
        # first such integer, as at a syntax error, and no record is read.
        ("toml", [("KPI001", 4, 5)], 0),
    ],
)
def test_integer_past_the_digit_limit_in_a_source(
    root: Path, fmt: str, where: list[tuple[str, int, int]], metrics: int
) -> None:
    _source(root, fmt, SOURCES[fmt])
    run = check(root, extra=("--select", "KPI001,KPI002"))
    assert run.where() == where
    assert json.loads(run.stdout)["summary"]["metrics"] == metrics
    assert all(len(f["message"]) < 200 for f in run.findings())


@pytest.mark.parametrize(
    "value", [f"{HUGE[:400]}", ".inf", "-.inf", ".nan"], ids=["400-digits", "inf", "-inf", "nan"]
)
def test_scale_of_a_number_no_float_holds(root: Path, value: str) -> None:
    text = f"items:\n  - key: a\n    title: A\n    agg: sum\n    v: {value}\n"
    _source(root, "yaml", text)
    config = (root / "kpilint.toml").read_text().replace('kind = "metric"', 'kind = "kpi"')
    write(root, "kpilint.toml", config + '"target.value" = { from = "v", scale = 100 }\n')
    run = check(root, extra=("--select", "KPI002"))
    assert run.where() == [("KPI002", 5, 5)]  # not a finite number, as unscaled


def test_toml_local_time_in_the_second_array_table(root: Path) -> None:
    """A local time is read as its text (YAML has no time type for import to write), and
    the second ``[[items]]`` is positioned (it was the first's element 0, at 1:1)."""
    text = (
        '[[items]]\nkey = "a"\ntitle = "A"\n\n[[items]]\nkey = "b"\ntitle = "B"\nagg = 07:32:00\n'
    )
    _source(root, "toml", text)
    assert check(root, extra=("--select", "KPI002")).where() == [("KPI002", 8, 1)]
    run = kpilint("import", "--source", "1", "-o", "out", "cat", cwd=root)
    assert run.code == 0
    assert "  aggregation: 07:32:00\n" in (root / "out" / "a.kpi.yaml").read_text().replace("'", "")
    assert check(root, "out", extra=("--select", "KPI002")).where() == [("KPI002", 9, 3)]


HEX = "0x" + "f" * 3700  # an int Python reads in any length, but prints in decimal only
HEX_SOURCES = {  # the int is an id and a name, and fills templates
    "yaml": f"items:\n  - key: {HEX}\n    title: {HEX}\n",
    "toml": f"[[items]]\nkey = {HEX}\ntitle = {HEX}\n",
}


@pytest.mark.parametrize(
    ("fmt", "where"),
    [
        ("yaml", ("KPI002", 2, 5)),  # read as the text written: the id is no slug
        ("toml", ("KPI001", 2, 7)),  # as a long decimal int: TOML promises 64 bits
    ],
)
def test_hex_int_no_decimal_text_holds_in_a_source(
    root: Path, fmt: str, where: tuple[str, int, int]
) -> None:
    _source(root, fmt, HEX_SOURCES[fmt])
    config = (root / "kpilint.toml").read_text().replace('id = "key"', 'id = "key"\n')
    config += 'owner = { from = "title", template = "team-{slug}" }\n'
    write(
        root,
        "kpilint.toml",
        config.replace('id = "key"', 'id = { from = "key", template = "m-{}" }'),
    )
    run = check(root, extra=("--select", "KPI0"))
    assert run.where() == [where]


def test_hex_int_no_decimal_text_holds_in_a_gitlab_file(root: Path) -> None:
    write(root, "pi.yml", f"- name: {HEX}\n  org: {HEX}\n  definition: d\n")
    run = check(root, "pi.yml", extra=("--from", "gitlab-pi"))
    assert run.where() == [("KPI404", 1, 3)]  # read, named by the text written


OPENSLO = """\
apiVersion: openslo/v1
kind: SLO
metadata:
  name: api
spec:
  service: api
  timeWindow:
    - count: {count}
      unit: Minute
      isRolling: true
  objectives:
    - target: 0.99
"""


@pytest.mark.parametrize(("count", "review"), [("1", "weekly"), (HUGE[:400], "annually")])
def test_openslo_window_of_more_minutes_than_a_float_holds(
    root: Path, count: str, review: str
) -> None:
    write(root, "slo.yaml", OPENSLO.format(count=count))
    run = kpilint("import", "--from", "openslo", "-o", "out", "slo.yaml", cwd=root)
    assert run.code == 0
    assert f"review: {review}" in (root / "out" / "slo.kpi.yaml").read_text()


def test_list_index_past_any_list_in_a_mapping_path(root: Path) -> None:
    _source(root, "yaml", "items:\n  - key: a\n    title: A\n", agg=f'"title[{HUGE}]"')
    run = check(root, extra=("--select", "KPI002"))
    assert run.where() == []  # absent, as an index past the list's end is
    config = (root / "kpilint.toml").read_text()
    write(root, "kpilint.toml", config.replace('"title"', f'"title[{HUGE}]"'))
    run = check(root, extra=("--select", "KPI002"))
    assert run.where() == [("KPI002", 2, 5)]  # the required 'name' is absent
    write(root, "kpilint.toml", config.replace('"items"', f'"items[{HUGE}]"'))
    assert check(root).where() == []  # no record there


@pytest.mark.parametrize("number", [HUGE, "0x" + "f" * 3700], ids=["decimal", "hex"])
def test_integer_past_the_digit_limit_in_the_config(root: Path, number: str) -> None:
    write(root, "a.kpi.yaml", CLEAN)
    write(root, "kpilint.toml", f"# big\n[rules.KPI406]\nmax = {number}\n")
    run = kpilint("check", ".", cwd=root)
    assert run.code == 2
    assert "kpilint.toml:3:7: not valid TOML: " in run.stderr


def test_integer_past_the_digit_limit_in_an_owners_file(root: Path) -> None:
    write(root, "a.kpi.yaml", CLEAN)
    write(root, "kpilint.toml", 'owners = "owners.yaml"\n')
    write(root, "owners.yaml", f"- cfo\n- ceo\n- {HUGE}\n")
    assert check(root).where() == []
    # a base-60 int of 900 KB: the owners file is read as KPI files are, in linear time
    write(root, "owners.yaml", "- cfo\n- ceo\n- 1:" + ":".join(["59"] * 300_000) + "\n")
    run = check(root)
    assert run.where() == [] and run.seconds < 10
    write(root, "owners.yaml", "[" * 30_000 + "]" * 30_000 + "\n")
    run = kpilint("check", ".", cwd=root)
    assert run.code == 2 and "owners = 'owners.yaml': not valid YAML at line 1" in run.stderr


def test_integer_past_the_digit_limit_in_a_known_findings_file(root: Path) -> None:
    write(root, "a.kpi.yaml", CLEAN)
    entry = f'{{"code": "KPI101", "path": "a.kpi.yaml", "count": {HUGE}}}'
    write(root, "known.json", '{"version": 1, "findings": [' + entry + "]}")
    run = kpilint("check", "--today", TODAY, "--known", "known.json", ".", cwd=root)
    assert run.code == 0  # that entry is skipped, as one with an infinite count is
    assert "entry 1 ignored: 'count' is not a whole number of at least 1" in run.stderr


# --- nesting past the recursion limit ------------------------------------------------


def _deep(fmt: str, depth: int) -> str:
    if fmt == "toml":
        return "items = " + "[" * depth + "]" * depth + "\n"
    if fmt == "json":
        return '{"items": ' + "[" * depth + "]" * depth + "}\n"
    return "items: " + "[" * depth + "]" * depth + "\n"


@pytest.mark.parametrize("depth", [300, DEEP])  # 300 parses, then is refused as YAML is
@pytest.mark.parametrize("fmt", ["toml", "json", "yaml"])
def test_deep_nesting_in_a_source(root: Path, fmt: str, depth: int) -> None:
    _source(root, fmt, _deep(fmt, depth))
    write(root, "ok.kpi.yaml", CLEAN)
    run = check(root)
    assert [(f["path"], *w) for f, w in zip(run.findings(), run.where(), strict=True)] == [
        (f"cat/a.{fmt}", "KPI001", 1, 1)
    ]
    assert f"the {fmt.upper()} nests more than 200 levels deep" in run.findings()[0]["message"]


METRIC_HUB = {
    "deep": ("x = " + "[" * DEEP + "]" * DEEP + "\n", (1, 1)),
    "huge-int": (f'[metrics.active]\nfriendly_name = "Active"\nx = {HUGE}\n', (3, 5)),
}


@pytest.mark.parametrize("case", list(METRIC_HUB))
def test_metric_hub_file_through_check_import_and_audit(root: Path, case: str) -> None:
    text, (line, column) = METRIC_HUB[case]
    write(root, "definitions/fenix.toml", text)
    found = check(root, "definitions", extra=("--from", "metric-hub"))
    assert found.where() == [("KPI001", line, column)]
    imported = kpilint("import", "--from", "metric-hub", "-o", "out", "definitions", cwd=root)
    assert f"definitions/fenix.toml:{line}:{column}: KPI001 " in imported.stderr
    write(root, "kpilint.toml", '[[sources]]\npreset = "metric-hub"\n')
    audited = kpilint("audit", "--format", "json", "--today", TODAY, ".", cwd=root)
    assert audited.code == 1
    assert [(f["code"], f["line"], f["column"]) for f in audited.findings()] == [
        ("KPI001", line, column)
    ]


@pytest.mark.parametrize("name", ["kpilint.toml", "pyproject.toml"])
def test_deep_nesting_in_the_config(root: Path, name: str) -> None:
    head = "[tool.kpilint]\n" if name == "pyproject.toml" else ""
    write(root, name, head + "select = " + "[" * DEEP + "]" * DEEP + "\n")
    write(root, "a.kpi.yaml", CLEAN)
    for command in ("check", "audit"):
        run = kpilint(command, ".", cwd=root)
        assert run.code == 2
        assert f"{name}: the TOML nests too deeply to read" in run.stderr


# --- commit dates a date cannot hold -------------------------------------------------


def _commit(repo: Path, text: str, message: str, stamp: str) -> str:
    write(repo, "a.kpi.yaml", text)
    git(repo, "add", "-A")
    stamp_env = {"GIT_COMMITTER_DATE": stamp, "GIT_AUTHOR_DATE": stamp}
    git(repo, "commit", "-qm", message, env=stamp_env)
    return git(repo, "rev-parse", "HEAD")


def _history(repo: Path) -> dict[str, object]:
    run = kpilint("audit", "--history", "--format", "json", ".", cwd=repo)
    assert run.code in (0, 1)
    history: dict[str, object] = json.loads(run.stdout)["audit"]["history"]
    return history


def test_history_over_a_commit_dated_year_10001(root: Path) -> None:
    git(root, "init", "-q")
    write(root, "kpilint.toml", "")
    first = _commit(root, CLEAN, "first", "2027-03-01T12:00:00 +0000")
    far = _commit(root, CLEAN.replace("MRR", "Revenue"), "far", "@253440000000 +0000")
    assert git(root, "log", "-1", "--format=%cI").startswith("10001-")
    last = _commit(root, CLEAN, "last", "2027-03-10T12:00:00 +0000")
    history = _history(root)
    points = history["points"]
    assert isinstance(points, list)
    assert [(p["commit"], p["date"]) for p in points] == [
        (first, "2027-03-01"),
        (last, "2027-03-10"),
    ]
    assert history["note"] == (
        "left out 1 commit whose commit date is not a calendar date from year 1 to 9999"
        f" ({far[:7]})"
    )
    for fmt in ("text", "markdown", "html"):
        assert kpilint("audit", "--history", "--format", fmt, ".", cwd=root).code in (0, 1)


@pytest.mark.parametrize(
    "stamp", ["-100 +0000", "99999999999999999999 +0000", "0 +0000", "253402300799 -1400"]
)
def test_history_over_a_commit_with_an_odd_raw_timestamp(root: Path, stamp: str) -> None:
    """Before 1970, past what git's own date type holds, the epoch, the last second of
    9999: whatever date git prints, the commit is a point or is named in the note."""
    git(root, "init", "-q")
    write(root, "kpilint.toml", "")
    first = _commit(root, CLEAN, "first", "2027-03-01T12:00:00 +0000")
    write(root, "a.kpi.yaml", CLEAN.replace("MRR", "Odd"))
    git(root, "add", "-A")
    tree = git(root, "write-tree")
    raw = f"tree {tree}\nparent {first}\nauthor A <a@x> {stamp}\ncommitter C <c@x> {stamp}\n\nodd\n"
    odd_file = root.parent / "odd-commit"
    odd_file.write_text(raw)
    odd = git(root, "hash-object", "-t", "commit", "-w", "--literally", str(odd_file))
    git(root, "update-ref", "refs/heads/main", odd)
    _commit(root, CLEAN.replace("MRR", "Revenue"), "last", "2027-03-10T12:00:00 +0000")
    history = _history(root)
    points = history["points"]
    assert isinstance(points, list)
    commits = [p["commit"] for p in points]
    if odd in commits:
        assert history["note"] is None
    else:
        assert history["note"] == (
            "left out 1 commit whose commit date is not a calendar date from year 1 to 9999"
            f" ({odd[:7]})"
        )
    assert commits[0] == first and len(commits) == 2 + (odd in commits)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("score", "Infinity"),
        ("score", "NaN"),
        ("score", "9" * 400),
        ("kpis", "9" * 400),
        ("families", '{"completeness": ' + "9" * 400 + "}"),
    ],
)
def test_history_cache_entry_no_chart_can_draw(root: Path, field: str, value: str) -> None:
    """history.data is a file anyone may write (a branch can commit it): a value that is
    no percentage or count is a miss, recomputed, not an OverflowError in a renderer."""
    git(root, "init", "-q")
    write(root, "kpilint.toml", "")
    _commit(root, CLEAN.replace("owner: cfo", "ownr: cfo"), "first", "2027-03-01T12:00:00 +0000")
    fresh = _history(root)
    cache = root / ".kpilint_cache" / "history.data"
    entries = json.loads(cache.read_text())
    for entry in entries.values():
        entry[field] = "VALUE"
    cache.write_text(json.dumps(entries).replace('"VALUE"', value))
    for fmt in ("text", "markdown", "html"):
        assert kpilint("audit", "--history", "--format", fmt, ".", cwd=root).code == 1
    assert _history(root) == fresh
