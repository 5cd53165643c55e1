"""``kpilint audit --format html``: one self-contained page to archive or attach.

Everything is inline (CSS, SVG charts, a small script) and a Content Security
Policy forbids any fetch, so the file opens the same offline, from a CI
artefact or an e-mail. Without JavaScript everything still shows and the
severity filter still works (it is pure CSS); only sorting and the text filter
need the script. Every text from the KPI files goes through ``html.escape``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from html import escape

from kpilint import __version__
from kpilint.audit import (
    ATTENTION_DAYS,
    COMPLETENESS,
    COMPLETENESS_TITLES,
    Audit,
    KpiRow,
    Ref,
    TreeGoal,
    progress_chart,
)
from kpilint.audit.history import History
from kpilint.audit.render_text import fmt_pct, fmt_score, progress_counts
from kpilint.audit.score import band, explain
from kpilint.findings import SEVERITIES

#: Histogram bins of KPI scores: (label, low, high) inclusive.
BINS: tuple[tuple[str, int, int], ...] = (
    *((f"{lo}–{lo + 9}", lo, lo + 9) for lo in range(0, 100, 10)),
    ("100", 100, 100),
)

_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)

_CSS = """
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #f6f8fa; --card: #fff;
  --good: #1a7f37; --fair: #9a6700; --poor: #cf222e; --info: #0969da; --track: #e6eaef; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--fg); background: var(--bg); }
main { max-width: 2400px; margin: 0 auto; padding: 24px; }
h1 { margin: 0 0 4px; font-size: 26px; }
h2 { margin: 32px 0 12px; font-size: 19px; border-bottom: 1px solid var(--line);
  padding-bottom: 4px; }
.sub { color: var(--muted); margin: 0 0 16px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(140px, 1fr)); gap: 12px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  padding: 12px 14px; }
.card .v { font-size: 26px; font-weight: 600; }
.card .k { color: var(--muted); font-size: 12px; text-transform: uppercase;
  letter-spacing: .04em; }
.card .d { color: var(--muted); font-size: 12px; }
.card.score { grid-column: span 2; }
.card.score .v { font-size: 40px; }
.card.progress { grid-column: span 2; }
.good { color: var(--good); } .fair { color: var(--fair); } .poor { color: var(--poor); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 16px;
  align-items: start; }
figure { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  padding: 12px; }
figcaption { font-weight: 600; margin-bottom: 8px; }
svg text { font: 12px system-ui, sans-serif; fill: var(--fg); }
svg .muted { fill: var(--muted); }
table { border-collapse: collapse; width: 100%; background: var(--card);
  border: 1px solid var(--line); }
th, td { text-align: left; padding: 5px 6px; border-bottom: 1px solid var(--line);
  vertical-align: top; }
td { overflow-wrap: break-word; }
.scroll { overflow-x: auto; }
td.text { min-width: 12em; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; color: var(--muted); font-size: 12px;
  margin: 0 0 6px; }
.legend span, .nowrap { white-space: nowrap; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px;
  margin-right: 4px; vertical-align: -1px; }
th { background: #eef1f4; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
th button { all: unset; cursor: pointer; }
th button::after { content: "\\a0↕"; color: var(--muted); }
th[aria-sort=ascending] button::after { content: "\\a0↑"; }
th[aria-sort=descending] button::after { content: "\\a0↓"; }
.sev { font-weight: 600; }
.sev-error .sev { color: var(--poor); } .sev-warning .sev { color: var(--fair); }
.sev-info .sev { color: var(--info); }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; }
.filters { margin: 0 0 8px; display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.filters input[type=radio] { position: absolute; opacity: 0; pointer-events: none; }
.filters label { border: 1px solid var(--line); border-radius: 999px; padding: 2px 10px;
  cursor: pointer; background: var(--card); }
.filters input[type=radio]:checked + label { background: var(--fg); color: #fff;
  border-color: var(--fg); }
.filters input[type=radio]:focus-visible + label { outline: 2px solid var(--info); }
.filters input[type=search] { margin-left: auto; padding: 4px 8px; min-width: 240px;
  border: 1px solid var(--line); border-radius: 6px; }
.filters .scroll { flex-basis: 100%; }
#sev-error:checked ~ .scroll tbody tr:not(.sev-error),
#sev-warning:checked ~ .scroll tbody tr:not(.sev-warning),
#sev-info:checked ~ .scroll tbody tr:not(.sev-info) { display: none; }
.tree ul { list-style: none; margin: 0; padding-left: 22px; border-left: 1px dotted var(--line); }
.tree > details, .tree > ul { margin-bottom: 6px; }
.tree summary { cursor: pointer; padding: 2px 0; }
.tree li { padding: 2px 0; }
.tag { display: inline-block; font-size: 11px; padding: 0 6px; border-radius: 999px;
  background: var(--track); color: var(--muted); margin-left: 4px; }
.pill { display: inline-block; min-width: 38px; text-align: center; font-weight: 600;
  border-radius: 4px; padding: 0 4px; color: #fff; font-size: 12px; }
.pill.good { background: var(--good); color: #fff; } .pill.fair { background: var(--fair);
  color: #fff; } .pill.poor { background: var(--poor); color: #fff; }
.pill.none { background: var(--track); color: var(--muted); }
.metric { color: var(--muted); }
.none-note { color: var(--muted); }
pre { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px;
  overflow: auto; }
footer { color: var(--muted); margin-top: 32px; font-size: 12px; }
"""

# Sorting and the text filter; the page is complete without it. A failure is
# recorded on <body data-error>, success as data-ready="1" (the browser test reads both).
_SCRIPT = """
(function () {
  "use strict";
  var body = document.body;
  try {
    var cellValue = function (row, index) {
      var cell = row.cells[index];
      if (!cell) { return ""; }
      var v = cell.getAttribute("data-v");
      return v !== null ? v : cell.textContent.trim().toLowerCase();
    };
    var tables = document.querySelectorAll("table.sortable");
    Array.prototype.forEach.call(tables, function (table) {
      var heads = table.tHead.rows[0].cells;
      Array.prototype.forEach.call(heads, function (th, index) {
        var button = th.querySelector("button");
        if (!button) { return; }
        button.addEventListener("click", function () {
          var numeric = th.classList.contains("n");
          var ascending = th.getAttribute("aria-sort") !== "ascending";
          Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
          var tbody = table.tBodies[0];
          var rows = Array.prototype.slice.call(tbody.rows);
          rows.sort(function (a, b) {
            var x = cellValue(a, index), y = cellValue(b, index);
            var order = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0)
                                : x.localeCompare(y, undefined, {numeric: true});
            return ascending ? order : -order;
          });
          rows.forEach(function (row) { tbody.appendChild(row); });
        });
      });
    });
    var search = document.getElementById("finding-filter");
    if (search) {
      var rows = document.querySelectorAll("#findings-table tbody tr");
      var count = document.getElementById("finding-count");
      search.hidden = false;
      search.addEventListener("input", function () {
        var q = search.value.trim().toLowerCase();
        var shown = 0;
        Array.prototype.forEach.call(rows, function (row) {
          var hit = !q || row.textContent.toLowerCase().indexOf(q) !== -1;
          row.hidden = !hit;
          if (hit) { shown += 1; }
        });
        if (count) { count.textContent = q ? shown + " match" + (shown === 1 ? "" : "es") : ""; }
      });
    }
    body.setAttribute("data-ready", "1");
  } catch (err) {
    body.setAttribute("data-error", String(err && err.message || err));
  }
})();
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def _rich(text: str) -> str:
    """Escaped text whose `code spans` (as kpilint's messages write them) render as code."""
    parts = _CODE_SPAN.split(text)
    return "".join(
        f"<code>{_e(part)}</code>" if i % 2 else _e(part) for i, part in enumerate(parts)
    )


def _path(text: str) -> str:
    """An escaped path that may wrap after each ``/``, never inside a name."""
    return "/<wbr>".join(_e(part) for part in text.split("/"))


def _color(score: float | None) -> str:
    return {"good": "#1a7f37", "fair": "#9a6700", "poor": "#cf222e", "none": "#8c959f"}[band(score)]


def _pill(score: float | None) -> str:
    return f'<span class="pill {band(score)}">{_e(fmt_score(score))}</span>'


def _score_cell(score: float | None) -> str:
    v = -1 if score is None else score
    return f'<td class="n" data-v="{v}">{_pill(score)}</td>'


def _num(value: float | int | None, text: str | None = None) -> str:
    """A right-aligned numeric cell that sorts by value (no value sorts first)."""
    v = "-1" if value is None else str(value)
    return f'<td class="n" data-v="{v}">{_e(text if text is not None else fmt_score(value))}</td>'


def _th(titles: Iterable[tuple[str, bool]], sortable: bool = True) -> str:
    cells = []
    for title, numeric in titles:
        cls = ' class="n"' if numeric else ""
        inner = f'<button type="button">{_e(title)}</button>' if sortable else _e(title)
        cells.append(f'<th scope="col"{cls}>{inner}</th>')
    return "<thead><tr>" + "".join(cells) + "</tr></thead>"


def _table(table_id: str, titles: Iterable[tuple[str, bool]], rows: Iterable[str]) -> list[str]:
    """A sortable table's lines: header, then one ``<tr>`` per row."""
    return [
        f'<div class="scroll"><table class="sortable" id="{table_id}">',
        _th(titles),
        "<tbody>",
        *rows,
        "</tbody></table></div>",
    ]


def render(result: Audit, *, color: bool = False) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="kpilint ' + _e(__version__) + '">',
        f"<title>kpilint audit: score {_e(fmt_score(result.score))}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<h1>kpilint audit</h1>",
        f'<p class="sub">Portfolio of {result.totals.kpis} KPIs on '
        f"{_e(result.today.isoformat())}, by kpilint {_e(__version__)}.</p>",
        _cards(result),
        '<div class="charts">',
        _completeness_chart(result),
        _histogram(result),
        "</div>",
        _history(result),
        _scopes(result),
        _goals(result),
        _attention(result),
        progress_chart.section(result.tracks) if result.totals.progress is not None else "",
        _waivers(result),
        _owners(result),
        _findings(result),
        _tree(result),
        _orphans(result),
        _kpis(result),
        '<h2 id="score-formula">Score formula</h2>',
        f"<pre>{_e(explain())}</pre>",
        f"<footer>Generated by kpilint {_e(__version__)}; this file loads nothing from the "
        "network.</footer>",
        "</main>",
        f"<script>{_SCRIPT}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _cards(result: Audit) -> str:
    t = result.totals
    status = ", ".join(f"{n} {s}" for s, n in t.kpis_by_status.items())
    cards = [
        (
            "score",
            "health score",
            f'<span class="{band(t.score)}">{_e(fmt_score(t.score))}</span>',
            "of 100, mean of live KPIs",
        ),
        *(
            [
                (
                    "progress",
                    "progress",
                    _e(sum(t.progress.values())),
                    _e(progress_counts(t.progress)),
                )
            ]
            if t.progress is not None  # ACTUALS.md: KPIs per status beside the health score
            else []
        ),
        ("", "files", _e(t.files), ""),
        ("", "goals", _e(t.goals), ""),
        ("", "metrics", _e(t.metrics), ""),
        ("", "KPIs", _e(t.kpis), _e(status)),
        ("", "incentives", _e(t.incentives), ""),
        ("", "errors", f'<span class="poor">{t.findings["error"]}</span>', ""),
        ("", "warnings", f'<span class="fair">{t.findings["warning"]}</span>', ""),
        ("", "info", f"{t.findings['info']}", ""),
        (
            "",
            "attention",
            _e(len(result.attention)),
            "deadlines, reviews" + (", off track" if t.progress is not None else ""),
        ),
    ]
    out = ['<section class="cards" id="summary" aria-label="Summary">']
    for cls, key, value, detail in cards:
        out.append(
            f'<div class="card {cls}"><div class="k">{_e(key)}</div><div class="v">{value}</div>'
            + (f'<div class="d">{detail}</div>' if detail else "")
            + "</div>"
        )
    out.append("</section>")
    return "\n".join(out)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


_NEUTRAL = "#6e7781"  # completeness is a fill level, not a verdict: no traffic-light colour


def _completeness_chart(result: Audit) -> str:
    """Two bars per scope: completeness (fields filled) and quality (the score from findings).

    Completeness alone says "fine" for a team whose KPIs are all filled in with a
    vanity metric fed from a spreadsheet; the score beside it says otherwise.
    """
    label_w, bar_w, bar_h, row_h, top = 250, 300, 11, 34, 8
    height = top * 2 + row_h * max(len(result.scopes), 1)
    width = label_w + bar_w + 60
    out = [
        '<figure id="completeness-chart"><figcaption>Completeness and quality by scope'
        "</figcaption>",
        f'<p class="legend"><span><i style="background:{_NEUTRAL}"></i>complete: share of '
        'fields filled</span><span><i style="background:#1a7f37"></i><i style="background:'
        '#9a6700"></i><i style="background:#cf222e"></i>quality: score from findings (good '
        "from 90, fair from 70)</span></p>",
        f'<svg class="chart" role="img" width="100%" viewBox="0 0 {width} {height}" '
        'xmlns="http://www.w3.org/2000/svg" '
        'aria-label="Completeness in percent and quality score per scope">',
    ]
    if not result.scopes:
        out.append(f'<text x="0" y="{top + 16}" class="muted">No live KPIs.</text>')
    for i, scope in enumerate(result.scopes):
        y = top + i * row_h
        pct = scope.completeness["overall"] if scope.completeness else 0.0
        bars = (
            ("complete", pct, fmt_pct(pct), y + 3, _NEUTRAL),
            ("quality", scope.score or 0.0, fmt_score(scope.score), y + 5 + bar_h, None),
        )
        out += [
            f'<g class="bar"><title>{_e(scope.scope)}: {_e(fmt_pct(pct))} complete, '
            f"quality {_e(fmt_score(scope.score))} of 100</title>",
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end">'
            f"{_e(_clip(scope.scope, 34))}</text>",
        ]
        for kind, value, text, bar_y, fill in bars:
            w = round(bar_w * value / 100, 1)
            out += [
                f'<rect x="{label_w}" y="{bar_y}" width="{bar_w}" height="{bar_h}" rx="2" '
                'fill="#e6eaef"/>',
                f'<rect class="{kind}" x="{label_w}" y="{bar_y}" width="{w}" height="{bar_h}" '
                f'rx="2" fill="{fill or _color(value)}" data-v="{value}"/>',
                f'<text x="{label_w + bar_w + 6}" y="{bar_y + bar_h - 1}" class="muted">'
                f"{_e(text)}</text>",
            ]
        out.append("</g>")
    out += ["</svg>", "</figure>"]
    return "\n".join(out)


#: Line colours of the rule families in the history chart, in family order.
_PALETTE = (
    "#0969da",
    "#cf222e",
    "#1a7f37",
    "#9a6700",
    "#8250df",
    "#bf3989",
    "#1b7c83",
    "#953800",
    "#57606a",
    "#6639ba",
)


def _history(result: Audit) -> str:
    """Health over time: the score, and findings per rule family, at past commits."""
    from kpilint.audit.history import summary

    h = result.history
    if h is None:
        return ""
    out = ['<h2 id="history">Health over time</h2>', f'<p class="sub">{_e(summary(h))}</p>']
    if h.note:
        out.append(f'<p class="sub">Note: {_rich(h.note)}</p>')
    if not h.points:
        out.append('<p class="none-note">No commit touched the project.</p>')
        return "\n".join(out)
    labels = [(p.date.isoformat(), p.short) for p in h.points]
    score: list[tuple[str, str, list[float | None]]] = [
        ("score", "#1f2328", [p.score for p in h.points])
    ]
    families: list[tuple[str, str, list[float | None]]] = [
        (
            f,
            _PALETTE[i % len(_PALETTE)],
            [None if p.error else float(p.families.get(f, 0)) for p in h.points],
        )
        for i, f in enumerate(h.families)
    ]
    out += [
        '<div class="charts">',
        _line_chart("history-score-chart", "Health score", labels, score, 100.0, _floor(h)),
        _line_chart(
            "history-family-chart",
            "Findings per rule family",
            labels,
            families,
            max((v for _, _, s in families for v in s if v is not None), default=0.0),
        ),
        "</div>",
    ]
    out += _table("history-table", _history_titles(h), _history_rows(h))
    return "\n".join(out)


def _history_titles(h: History) -> list[tuple[str, bool]]:
    from kpilint.audit.history import HEADLINE

    families = [("findings by family", False)] if h.families else []  # data-v sorts it
    numbers = [(title, True) for title in HEADLINE]
    return [("date", False), ("commit", False), ("subject", False), *numbers, *families]


def _history_rows(h: History) -> Iterable[str]:
    """One row a commit, as ``git log`` reads: date, commit, subject, then the numbers.

    The text table's column per rule family would push the subject out of sight
    on a laptop; here the families share one cell, each ``name count`` unbroken.
    """
    from kpilint.audit.history import table as history_table

    headers, rows = history_table(h)
    width = len(headers) - 3 - len(h.families)  # the headline numbers
    for r in rows:
        numbers = r[2 : 2 + width]
        counts = [(f, int(v)) for f, v in zip(h.families, r[2 + width : -1], strict=True)]
        shown = [f'<span class="nowrap">{_e(f)} {n}</span>' for f, n in counts if n]
        families = (
            f'<td data-v="{sum(n for _, n in counts)}">{", ".join(shown)}</td>'
            if h.families
            else ""
        )
        yield (
            f'<tr><td class="nowrap">{_e(r[0])}</td><td><code>{_e(r[1])}</code></td>'
            f'<td class="text">{_e(r[-1])}</td>'
            + "".join(_num(None, v) if v == "-" else _num(_number(v), v) for v in numbers)
            + families
            + "</tr>"
        )


def _floor(h: History) -> float:
    """The score axis starts a little below the lowest score, so a change shows."""
    scores = [p.score for p in h.points if p.score is not None]
    return max(0.0, (min(scores, default=0.0) - 5) // 10 * 10)


def _number(text: str) -> float:
    return float(text.rstrip("%"))


def _line_chart(
    chart_id: str,
    caption: str,
    labels: list[tuple[str, str]],
    series: list[tuple[str, str, list[float | None]]],
    top_value: float,
    bottom_value: float = 0.0,
) -> str:
    """An SVG line chart: one polyline per series over evenly spaced commits, oldest left.

    A missing value (a commit that could not be linted, no live KPI) breaks the line.
    """
    width, height, left, right, top, bottom = 560, 230, 40, 16, 12, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    floor = bottom_value
    ceiling = top_value if top_value > floor else floor + 1.0
    n = len(labels)

    def x(i: int) -> float:
        return round(left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2), 1)

    def y(v: float) -> float:
        return round(top + plot_h * (1 - (v - floor) / (ceiling - floor)), 1)

    legend = "".join(
        f'<span><i style="background:{color}"></i>{_e(name)}</span>' for name, color, _ in series
    )
    out = [
        f'<figure id="{chart_id}"><figcaption>{_e(caption)}</figcaption>',
        f'<p class="legend">{legend}</p>' if len(series) > 1 else "",
        f'<svg class="chart" role="img" width="100%" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{_e(caption)} per commit">',
    ]
    middle = (floor + ceiling) / 2
    whole = all(v is None or v == int(v) for _, _, values in series for v in values)
    for tick in dict.fromkeys((floor, float(round(middle)) if whole else middle, ceiling)):
        out += [
            f'<line x1="{left}" y1="{y(tick)}" x2="{width - right}" y2="{y(tick)}" '
            'stroke="#e6eaef"/>',
            f'<text x="{left - 6}" y="{y(tick) + 4}" text-anchor="end" class="muted">'
            f"{tick:g}</text>",
        ]
    step = max(1, -(-n // 5))  # at most about five commit labels, and always the last
    shown = [i for i in range(n) if i % step == 0 and (n - 1 - i >= step or i == 0)]
    last_day = ""
    for i in dict.fromkeys([*shown, n - 1]):
        # A commit's short sha; its date beneath where the date changes, so several
        # commits on one day do not show one date again and again.
        day, commit = labels[i]
        anchor = "start" if i == 0 and n > 1 else "end" if i == n - 1 and n > 1 else "middle"
        below = f'<tspan x="{x(i)}" dy="14">{_e(day)}</tspan>' if day != last_day else ""
        last_day = day
        out.append(
            f'<text class="tick muted" x="{x(i)}" y="{height - bottom + 16}" '
            f'text-anchor="{anchor}"><tspan>{_e(commit)}</tspan>{below}</text>'
        )
    for name, color, values in series:
        out.append(f'<g class="series" data-series="{_e(name)}">')
        run: list[str] = []
        for i, v in enumerate([*values, None]):
            if v is not None:
                run.append(f"{x(i)},{y(v)}")
            elif run:
                out.append(
                    f'<polyline fill="none" stroke="{color}" stroke-width="2" '
                    f'points="{" ".join(run)}"/>'
                )
                run = []
        for i, v in enumerate(values):
            if v is not None:
                day, commit = labels[i]
                out.append(
                    f'<circle cx="{x(i)}" cy="{y(v)}" r="3" fill="{color}">'
                    f"<title>{_e(name)} {v:g} at {_e(commit)} ({_e(day)})</title></circle>"
                )
        out.append("</g>")
    out += ["</svg>", "</figure>"]
    return "\n".join(part for part in out if part)


def _histogram(result: Audit) -> str:
    """Columns: how many live KPIs score in each band of ten."""
    scores = [k.score for k in result.kpis if k.score is not None]
    counts = [sum(lo <= s <= hi for s in scores) for _, lo, hi in BINS]
    peak = max(counts, default=0) or 1
    col_w, gap, plot_h, top, left = 34, 8, 150, 16, 8
    width = left * 2 + len(BINS) * (col_w + gap)
    height = top + plot_h + 36
    out = [
        '<figure id="score-chart"><figcaption>Score distribution (live KPIs)</figcaption>',
        f'<svg class="chart" role="img" width="100%" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="Number of KPIs per score band">',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - left}" y2="{top + plot_h}" '
        'stroke="#d1d9e0"/>',
    ]
    for i, ((label, lo, _hi), n) in enumerate(zip(BINS, counts, strict=True)):
        x = left + i * (col_w + gap) + gap / 2
        h = round(plot_h * n / peak, 1)
        y = top + plot_h - h
        cx = x + col_w / 2
        out += [
            f'<g class="col"><title>{_e(label)}: {n} KPI{"" if n == 1 else "s"}</title>',
            f'<rect x="{x}" y="{y}" width="{col_w}" height="{h}" rx="2" fill="{_color(lo)}"/>',
            f'<text x="{cx}" y="{y - 4}" text-anchor="middle">{n if n else ""}</text>',
            f'<text x="{cx}" y="{top + plot_h + 16}" text-anchor="middle" class="muted">'
            f"{_e(label)}</text></g>",
        ]
    if not scores:
        out.append(f'<text x="{left}" y="{top + 16}" class="muted">No live KPIs.</text>')
    out += ["</svg>", "</figure>"]
    return "\n".join(out)


def _completeness_cells(values: dict[str, float] | None) -> list[str]:
    keys = [*COMPLETENESS, "overall"]
    return [
        _num(values[k] if values else None, fmt_pct(values[k] if values else None)) for k in keys
    ]


def _check_titles() -> list[tuple[str, bool]]:
    return [*((COMPLETENESS_TITLES[c], True) for c in COMPLETENESS), ("complete", True)]


def _scopes(result: Audit) -> str:
    out = ['<h2 id="scopes">Scopes</h2>']
    if not result.scopes:
        return out[0] + '<p class="none-note">No live KPIs.</p>'
    rows = (
        "<tr>"
        + "".join(
            [
                f"<td>{_e(s.scope)}</td>",
                _num(s.kpis, str(s.kpis)),
                *_completeness_cells(s.completeness),
                _score_cell(s.score),
            ]
        )
        + "</tr>"
        for s in result.scopes
    )
    titles = [("scope", False), ("KPIs", True), *_check_titles(), ("score", True)]
    out += _table("scopes-table", titles, rows)
    return "\n".join(out)


def _goals(result: Audit) -> str:
    out = ['<h2 id="goals">Goals</h2>']
    if not result.goals:
        return out[0] + '<p class="none-note">No goals.</p>'
    titles = [
        ("goal", False),
        ("name", False),
        ("level", False),
        ("KPIs", True),
        *_check_titles(),
        ("score", True),
    ]
    rows = (
        "<tr>"
        + "".join(
            [
                f"<td><code>{_e(g.label)}</code></td>",
                f'<td class="text">{_e(g.name)}</td>',
                f"<td>{_e(g.level)}</td>",
                _num(g.kpis, str(g.kpis)),
                *_completeness_cells(g.completeness),
                _score_cell(g.score),
            ]
        )
        + "</tr>"
        for g in result.goals
    )
    out += _table("goals-table", titles, rows)
    return "\n".join(out)


def _attention(result: Audit) -> str:
    out = [
        '<h2 id="attention">Needs attention</h2>',
        f'<p class="sub">Deadlines within {result.attention_days} days or already passed, '
        "overdue reviews"
        + (" and KPIs off track" if result.totals.progress is not None else "")
        + ", of live KPIs.</p>",
    ]
    if not result.attention:
        out.append('<p class="none-note">Nothing needs attention.</p>')
        return "\n".join(out)
    titles = [("KPI", False), ("what", False), ("date", False), ("detail", False), ("at", False)]
    rows = (
        f'<tr class="{"sev-warning" if a.kind == "deadline-soon" else "sev-error"}">'
        f"<td><code>{_e(a.kpi.label)}</code></td>"
        f'<td class="sev">{_e(a.kind)}</td><td>{_e(a.date.isoformat())}</td>'
        f"<td>{_rich(a.message)}</td><td>{_path(a.kpi.path)}:{a.kpi.line}</td></tr>"
        for a in result.attention
    )
    out += _table("attention-table", titles, rows)
    return "\n".join(out)


def _findings(result: Audit) -> str:
    findings = result.report.findings
    out = ['<h2 id="findings">Findings</h2>']
    if result.by_rule:
        rules = ", ".join(
            f"<code>{_e(r.code)}</code> {_e(r.name)} ×{r.count}" for r in result.by_rule
        )
        out.append(f'<p class="sub">By rule: {rules}.</p>')
    if not findings:
        out.append('<p class="none-note">No findings.</p>')
        return "\n".join(out)
    counts = {s: result.totals.findings[s] for s in SEVERITIES}
    out.append('<div class="filters" id="finding-filters">')
    out.append(
        '<input type="radio" name="sev" id="sev-all" checked>'
        f'<label for="sev-all">all ({len(findings)})</label>'
    )
    for sev in SEVERITIES:
        out.append(
            f'<input type="radio" name="sev" id="sev-{sev}">'
            f'<label for="sev-{sev}">{sev} ({counts[sev]})</label>'
        )
    out.append(
        '<span id="finding-count" aria-live="polite"></span>'
        '<input type="search" id="finding-filter" placeholder="Filter findings…" '
        'aria-label="Filter findings" hidden>'
    )
    titles = [
        ("severity", False),
        ("rule", False),
        ("location", False),
        ("entity", False),
        ("message", False),
        ("fix", False),
    ]
    rank = {"error": 0, "warning": 1, "info": 2}
    rows = []
    for f in findings:
        entity = f"{f.entity.kind} {f.entity.id or ''}".strip() if f.entity else ""
        where = f"{f.path}:{f.line}:{f.column}" if f.path else "(no file)"
        rows.append(
            f'<tr class="sev-{f.severity}">'
            f'<td class="sev" data-v="{rank[f.severity]}">{f.severity}</td>'
            f"<td><code>{_e(f.code)}</code> {_e(f.name)}</td>"
            f'<td data-v="{_e(f.path)}:{f.line:08d}:{f.column:08d}">{_path(where)}</td>'
            f"<td>{_e(entity)}</td><td>{_rich(f.message)}</td>"
            f"<td>{_rich(f.fix.description)}</td></tr>"
        )
    out += _table("findings-table", titles, rows)
    out.append("</div>")
    return "\n".join(out)


def _tree(result: Audit) -> str:
    out = ['<h2 id="tree">Goal → KPI → metric</h2>', '<div class="tree">']
    if not result.tree:
        out.append('<p class="none-note">No goals.</p>')
    for node in result.tree:
        out.append(_tree_node(node, 0))
    out.append("</div>")
    return "\n".join(out)


def _tree_node(node: TreeGoal, depth: int) -> str:
    g = node.goal
    note = '<span class="tag">outside the audited files</span>' if node.outside else ""
    summary = (
        f"<summary>{_pill(g.score)} goal <code>{_e(g.label)}</code> {_e(g.name)}"
        f'<span class="tag">{_e(g.level)}</span>'
        f'<span class="tag">{g.kpis} KPI{"" if g.kpis == 1 else "s"}</span>{note}</summary>'
    )
    items = [f"<li>{_kpi_item(k)}</li>" for k in node.kpis]
    items += [f"<li>{_tree_node(child, depth + 1)}</li>" for child in node.children]
    inner = f"<ul>{''.join(items)}</ul>" if items else ""
    open_attr = " open" if depth < 3 else ""
    return f"<details{open_attr}>{summary}{inner}</details>"


def _kpi_item(k: KpiRow) -> str:
    status = f'<span class="tag">{_e(k.status)}</span>' if k.status != "active" else ""
    if k.metric:
        name = f" {_e(k.metric_name)}" if k.metric_name else " (unknown metric)"
        metric = f' <span class="metric">→ metric <code>{_e(k.metric)}</code>{name}</span>'
    else:
        metric = ' <span class="metric">(no metric)</span>'
    return f"{_pill(k.score)} KPI <code>{_e(k.label)}</code> {_e(k.name)}{status}{metric}"


def _orphans(result: Audit) -> str:
    o = result.orphans
    out = ['<h2 id="orphans">Orphans</h2>']
    groups: Sequence[tuple[str, list[Ref]]] = (
        ("Goals without KPIs", o.goals),
        ("Metrics without KPIs", o.metrics),
        ("KPIs without goals", o.kpis),
    )
    for title, refs in groups:
        if not refs:
            out.append(f"<p><strong>{_e(title)}</strong>: none.</p>")
            continue
        items = "".join(
            f"<li><code>{_e(r.label)}</code> {_e(r.name)} "
            f'<span class="metric">{_path(r.path)}:{r.line}</span></li>'
            for r in refs
        )
        out.append(f"<p><strong>{_e(title)}</strong> ({len(refs)}):</p><ul>{items}</ul>")
    return "\n".join(out)


def _kpis(result: Audit) -> str:
    out = ['<h2 id="kpis">KPIs</h2>']
    if not result.kpis:
        return out[0] + '<p class="none-note">No KPIs.</p>'
    titles = [
        ("KPI", False),
        ("scope", False),
        ("status", False),
        ("complete", True),
        ("errors", True),
        ("warnings", True),
        ("info", True),
        ("score", True),
        ("location", False),
    ]
    out += _table("kpis-table", titles, (_kpi_row(k) for k in result.kpis))
    return "\n".join(out)


def _kpi_row(k: KpiRow) -> str:
    missing = [COMPLETENESS_TITLES[c] for c in COMPLETENESS if not k.checks[c]]
    title = f' title="missing: {_e(", ".join(missing))}"' if missing else ""
    return (
        f"<tr><td><code>{_e(k.label)}</code> {_e(k.name)}</td><td>{_e(k.scope)}</td>"
        f"<td>{_e(k.status)}</td>"
        f'<td class="n" data-v="{k.completeness}"{title}>{_e(fmt_pct(k.completeness))}</td>'
        + "".join(_num(k.findings[s], str(k.findings[s])) for s in SEVERITIES)
        + _score_cell(k.score)
        + f'<td data-v="{_e(k.path)}:{k.line:08d}">{_path(k.path)}:{k.line}</td></tr>'
    )


def _waivers(result: Audit) -> str:
    w = result.waivers
    out = [
        '<h2 id="waivers">Waivers</h2>',
        '<p class="sub">Suppressions in force until a date, soonest end first. '
        f"{_e(w.without_end)} in force have no end date; {_e(w.expired)} expired "
        "(KPI011).</p>",
    ]
    if not w.active:
        out.append('<p class="none-note">No suppression in force has an end date.</p>')
        return "\n".join(out)
    titles = [("ends", False), ("days left", True), ("rules", False), ("reason", False)]
    rows = (
        ('<tr class="soon">' if r.days <= ATTENTION_DAYS else "<tr>")
        + f"<td>{_e(r.until.isoformat())}</td>{_num(r.days, str(r.days))}"
        + f"<td>{'file: ' if r.whole_file else ''}"
        + ", ".join(f"<code>{_e(x)}</code>" for x in r.rules)
        + f"</td><td>{_rich(r.reason) if r.reason else '<em>(none)</em>'}</td>"
        + f"<td>{_path(r.path)}:{r.line}</td></tr>"
        for r in w.active
    )
    out += _table("waivers-table", [*titles, ("at", False)], rows)
    return "\n".join(out)


def _owners(result: Audit) -> str:
    out = [
        '<h2 id="owners">Owners</h2>',
        '<p class="sub">Live KPIs each owner is accountable for, and the findings on them.</p>',
    ]
    if not result.owners:
        out.append('<p class="none-note">No live KPI names an owner.</p>')
        return "\n".join(out)
    listed = any(o.listed is not None for o in result.owners)
    titles = [("owner", False), ("KPIs", True), ("active", True)]
    titles += [("errors", True), ("warnings", True), ("info", True)]
    rows = (
        ('<tr class="unlisted">' if o.listed is False else "<tr>")
        + f"<td><code>{_e(o.owner)}</code></td>{_num(o.kpis, str(o.kpis))}"
        + _num(o.active, str(o.active))
        + "".join(_num(o.findings[s], str(o.findings[s])) for s in ("error", "warning", "info"))
        + (f"<td>{'yes' if o.listed else 'no'}</td>" if listed else "")
        + "</tr>"
        for o in result.owners
    )
    out += _table("owners-table", [*titles, *([("listed", False)] if listed else [])], rows)
    return "\n".join(out)
