"""Suppression comments: applied after rules ran; KPI008-KPI011."""

from __future__ import annotations

from datetime import date

from kpilint import lint
from tests.conftest import WriteProject, invoke_in

BASE = """
goals:
  - id: g
    name: G
    kind: revenue
kpis:
  - id: page-views{comment}
    name: Page views
    goal: g
    owner: web
    target: {{value: 10, unit: views, direction: increase, baseline: 9}}
    timeline: {{start: 2027-01-01, end: 2027-12-31, review: monthly}}
"""


def rows(write_project: WriteProject, comment: str, head: str = "") -> list[tuple[str, int, int]]:
    root = write_project({"a.kpi.yaml": head + BASE.lstrip("\n").format(comment=comment)})
    report = lint([root], cwd=root, today=date(2027, 6, 1))
    return [(f.code, f.line, f.column) for f in report.findings]


def test_unsuppressed(write_project: WriteProject) -> None:
    assert rows(write_project, "") == [("KPI601", 6, 5)]


def test_line_suppression_by_code_and_name(write_project: WriteProject) -> None:
    assert rows(write_project, "  # kpilint: ignore[KPI601] awareness pilot") == []
    assert rows(write_project, "  # kpilint: ignore[vanity-metric-kpi] pilot") == []


def test_selectors_read_as_select_reads_them(write_project: WriteProject) -> None:
    """FORMAT.md: SEL is a rule code, name or code prefix, as ``--select`` takes them."""
    for selector in ("KPI6", "KPI", "kpi60", "ALL", "all"):
        assert rows(write_project, f"  # kpilint: ignore[{selector}] pilot") == [], selector
    assert rows(write_project, "  # kpilint: ignore[KPX] pilot") == [
        ("KPI601", 6, 5),
        ("KPI008", 6, 21),
    ]


def test_suppression_without_reason_still_silences(write_project: WriteProject) -> None:
    assert rows(write_project, "  # kpilint: ignore[KPI601]") == [("KPI009", 6, 21)]


def test_unused_suppression(write_project: WriteProject) -> None:
    assert rows(write_project, "  # kpilint: ignore[KPI101] has one") == [
        ("KPI601", 6, 5),
        ("KPI010", 6, 21),
    ]


def test_partly_used_suppression_is_not_unused(write_project: WriteProject) -> None:
    assert rows(write_project, "  # kpilint: ignore[KPI601, KPI101] why") == []


def test_one_unknown_rule_makes_the_whole_comment_malformed(write_project: WriteProject) -> None:
    assert rows(write_project, "  # kpilint: ignore[KPI601, no-such-rule] why") == [
        ("KPI601", 6, 5),
        ("KPI008", 6, 21),
    ]


def test_unknown_rule_in_suppression_is_malformed_not_unused(
    write_project: WriteProject,
) -> None:
    root = write_project(
        {"a.kpi.yaml": BASE.lstrip("\n").format(comment="  # kpilint: ignore[nope] x")}
    )
    findings = lint([root], cwd=root, today=date(2027, 6, 1)).findings
    assert [(f.code, f.line, f.column) for f in findings] == [("KPI601", 6, 5), ("KPI008", 6, 21)]
    assert "no rule is called 'nope'" in findings[1].message
    assert findings[1].fix.edits == ()


def test_file_suppression(write_project: WriteProject) -> None:
    head = "# kpilint: ignore-file[KPI6] a brand catalogue\n"
    assert rows(write_project, "", head) == []
    assert rows(write_project, "", "# kpilint: ignore-file[KPI5] nothing\n") == [
        ("KPI010", 1, 1),
        ("KPI601", 7, 5),
    ]


def test_suppression_for_a_disabled_rule_is_not_unused(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": BASE.format(comment="  # kpilint: ignore[KPI601] x")})
    report = lint(
        [root], cwd=root, today=date(2027, 6, 1), overrides={"select": ("KPI1", "KPI010")}
    )
    assert report.findings == []


def test_comment_text_inside_a_string_is_not_a_suppression(write_project: WriteProject) -> None:
    root = write_project(
        {
            "a.kpi.yaml": BASE.format(comment="")
            + '    description: "see # kpilint: ignore[KPI601] in docs"\n'
        }
    )
    report = lint([root], cwd=root, today=date(2027, 6, 1))
    assert [(f.code, f.line, f.column) for f in report.findings] == [("KPI601", 6, 5)]


MISSPELT = """\
goals:
  - id: arr-2027
    name: ARR 2027
    period: {start: 2027-01-01, end: 2027-12-31}
kpis:
  - id: mrr  # kpilint: ignroe[kpi3o5, missing-ownr] the board extended it
    name: MRR
    goal: arr-2027
    timeline: {start: 2027-01-01, end: 2028-03-31, review: monthly}
"""


def test_kpi008_unsafe_fix_writes_the_close_rule_and_directive(
    write_project: WriteProject,
) -> None:
    root = write_project({"a.kpi.yaml": MISSPELT})
    args = ("check", "--today", "2027-06-01", "--select", "KPI008,KPI104,KPI305,KPI010")
    code, output = invoke_in(root, *args, "--fix", ".")
    assert (root / "a.kpi.yaml").read_text() == MISSPELT  # unsafe: not with --fix alone
    assert "a.kpi.yaml:6:14: KPI008" in output and "did you mean 'ignore'?" in output
    code, output = invoke_in(root, *args, "--fix", "--unsafe-fixes", ".")
    fixed = MISSPELT.replace("ignroe[kpi3o5, missing-ownr]", "ignore[KPI305, missing-owner]")
    assert (root / "a.kpi.yaml").read_text() == fixed
    assert code == 0 and "All checks passed" in output, output  # now it silences both


def test_entity_wide_suppression_survives_fix(write_project: WriteProject) -> None:
    text = MISSPELT.replace("ignroe[kpi3o5, missing-ownr]", "ignore[KPI305]")
    root = write_project({"a.kpi.yaml": text})
    code, output = invoke_in(root, "check", "--today", "2027-06-01", "--fix", ".")
    assert (root / "a.kpi.yaml").read_text() == text
    assert code == 1 and "KPI305" not in output and "KPI010" not in output  # KPI101 etc.
