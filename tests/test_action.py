"""The GitHub Action (action.yml) and the example workflow (docs/github-workflow.yml).

Both must parse, and every ``kpilint ...`` command line in them may use only subcommands,
options and option values that the click CLI really has, so renaming an option breaks this
test rather than users' pipelines. A slow test runs the action's steps as the runner would
(bash, the GITHUB_* files, a shallow pull-request checkout with an origin to fetch from).
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

import pytest
import yaml

from tests.conftest import REPO
from tests.test_precommit import (
    GOALS,
    KPIS,
    NO_TARGET,
    TARGET_LINE,
    command_problems,
    copy_work_tree,
    git,
    git_env,
    kpi_position,
)

ACTION = REPO / "action.yml"
WORKFLOW = REPO / "docs" / "github-workflow.yml"
INPUTS = {
    "paths",
    "config",
    "fail-on",
    "base",
    "version",
    "only-new",
    "sarif-file",
    "fail-on-governance",
    "args",
    "working-directory",
}
SHELL_OPERATORS = {"|", "||", "&", "&&", ";", ";;", ">", ">>", "<", "<<", "(", ")", "2>", "2>&1"}


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name} is not a mapping"
    return data


def kpilint_commands(script: str) -> list[list[str]]:
    """Every ``kpilint`` invocation in a shell script, as words up to the next operator."""
    commands = []
    for line in script.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        lexer.commenters = "#"
        words = list(lexer)
        for i, word in enumerate(words):
            command_position = i == 0 or words[i - 1] in SHELL_OPERATORS
            if command_position and (word == "kpilint" or word.endswith("/kpilint")):
                command = []
                for arg in words[i + 1 :]:
                    if arg in SHELL_OPERATORS:
                        break
                    command.append(arg)
                commands.append(command)
    return commands


def steps_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    if "runs" in data:
        return list(data["runs"]["steps"])
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


def all_commands(data: dict[str, Any]) -> list[list[str]]:
    return [cmd for step in steps_of(data) for cmd in kpilint_commands(step.get("run", ""))]


# --- the checker itself must be able to fail -------------------------------------------------


def test_command_problems_finds_unknown_options_and_values() -> None:
    assert command_problems(["check", "--format", "text", "--fix", "$PATHS"]) == []
    assert command_problems(["check", "--fail-on=warning", "."]) == []
    assert command_problems(["lint", "."]) != []
    assert command_problems(["check", "--no-such-option"]) == [
        "kpilint check: no option --no-such-option"
    ]
    assert command_problems(["check", "--format", "yaml"]) != []
    assert command_problems(["check", "--fail-on=sometimes"]) != []


def test_kpilint_commands_reads_shell_lines() -> None:
    script = (
        'status=0\nkpilint check --format sarif -o "$F" "${args[@]}" $PATHS || status=$?\n'
        '"$bin/kpilint" --version\n'
        "kpilint diff origin/main --format markdown >> $GITHUB_STEP_SUMMARY\n"
        "echo kpilint check --bogus\n"
    )
    assert kpilint_commands(script) == [
        ["check", "--format", "sarif", "-o", "$F", "${args[@]}", "$PATHS"],
        ["--version"],
        ["diff", "origin/main", "--format", "markdown"],
    ]


# --- action.yml ------------------------------------------------------------------------------


def test_action_is_a_composite_action_with_documented_inputs() -> None:
    action = load(ACTION)
    assert action["name"] and action["description"]
    assert action["runs"]["using"] == "composite"
    inputs = action["inputs"]
    assert set(inputs) >= INPUTS
    for name, spec in inputs.items():
        assert spec.get("description"), f"input {name} has no description"
        assert "default" in spec or spec.get("required"), f"input {name}: no default"
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert step.get("shell") == "bash", f"step {step.get('name')}: composite needs a shell"
    for name, output in action["outputs"].items():
        assert output.get("value"), f"output {name} has no value"


def test_action_scripts_use_inputs_only_through_the_environment() -> None:
    """``${{ inputs.x }}`` pasted into a script is a shell-injection hole (branch names, paths)."""
    for step in load(ACTION)["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), f"step {step.get('name')!r} expands in its script"


def test_action_references_only_inputs_and_steps_that_exist() -> None:
    action = load(ACTION)
    text = ACTION.read_text(encoding="utf-8")
    used_inputs = set(re.findall(r"inputs\.([A-Za-z0-9_-]+)", text))
    assert used_inputs <= set(action["inputs"]), used_inputs - set(action["inputs"])
    step_ids = {step["id"] for step in action["runs"]["steps"] if "id" in step}
    used_steps = set(re.findall(r"steps\.([A-Za-z0-9_-]+)\.outputs", text))
    assert used_steps <= step_ids, used_steps - step_ids


def test_action_installs_kpilint_and_runs_sarif_github_and_diff() -> None:
    action = load(ACTION)
    steps = action["runs"]["steps"]
    assert any(str(step.get("uses", "")).startswith("actions/setup-python@") for step in steps)
    scripts = "\n".join(step.get("run", "") for step in steps)
    assert "pip install" in scripts and "ACTION_PATH" in scripts
    commands = all_commands(action)
    formats = {(cmd[0], fmt) for cmd in commands if cmd for fmt in _formats(cmd)}
    assert ("check", "sarif") in formats
    assert ("check", "github") in formats
    assert ("check", "markdown") in formats
    assert ("diff", "markdown") in formats
    (diff_step,) = [
        s for s in steps if any(c[:1] == ["diff"] for c in kpilint_commands(s.get("run", "")))
    ]
    assert "$GITHUB_STEP_SUMMARY" in diff_step["run"]
    (fetch,) = [s for s in steps if "git fetch" in s.get("run", "")]
    assert "pull_request" in fetch["if"]
    assert "github.base_ref" in fetch["env"]["BASE"]
    # every kpilint command gets the paths, the extra args and the working directory
    for step in steps:
        for cmd in kpilint_commands(step.get("run", "")):
            if cmd[:1] in (["check"], ["diff"]):
                assert cmd[-1] == "$PATHS" and "$ARGS" in cmd, cmd
                assert step["working-directory"] == "${{ inputs.working-directory }}"


def _formats(cmd: list[str]) -> list[str]:
    found = []
    for i, word in enumerate(cmd):
        if word == "--format" and i + 1 < len(cmd):
            found.append(cmd[i + 1])
        elif word.startswith("--format="):
            found.append(word.partition("=")[2])
    return found


def test_action_commands_use_only_existing_subcommands_and_options() -> None:
    commands = all_commands(load(ACTION))
    assert len(commands) >= 4, commands
    problems = [problem for cmd in commands for problem in command_problems(cmd)]
    assert problems == []


# --- docs/github-workflow.yml ----------------------------------------------------------------


def test_example_workflow_uses_the_action_and_uploads_sarif() -> None:
    workflow = load(WORKFLOW)
    # PyYAML reads the bare key `on` as True (YAML 1.1); GitHub reads it as "on".
    triggers = workflow.get("on", workflow.get(True))
    assert "pull_request" in triggers and "push" in triggers
    assert workflow["permissions"]["security-events"] == "write"
    assert workflow["permissions"]["contents"] == "read"
    steps = steps_of(workflow)
    uses = [str(step.get("uses", "")) for step in steps]
    assert any(u.startswith("actions/checkout@") for u in uses)
    (ours,) = [
        s
        for s in steps
        if s.get("uses") == "./" or re.fullmatch(r"[^/]+/kpilint@\S+", str(s.get("uses", "")))
    ]
    assert set(ours.get("with", {})) <= set(load(ACTION)["inputs"]), ours.get("with")
    upload = next(
        s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")
    )
    assert upload["with"]["sarif_file"] == f"${{{{ steps.{ours['id']}.outputs.sarif-file }}}}"
    assert "cancelled()" in upload["if"] or "always()" in upload["if"]
    assert steps.index(upload) > steps.index(ours)


def test_example_workflow_writes_the_diff_summary() -> None:
    """The workflow gets the pull-request summary from the action it uses."""
    workflow = load(WORKFLOW)
    summary_steps = [
        step
        for step in [*steps_of(workflow), *steps_of(load(ACTION))]
        if "$GITHUB_STEP_SUMMARY" in step.get("run", "")
        and any(cmd[:1] == ["diff"] for cmd in kpilint_commands(step["run"]))
    ]
    assert summary_steps


def test_example_workflow_commands_use_only_existing_options() -> None:
    problems = [p for cmd in all_commands(load(WORKFLOW)) for p in command_problems(cmd)]
    assert problems == []


@pytest.mark.parametrize("path", [ACTION, WORKFLOW], ids=lambda p: p.name)
def test_files_parse_as_yaml_without_tabs(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "\t" not in text
    assert load(path)


# --- running the action's steps --------------------------------------------------------------

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def evaluate(expression: str, context: dict[str, Any]) -> Any:
    """The subset of GitHub's expression language action.yml uses.

    ``a || b`` (the first truthy value), ``x == 'lit'``, ``x != 'lit'``, ``'literals'`` and
    context paths (``inputs.base``, ``github.base_ref``, ``steps.check.outputs.exit-code``;
    missing values are ''). Anything else raises, so the action cannot outgrow this test.
    """
    value: Any = ""
    for alternative in expression.split("||"):
        value = _term(alternative.strip(), context)
        if value:
            return value
    return value


def _term(term: str, context: dict[str, Any]) -> Any:
    compare = re.fullmatch(r"(.+?)\s*(==|!=)\s*(.+)", term)
    if compare:
        equal = _value(compare[1], context) == _value(compare[3], context)
        return equal if compare[2] == "==" else not equal
    return _value(term, context)


def _value(term: str, context: dict[str, Any]) -> Any:
    if re.fullmatch(r"'[^']*'", term):
        return term[1:-1]
    if not re.fullmatch(r"[A-Za-z_][\w-]*(\.[\w-]+)+", term):
        raise ValueError(f"expression not supported by this test: {term!r}")
    value: Any = context
    for part in term.split("."):
        value = value.get(part, "") if isinstance(value, dict) else ""
    return value


def substitute(text: str, context: dict[str, Any]) -> str:
    return EXPRESSION.sub(lambda match: str(evaluate(match[1], context)), text)


def run_action(
    workspace: Path, runner_temp: Path, inputs: dict[str, str], github: dict[str, str]
) -> tuple[int, dict[str, Any]]:
    """Run action.yml's steps as the runner would: bash -eo pipefail, GITHUB_* files.

    ``uses:`` steps (actions/setup-python) are skipped: the Python running the tests is used.
    Returns the status of the failing step (0 if none) and a record of the run.
    """
    action = load(ACTION)
    values = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    values.update(inputs)
    context: dict[str, Any] = {"inputs": values, "github": github, "steps": {}}
    files = {name: runner_temp / name for name in ("path", "summary")}
    for path in files.values():
        path.write_text("")
    record: dict[str, Any] = {"stdout": {}, "skipped": []}
    base_env = git_env()
    base_env.update(
        {
            "RUNNER_TEMP": str(runner_temp),
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_PATH": str(files["path"]),
            "GITHUB_STEP_SUMMARY": str(files["summary"]),
            "GITHUB_BASE_REF": github.get("base_ref", ""),
            "GITHUB_EVENT_NAME": github.get("event_name", ""),
        }
    )
    status = 0
    for number, step in enumerate(action["runs"]["steps"]):
        name = step.get("name", str(number))
        condition = step.get("if")
        # Every condition starts with an implicit success(): after a failure, nothing runs.
        if status != 0 or (
            condition is not None and not evaluate(substitute(condition, context), context)
        ):
            record["skipped"].append(name)
            continue
        if "uses" in step:
            assert str(step["uses"]).startswith("actions/setup-python@"), step["uses"]
            continue
        env = dict(base_env)
        env.update({key: substitute(str(value), context) for key, value in step["env"].items()})
        added = [line for line in files["path"].read_text().splitlines() if line]
        env["PATH"] = os.pathsep.join(
            [*reversed(added), str(Path(sys.executable).parent), env["PATH"]]
        )
        cwd = workspace / substitute(str(step.get("working-directory", ".")), context)
        output = runner_temp / f"output-{number}"
        output.write_text("")
        env["GITHUB_OUTPUT"] = str(output)
        script = runner_temp / f"step-{number}.sh"
        script.write_text(step["run"])
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        record["stdout"][name] = done.stdout + done.stderr
        outputs = dict(line.split("=", 1) for line in output.read_text().splitlines() if line)
        if "id" in step:
            context["steps"][step["id"]] = {"outputs": outputs}
        if done.returncode != 0:
            status, record["failed"] = done.returncode, name
    record["outputs"] = {
        key: substitute(o["value"], context) for key, o in action["outputs"].items()
    }
    record["summary"] = files["summary"].read_text()
    return status, record


def test_evaluate_handles_the_action_expressions() -> None:
    context = {"inputs": {"base": "", "x": "true"}, "github": {"base_ref": "main"}, "steps": {}}
    assert evaluate("inputs.base || github.base_ref", context) == "main"
    assert evaluate("inputs.x == 'true'", context) is True
    assert evaluate("github.event_name == 'pull_request' || inputs.base != ''", context) is False
    assert evaluate("steps.check.outputs.exit-code", context) == ""
    with pytest.raises(ValueError):
        evaluate("contains(inputs.x, 'a')", context)


@pytest.fixture(scope="module")
def action_copy(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """This repository's work tree (the action's own checkout) and one RUNNER_TEMP."""
    if shutil.which("git") is None or shutil.which("bash") is None or not (REPO / ".git").exists():
        pytest.skip("needs git, bash and a git checkout of kpilint")
    base = tmp_path_factory.mktemp("action")
    copy_work_tree(base / "kpilint")
    (base / "runner-temp").mkdir()
    return base / "kpilint", base / "runner-temp"


def _commit_files(repo: Path, files: dict[str, str], message: str) -> str:
    env = git_env()
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
    git(repo, env, "add", "-A")
    git(repo, env, "commit", "-q", "-m", message)
    return git(repo, env, "rev-parse", "HEAD").strip()


def pull_request_checkout(
    tmp_path: Path, base_files: dict[str, str], pr_files: dict[str, str]
) -> Path:
    """An origin with ``main``, a pull request branch and GitHub's merge commit of the two
    (``refs/pull/1/merge``: parents base, head); the workspace is what actions/checkout
    makes of it: a one-commit fetch of that merge commit, detached, and no branch."""
    env = git_env()
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, env, "init", "-q", "-b", "main")
    base = _commit_files(origin, base_files, "base")
    git(origin, env, "checkout", "-q", "-b", "pull-request")
    head = _commit_files(origin, pr_files, "pull request")
    git(origin, env, "checkout", "-q", "main")
    tree = git(origin, env, "rev-parse", f"{head}^{{tree}}").strip()  # main has not moved
    merge = git(origin, env, "commit-tree", tree, "-p", base, "-p", head, "-m", "Merge").strip()
    git(origin, env, "update-ref", "refs/pull/1/merge", merge)
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    git(workspace, env, "init", "-q")
    git(workspace, env, "remote", "add", "origin", origin.as_uri())
    git(workspace, env, "fetch", "-q", "--depth=1", "origin", "+refs/pull/1/merge:refs/pull")
    git(workspace, env, "checkout", "-q", "--detach", "refs/pull")
    git(workspace, env, "update-ref", "-d", "refs/pull")
    return workspace


def pull_request_event(workspace: Path, source: Path) -> dict[str, Any]:
    """The ``github`` context of a pull_request run on ``workspace``'s merge commit."""
    origin = workspace.parent / "origin"
    env = git_env()
    shas = {ref: git(origin, env, "rev-parse", ref).strip() for ref in ("main", "pull-request")}
    return {
        "event_name": "pull_request",
        "base_ref": "main",
        "action_path": str(source),
        "event": {
            "pull_request": {"base": {"sha": shas["main"]}, "head": {"sha": shas["pull-request"]}}
        },
    }


PROJECT = {
    "kpilint.toml": "today = 2027-06-01\n",
    "goals.kpi.yaml": GOALS,
    "kpis.kpi.yaml": NO_TARGET,  # an error already on the base branch
}
RENAMED = {"kpis.kpi.yaml": NO_TARGET.replace("name: MRR growth", "name: MRR growth rate")}
NEW_ERROR = {"more.kpi.yaml": NO_TARGET.replace("mrr", "arr")}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("event", "inputs", "pr_files", "status", "diff_status"),
    [
        ("pull_request", {"only-new": "true"}, RENAMED, 0, "0"),
        ("pull_request", {"only-new": "true"}, NEW_ERROR, 1, "1"),
        ("pull_request", {}, RENAMED, 1, "0"),
        ("push", {}, RENAMED, 1, ""),
    ],
    ids=["pr-old-finding-only-new", "pr-new-finding-only-new", "pr-all-findings", "push"],
)
def test_action_runs(
    action_copy: tuple[Path, Path],
    tmp_path: Path,
    event: str,
    inputs: dict[str, str],
    pr_files: dict[str, str],
    status: int,
    diff_status: str,
) -> None:
    source, runner_temp = action_copy
    workspace = pull_request_checkout(tmp_path, PROJECT, pr_files)
    github = {"event_name": event, "base_ref": "main" if event == "pull_request" else ""}
    github["action_path"] = str(source)
    code, record = run_action(workspace, runner_temp, {"python-version": "", **inputs}, github)
    assert code == status, record
    assert record.get("failed") in (None, "Result"), record
    report = json.loads((workspace / "kpilint.sarif").read_text(encoding="utf-8"))
    results = report["runs"][0]["results"]
    line, column = kpi_position(NO_TARGET)
    located = [
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"],
        )
        for r in results
    ]
    assert ("KPI101", "kpis.kpi.yaml", line, column) in located, located
    annotations = record["stdout"]["kpilint check (annotations)"]
    annotation = rf"^::error file=kpis\.kpi\.yaml,line={line},(.*,)?col={column}\b.*title=KPI101"
    # on a pull request, the old error (on a line it did not change) is not annotated
    annotated = re.search(annotation, annotations, re.MULTILINE)
    assert bool(annotated) == (event == "push"), annotations
    assert ("::error file=more.kpi.yaml," in annotations) == (pr_files is NEW_ERROR)
    if event == "pull_request":
        assert "kpilint diff" in record["summary"] and "origin/main" in record["summary"]
        diff_part = record["summary"].split("## kpilint report")[0]
        assert ("more.kpi.yaml" in diff_part) == (pr_files is NEW_ERROR)
    else:
        assert "Fetch the base branch" in record["skipped"]
        assert "kpilint diff" not in record["summary"]
    # every finding is in the summary, whatever was annotated
    assert "## kpilint report" in record["summary"] and "kpis.kpi.yaml" in record["summary"]
    assert record["outputs"] == {
        "sarif-file": "kpilint.sarif",
        "exit-code": "1",
        "diff-exit-code": diff_status,
    }


def test_readme_shows_the_example_workflow() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"```yaml\n{WORKFLOW.read_text(encoding='utf-8')}```\n" in readme


# --- a pull request in a repository with old debt -----------------------------------------

DEBT = "kpis:\n" + "".join(
    f"  - id: old-{n:02d}\n"
    f"    name: Old KPI {n:02d}\n"
    "    goal: grow-revenue\n"
    f'    scope: "team:t{n:02d}"\n'
    "    target: {value: 120, unit: USD, direction: increase, baseline: 100}\n"
    "    timeline: {start: 2027-01-01, end: 2027-12-31, review: monthly}\n"
    for n in range(1, 13)
)  # twelve KPI104 (no owner) warnings: more than GitHub shows per step
CLEAN_KPIS = KPIS
LOWERED_LINE = "    target: {value: 100, unit: USD, direction: increase, baseline: 90}"
NEW_KPI = (
    "  - id: arr-growth\n"
    "    name: ARR growth\n"
    "    goal: grow-revenue\n"
    "    metric: mrr\n"
    "    target: {value: 5, unit: USD, direction: increase, baseline: 4}\n"
    "    timeline: {start: 2027-01-01, end: 2027-12-31, review: monthly}\n"
)  # new, and without an owner: KPI104 on lines the pull request adds


def debt_project(folder: str = "") -> dict[str, str]:
    """The base branch: a config, goals, the old debt and a clean KPI file, in ``folder``."""
    files = {
        "kpilint.toml": "today = 2027-06-01\n",
        "goals.kpi.yaml": GOALS,
        "debt.kpi.yaml": DEBT,
        "kpis.kpi.yaml": CLEAN_KPIS,
    }
    return {folder + name: text for name, text in files.items()}


def lowered(comment: str = "") -> str:
    return KPIS.replace(TARGET_LINE.rstrip("\n"), LOWERED_LINE + comment) + NEW_KPI


def sarif_rows(path: Path) -> list[tuple[str, str, int]]:
    results = json.loads(path.read_text(encoding="utf-8"))["runs"][0]["results"]
    return [
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in results
    ]


def annotated(output: str) -> list[tuple[str, str, int]]:
    found = re.findall(r"^::\w+ file=([^,]+),line=(\d+),.*?title=(KPI\d+)", output, re.MULTILINE)
    return [(code, path, int(line)) for path, line, code in found]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("comment", "status"),
    [
        ("", 1),
        ("  # kpilint: ignore[KPI801] TODO", 1),
        ("  # kpilint: ignore[KPI801] the market shrank; agreed with the CFO in May", 0),
    ],
    ids=["no-reason", "todo-reason", "reason"],
)
def test_pull_request_with_old_debt(
    action_copy: tuple[Path, Path], tmp_path: Path, comment: str, status: int
) -> None:
    source, runner_temp = action_copy
    head = lowered(comment)
    workspace = pull_request_checkout(tmp_path, debt_project(), {"kpis.kpi.yaml": head})
    github = {"event_name": "pull_request", "base_ref": "main", "action_path": str(source)}
    code, record = run_action(workspace, runner_temp, {"python-version": ""}, github)
    assert code == status, record
    target_line = head.splitlines().index(LOWERED_LINE + comment) + 1
    new_line = head.splitlines().index("  - id: arr-growth") + 1
    governance = ("KPI801", "kpis.kpi.yaml", target_line)
    debt = [("KPI104", "debt.kpi.yaml", 2 + 6 * n) for n in range(12)]
    # annotations: only the lines the pull request changed, and the governance finding
    notes = annotated(record["stdout"]["kpilint check (annotations)"])
    assert ("KPI104", "kpis.kpi.yaml", new_line) in notes
    assert all(path == "kpis.kpi.yaml" for _code, path, _line in notes), notes
    assert (governance in notes) == (status == 1)
    # the SARIF report has everything: the old debt and the governance finding
    rows = sarif_rows(workspace / "kpilint.sarif")
    assert set(debt) <= set(rows)
    assert (governance in rows) == (status == 1)
    # ... and so has the job summary
    assert "debt.kpi.yaml" in record["summary"]
    assert record["outputs"]["exit-code"] == str(status)
    if status:
        assert record["failed"] == "Result"
        assert "KPI801" in record["summary"]


@pytest.mark.slow
def test_working_directory_paths_and_args(action_copy: tuple[Path, Path], tmp_path: Path) -> None:
    """A project in a subfolder: paths and args apply there, reports name repository paths."""
    source, runner_temp = action_copy
    base_files = {**debt_project("sub/"), "other.kpi.yaml": DEBT}  # other: outside, never read
    workspace = pull_request_checkout(tmp_path, base_files, {"sub/kpis.kpi.yaml": lowered()})
    github = {"event_name": "pull_request", "base_ref": "main", "action_path": str(source)}
    inputs = {
        "python-version": "",
        "working-directory": "sub",
        "paths": "kpis.kpi.yaml\ngoals.kpi.yaml",
        "args": "--ignore KPI104 --select KPI1,KPI8",
        "fail-on-governance": "false",
    }
    code, record = run_action(workspace, runner_temp, inputs, github)
    assert code == 0, record  # the lowered target is a warning, and governance does not fail
    rows = sarif_rows(workspace / "kpilint.sarif")
    assert [r[:2] for r in rows] == [("KPI801", "sub/kpis.kpi.yaml")]
    notes = annotated(record["stdout"]["kpilint check (annotations)"])
    assert [n[:2] for n in notes] == [("KPI801", "sub/kpis.kpi.yaml")]
    assert "debt.kpi.yaml" not in record["summary"] and "other.kpi.yaml" not in record["summary"]
    assert record["outputs"]["diff-exit-code"] == "0"


@pytest.mark.slow
def test_push_gets_a_job_summary(action_copy: tuple[Path, Path], tmp_path: Path) -> None:
    source, runner_temp = action_copy
    workspace = pull_request_checkout(tmp_path, PROJECT, RENAMED)
    github = {"event_name": "push", "base_ref": "", "action_path": str(source)}
    code, record = run_action(workspace, runner_temp, {"python-version": ""}, github)
    assert code == 1, record
    assert record["summary"].startswith("## kpilint report")
    assert "KPI101" in record["summary"] and record["outputs"]["diff-exit-code"] == ""


# --- the base moved after GitHub made the merge commit (a re-run, a merge queue) -------------


@pytest.mark.slow
@pytest.mark.parametrize("checkout", ["merge", "head"])
def test_a_base_that_moved_since_the_merge_is_not_reverted(
    action_copy: tuple[Path, Path], tmp_path: Path, checkout: str
) -> None:
    """The diff is against the merge commit's first parent (``head``: a checkout of the pull
    request's head compares with ``pull_request.base.sha``), never the base's tip now: the
    base's newer commits (a KPI added, a target raised) are not the pull request's doing."""
    source, runner_temp = action_copy
    renamed = KPIS.replace("name: MRR growth", "name: MRR growth rate")
    workspace = pull_request_checkout(tmp_path, debt_project(), {"kpis.kpi.yaml": renamed})
    github = pull_request_event(workspace, source)
    env = git_env()
    if checkout == "head":
        head = github["event"]["pull_request"]["head"]["sha"]
        git(workspace, env, "fetch", "-q", "--depth=1", "origin", head)
        git(workspace, env, "checkout", "-q", "--detach", head)
    raised = TARGET_LINE.replace("value: 120", "value: 150")
    moved = _commit_files(
        tmp_path / "origin",
        {"kpis.kpi.yaml": KPIS.replace(TARGET_LINE, raised) + NEW_KPI},
        "the base moves on",
    )
    code, record = run_action(workspace, runner_temp, {"python-version": ""}, github)
    assert code == 0, record
    assert record["outputs"]["diff-exit-code"] == "0", record["summary"]
    base = github["event"]["pull_request"]["base"]["sha"]
    fetched = record["stdout"]["Fetch the base branch"]
    assert f"kpilint: comparing with {base}, the base branch" in fetched
    assert git(workspace, env, "rev-parse", "origin/main") == base != moved
    rows = sarif_rows(workspace / "kpilint.sarif")
    assert not [r for r in rows if r[0].startswith("KPI8")], rows
    assert "KPI801" not in record["summary"] and "KPI802" not in record["summary"]
