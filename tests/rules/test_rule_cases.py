"""Every rule's YAML cases: files in, exact (code, path, line, column, entity) out.

A case file ``cases/KPI101.yaml`` holds named cases; each writes its files into
a fresh project, lints it with only that rule selected (plus ``also``), and
compares the findings. Project-wide rules must give the same findings whether
the project is linted whole or file by file (findings of each named file only).
A case's optional ``messages`` lists texts that must each end the message
of the finding at the same index of ``expect``, and ``fixes`` the exact fix texts.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from kpilint import lint
from kpilint.registry import registry

CASES = Path(__file__).parent / "cases"
DEFAULT_TODAY = date(2027, 6, 1)


def _load_cases() -> list[Any]:
    params = []
    for path in sorted(CASES.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in doc["cases"]:
            params.append(pytest.param(doc["rule"], case, id=f"{path.stem}-{case['name']}"))
    return params


def _write(root: Path, case: dict[str, Any]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    config = case.get("config", "")
    (root / "kpilint.toml").write_text(config if isinstance(config, str) else "", encoding="utf-8")
    for name, text in case["files"].items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))


def _rows(report: Any) -> list[tuple[Any, ...]]:
    return sorted(
        (
            f.code,
            f.path,
            f.line,
            f.column,
            f"{f.entity.kind}:{f.entity.id or 'null'}" if f.entity else None,
        )
        for f in report.findings
    )


def _expected(case: dict[str, Any]) -> list[tuple[Any, ...]]:
    rows = []
    for item in case.get("expect") or []:
        code, path, line, column, *rest = item
        rows.append((code, path, line, column, rest[0] if rest else None))
    return sorted(rows)


def _lint(case: dict[str, Any], rule: str, root: Path, paths: list[Path]) -> Any:
    select = tuple([rule, *case.get("also", [])])
    today = case.get("today", DEFAULT_TODAY)
    return lint([str(p) for p in paths], today=today, cwd=root, overrides={"select": select})


def _run(rule: str, case: dict[str, Any], root: Path, paths: list[Path]) -> list[tuple[Any, ...]]:
    return _rows(_lint(case, rule, root, paths))


@pytest.mark.parametrize(("rule", "case"), _load_cases())
def test_case(rule: str, case: dict[str, Any], tmp_path: Path) -> None:
    root = tmp_path / "p"
    _write(root, case)
    expected = _expected(case)
    report = _lint(case, rule, root, [root])
    assert _rows(report) == expected
    for item, text in zip(case.get("expect") or [], case.get("messages") or [], strict=False):
        at = tuple(item[:4])
        messages = [f.message for f in report.findings if (f.code, f.path, f.line, f.column) == at]
        assert any(m.endswith(text) for m in messages), (item, text, messages)
    for item, text in zip(case.get("expect") or [], case.get("fixes") or [], strict=False):
        at = tuple(item[:4])
        fixes = [
            f.fix.description for f in report.findings if (f.code, f.path, f.line, f.column) == at
        ]
        assert text in fixes, (item, text, fixes)
    if len(case["files"]) > 1:
        per_file: list[tuple[Any, ...]] = []
        for name in case["files"]:
            per_file += _run(rule, case, root, [root / name])
        assert sorted(per_file) == expected, "naming files one by one changed the findings"


def test_every_implemented_rule_has_triggering_and_passing_cases() -> None:
    covered: dict[str, tuple[bool, bool]] = {}
    for path in CASES.glob("*.yaml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        rule = doc["rule"]
        triggers = any(
            any(item[0] == rule for item in case.get("expect") or []) for case in doc["cases"]
        )
        passes = any(
            not any(item[0] == rule for item in case.get("expect") or []) for case in doc["cases"]
        )
        covered[rule] = (triggers, passes)
    missing = [
        code
        for code, r in registry().items()
        if r.implemented
        and not code.startswith("KPI8")  # governance: run by `kpilint diff`, see test_diff.py
        and covered.get(code) != (True, True)
    ]
    assert not missing, f"rules without a triggering and a passing case: {missing}"
