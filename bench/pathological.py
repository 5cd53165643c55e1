"""The "pathological" row: hostile single files whose cost must grow linearly with their size.

Issue 11 measured 40,000 unknown keys in one KPI (quadratic in validation),
a 900 KB YAML 1.1 base-60 ``notes`` value (quadratic in the int constructor)
and 390,000 tiny KPIs (a report of millions of findings); issue 21 adds long
text targets (the target parser must stay linear in a text's length). Issue 19
added near-miss keys (``descriptio0``..: KPI003's rename suggestions compared
every such key with every other, 23 s for 1,000), a long id with many unknown
keys (every message repeated the id: 50 MB of text from 63 KB), and as many
misspelt goal references as goals ("did you mean" compared each with each: 70 s
for 2,000). The long-id shape grows the id with the keys, so a message that
quoted the whole id would cost the square of the input. It is measured in
human-readable formats, where ids are cut: JSON's ``entity`` keeps the whole id
by design (CLI.md "Output safety and size"), so its size is findings (at most
1,000 a file) times the id.

Each input is made at two sizes, four times apart; the row gives seconds and
peak RSS per MB of input, and the linearity check compares the larger size's
cost per MB with the smaller's, both less a one-KPI run's time (start-up), so
at most 1.5x (a quadratic cost shows as about 4x). Memory is judged by its
growth between the sizes per MB of input, so the interpreter's own start-up
RSS does not count.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

LINEAR = 1.5  # at most this much more time per MB at four times the size


def unknown_keys(n: int) -> str:
    return "kpis:\n  - id: k\n    name: K\n" + "".join(f"    zz{i}: 1\n" for i in range(n))


def base60_notes(n: int) -> str:
    return "kpis:\n  - id: k\n    name: K\n    notes: " + ":".join(["59"] * n) + "\n"


def near_miss_keys(n: int) -> str:
    return "kpis:\n  - id: k\n    name: K\n" + "".join(f"    descriptio{i}: 1\n" for i in range(n))


def long_id(n: int) -> str:
    """n unknown keys in one KPI whose id is 50 characters per key."""
    head = "kpis:\n  - id: " + "x" * (50 * n) + "\n    name: K\n"
    return head + "".join(f"    zz{i}: 1\n" for i in range(n))


def misspelt_references(n: int) -> str:
    """n goals, and n KPIs each naming a goal that is one letter off."""
    goals = "".join(f"  - {{id: goal-number-{i}, name: G}}\n" for i in range(n))
    kpis = "".join(f"  - {{id: k{i}, name: K, goal: goal-numbr-{i}}}\n" for i in range(n))
    return "goals:\n" + goals + "kpis:\n" + kpis


def tiny_kpis(n: int) -> str:
    return "kpis:\n" + "".join(f"  - {{id: k{i}}}\n" for i in range(n))


_TARGET_PHRASE = "by 2030 reduce by 20% from a baseline of 20.0 PJ in 2017 to 2018 top 3 "


def long_targets(n: int) -> str:
    """200 KPIs whose text targets are ``n`` characters of phrases the parser weighs (issue 21).

    The parser reads a target's first 10,000 characters, so the larger size (4n) stays
    under that: the row measures the cost of reading a text against its length.
    """
    text = (_TARGET_PHRASE * (n // len(_TARGET_PHRASE) + 1))[:n].strip()
    return "kpis:\n" + "".join(
        f"  - id: k{i}\n    name: K\n    target: '{text}'\n" for i in range(200)
    )


@dataclass(frozen=True, slots=True)
class Input:
    name: str
    make: Callable[[int], str]
    sizes: tuple[int, int]  # (quick, full) of the smaller size; the larger is 4x
    formats: tuple[str, ...] = ("json",)


INPUTS = (
    Input("40,000 unknown keys in one KPI", unknown_keys, (2_500, 10_000)),
    Input("base-60 notes (900 KB at full size)", base60_notes, (20_000, 75_000)),
    Input("tiny KPIs (390,000 in the issue)", tiny_kpis, (5_000, 25_000), ("json", "sarif")),
    Input("200 long text targets (characters each)", long_targets, (600, 2_400)),
    Input("near-miss keys (40,000 at full size)", near_miss_keys, (2_500, 10_000)),
    Input("long id, 50 characters per unknown key", long_id, (250, 1_000), ("text", "junit")),
    Input("misspelt references to as many goals", misspelt_references, (500, 2_000)),
)


@dataclass(slots=True)
class Point:
    units: int
    mb: float
    seconds: list[float] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)

    @property
    def time(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak_mb(self) -> float:
        return max(self.rss) / 1e6


@dataclass(slots=True)
class Row:
    label: str
    small: Point
    large: Point
    startup: float = 0.0  # a one-KPI run: what every run costs before any work
    errors: list[str] = field(default_factory=list)

    @property
    def linearity(self) -> float:
        """Work per MB at the larger size over work per MB at the smaller (1.0: linear)."""
        small = max(self.small.time - self.startup, 1e-3) / self.small.mb
        large = max(self.large.time - self.startup, 1e-3) / self.large.mb
        return large / small

    @property
    def mb_per_mb(self) -> float:
        """Peak RSS growth between the two sizes, per MB of input."""
        return max(0.0, self.large.peak_mb - self.small.peak_mb) / (self.large.mb - self.small.mb)


def prepare(base: Path, quick: bool) -> list[tuple[Input, Path, Path]]:
    """Write each input at its two sizes, one project per size; reuse what is there."""
    out = []
    for i, spec in enumerate(INPUTS):
        small = spec.sizes[0 if quick else 1]
        roots = []
        for units in (small, 4 * small):
            root = base / f"pathological-{i}-{units}"
            path = root / "a.kpi.yaml"
            if not path.exists():
                root.mkdir(parents=True, exist_ok=True)
                (root / "kpilint.toml").write_text("", encoding="utf-8")
                path.write_text(spec.make(units), encoding="utf-8")
            roots.append(root)
        out.append((spec, roots[0], roots[1]))
    return out


def run(
    base: Path,
    quick: bool,
    repeat: int,
    kpilint: list[str],
    env: dict[str, str],
    run_once: Callable[..., object],
) -> list[Row]:
    rows = []
    one = base / "pathological-one-kpi"
    if not (one / "a.kpi.yaml").exists():
        one.mkdir(parents=True, exist_ok=True)
        (one / "kpilint.toml").write_text("", encoding="utf-8")
        (one / "a.kpi.yaml").write_text(tiny_kpis(1), encoding="utf-8")
    startup = statistics.median(
        getattr(
            run_once([*kpilint, "check", "--no-cache", "--format", "json", "."], one, env),
            "seconds",
            0.0,
        )
        for _ in range(max(repeat, 3))
    )
    for spec, small_root, large_root in prepare(base, quick):
        for fmt in spec.formats:
            points = []
            for root in (small_root, large_root):
                size = (root / "a.kpi.yaml").stat().st_size / 1e6
                units = int(root.name.rsplit("-", 1)[1])
                points.append(Point(units, size))
            row = Row(f"{spec.name}, --format {fmt}", points[0], points[1], startup)
            for _ in range(repeat):
                for point, root in zip(points, (small_root, large_root), strict=True):
                    argv = [*kpilint, "check", "--no-cache", "--format", fmt, "."]
                    sample = run_once(argv, root, env)
                    code = getattr(sample, "code", -1)
                    if code not in (0, 1):
                        row.errors.append(f"exit {code} at {point.units:,}")
                        continue
                    point.seconds.append(getattr(sample, "seconds", 0.0))
                    point.rss.append(getattr(sample, "rss", 0))
            rows.append(row)
    return rows


def table(rows: list[Row]) -> str:
    lines = [
        "| pathological input | sizes | MB | seconds | s per MB | peak MB | peak growth MB "
        "per input MB | work per MB, 4x size / 1x | result |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        if row.errors or not row.small.seconds or not row.large.seconds:
            lines.append(f"| {row.label} | | | | | | | | FAIL: {'; '.join(row.errors)} |")
            continue
        s, b = row.small, row.large
        verdict = "PASS" if row.linearity <= LINEAR else f"FAIL (> {LINEAR}x: not linear)"
        lines.append(
            f"| {row.label} | {s.units:,} / {b.units:,} | {s.mb:.2f} / {b.mb:.2f} "
            f"| {s.time:.2f} / {b.time:.2f} | {s.time / s.mb:.2f} / {b.time / b.mb:.2f} "
            f"| {s.peak_mb:.0f} / {b.peak_mb:.0f} | {row.mb_per_mb:.0f} "
            f"| {row.linearity:.2f}x | {verdict} |"
        )
    return "\n".join(lines)
