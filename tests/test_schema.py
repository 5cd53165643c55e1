"""The committed JSON Schema is the model's, and it agrees with the model."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from kpilint.model import KpiFile, json_schema, validate
from tests.conftest import NO_SPEC, REPO, SPEC_EXAMPLE

SCHEMA_FILE = REPO / "schemas" / "kpi-file.schema.json"


def test_committed_schema_is_current() -> None:
    committed = json.loads(SCHEMA_FILE.read_text())
    assert committed == json_schema(), (
        "schemas/kpi-file.schema.json is stale: run `kpilint schema > schemas/kpi-file.schema.json`"
    )


def test_every_property_says_what_it_means() -> None:
    """Editors show a key's description on hover (yaml-language-server)."""
    schema = json.loads(SCHEMA_FILE.read_text())
    models = {"KpiFile": schema, **schema["$defs"]}
    for name, model in models.items():
        for key, prop in model.get("properties", {}).items():
            assert prop.get("description", "").strip(), f"{name}.{key} has no description"
    kpi = schema["$defs"]["Kpi"]["properties"]
    assert kpi["counterbalance"]["description"].startswith("KPI id (or list)")


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(json_schema())


def _json_ready(value: object) -> object:
    return json.loads(json.dumps(value, default=str))


@pytest.mark.parametrize(
    "path", sorted((REPO / "examples").glob("*.kpi.yaml")), ids=lambda p: p.name
)
def test_examples_agree_between_schema_and_model(path: Path) -> None:
    data = yaml.safe_load(path.read_text())
    errors = list(jsonschema.Draft202012Validator(json_schema()).iter_errors(_json_ready(data)))
    try:
        validate(KpiFile, data)
        model_ok = True
    except Exception:
        model_ok = False
    assert model_ok == (not errors)


@pytest.mark.parametrize(
    ("doc", "valid"),
    [
        ({"kpis": [{"id": "a", "name": "A", "target": 0.5}]}, True),
        ({"kpis": [{"id": "a", "name": "A", "target": "at least 5"}]}, True),
        ({"kpis": [{"id": "a", "name": "A", "target": {"unit": "x"}}]}, False),
        ({"kpis": [{"id": "A b", "name": "A"}]}, False),
        ({"kpis": [{"id": "a", "name": "A", "timline": {}}]}, False),
        ({"goals": [{"id": "g", "name": "G", "period": {"end": "2027-12-31"}}]}, True),
        ({"incentives": [{"id": "i", "name": "I"}]}, False),
        ({"version": 2}, False),
        ({"kpis": [{"id": "a", "name": "A", "goal": ["g", "h"], "scope": "team:x"}]}, True),
        ({"kpis": [{"id": "a", "name": "A", "scope": "squad:x"}]}, False),
        # strictness: YAML's `yes`, a quoted number and a bool are not what they look like
        ({"kpis": [{"id": "a", "name": True}]}, False),
        ({"kpis": [{"id": "a", "name": "A", "target": {"value": "12"}}]}, False),
        ({"kpis": [{"id": "a", "name": "A", "target": {"value": True}}]}, False),
        ({"kpis": [{"id": "a", "name": "A", "target": {"value": 3, "baseline": False}}]}, False),
        ({"kpis": [{"id": "a", "name": "A", "status": True}]}, False),
        ({"incentives": [{"id": "i", "name": "I", "kpis": {"a": 1}}]}, False),
        ({"version": True}, False),
        ({"version": 1}, True),
    ],
)
def test_schema_and_model_agree(doc: dict[str, object], valid: bool) -> None:
    schema_ok = jsonschema.Draft202012Validator(json_schema()).is_valid(doc)
    try:
        validate(KpiFile, doc)
        model_ok = True
    except Exception:
        model_ok = False
    assert (schema_ok, model_ok) == (valid, valid)


def test_spec_example_is_rejected_for_its_misspelt_key() -> None:
    if not SPEC_EXAMPLE.is_dir():
        pytest.skip(NO_SPEC)
    data = _json_ready(yaml.safe_load((SPEC_EXAMPLE / "sales.kpi.yaml").read_text()))
    errors = list(jsonschema.Draft202012Validator(json_schema()).iter_errors(data))
    assert any("timline" in e.message for e in errors)
