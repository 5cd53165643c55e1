"""`kpilint check examples` reports exactly the table in examples/README.md."""

from __future__ import annotations

import re

import pytest

from kpilint import lint
from tests.conftest import REPO

ROW = re.compile(
    r"^\| (examples/\S+) \| (\d+) \| (\d+) \| (KPI\d{3}) \| ([a-z-]+) \| (\w+) \| (\w+) (\S+) \|",
    re.M,
)


def test_readme_table_is_what_kpilint_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    table = [
        (path, int(line), int(col), code, name, sev, f"{kind}:{ident}")
        for path, line, col, code, name, sev, kind, ident in ROW.findall(
            (REPO / "examples" / "README.md").read_text()
        )
    ]
    assert table, "examples/README.md has no findings table"
    report = lint(["examples"])
    got = [
        (
            f.path,
            f.line,
            f.column,
            f.code,
            f.name,
            f.severity,
            f"{f.entity.kind}:{f.entity.id}" if f.entity else "",
        )
        for f in report.findings
    ]
    assert got == table


def test_every_rule_family_is_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    families = {f.code[:4] for f in lint(["examples"]).findings}
    assert families >= {"KPI0", "KPI1", "KPI2", "KPI3", "KPI4", "KPI5", "KPI6", "KPI7"}


def test_overlay_readme_table_is_what_kpilint_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    """KPIs in a kpilint file on top of a metric hub read as a source (KPI006/KPI404 across)."""
    monkeypatch.chdir(REPO)
    readme = (REPO / "examples" / "overlay" / "README.md").read_text()
    table = [
        (path, int(line), int(col), code, name, sev, f"{kind}:{ident}")
        for path, line, col, code, name, sev, kind, ident in ROW.findall(readme)
    ]
    report = lint(["examples/overlay"])
    got = [
        (f.path, f.line, f.column, f.code, f.name, f.severity, f"{f.entity.kind}:{f.entity.id}")
        for f in report.findings
        if f.entity
    ]
    assert got == table and len(report.findings) == 1  # KPI404: the preset ignores it
    s = report.summary
    assert (s.files, s.goals, s.metrics, s.kpis) == (2, 1, 2, 2)
    assert "did you mean 'product.query_success_rate'" in report.findings[0].message
