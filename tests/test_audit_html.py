"""``kpilint audit --format html``: self-contained, escaped, and working in a real browser.

The browser test runs Debian's ``chromium`` headless: it must load the page with
no console message, run the inline script (``data-ready="1"``, no
``data-error``) and draw both charts. A screenshot is kept in
``tests/artifacts/audit.png``. Without chromium the test is skipped locally and
fails in CI (``CI`` set), where ``.ci/run`` installs it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kpilint.audit import Audit, audit, render
from tests.conftest import REPO, WriteProject

EXAMPLES = REPO / "examples"
ARTIFACTS = REPO / "tests" / "artifacts"
_CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


# Runs after the page's own script: clicks, types, and records the outcome.
_PROBE = """<script>
(function () {
  var out = document.createElement("div");
  out.id = "probe";
  var table = document.getElementById("kpis-table");
  var scoreHead = Array.prototype.filter.call(table.tHead.rows[0].cells, function (th) {
    return th.textContent.indexOf("score") === 0;
  })[0];
  scoreHead.querySelector("button").click();
  out.dataset.lowest = table.tBodies[0].rows[0].querySelector("code").textContent;
  scoreHead.querySelector("button").click();
  out.dataset.highest = table.tBodies[0].rows[0].querySelector(".pill").textContent;
  var search = document.getElementById("finding-filter");
  search.value = "KPI701";
  search.dispatchEvent(new Event("input"));
  var rows = document.querySelectorAll("#findings-table tbody tr");
  out.dataset.matches = String(Array.prototype.filter.call(rows, function (r) {
    return !r.hidden;
  }).length);
  search.value = "";
  search.dispatchEvent(new Event("input"));
  document.getElementById("sev-error").checked = true;
  out.dataset.errorsShown = String(Array.prototype.filter.call(rows, function (r) {
    return getComputedStyle(r).display !== "none";
  }).length);
  document.body.appendChild(out);
})();
</script>"""


@pytest.fixture(scope="module")
def page() -> str:
    return render(audit([EXAMPLES], cwd=REPO), "html")


def test_one_self_contained_file(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    # Nothing to fetch: no external script, stylesheet, image, font or frame.
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b[^>]*\b(src|href)=", page)
    assert "@import" not in page and "url(" not in page
    urls = set(re.findall(r"https?://[^\s\"'<>]+", page))
    assert urls <= {"http://www.w3.org/2000/svg"}, urls  # SVG's namespace is not fetched
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert page.count("<style>") == 1 and page.count("<script>") == 1


def test_sections_and_charts(page: str) -> None:
    assert page.count("<svg") == 2
    for anchor in (
        'id="summary"',
        'id="completeness-chart"',
        'id="score-chart"',
        'id="scopes-table"',
        'id="goals-table"',
        'id="findings-table"',
        'id="kpis-table"',
        'id="tree"',
        'id="orphans"',
        'id="attention"',
        'id="score-formula"',
    ):
        assert anchor in page, anchor
    assert page.count('<tr class="sev-') == 11 + 1  # 11 findings, 1 attention row
    assert page.count("<details") == 5  # one per goal
    assert "97.8" in page
    # The severity filter works without JavaScript: radio buttons and CSS only.
    assert 'id="sev-error"' in page and "#sev-error:checked ~ .scroll tbody" in page


def test_user_text_is_escaped(write_project: WriteProject) -> None:
    root = write_project(
        {
            "a.kpi.yaml": """
            goals:
              - {id: g, name: "<script>alert(1)</script>"}
            metrics:
              - {id: m, name: "\\"><img src=x onerror=alert(2)>"}
            kpis:
              - {id: k, name: "Tom & Jerry's <b>", goal: g, metric: m, scope: "team:<i>"}
            """
        }
    )
    page = render(audit([root], cwd=root), "html")
    assert "<script>alert" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Tom &amp; Jerry&#x27;s &lt;b&gt;" in page
    assert "team:&lt;i&gt;" in page


def test_empty_project_renders(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": "version: 1\n"})
    page = render(audit([root], cwd=root), "html")
    assert page.count("<svg") == 2 and "No live KPIs." in page


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs Debian's chromium")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return found


def _run_chromium(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [binary, *_CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HOME": str(profile)},
    )


@pytest.fixture(scope="module")
def example_audit() -> Audit:
    return audit([EXAMPLES], cwd=REPO)


@pytest.mark.slow
def test_renders_in_headless_chromium(example_audit: Audit, tmp_path: Path) -> None:
    binary = _chromium()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    html = ARTIFACTS / "audit.html"
    html.write_text(render(example_audit, "html"), encoding="utf-8")
    url = html.resolve().as_uri()

    # The DOM after the page's script ran, and every console message on stderr.
    dom = _run_chromium(
        binary, tmp_path / "dom", "--enable-logging=stderr", "--v=0", "--dump-dom", url
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    console = [line for line in dom.stderr.splitlines() if ":CONSOLE" in line]
    assert console == [], console  # no errors, no CSP violations, no logging at all
    body = re.search(r"<body[^>]*>", dom.stdout)
    assert body is not None, dom.stdout[-2000:]
    assert 'data-ready="1"' in body.group(0), body.group(0)
    assert "data-error" not in body.group(0), body.group(0)
    assert dom.stdout.count("<svg") == 2
    assert dom.stdout.count('class="bar"') == len(example_audit.scopes)
    assert dom.stdout.count('class="col"') == 11  # the score histogram's bins
    # The script unhid the text filter.
    assert re.search(r'<input type="search" id="finding-filter"[^>]*>', dom.stdout)
    assert not re.search(r'id="finding-filter"[^>]*\bhidden\b', dom.stdout)

    # Sorting, the text filter and the CSS-only severity filter, driven by a probe
    # script appended to a copy of the page; it writes what it saw into the DOM.
    probe = tmp_path / "probe.html"
    probe.write_text(html.read_text(encoding="utf-8").replace("</body>", _PROBE + "</body>"))
    seen = _run_chromium(binary, tmp_path / "probe", "--dump-dom", probe.as_uri())
    found = re.search(r'<div id="probe"([^>]*)>', seen.stdout)
    assert found is not None, seen.stdout[-2000:]
    attrs = dict(re.findall(r'data-([\w-]+)="([^"]*)"', found.group(1)))
    assert attrs == {
        "lowest": "at-risk-save-rate",  # score ascending: 75 first
        "highest": "100",  # then descending
        "matches": "1",  # "KPI701" matches one finding row
        "errors-shown": "3",  # the error radio hides warnings and infos without script
    }, attrs

    png = ARTIFACTS / "audit.png"
    png.unlink(missing_ok=True)
    shot = _run_chromium(
        binary,
        tmp_path / "shot",
        f"--screenshot={png}",
        "--window-size=1280,2000",
        "--hide-scrollbars",
        url,
    )
    assert shot.returncode == 0, shot.stderr[-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 2000)
    assert len(data) > 50_000  # a blank page compresses to a few kilobytes


# --- wrapping, code, quality beside completeness (issue 13 items 6, 7) ---------------------


def test_messages_show_code_as_code_and_paths_wrap_only_at_slashes(page: str) -> None:
    # KPI404's fix says "with `metric:`": code, not literal backticks.
    assert "Link the metric to a KPI with <code>metric:</code>, or remove it" in page
    cells = re.findall(r"<td[^>]*>(.*?)</td>", page, re.S)
    assert not [c for c in cells if "`" in c]
    assert "examples/<wbr>engineering.kpi.yaml:38:5" in page
    # No rule lets the browser break inside a word ("compan y").
    assert "anywhere" not in page and "break-all" not in page
    assert "td { overflow-wrap: break-word; }" in page


def test_a_complete_scope_with_bad_findings_does_not_show_green(
    write_project: WriteProject,
) -> None:
    """Every field filled, but a vanity KPI fed from a spreadsheet: quality says so."""
    root = write_project(
        {
            "growth.kpi.yaml": """
            goals:
              - {id: g, name: Grow, kind: growth, period: {start: 2027-01-01, end: 2027-12-31}}
            metrics:
              - {id: followers, name: Instagram followers, unit: followers,
                 source: growth.xlsx, source_type: spreadsheet, aggregation: sum}
            kpis:
              - id: followers
                name: Instagram followers
                goal: g
                metric: followers
                owner: growth-lead
                scope: team:growth
                target: {value: 12000, unit: followers, direction: increase, baseline: 10000}
                timeline: {start: 2027-01-01, end: 2027-12-31, review: monthly}
            """
        }
    )
    from datetime import date

    result = audit([root], cwd=root, today=date(2027, 3, 1))
    (scope,) = result.scopes
    assert scope.completeness is not None and scope.completeness["overall"] == 100.0
    assert scope.score == 84.0  # KPI601 and KPI701, two warnings
    page = render(result, "html")
    bar = re.search(r'<g class="bar"><title>team:growth: (.*?)</g>', page, re.S)
    assert bar is not None
    assert bar.group(1).startswith("100% complete, quality 84.0 of 100</title>")
    complete = re.search(r'<rect class="complete"[^>]*fill="([^"]+)" data-v="100.0"', bar.group(1))
    quality = re.search(r'<rect class="quality"[^>]*fill="([^"]+)" data-v="84.0"', bar.group(1))
    assert complete is not None and quality is not None
    assert quality.group(1) == "#9a6700"  # fair, not green
    assert complete.group(1) != "#1a7f37"  # completeness is not a verdict: never green
    assert "Completeness and quality by scope" in page


# Marks every word (split at blanks and after hyphens) that the layout broke across lines.
_WORD_PROBE = """<script>
(function () {
  var broken = [];
  var cells = document.querySelectorAll("td, th, figcaption, .legend, summary");
  Array.prototype.forEach.call(cells, function (cell) {
    var walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      var re = /[^\\s-]+-?/g, m;
      while ((m = re.exec(node.data)) !== null) {
        var range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        var lines = {};
        Array.prototype.forEach.call(range.getClientRects(), function (r) {
          if (r.width > 0) { lines[Math.round(r.top)] = 1; }
        });
        if (Object.keys(lines).length > 1) { broken.push(m[0]); }
      }
    }
  });
  var out = document.createElement("div");
  out.id = "words";
  out.setAttribute("data-broken", broken.join(" "));
  out.setAttribute("data-checked", String(cells.length));
  document.body.appendChild(out);
})();
</script>"""


@pytest.mark.slow
@pytest.mark.parametrize("width", [800, 1280])
def test_no_word_is_broken_mid_way_in_chromium(
    example_audit: Audit, tmp_path: Path, width: int
) -> None:
    binary = _chromium()
    probe = tmp_path / "words.html"
    probe.write_text(
        render(example_audit, "html").replace("</body>", _WORD_PROBE + "</body>"), "utf-8"
    )
    seen = _run_chromium(
        binary, tmp_path / "p", f"--window-size={width},2000", "--dump-dom", probe.as_uri()
    )
    found = re.search(r'<div id="words" data-broken="([^"]*)" data-checked="(\d+)"', seen.stdout)
    assert found is not None, seen.stdout[-2000:]
    assert int(found.group(2)) > 100
    assert found.group(1) == ""
