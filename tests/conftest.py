"""Shared fixtures: paths to the spec and corpora beside the clone, a project writer, git."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import click
import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SPEC_EXAMPLE = SHARED / "spec" / "examples" / "field-sales"
GITLAB_CORPUS = SHARED / "corpora" / "gitlab-handbook-pi"
# Skip reasons say what a clone lacks, not where a maintainer keeps it.
NO_SPEC = "needs kpilint's specification (RULES.md and its worked example), not in this clone"
NO_CORPORA = "needs the public KPI catalogues used as test corpora, not in this clone"
NO_GITLAB_CORPUS = "needs the GitLab handbook's performance-indicator files, not in this clone"

WriteProject = Callable[[dict[str, str]], Path]


@pytest.fixture(scope="session", autouse=True)
def private_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """kpilint keeps its cache-key secret under ``XDG_CACHE_HOME``: tests (and the processes
    they start, which inherit it) use a folder of their own, never the real home's."""
    old = os.environ.get("XDG_CACHE_HOME")
    home = tmp_path_factory.mktemp("xdg-cache")
    os.environ["XDG_CACHE_HOME"] = str(home)
    yield home
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


@pytest.fixture
def write_project(tmp_path: Path) -> WriteProject:
    """Write ``{relative path: text}`` under a fresh project root (with a kpilint.toml)."""

    def write(files: dict[str, str]) -> Path:
        root = tmp_path / "project"
        root.mkdir(exist_ok=True)
        if "kpilint.toml" not in files:
            (root / "kpilint.toml").write_text("")
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return root

    return write


def run_kpilint(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m kpilint ARGS`` as a real process, on this checkout's code."""
    return subprocess.run(
        [sys.executable, "-m", "kpilint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
        timeout=60,
    )


def run_python(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -c script`` in ``cwd`` on this checkout's code."""
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
    )


def modules_after(code: str, cwd: Path) -> set[str]:
    """The modules a fresh Python has imported after running ``code`` in ``cwd``."""
    out = run_python(f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))", cwd)
    assert out.returncode == 0, out.stderr
    return set(out.stdout.split("\n")[-2].split())


def git(cwd: Path, *args: str, env: Mapping[str, str] | None = None) -> str:
    """``git ARGS`` in ``cwd``; its output, stripped. The same on every machine and in a hook:
    no user or system config, a fixed identity, no signing, ``main`` as the first branch,
    and none of an outer git's ``GIT_*`` variables (a hook running these tests sets some).

    ``env`` sets more variables on top (``GIT_AUTHOR_DATE`` for a dated commit).
    """
    done = subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
        cwd=cwd,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "kpilint tests",
            "GIT_AUTHOR_EMAIL": "tests@example.invalid",
            "GIT_COMMITTER_NAME": "kpilint tests",
            "GIT_COMMITTER_EMAIL": "tests@example.invalid",
            **(env or {}),
        },
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout.strip()


def cli_commands() -> dict[str, click.Command]:
    """Every ``kpilint`` command by name, in ``kpilint --help`` order (each module imported)."""
    from kpilint.cli import cli

    ctx = click.Context(cli)
    found = {name: cli.get_command(ctx, name) for name in cli.list_commands(ctx)}
    return {name: command for name, command in found.items() if command is not None}


def invoke_in(root: Path, *args: str) -> tuple[int, str]:
    """Run the click CLI in ``root`` (click's runner); exit code and combined output."""
    from click.testing import CliRunner

    from kpilint.cli import cli

    cwd = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(cli, list(args))
    finally:
        os.chdir(cwd)
    return result.exit_code, result.output


def _hypothesis_profiles() -> None:
    """Bounded property tests: 50 examples in CI (``CI`` set), 200 locally.

    ``HYPOTHESIS_PROFILE`` picks a profile explicitly (``thorough``: 2,000 examples).
    """
    try:
        from hypothesis import settings
    except ImportError:  # pragma: no cover - hypothesis is in the test extra
        return
    settings.register_profile("ci", max_examples=50, deadline=None, derandomize=True)
    settings.register_profile("dev", max_examples=200, deadline=None)
    settings.register_profile("thorough", max_examples=2000, deadline=None)
    default = "ci" if os.environ.get("CI") else "dev"
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", default))


_hypothesis_profiles()
