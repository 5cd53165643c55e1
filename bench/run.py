"""Benchmark kpilint as whole processes, next to the floor and to peer tools.

    python bench/run.py               # 1, 200 and 2,000 files, one 10,000-KPI file, 5 runs
    python bench/run.py --repeat 3    # fewer runs
    python bench/run.py --scale       # also 20,000 files (kpilint and the floor only)
    python bench/run.py --quick       # a smoke run on tiny corpora, 1 run
    python bench/run.py --pathological [--quick]  # hostile files: linear time and memory

Every command is a separate process started with this interpreter
(``sys.executable``, never a version-manager shim), under the small wrapper
``bench/_rss.py``: wall time is ``time.perf_counter`` around the command alone,
peak RSS is the command's own ``ru_maxrss`` from ``os.wait4``. Commands are
alternated round-robin, so a slow minute of the machine hits them all alike, and
the table shows medians.

The floor is a process that only loads every file with ``yaml.CSafeLoader``
(``bench/_floor.py``); for start-up it is ``python -c "import yaml, click,
pydantic"``. Peers (yamllint, check-jsonschema) run only when installed; see
bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from generate import (  # noqa: E402
    MANIFEST,
    generate,
    generate_front_matter,
    generator_stamp,
)

SEED = 2027
TIMEOUT = 900.0  # seconds; a command slower than this is recorded as timed out


@dataclass(slots=True)
class Command:
    """One command of one case, and what its runs measured."""

    case: str
    label: str
    argv: list[str]
    cwd: Path
    env: dict[str, str]
    role: str  # "floor", "kpilint" or "peer"
    ok_codes: tuple[int, ...] = (0,)
    warm_first: bool = False  # run once, unmeasured, right before each measured run
    times: list[float] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    @property
    def peak_mb(self) -> float | None:
        return max(self.rss) / 1e6 if self.rss else None


@dataclass(slots=True)
class Target:
    """What a case must reach: a ratio to the floor, an absolute time, a peak RSS."""

    ratio: float | None = None
    seconds: float | None = None
    mb: float | None = None
    stretch: float | None = None

    def describe(self) -> str:
        parts = []
        if self.ratio is not None:
            parts.append(f"≤ {self.ratio:g}x")
        if self.seconds is not None:
            parts.append(f"< {self.seconds:g} s")
        if self.mb is not None:
            parts.append(f"≤ {self.mb:g} MB")
        text = ", ".join(parts)
        if self.stretch is not None:
            text += f" (stretch ≤ {self.stretch:g}x)"
        return text


@dataclass(slots=True)
class Case:
    name: str
    kpis: int
    commands: list[Command]
    target: Target | None = None
    note: str = ""

    def floor(self) -> Command | None:
        return next((c for c in self.commands if c.role == "floor"), None)

    def kpilint(self) -> Command | None:
        return next((c for c in self.commands if c.role == "kpilint"), None)


@dataclass(slots=True)
class Sample:
    seconds: float
    rss: int
    code: int
    stdout: bytes
    stderr: bytes


def run_once(argv: list[str], cwd: Path, env: dict[str, str]) -> Sample:
    """Run ``argv`` as a process, under ``_rss.py``: its wall time and its own peak RSS.

    (A child forked straight from this process would report this process's peak
    as its own: Linux keeps the high-water mark across ``exec``.)
    """
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as folder,
    ):
        result = Path(folder) / "result.json"
        wrapped = [sys.executable, str(BENCH / "_rss.py"), str(result), *argv]
        proc = subprocess.Popen(
            wrapped, cwd=cwd, env=env, stdout=out, stderr=err, start_new_session=True
        )
        timer = threading.Timer(TIMEOUT, lambda: _kill(proc.pid))
        timer.start()
        try:
            proc.wait()
        finally:
            timer.cancel()
        out.seek(0)
        err.seek(0)
        try:
            measured = json.loads(result.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # killed, or the wrapper failed
            measured = {"seconds": TIMEOUT, "rss": 0, "code": proc.returncode or -9}
        return Sample(
            measured["seconds"], measured["rss"], measured["code"], out.read(), err.read()
        )


def _kill(pid: int) -> None:
    """Kill the wrapper and the command it started (its own session)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def measure(command: Command) -> None:
    if command.warm_first:
        run_once(command.argv, command.cwd, command.env)
    sample = run_once(command.argv, command.cwd, command.env)
    if sample.code not in command.ok_codes:
        tail = sample.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        command.errors.append(f"exit {sample.code}: {' | '.join(tail)}")
        return
    if command.role == "kpilint" and "--format" in command.argv:
        try:
            json.loads(sample.stdout)
        except ValueError:
            command.errors.append("kpilint printed no valid JSON report")
            return
    command.times.append(sample.seconds)
    command.rss.append(sample.rss)


# --- the corpora -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Spec:
    name: str
    files: int
    one_file: bool
    front_matter: bool = False  # Open SDG indicator files read through a source


def ensure(spec: Spec, base: Path, violations: bool, log: bool) -> Path:
    """Generate the corpus unless an identical one is already there."""
    out = base / spec.name
    manifest = out / MANIFEST
    if manifest.is_file():
        try:
            have = json.loads(manifest.read_text(encoding="utf-8"))
        except ValueError:
            have = {}
        if spec.front_matter and have.get("front_matter") and have.get("units") == spec.files:
            if have.get("seed") == SEED and have.get("generator") == generator_stamp():
                return out
        elif (
            have.get("units") == spec.files
            and have.get("one_file") == spec.one_file
            and have.get("violations") == violations
            and have.get("kpis_per_file") == 5
            and have.get("seed") == SEED
            and have.get("generator") == generator_stamp()
        ):
            return out
    started = time.perf_counter()
    if spec.front_matter:
        corpus = generate_front_matter(out, spec.files, seed=SEED)
    else:
        corpus = generate(out, spec.files, one_file=spec.one_file, violations=violations, seed=SEED)
    if log:
        print(
            f"  generated {spec.name}: {len(corpus.files)} files, {corpus.kpis} KPIs "
            f"({time.perf_counter() - started:.1f} s)",
            file=sys.stderr,
        )
    return out


# --- commands ----------------------------------------------------------------------


def bench_env() -> dict[str, str]:
    """The environment every measured command runs in: this checkout, compiled.

    An installed kpilint has its bytecode compiled by pip, and the floor's
    libraries have theirs; with ``PYTHONDONTWRITEBYTECODE`` set (some shells and
    containers set it) kpilint alone would compile every module on every run.
    So the checkout is compiled once here and the variable is dropped.
    """
    import compileall

    compileall.compile_dir(str(REPO / "kpilint"), quiet=1)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for name in ("PYTHONSTARTUP", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    return env


def kpilint_argv() -> list[str]:
    """The console script beside this interpreter when there is one, else ``-m kpilint``."""
    script = Path(sys.executable).parent / "kpilint"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "kpilint"]


def git_copy(root: Path, changed: Path) -> Path:
    """``root`` committed in a git repository beside it, with ``changed`` edited since."""
    dest = root.parent / f"git-{root.name}"
    stamp = dest / ".git" / "kpilint-bench-source"
    source_stamp = (root / MANIFEST).read_text() if (root / MANIFEST).exists() else ""
    if not stamp.exists() or stamp.read_text() != source_stamp:
        import shutil

        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(root, dest)
        git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
        for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "corpus"]):
            subprocess.run([*git, *args], cwd=dest, check=True, capture_output=True)
        stamp.write_text(source_stamp)
    target = dest / changed
    text = target.read_text()
    if not text.endswith("# changed by the bench\n"):
        target.write_text(text + "# changed by the bench\n")
    return dest


def find_peer(name: str, extra: list[Path]) -> str | None:
    """A peer tool beside this interpreter, in ``--peer-bin`` folders, or on PATH (no shims)."""
    folders = [Path(sys.executable).parent, *extra]
    folders += [Path(p) for p in os.environ.get("PATH", "").split(os.pathsep) if p]
    for folder in folders:
        if "shims" in folder.parts:
            continue  # a version-manager shim costs a process of its own per start
        candidate = folder / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def build(args: argparse.Namespace) -> tuple[list[Case], list[str]]:
    notes: list[str] = []
    quick: bool = args.quick
    sizes = (1, 10, 50) if quick else (1, 200, 2000)
    one_units = 50 if quick else 2000
    big = sizes[-1]
    base: Path = args.corpus
    base.mkdir(parents=True, exist_ok=True)
    log = not args.quiet
    v = "v" if not args.clean else "c"
    specs = [Spec(f"files-{n}-{v}", n, False) for n in sizes]
    specs.append(Spec(f"one-{one_units * 5}-{v}", one_units, True))
    specs.append(Spec(f"front-matter-{big}", big, False, front_matter=True))
    scale = 20000 if args.scale else None
    if scale:
        specs.append(Spec(f"files-{scale}-{v}", scale, False))
    roots = {s.name: ensure(s, base, not args.clean, log) for s in specs}

    env = bench_env()
    peer_env = {k: val for k, val in env.items() if k != "PYTHONPATH"}
    kp = kpilint_argv()
    floor = [sys.executable, str(BENCH / "_floor.py")]
    peers: dict[str, str | None] = {}
    if not args.no_peers:
        for name in ("yamllint", "check-jsonschema"):
            peers[name] = find_peer(name, args.peer_bin)
            if peers[name] is None:
                notes.append(
                    f"{name} is not installed: skipped (pip install yamllint check-jsonschema)"
                )
    else:
        notes.append("peers skipped (--no-peers)")

    def files_of(root: Path) -> list[str]:
        return sorted(
            p.relative_to(root).as_posix()
            for p in root.rglob("*")
            if p.name.endswith((".kpi.yaml", ".kpi.yml"))
        )

    # kpilint caches findings by content hash: every case but the cached one runs without
    help_text = subprocess.run(
        [*kp, "check", "--help"], env=env, capture_output=True, text=True, check=False
    ).stdout
    has_no_cache = "--no-cache" in help_text
    no_cache = ["--no-cache"] if has_no_cache else []

    def case(name: str, kpis: int, root: Path, with_peers: bool, target: Target | None) -> Case:
        cmds = [
            Command(name, "floor: CSafeLoader", [*floor, "."], root, env, "floor"),
            Command(
                name,
                "kpilint check --format json" + (" --no-cache" if no_cache else ""),
                [*kp, "check", "--format", "json", *no_cache, "."],
                root,
                env,
                "kpilint",
                (0, 1),
            ),
        ]
        if with_peers and peers.get("yamllint"):
            cmds.append(
                Command(
                    name,
                    "yamllint -d relaxed",
                    [str(peers["yamllint"]), "-d", "relaxed", "."],
                    root,
                    peer_env,
                    "peer",
                    (0, 1),
                )
            )
        if with_peers and peers.get("check-jsonschema"):
            argv = [
                str(peers["check-jsonschema"]),
                "--schemafile",
                str(BENCH / "small-schema.json"),
            ]
            cmds.append(
                Command(
                    name,
                    "check-jsonschema (small schema)",
                    [*argv, *files_of(root)],
                    root,
                    peer_env,
                    "peer",
                    (0, 1),
                )
            )
        return Case(name, kpis, cmds, target)

    cases: list[Case] = []
    full = Target(ratio=1.5, mb=150, stretch=1.0)
    for n in sizes:
        root = roots[f"files-{n}-{v}"]
        label = f"{n:,} file{'s' if n != 1 else ''}"
        cases.append(case(label, n * 5, root, True, full if n == big else None))
    one = roots[f"one-{one_units * 5}-{v}"]
    cases.append(case(f"one {one_units * 5:,}-KPI file", one_units * 5, one, True, None))

    # pre-commit: one named file in the big project, the whole project loaded for context
    big_root = roots[f"files-{big}-{v}"]
    named = files_of(big_root)[len(files_of(big_root)) // 2]
    cold = [*kp, "check", "--format", "json", *no_cache, named]
    big_floor = next(c.floor() for c in cases if c.name == f"{big:,} files")
    assert big_floor is not None
    warm = [*kp, "check", "--format", "json", named]
    pre = f"pre-commit: 1 file of {big:,}"
    cases.append(
        Case(
            pre,
            big * 5,
            [
                big_floor,  # the same measurement as the big case's floor
                Command(
                    pre,
                    f"kpilint check --format json{' --no-cache' if no_cache else ''} "
                    f"{Path(named).name}",
                    cold,
                    big_root,
                    env,
                    "kpilint",
                    (0, 1),
                ),
            ],
            Target(ratio=1.5),
        )
    )
    # The same in a git work tree, as pre-commit runs: the named file is changed
    # against HEAD, so the impact on the other files (FORMAT.md) is measured too.
    in_git = f"{pre}, in git (impact)"
    git_root = git_copy(big_root, Path(named))  # named is relative to the project root
    cases.append(
        Case(
            in_git,
            big * 5,
            [
                big_floor,
                Command(
                    in_git,
                    f"kpilint check --format json{' --no-cache' if no_cache else ''} "
                    f"{Path(named).name} (changed, in git)",
                    [*kp, "check", "--format", "json", *no_cache, named],
                    git_root,
                    env,
                    "kpilint",
                    (0, 1),
                ),
            ],
            Target(ratio=1.5),
        )
    )
    cached = f"{pre}, cached"
    cases.append(
        Case(
            cached,
            big * 5,
            [
                Command(
                    cached,
                    "kpilint check (warm cache)",
                    warm,
                    big_root,
                    env,
                    "kpilint",
                    (0, 1),
                    warm_first=True,
                ),
            ],
            Target(seconds=0.3),
            "" if has_no_cache else "kpilint has no cache yet (no --no-cache option)",
        )
    )
    if not has_no_cache:
        notes.append(
            "kpilint check has no --no-cache option: the pre-commit case runs as is and the "
            "cached case measures a second run right after a first one"
        )
    # Sources: the same number of Open SDG front-matter files, read through the open-sdg
    # preset; the floor is kpilint itself on the kpilint files (the cost of a source).
    fm = f"{big:,} front-matter files (open-sdg source)"
    big_kpilint = next(c.kpilint() for c in cases if c.name == f"{big:,} files")
    assert big_kpilint is not None
    cases.append(
        Case(
            fm,
            big,
            [
                Command(
                    fm,
                    f"floor: kpilint check on {big:,} kpilint files",
                    big_kpilint.argv,
                    big_kpilint.cwd,
                    env,
                    "floor",
                    (0, 1),
                ),
                Command(
                    fm,
                    "kpilint check --format json" + (" --no-cache" if no_cache else ""),
                    [*kp, "check", "--format", "json", *no_cache, "."],
                    roots[f"front-matter-{big}"],
                    env,
                    "kpilint",
                    (0, 1),
                ),
            ],
            Target(ratio=1.5),
        )
    )
    cases.append(
        Case(
            "start-up",
            0,
            [
                Command(
                    "start-up",
                    'python -c "import yaml, click, pydantic"',
                    [sys.executable, "-c", "import yaml, click, pydantic"],
                    REPO,
                    env,
                    "floor",
                ),
                Command("start-up", "kpilint --version", [*kp, "--version"], REPO, env, "kpilint"),
            ],
            Target(ratio=1.2),
        )
    )
    if scale:
        root = roots[f"files-{scale}-{v}"]
        cases.append(case(f"{scale:,} files", scale * 5, root, False, None))
    return cases, notes


# --- report ------------------------------------------------------------------------


def judge(case: Case, command: Command) -> str:
    target = case.target
    if target is None or command.role != "kpilint":
        return ""
    if command.median is None:
        return "FAIL (did not run)"
    failed = []
    floor = case.floor()
    ratio = command.median / floor.median if floor and floor.median else None
    if target.ratio is not None and (ratio is None or ratio > target.ratio):
        failed.append("time")
    if target.seconds is not None and command.median >= target.seconds:
        failed.append("time")
    if target.mb is not None and (command.peak_mb or 0) > target.mb:
        failed.append("memory")
    verdict = f"FAIL ({', '.join(failed)})" if failed else "PASS"
    if not failed and target.stretch is not None and ratio is not None:
        verdict += " (stretch " + ("PASS" if ratio <= target.stretch else "not met") + ")"
    return verdict


def table(cases: list[Case], quick: bool) -> str:
    rows = [
        "| case | command | median s | peak MB | ratio to floor | target | result |",
        "| --- | --- | ---: | ---: | ---: | --- | --- |",
    ]
    for case in cases:
        floor = case.floor()
        for cmd in case.commands:
            median = f"{cmd.median:.3f}" if cmd.median is not None else "error"
            peak = f"{cmd.peak_mb:.0f}" if cmd.peak_mb is not None else "-"
            ratio = "-"
            if cmd.role != "floor" and cmd.median and floor and floor.median:
                ratio = f"{cmd.median / floor.median:.2f}x"
            elif cmd.role == "floor" and cmd.median:
                ratio = "1.00x"
            is_judged = case.target is not None and cmd.role == "kpilint"
            target = case.target.describe() if is_judged and case.target else ""
            verdict = judge(case, cmd)
            if quick and verdict:
                verdict = f"({verdict.split(' ')[0].lower()} on a quick run; not judged)"
            cells = [case.name, cmd.label, median, peak, ratio, target, verdict]
            rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def scaling(cases: list[Case], startup: float | None) -> tuple[list[str], bool | None]:
    """Slope (s per 1,000 KPIs) and per-KPI cost between many-file sizes."""
    points = [
        (c.kpis, k.median, f.median if f else None)
        for c in cases
        if c.name.endswith(" files") and (k := c.kpilint()) is not None and k.median is not None
        for f in [c.floor()]
    ]
    lines: list[str] = []
    if len(points) < 2:
        return ["scaling: fewer than two sizes measured"], None
    xs = [p[0] / 1000 for p in points]

    def slope(ys: list[float]) -> float:
        mx, my = statistics.fmean(xs), statistics.fmean(ys)
        return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
            (x - mx) ** 2 for x in xs
        )

    k_slope = slope([p[1] for p in points])
    line = f"scaling: kpilint check {k_slope:.3f} s per 1,000 KPIs"
    floors = [p[2] for p in points]
    if all(f is not None for f in floors):
        line += f" (floor {slope([f for f in floors if f is not None]):.3f} s per 1,000 KPIs)"
    lines.append(line + f", least squares over {', '.join(f'{p[0]:,}' for p in points)} KPIs")
    base = startup or 0.0
    costs = [((t - base) / k * 1000, k) for k, t, _ in points]
    lines.append(
        "per-KPI cost net of start-up (ms per KPI): "
        + ", ".join(f"{c:.3f} at {k:,}" for c, k in costs)
    )
    ratio = costs[-1][0] / costs[0][0] if costs[0][0] > 0 else float("inf")
    lines.append(
        f"per-KPI cost at {costs[-1][1]:,} KPIs / at {costs[0][1]:,} KPIs: {ratio:.2f} "
        f"(target ≤ 1.5, linear: {'PASS' if ratio <= 1.5 else 'FAIL'})"
    )
    if len(points) >= 3:
        marginal = [
            (points[i + 1][1] - points[i][1]) / (points[i + 1][0] - points[i][0]) * 1000
            for i in range(len(points) - 1)
        ]
        lines.append(
            "marginal cost (s per 1,000 KPIs) between sizes: "
            + ", ".join(f"{m:.3f}" for m in marginal)
            + f"; last / first {marginal[-1] / marginal[0]:.2f}"
        )
    return lines, ratio <= 1.5


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=None, help="runs per command (default 5)")
    parser.add_argument("--quick", action="store_true", help="tiny corpora, 1 run: a smoke test")
    parser.add_argument("--scale", action="store_true", help="also 20,000 files")
    parser.add_argument("--clean", action="store_true", help="corpora without violations")
    parser.add_argument("--no-peers", action="store_true", help="skip yamllint, check-jsonschema")
    parser.add_argument(
        "--peer-bin", type=Path, action="append", default=[], help="a folder holding peer tools"
    )
    parser.add_argument("--corpus", type=Path, default=BENCH / "corpus", help="corpus folder")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.add_argument(
        "--pathological",
        action="store_true",
        help="only the pathological row: hostile files, time and memory per MB, linear",
    )
    args = parser.parse_args(argv)
    repeat = args.repeat or (1 if args.quick else 5)
    if repeat < 1:
        parser.error("--repeat must be at least 1")
    log = not args.quiet
    if args.pathological:
        return pathological_row(args, repeat)

    if log:
        print("preparing corpora ...", file=sys.stderr)
    cases, notes = build(args)
    # a command shared by two cases (the big case's floor) is measured once per round
    commands = list({id(cmd): cmd for case in cases for cmd in case.commands}.values())
    # one unmeasured run of each quick command warms the page cache and the .pyc files
    for cmd in commands:
        if cmd.case in ("start-up", "1 file"):
            run_once(cmd.argv, cmd.cwd, cmd.env)
    started = time.perf_counter()
    live = log and sys.stderr.isatty()
    for r in range(repeat):
        if log and not live:
            print(f"  run {r + 1}/{repeat} ...", file=sys.stderr, flush=True)
        for i, cmd in enumerate(commands):
            if live:
                print(
                    f"\r  run {r + 1}/{repeat}, command {i + 1}/{len(commands)}: "
                    f"{cmd.case}: {cmd.label}".ljust(100)[:100],
                    end="",
                    file=sys.stderr,
                    flush=True,
                )
            measure(cmd)
    if log:
        done = f"  done in {time.perf_counter() - started:.0f} s"
        print(f"\r{done}".ljust(100) if live else done, file=sys.stderr)

    startup = next((c.kpilint() for c in cases if c.name == "start-up"), None)
    lines = [
        f"kpilint benchmark: {'quick (smoke) run, ' if args.quick else ''}"
        f"medians of {repeat} run{'s' if repeat > 1 else ''}, commands alternated",
        f"python {platform.python_version()} ({sys.executable}), {os.cpu_count()} CPUs, "
        f"{platform.platform()}; kpilint as `{' '.join(Path(a).name for a in kpilint_argv())}`",
        f"corpora: {'clean' if args.clean else 'about 10% of files with a violation'}, "
        f"5 KPIs per file, under {args.corpus}",
        "",
        table(cases, args.quick),
        "",
    ]
    scale_lines, _ = scaling(cases, startup.median if startup else None)
    lines += scale_lines
    for case in cases:
        if case.note:
            notes.append(f"{case.name}: {case.note}")
        for cmd in case.commands:
            for error in dict.fromkeys(cmd.errors):
                notes.append(f"{case.name}: {cmd.label}: {error}")
    if notes:
        lines += ["", *(f"note: {n}" for n in notes)]
    print("\n".join(lines))

    results = {
        "repeat": repeat,
        "quick": args.quick,
        "python": sys.executable,
        "cases": [
            {
                "case": c.name,
                "kpis": c.kpis,
                "target": asdict(c.target) if c.target else None,
                "commands": [
                    {
                        "label": m.label,
                        "argv": m.argv[:8],
                        "times": m.times,
                        "rss": m.rss,
                        "median": m.median,
                        "peak_mb": m.peak_mb,
                        "errors": m.errors,
                        "result": judge(c, m),
                    }
                    for m in c.commands
                ],
            }
            for c in cases
        ],
        "notes": notes,
    }
    out = args.json or BENCH / "results" / f"run-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    if log:
        print(f"results written to {out}", file=sys.stderr)
    failed = any(m.errors and not m.times for c in cases for m in c.commands)
    return 1 if failed else 0


def pathological_row(args: argparse.Namespace, repeat: int) -> int:
    """The pathological row alone (see bench/pathological.py); 1 when not linear."""
    import pathological

    env = bench_env()
    args.corpus.mkdir(parents=True, exist_ok=True)
    rows = pathological.run(args.corpus, args.quick, repeat, kpilint_argv(), env, run_once)
    print(
        f"kpilint pathological inputs: medians of {repeat} run{'s' if repeat > 1 else ''}"
        f"{', quick sizes' if args.quick else ''}; python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs\n"
    )
    print(pathological.table(rows))
    bad = any(r.errors or not r.large.seconds or r.linearity > pathological.LINEAR for r in rows)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
