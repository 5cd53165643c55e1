"""Property-based tests: whatever the input, the engine neither crashes nor misplaces.

Three kinds of input: random YAML documents (random nested data dumped with
``yaml.safe_dump``, then bytes inserted, deleted or replaced), and random
mutations of valid KPI files (keys dropped, renamed, duplicated; scalars of
another type; comments, suppressions and blank lines; flow and block style
swapped). For every one:

* ``kpilint.lint`` raises nothing and no rule fails (no KPI000 finding);
* every finding points into its file: ``1 <= line <= lines + 1`` and
  ``1 <= column <= length of that line + 1``; findings come sorted;
* every fix ``--fix`` would write re-parses, and the fixed file holds the same
  data as before except at the fixed keys (a renamed key, a target rewritten as
  a mapping, ``status: retired`` added, a suppression comment removed).

The example count comes from the hypothesis profile in ``conftest.py``: 50 when
``CI`` is set, 200 otherwise.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, note, settings
from hypothesis import strategies as st

from kpilint import lint
from kpilint.findings import Finding, Report
from kpilint.fixes import fix_loop, plan, still_parses
from kpilint.loader import SourceFile, parse_text
from kpilint.targets import parse_target
from tests.conftest import REPO

TODAY = date(2027, 3, 15)
NAME = "a.kpi.yaml"
YAML_BREAKS = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
FIXES_WITH_A_DATA_MODEL = {"KPI003", "KPI208", "KPI302", "KPI010"}

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

# --- the strategies ---------------------------------------------------------------------

KPI_KEYS = [
    "id", "name", "description", "goal", "metric", "owner", "scope", "target", "timeline",
    "counterbalance", "status",
]  # fmt: skip
OTHER_KEYS = [
    "version", "goals", "metrics", "kpis", "incentives", "value", "unit", "direction",
    "baseline", "start", "end", "review", "last_reviewed", "period", "level", "kind", "parent",
    "category", "source", "source_type", "aggregation", "role", "<<", "ownr", "tagret",
]  # fmt: skip
ENUMS = [
    "increase", "decrease", "maintain", "monthly", "weekly", "quarterly", "active", "draft",
    "retired", "org", "team:sales", "company", "output", "activity", "automated", "manual",
]  # fmt: skip
TEXT_TARGETS = [
    "at least 1200 signups/month", ">= 95%", "less than 2 days", "12%", "TBD",
    "improve engagement", "$1.5M ARR", "at or above 84 %", "0.5", "-3 points",
    "at least 50% by 2030", "from 40 to 55 points", "reduce by 10%", "between 40 and 60",
]  # fmt: skip

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(ENUMS + TEXT_TARGETS),
    st.text(max_size=12),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    st.sampled_from(["2027-02-30", "2027-13-01", "0000-01-01", "2027-12-31T10:00:00"]),
)
keys = st.one_of(st.sampled_from(KPI_KEYS + OTHER_KEYS), st.text(min_size=1, max_size=8))
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=16,
)
entity = st.dictionaries(st.sampled_from(KPI_KEYS + OTHER_KEYS[:8]), values, max_size=8)
document = st.one_of(
    values,
    st.dictionaries(
        st.sampled_from(["version", "goals", "metrics", "kpis", "incentives", "other"]),
        st.one_of(st.lists(entity, max_size=4), values),
        max_size=5,
    ),
)
style = st.sampled_from([False, True, None])
SPECIALS = [
    b":", b": ", b"-", b"- ", b"[", b"]", b"{", b"}", b",", b"#", b" #", b"&a", b"*a", b"!",
    b"!!str", b"|", b">", b"'", b'"', b"?", b"<<: ", b"\n", b"\r\n", b"\r", b" ", b"  ", b"\t",
    b"\x00", b"\xff", b"\xef\xbb\xbf", b"\xc2\x85", b"\xe2\x80\xa8", b"\xc3\xa9",
    b"\xf0\x9f\x98\x80",
    b"---", b"...", b"%YAML 1.1", b"\x1b", b"\\", b"# kpilint: ignore[KPI101]",
]  # fmt: skip
mutation = st.tuples(
    st.sampled_from(["insert", "delete", "replace"]),
    st.integers(min_value=0, max_value=10**6),
    st.one_of(st.sampled_from(SPECIALS), st.binary(min_size=1, max_size=3)),
)


def dump(data: Any, flow: bool | None, unicode: bool) -> str:
    return yaml.safe_dump(
        data, default_flow_style=flow, allow_unicode=unicode, sort_keys=False, width=60
    )


def mutate_bytes(raw: bytes, edits: list[tuple[str, int, bytes]]) -> bytes:
    for kind, where, chunk in edits:
        at = where % (len(raw) + 1)
        if kind == "insert":
            raw = raw[:at] + chunk + raw[at:]
        elif kind == "delete":
            raw = raw[:at] + raw[at + len(chunk) :]
        else:
            raw = raw[:at] + chunk + raw[at + len(chunk) :]
    return raw


# --- valid files and their mutations ----------------------------------------------------

SEED = """\
version: 1
goals:
  - id: arr-2027
    name: Reach 5M USD ARR in 2027
    kind: revenue
    owner: ceo
    period: {start: 2027-01-01, end: 2027-12-31}
metrics:
  - id: mrr
    name: Monthly recurring revenue
    category: output
    unit: USD
    source: stripe
    source_type: automated
    aggregation: sum
  - id: signups
    name: Self-serve signups
    category: output
    unit: signups
    source: segment
    source_type: automated
    aggregation: count
kpis:
  - id: mrr
    name: MRR
    goal: arr-2027
    metric: mrr
    owner: cfo
    target: {value: 420000, unit: USD, direction: increase, baseline: 300000}
    timeline: {start: 2027-01-01, end: 2027-12-31, review: monthly, last_reviewed: 2027-03-01}
  - id: signups
    name: Signups per month
    goal: arr-2027
    metric: signups
    ownr: growth  # a typo: KPI003 with a rename fix
    target: at least 1200 signups/month
    timeline:
      start: 2026-01-01
      end: 2026-12-31  # expired: KPI302 adds status
      review: monthly
      last_reviewed: 2027-03-01
  # kpilint: ignore[KPI601] nothing here is a vanity metric
  - id: churn
    name: Logo churn
    goal: arr-2027
    metric: mrr
    owner: cs
    target:
      value: 2
      unit: "%"
      direction: decrease
      baseline: 3
    timeline: {start: 2027-01-01, end: 2027-12-31, review: quaterly}
"""


def _valid_texts() -> list[str]:
    texts = [SEED]
    for path in sorted((REPO / "examples").glob("*.kpi.yaml")):
        texts.append(path.read_text(encoding="utf-8"))
    return texts


VALID = _valid_texts()
LINE_EDITS = [
    "duplicate",
    "delete",
    "comment",
    "suppression",
    "suppression-no-reason",
    "trailing-comment",
    "blank",
    "indent",
    "dedent",
    "swap",
    "rename",
    "retype",
]


@st.composite
def mutated_kpi_file(draw: st.DrawFn) -> bytes:
    """A valid KPI file, changed a little: the kind of file people actually write."""
    text = draw(st.sampled_from(VALID))
    if draw(st.booleans()):  # data-level changes, dumped in a random style
        data = yaml.safe_load(text)
        for _ in range(draw(st.integers(0, 4))):
            data = _mutate_data(draw, data)
        text = dump(data, draw(style), draw(st.booleans()))
    lines = text.splitlines()
    for _ in range(draw(st.integers(0, 5))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        lines = _edit_line(draw, lines, i, draw(st.sampled_from(LINE_EDITS)))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    out = newline.join(lines) + (newline if draw(st.booleans()) else "")
    bom = b"\xef\xbb\xbf" if draw(st.booleans()) else b""
    return bom + out.encode("utf-8")


def _edit_line(draw: st.DrawFn, lines: list[str], i: int, kind: str) -> list[str]:
    line = lines[i]
    indent = line[: len(line) - len(line.lstrip(" "))]
    codes = draw(st.lists(st.sampled_from(["KPI101", "KPI601", "KPI003", "bogus"]), max_size=2))
    selectors = ", ".join(codes)
    if kind == "duplicate":
        return [*lines[: i + 1], line, *lines[i + 1 :]]
    if kind == "delete":
        return lines[:i] + lines[i + 1 :]
    if kind == "comment":
        return [*lines[:i], f"{indent}# {draw(st.text(max_size=10))}", *lines[i:]]
    if kind == "suppression":
        return [*lines[:i], f"{indent}# kpilint: ignore[{selectors}] reason", *lines[i:]]
    if kind == "suppression-no-reason":
        return [*lines[:i], f"{line}  # kpilint: ignore[{selectors}]", *lines[i + 1 :]]
    if kind == "trailing-comment":
        return [*lines[:i], f"{line} # {draw(st.text(max_size=8))}", *lines[i + 1 :]]
    if kind == "blank":
        return [*lines[:i], draw(st.sampled_from(["", "   ", "\t"])), *lines[i:]]
    if kind == "indent":
        return [*lines[:i], "  " + line, *lines[i + 1 :]]
    if kind == "dedent":
        return [*lines[:i], line[2:] if line.startswith("  ") else line, *lines[i + 1 :]]
    if kind == "swap" and i + 1 < len(lines):
        return [*lines[:i], lines[i + 1], line, *lines[i + 2 :]]
    if kind == "rename" and ":" in line:
        key, rest = line.split(":", 1)
        new = draw(st.sampled_from(KPI_KEYS + OTHER_KEYS + [key.strip() + "s", key.upper()]))
        return [*lines[:i], f"{indent}{'- ' if '- ' in key else ''}{new}:{rest}", *lines[i + 1 :]]
    if kind == "retype" and ": " in line:
        key, _ = line.split(": ", 1)
        value = dump(draw(scalars), True, True).strip().removesuffix("...").strip()
        if "\n" in value:
            return lines
        return [*lines[:i], f"{key}: {value}", *lines[i + 1 :]]
    return lines


def _mutate_data(draw: st.DrawFn, data: Any) -> Any:
    """Drop, rename, add or retype one key somewhere in ``data``."""
    holders = list(_mappings(data))
    if not holders:
        return data
    mapping = draw(st.sampled_from(holders))
    kind = draw(st.sampled_from(["drop", "rename", "add", "retype", "text-target"]))
    if kind == "add" or not mapping:
        mapping[draw(keys)] = draw(values)
        return data
    key = draw(st.sampled_from(sorted(mapping, key=str)))
    if kind == "drop":
        del mapping[key]
    elif kind == "rename":
        new = draw(st.one_of(keys, st.just(str(key)[:-1] or "x"), st.just(str(key) + "e")))
        mapping[new] = mapping.pop(key)
    elif kind == "retype":
        mapping[key] = draw(values)
    else:
        mapping["target"] = draw(st.sampled_from(TEXT_TARGETS))
    return data


def _mappings(data: Any) -> Iterator[dict[Any, Any]]:
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _mappings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _mappings(value)


# --- running the engine -----------------------------------------------------------------


@contextmanager
def project(raw: bytes) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="kpilint-prop-") as folder:
        root = Path(folder)
        (root / "kpilint.toml").write_text("")
        (root / NAME).write_bytes(raw)
        yield root


def parses(text: str) -> bool:
    sf = SourceFile(Path(NAME), NAME)
    parse_text(sf, text)
    return not any(p.code == "KPI001" for p in sf.problems)


def run(root: Path) -> Report:
    return lint([root], cwd=root, today=TODAY)


def assert_well_placed(report: Report, root: Path) -> None:
    """No rule failed, every finding points into its file, findings are sorted."""
    failed = [f.message for f in report.findings if f.code == "KPI000"]
    assert failed == []
    for f in report.findings:
        raw = (root / f.path).read_bytes()
        lines = _lines(raw)
        where = f"{f.code} at {f.line}:{f.column} ({f.message})"
        assert 1 <= f.line <= len(lines) + 1, f"{where}: the file has {len(lines)} lines"
        width = len(lines[f.line - 1]) if f.line <= len(lines) else 0
        assert 1 <= f.column <= width + 1, f"{where}: line {f.line} has {width} characters"
    keys = [f.sort_key for f in report.findings]
    assert keys == sorted(keys)


def _lines(raw: bytes) -> list[str]:
    """The file's lines as YAML counts them, in characters (bytes when not UTF-8)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [line.decode("latin-1") for line in raw.split(b"\n")]
    return YAML_BREAKS.split(text)


# --- the properties ---------------------------------------------------------------------

SETTINGS = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(data=document, flow=style, unicode=st.booleans())
def test_random_documents_never_crash(data: Any, flow: bool | None, unicode: bool) -> None:
    raw = dump(data, flow, unicode).encode("utf-8")
    with project(raw) as root:
        assert_well_placed(run(root), root)


@SETTINGS
@given(
    data=document,
    flow=style,
    edits=st.lists(mutation, min_size=1, max_size=6),
)
def test_random_bytes_never_crash(
    data: Any, flow: bool | None, edits: list[tuple[str, int, bytes]]
) -> None:
    raw = mutate_bytes(dump(data, flow, True).encode("utf-8"), edits)
    note(repr(raw[:500]))
    with project(raw) as root:
        assert_well_placed(run(root), root)


@SETTINGS
@given(raw=mutated_kpi_file())
def test_mutated_kpi_files_never_crash(raw: bytes) -> None:
    note(raw.decode("utf-8", "replace"))
    with project(raw) as root:
        assert_well_placed(run(root), root)


@SETTINGS
@given(raw=mutated_kpi_file())
@example(raw=SEED.encode("utf-8"))  # KPI003, KPI010, KPI208 and KPI302 fixes: compared
def test_fixes_reparse_to_the_same_data_except_the_fixed_keys(raw: bytes) -> None:
    note(raw.decode("utf-8", "replace"))
    compared = 0
    with project(raw) as root:
        report = run(root)
        plans = plan(report, root, unsafe=True)
        for fix in plans:
            if not parses(fix.before):
                continue  # unreadable before (KPI001): --fix refuses to write it anyway
            assert still_parses(fix), f"the fixed file does not parse:\n{fix.after}"
            codes = {f.code for f in fix.fixed}
            if not codes <= FIXES_WITH_A_DATA_MODEL:
                continue  # a fix this test does not know yet: it parses, that is all
            if any(f.code == "KPI004" and f.path == fix.display for f in report.findings):
                continue  # with a duplicate key, renaming one brings the other back
            try:
                before = load(fix.before)
            except yaml.YAMLError:
                continue  # e.g. a mapping used as a key: no plain data to compare
            after = load(fix.after)
            assert canon(after) == canon(expected_after(fix.before, before, fix.fixed))
            compared += 1
    if raw == SEED.encode("utf-8"):
        assert compared == 1  # the seed's fixes are all known ones: the comparison ran


@SETTINGS
@given(raw=mutated_kpi_file())
def test_fix_loop_leaves_nothing_fixable(raw: bytes) -> None:
    """``--fix`` until done: files still parse and a second ``--fix`` changes nothing."""
    note(raw.decode("utf-8", "replace"))
    with project(raw) as root:
        first = run(root)
        unreadable = {f.path for f in first.findings if f.code == "KPI001"}
        final, result = fix_loop(lambda: run(root), root, unsafe=True)
        assert not ({f.path for f in final.findings if f.code == "KPI001"} - unreadable)
        assert set(result.refused) <= unreadable  # only files that never parsed
        left = [p.display for p in plan(final, root, unsafe=True)]
        assert set(left) <= set(result.refused)
        assert_well_placed(final, root)


# --- what a fix may change --------------------------------------------------------------


class _Lenient(yaml.CSafeLoader):
    """Safe loading that keeps impossible dates and over-long integers as text."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return node.value


def _int(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_int(loader, node)
    except ValueError:
        return node.value


_Lenient.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_Lenient.add_constructor("tag:yaml.org,2002:int", _int)


def load(text: str) -> Any:
    return yaml.load(text, Loader=_Lenient)


def canon(value: Any) -> Any:
    """Comparable data: NaN equals NaN."""
    if isinstance(value, float) and math.isnan(value):
        return ("nan",)
    if isinstance(value, dict):
        return {canon(k): canon(v) for k, v in value.items()}
    if isinstance(value, list):
        return [canon(v) for v in value]
    return value


def node_paths(text: str) -> dict[tuple[str, int], list[tuple[Any, ...]]]:
    """(kind, start offset) of every key and value node -> the logical paths it has.

    A node under an anchor has one path per alias, and keys of a merged mapping
    have the path of the mapping they are merged into.
    """
    out: dict[tuple[str, int], list[tuple[Any, ...]]] = {}
    root = yaml.compose(text, Loader=yaml.CSafeLoader)

    def walk(node: yaml.Node, path: tuple[Any, ...], depth: int) -> None:
        if depth > 60:
            return
        out.setdefault(("value", node.start_mark.index), []).append(path)
        if isinstance(node, yaml.MappingNode):
            for key, value in _pairs(node):
                name = load_scalar(key)
                out.setdefault(("key", key.start_mark.index), []).append((*path, name))
                walk(value, (*path, name), depth + 1)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*path, i), depth + 1)

    if root is not None:
        walk(root, (), 0)
    return out


def _pairs(node: yaml.MappingNode) -> list[tuple[yaml.Node, yaml.Node]]:
    pairs: list[tuple[yaml.Node, yaml.Node]] = []
    for key, value in node.value:
        if key.tag == "tag:yaml.org,2002:merge":
            sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for source in sources:
                if isinstance(source, yaml.MappingNode):
                    pairs.extend(_pairs(source))
        else:
            pairs.append((key, value))
    return pairs


def load_scalar(node: yaml.Node) -> Any:
    """The key as the loader builds it (``1`` is an int, ``null`` is None)."""
    if not isinstance(node, yaml.ScalarNode):
        return None
    return _Lenient("").construct_object(node, deep=True)


def expected_after(text: str, before: Any, fixed: list[Finding]) -> Any:
    """``before`` with what each fixed finding is allowed to change."""
    data = copy.deepcopy(before)
    paths = node_paths(text)
    for finding in fixed:
        for edit in finding.fix.edits:
            if finding.code == "KPI003":
                for path in paths.get(("key", edit.start), []):
                    _rename(data, path, edit.content)
            elif finding.code == "KPI208":
                for path in paths.get(("value", edit.start), []):
                    deadline = parse_target(_get(data, path)).deadline
                    _set(data, path, load(edit.content))
                    if deadline is not None and len(finding.fix.edits) > 1:
                        _add_deadline(_get(data, path[:-1]), deadline)
            elif finding.code == "KPI302":  # located at the KPI's timeline key
                for path in paths.get(("key", _offset(text, finding.line, finding.column)), []):
                    _set(data, (*path[:-1], "status"), "retired")
    return data


def _add_deadline(kpi: dict[str, Any], deadline: date) -> None:
    """KPI208 writes a text target's deadline as timeline.end when the KPI has none."""
    timeline = kpi.get("timeline")
    if isinstance(timeline, dict):
        timeline["end"] = deadline
    else:
        kpi["timeline"] = {"end": deadline}


def _offset(text: str, line: int, column: int) -> int:
    starts = [0, *(m.end() for m in YAML_BREAKS.finditer(text))]
    return starts[line - 1] + column - 1


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    _get(data, path[:-1])[path[-1]] = value


def _rename(data: Any, path: tuple[Any, ...], new: str) -> None:
    parent = _get(data, path[:-1])
    old = path[-1]
    items = [(new if k == old else k, v) for k, v in parent.items()]
    parent.clear()
    for k, v in items:
        parent[k] = v


# --- known bugs, for the lead to fix --------------------------------------------------


def test_status_fix_lands_in_its_own_kpi(tmp_path: Path) -> None:
    text = (
        "kpis:\n"
        "  - id: old\n"
        "    name: Old\n"
        "    timeline:\n"
        "      start: 2026-01-01\n"
        "      end: 2026-12-31\n"
        "  - id: next\n"
        "    name: Next\n"
    )
    with project(text.encode()) as root:
        report = lint([root], cwd=root, today=TODAY, overrides={"select": ("KPI302",)})
        [fix] = plan(report, root, unsafe=True)
        data = load(fix.after)
        assert data["kpis"][0].get("status") == "retired"
        assert "status" not in data["kpis"][1]


# --- hostile shapes (issue 11): text that reaches terminals, cache and known files ------

_CONTROL_TEXT = st.text(
    alphabet=st.sampled_from(
        [
            "a",
            " ",
            ":",
            "@",
            "`",
            "|",
            "[",
            "]",
            "(",
            ")",
            "\n",
            "\r",
            "\t",
            "\x1b",
            "\x07",
            "\x00",
            "\x85",
            "\u2028",
            "\u202e",
            "\u200b",
            "\u200f",
            "\u2063",
            "\ufeff",
            "\u061c",
            "&",
            "é",
        ]
    ),
    max_size=30,
)
HUMAN_FORMATS = ("text", "markdown", "github", "junit")
_RAW_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff]"
)


@SETTINGS
@given(name=_CONTROL_TEXT, key=_CONTROL_TEXT.filter(lambda k: k.strip() != ""))
def test_control_characters_never_reach_human_formats(name: str, key: str) -> None:
    from kpilint.reporters import RenderOptions, get

    text = yaml.safe_dump({"kpis": [{"id": "k", "name": name, key: 1}]}, allow_unicode=True)
    with project(text.encode("utf-8")) as root:
        report = run(root)
    for fmt in HUMAN_FORMATS:
        out = get(fmt)(report, RenderOptions())
        assert not _RAW_CONTROL.search(out), (fmt, out)
        if fmt == "markdown":  # '&' escaped outside code: no entity names a control character
            assert re.search(r"(?<!\\)&", re.sub(r"`[^`\n]*`", "", out)) is None, out
        # newlines only where the format puts them: every line starts as the format's do
        if fmt == "github":
            assert all(line.startswith(("::", "kpilint:")) for line in out.splitlines()), out


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@SETTINGS
@given(
    field=st.sampled_from([f.name for f in dataclasses.fields(Finding)]),
    value=_JSON,
)
def test_any_cache_entry_is_a_hit_or_a_miss(field: str, value: Any) -> None:
    import json as json_module

    from kpilint import cache

    with project(b"kpis:\n  - id: a\n    name: A\n") as root:
        (root / "kpilint.toml").write_text("")
        first = lint([root], cwd=root, today=date(2027, 1, 1), use_cache=True)
        [entry] = (root / cache.CACHE_DIR).glob("*.json")
        data = json_module.loads(entry.read_text())
        data["findings"][0][field] = value
        entry.write_text(json_module.dumps(data))
        again = lint([root], cwd=root, today=date(2027, 1, 1), use_cache=True)
        # A miss lints again; a hit (the edit fits the schema, e.g. another line) keeps
        # the findings' number and files ("" is the project's): never a crash, never a
        # file that is not there.
        assert len(again.findings) == len(first.findings)
        assert {f.path for f in again.findings} - {""} == {f.path for f in first.findings}


@SETTINGS
@given(entries=st.lists(_JSON, max_size=5))
def test_any_known_file_entry_is_read_or_skipped(entries: list[Any]) -> None:
    import json as json_module

    from kpilint.known import KnownFileError, read

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "known.json"
        path.write_text(json_module.dumps({"version": 1, "findings": entries}))
        problems: list[str] = []
        try:
            counts = read(path, problems)
        except KnownFileError:
            return
        # never any other exception; every non-object entry is named; counts are whole
        assert len(problems) >= sum(not isinstance(e, dict) for e in entries)
        assert all(type(n) is int and n >= 1 for n in counts.values())
        assert all(isinstance(part, str) for key in counts for part in key)


# --- bounded work and output: near-miss keys, long ids -------------------------------

_NEAR_MISSES = [
    "Goal", "gaol", "goall", "GOAL", "Owner", "ownr", "owner-", "tagret", "Target", "targt",
    "Name", "nmae", "descriptio", "Description", "descripton", "metirc", "Metric", "zz",
]  # fmt: skip


def _claimed_renames(kpi: dict[str, Any]) -> dict[str, str]:
    """The renames KPI003 offers, by the rule written out the slow way (each key
    against every sibling): of the unknown keys whose only close match is one name,
    the first whose normal form is that name takes it, else the first written."""
    from kpilint.model import SECTIONS, known_keys
    from kpilint.validate import _close_matches

    known = known_keys(SECTIONS["kpis"])
    unknown = [k for k in kpi if k not in known]
    sole = {k: c[0] for k in unknown if len(c := _close_matches(k, known)) == 1}
    out = {}
    for key, name in sole.items():
        rivals = [k for k in unknown if sole.get(k) == name]
        exact = [k for k in rivals if k.lower().replace("-", "_").strip() == name]
        if name not in kpi and key == (exact or rivals)[0]:
            out[key] = name
    return out


@SETTINGS
@given(
    keys=st.lists(st.sampled_from(_NEAR_MISSES), unique=True, max_size=len(_NEAR_MISSES)),
    spares=st.integers(min_value=0, max_value=40),
)
def test_near_miss_keys_are_claimed_once_each_in_linear_work(keys: list[str], spares: int) -> None:
    from unittest.mock import patch

    from kpilint import validate

    kpi: dict[str, Any] = {"id": "k", "name": "K", **dict.fromkeys(keys, 1)}
    kpi.update((f"descriptio{i}", 1) for i in range(spares))  # all near "description"
    text = yaml.safe_dump({"kpis": [kpi]}, sort_keys=False)
    looked_up = []
    real = validate._close_matches

    def counted(key: str, known: tuple[str, ...]) -> list[str]:
        looked_up.append(key)
        return real(key, known)

    with project(text.encode("utf-8")) as root, patch.object(validate, "_close_matches", counted):
        report = run(root)
    unknown = len(kpi) - 2
    # each unknown key is compared with the known names once, not with every sibling
    assert len(looked_up) <= unknown, (len(looked_up), unknown)
    found = [f for f in report.findings if f.code == "KPI003"]
    assert len(found) == unknown
    renames = {f.key: f.fix.edits[0].content for f in found if f.fix.edits}
    assert renames == _claimed_renames(kpi)


@SETTINGS
@given(
    length=st.integers(min_value=1, max_value=20_000),
    field=st.sampled_from(
        ["id", "goal", "metric", "owner", "scope", "target", "unit", "counterbalance"]
    ),
    unknown=st.integers(min_value=0, max_value=20),
)
def test_long_values_are_cut_so_output_is_bounded_by_findings(
    length: int, field: str, unknown: int
) -> None:
    from kpilint.reporters import RenderOptions, get

    long = "v" * length
    kpi: dict[str, Any] = {"id": "k", "name": "K", "goal": "g", "metric": "m", "owner": "o"}
    if field == "unit":  # KPI208 shows the target's mapping: a 20,000-character unit
        kpi["target"] = f"at least 5 {long}"
    else:
        kpi[field] = f"team:{long}" if field == "scope" else long
    kpi.update((f"zz{i}", 1) for i in range(unknown))
    text = yaml.safe_dump({"kpis": [kpi, dict(kpi, name="again")]}, sort_keys=False, width=10**6)
    with project(text.encode("utf-8")) as root:
        report = run(root)
    assert report.findings
    for f in report.findings:  # a value shows at most 60 of its characters
        assert "v" * 61 not in f.message + f.fix.description, (f.code, f.message[:200])
        if field == "id" and f.entity is not None and f.entity.kind == "kpi":
            assert f.entity.id == long  # the data keeps it whole
    for fmt in HUMAN_FORMATS:  # so the size of a report does not grow with the value
        out = get(fmt)(report, RenderOptions())
        assert "v" * 61 not in out, fmt
        assert len(out) <= 2_000 + 600 * len(report.findings), (fmt, len(out))


@SETTINGS
@given(
    words=st.lists(st.sampled_from(["goal-a", "goal-b", "gaol-a", "x", "revenue", "goal-z"])),
    size=st.integers(min_value=1, max_value=50),
    budget=st.integers(min_value=0, max_value=400),
)
def test_hints_look_each_word_up_once_within_their_budget(
    words: list[str], size: int, budget: int
) -> None:
    import difflib
    from unittest.mock import patch

    from kpilint.suggest import Hints, did_you_mean

    known = [f"goal-{chr(97 + i % 26)}{i}" for i in range(size)]
    compared = []
    real = difflib.get_close_matches

    def counted(word: str, possibilities: Any, *args: Any, **kwargs: Any) -> list[str]:
        compared.append(len(possibilities))
        return real(word, possibilities, *args, **kwargs)

    hints = Hints(known, cutoff=0.7, budget=budget)
    with patch.object(difflib, "get_close_matches", counted):
        got = [hints(w) for w in words]
    assert sum(compared) <= budget  # work bounded, whatever the words
    assert len(compared) <= len(set(words))  # each distinct word at most once
    for word, hint in zip(words, got, strict=True):  # a hint given is the plain one
        assert hint in ("", did_you_mean(word, known, 0.7))
    if size * len(set(words)) <= budget:  # within budget: every word gets its hint
        assert got == [did_you_mean(w, known, 0.7) for w in words]
