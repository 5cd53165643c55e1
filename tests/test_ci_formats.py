"""CI report formats: SARIF, GitHub annotations, GitLab Code Quality, JUnit, Markdown.

Each is snapshot-tested from the shared fixture project; SARIF is validated
against the vendored official schema, and the escaping and fingerprint rules
that CI systems depend on are tested on purpose-built findings.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from jsonschema.validators import validator_for

from kpilint import lint
from kpilint.findings import EntityRef, Finding, Fix, Report, RuleInfo, Severity, Summary
from kpilint.reporters import FORMATS, RenderOptions, get
from tests.snapshot import assert_snapshot

HERE = Path(__file__).parent
FIXTURE = HERE / "fixtures" / "snapshot"
SCHEMA_FILE = HERE / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"
CI_FORMATS = ("sarif", "github", "gitlab", "junit", "markdown")


@pytest.fixture(scope="module")
def report() -> Report:
    return lint([FIXTURE], cwd=FIXTURE)


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def finding(
    message: str = "KPI 'x' has no target",
    *,
    code: str = "KPI101",
    name: str = "missing-target",
    severity: Severity = "error",
    path: str = "kpis/team.kpi.yaml",
    line: int = 3,
    column: int = 5,
    fix: str = "Add a target",
    entity: EntityRef | None = None,
    key: str | None = None,
    end: tuple[int, int] | None = None,
    fingerprint: str = "",
) -> Finding:
    return Finding(
        code=code,
        name=name,
        severity=severity,
        path=path,
        line=line,
        column=column,
        entity=entity if entity is not None else EntityRef("kpi", "x"),
        message=message,
        fix=Fix(fix),
        key=key,
        end_line=end[0] if end else None,
        end_column=end[1] if end else None,
        fingerprint=fingerprint,
    )


def render(fmt: str, report: Report) -> str:
    return get(fmt)(report, RenderOptions())


def moved_copy(tmp_path: Path, prefix: str) -> Report:
    """Lint a copy of the fixture project whose KPI file starts with ``prefix``."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    kpi = project / "team.kpi.yaml"
    kpi.write_text(prefix + kpi.read_text(encoding="utf-8"), encoding="utf-8")
    return lint([project], cwd=project)


# --- all formats -----------------------------------------------------------------------


def test_ci_formats_are_registered() -> None:
    for fmt in CI_FORMATS:
        assert FORMATS[fmt] == f"kpilint.reporters.{fmt}"


@pytest.mark.parametrize("fmt", CI_FORMATS)
def test_snapshot(report: Report, fmt: str) -> None:
    assert_snapshot(f"check.{fmt}", render(fmt, report))


@pytest.mark.parametrize("fmt", CI_FORMATS)
def test_empty_report_renders(fmt: str) -> None:
    out = render(fmt, Report(summary=Summary(files=2)))
    assert out.endswith("\n")
    assert "KPI" not in out


# --- SARIF -----------------------------------------------------------------------------


def test_vendored_schema_is_the_official_one() -> None:
    data = SCHEMA_FILE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == SCHEMA_SHA256
    schema = json.loads(data)
    assert schema["id"].startswith("https://docs.oasis-open.org/sarif/sarif/v2.1.0/")
    assert "draft-04" in schema["$schema"]
    assert (SCHEMA_FILE.parent / "LICENSE.md").read_text(encoding="utf-8").count("OASIS") >= 3


def test_sarif_validates_against_schema(
    report: Report, sarif_validator: jsonschema.protocols.Validator
) -> None:
    log = json.loads(render("sarif", report))
    errors = [e.message for e in sarif_validator.iter_errors(log)]
    assert errors == []


def test_schema_validation_can_fail(
    report: Report, sarif_validator: jsonschema.protocols.Validator
) -> None:
    log = json.loads(render("sarif", report))
    log["runs"][0]["results"][0]["level"] = "info"  # SARIF says "note"
    log["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert len(list(sarif_validator.iter_errors(log))) == 2


def test_sarif_edge_cases_validate(sarif_validator: jsonschema.protocols.Validator) -> None:
    internal = finding(
        "internal error: rule KPI101 failed",
        code="KPI000",
        name="internal-error",
        path="",
        entity=None,
    )
    spaced = finding(path="my kpis/50% done#1.kpi.yaml", end=(4, 9), key="target")
    rules = {"KPI101": RuleInfo("KPI101", "missing-target", "warning", "s", "w", "f")}
    log = json.loads(render("sarif", Report(findings=[internal, spaced], rules=rules)))
    assert list(sarif_validator.iter_errors(log)) == []
    run = log["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["KPI101", "KPI000"]
    first, second = run["results"]
    assert "locations" not in first  # no path: no location
    assert first["ruleIndex"] == 1
    physical = second["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "my%20kpis/50%25%20done%231.kpi.yaml"
    assert physical["region"] == {"startLine": 3, "startColumn": 5, "endLine": 4, "endColumn": 9}
    # Hand-built findings without fingerprints still get distinct, line-free ones.
    fps = [r["partialFingerprints"]["kpilint/v1"] for r in run["results"]]
    assert all(fps) and len(set(fps)) == 2


def test_sarif_rules_and_results(report: Report) -> None:
    log = json.loads(render("sarif", report))
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "kpilint"
    rules = driver["rules"]
    assert [r["id"] for r in rules] == sorted(report.rules)
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for rule in rules:
        info = report.rules[rule["id"]]
        assert rule["name"] == info.name
        assert rule["shortDescription"]["text"] == info.summary
        assert info.why in rule["help"]["text"] and info.fix in rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] == levels[info.severity]
    assert len(run["results"]) == len(report.findings)
    for result, f in zip(run["results"], report.findings, strict=True):
        assert result["ruleId"] == f.code
        assert rules[result["ruleIndex"]]["id"] == f.code
        assert result["level"] == levels[f.severity]
        assert result["message"]["text"].startswith(f.message)
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": f.path, "uriBaseId": "%SRCROOT%"}
        assert location["region"]["startLine"] == f.line
        assert location["region"]["startColumn"] == f.column
        assert result["partialFingerprints"] == {"kpilint/v1": f.fingerprint}


def test_sarif_fingerprints_survive_moved_lines(tmp_path: Path) -> None:
    def idents(r: Report) -> list[tuple[str, str, str]]:
        results = json.loads(render("sarif", r))["runs"][0]["results"]
        return [
            (
                x["ruleId"],
                x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                x["partialFingerprints"]["kpilint/v1"],
            )
            for x in results
        ]

    before, after = moved_copy(tmp_path / "a", ""), moved_copy(tmp_path / "b", "\n\n\n")
    assert idents(before) == idents(after)
    assert [f.line + 3 for f in before.findings] == [f.line for f in after.findings]


# --- GitHub ----------------------------------------------------------------------------


def test_github_escaping() -> None:
    from kpilint.reporters.github import annotation, escape_data, escape_property

    assert escape_data("100%\r\ndone: a, b") == "100%25%0D%0Adone: a, b"
    assert escape_property("100%\r\ndone: a, b") == "100%25%0D%0Adone%3A a%2C b"
    f = finding(
        "50% done: a, b\n::error::injected",
        path="a,b:c.kpi.yaml",
        fix="Set 100%",
        end=(3, 9),
    )
    assert annotation(f) == (
        "::error file=a%2Cb%3Ac.kpi.yaml,line=3,col=5,endLine=3,endColumn=9,"
        "title=KPI101 missing-target::"
        "50%25 done: a, b%0A::error::injected%0Afix: Set 100%25"
    )


def test_github_levels_groups_and_summary() -> None:
    findings = [
        finding("no file", path="", code="KPI000", name="internal-error", entity=None),
        finding("a", path="a.kpi.yaml", severity="warning"),
        finding("b", path="a.kpi.yaml", severity="info", line=7),
        finding("c", path="b.kpi.yaml"),
    ]
    out = render("github", Report(findings=findings, summary=Summary(files=3)))
    lines = out.splitlines()
    assert lines[0] == "::group::kpilint (no file)"
    assert lines[1] == "::error title=KPI000 internal-error::no file%0Afix: Add a target"
    assert lines[3] == "::group::a.kpi.yaml"
    assert lines[4].startswith("::warning file=a.kpi.yaml,line=3,col=5,")
    assert lines[5].startswith("::notice file=a.kpi.yaml,line=7,")
    assert lines.count("::endgroup::") == 3
    assert lines[-1] == "kpilint: 4 findings (2 errors, 1 warning, 1 info) in 3 files."
    assert all(line.startswith("::") for line in lines[:-1])


def test_github_snapshot_has_one_command_per_finding(report: Report) -> None:
    lines = render("github", report).splitlines()
    commands = [line for line in lines if re.match(r"::(error|warning|notice) ", line)]
    assert len(commands) == len(report.findings)
    assert lines[-1] == "kpilint: 5 findings (3 errors, 1 warning, 1 info) in 1 file."


# --- GitLab ----------------------------------------------------------------------------


def test_gitlab_shape_and_unique_fingerprints(report: Report) -> None:
    issues = json.loads(render("gitlab", report))
    assert len(issues) == len(report.findings)
    fps = [i["fingerprint"] for i in issues]
    assert len(set(fps)) == len(fps)
    severities = {"error": "major", "warning": "minor", "info": "info"}
    for issue, f in zip(issues, report.findings, strict=True):
        assert issue == {
            "description": f"{f.code} {f.message}",
            "check_name": f.code,
            "fingerprint": f.fingerprint,
            "severity": severities[f.severity],
            "location": {"path": f.path, "lines": {"begin": f.line}},
        }


def test_gitlab_fingerprints_stable_when_lines_move(tmp_path: Path) -> None:
    def by_fp(r: Report) -> dict[str, tuple[str, int]]:
        issues = json.loads(render("gitlab", r))
        return {
            i["fingerprint"]: (i["check_name"], i["location"]["lines"]["begin"]) for i in issues
        }

    before = by_fp(moved_copy(tmp_path / "a", ""))
    after = by_fp(moved_copy(tmp_path / "b", "# moved\n\n\n\n"))
    assert before.keys() == after.keys()
    assert len(before) == 5
    for fp, (code, line) in before.items():
        assert after[fp] == (code, line + 4)


def test_gitlab_repeated_findings_get_distinct_fingerprints() -> None:
    same = [finding(line=n) for n in (3, 9, 12)]  # same code, path, entity and key
    issues = json.loads(render("gitlab", Report(findings=same)))
    assert len({i["fingerprint"] for i in issues}) == 3


# --- JUnit -----------------------------------------------------------------------------


def test_junit_parses_and_counts(report: Report) -> None:
    root = ET.fromstring(render("junit", report))
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    failures = suite.findall("testcase/failure")
    n = len(report.findings)
    assert len(cases) == len(failures) == n
    for element in (root, suite):
        assert element.get("tests") == str(n)
        assert element.get("failures") == str(n)
        assert element.get("errors") == "0"
    for case, f in zip(cases, report.findings, strict=True):
        assert case.get("classname") == f.path
        failure = case.find("failure")
        assert failure is not None
        assert failure.get("type") == f.code
        assert failure.get("message") == f.message
        assert failure.text == (
            f"{f.path}:{f.line}:{f.column}: {f.code} [{f.severity}] {f.message}\n"
            f"fix: {f.fix.description}"
        )


def test_junit_clean_run_is_one_passing_case() -> None:
    root = ET.fromstring(render("junit", Report()))
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("1", "0")
    assert suite.findall("testcase/failure") == []


def test_junit_escapes_markup_and_control_characters() -> None:
    f = finding('a <b> & "c"\x1b[0m\nsecond line', path="x&y.kpi.yaml")
    root = ET.fromstring(render("junit", Report(findings=[f])))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == 'a <b> & "c"\\x1b[0m\\nsecond line'  # CLI.md: shown
    assert failure.text is not None and failure.text.startswith("x&y.kpi.yaml:3:5: KPI101")


# --- Markdown --------------------------------------------------------------------------


def _table_rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("| ") and "KPI" in line]


def _cells(row: str) -> list[str]:
    return re.split(r"(?<!\\)\|", row.strip())[1:-1]


def test_markdown_escapes_cells() -> None:
    f = finding("ratio a|b\nper @growth-team <b>*x*</b>", fix="Use `a|b`")
    out = render("markdown", Report(findings=[f], summary=Summary(files=1)))
    (row,) = _table_rows(out)
    cells = _cells(row)
    assert len(cells) == 5
    message = cells[3].strip()
    # The newline is shown as \n (CLI.md "Output safety"), its backslash escaped.
    assert message == r"ratio a\|b\\nper @<!-- -->growth-team \<b\>\*x\*\</b\>"
    assert cells[4].strip() == r"Use `a\|b`"  # kpilint's code span stays code
    assert "\n" not in row


def test_markdown_verdict_and_counts(report: Report) -> None:
    out = render("markdown", report)
    assert out.startswith("## kpilint report\n")
    assert "**Failed**: 5 findings (3 errors, 1 warning, 1 info) in 1 file" in out
    assert "| error | 3 |" in out and "| warning | 1 |" in out and "| info | 1 |" in out
    rows = _table_rows(out)
    assert len(rows) == len(report.findings)
    assert [_cells(r)[2].strip() for r in rows] == ["error", "error", "error", "warning", "info"]


def test_markdown_passes_below_fail_level() -> None:
    out = render("markdown", Report(findings=[finding(severity="info")], fail_on="error"))
    assert "**Passed**: 1 finding (1 info)" in out


def test_markdown_caps_rows() -> None:
    from kpilint.reporters.markdown import MAX_ROWS

    many = [finding(f"m{n}", line=n + 1, severity="warning") for n in range(MAX_ROWS + 7)]
    many.append(finding("the error", line=999))
    out = render("markdown", Report(findings=many))
    rows = _table_rows(out)
    assert len(rows) == MAX_ROWS
    assert "the error" in rows[0]  # most severe first, so the cap never hides an error
    assert "… and 8 more findings not shown." in out
