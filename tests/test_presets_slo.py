"""The metric-hub, SLO (openslo, sloth, pyrra) and dbt presets, as SOURCES.md "Presets" says."""

from __future__ import annotations

import json
import textwrap
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import NO_CORPORA, SHARED, invoke_in

CORPORA = SHARED / "corpora"
DBT = Path(__file__).parent / "fixtures" / "dbt-shop"
needs = pytest.mark.skipif(not CORPORA.is_dir(), reason=NO_CORPORA)


def _check(cwd: Path, preset: str, *paths: str) -> tuple[int, dict[str, Any]]:
    code, output = invoke_in(
        cwd, "check", "--no-cache", "--format", "json", "--from", preset, *paths
    )
    return code, json.loads(output)


def _found(report: dict[str, Any]) -> set[tuple[str, str, int, int]]:
    return {(f["code"], Path(f["path"]).name, f["line"], f["column"]) for f in report["findings"]}


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


# --- the shared corpora: counts pinned (issue 20 item 6) ----------------------------------

_CORPUS_COUNTS = {
    # metric-hub: 11 top definitions files (not opmon/); 14 KPI002: 10 metrics without
    # friendly_name, 4 {file}.{key} ids over 64 characters (see docs/catalogues.md)
    "metric-hub": (
        "mozilla-metric-hub",
        {"files": 11, "goals": 0, "metrics": 382, "kpis": 2},
        {"KPI002": 14, "KPI101": 2, "KPI102": 2, "KPI103": 2, "KPI105": 2},
    ),
    "openslo": (
        "slo-specs/openslo",
        {"files": 4, "goals": 2, "metrics": 0, "kpis": 5},
        {"KPI104": 5, "KPI402": 1},
    ),
    "sloth": (
        "slo-specs/sloth",
        {"files": 6, "goals": 4, "metrics": 0, "kpis": 7},
        {"KPI104": 4, "KPI005": 1, "KPI401": 1, "KPI402": 1},
    ),
    "pyrra": (
        "rhobs-configuration",
        {"files": 109, "goals": 2, "metrics": 0, "kpis": 109},
        {"KPI104": 109, "KPI005": 6, "KPI401": 1, "KPI402": 1},
    ),
}


@needs
@pytest.mark.parametrize("preset", sorted(_CORPUS_COUNTS))
def test_corpus_counts_of_check_from(tmp_path: Path, preset: str) -> None:
    folder, entities, codes = _CORPUS_COUNTS[preset]
    _code, report = _check(tmp_path, preset, str(CORPORA / folder))
    summary = {k: report["summary"][k] for k in entities}
    assert summary == entities
    assert Counter(f["code"] for f in report["findings"]) == Counter(codes)


# --- metric-hub ---------------------------------------------------------------------------

_HUB = {
    "definitions/fenix.toml": """
        [metrics.active_hours]
        friendly_name = "Active hours"
        data_source = "clients_daily"
        owner = ["a@mozilla.com", "b@mozilla.com"]

        [metrics.dau]
        friendly_name = "DAU"
        data_source = "clients_daily"
        category = "KPI"
        owner = ["kpi@mozilla.com"]

        [metrics.old]
        deprecated = true
        """,
    "definitions/firefox_desktop.toml": """
        [metrics.active_hours]
        friendly_name = "Active hours"
        data_source = "clients_daily"
        owner = "c@mozilla.com"

        [metrics.no_name]
        data_source = "clients_daily"
        """,
    "jetstream/definitions/fenix.toml": '[metrics.active_hours]\nfriendly_name = "Copy"\n',
}


def test_metric_hub_ids_per_platform_first_owner_and_top_definitions_only(
    tmp_path: Path,
) -> None:
    root = _write(tmp_path, _HUB)
    code, report = _check(root, "metric-hub", ".")
    assert code == 1
    # active_hours in two platforms: two metrics, no KPI005; jetstream/ is not read
    assert (report["summary"]["files"], report["summary"]["metrics"]) == (2, 4)
    assert _found(report) == {
        ("KPI101", "fenix.toml", 7, 1),
        ("KPI102", "fenix.toml", 7, 1),
        ("KPI103", "fenix.toml", 7, 1),
        ("KPI105", "fenix.toml", 7, 1),
        ("KPI002", "firefox_desktop.toml", 7, 1),  # no friendly_name: a real gap
    }  # no KPI002 on owner lists, no KPI404 (ignored: a hub defines metrics for analysis)
    kpi = {f["entity"]["id"] for f in report["findings"] if f["code"] == "KPI101"}
    assert kpi == {"fenix.dau-kpi"}
    assert invoke_in(root, "import", "--from", "metric-hub", ".", "-o", "out")[0] == 0
    text = (root / "out" / "fenix.kpi.yaml").read_text(encoding="utf-8")
    assert "id: fenix.active_hours" in text and "owner: a@mozilla.com" in text
    assert "metric: fenix.dau\n  owner: kpi@mozilla.com" in text
    assert "ignore-file[KPI404]" in text


# --- SLO presets --------------------------------------------------------------------------


def _imported(root: Path, preset: str, name: str) -> Any:
    import yaml

    code, output = invoke_in(root, "import", "--from", preset, ".", "-o", "out")
    assert code == 0, output
    text = (root / "out" / f"{name}.kpi.yaml").read_text(encoding="utf-8")
    return text, yaml.safe_load(text)


_OPENSLO = """
        apiVersion: openslo/v1
        kind: Service
        metadata:
          name: web
        ---
        apiVersion: openslo/v1
        kind: SLO
        metadata:
          name: checkout
          labels:
            team: payments
        spec:
          service: Web Shop
          timeWindow:
            - duration: 2w
              isRolling: false
              calendar:
                startTime: 2026-01-01 00:00:00
                timeZone: UTC
          objectives:
            - displayName: Fast Enough
              target: 0.99
            - name: p99
              target: 0.95
            - targetPercent: 90
        ---
        apiVersion: openslo/v1
        kind: SLO
        metadata:
          name: search
        spec:
          service: Web Shop
          timeWindow:
            - duration: 6M
              isRolling: true
          objectives:
            - target: 0.999
"""


def test_openslo_ids_windows_and_ignores(tmp_path: Path) -> None:
    root = _write(tmp_path, {"a.yaml": _OPENSLO})
    code, report = _check(root, "openslo", ".")
    assert code == 0  # KPI102, KPI204, KPI404 ignored: an SLO has no deadline and no baseline
    assert _found(report) == {("KPI104", "a.yaml", 37, 7)}
    text, data = _imported(root, "openslo", "a")
    kpis = {k["id"]: k for k in data["kpis"]}
    # the objective's name, else the slug of its displayName, else its index from 1
    assert list(kpis) == ["checkout-fast-enough", "checkout-p99", "checkout-3", "search"]
    assert kpis["checkout-fast-enough"]["timeline"] == {"review": "biweekly"}  # 2 calendar weeks
    assert kpis["search"]["timeline"] == {"review": "semiannually"}  # 6M rolling: 184 days
    assert kpis["checkout-3"]["target"]["value"] == 90  # targetPercent
    assert kpis["checkout-p99"]["owner"] == "payments"  # the team label
    assert [g["id"] for g in data["goals"]] == ["service-web-shop"]
    assert "ignore-file[KPI102] an SLO is a standing objective" in text


def test_sloth_slugged_ids_and_monthly_review(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        {
            "s.yml": """
                version: prometheus/v1
                service: My Service
                labels:
                  team: sre
                slos:
                  - name: Requests Availability
                    objective: 99.9
                  - name: latency
                    objective: 99
                    labels:
                      owner: alice
                """
        },
    )
    code, report = _check(root, "sloth", ".")
    assert (code, report["findings"]) == (0, [])  # no KPI102/KPI105/KPI204
    _text, data = _imported(root, "sloth", "s")
    got = [(k["id"], k["owner"], k["timeline"]) for k in data["kpis"]]
    assert got == [
        ("my-service-requests-availability", "sre", {"review": "monthly"}),
        ("my-service-latency", "alice", {"review": "monthly"}),
    ]


_PYRRA = """
    apiVersion: pyrra.dev/v1alpha1
    kind: ServiceLevelObjective
    metadata:
      name: API Errors
      namespace: monitoring
      labels:
        pyrra.dev/service: Observatorium API
        team: Obs Team
    spec:
      description: API requests succeed.
      target: "99.5"
      window: 4w
    ---
    apiVersion: v1alpha1
    kind: ServiceLevelObjective
    metadata:
      name: receive-latency
      labels:
        instance: mst-stage
        service: telemeter
    spec:
      target: 90
      window: 1d12h
    ---
    apiVersion: v1alpha1
    kind: ServiceLevelObjective
    metadata:
      name: bare
    spec:
      target: 95
      window: 28x
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: not-an-slo
    """


def test_pyrra_ids_goal_label_scope_target_and_window(tmp_path: Path) -> None:
    root = _write(tmp_path, {"p.yaml": _PYRRA})
    code, report = _check(root, "pyrra", ".")
    assert code == 1
    assert report["summary"]["kpis"] == 3  # the ConfigMap is skipped
    assert _found(report) == {
        ("KPI104", "p.yaml", 14, 1),
        ("KPI402", "p.yaml", 14, 1),
        ("KPI103", "p.yaml", 25, 1),  # no label, no namespace: no goal
        ("KPI104", "p.yaml", 25, 1),
        ("KPI002", "p.yaml", 31, 3),  # window 28x: kept as written, KPI002 at spec.window
    }
    _text, data = _imported(root, "pyrra", "p")
    kpis = {k["id"]: k for k in data["kpis"]}
    assert list(kpis) == ["monitoring-api-errors", "mst-stage-receive-latency", "bare"]
    first = kpis["monitoring-api-errors"]
    assert (first["goal"], first["scope"], first["owner"]) == (
        "service-observatorium-api",  # the quoted label pyrra.dev/service
        "team:obs-team",
        "Obs Team",
    )
    assert (first["target"]["value"], first["timeline"]["review"]) == (
        99.5,
        "monthly",
    )  # "99.5", 4w
    second = kpis["mst-stage-receive-latency"]
    assert (second["goal"], second["timeline"]["review"]) == ("service-telemeter", "weekly")


# --- dbt ----------------------------------------------------------------------------------


def test_dbt_metrics_and_kpis_from_meta_kpi_with_goals_beside_the_project() -> None:
    code, output = invoke_in(DBT, "check", "--no-cache", "--format", "json", ".")
    assert code == 1, output
    report = json.loads(output)
    summary = report["summary"]
    # 5 metrics; 3 KPIs (repeat_customers' `kpi: true` is not a mapping); the goal file's goal
    assert (summary["files"], summary["metrics"], summary["kpis"], summary["goals"]) == (3, 5, 3, 1)
    got = {
        (f["code"], f["path"], f["line"], f["column"], f["entity"]["id"])
        for f in report["findings"]
    }
    assert got == {
        ("KPI204", "models/marts/orders.yml", 52, 11, "revenue-kpi"),  # at meta.kpi.target
        ("KPI404", "models/marts/orders.yml", 60, 5, "order_count"),
        ("KPI104", "models/marts/orders.yml", 69, 5, "aov"),  # meta.kpi names no owner
        ("KPI204", "models/marts/orders.yml", 81, 9, "aov"),
        ("KPI204", "metrics/customers.yml", 16, 11, "food_order_share-kpi"),
        ("KPI002", "metrics/customers.yml", 22, 13, "food_order_share-kpi"),  # review: montly
        ("KPI404", "metrics/customers.yml", 23, 5, "repeat_customers"),
    }


def test_dbt_import_writes_metric_and_kpi(tmp_path: Path) -> None:
    import yaml

    code, output = invoke_in(DBT, "import", "--from", "dbt", ".", "-o", str(tmp_path / "out"))
    assert code == 0, output
    data = yaml.safe_load((tmp_path / "out" / "orders.kpi.yaml").read_text(encoding="utf-8"))
    revenue = next(m for m in data["metrics"] if m["id"] == "revenue")
    assert revenue == {
        "id": "revenue",
        "name": "Revenue",
        "description": "Order value before tax, summed.",
        "owner": "finance-analytics",
        "source": "dbt",
        "source_type": "automated",
    }
    kpis = {k["id"]: k for k in data["kpis"]}
    assert list(kpis) == ["revenue-kpi", "aov"]
    assert (kpis["revenue-kpi"]["metric"], kpis["revenue-kpi"]["owner"]) == (
        "revenue",
        "head-of-ecommerce",
    )
    assert (kpis["aov"]["name"], kpis["aov"]["target"]["value"]) == ("Average order value", 45)


def test_an_anchored_include_in_a_config_reads_the_top_folder_only(tmp_path: Path) -> None:
    root = _write(tmp_path, {**_HUB, "kpilint.toml": '[[sources]]\npreset = "metric-hub"\n'})
    code, output = invoke_in(root, "check", "--no-cache", "--format", "json")
    assert code == 1, output
    report = json.loads(output)
    # /definitions/*.toml: definitions/ at the root, never jetstream/definitions/
    assert (report["summary"]["files"], report["summary"]["metrics"]) == (2, 4)
    assert ("KPI002", "firefox_desktop.toml", 7, 1) in _found(report)
