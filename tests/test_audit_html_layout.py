"""The HTML audit's layout in a real browser: it uses the window's width and never scrolls sideways.

Issue 23: at 1,400 and 1,920 px the page stayed 1,200 px wide and the Goals
table's ``complete`` and ``score`` columns and the History table's subjects hid
behind a horizontal scroll. A realistic page (the examples, goals named like
SDG's, a history with several commits a day and long subjects) is rendered in
headless chromium at 1,280 and 1,920 px; a probe script measures the layout
and screenshots are kept in ``tests/artifacts/`` to look at.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from kpilint.audit import audit, render
from kpilint.audit.history import history
from tests.conftest import REPO
from tests.test_audit_html import _chromium, _run_chromium

EXAMPLES = REPO / "examples"
ARTIFACTS = REPO / "tests" / "artifacts"

# Goals as the open-sdg preset makes them, in the order a file-name sort gives.
SDG = """\
goals:
  - {id: sdg-1, name: "SDG 1: End poverty in all its forms everywhere", level: company,
     owner: ceo, period: {start: 2027-01-01, end: 2030-12-31}}
  - {id: sdg-10, name: "SDG 10: Reduce inequality within and among countries", level: company,
     owner: ceo, period: {start: 2027-01-01, end: 2030-12-31}}
  - {id: sdg-2, name: "SDG 2: End hunger, achieve food security and improved nutrition",
     level: company, owner: ceo, period: {start: 2027-01-01, end: 2030-12-31}}
  - {id: peace-justice-and-strong-institutions-worldwide-by-2030,
     name: "SDG 16: Peace, justice and strong institutions", level: company, owner: ceo,
     period: {start: 2027-01-01, end: 2030-12-31}}
metrics:
  - {id: poverty, name: Share of residents below the poverty line, category: output,
     unit: percent, source: census, source_type: automated, aggregation: avg}
kpis:
  - id: poverty-rate
    name: Proportion of the population living below the national poverty line, by sex and age
    goal: [sdg-1, sdg-10, sdg-2,
           peace-justice-and-strong-institutions-worldwide-by-2030]
    metric: poverty
    owner: ceo
    target: {value: 10, unit: percent, direction: decrease, baseline: 14}
    timeline: {start: 2027-01-01, end: 2030-12-31, review: annually}
"""

# (file, date and time, subject): three commits on one day, two on another.
COMMITS = [
    ("company.kpi.yaml", "2027-01-10T09:00:00", "company goals for FY2027"),
    ("sales.kpi.yaml", "2027-02-03T09:00:00", "sales: pipeline coverage and win rate, "
     "as the regional teams asked for in the first quarter's planning review"),
    ("marketing.kpi.yaml", "2027-02-03T11:30:00", "marketing: qualified leads, "
     "campaign-sourced pipeline and the social media follower counts"),
    ("support.kpi.yaml", "2027-02-03T16:45:00", "support: first response time and CSAT"),
    ("customer-success.kpi.yaml", "2027-02-04T10:00:00", "customer success: churn, NRR"),
    ("engineering.kpi.yaml", "2027-03-01T09:00:00", "engineering: deployment frequency"),
    ("incentives.kpi.yaml", "2027-03-01T15:00:00", "incentives: the sales commission plan"),
    ("sdg.kpi.yaml", "2027-03-15T09:00:00", "sustainable development goals"),
]  # fmt: skip


def _git(repo: Path, *args: str, when: str | None = None) -> None:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo)}
    if when:
        env |= {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip


def build_repo(root: Path) -> Path:
    """A git repository that grows the example catalogue file by file."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    _git(root, "init", "-q", "-b", "main")
    shutil.copy(EXAMPLES / "kpilint.toml", root / "kpilint.toml")
    for name, when, subject in COMMITS:
        if name == "sdg.kpi.yaml":
            (root / name).write_text(SDG, encoding="utf-8")
        else:
            shutil.copy(EXAMPLES / name, root / name)
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "-m", subject, when=when)
    return root


def page_of(root: Path) -> str:
    result = audit([root], cwd=root, today=date(2027, 3, 20))
    result.history = history([root], cwd=root, use_cache=False)
    return render(result, "html")


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    if shutil.which("git") is None:
        pytest.skip("needs git")
    return page_of(build_repo(tmp_path_factory.mktemp("layout") / "repo"))


# Measures what a reader sees: does anything scroll sideways, where do key columns end.
_LAYOUT_PROBE = """<script>
(function () {
  var vw = document.documentElement.clientWidth;
  var out = {viewport: vw, page: document.documentElement.scrollWidth, main: 0,
             scrolls: [], columns: {}};
  out.main = Math.round(document.querySelector("main").getBoundingClientRect().width);
  var boxes = document.querySelectorAll("main *");
  Array.prototype.forEach.call(boxes, function (el) {
    if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== "visible") {
      out.scrolls.push((el.id || el.firstElementChild && el.firstElementChild.id || el.tagName)
                       + ":" + el.scrollWidth + ">" + el.clientWidth);
    }
  });
  ["goals-table", "history-table", "kpis-table", "findings-table", "scopes-table"].forEach(
    function (id) {
      var table = document.getElementById(id);
      if (!table) { return; }
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
        var r = th.getBoundingClientRect(), key = id + "/" + th.textContent.trim();
        if (!(key in out.columns)) {  // the first of two alike ("goal": the id, the check)
          out.columns[key] = [Math.round(r.left), Math.round(r.right)];
        }
      });
    });
  var div = document.createElement("div");
  div.id = "layout";
  div.setAttribute("data-json", JSON.stringify(out));
  document.body.appendChild(div);
})();
</script>"""

KEY_COLUMNS = (
    "goals-table/goal",
    "goals-table/complete",
    "goals-table/score",
    "history-table/date",
    "history-table/commit",
    "history-table/score",
    "history-table/subject",
    "kpis-table/score",
    "findings-table/message",
)


def _layout(binary: str, page: str, tmp_path: Path, width: int) -> dict[str, object]:
    probe = tmp_path / f"layout-{width}.html"
    probe.write_text(page.replace("</body>", _LAYOUT_PROBE + "</body>"), encoding="utf-8")
    seen = _run_chromium(binary, tmp_path / f"p{width}", f"--window-size={width},1200",
                         "--hide-scrollbars", "--dump-dom", probe.as_uri())  # fmt: skip
    found = re.search(r'<div id="layout" data-json="([^"]*)"', seen.stdout)
    assert found is not None, seen.stdout[-2000:]
    data: dict[str, object] = json.loads(html.unescape(found.group(1)))
    return data


@pytest.mark.slow
@pytest.mark.parametrize("width", [1280, 1920])
def test_the_page_uses_the_width_and_nothing_scrolls_sideways(
    page: str, tmp_path: Path, width: int
) -> None:
    binary = _chromium()
    layout = _layout(binary, page, tmp_path, width)
    assert layout["viewport"] == width
    assert layout["page"] == width  # the page itself does not scroll sideways
    assert layout["scrolls"] == []  # nor does any table inside it
    main = layout["main"]
    assert isinstance(main, int) and main >= width - 80  # no 1,200 px cap: the width is used
    columns = layout["columns"]
    assert isinstance(columns, dict)
    for key in KEY_COLUMNS:
        left, right = columns[key]
        assert 0 <= left < right <= width, (key, left, right)

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    saved = ARTIFACTS / "audit-layout.html"
    saved.write_text(page, encoding="utf-8")
    png = ARTIFACTS / f"audit-layout-{width}.png"
    png.unlink(missing_ok=True)
    shot = _run_chromium(binary, tmp_path / f"s{width}", f"--window-size={width},3200",
                         f"--screenshot={png}", "--hide-scrollbars", saved.as_uri())  # fmt: skip
    assert shot.returncode == 0, shot.stderr[-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(data[16:20], "big") == width


# --- the history chart labels commits, not dates (several commits a day) -------------------


def _ticks(svg: str) -> list[list[str]]:
    """Each x-axis label's lines (its tspans)."""
    return [
        re.findall(r"<tspan[^>]*>([^<]*)</tspan>", tick)
        for tick in re.findall(r'<text class="tick muted"[^>]*>(.*?)</text>', svg)
    ]


def test_history_axis_labels_commits_and_a_date_only_where_it_changes() -> None:
    from kpilint.audit.render_html import _line_chart

    labels = [
        ("2027-02-03", "aaaaaaa"),
        ("2027-02-03", "bbbbbbb"),
        ("2027-02-03", "ccccccc"),
        ("2027-02-04", "ddddddd"),
    ]
    svg = _line_chart("c", "Health score", labels, [("score", "#000", [1.0, 2.0, 3.0, 4.0])], 5.0)
    assert _ticks(svg) == [
        ["aaaaaaa", "2027-02-03"],
        ["bbbbbbb"],  # the same day: no date again
        ["ccccccc"],
        ["ddddddd", "2027-02-04"],
    ]


def test_history_chart_of_a_real_repository_names_its_commits(page: str) -> None:
    chart = re.search(r'<figure id="history-score-chart">(.*?)</figure>', page, re.S)
    assert chart is not None
    ticks = _ticks(chart.group(1))
    shas = re.findall(r"<td><code>([0-9a-f]{7})</code></td>", page)
    assert len(shas) == len(COMMITS)
    assert [t[0] for t in ticks] == [shas[0], shas[2], shas[4], shas[-1]]
    dates = [t[1] for t in ticks if len(t) > 1]
    assert dates == sorted(set(dates)) and dates[0] == "2027-01-10"  # no date twice


# --- goals in natural order: sdg-1, sdg-2, sdg-10, in every format -------------------------

GOALS = """\
goals:
  - {id: sdg-1, name: SDG 1}
  - {id: sdg-10, name: SDG 10}
  - {id: sdg-10-1, name: SDG 10.1, parent: sdg-10}
  - {id: sdg-10-10, name: SDG 10.10, parent: sdg-10}
  - {id: sdg-10-2, name: SDG 10.2, parent: sdg-10}
  - {id: sdg-2, name: SDG 2}
  - {id: sdg-11, name: SDG 11 has no KPI}
  - {id: sdg-3, name: SDG 3 has no KPI}
kpis:
"""


def test_goals_sort_naturally_in_every_format(tmp_path: Path) -> None:
    ids = ["sdg-1", "sdg-10", "sdg-10-1", "sdg-10-10", "sdg-10-2", "sdg-2"]
    kpis = "".join(
        f"  - {{id: k{i}, name: K {i}, goal: {g}, owner: o, target: {{value: 1, unit: x, "
        "direction: increase}, timeline: {end: 2027-12-31, review: monthly}}\n"
        for i, g in enumerate(ids)
    )
    (tmp_path / "sdg.kpi.yaml").write_text(GOALS + kpis, encoding="utf-8")
    (tmp_path / "kpilint.toml").write_text("", encoding="utf-8")
    result = audit([tmp_path], cwd=tmp_path, today=date(2027, 3, 1))
    natural = ["sdg-1", "sdg-2", "sdg-3", "sdg-10", "sdg-10-1", "sdg-10-2", "sdg-10-10", "sdg-11"]
    assert [g.id for g in result.goals] == natural
    assert [n.goal.id for n in result.tree] == ["sdg-1", "sdg-2", "sdg-3", "sdg-10", "sdg-11"]
    assert [c.goal.id for c in result.tree[3].children] == ["sdg-10-1", "sdg-10-2", "sdg-10-10"]
    assert [r.id for r in result.orphans.goals] == ["sdg-3", "sdg-11"]
    data = json.loads(render(result, "json"))
    assert [g["id"] for g in data["audit"]["goals"]] == natural
    for fmt in ("text", "markdown", "html"):
        out = render(result, fmt)
        goal_table = out[: out.index("sdg-11") + 10]  # the goals table ends with sdg-11
        seen = re.findall(r"\bsdg-[\d-]*\d\b", goal_table)
        assert list(dict.fromkeys(seen)) == natural, (fmt, seen)
