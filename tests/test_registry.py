"""Rule metadata (rules/*.toml) and checks agree, and every doc section is filled."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import yaml

from kpilint import lint
from kpilint.registry import DOC_SECTIONS, read_metadata, registry, rules_dir, vocabulary
from tests.conftest import NO_SPEC, SHARED

SPEC_RULES = SHARED / "spec" / "RULES.md"

# Rules RULES.md has that are not built yet, with the open issue that builds them.
# main stays green while the spec runs ahead; an entry is removed when its rule lands.
PLANNED: dict[str, str] = {}


def test_every_metadata_entry_has_a_check_and_every_check_metadata() -> None:
    rules = registry()
    unimplemented = {code for code, rule in rules.items() if not rule.implemented}
    assert unimplemented == set()
    assert set(read_metadata()) == set(rules)


def test_no_doc_section_is_empty() -> None:
    for code, meta in read_metadata().items():
        for section in DOC_SECTIONS:
            assert getattr(meta, section).strip(), f"{code}: '{section}' is empty"
        assert meta.severity in ("error", "warning", "info")
        assert meta.applicability in ("safe", "unsafe", "none")
        assert "\n" not in meta.fix and "\n" not in meta.summary


def test_metadata_matches_the_spec_catalogue() -> None:
    if not SPEC_RULES.exists():
        pytest.skip(NO_SPEC)
    text = SPEC_RULES.read_text()
    table = re.findall(r"^\| (KPI\d{3}) \| ([a-z-]+) \| (error|warning|info) \|", text, re.M)
    # Rules RULES.md names in prose, "KPI901 missing-actuals (warning)", count as well.
    table += re.findall(r"\b(KPI\d{3})\s+([a-z]+(?:-[a-z]+)+)\s+\((error|warning|info)\)", text)
    assert table
    meta = read_metadata()
    spec = {code: (name, sev) for code, name, sev in table}
    assert set(PLANNED) <= set(spec), "a planned rule is no longer in RULES.md"
    assert not set(PLANNED) & set(meta), "a planned rule is built: remove it from PLANNED"
    assert {c: v for c, v in spec.items() if c not in PLANNED} == {
        code: (m.name, m.severity) for code, m in meta.items()
    }


def test_examples_are_yaml() -> None:
    for code, meta in read_metadata().items():
        if code != "KPI001":  # its example is deliberately broken YAML
            yaml.safe_load(meta.example)
        yaml.safe_load(meta.passing)


def test_fix_applicability_matches_the_spec() -> None:
    meta = read_metadata()
    assert {c for c, m in meta.items() if m.applicability == "safe"} == {
        "KPI003",
        "KPI010",
        "KPI208",
    }
    assert {c for c, m in meta.items() if m.applicability == "unsafe"} == {
        "KPI008",
        "KPI302",
        "KPI905",
    }


def test_rule_options_are_documented() -> None:
    for code, rule in registry().items():
        if rule.options:
            doc = rule.meta.options_doc
            assert doc, f"{code} has options but no options doc"
            for name in rule.options:
                assert name.replace("_", "-") in doc, f"{code}: option {name} is undocumented"


def test_vocabulary_ships_the_spec_terms() -> None:
    assert vocabulary()["vanity"]["terms"] == [
        "page views",
        "pageviews",
        "impressions",
        "followers",
        "follower count",
        "likes",
        "fans",
        "shares",
        "views",
        "hits",
        "downloads",
        "registered users",
    ]
    assert (rules_dir() / "vocabulary.toml").is_file()


def test_a_rule_that_raises_becomes_an_internal_error_finding(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    rules = registry()
    broken = rules["KPI104"]

    def explode(kpi: object) -> object:
        raise ZeroDivisionError("boom")

    checks = tuple(replace(c, func=explode) for c in broken.checks)
    monkeypatch.setitem(rules, "KPI104", replace(broken, checks=checks))
    (tmp_path / "kpilint.toml").write_text("")
    (tmp_path / "a.kpi.yaml").write_text("kpis:\n  - id: k\n    name: K\n")
    report = lint([tmp_path], cwd=tmp_path, today=date(2027, 1, 1))
    errors = [f for f in report.findings if f.code == "KPI000"]
    assert [(f.line, f.column, f.entity.kind, f.entity.id) for f in errors if f.entity] == [
        (2, 5, "kpi", "k")
    ]
    assert len(errors) == 1
    assert (
        "rule KPI104 (missing-owner) failed on KPI 'k': ZeroDivisionError: boom"
        in errors[0].message
    )
    assert "KPI101" in {f.code for f in report.findings}  # the other rules still ran
