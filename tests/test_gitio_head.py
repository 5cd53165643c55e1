"""HEAD read from the .git folder (no process) agrees with git itself, in every layout."""

from __future__ import annotations

import subprocess
from pathlib import Path

from kpilint import gitio
from tests.test_precommit import git, git_env


def rev_parse(path: Path) -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", "HEAD^{commit}"],
        cwd=path,
        env=git_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip()


def test_head_agrees_with_git_in_every_layout(tmp_path: Path) -> None:
    env = git_env()
    repo = tmp_path / "repo"
    (repo / "sub").mkdir(parents=True)
    git(repo, env, "init", "-q")
    assert gitio.head_of(repo) == "" == rev_parse(repo)  # no commit yet
    (repo / "a.txt").write_text("a\n")
    git(repo, env, "add", "-A")
    git(repo, env, "commit", "-q", "-m", "one")
    first = rev_parse(repo)
    assert gitio._read_head(repo / "sub") == first  # a loose ref, from a subfolder
    git(repo, env, "pack-refs", "--all")
    assert gitio._read_head(repo) == first  # packed-refs
    (repo / "a.txt").write_text("b\n")
    git(repo, env, "commit", "-q", "-am", "two")
    second = rev_parse(repo)
    assert second != first and gitio._read_head(repo) == second
    git(repo, env, "checkout", "-q", "--detach", first)
    assert gitio._read_head(repo) == first  # detached
    git(repo, env, "checkout", "-q", "main")
    other = tmp_path / "other"
    git(repo, env, "worktree", "add", "-q", "-b", "side", str(other), first)
    assert gitio._read_head(other) == first == rev_parse(other)  # a linked work tree
    assert gitio.head_of(tmp_path) == ""  # outside any repository
