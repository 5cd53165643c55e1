"""GitLab CI: the Code Quality report against GitLab's documented format, and the template.

The schema (``tests/fixtures/gitlab/``) is written from GitLab's documentation, which
publishes no JSON schema for the report. ``docs/gitlab-ci.yml`` is parsed, its kpilint
command lines checked against the real CLI, and its script run as a GitLab runner would
for a merge request (a shallow clone, the ``CI_MERGE_REQUEST_*`` variables).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from jsonschema.validators import validator_for

from kpilint import lint
from kpilint.findings import Report
from tests.conftest import REPO
from tests.test_action import kpilint_commands
from tests.test_ci_formats import FIXTURE, finding, render
from tests.test_precommit import GOALS, KPIS, TARGET_LINE, command_problems, git, git_env

SCHEMA_FILE = REPO / "tests" / "fixtures" / "gitlab" / "code-quality-report.schema.json"
TEMPLATE = REPO / "docs" / "gitlab-ci.yml"


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def errors(validator: jsonschema.protocols.Validator, data: Any) -> list[str]:
    return [error.message for error in validator.iter_errors(data)]


def test_code_quality_report_follows_gitlabs_format(
    validator: jsonschema.protocols.Validator,
) -> None:
    report = lint([FIXTURE], cwd=FIXTURE)
    issues = json.loads(render("gitlab", report))
    assert issues and errors(validator, issues) == []
    fingerprints = [issue["fingerprint"] for issue in issues]
    assert len(set(fingerprints)) == len(fingerprints)  # GitLab drops repeats


def test_code_quality_edge_cases_follow_gitlabs_format(
    validator: jsonschema.protocols.Validator,
) -> None:
    internal = finding("internal error", code="KPI000", name="internal-error", path="", line=0)
    odd = finding(path="my kpis/50% done#1.kpi.yaml", severity="info")
    issues = json.loads(render("gitlab", Report(findings=[internal, odd, odd])))
    assert errors(validator, issues) == []
    assert len({issue["fingerprint"] for issue in issues}) == 3


def test_the_schema_can_fail(validator: jsonschema.protocols.Validator) -> None:
    good = json.loads(render("gitlab", Report(findings=[finding()])))
    assert errors(validator, good) == []
    for breaking in (
        lambda i: i.pop("check_name"),
        lambda i: i.update(severity="error"),  # kpilint's word, not GitLab's
        lambda i: i["location"].pop("lines"),
        lambda i: i["location"].update(path="./kpis/team.kpi.yaml"),
        lambda i: i["location"]["lines"].update(begin=0),
    ):
        bad = json.loads(json.dumps(good))
        breaking(bad[0])
        assert errors(validator, bad), bad


# --- the .gitlab-ci.yml template ------------------------------------------------------------


def template() -> dict[str, Any]:
    data = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_template_reports_code_quality_and_junit() -> None:
    job = template()["kpilint"]
    assert job["artifacts"]["when"] == "always"
    reports = job["artifacts"]["reports"]
    script = "\n".join(job["script"])
    commands = kpilint_commands(script)
    outputs = {
        cmd[cmd.index("--format") + 1]: cmd[cmd.index("--output-file") + 1]
        for cmd in commands
        if "--output-file" in cmd
    }
    assert outputs == {"gitlab": reports["codequality"], "junit": reports["junit"]}
    diff = [cmd for cmd in commands if cmd[:1] == ["diff"]]
    assert diff and "--fail-on-governance" in diff[0]
    assert "$CI_MERGE_REQUEST_DIFF_BASE_SHA" in script
    assert [p for cmd in commands for p in command_problems(cmd)] == []
    assert "\t" not in TEMPLATE.read_text(encoding="utf-8")


def test_readme_shows_the_template() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"```yaml\n{TEMPLATE.read_text(encoding='utf-8')}```\n" in readme


def run_job(workspace: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The template's script lines in one bash, as a GitLab runner runs them (errexit)."""
    job = template()["kpilint"]
    variables = {key: str(value) for key, value in job["variables"].items()}
    script = "\n".join(job["script"])
    full = {**git_env(), **variables, **env}
    full["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), full["PATH"]])
    full["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=workspace,
        env=full,
        capture_output=True,
        text=True,
        timeout=300,
    )


def merge_request(tmp_path: Path, head: str) -> tuple[Path, str]:
    """An origin with main, and a shallow clone of a merge request branch on top of it."""
    env = git_env()
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, env, "init", "-q", "-b", "main")
    (origin / "kpilint.toml").write_text("today = 2027-06-01\n", encoding="utf-8")
    (origin / "goals.kpi.yaml").write_text(GOALS, encoding="utf-8")
    (origin / "kpis.kpi.yaml").write_text(KPIS, encoding="utf-8")
    git(origin, env, "add", "-A")
    git(origin, env, "commit", "-q", "-m", "base")
    base = git(origin, env, "rev-parse", "HEAD")
    git(origin, env, "checkout", "-q", "-b", "mr")
    (origin / "kpis.kpi.yaml").write_text(head, encoding="utf-8")
    git(origin, env, "commit", "-q", "-am", "merge request")
    git(origin, env, "config", "uploadpack.allowAnySHA1InWant", "true")
    workspace = tmp_path / "build"
    git(
        tmp_path, env, "clone", "-q", "--depth=1", "--branch", "mr", origin.as_uri(), str(workspace)
    )
    return workspace, base


@pytest.mark.slow
@pytest.mark.parametrize(
    ("comment", "status"),
    [("", 1), ("  # kpilint: ignore[KPI801] the market shrank, agreed with the CFO", 0)],
    ids=["lowered", "lowered-with-a-reason"],
)
def test_template_runs_on_a_merge_request(
    tmp_path: Path, validator: jsonschema.protocols.Validator, comment: str, status: int
) -> None:
    lowered = TARGET_LINE.replace("value: 120", "value: 100").rstrip("\n") + comment + "\n"
    workspace, base = merge_request(tmp_path, KPIS.replace(TARGET_LINE, lowered))
    env = {
        "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
        "CI_MERGE_REQUEST_DIFF_BASE_SHA": base,
    }
    done = run_job(workspace, env)
    assert done.returncode == status, done.stdout + done.stderr
    assert f"kpilint diff against main ({base})" in done.stdout
    if status:
        assert re.search(r"kpis\.kpi\.yaml:\d+:5: KPI801 \[warning\]", done.stdout)
    quality = json.loads((workspace / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert errors(validator, quality) == []
    junit = ET.parse(workspace / "kpilint-junit.xml").getroot()
    assert junit.tag == "testsuites"
    # outside a merge request the job lints only
    done = run_job(workspace, {})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "kpilint diff" not in done.stdout
