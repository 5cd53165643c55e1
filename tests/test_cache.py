"""The content-hash cache: same findings on a hit, a miss on any change, safe to lose."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kpilint import lint
from kpilint.cache import CACHE_DIR, KEEP
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
    located = [(f"KPI10{n}", "a.kpi.yaml", 2, 5) for n in range(1, 6)]
    located.append(("KPI403", "b.kpi.yaml", 2, 5))
    assert [r[:4] for r in rows(root)] == located
    assert len(list((root / CACHE_DIR).glob("*.json"))) == 2
    later = lint([root], cwd=root, today=date(2028, 1, 1), use_cache=True)  # another "today"
    assert [(f.code, f.path, f.line, f.column) for f in later.findings] == located
    assert len(list((root / CACHE_DIR).glob("*.json"))) == 3


def test_a_miss_walks_the_project_once(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache key lists the project's files; loading them on a miss reuses that list."""
    from kpilint import engine

    root = write_project({"a.kpi.yaml": KPI})
    walk = engine.project_files
    walks = []

    def counted(*args: Any, **kwargs: Any) -> engine.ProjectFiles:
        walks.append(args[0])
        return walk(*args, **kwargs)

    monkeypatch.setattr(engine, "project_files", counted)
    assert rows(root)[0][:4] == ("KPI101", "a.kpi.yaml", 2, 5)  # a miss: linted and stored
    assert len(walks) == 1


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


def test_a_symlinked_cache_folder_is_not_used(write_project: WriteProject, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "old.json").write_text("{}")
    root = write_project({"a.kpi.yaml": KPI})
    (root / CACHE_DIR).symlink_to(victim, target_is_directory=True)
    for _ in range(KEEP + 2):  # enough runs to prune, were it pruning
        report = lint([root], cwd=root, use_cache=True)
        (root / "a.kpi.yaml").write_text(KPI + f"#{_}\n")
    assert sorted(p.name for p in victim.iterdir()) == ["old.json"]
    assert report.notes == [f"not caching: {root / CACHE_DIR} is not used because it is a symlink"]
    code, out = invoke_in(root, "check")
    assert code == 1 and out.count("kpilint: warning: not caching") == 1
    assert sorted(p.name for p in victim.iterdir()) == ["old.json"]


def test_a_cache_folder_owned_by_someone_else_is_not_used(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project({"a.kpi.yaml": KPI})
    (root / CACHE_DIR).mkdir()
    owner = (root / CACHE_DIR).stat().st_uid
    monkeypatch.setattr(os, "geteuid", lambda: owner + 1)
    report = lint([root], cwd=root, use_cache=True)
    assert report.notes == [
        f"not caching: {root / CACHE_DIR} is not used because it is owned by another user"
    ]
    assert list((root / CACHE_DIR).iterdir()) == []


def _entry(root: Path) -> tuple[Path, dict[str, Any]]:
    [path] = (root / CACHE_DIR).glob("*.json")
    return path, json.loads(path.read_text())


HOSTILE_ENTRIES: list[tuple[str, Callable[[dict[str, Any]], object]]] = [
    ("counts is a list", lambda d: d.__setitem__("counts", [])),
    ("counts missing a field", lambda d: d["counts"].pop("kpis")),
    ("count is a float", lambda d: d["counts"].__setitem__("kpis", 1e999)),
    ("bogus severity", lambda d: d["findings"][0].__setitem__("severity", "bogus")),
    ("line is text", lambda d: d["findings"][0].__setitem__("line", "x")),
    ("line is true", lambda d: d["findings"][0].__setitem__("line", True)),
    ("path is null", lambda d: d["findings"][0].__setitem__("path", None)),
    ("path is a list", lambda d: d["findings"][0].__setitem__("path", [])),
    ("path outside", lambda d: d["findings"][0].__setitem__("path", "../outside.kpi.yaml")),
    ("code is a number", lambda d: d["findings"][0].__setitem__("code", 101)),
    ("entity is text", lambda d: d["findings"][0].__setitem__("entity", "kpi")),
    ("fix is null", lambda d: d["findings"][0].__setitem__("fix", None)),
    ("finding is a list", lambda d: d["findings"].__setitem__(0, [])),
    ("findings is a map", lambda d: d.__setitem__("findings", {})),
]


@pytest.mark.parametrize(
    "damage", [d for _, d in HOSTILE_ENTRIES], ids=[n for n, _ in HOSTILE_ENTRIES]
)
def test_a_hand_edited_entry_is_a_miss(
    write_project: WriteProject, damage: Callable[[dict[str, Any]], object]
) -> None:
    root = write_project({"a.kpi.yaml": KPI})
    expected = rows(root)
    path, data = _entry(root)
    damage(data)
    path.write_text(json.dumps(data))
    assert rows(root) == expected
    assert _entry(root)[1] != data  # rewritten: it was a miss


def test_a_deeply_nested_entry_is_a_miss(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": KPI})
    expected = rows(root)
    path, _ = _entry(root)
    path.write_text('{"findings": ' + "[" * 200_000 + "]" * 200_000 + ', "counts": {}}')
    assert rows(root) == expected


def test_fixes_never_come_from_the_cache(write_project: WriteProject, tmp_path: Path) -> None:
    outside = tmp_path / "outside.kpi.yaml"
    outside.write_text("kpis:\n  - id: o\n    name: O\n")
    root = write_project({"a.kpi.yaml": KPI + "    ownr: cfo\n"})
    code, _ = invoke_in(root, "check")
    assert code == 1
    path, data = _entry(root)
    # Hand-made entries that edit the project's file and one outside the project.
    edit = {"start": 0, "end": 5, "content": "owned"}
    for f in data["findings"]:
        f["fix"] = {"description": "x", "applicability": "safe", "edits": [edit]}
    data["findings"].append({**data["findings"][0], "path": "../outside.kpi.yaml"})
    path.write_text(json.dumps(data))
    before = outside.read_text()
    invoke_in(root, "check", "--fix")
    assert outside.read_text() == before
    assert (root / "a.kpi.yaml").read_text() == KPI + "    owner: cfo\n"
