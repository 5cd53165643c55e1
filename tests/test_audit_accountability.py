"""The audit's waivers and owners tables, in text, markdown, json and html (and chromium)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from kpilint.audit import Audit, audit, render
from tests.conftest import WriteProject
from tests.test_audit_html import _chromium, _run_chromium

TODAY = date(2027, 6, 1)
FILES = {
    "kpilint.toml": 'owners = "owners.txt"\n',
    "owners.txt": "# who exists\n@dana\n@acme/sales\n",
    "a.kpi.yaml": """
    # kpilint: ignore-file[KPI601] until 2027-06-15: brand push | ends mid-June @everyone
    goals:
      - {id: g, name: G, owner: "@dana"}
    kpis:
      - id: k1  # kpilint: ignore[KPI101] until 2027-12-31: target set at the Q3 re-plan
        name: K1
        goal: g
        owner: "@dana"
      - id: k2  # kpilint: ignore[KPI101] until 2027-07-01: pilot
        name: K2
        goal: g
        owner: "@dana"
        status: draft
      - id: k3  # kpilint: ignore[KPI101] the board decided
        name: K3
        goal: g
        owner: "@lee"
      - id: k4  # kpilint: ignore[KPI101] until 2027-05-31: expired yesterday
        name: K4
        goal: g
        owner: "@acme/sales"
      - id: k5  # kpilint: ignore[KPI1O1] until 2027-08-01: malformed, not a waiver
        name: K5
        goal: g
        owner: "@acme/sales"
        status: retired
    """,
}


@pytest.fixture
def result(write_project: WriteProject) -> Audit:
    root = write_project(FILES)
    return audit([root], cwd=root, today=TODAY)


def test_waivers_soonest_first_and_owners_busiest_first(result: Audit) -> None:
    w = result.waivers
    assert [(r.line, r.until.isoformat(), r.days, r.rules, r.whole_file) for r in w.active] == [
        (1, "2027-06-15", 14, ("KPI601",), True),
        (9, "2027-07-01", 30, ("KPI101",), False),
        (5, "2027-12-31", 213, ("KPI101",), False),
    ]
    assert w.active[1].reason == "pilot"
    assert (w.without_end, w.expired) == (1, 1)
    rows = [(o.owner, o.kpis, o.active, o.findings["error"], o.listed) for o in result.owners]
    assert rows == [
        ("@dana", 2, 1, 2, True),  # KPI102 on k1 and k2 (KPI101 waived)
        ("@acme/sales", 1, 1, 2, True),  # k4: its waiver expired, KPI101 shows
        ("@lee", 1, 1, 1, False),
    ]


def test_text(result: Audit) -> None:
    text = render(result, "text")
    section = text[text.index("Waivers") : text.index("Owners")]
    lines = [line.split() for line in section.splitlines()[2:5]]
    assert [(cells[0], cells[1]) for cells in lines] == [
        ("2027-06-15", "14"),
        ("2027-07-01", "30"),
        ("2027-12-31", "213"),
    ]
    assert "1 suppression with no end date; 1 expired waiver (KPI011)" in section
    owners = text[text.index("Owners") :].splitlines()
    assert owners[1].split() == ["owner", "KPIs", "active", "errors", "warnings", "infos", "listed"]
    assert owners[4].split() == ["@lee", "1", "1", "1", "2", "0", "no"]


def test_markdown_escapes_reasons(result: Audit) -> None:
    md = render(result, "markdown")
    section = md[md.index("### Waivers") : md.index("### Owners")]
    rows = [line for line in section.splitlines() if line.startswith("| 2027")]
    assert [row.split(" | ")[0] for row in rows] == ["| 2027-06-15", "| 2027-07-01", "| 2027-12-31"]
    assert "\\|" in rows[0] and "@everyone" not in rows[0]  # neither a column nor a mention
    assert "1 suppression with no end date; 1 expired waiver (KPI011)." in section
    assert "| `@lee` | 1 | 1 | 1 | 2 | 0 | **no** |" in md[md.index("### Owners") :]


def test_json(result: Audit) -> None:
    data = json.loads(render(result, "json"))["audit"]
    assert [r["until"] for r in data["waivers"]["active"]] == [
        "2027-06-15",
        "2027-07-01",
        "2027-12-31",
    ]
    assert data["waivers"]["active"][0] == {
        "path": "a.kpi.yaml",
        "line": 1,
        "rules": ["KPI601"],
        "file": True,
        "until": "2027-06-15",
        "days": 14,
        "reason": "brand push | ends mid-June @everyone",
    }
    assert (data["waivers"]["without_end"], data["waivers"]["expired"]) == (1, 1)
    assert data["owners"][2] == {
        "owner": "@lee",
        "kpis": 1,
        "active": 1,
        "findings": {"error": 1, "warning": 2, "info": 0},  # KPI102; KPI105, KPI106
        "listed": False,
    }


def test_without_an_owners_list_listed_is_unknown(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": "kpis:\n  - {id: a, name: A, owner: x}\n"})
    result = audit([root], cwd=root, today=TODAY)
    assert [(o.owner, o.listed) for o in result.owners] == [("x", None)]
    assert "listed" not in render(result, "text")
    assert '<button type="button">listed<' not in render(result, "html")
    assert "No suppression in force has an end date." in render(result, "markdown")


_PROBE = """<script>
(function () {
  var out = document.createElement("div");
  out.id = "probe";
  var table = document.getElementById("waivers-table");
  var firsts = function () {
    return Array.prototype.map.call(table.tBodies[0].rows, function (r) {
      return r.cells[0].textContent;
    }).join(",");
  };
  out.dataset.before = firsts();
  var head = Array.prototype.filter.call(table.tHead.rows[0].cells, function (th) {
    return th.textContent === "days left";
  })[0];
  head.querySelector("button").click();
  head.querySelector("button").click();
  out.dataset.descending = firsts();
  var owners = document.getElementById("owners-table").tBodies[0].rows;
  out.dataset.owners = Array.prototype.map.call(owners, function (r) {
    return r.cells[0].textContent + ":" + r.cells[r.cells.length - 1].textContent;
  }).join(",");
  document.body.appendChild(out);
})();
</script>"""


@pytest.mark.slow
def test_html_in_headless_chromium(result: Audit, tmp_path: Path) -> None:
    binary = _chromium()
    page = render(result, "html")
    assert "brand push | ends mid-June @everyone" in page
    probe = tmp_path / "probe.html"
    probe.write_text(page.replace("</body>", _PROBE + "</body>"), encoding="utf-8")
    seen = _run_chromium(binary, tmp_path / "profile", "--dump-dom", probe.as_uri())
    body = re.search(r"<body[^>]*>", seen.stdout)
    assert body is not None and 'data-ready="1"' in body.group(0), seen.stdout[-2000:]
    found = re.search(r'<div id="probe"([^>]*)>', seen.stdout)
    assert found is not None, seen.stdout[-2000:]
    attrs = dict(re.findall(r'data-([\w-]+)="([^"]*)"', found.group(1)))
    assert attrs == {
        "before": "2027-06-15,2027-07-01,2027-12-31",  # soonest end first
        "descending": "2027-12-31,2027-07-01,2027-06-15",  # sorted by days left, twice
        "owners": "@dana:yes,@acme/sales:yes,@lee:no",
    }, attrs
