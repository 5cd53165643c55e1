"""The HTML audit with actuals (ACTUALS.md "Audit"), in a real headless browser.

Status counts beside the health score, off-track KPIs under "Needs attention",
and one chart per KPI with actuals: the actuals as a line, the target as a point
at its date and the pace needed as a dashed line from base to target. A probe
script measures where the browser drew each mark.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from tests.conftest import REPO, WriteProject, run_kpilint
from tests.test_actuals_audit import CONFIG, CSV, KPIS
from tests.test_audit_html import _chromium, _run_chromium

ARTIFACTS = REPO / "tests" / "artifacts"

_PROBE = """<script>
(function () {
  var centre = function (el) {
    var r = el.getBoundingClientRect();
    return [r.left + r.width / 2, r.top + r.height / 2];
  };
  var out = {viewport: document.documentElement.clientWidth,
             page: document.documentElement.scrollWidth, charts: {}};
  document.querySelectorAll("figure.progress-chart").forEach(function (fig) {
    var svg = fig.querySelector("svg"), pace = fig.querySelector("line.pace");
    var box = pace && pace.getBoundingClientRect();
    out.charts[fig.getAttribute("data-kpi")] = {
      label: svg.getAttribute("aria-label"), role: svg.getAttribute("role"),
      actuals: Array.prototype.map.call(fig.querySelectorAll("circle.actual"), centre),
      lines: fig.querySelectorAll("polyline.actuals").length,
      targets: Array.prototype.map.call(fig.querySelectorAll("polygon.target"), centre),
      pace: box ? [box.left, box.top, box.right, box.bottom] : null,
      dashed: pace ? pace.getAttribute("stroke-dasharray") : null
    };
  });
  var div = document.createElement("div");
  div.id = "probe";
  div.setAttribute("data-json", JSON.stringify(out));
  document.body.appendChild(div);
})();
</script>"""


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("progress")
    (root / "actuals").mkdir()
    (root / "kpilint.toml").write_text(CONFIG, encoding="utf-8")
    (root / "a.kpi.yaml").write_text(KPIS, encoding="utf-8")
    (root / "actuals" / "k.csv").write_text(CSV, encoding="utf-8")
    done = run_kpilint(["audit", "--today", "2027-06-01", "--format", "html"], root)
    assert done.returncode == 1, done.stderr  # KPI903 and friends are findings
    return done.stdout


def test_status_counts_beside_the_score_and_off_track_under_attention(page: str) -> None:
    cards = re.findall(r'<div class="card ([^"]*)"><div class="k">([^<]*)</div>', page)
    assert cards[:2] == [("score", "health score"), ("progress", "progress")]
    card = re.search(r'<div class="card progress">(.*?)</div></div>', page)
    assert card is not None
    assert "1 target achieved, 1 limited progress, 1 not available" in card.group(1)
    attention = page[page.index('id="attention"') : page.index('id="progress"')]
    assert "and KPIs off track" in attention
    rows = re.findall(r"<tr[^>]*><td><code>([^<]*)</code></td><td[^>]*>([^<]*)</td>", attention)
    assert rows == [("churn", "off-track")]


def test_no_progress_without_actuals(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": KPIS})
    out = run_kpilint(["audit", "--today", "2027-06-01", "--format", "html"], root).stdout
    assert 'id="progress"' not in out and "card progress" not in out
    assert "off track" not in out


@pytest.mark.slow
def test_charts_in_headless_chromium(page: str, tmp_path: Path) -> None:
    binary = _chromium()
    probe = tmp_path / "probe.html"
    probe.write_text(page.replace("</body>", _PROBE + "</body>"), encoding="utf-8")
    seen = _run_chromium(binary, tmp_path / "p", "--window-size=1280,1200", "--hide-scrollbars",
                         "--dump-dom", probe.as_uri())  # fmt: skip
    found = re.search(r'<div id="probe" data-json="([^"]*)"', seen.stdout)
    assert found is not None, seen.stdout[-2000:]
    data = json.loads(html.unescape(found.group(1)))
    assert data["viewport"] == 1280 and data["page"] == 1280  # no horizontal scroll
    charts = data["charts"]
    assert list(charts) == ["churn", "nps", "signups"]
    for kpi, chart in charts.items():
        assert chart["role"] == "img" and chart["label"].startswith(f"KPI {kpi}: ")
        assert chart["dashed"]
        assert len(chart["targets"]) == 1
    assert "limited progress, p = 0.08" in charts["churn"]["label"]
    assert "target 3 by 2028-12-31" in charts["churn"]["label"]

    churn = charts["churn"]
    assert churn["lines"] == 1 and len(churn["actuals"]) == 2
    (x24, y24), (x26, y26) = churn["actuals"]
    (tx, ty) = churn["targets"][0]
    # Dates on a time axis: 2024-12-31, 2026-12-31, target 2028-12-31.
    assert x24 < x26 < tx
    assert (x26 - x24) / (tx - x24) == pytest.approx(730 / 1461, abs=0.01)
    assert y24 < y26 < ty  # a decrease: 5, 4.9, then 3 lower down
    # The pace needed runs from the base actual (2024: 5) to the target.
    left, top, right, bottom = churn["pace"]
    assert left == pytest.approx(x24, abs=2) and top == pytest.approx(y24, abs=2)
    assert right == pytest.approx(tx, abs=2) and bottom == pytest.approx(ty, abs=2)

    nps = charts["nps"]
    (n24x, n24y), (n26x, n26y) = nps["actuals"]
    (ntx, nty) = nps["targets"][0]
    assert n24x < n26x < ntx and n26y < nty < n24y  # 60 above the target 50, above 20

    signups = charts["signups"]  # one actual: a point, no line, the pace from it
    assert signups["lines"] == 0 and len(signups["actuals"]) == 1
    (sx, sy) = signups["actuals"][0]
    left, top, right, bottom = signups["pace"]
    assert left == pytest.approx(sx, abs=2) and bottom == pytest.approx(sy, abs=2)

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    saved = ARTIFACTS / "audit-progress.html"
    saved.write_text(page, encoding="utf-8")
    png = ARTIFACTS / "audit-progress.png"
    png.unlink(missing_ok=True)
    shot = _run_chromium(binary, tmp_path / "s", "--window-size=1280,2400",
                         f"--screenshot={png}", "--hide-scrollbars", saved.as_uri())  # fmt: skip
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_many_actuals_draw_a_line_with_dots_at_the_ends_only(write_project: WriteProject) -> None:
    kpi = "kpis:\n  - id: daily\n    name: Daily\n    target: {value: 900, direction: increase}\n"
    kpi += "    timeline: {start: 2026-01-01, end: 2027-12-31, review: monthly}\n"
    days = [f"2026-{m:02d}-{d:02d}" for m in range(1, 13) for d in range(1, 29)]
    rows = "".join(f"daily,{day},{i}\n" for i, day in enumerate(days))
    files = {"kpilint.toml": CONFIG, "a.kpi.yaml": kpi, "actuals/k.csv": "kpi,date,value\n" + rows}
    root = write_project(files)
    out = run_kpilint(["audit", "--today", "2027-01-01", "--format", "html"], root).stdout
    figure = out[out.index('data-kpi="daily"') : out.index("</figure>", out.index('id="progress"'))]
    assert f"{len(days)} actuals from 2026-01-01 (0) to 2026-12-28 ({len(days) - 1})" in figure
    assert figure.count('<circle class="actual"') == 2
    polyline = re.search(r'<polyline class="actuals"[^>]* points="([^"]*)"', figure)
    assert polyline is not None and len(polyline.group(1).split()) == len(days)


def test_a_target_without_a_date_is_a_level_not_a_point(write_project: WriteProject) -> None:
    kpi = "kpis:\n  - id: open\n    name: Open\n    target: {value: 9, direction: increase}\n"
    kpi += "    timeline: {review: monthly}\n"
    csv = "kpi,date,value\nopen,2026-01,1\nopen,2026-06,2\n"
    root = write_project({"kpilint.toml": CONFIG, "a.kpi.yaml": kpi, "actuals/k.csv": csv})
    out = run_kpilint(["audit", "--today", "2027-01-01", "--format", "html"], root).stdout
    figure = out[out.index('data-kpi="open"') : out.index("</figure>", out.index('id="progress"'))]
    assert "target 9 (no target date)" in figure
    assert 'class="target"' not in figure and 'class="pace"' not in figure
    level = re.search(
        r'<line class="target-level" x1="(\S+)" y1="(\S+)" x2="(\S+)" y2="(\S+)"', figure
    )
    assert level is not None and level.group(2) == level.group(4)
    assert float(level.group(1)) < float(level.group(3))
