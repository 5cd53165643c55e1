"""The HTML audit's per-KPI progress charts (ACTUALS.md "Audit").

Inline SVG, like the history chart: the actuals as a line, the target as a
point at its date, and the pace needed (base actual to target) as a dashed
line, so a reader sees at a glance whether the line runs below the pace.
Kept apart from ``render_html`` so that module stays readable.
"""

from __future__ import annotations

from datetime import date
from html import escape

from kpilint.audit import Track

WIDTH, HEIGHT = 460, 190
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 14, 40
ACTUAL, TARGET, PACE = "#0969da", "#cf222e", "#59636e"
_OFF_TRACK = ("limited_progress", "deterioration")
MAX_DOTS = 120  # more actuals than this: a line without a dot per value


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _status(track: Track) -> str:
    p = track.progress
    words = p.status.replace("_", " ")
    if p.p is not None:
        return f"{words}, p = {p.p:.2f}"
    return f"{words} ({p.reason})" if p.reason else words


def section(tracks: list[Track]) -> str:
    """The "Progress" section: one chart per KPI with actuals, in the audit's KPI order."""
    out = [
        '<h2 id="progress">Progress</h2>',
        '<p class="sub">Actuals (line), the target at its date (diamond) and the pace needed '
        "from the base actual to the target (dashed), per KPI with actuals.</p>",
    ]
    if not tracks:
        out.append('<p class="none-note">No KPI with a numeric target has actuals.</p>')
        return "\n".join(out)
    legend = (
        f'<p class="legend"><span><i style="background:{ACTUAL}"></i>actuals</span>'
        f'<span><i style="background:{TARGET}"></i>target</span>'
        f'<span><i style="background:{PACE}"></i>pace needed</span></p>'
    )
    out += [legend, '<div class="charts" id="progress-charts">']
    out += [chart(t) for t in tracks]
    out.append("</div>")
    return "\n".join(out)


def chart(track: Track) -> str:
    """One KPI's figure; every mark carries a ``<title>`` and the SVG an ``aria-label``."""
    p = track.progress
    points = list(track.points)
    days = [pt.day for pt in points]
    values = [pt.value for pt in points]
    if p.target_date is not None:
        days.append(p.target_date)
    values.append(p.target)
    lo_day, hi_day = min(days), max(days)
    span_days = max((hi_day - lo_day).days, 1)
    floor, ceiling = min(values), max(values)
    if ceiling == floor:
        floor, ceiling = floor - 1, ceiling + 1
    pad = (ceiling - floor) * 0.08
    floor, ceiling = floor - pad, ceiling + pad
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        if lo_day == hi_day:
            return round(LEFT + plot_w / 2, 1)
        return round(LEFT + plot_w * (day - lo_day).days / span_days, 1)

    def y(v: float) -> float:
        return round(TOP + plot_h * (1 - (v - floor) / (ceiling - floor)), 1)

    k = track.kpi
    first, last = points[0], points[-1]
    by = f" by {p.target_date}" if p.target_date else " (no target date)"
    label = (
        f"KPI {k.label}: {len(points)} actual{'' if len(points) == 1 else 's'} from "
        f"{first.day} ({first.value:g}) to {last.day} ({last.value:g}); target "
        f"{p.target:g}{by}; {_status(track)}"
    )
    cls = "off-track" if p.status in _OFF_TRACK else p.status.replace("_", "-")
    out = [
        f'<figure class="progress-chart {cls}" data-kpi="{_e(k.label)}" '
        f'data-status="{_e(p.status)}">',
        f"<figcaption><code>{_e(k.label)}</code> {_e(k.name)}"
        f'<span class="tag">{_e(_status(track))}</span></figcaption>',
        f'<svg class="chart" role="img" width="100%" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{_e(label)}">',
        f"<title>{_e(label)}</title>",
    ]
    for tick in (floor + pad, ceiling - pad):
        out += [
            f'<line x1="{LEFT}" y1="{y(tick)}" x2="{WIDTH - RIGHT}" y2="{y(tick)}" '
            'stroke="#e6eaef"/>',
            f'<text x="{LEFT - 6}" y="{y(tick) + 4}" text-anchor="end" class="muted">'
            f"{tick:g}</text>",
        ]
    base = HEIGHT - BOTTOM + 16
    out.append(
        f'<text class="tick muted" x="{x(lo_day)}" y="{base}" text-anchor="start">{lo_day}</text>'
    )
    if hi_day != lo_day:
        out.append(
            f'<text class="tick muted" x="{x(hi_day)}" y="{base}" text-anchor="end">{hi_day}</text>'
        )
    if p.base is not None and p.target_date is not None and p.target_date > p.base.day:
        out.append(
            f'<line class="pace" x1="{x(p.base.day)}" y1="{y(p.base.value)}" '
            f'x2="{x(p.target_date)}" y2="{y(p.target)}" stroke="{PACE}" stroke-width="1.5" '
            f'stroke-dasharray="5 4"><title>pace needed: {p.base.value:g} on {p.base.day} to '
            f"{p.target:g} on {p.target_date}</title></line>"
        )
    if len(points) > 1:
        coords = " ".join(f"{x(pt.day)},{y(pt.value)}" for pt in points)
        out.append(
            f'<polyline class="actuals" fill="none" stroke="{ACTUAL}" stroke-width="2" '
            f'points="{coords}"/>'
        )
    # Daily data over years would put thousands of dots in the page: past MAX_DOTS
    # the line alone shows the actuals, with dots at the first and the latest.
    dots = points if len(points) <= MAX_DOTS else [points[0], points[-1]]
    for pt in dots:
        out.append(
            f'<circle class="actual" cx="{x(pt.day)}" cy="{y(pt.value)}" r="3" fill="{ACTUAL}">'
            f"<title>actual {pt.value:g} on {pt.day}</title></circle>"
        )
    if p.target_date is not None:
        tx, ty = x(p.target_date), y(p.target)
        diamond = f"{tx},{ty - 6} {tx + 6},{ty} {tx},{ty + 6} {tx - 6},{ty}"
        out.append(
            f'<polygon class="target" points="{diamond}" fill="{TARGET}" '
            f'data-x="{tx}" data-y="{ty}"><title>target {p.target:g} by {p.target_date}'
            "</title></polygon>"
        )
    else:  # no date to put the target at: its level across the plot
        out.append(
            f'<line class="target-level" x1="{LEFT}" y1="{y(p.target)}" x2="{WIDTH - RIGHT}" '
            f'y2="{y(p.target)}" stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="2 3">'
            f"<title>target {p.target:g}, no target date</title></line>"
        )
    out += ["</svg>", "</figure>"]
    return "\n".join(out)
