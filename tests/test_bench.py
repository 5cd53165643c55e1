"""The benchmark tools: a deterministic generator whose corpora lint as promised,
and a runner that works end to end."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from kpilint import lint
from tests.conftest import REPO


def _load(name: str) -> ModuleType:
    """A module of bench/ (not a package), loaded from its file."""
    spec = importlib.util.spec_from_file_location(
        f"kpilint_bench_{name}", REPO / "bench" / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


generate = _load("generate")


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def codes(root: Path) -> Counter[str]:
    report = lint([root], cwd=root)
    assert report.today == date.fromisoformat(generate.TODAY)  # pinned by the corpus config
    return Counter(f.code for f in report.findings)


def test_generator_is_deterministic(tmp_path: Path) -> None:
    a = generate.generate(tmp_path / "a", 30, violations=True)
    b = generate.generate(tmp_path / "b", 30, violations=True)
    assert tree(a.root) == tree(b.root)
    other = generate.generate(tmp_path / "c", 30, violations=True, seed=1)
    assert tree(other.root) != tree(a.root)


def test_smaller_corpus_is_a_prefix_of_a_bigger_one(tmp_path: Path) -> None:
    small = tree(generate.generate(tmp_path / "small", 12).root)
    big = tree(generate.generate(tmp_path / "big", 24).root)
    files = [name for name in small if name.endswith(".kpi.yaml")]
    assert len(files) == 12
    assert all(small[name] == big[name] for name in files)


def test_one_file_holds_the_same_entities(tmp_path: Path) -> None:
    many = generate.generate(tmp_path / "many", 20)
    one = generate.generate(tmp_path / "one", 20, one_file=True)
    assert len(one.files) == 1
    a, b = lint([many.root], cwd=many.root), lint([one.root], cwd=one.root)
    for kind in ("goals", "metrics", "kpis", "incentives"):
        assert getattr(a.summary, kind) == getattr(b.summary, kind)
    assert a.summary.kpis == 100
    assert a.findings == b.findings == []


@pytest.mark.parametrize("kpis_per_file", [1, 5, 8])
def test_clean_corpus_has_no_findings(tmp_path: Path, kpis_per_file: int) -> None:
    corpus = generate.generate(tmp_path / "clean", 24, kpis_per_file=kpis_per_file)
    assert codes(corpus.root) == Counter()
    assert corpus.expected == {}


@pytest.mark.parametrize("kpis_per_file", [2, 5, 8])
@pytest.mark.parametrize("one_file", [False, True])
def test_violations_corpus_has_the_expected_codes(
    tmp_path: Path, kpis_per_file: int, one_file: bool
) -> None:
    corpus = generate.generate(
        tmp_path / "v", 90, kpis_per_file=kpis_per_file, violations=True, one_file=one_file
    )
    found = codes(corpus.root)
    assert dict(found) == corpus.expected
    manifest = json.loads((corpus.root / generate.MANIFEST).read_text())
    assert manifest["expected"] == corpus.expected
    kinds = {code for spec in generate.VIOLATIONS.values() for code in spec}
    if kpis_per_file >= 4:  # a duplicate id needs a few KPIs per team
        assert set(found) == kinds
    assert sum(found.values()) == (9 if kpis_per_file >= 4 else 8)  # one team in ten


def test_generator_command_line(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "generate.py"), "--files", "3", "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "wrote 3 files, 15 KPIs" in proc.stdout
    assert len(list(out.rglob("*.kpi.yaml"))) == 3


def test_floor_loads_every_file(tmp_path: Path) -> None:
    corpus = generate.generate(tmp_path / "c", 7)
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "_floor.py"), "."],
        cwd=corpus.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "loaded 7 files"


def test_quick_run_end_to_end(tmp_path: Path) -> None:
    results = tmp_path / "results.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "run.py"),
            "--quick",
            "--no-peers",
            "--quiet",
            "--corpus",
            str(tmp_path / "corpus"),
            "--json",
            str(results),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "| case | command | median s | peak MB | ratio to floor | target | result |" in out
    for case in ("| 1 file |", "| 50 files |", "| one 250-KPI file |", "| start-up |"):
        assert case in out
    assert "pre-commit: 1 file of 50" in out
    assert "scaling: kpilint check" in out
    data = json.loads(results.read_text())
    medians = [c["median"] for case in data["cases"] for c in case["commands"]]
    assert all(isinstance(m, float) and m > 0 for m in medians)
    assert all(c["rss"] and c["rss"][0] > 1e6 for case in data["cases"] for c in case["commands"])


def test_peak_rss_is_the_commands_own(tmp_path: Path) -> None:
    """A big parent does not lend its peak RSS to the commands it measures."""
    ballast = bytearray(300 * 1024 * 1024)  # touch it: it counts in this process's RSS
    ballast[::4096] = b"x" * len(ballast[::4096])
    result = tmp_path / "result.json"
    small = [sys.executable, "-c", "pass"]
    big = [
        sys.executable,
        "-c",
        "b = bytearray(200 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])",
    ]
    peaks = []
    for command in (small, big):
        subprocess.run(
            [sys.executable, str(REPO / "bench" / "_rss.py"), str(result), *command], check=True
        )
        measured = json.loads(result.read_text())
        assert measured["code"] == 0 and measured["seconds"] > 0
        peaks.append(measured["rss"] / 1e6)
    del ballast
    assert peaks[0] < 100, peaks
    assert 200 < peaks[1] < 300, peaks


def test_front_matter_corpus_is_read_through_the_open_sdg_preset(tmp_path: Path) -> None:
    corpus = generate.generate_front_matter(tmp_path / "fm", 40)
    assert len(corpus.files) == 40
    report = lint([corpus.root], cwd=corpus.root)
    # a metric per indicator; a KPI for the 20 with a progress target (the open-sdg preset
    # makes no KPI of an old-template UN target text with no number of its own, issue 20)
    assert (report.summary.files, report.summary.kpis, report.summary.metrics) == (40, 20, 40)
    assert report.summary.goals == 17  # one per SDG goal
    again = generate.generate_front_matter(tmp_path / "fm2", 40)
    assert (
        tree(again.root)["meta/indicator-00007.md"] == tree(corpus.root)["meta/indicator-00007.md"]
    )


def test_pathological_linearity_tells_linear_from_quadratic(tmp_path: Path) -> None:
    path = _load("pathological")
    small, large = path.Point(1, 1.0, [1.5]), path.Point(4, 4.0, [3.0])
    assert path.Row("linear", small, large, startup=1.0).linearity == pytest.approx(1.0)
    quadratic = path.Row("quadratic", small, path.Point(4, 4.0, [9.0]), startup=1.0)
    assert quadratic.linearity == pytest.approx(4.0) and quadratic.linearity > path.LINEAR
    made = path.prepare(tmp_path, quick=True)
    assert len(made) == len(path.INPUTS)
    for spec, one, four in made:
        assert (one / "kpilint.toml").exists()
        sizes = [(root / "a.kpi.yaml").stat().st_size for root in (one, four)]
        assert 3.5 < sizes[1] / sizes[0] < 4.5, spec.name
