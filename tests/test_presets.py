"""Source presets on the real catalogues beside the clone (skipped when absent)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import kpilint
from kpilint.cli import cli
from kpilint.config import tomllib
from tests.conftest import NO_CORPORA, SHARED, invoke_in

CORPORA = SHARED / "corpora"
SDG = CORPORA / "open-sdg-los-angeles" / "meta"
HUB = CORPORA / "mozilla-metric-hub" / "definitions"
OPENSLO = CORPORA / "slo-specs" / "openslo"
SLOTH = CORPORA / "slo-specs" / "sloth"

needs = pytest.mark.skipif(not CORPORA.is_dir(), reason=NO_CORPORA)


def _lint(fmt: str, *paths: Path) -> kpilint.Report:
    return kpilint.lint([str(p) for p in paths], source_format=fmt, cwd=Path.cwd())


def _at(report: kpilint.Report) -> set[tuple[str, str, int, int, str | None]]:
    return {
        (f.code, Path(f.path).name, f.line, f.column, f.entity.id if f.entity else None)
        for f in report.findings
    }


def _front_matter(path: Path) -> dict[str, Any]:
    import yaml

    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return {}
    data: dict[str, Any] = yaml.safe_load(text.split("\n---", 1)[0][3:])
    return data


@needs
def test_open_sdg_reads_every_indicator_with_counts_from_the_spec() -> None:
    files = sorted(SDG.glob("*.md"))
    meta = [m for m in (_front_matter(p) for p in files) if m]
    seen: list[Any] = []
    projects: list[Any] = []
    report = kpilint.lint(
        [str(SDG)], source_format="open-sdg", on_project=lambda p, _d: projects.append(p)
    )
    project = projects[0].project
    assert report.summary.kpis == len(meta) == 247
    assert report.summary.metrics == 247
    goals = {str(m["sdg_goal"]) for m in meta}
    assert sorted(g.id for g in project.goals) == sorted(f"sdg-{g}" for g in goals)
    assert all(g.model.name == f"SDG {g.id[4:]}" for g in project.goals)
    drafts = [
        m for m in meta if m.get("published") is False or m.get("reporting_status") == "notstarted"
    ]
    assert Counter(k.model.status for k in project.kpis) == {
        "draft": len(drafts),
        "active": len(meta) - len(drafts),
    }
    by_id = {k.id: k for k in project.kpis}
    assert by_id["11-6-2"].model.goal == ["sdg-11"] and by_id["11-6-2"].model.metric == "11-6-2"
    metric = project.metric("11-6-2")
    assert metric is not None
    assert metric.model.source == "South Coast Air Quality Management District (AQMD)"
    assert metric.model.unit == "Annual Average Concentration in µg/m^3"
    seen.append(report)
    assert not [f for f in report.findings if f.path.endswith("README.md")]


@needs
def test_open_sdg_findings_are_on_the_markdown_lines() -> None:
    at = _at(_lint("open-sdg", SDG / "11-6-2.md", SDG / "8-10-2.md"))
    assert ("KPI104", "11-6-2.md", 2, 1, "11-6-2") in at  # the record's first key: indicator
    # target: the old template's key; "By 2030, reduce ..." has no number but a deadline
    assert ("KPI201", "11-6-2.md", 16, 1, "11-6-2") in at
    assert ("KPI002", "8-10-2.md", 48, 1, "8-10-2") in at  # source_periodicity_1: Every 2 years


def test_open_sdg_newer_template(tmp_path: Path) -> None:
    meta = tmp_path / "meta"
    meta.mkdir()
    (meta / "3-4-1.md").write_text(
        "---\nindicator_number: 3.4.1\nsdg_goal: 3\nindicator_name: Mortality rate\n"
        "computation_units: per 100,000\nsource_periodicity_1: Yearly\n"
        "source_organisation_1: Health office\n"
        "target_name: By 2030, reduce by one third premature mortality\n"
        "progress_calculation_options:\n  - direction: negative\n"
        "    target: 12.5\n    target_year: 2030\n---\nBody\n"
    )
    (meta / "3-5-1.yml").write_text(
        "indicator_number: '3.5.1'\nsdg_goal: '3'\ngraph_title: Treatment coverage\n"
        "target_name: ' No Specific Target '\npublished: false\n"
    )
    projects: list[Any] = []
    report = kpilint.lint(
        [str(meta)], source_format="open-sdg", on_project=lambda p, _d: projects.append(p)
    )
    project = projects[0].project
    assert [g.id for g in project.goals] == ["sdg-3"]  # '3' and 3 are one goal
    first, second = project.kpis
    assert first.id == "3-4-1" and second.id == "3-5-1"
    target = first.model.target
    assert (target.value, target.unit, target.direction) == (12.5, "per 100,000", "decrease")
    assert str(first.model.timeline.end) == "2030-12-31"
    assert first.model.timeline.review == "annually"
    assert second.model.target is None and second.model.status == "draft"
    at = _at(report)
    assert ("KPI101", "3-5-1.yml", 1, 1, "3-5-1") in at
    assert ("KPI204", "3-4-1.md", 11, 5, "3-4-1") in at  # at the option's `target:` key


@needs
def test_metric_hub_reads_metrics_and_kpis() -> None:
    expected_metrics = expected_kpis = 0
    for path in HUB.glob("*.toml"):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for entry in data.get("metrics", {}).values():
            if entry.get("deprecated") is True:
                continue
            expected_metrics += 1
            expected_kpis += entry.get("category") == "KPI"
    report = _lint("metric-hub", HUB)
    assert (report.summary.metrics, report.summary.kpis) == (expected_metrics, expected_kpis)
    at = _at(report)
    assert ("KPI002", "fenix.toml", 56, 1, "daily_active_users_v2") in at  # owner: a list
    assert ("KPI404", "fenix.toml", 4, 1, "uri_count") in at  # first key under the header
    assert not any(c == "KPI006" for c, *_ in at)  # deprecated entries are not read at all


@needs
def test_openslo_objectives_windows_and_documents() -> None:
    projects: list[Any] = []
    report = kpilint.lint(
        [str(OPENSLO), str(SLOTH / "examples" / "openslo-kubernetes-apiserver.yml")],
        source_format="openslo",
        on_project=lambda p, _d: projects.append(p),
    )
    by_id = {k.id: k for p in projects for k in p.project.kpis}  # one project per folder
    main = by_id["main-page"].model
    assert (main.target.value, main.target.unit, main.target.direction) == (99, "%", "increase")
    assert main.timeline.review == "biweekly"  # rolling 2w
    assert main.goal == ["service-web-shop"]
    assert by_id["requests-availability-openslo"].model.timeline.review == "monthly"  # 30 Day
    assert {"requests-latency-openslo-0", "requests-latency-openslo-1"} <= set(by_id)
    at = _at(report)
    assert ("KPI104", "ratio-timeslices.yaml", 31, 7, "main-page") in at
    assert ("KPI204", "ratio-timeslices.yaml", 34, 7, "main-page") in at


@needs
def test_sloth_slos_with_services_and_owners() -> None:
    projects: list[Any] = []
    report = kpilint.lint(
        [str(SLOTH)], source_format="sloth", on_project=lambda p, _d: projects.append(p)
    )
    project = projects[0].project
    by_id = {k.id: k for k in project.kpis}
    slo = by_id["myservice-requests-availability"].model
    assert (slo.target.value, slo.owner, slo.goal) == (99.9, "myteam", ["service-myservice"])
    assert slo.timeline is None
    assert {g.id for g in project.goals} >= {"service-myservice", "service-home-wifi"}
    at = _at(report)
    assert ("KPI105", "getting-started.yml", 9, 5, "myservice-requests-availability") in at
    assert ("KPI104", "home-wifi.yml", 29, 5, "home-wifi-good-wifi-client-satisfaction") in at


def _codes_and_entities(report: kpilint.Report) -> Counter[tuple[str, str | None]]:
    return Counter((f.code, f.entity.id if f.entity else None) for f in report.findings)


@needs
@pytest.mark.parametrize(
    ("preset", "source"),
    [("open-sdg", SDG), ("metric-hub", HUB), ("openslo", OPENSLO), ("sloth", SLOTH)],
)
def test_check_from_equals_check_on_what_import_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, preset: str, source: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["import", "--from", preset, str(source), "-o", "out"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "out" / "README.kpi.yaml").exists()
    imported = kpilint.lint(["out"], cwd=tmp_path)
    assert _codes_and_entities(imported) == _codes_and_entities(_lint(preset, source))


def test_sources_lists_and_prints_presets(tmp_path: Path) -> None:
    code, output = invoke_in(tmp_path, "sources")
    assert code == 0
    names = re.findall(r"^  (\S+)", output, re.M)
    assert names == ["gitlab-pi", "metric-hub", "open-sdg", "openslo", "sloth"]
    code, output = invoke_in(tmp_path, "sources", "open-sdg")
    assert code == 0 and "open-sdg-target:" in output
    table = tomllib.loads(output)["sources"][0]  # prints a [[sources]] table to copy
    (tmp_path / "kpilint.toml").write_text(output)
    assert kpilint.Config.from_file(tmp_path / "kpilint.toml").source_specs()[0].include == tuple(
        table["include"]
    )
    code, output = invoke_in(tmp_path, "sources", "opensdg")
    assert code == 2 and "did you mean 'open-sdg'" in output


def test_presets_ship_in_the_wheel() -> None:
    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    force = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert force["presets"] == "kpilint/_presets"


@needs
def test_gitlab_pi_preset_reads_the_handbook_as_the_importer_does(tmp_path: Path) -> None:
    """The mapping in presets/gitlab-pi.toml gives the code importer's findings, exactly."""
    import shutil

    pi = tmp_path / "data" / "performance_indicators"
    pi.mkdir(parents=True)
    for path in (CORPORA / "gitlab-handbook-pi").glob("*.yml"):
        shutil.copy(path, pi / path.name)
    (tmp_path / "kpilint.toml").write_text('[[sources]]\npreset = "gitlab-pi"\n')
    preset = kpilint.lint([tmp_path], cwd=tmp_path)
    importer = kpilint.lint([pi], cwd=tmp_path, source_format="gitlab-pi", config=kpilint.Config())

    def key(r: kpilint.Report) -> Counter[tuple[Any, ...]]:
        return Counter((f.code, f.path, f.line, f.column, f.entity) for f in r.findings)

    assert key(preset) == key(importer)
    assert preset.summary.kpis == importer.summary.kpis > 0


_README_CWD = {
    "meta/": ("open-sdg", CORPORA / "open-sdg-los-angeles"),
    "definitions/": ("metric-hub", CORPORA / "mozilla-metric-hub"),
    "budgeting-method/": ("openslo", OPENSLO / "examples"),
    "getting-started.yml": ("sloth", SLOTH / "examples"),
}


@needs
def test_readme_preset_examples_are_what_kpilint_prints() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Catalogues you already have") :]
    section = section[: section.index("### A mapping of your own")]
    lines = [
        line
        for block in re.findall(r"```text\n(.*?)```", section, re.S)
        for line in block.splitlines()
    ]
    assert len(lines) >= 5
    for line in lines:
        path = line.split(":", 1)[0]
        preset, cwd = next(v for k, v in _README_CWD.items() if path.startswith(k))
        _code, output = invoke_in(cwd, "check", "--no-cache", "--from", preset, path)
        assert line in output.splitlines(), (line, output)
