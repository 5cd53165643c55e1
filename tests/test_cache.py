"""The content-hash cache: same findings on a hit, a miss on any change, safe to lose."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kpilint import lint
from kpilint.cache import CACHE_DIR
from tests.conftest import WriteProject, invoke_in

KPI = "kpis:\n  - id: a\n    name: A\n"


def rows(root: Path, **kwargs: object) -> list[tuple[str, str, int, int, str]]:
    report = lint([root], cwd=root, today=date(2027, 1, 1), use_cache=True, **kwargs)  # type: ignore[arg-type]
    return [(f.code, f.path, f.line, f.column, f.fingerprint) for f in report.findings]


def test_hit_gives_the_same_findings(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": KPI, "b.kpi.yaml": "goals:\n  - id: g\n    name: G\n"})
    first = rows(root)
    entries = list((root / CACHE_DIR).glob("*.json"))
    assert len(entries) == 1
    assert (root / CACHE_DIR / ".gitignore").read_text().endswith("*\n")
    assert rows(root) == first
    assert list((root / CACHE_DIR).glob("*.json")) == entries  # nothing new: a hit


def test_any_change_is_a_miss(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": KPI, "b.kpi.yaml": "goals:\n  - id: g\n    name: G\n"})
    rows(root)
    (root / "b.kpi.yaml").write_text("goals:\n  - id: g\n    name: G\n    owner: x\n")
    assert {r[0] for r in rows(root)} >= {"KPI101", "KPI403"}
    assert len(list((root / CACHE_DIR).glob("*.json"))) == 2
    later = lint([root], cwd=root, today=date(2028, 1, 1), use_cache=True)  # another "today"
    assert later.findings
    assert len(list((root / CACHE_DIR).glob("*.json"))) == 3


def test_summary_survives_a_hit(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": KPI})
    cold = lint([root], cwd=root, use_cache=True).summary
    warm = lint([root], cwd=root, use_cache=True).summary
    assert warm == cold and warm.kpis == 1 and warm.files == 1


def test_a_damaged_cache_is_ignored(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": KPI})
    expected = rows(root)
    for entry in (root / CACHE_DIR).glob("*.json"):
        entry.write_text("{not json")
    assert rows(root) == expected


def test_cli_uses_it_and_no_cache_skips_it(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": KPI})
    assert invoke_in(root, "check", "--no-cache")[0] == 1
    assert not (root / CACHE_DIR).exists()
    code, out = invoke_in(root, "check")
    assert code == 1 and (root / CACHE_DIR).is_dir()
    assert invoke_in(root, "check") == (code, out)
