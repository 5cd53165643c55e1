"""The pre-commit hooks in .pre-commit-hooks.yaml.

Fast tests check the manifest and run each hook's real ``entry`` (as pre-commit would,
named files appended) through the CLI. The slow tests run the real ``pre-commit`` against
a commit of this repository's current work tree (uncommitted changes included, so CI on a
fresh clone and a developer's edits are tested alike) in a throwaway git repository.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from click.testing import CliRunner

from kpilint.cli import cli
from tests import conftest
from tests.conftest import REPO, WriteProject, cli_commands

MANIFEST = REPO / ".pre-commit-hooks.yaml"
TODAY = "2027-06-01"

GOALS = """\
goals:
  - id: grow-revenue
    name: Grow revenue
    kind: revenue
    period: {start: 2027-01-01, end: 2027-12-31}
"""
KPIS = """\
metrics:
  - id: mrr
    name: Monthly recurring revenue
    category: output
    unit: USD
    source: stripe
    source_type: automated
    aggregation: sum
kpis:
  - id: mrr-growth
    name: MRR growth
    goal: grow-revenue
    metric: mrr
    owner: cfo
    target: {value: 120, unit: USD, direction: increase, baseline: 100}
    timeline: {start: 2027-01-01, end: 2027-12-31, review: monthly}
"""
TARGET_LINE = "    target: {value: 120, unit: USD, direction: increase, baseline: 100}\n"
NO_TARGET = KPIS.replace(TARGET_LINE, "")
TYPO = KPIS.replace("    timeline:", "    timline:")
# YAML that is not a KPI file, with keys kpilint would reject (and "fix") if it read it.
OTHER = """\
kpis: not a list
timline: {start: soon}
settings:
  - id: 1
    timline: later
"""


def kpi_position(text: str, kpi_id: str = "mrr-growth") -> tuple[int, int]:
    """Line and column of a KPI entity (its mapping, just after ``- ``), 1-based."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith(f"- id: {kpi_id}"):
            return number, line.index("id:") + 1
    raise AssertionError(f"no KPI {kpi_id}")


def command_problems(argv: list[str]) -> list[str]:
    """What is wrong with ``kpilint ARGV``: an unknown subcommand, option or option value.

    Words holding shell variables (``$PATHS``, ``"${args[@]}"``) are taken as arguments.
    """
    if argv and argv[0] in ("--version", "-V", "--help", "-h"):
        return []
    commands = cli_commands()
    if not argv or argv[0] not in commands:
        return [f"no subcommand {argv[:1]} (have {sorted(commands)})"]
    command = commands[argv[0]]
    options: dict[str, click.Option] = {}
    for param in command.params:
        if isinstance(param, click.Option):
            for name in (*param.opts, *param.secondary_opts):
                options[name] = param
    problems = []
    words = iter(argv[1:])
    for word in words:
        if word == "--":  # the end of options: paths follow
            break
        if not word.startswith("-") or word == "-" or "$" in word:
            continue
        name, has_value, value = word.partition("=")
        option = options.get(name)
        if option is None:
            if name not in ("-h", "--help"):
                problems.append(f"kpilint {argv[0]}: no option {name}")
            continue
        if option.is_flag or option.count:
            continue
        if not has_value:
            value = next(words, "")
        choices = option.type.choices if isinstance(option.type, click.Choice) else None
        if choices is not None and "$" not in value and value not in choices:
            problems.append(f"kpilint {argv[0]} {name}: {value!r} is not one of {list(choices)}")
    return problems


def hooks() -> dict[str, dict[str, Any]]:
    data = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return {hook["id"]: hook for hook in data}


# --- the manifest ----------------------------------------------------------------------------


def test_manifest_is_valid_for_pre_commit() -> None:
    clientlib = pytest.importorskip("pre_commit.clientlib")
    loaded = clientlib.load_manifest(str(MANIFEST))
    assert [hook["id"] for hook in loaded] == ["kpilint", "kpilint-fix"]


@pytest.mark.parametrize("hook_id", ["kpilint", "kpilint-fix"])
def test_hook_settings(hook_id: str) -> None:
    hook = hooks()[hook_id]
    assert hook["language"] == "python"
    assert hook["require_serial"] is True, "project rules span files: one process, all files"
    assert hook.get("pass_filenames", True) is True
    assert "types" not in hook and "types_or" not in hook, "`files` alone picks KPI files"
    version = tuple(int(part) for part in hook["minimum_pre_commit_version"].split("."))
    assert version >= (2, 9, 2)
    pattern = re.compile(hook["files"])
    for name in ("a.kpi.yaml", "b.kpi.yml", "kpis/sales.kpi.yaml", "x/y/z.kpi.yml"):
        assert pattern.search(name), name
    for name in ("other.yaml", "kpi.yaml", "a.kpi.yaml.bak", "a.kpi_yaml", "a-kpi.yaml", "a.KPI"):
        assert not pattern.search(name), name


@pytest.mark.parametrize(
    ("hook_id", "words"),
    [
        ("kpilint", ["check", "--force-exclude"]),
        ("kpilint-fix", ["check", "--fix", "--force-exclude"]),
    ],
)
def test_hook_entry_uses_existing_options(hook_id: str, words: list[str]) -> None:
    entry = shlex.split(hooks()[hook_id]["entry"])
    assert entry[0] == "kpilint", "the console script from pyproject's [project.scripts]"
    assert entry[1:] == words
    assert command_problems(entry[1:]) == []


def test_readme_shows_a_valid_pre_commit_config(tmp_path: Path) -> None:
    clientlib = pytest.importorskip("pre_commit.clientlib")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, re.DOTALL)
    (snippet,) = [block for block in blocks if block.startswith("repos:")]
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(snippet, encoding="utf-8")
    loaded = clientlib.load_config(str(config))
    used = {hook["id"] for repo in loaded["repos"] for hook in repo["hooks"]}
    assert used and used <= set(hooks())


# --- each hook's real entry, with the file names pre-commit would pass ------------------------


def run_entry(hook_id: str, files: list[str], root: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.chdir(root)
    argv = shlex.split(hooks()[hook_id]["entry"])[1:]
    return CliRunner().invoke(cli, [*argv, f"--today={TODAY}", *files])


def test_entry_resolves_goals_in_files_not_passed(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project({"goals.kpi.yaml": GOALS, "kpis.kpi.yaml": KPIS})
    result = run_entry("kpilint", ["kpis.kpi.yaml"], root, monkeypatch)
    assert result.exit_code == 0, result.output
    assert "KPI006" not in result.output


def test_entry_fails_on_a_kpi_without_target(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project({"goals.kpi.yaml": GOALS, "kpis.kpi.yaml": NO_TARGET})
    result = run_entry("kpilint", ["kpis.kpi.yaml"], root, monkeypatch)
    line, column = kpi_position(NO_TARGET)
    assert result.exit_code == 1, result.output
    assert f"kpis.kpi.yaml:{line}:{column}: KPI101" in result.output


def test_entry_reports_only_the_files_passed(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project(
        {
            "goals.kpi.yaml": GOALS,
            "kpis.kpi.yaml": KPIS,
            "more.kpi.yaml": NO_TARGET.replace("mrr", "arr"),
        }
    )
    result = run_entry("kpilint", ["kpis.kpi.yaml"], root, monkeypatch)
    assert result.exit_code == 0, result.output
    assert "more.kpi.yaml" not in result.output


def test_entry_force_exclude_skips_excluded_files_pre_commit_names(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project(
        {
            "kpilint.toml": 'exclude = ["archive/"]\n',
            "goals.kpi.yaml": GOALS,
            "archive/old.kpi.yaml": NO_TARGET,
        }
    )
    result = run_entry("kpilint", ["archive/old.kpi.yaml"], root, monkeypatch)
    assert result.exit_code == 0, result.output
    assert "KPI101" not in result.output


def test_fix_entry_renames_a_misspelt_key(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project({"goals.kpi.yaml": GOALS, "kpis.kpi.yaml": TYPO})
    result = run_entry("kpilint-fix", ["kpis.kpi.yaml"], root, monkeypatch)
    assert result.exit_code == 0, result.output
    assert (root / "kpis.kpi.yaml").read_text(encoding="utf-8") == KPIS


# --- real pre-commit -------------------------------------------------------------------------


def git_env(pre_commit_home: Path | None = None) -> dict[str, str]:
    """A clean environment: no outer git repository, no CI format switch, no colour."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GIT_", "PRE_COMMIT")) and key not in ("GITHUB_ACTIONS", "SKIP")
    }
    env.pop("PYTHONPATH", None)  # the hook must run the kpilint pre-commit installed
    if pre_commit_home is not None:
        env["PRE_COMMIT_HOME"] = str(pre_commit_home)
    env.update(
        {
            "NO_COLOR": "1",
            "GIT_AUTHOR_NAME": "kpilint tests",
            "GIT_AUTHOR_EMAIL": "tests@example.invalid",
            "GIT_COMMITTER_NAME": "kpilint tests",
            "GIT_COMMITTER_EMAIL": "tests@example.invalid",
            "GIT_CONFIG_NOSYSTEM": "1",
        }
    )
    return env


def git(cwd: Path, env: dict[str, str], *args: str) -> str:
    """``tests.conftest.git`` in the shape test_action, test_gitlab_ci and test_gitio_head
    import from here (to be moved to the shared one; then this goes)."""
    return conftest.git(cwd, *args, env=env)


def copy_work_tree(dest: Path) -> None:
    """Copy this repository's tracked and untracked, not ignored, files (as on disk) to DEST."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        env=git_env(),
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode()
    dest.mkdir(parents=True)
    for name in filter(None, listed.split("\0")):
        path = REPO / name
        if path.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest / name)


class PreCommit:
    """A throwaway git repository whose .pre-commit-config.yaml uses this repository's hooks."""

    def __init__(self, root: Path, env: dict[str, str], repo: Path, rev: str) -> None:
        self.root, self.env = root, env
        root.mkdir()
        git(root, env, "init", "-q")
        config = {
            "repos": [
                {
                    "repo": str(repo),
                    "rev": rev,
                    "hooks": [
                        {"id": "kpilint", "args": [f"--today={TODAY}"]},
                        {"id": "kpilint-fix", "args": [f"--today={TODAY}"]},
                    ],
                }
            ]
        }
        self.write(".pre-commit-config.yaml", json.dumps(config, indent=2) + "\n")

    def write(self, name: str, text: str) -> None:
        (self.root / name).write_text(text, encoding="utf-8")

    def read(self, name: str) -> str:
        return (self.root / name).read_text(encoding="utf-8")

    def git(self, *args: str) -> str:
        return git(self.root, self.env, *args)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", "--color=never", *args],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if "An unexpected error has occurred" in done.stdout + done.stderr:
            pytest.fail(f"pre-commit could not run:\n{done.stdout}\n{done.stderr}")
        return done


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path]:
    """This repository's work tree as one commit, and a pre-commit home shared by the module.

    pre-commit installs hooks from a commit, so uncommitted edits would be invisible; copying
    the tracked and untracked (not ignored) files into a fresh repository tests what is on
    disk. The hook environment is built once (``pip install`` from PyPI) for all tests here.
    """
    pytest.importorskip("pre_commit")
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs git and a git checkout of kpilint")
    base = tmp_path_factory.mktemp("precommit")
    home = base / "pre-commit-home"
    env = git_env(home)
    source = base / "kpilint-src"
    copy_work_tree(source)
    git(source, env, "init", "-q")
    git(source, env, "add", "-A")
    git(source, env, "commit", "-q", "-m", "kpilint work tree under test")
    return source, git(source, env, "rev-parse", "HEAD"), home


@pytest.fixture
def project(hook_repo: tuple[Path, str, Path], tmp_path: Path) -> PreCommit:
    """A git repository with a committed goal file and the pre-commit config."""
    source, rev, home = hook_repo
    repo = PreCommit(tmp_path / "repo", git_env(home), source, rev)
    repo.write("goals.kpi.yaml", GOALS)
    repo.git("add", "goals.kpi.yaml", ".pre-commit-config.yaml")
    repo.git("commit", "-q", "-m", "goals")
    return repo


@pytest.mark.slow
def test_pre_commit_hook_fails_then_passes_with_goal_in_another_file(project: PreCommit) -> None:
    project.write("kpis.kpi.yaml", NO_TARGET)
    project.write("other.yaml", OTHER)
    project.git("add", "kpis.kpi.yaml", "other.yaml")

    failed = project.run("kpilint")  # the staged files: kpis.kpi.yaml and other.yaml
    line, column = kpi_position(NO_TARGET)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert re.search(r"^kpilint\.+Failed$", failed.stdout, re.MULTILINE), failed.stdout
    assert f"kpis.kpi.yaml:{line}:{column}: KPI101 [error]" in failed.stdout
    assert "KPI006" not in failed.stdout, "the goal in goals.kpi.yaml must resolve"
    assert "other.yaml" not in failed.stdout

    project.write("kpis.kpi.yaml", KPIS)
    project.git("add", "kpis.kpi.yaml")
    staged = project.git("diff", "--cached", "--name-only").splitlines()
    assert sorted(staged) == ["kpis.kpi.yaml", "other.yaml"]  # not goals.kpi.yaml

    passed = project.run("kpilint", "--verbose")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"^kpilint\.+Passed$", passed.stdout, re.MULTILINE), passed.stdout
    assert "All checks passed: 1 file, 1 KPI" in passed.stdout  # only kpis.kpi.yaml
    assert "other.yaml" not in passed.stdout


@pytest.mark.slow
def test_pre_commit_hooks_leave_other_yaml_alone(project: PreCommit) -> None:
    project.write("other.yaml", OTHER)
    project.git("add", "other.yaml")
    for hook_id in ("kpilint", "kpilint-fix"):
        done = project.run(hook_id, "--files", "other.yaml")
        assert done.returncode == 0, done.stdout + done.stderr
        assert "(no files to check)Skipped" in done.stdout
    done = project.run("--all-files")
    assert done.returncode == 0, done.stdout + done.stderr
    assert project.read("other.yaml") == OTHER


@pytest.mark.slow
def test_pre_commit_fix_hook_applies_safe_fixes(project: PreCommit) -> None:
    project.write("kpis.kpi.yaml", TYPO)
    project.write("other.yaml", OTHER)
    project.git("add", "kpis.kpi.yaml", "other.yaml")

    fixed = project.run("kpilint-fix")
    assert fixed.returncode == 1, fixed.stdout + fixed.stderr
    assert "files were modified by this hook" in fixed.stdout
    assert project.read("kpis.kpi.yaml") == KPIS
    assert project.read("other.yaml") == OTHER

    project.git("add", "kpis.kpi.yaml")
    again = project.run("kpilint-fix")
    assert again.returncode == 0, again.stdout + again.stderr
    assert project.run("kpilint").returncode == 0


def _kpi(kpi_id: str, comment: str, end: str = "2028-03-31", extra: str = "") -> str:
    return (
        f"  - id: {kpi_id}{comment}\n"
        f"    name: {kpi_id}\n"
        "    goal: grow-revenue\n"
        "    metric: mrr\n"
        f"    owner: cfo{extra}\n"
        "    target: {value: 120, unit: USD, direction: increase, baseline: 100}\n"
        f"    timeline: {{start: 2027-01-01, end: {end}, review: monthly}}\n"
    )


KEPT_COMMENTS = [
    "# kpilint: ignore[KPI305] the board extended this KPI into 2028",
    "# kpilint: ignore[KPI3O5] approved by the CFO in March",
    "# kpilint: ignore[KPI305] until 2027-05-31: until the spring re-plan",
]
WAIVED = (
    KPIS.split("kpis:\n")[0]
    + "kpis:\n"
    + _kpi("entity-wide", "  " + KEPT_COMMENTS[0])
    + _kpi("misspelt", "  " + KEPT_COMMENTS[1])
    + _kpi("expired", "  " + KEPT_COMMENTS[2])
    + _kpi("stale", "", "2027-12-31", "  # kpilint: ignore[KPI104] owner was missing")
)


@pytest.mark.slow
def test_pre_commit_fix_hook_keeps_every_suppression_and_reason(project: PreCommit) -> None:
    """Issue 15: an entity-wide suppression, a misspelt one and an expired waiver survive."""
    project.write("kpis.kpi.yaml", WAIVED)
    project.git("add", "kpis.kpi.yaml")

    first = project.run("kpilint-fix")
    assert "files were modified by this hook" in first.stdout, first.stdout  # the stale one
    expected = WAIVED.replace("  # kpilint: ignore[KPI104] owner was missing", "")
    assert project.read("kpis.kpi.yaml") == expected
    at = {
        c: (n, text.index(c) + 1)
        for n, text in enumerate(expected.splitlines(), 1)
        for c in KEPT_COMMENTS
        if c in text
    }
    (entity_wide, _), misspelt, expired = (at[c] for c in KEPT_COMMENTS)
    for finding in (
        f"kpis.kpi.yaml:{misspelt[0]}:{misspelt[1]}: KPI008 [warning]",
        f"kpis.kpi.yaml:{expired[0]}:{expired[1]}: KPI011 [warning]",
        f"kpis.kpi.yaml:{misspelt[0] + 6}:5: KPI305 [warning]",
        f"kpis.kpi.yaml:{expired[0] + 6}:5: KPI305 [warning]",
    ):
        assert finding in first.stdout, first.stdout
    assert "did you mean 'KPI305'?" in first.stdout
    assert f"kpis.kpi.yaml:{entity_wide + 6}:5: KPI305" not in first.stdout
    assert "KPI010" not in first.stdout

    project.git("add", "kpis.kpi.yaml")
    again = project.run("kpilint-fix")
    assert again.returncode == 0, again.stdout + again.stderr  # warnings only, nothing to fix
    assert "files were modified" not in again.stdout
    assert project.read("kpis.kpi.yaml") == expected


@pytest.mark.slow
def test_pre_commit_hook_reads_configured_sources(project: PreCommit) -> None:
    """A catalogue read as a source: references into it resolve in the hook, and with
    `files` widened in .pre-commit-config.yaml its staged files are linted in place."""
    config = json.loads(project.read(".pre-commit-config.yaml"))
    config["repos"][0]["hooks"] = [
        {"id": "kpilint", "args": [f"--today={TODAY}"], "files": r"(\.kpi\.ya?ml|^meta/.*\.md)$"}
    ]
    project.write(".pre-commit-config.yaml", json.dumps(config) + "\n")
    project.write(
        "kpilint.toml",
        '[[sources]]\ninclude = ["meta/*.md"]\nrecords = ""\nkind = "metric"\n'
        '[sources.map]\nid = { from = "$file", template = "{slug}" }\nname = "title"\n'
        'source = "system"\n',
    )
    (project.root / "meta").mkdir()
    project.write("meta/signups.md", "---\ntitle: Signups\nsystem: [crm]\n---\nHow we count.\n")
    project.write(
        "signups.kpi.yaml",
        "kpis:\n  - id: signups-growth\n    name: Signups growth\n    goal: grow-revenue\n"
        "    metric: signups\n    owner: cmo\n"
        "    target: {value: 1200, unit: signups, direction: increase, baseline: 1000}\n"
        "    timeline: {start: 2027-01-01, end: 2027-12-31, review: monthly}\n",
    )
    project.git("add", "-A")
    failed = project.run("kpilint")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "meta/signups.md:3:1: KPI002 [error]" in failed.stdout  # source: a list, at its key
    assert "KPI006" not in failed.stdout and "KPI404" not in failed.stdout
