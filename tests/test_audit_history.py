"""``kpilint audit --history N`` / ``--since REV``: the audit at past commits, from real git.

Every test builds a real repository in a tmp dir, with commit dates set, so
"today" at each commit is known. The browser test screenshots the page in
headless chromium and looks at the pixels where the chart is.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpilint.audit import audit, render
from kpilint.audit.history import CACHE_FILE, History, history, table
from kpilint.cache import CACHE_DIR
from kpilint.cli import cli
from kpilint.engine import UsageError
from tests.conftest import REPO
from tests.test_audit_html import _chromium, _run_chromium

GOOD = """\
goals:
  - {id: g, name: Grow, kind: revenue, owner: ceo, period: {start: 2027-01-01, end: 2027-12-31}}
metrics:
  - {id: m, name: Revenue, category: output, unit: USD, source: stripe,
     source_type: automated, aggregation: sum}
kpis:
  - id: k
    name: New revenue
    goal: g
    metric: m
    owner: cfo
    target: {value: 120, unit: USD, direction: increase, baseline: 100}
    timeline: {start: 2027-01-01, end: 2027-03-31, review: monthly}
"""
SHEET_METRIC = """\
  - {id: sheet, name: Likes, category: output, unit: likes, source: likes.xlsx,
     source_type: automated, aggregation: sum}
"""
LIKES_KPI = """\
  - id: likes
    name: Page likes
    goal: g
    metric: sheet
    owner: cmo
    target: {value: 9, unit: likes, direction: increase, baseline: 8}
    timeline: {start: 2027-01-01, end: 2027-12-31, review: monthly}
"""


def render_table(h: History) -> str:
    headers, rows = table(h)
    return "\n".join(" | ".join(r) for r in [headers, *rows])


def git(repo: Path, *args: str, when: str | None = None) -> str:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo)}
    if when:
        env |= {"GIT_AUTHOR_DATE": f"{when}T12:00:00", "GIT_COMMITTER_DATE": f"{when}T12:00:00"}
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def commit(repo: Path, files: dict[str, str], when: str, message: str) -> str:
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, when=when)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Five commits: four touch the project, one (the README) does not."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    commit(root, {"kpis/sales.kpi.yaml": GOOD}, "2027-01-15", "sales KPIs")
    # A vanity KPI fed from a spreadsheet: two warnings (vanity, data).
    vanity = GOOD.replace("kpis:\n", SHEET_METRIC + "kpis:\n") + LIKES_KPI
    commit(root, {"kpis/sales.kpi.yaml": vanity}, "2027-02-10", "marketing: likes")
    commit(root, {"README.md": "# catalogue\n"}, "2027-02-20", "readme only")
    # The config at this commit ignores the vanity rule.
    commit(root, {"kpilint.toml": 'ignore = ["KPI601"]\n'}, "2027-03-05", "config: no vanity")
    # Dated after the KPI's deadline (2027-03-31): KPI302 expired, from its own date.
    commit(root, {"kpis/sales.kpi.yaml": vanity + "\n"}, "2027-04-10", "touch after deadline")
    return root


def test_each_commit_with_its_config_and_its_date_as_today(repo: Path) -> None:
    h = history([repo], cwd=repo, use_cache=False)
    assert [p.subject for p in h.points] == [
        "sales KPIs",
        "marketing: likes",
        "config: no vanity",
        "touch after deadline",
    ]  # oldest first; the README commit touched nothing of the project
    assert [p.date.isoformat() for p in h.points] == [
        "2027-01-15",
        "2027-02-10",
        "2027-03-05",
        "2027-04-10",
    ]
    families = [p.families for p in h.points]
    assert families[0] == {}
    assert families[1] == {"vanity": 1, "data": 1}
    assert families[2] == {"data": 1}  # that commit's kpilint.toml ignores KPI601
    assert families[3] == {"timeline": 1, "data": 1}  # KPI302: its date is past 2027-03-31
    assert [p.score for p in h.points] == [100.0, 92.0, 96.0, 92.0]
    assert [p.findings["warning"] for p in h.points] == [0, 2, 1, 2]
    assert h.families == ["timeline", "vanity", "data"]  # rule-code order
    assert h.note is None
    assert all(len(p.commit) == 40 and p.error is None for p in h.points)


def test_history_n_takes_the_last_n_and_since_the_commits_after_rev(repo: Path) -> None:
    last2 = history([repo], cwd=repo, count=2, use_cache=False)
    assert [p.subject for p in last2.points] == ["config: no vanity", "touch after deadline"]
    first = git(repo, "rev-list", "--max-parents=0", "HEAD")
    since = history([repo], cwd=repo, since=first, use_cache=False)
    assert [p.subject for p in since.points] == [
        "marketing: likes",
        "config: no vanity",
        "touch after deadline",
    ]
    assert since.requested == f"since {first}"
    both = history([repo], cwd=repo, since=first, count=1, use_cache=False)
    assert [p.subject for p in both.points] == ["touch after deadline"]


def test_a_commit_whose_config_is_broken_is_shown_not_fatal(repo: Path) -> None:
    commit(repo, {"kpilint.toml": "selct = []\n"}, "2027-04-20", "typo in config")
    commit(repo, {"kpilint.toml": 'ignore = ["KPI601"]\n'}, "2027-04-21", "config fixed")
    h = history([repo], cwd=repo, count=3, use_cache=False)
    assert [p.score for p in h.points] == [92.0, None, 92.0]
    broken = h.points[1]
    assert broken.subject == "typo in config" and broken.score is None
    assert broken.error is not None and "selct" in broken.error
    assert "not linted: its config cannot be used" in render_table(h)


def test_the_cache_answers_a_second_run_and_survives_damage(repo: Path) -> None:
    first = history([repo], cwd=repo)
    stored = repo / CACHE_DIR / CACHE_FILE
    data = json.loads(stored.read_text(encoding="utf-8"))
    assert len(data) == 4
    # A point in the cache is what the next run shows: prove it by editing one.
    key = next(iter(data))
    data[key]["score"] = 12.5
    stored.write_text(json.dumps(data), encoding="utf-8")
    again = history([repo], cwd=repo)
    assert [p.score for p in again.points] == [12.5, *[p.score for p in first.points[1:]]]
    # A damaged entry, or a damaged file, is linted again, never trusted or fatal.
    data[key]["findings"] = {"error": -1}
    stored.write_text(json.dumps(data), encoding="utf-8")
    assert history([repo], cwd=repo).points == first.points
    stored.write_text("{not json", encoding="utf-8")
    assert history([repo], cwd=repo).points == first.points


def test_a_shallow_clone_gives_what_it_has_with_a_note(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "2", repo.as_uri(), str(clone)],
        check=True,
        capture_output=True,
    )
    h = history([clone], cwd=clone, use_cache=False)
    assert [p.subject for p in h.points] == ["config: no vanity", "touch after deadline"]
    assert h.note is not None and "shallow" in h.note and "git fetch --unshallow" in h.note
    first = git(repo, "rev-list", "--max-parents=0", "HEAD")
    h = history([clone], cwd=clone, since=first, use_cache=False)  # not in the clone
    assert h.points and h.note is not None and first in h.note


def test_outside_git_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.kpi.yaml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(UsageError, match="git work tree"):
        history([tmp_path], cwd=tmp_path)
    result = CliRunner().invoke(cli, ["audit", str(tmp_path), "--history", "3"])
    assert result.exit_code == 2
    assert "--history and --since read the project's git history" in result.output


def test_cli_formats_carry_the_series(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    runner = CliRunner()
    out = runner.invoke(cli, ["audit", "--history", "--format", "json", "--fail-on", "never"])
    assert out.exit_code == 0, out.output
    series = json.loads(out.output)["audit"]["history"]
    assert series["families"] == ["timeline", "vanity", "data"]
    assert [p["score"] for p in series["points"]] == [100.0, 92.0, 96.0, 92.0]
    assert series["points"][1]["families"] == {"timeline": 0, "vanity": 1, "data": 1}
    assert series["points"][3]["date"] == "2027-04-10"
    assert set(series["points"][0]) == {
        "commit",
        "date",
        "subject",
        "score",
        "completeness",
        "kpis",
        "findings",
        "families",
        "error",
    }

    text = runner.invoke(cli, ["audit", "--history", "2", "--no-cache", "--fail-on", "never"])
    lines = text.output.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("History"))
    assert "score 96.0 on 2027-03-05 to 92.0 on 2027-04-10 (down 4.0)" in lines[at]
    assert lines[at + 1].split() == [
        "date", "commit", "score", "complete", "KPIs", "errors", "warnings", "info",
        "timeline", "data", "subject",
    ]  # fmt: skip
    assert lines[at + 3].split()[:10] == [
        "2027-04-10", lines[at + 3].split()[1], "92.0", "100%", "2", "0", "2", "0", "1", "1"
    ]  # fmt: skip

    md = runner.invoke(cli, ["audit", "--since", "HEAD~2", "--format", "markdown"])
    assert "### History" in md.output
    assert "| 2027-04-10 |" in md.output and "| touch after deadline |" in md.output
    assert "| 2027-02-10 |" not in md.output  # before HEAD~2

    both = runner.invoke(cli, ["audit", "--history", "--from", "csv", "x.csv"])
    assert both.exit_code == 2 and "do not combine with --from" in both.output


@pytest.mark.slow
def test_history_in_a_real_process(repo: Path) -> None:
    done = subprocess.run(
        ["python", "-m", "kpilint", "audit", "--history", "3", "--format", "json"],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert done.returncode == 0, done.stderr
    points = json.loads(done.stdout)["audit"]["history"]["points"]
    assert [p["subject"] for p in points] == [
        "marketing: likes",
        "config: no vanity",
        "touch after deadline",
    ]


# --- the chart ---------------------------------------------------------------------------


def _polyline(page: str, chart: str, series: str) -> list[tuple[float, float]]:
    figure = page.split(f'<figure id="{chart}">', 1)[1].split("</figure>", 1)[0]
    group = figure.split(f'data-series="{series}">', 1)[1].split("</g>", 1)[0]
    (points,) = re.findall(r'<polyline [^>]*points="([^"]+)"', group)
    return [(float(x), float(y)) for x, y in (p.split(",") for p in points.split())]


def test_html_charts_the_score_and_every_family(repo: Path) -> None:
    result = audit([repo], cwd=repo)
    result.history = history([repo], cwd=repo, use_cache=False)
    page = render(result, "html")
    assert page.count("<svg") == 4  # two audit charts, two history charts
    assert 'id="history-table"' in page
    score = _polyline(page, "history-score-chart", "score")
    assert len(score) == 4
    xs = [x for x, _ in score]
    assert xs == sorted(xs) and len(set(xs)) == 4
    assert len({round(b - a, 1) for a, b in itertools.pairwise(xs)}) == 1  # even spacing
    # y falls as the score rises, on one linear scale: 100, 92, 96, 92.
    ys = [y for _, y in score]
    assert ys[1] == ys[3] > ys[2] > ys[0]
    assert round((ys[1] - ys[0]) / 8, 3) == round((ys[1] - ys[2]) / 4, 3)
    data = _polyline(page, "history-family-chart", "data")
    assert data[0][1] > data[1][1]  # 0 findings, then 1
    assert data[1][1] == data[2][1] == data[3][1]
    for family in ("timeline", "vanity", "data"):
        assert f'data-series="{family}"' in page


def _png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Rows of RGB(A) bytes of an 8-bit, non-interlaced PNG (what chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, idat, width, height, channels = 8, b"", 0, 0, 0
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and body[12] == 0, "8-bit, not interlaced"
            channels = {2: 3, 6: 4}[color]
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for r in range(height):
        kind, line = (
            raw[r * (stride + 1)],
            bytearray(raw[r * (stride + 1) + 1 : (r + 1) * (stride + 1)]),
        )
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                corner = previous[i - channels] if i >= channels else 0
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, channels, rows


_BOX_PROBE = """<script>
(function () {
  var out = document.createElement("div");
  out.id = "box";
  var svg = document.querySelector("#history-score-chart svg");
  var r = svg.getBoundingClientRect();
  out.setAttribute("data-box", [r.left, r.top, r.right, r.bottom].map(Math.round).join(","));
  document.body.appendChild(out);
})();
</script>"""


@pytest.mark.slow
def test_history_chart_in_headless_chromium(repo: Path, tmp_path: Path) -> None:
    binary = _chromium()
    result = audit([repo], cwd=repo)
    result.history = history([repo], cwd=repo, use_cache=False)
    page = render(result, "html")
    artifacts = REPO / "tests" / "artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    html = artifacts / "audit-history.html"
    html.write_text(page, encoding="utf-8")
    size = "--window-size=1280,1300"

    dom = _run_chromium(binary, tmp_path / "dom", size, "--enable-logging=stderr", "--v=0",
                        "--dump-dom", html.as_uri())  # fmt: skip
    assert [line for line in dom.stderr.splitlines() if ":CONSOLE" in line] == []
    assert dom.stdout.count("<svg") == 4 and 'data-ready="1"' in dom.stdout

    probe = tmp_path / "box.html"
    probe.write_text(page.replace("</body>", _BOX_PROBE + "</body>"), encoding="utf-8")
    # The same layout as the screenshot's: no scrollbar taking width.
    seen = _run_chromium(
        binary, tmp_path / "probe", size, "--hide-scrollbars", "--dump-dom", probe.as_uri()
    )
    found = re.search(r'<div id="box" data-box="(\d+),(\d+),(\d+),(\d+)"', seen.stdout)
    assert found is not None, seen.stdout[-2000:]
    left, top, right, bottom = (int(v) for v in found.groups())
    assert right - left > 300 and bottom - top > 100 and bottom < 1300, found.groups()

    png = artifacts / "audit-history.png"
    png.unlink(missing_ok=True)
    shot = _run_chromium(binary, tmp_path / "shot", size, f"--screenshot={png}",
                         "--hide-scrollbars", html.as_uri())  # fmt: skip
    assert shot.returncode == 0, shot.stderr[-2000:]
    width, channels, rows = _png_pixels(png.read_bytes())
    assert width == 1280

    def dark(x0: int, x1: int, y0: int, y1: int) -> int:
        """Pixels of the score line's colour (#1f2328, near black) in a box."""
        count = 0
        for row in rows[y0:y1]:
            for x in range(x0, x1):
                r, g, b = row[x * channels : x * channels + 3]
                count += r < 80 and g < 80 and b < 80
        return count

    # The plot area (right of the axis labels) holds the line: a 2-pixel stroke
    # across most of its width, and a dot at each commit's point.
    inside = dark(left + 40, right - 10, top + 5, bottom - 30)
    assert inside > 300, inside
    # The viewBox (560 x 230) is scaled to fit the box and centred (preserveAspectRatio).
    scale = min((right - left) / 560, (bottom - top) / 230)
    dx, dy = (right - left - 560 * scale) / 2, (bottom - top - 230 * scale) / 2
    for x, y in _polyline(page, "history-score-chart", "score"):
        px, py = round(left + dx + x * scale), round(top + dy + y * scale)
        assert dark(px - 4, px + 5, py - 4, py + 5) >= 9, (x, y, px, py)


SOURCE_CONFIG = """\
[[sources]]
include = ["catalogue/*.yml"]
format = "yaml"
records = "indicators"
kind = "kpi"

[sources.map]
id = "key"
name = "title"
owner = "dri"
target = "aim"
"""


def test_source_files_are_read_at_each_commit(tmp_path: Path) -> None:
    """A commit that touches only a source file is a point, linted through the mapping."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    catalogue = "indicators:\n  - {key: nps, title: Net promoter score, dri: cx}\n"
    commit(root, {"kpilint.toml": SOURCE_CONFIG, "catalogue/cx.yml": catalogue}, "2027-01-05", "a")
    aimed = catalogue.replace("dri: cx}", "dri: cx, aim: at least 40}")
    commit(root, {"catalogue/cx.yml": aimed}, "2027-01-20", "cx: a target")
    commit(root, {"notes.txt": "x\n"}, "2027-01-25", "unrelated")
    h = history([root], cwd=root, use_cache=False)
    assert [p.subject for p in h.points] == ["a", "cx: a target"]
    assert [p.kpis for p in h.points] == [1, 1]
    first, second = h.points
    assert "completeness" in first.families  # KPI101: no target
    assert second.families.get("completeness", 0) == first.families["completeness"] - 1
    assert second.score is not None and first.score is not None and second.score > first.score
