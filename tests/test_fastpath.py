"""The fast path builds exactly what pydantic builds, and builds every valid entity.

``kpilint.fastpath`` restates the model's field rules so a valid entity needs
no pydantic. These tests hold it to pydantic (the model's single meaning):
whatever it builds, pydantic builds the same from the same data; whatever
valid entity the examples, fixtures and real catalogues hold, it builds.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

import kpilint
from kpilint import fastpath, validate
from kpilint.model import SECTIONS, Period, TargetSpec, Timeline, known_keys
from kpilint.strict import adapter
from tests.conftest import NO_CORPORA, SHARED, modules_after

REPO = Path(__file__).resolve().parent.parent
CORPORA = SHARED / "corpora"
MODELS = (*SECTIONS.values(), Period, TargetSpec, Timeline)


def _pydantic(model: type[Any], data: Any) -> Any:
    try:
        return adapter(model).validate_python(data)
    except ValidationError:
        return None


def _same(fast: Any, slow: Any) -> bool:
    """Equal and of the same types all the way down (1.0 is not 1, a list not a tuple)."""
    return repr(fast) == repr(slow) and _types(fast) == _types(slow)


def _types(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        fields = dataclasses.fields(value)
        return (type(value), tuple(_types(getattr(value, f.name)) for f in fields))
    if isinstance(value, list):
        return (list, tuple(_types(v) for v in value))
    return type(value)


def _agrees(model: type[Any], data: Any) -> None:
    fast = fastpath.build(model, data)
    if fast is not None:
        slow = _pydantic(model, data)
        assert slow is not None, f"fast path built {fast!r}; pydantic rejects {data!r}"
        assert _same(fast, slow), (fast, slow)


# Values YAML can produce, chosen around every field's edges.
_EDGE_TEXT = [
    *["a", "a.b_c-1", "x" * 64, "x" * 65, "A", "a b", "a\n", "-a", "", " ", "é", "0"],
    *["org", "org ", "team:x", "team: x", "team:\tx", "team:", "squad:x", "role:é", "team:x\n"],
    *["channel:web", "campaign:q4", "team:\x1fx", "team:\u00a0x", "role:Sales team"],
    *["2027-12-31", " 2027-12-31 ", "2027-02-30", "2027-12-31\n", "2027-1-31", "27-12-31"],
    *["\u0662\u0660\u0662\u0667-\u0661\u0662-\u0663\u0661", "2027-12-31T00:00:00"],
    *["increase", "decrease", "maintain", "weekly", "quarterly", "company", "team"],
    *["awareness", "output", "automated", "spreadsheet", "p90", "draft", "active", "retired"],
    *["at least 5", "12", "Increase", "1e3", "nan"],
]
scalars = st.one_of(
    st.sampled_from(_EDGE_TEXT),
    st.text(max_size=8),
    st.integers(min_value=-(2**60), max_value=2**60),
    st.sampled_from([0, 1, -1, 2**53, 2**53 + 1, -(2**53) - 1, 10**400]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.dates(),
    st.datetimes(),
    st.binary(max_size=3),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.tuples(inner),
        st.dictionaries(st.sampled_from(["value", "change", "end", "x"]), inner, max_size=3),
    ),
    max_leaves=6,
)


# Valid values only: the fast path must build every one of these.
_ident = st.from_regex(r"[a-z0-9][a-z0-9_.-]{0,20}", fullmatch=True)
_scope = st.one_of(
    st.just("org"),
    st.from_regex(r"(team|role|campaign|channel):[!-~][^\n]{0,5}", fullmatch=True),
)
_number = st.one_of(
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False),
)
_date = st.one_of(st.none(), st.dates(), st.dates().map(date.isoformat))
_valid_target = st.one_of(
    st.fixed_dictionaries(
        {"value": _number},
        optional={"unit": st.text(max_size=4), "baseline": _number},
    ),
    st.fixed_dictionaries(
        {"change": st.floats(min_value=0.001, max_value=1e9)},
        optional={"direction": st.sampled_from(["increase", "decrease", "maintain"])},
    ),
)
_valid_timeline = st.fixed_dictionaries(
    {},
    optional={
        "end": _date,
        "start": _date,
        "review": st.sampled_from(["monthly", "weekly"]),
        "last_reviewed": _date,
    },
)


def _valid(model: type[Any]) -> st.SearchStrategy[dict[str, Any]]:
    ident = _ident
    text = st.one_of(st.none(), st.text(max_size=10))
    fields: dict[str, Any] = {
        "description": text,
        "owner": text,
        "unit": text,
        "source": text,
        "role": text,
        "parent": st.one_of(st.none(), ident),
        "metric": st.one_of(st.none(), ident),
        "goal": st.one_of(st.none(), ident, st.lists(ident, max_size=3)),
        "counterbalance": st.one_of(st.none(), ident, st.lists(ident, max_size=2)),
        "scope": _scope,
        "status": st.sampled_from(["draft", "active", "retired"]),
        "level": st.sampled_from(["company", "department", "team"]),
        "kind": st.one_of(st.none(), st.sampled_from(["growth", "awareness"])),
        "category": st.sampled_from(["activity", "output", "operational"]),
        "source_type": st.sampled_from(["automated", "manual", "spreadsheet"]),
        "aggregation": st.sampled_from(["sum", "p99", "latest"]),
        "target": st.one_of(st.none(), st.text(max_size=10), _number, _valid_target),
        "timeline": st.one_of(st.none(), _valid_timeline),
        "period": st.one_of(st.none(), st.fixed_dictionaries({}, optional={"end": _date})),
    }
    required = {"id": ident, "name": st.text(min_size=1, max_size=10)}
    if model.__name__ == "Incentive":
        required["kpis"] = st.lists(ident, max_size=3)
    keys = [k for k in known_keys(model) if k in fields]
    return st.fixed_dictionaries(required, optional={k: fields[k] for k in keys})


def _nearly_valid(model: type[Any]) -> st.SearchStrategy[dict[Any, Any]]:
    """A valid entity with up to two keys set to edge values (or an unknown key added)."""
    keys: list[Any] = [*known_keys(model), "tagret", "Goal", 1, True]
    nested = st.tuples(
        st.sampled_from(["target", "timeline", "period"]),
        st.one_of(_valid_target, _valid_timeline),
        st.sampled_from(["value", "change", "unit", "end", "review", "x"]),
        values,
    ).map(lambda t: {t[0]: {**t[1], t[2]: t[3]}})
    changes = st.one_of(st.dictionaries(st.sampled_from(keys), values, max_size=2), nested)
    return st.tuples(_valid(model), changes).map(lambda pair: {**pair[0], **pair[1]})


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@given(data=st.data())
def test_what_the_fast_path_builds_pydantic_builds_the_same(model: type[Any], data: Any) -> None:
    if model in (Period, TargetSpec, Timeline):
        base = {Period: _valid_timeline, TargetSpec: _valid_target, Timeline: _valid_timeline}
        keys = [*known_keys(model), "x"]
        changes = st.dictionaries(st.sampled_from(keys), values, max_size=2)
        raw = data.draw(st.tuples(base[model], changes).map(lambda p: {**p[0], **p[1]}))
        if model is Period:
            raw = {k: v for k, v in raw.items() if k not in ("review", "last_reviewed")}
    else:
        raw = data.draw(_nearly_valid(model))
    _agrees(model, raw)


@pytest.mark.parametrize("model", SECTIONS.values(), ids=lambda m: m.__name__)
@given(data=st.data())
def test_the_fast_path_builds_every_valid_entity(model: type[Any], data: Any) -> None:
    raw = data.draw(_valid(model))
    slow = _pydantic(model, raw)
    assert slow is not None, raw  # the strategy makes valid entities only
    fast = fastpath.build(model, raw)
    assert fast is not None, f"valid, yet left to pydantic: {raw!r}"
    assert _same(fast, slow)


@pytest.mark.parametrize(
    ("model", "data"),
    [
        (SECTIONS["kpis"], {"id": "a", "name": "A", "target": {"value": 1}}),
        (SECTIONS["kpis"], {"id": "a", "name": "A", "target": 0.5, "goal": "g"}),
        (SECTIONS["kpis"], {"id": "a", "name": "A", "timeline": {"end": "2027-12-31"}}),
        (SECTIONS["goals"], {"id": "g", "name": "G", "period": {"end": date(2027, 1, 1)}}),
        (SECTIONS["incentives"], {"id": "i", "name": "I", "kpis": ["a", "b"]}),
    ],
)
def test_plain_valid_entities_take_the_fast_path(model: type[Any], data: Any) -> None:
    fast = fastpath.build(model, data)
    assert fast is not None and _same(fast, _pydantic(model, data))


@pytest.mark.parametrize(
    "data",
    [
        {"id": "a", "name": "A", "target": {"value": 1, "change": 2}},  # not both
        {"id": "a", "name": "A", "target": {"unit": "%"}},  # neither
        {"id": "a", "name": "A", "target": True},
        {"id": "a\n", "name": "A"},  # Python's `$` would take the newline; pydantic does not
        {"id": "a", "name": "A", "scope": "team:x\n"},
        {"id": "a", "name": "A", "timeline": {"end": datetime(2027, 1, 1)}},
        {"id": "a", "name": "A", "target": {"value": float("inf")}},
        {"id": "a", "name": "A", "target": {"value": 10**400}},
        {"id": "a", "name": "A", "tagret": "x"},
        {"id": "a", "name": ""},
        {"id": "x" * 65, "name": "A"},
        {"id": "a", "name": "A", "scope": "team:"},
        {"id": "a", "name": "A", "scope": "team: x"},
        {"id": "a", "name": "A", "status": None},
        {"id": "a", "name": "A", "status": "Active"},
        {"id": "a", "name": "A", "target": {"change": 0}},
        {"id": "a", "name": "A", "target": {"value": True}},
        {"id": "a", "name": "A", "target": {"value": "12"}},
        {"id": "a", "name": "A", "timeline": {"end": "2027-02-30"}},
        {"id": "a", "name": "A", "timeline": {"end": "2027-1-31"}},
        {"id": "a", "name": "A", "timeline": "2027-12-31"},
        {"id": "a", "name": "A", True: "x"},
        {"name": "A"},
    ],
)
def test_anything_else_is_left_to_pydantic(data: dict[Any, Any]) -> None:
    assert fastpath.build(SECTIONS["kpis"], data) is None
    assert _pydantic(SECTIONS["kpis"], data) is None  # each is invalid: pydantic explains it


@pytest.mark.parametrize(
    "data", [{"id": "a", "name": "A", "goal": ("g",)}, {"id": b"a", "name": "A"}]
)
def test_shapes_yaml_does_not_make_are_left_to_pydantic(data: dict[str, Any]) -> None:
    assert fastpath.build(SECTIONS["kpis"], data) is None


@pytest.mark.parametrize(
    "data",
    [
        {"id": "i", "name": "I", "kpis": "a"},  # one id is not a list here
        {"id": "i", "name": "I"},
        {"id": "i", "name": "I", "kpis": ["A"]},
    ],
)
def test_an_incentive_needs_a_list_of_kpi_ids(data: dict[str, Any]) -> None:
    assert fastpath.build(SECTIONS["incentives"], data) is None
    assert _pydantic(SECTIONS["incentives"], data) is None


def test_every_model_field_has_a_fast_rule() -> None:
    for model in MODELS:
        assert set(fastpath._SPECS[model]) == set(known_keys(model)), model.__name__


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[type[Any], Any, Any]]:
    """Every entity the engine asks the fast path to build, with its answer."""
    calls: list[tuple[type[Any], Any, Any]] = []
    original = fastpath.build

    def record(model: type[Any], data: Any) -> Any:
        built = original(model, data)
        calls.append((model, copy.deepcopy(data), built))  # callers may change data later
        return built

    monkeypatch.setattr(fastpath, "build", record)
    monkeypatch.setattr(validate, "build", record)
    return calls


def _kpi_files() -> Iterator[Path]:
    yield from sorted((REPO / "examples").rglob("*.kpi.yaml"))
    yield from sorted((REPO / "tests").rglob("*.kpi.y*ml"))
    spec = SHARED / "spec" / "examples"
    if spec.is_dir():
        yield from sorted(spec.rglob("*.kpi.yaml"))


def _check_recorded(calls: list[tuple[type[Any], Any, Any]]) -> None:
    assert calls
    for model, data, built in calls:
        slow = _pydantic(model, data)
        if built is None:
            assert slow is None, f"valid, yet left to pydantic: {model.__name__} {data!r}"
        else:
            assert slow is not None and _same(built, slow), (built, slow)


def test_every_valid_entity_of_the_examples_and_fixtures_is_built_fast(
    recorded: list[tuple[type[Any], Any, Any]],
) -> None:
    for path in _kpi_files():
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue
        if not isinstance(data, dict):
            continue
        for section, model in SECTIONS.items():
            items = data.get(section)
            for raw in items if isinstance(items, list) else ():
                if isinstance(raw, dict):
                    validate.build(model, raw)
    _check_recorded(recorded)


@pytest.mark.skipif(not CORPORA.is_dir(), reason=NO_CORPORA)
@pytest.mark.parametrize(
    ("preset", "folder"),
    [
        ("open-sdg", "open-sdg-los-angeles/meta"),
        ("metric-hub", "mozilla-metric-hub/definitions"),
        ("openslo", "slo-specs/openslo"),
        ("sloth", "slo-specs/sloth"),
        ("gitlab-pi", "gitlab-handbook-pi"),
    ],
)
def test_every_valid_entity_of_the_real_catalogues_is_built_fast(
    recorded: list[tuple[type[Any], Any, Any]], preset: str, folder: str
) -> None:
    kpilint.lint([str(CORPORA / folder)], source_format=preset, use_cache=False)
    _check_recorded(recorded)


VALID = """\
version: 1
goals:
  - id: grow-revenue
    name: Grow revenue
    level: company
    kind: revenue
    period: {start: 2027-01-01, end: "2027-12-31"}
metrics:
  - id: mrr
    name: Monthly recurring revenue
    unit: USD
    source: stripe
    source_type: automated
    category: output
    aggregation: sum
kpis:
  - id: mrr-growth
    name: MRR growth
    goal: grow-revenue
    metric: mrr
    owner: cfo
    scope: team:finance
    target: {value: 120000, unit: USD, direction: increase, baseline: 95000.5}
    timeline: {end: 2027-12-31, review: monthly, last_reviewed: "2027-01-15"}
    counterbalance: [churn]
  - id: churn
    name: Churn
    goal: [grow-revenue]
    scope: team:finance
    target: below 2%
    timeline: {end: 2027-12-31, review: monthly}
    counterbalance: mrr-growth
incentives:
  - id: finance-bonus
    name: Finance bonus
    role: cfo
    kpis: [mrr-growth, churn]
"""


def test_a_valid_project_is_linted_without_pydantic_validation(tmp_path: Path) -> None:
    (tmp_path / "finance.kpi.yaml").write_text(VALID, encoding="utf-8")
    code = (
        "import kpilint\n"
        "report = kpilint.lint(['.'])\n"
        "assert not [f for f in report.findings if f.code in ('KPI002', 'KPI003')], report\n"
        "assert report.summary.kpis == 2\n"
    )
    assert "kpilint.strict" not in modules_after(code, tmp_path)
    broken = VALID.replace("value: 120000", "value: '120000'")
    (tmp_path / "finance.kpi.yaml").write_text(broken, encoding="utf-8")
    code = code.replace("assert not", "assert")
    assert "kpilint.strict" in modules_after(code, tmp_path)  # pydantic explains the invalid one
