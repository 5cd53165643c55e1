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
    projects: list[Any] = []
    report = kpilint.lint(
        [str(SDG)], source_format="open-sdg", on_project=lambda p, _d: projects.append(p)
    )
    project = projects[0].project
    # one metric per indicator; a KPI only where `target` holds its own number (UN target
    # texts such as 1.2's "reduce at least by half"): the others set no target (SOURCES.md)
    assert len(meta) == report.summary.metrics == 247
    assert report.summary.kpis == 9
    goals = {str(m["sdg_goal"]) for m in meta}
    assert sorted(g.id for g in project.goals) == sorted(f"sdg-{g}" for g in goals)
    assert all(g.model.name == f"SDG {g.id[4:]}" for g in project.goals)
    by_id = {k.id: k for k in project.kpis}
    assert by_id["1-2-1"].model.goal == ["sdg-1"] and by_id["1-2-1"].model.metric == "1-2-1"
    metric = project.metric("11-6-2")
    assert metric is not None
    assert metric.model.source == "South Coast Air Quality Management District (AQMD)"
    assert metric.model.unit == "Annual Average Concentration in µg/m^3"
    assert metric.model.description.startswith("By 2030, reduce the adverse per capita")
    assert not [f for f in report.findings if f.path.endswith("README.md")]


@needs
def test_open_sdg_findings_are_on_the_markdown_lines() -> None:
    at = _at(_lint("open-sdg", SDG / "10-c-1.md", SDG / "11-6-2.md", SDG / "8-10-2.md"))
    assert ("KPI105", "10-c-1.md", 2, 1, "10-c-1") in at  # the record's first key: indicator
    assert ("KPI208", "10-c-1.md", 14, 1, "10-c-1") in at  # target: the old template's key
    # 11-6-2's target has no number: a metric, no KPI201; 8-10-2's "Every 2 years" is a cadence
    assert not [a for a in at if a[1] != "10-c-1.md"]


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
    (first,) = project.kpis  # 3-5-1 sets no target: a metric (SOURCES.md), so no KPI101
    assert first.id == "3-4-1"
    target = first.model.target
    assert (target.value, target.unit, target.direction) == (12.5, "per 100,000", "decrease")
    assert str(first.model.timeline.end) == "2030-12-31"
    assert first.model.timeline.review == "annually"
    assert sorted(m.id for m in project.metrics) == ["3-4-1", "3-5-1"]
    at = _at(report)
    assert not [a for a in at if a[0] == "KPI101"]
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
    # ids are {file}.{key}: a name is unique per platform only (no KPI005 across files)
    assert not any(c in ("KPI005", "KPI404") for c, *_ in at)  # KPI404 ignored with a reason
    # an owner list gives its first owner, not a KPI002
    assert not any(c == "KPI002" and e == "fenix.daily_active_users_v2" for c, _, _, _, e in at)
    assert ("KPI002", "firefox_desktop.toml", 1660, 1, "firefox_desktop.pdf_engagement") in at
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
    # unnamed objectives, no displayName of their own: the index from 1 (SOURCES.md)
    assert {"requests-latency-openslo-1", "requests-latency-openslo-2"} <= set(by_id)
    at = _at(report)
    assert ("KPI104", "ratio-timeslices.yaml", 31, 7, "main-page") in at
    assert not any(c in ("KPI102", "KPI204", "KPI404") for c, *_ in at)  # ignored: an SLO


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
    assert slo.timeline.review == "monthly"  # Sloth's installation-wide window, 30 days
    assert {g.id for g in project.goals} >= {"service-myservice", "service-home-wifi"}
    at = _at(report)
    assert not any(c in ("KPI102", "KPI105", "KPI204") for c, *_ in at)
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
    assert names == ["dbt", "gitlab-pi", "metric-hub", "open-sdg", "openslo", "pyrra", "sloth"]
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


# What `--from gitlab-pi` gives on the handbook, pinned through the CLI (not through any
# module) so that it holds whichever code reads the handbook (SOURCES.md "Presets":
# "pin them in tests before that code importer goes").
GITLAB_COUNTS = {
    "KPI005": 24, "KPI101": 13, "KPI102": 63, "KPI103": 63, "KPI104": 43, "KPI105": 63,
    "KPI201": 1, "KPI202": 7, "KPI203": 6, "KPI204": 47, "KPI208": 49, "KPI401": 7,
    "KPI404": 94, "KPI601": 1,
}  # fmt: skip
GITLAB_AT = {
    ("KPI101", "chief_of_staff_team.yml", 1, 3, "percent-of-sent-slack-messages-that-are-not-dms"),
    ("KPI404", "chief_of_staff_team.yml", 16, 3, "throughput-for-the-cost-to-the-ceo"),
    ("KPI208", "customer_support_department.yml", 6, 3, "support-satisfaction-ssat"),
    ("KPI401", "customer_support_department.yml", 93, 3, "customer-wait-times"),
    ("KPI202", "customer_support_department.yml", 129, 3, "support-handbook-mr-rate"),
    ("KPI601", "developer_relations_department.yml", 129, 3, "developer-evangelism-monthly-"
     "impressions"),
    ("KPI201", "developer_relations_department.yml", 233, 3, "mrarr"),
    ("KPI005", "infrastructure_department.yml", 7, 3, "gitlab-com-availability"),
}  # fmt: skip


@needs
def test_gitlab_pi_counts_and_positions_users_see(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json
    import shutil

    pi = tmp_path / "data" / "performance_indicators"  # where the handbook keeps them
    shutil.copytree(CORPORA / "gitlab-handbook-pi", pi)
    monkeypatch.chdir(tmp_path)
    args = ["check", "--from", "gitlab-pi", "data/performance_indicators", "--format", "json"]
    out = CliRunner().invoke(cli, [*args, "--today", "2027-03-15"])
    assert out.exit_code == 1, out.output
    data = json.loads(out.output)
    summary = {k: data["summary"][k] for k in ("files", "goals", "metrics", "kpis", "incentives")}
    assert summary == {"files": 11, "goals": 0, "metrics": 94, "kpis": 63, "incentives": 0}
    found = data["findings"]
    assert Counter(f["code"] for f in found) == GITLAB_COUNTS
    at = {
        (f["code"], Path(f["path"]).name, f["line"], f["column"], (f["entity"] or {}).get("id"))
        for f in found
    }
    assert at >= GITLAB_AT
    text = next(f for f in found if f["code"] == "KPI208")["message"]
    assert "'At or above 95%'" in text


_README_CWD = {
    "meta/": ("open-sdg", CORPORA / "open-sdg-los-angeles"),
    "definitions/": ("metric-hub", CORPORA / "mozilla-metric-hub"),
    "budgeting-method/": ("openslo", OPENSLO / "examples"),
    "home-wifi.yml": ("sloth", SLOTH / "examples"),
    "resources/": ("pyrra", CORPORA / "rhobs-configuration"),
    "metrics/": ("dbt", Path(__file__).parent / "fixtures" / "dbt-shop"),
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
