"""The content-hash cache: same findings on a hit, a miss on any change, safe to lose."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kpilint import cache, lint
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
    monkeypatch.setattr(cache, "secret", lambda: b"0" * 64)  # the secret is not the point
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


# --- a cache a branch cannot forge: keys with a per-machine secret, tracked entries refused --


def _old_recipe_key(parts: list[str], files: list[Path]) -> str:
    """The key as kpilint computed it before the secret: anyone with the image could."""
    import hashlib

    from kpilint import __version__
    from kpilint.cache import _code_stamp

    h = hashlib.sha256(__version__.encode() + _code_stamp().encode())
    for part in parts:
        h.update(b"\0" + os.fsencode(part))
    for path in files:
        h.update(b"\0" + os.fsencode(path) + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _forged() -> str:
    """An entry that says the project is clean."""
    from dataclasses import asdict

    from kpilint.findings import Summary

    return json.dumps({"findings": [], "counts": asdict(Summary(files=1, kpis=1))})


def test_a_forged_entry_built_with_the_old_key_recipe_is_a_miss(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kpilint import cache

    root = write_project({"a.kpi.yaml": KPI})
    digest = cache.digest
    inputs: list[tuple[list[str], list[Path]]] = []

    def recorded(parts: list[str], files: list[Path], *key: bytes) -> str | None:
        inputs.append((list(parts), list(files)))
        return digest(parts, files, *key)

    monkeypatch.setattr(cache, "digest", recorded)
    expected = rows(root)
    assert expected[0][:4] == ("KPI101", "a.kpi.yaml", 2, 5)
    for entry in (root / CACHE_DIR).glob("*.json"):
        entry.unlink()
    (root / CACHE_DIR / f"{_old_recipe_key(*inputs[0])}.json").write_text(_forged())
    assert rows(root) == expected


def test_the_key_depends_on_the_secret(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root = write_project({"a.kpi.yaml": KPI})
    names = []
    for machine in ("one", "two", "one"):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / machine))
        rows(root)
        names.append({p.name for p in (root / CACHE_DIR).glob("*.json")})
    assert len(names[0]) == 1 and len(names[1]) == 2 and names[2] == names[1]
    secret = tmp_path / "one" / "kpilint" / "secret"
    assert oct(secret.stat().st_mode & 0o777) == oct(0o600)
    assert (
        len(secret.read_bytes()) == 64
        and secret.read_bytes() != (tmp_path / "two" / "kpilint" / "secret").read_bytes()
    )
    assert [p.name for p in secret.parent.iterdir()] == ["secret"]  # no temporary left


@pytest.mark.parametrize(
    ("setup", "why"),
    [
        ("a file where the folder goes", "kpilint cannot create it ("),
        ("readable by others", "other users can read it; delete it"),
        ("a symlink", "kpilint cannot read it ("),
        ("empty", "it is damaged; delete it"),
    ],
)
def test_without_a_usable_secret_nothing_is_cached_and_it_is_said_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setup: str, why: str
) -> None:
    xdg = tmp_path / "xdg"
    secret = xdg / "kpilint" / "secret"
    secret.parent.mkdir(parents=True)
    if setup == "a file where the folder goes":
        secret.parent.rmdir()
        secret.parent.write_text("")
    elif setup == "readable by others":
        secret.write_text("a" * 64)
        secret.chmod(0o644)
    elif setup == "a symlink":
        (tmp_path / "elsewhere").write_text("a" * 64)
        (tmp_path / "elsewhere").chmod(0o600)
        secret.symlink_to(tmp_path / "elsewhere")
    else:
        secret.write_text("")
        secret.chmod(0o600)
    monkeypatch.setenv("XDG_CACHE_HOME", str(xdg))
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "kpilint.toml").write_text("")
        (tmp_path / name / "a.kpi.yaml").write_text(KPI)
    report = lint([tmp_path / "one", tmp_path / "two"], cwd=tmp_path, use_cache=True)
    assert [f.code for f in report.findings].count("KPI101") == 2
    [note] = report.notes
    assert note.startswith(f"not caching: the cache key secret {secret} is not used because {why}")
    assert not (tmp_path / "one" / CACHE_DIR).exists()
    code, out = invoke_in(tmp_path / "one", "check")
    assert code == 1 and out.count("kpilint: warning: not caching") == 1


def test_a_cache_entry_git_tracks_is_never_trusted(write_project: WriteProject) -> None:
    """A branch commits ``.kpilint_cache/<key>.json`` saying all is clean: not believed."""
    from tests.conftest import git, run_kpilint

    root = write_project({"a.kpi.yaml": KPI})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    first = run_kpilint(["check", "--format", "json"], root)
    assert first.returncode == 1, first.stderr
    [entry] = (root / CACHE_DIR).glob("*.json")  # the very key this machine computes
    entry.write_text(_forged())
    git(root, "add", "-f", str(entry.relative_to(root)))
    git(root, "commit", "-q", "-m", "the branch's forged cache")
    run = run_kpilint(["check", "--format", "json"], root)
    assert run.returncode == 1
    found = [(f["code"], f["line"], f["column"]) for f in json.loads(run.stdout)["findings"]]
    assert found[0] == ("KPI101", 2, 5)
    assert run.stderr == (
        f"kpilint: warning: not caching: {root / CACHE_DIR} is not used because git tracks "
        f"files in it (delete them: git rm -r {CACHE_DIR})\n"
    )
    assert entry.read_text() == _forged()  # nothing written into a tracked folder
    git(root, "rm", "-q", "-r", CACHE_DIR)  # as the warning says: the cache works again
    for _ in range(2):
        again = run_kpilint(["check", "--format", "json"], root)
        assert again.stderr == "" and json.loads(again.stdout) == json.loads(run.stdout)
    assert [p.name for p in (root / CACHE_DIR).glob("*.json")] == [entry.name]


def _history_repo(write_project: WriteProject) -> Path:
    from tests.conftest import git

    root = write_project({"a.kpi.yaml": KPI})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "one KPI, no target")
    return root


def _history_scores(root: Path) -> list[Any]:
    from tests.conftest import run_kpilint

    run = run_kpilint(["audit", "--history", "1", "--format", "json"], root)
    assert run.returncode in (0, 1) and "Traceback" not in run.stderr, run.stderr
    points = json.loads(run.stdout)["audit"]["history"]["points"]
    return [p["score"] for p in points]


def test_audit_history_without_a_secret_runs(
    write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _history_repo(write_project)
    (tmp_path / "not-a-folder").write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-folder"))
    scores = _history_scores(root)
    assert len(scores) == 1 and scores[0] < 100


def test_a_history_cache_git_tracks_is_never_trusted(write_project: WriteProject) -> None:
    from kpilint.audit.history import CACHE_FILE
    from tests.conftest import git

    root = _history_repo(write_project)
    scores = _history_scores(root)
    stored = root / CACHE_DIR / CACHE_FILE
    data = json.loads(stored.read_text())
    for point in data.values():
        point["score"] = 100  # the branch says it was perfect
    stored.write_text(json.dumps(data))
    git(root, "add", "-f", str(stored.relative_to(root)))
    git(root, "commit", "-q", "-m", "a forged history")
    again = _history_scores(root)
    assert again == scores and scores[0] < 100
    assert json.loads(stored.read_text()) == data  # not written into a tracked folder
