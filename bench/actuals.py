"""Reading actuals against Python's ``csv`` module reading the same files (issue 22).

    python bench/actuals.py [SITE] [--repeat N]

SITE is an Open SDG site (default: Statistics Canada's beside the clone, 12 MB of
data). Both sides read every ``data/indicator_*.csv`` from disk, in one process,
alternated; the table shows the medians and their ratio (the target: at most 1.5).
kpilint's side also finds each indicator's progress options and selects its rows.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from kpilint.actuals.read import read_all  # noqa: E402
from kpilint.actuals.spec import ActualsSpec  # noqa: E402

DEFAULT = HERE.parent.parent / "shared" / "corpora" / "open-sdg-canada-global"


def _csv_module(files: list[Path]) -> None:
    for path in files:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            for _row in csv.reader(handle):
                pass


def _kpilint(files: list[Path]) -> None:
    spec = ActualsSpec(("data/*.csv",), format="open-sdg")
    read_all((spec,), [(p, 0) for p in files], (), (), date.today(), 1 << 30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = sorted((args.site / "data").glob("indicator_*.csv"))
    if not files:
        sys.exit(f"no data/indicator_*.csv in {args.site}")
    size = sum(p.stat().st_size for p in files)
    times: dict[str, list[float]] = {"csv module": [], "kpilint actuals": []}
    for _ in range(args.repeat):
        for name, run in (("csv module", _csv_module), ("kpilint actuals", _kpilint)):
            start = time.perf_counter()
            run(files)
            times[name].append(time.perf_counter() - start)
    floor = statistics.median(times["csv module"])
    print(f"{len(files)} files, {size / 1e6:.1f} MB, median of {args.repeat}")
    for name, runs in times.items():
        median = statistics.median(runs)
        print(f"  {name:<16} {median:7.3f} s  {median / floor:5.2f}x")


if __name__ == "__main__":
    main()
