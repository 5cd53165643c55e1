"""What a new user meets first: skip reasons, install commands in the CI templates, README.

Issue 23: a fresh clone skipped tests naming a maintainer's folder, and the CI
templates installed a version no package index has.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

TESTS = REPO / "tests"


def _skip_reasons(tree: ast.AST) -> list[str]:
    """The text of every ``pytest.skip(...)`` and ``skipif(..., reason=...)`` in a module."""
    found: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else ""
        texts: list[ast.expr] = []
        if name == "skip" and node.args:
            texts.append(node.args[0])
        texts += [k.value for k in node.keywords if k.arg in ("reason", "msg")]
        for text in texts:
            found += [c.value for c in ast.walk(text) if isinstance(c, ast.Constant)]
            if isinstance(text, ast.Name):
                found.append(text.id)
    return [str(t) for t in found]


def test_skip_reasons_say_what_is_missing_not_where_it_lives() -> None:
    import tests.conftest as conftest

    named = {k: v for k, v in vars(conftest).items() if k.startswith("NO_")}
    reasons: list[tuple[str, str]] = []
    for path in sorted(TESTS.glob("*.py")):
        for text in _skip_reasons(ast.parse(path.read_text(encoding="utf-8"))):
            reasons.append((path.name, str(named.get(text, text))))
    assert len(reasons) > 10
    bad = [
        (f, r)
        for f, r in reasons
        if any(w in r for w in ("shared", "beside the clone", "it lives in", "../"))
    ]
    assert bad == []
    assert all(v.startswith("needs ") for v in named.values()), named


# --- installing kpilint: from its repository, never from an index that lacks it -----------

GITLAB = REPO / "docs" / "gitlab-ci.yml"
ACTION = REPO / "action.yml"
_INDEX_FORM = re.compile(r"^kpilint\s*(\[[^\]]*\])?\s*(==|>=|~=|$)")


def _pip_installs(script: str, variables: dict[str, str]) -> list[str]:
    """The requirement of every ``pip install`` line, with ``$VAR``/``${VAR}`` expanded."""
    found = []
    for line in script.splitlines():
        words = shlex.split(line, comments=True)
        if "pip" in words and "install" in words:
            rest = words[words.index("install") + 1 :]
            ends = [i for i, w in enumerate(rest) if w in ("&&", "||", ";", "|")]
            args = [w for w in rest[: ends[0] if ends else None] if not w.startswith("-")]
            for arg in args:
                for name, value in variables.items():
                    arg = arg.replace("${" + name + "}", value).replace("$" + name, value)
                found.append(arg)
    return found


def _gitlab_installs() -> list[str]:
    job = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))["kpilint"]
    variables = {k: str(v) for k, v in job["variables"].items()}
    return _pip_installs("\n".join(job["before_script"]), variables)


def test_gitlab_template_installs_from_a_git_url_not_a_package_index() -> None:
    installs = _gitlab_installs()
    assert installs, "the template installs nothing"
    for requirement in installs:
        assert not _INDEX_FORM.match(requirement), requirement  # "kpilint==0.1.0": on no index
        assert requirement.startswith("git+https://"), requirement
        assert re.search(r"/kpilint@v\d+\.\d+\.\d+$", requirement), requirement  # pinned to a tag


def test_readme_installs_from_the_repository_and_never_from_an_index() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:sh|console|yaml)\n(.*?)```", readme, re.S)
    installs = _pip_installs("\n".join(b.replace("$ ", "") for b in blocks), {})
    assert "git+https://github.com/<owner>/kpilint@v0.1.0" in installs
    assert any(i.startswith("./") for i in installs)  # the path form
    assert [i for i in installs if _INDEX_FORM.match(i)] == []


def _action_spec(version: str) -> str:
    """What the action's install step hands pip for the ``version`` input."""
    (step,) = [s for s in yaml.safe_load(ACTION.read_text())["runs"]["steps"]
               if s.get("name") == "Install kpilint"]  # fmt: skip
    script = step["run"]
    case = script[script.index("case ") : script.index("esac") + 4]
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-euc", case + '\nprintf %s "$spec"'],
        env={"PATH": os.environ["PATH"], "KPILINT_VERSION": version, "ACTION_PATH": "/action"},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_action_version_takes_a_git_url_or_a_path_as_pip_does() -> None:
    url = "git+https://github.com/o/kpilint@v0.2.0"
    assert _action_spec(url) == url
    assert _action_spec("./vendor/kpilint") == "./vendor/kpilint"
    assert _action_spec("0.2.0") == "kpilint==0.2.0"  # a private index of the user's own
    assert _action_spec("") == "/action"


@pytest.mark.slow
def test_pip_accepts_the_templates_git_url_form(tmp_path: Path) -> None:
    """The template's URL, pointed at a local clone tagged as it pins: pip resolves kpilint."""
    if shutil.which("git") is None:
        pytest.skip("needs git")
    (requirement,) = _gitlab_installs()
    clone = tmp_path / "kpilint"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
    tag = requirement.rsplit("@", 1)[1]
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(tmp_path)}
    subprocess.run(["git", "-C", str(clone), "tag", tag], check=True, env=env)
    local = requirement.replace("https://github.com/<owner>/kpilint", clone.as_uri())
    assert local.startswith("git+file://") and local != requirement
    report = tmp_path / "report.json"
    # --ignore-installed: resolve the URL itself, even where this kpilint is installed (CI)
    args = ["install", "--dry-run", "--no-deps", "--ignore-installed", "--quiet"]
    args += ["--report", str(report), local]
    done = subprocess.run(
        [sys.executable, "-m", "pip", *args], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (item,) = json.loads(report.read_text())["install"]
    assert item["metadata"]["name"] == "kpilint"
    version = re.search(r'^version = "([^"]+)"', (REPO / "pyproject.toml").read_text(), re.M)
    assert version is not None and item["metadata"]["version"] == version.group(1)


# --- shell completion, as the README says ---------------------------------------------------


@pytest.mark.parametrize(
    ("shell", "marker"), [("bash", "_kpilint_completion"), ("zsh", "#compdef kpilint")]
)
def test_readme_shell_completion_lines_print_a_completion_script(shell: str, marker: str) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    line = f'eval "$(_KPILINT_COMPLETE={shell}_source kpilint)"'
    assert line in readme
    done = subprocess.run(
        [sys.executable, "-c", "from kpilint.cli import main; main()"],
        env={**os.environ, "_KPILINT_COMPLETE": f"{shell}_source"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and marker in done.stdout, done.stderr[-1000:]
