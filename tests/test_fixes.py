"""--fix, --unsafe-fixes and --diff: text edits that keep everything else byte for byte."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kpilint.findings import Edit, Finding, Fix, Report
from kpilint.fixes import FileFix, still_parses
from tests.conftest import WriteProject, invoke_in

SOURCE = """\
# Sales KPIs: comments and 'quoting' must survive.
goals:
  - id: g
    name: "Goal"   # trailing comment
    kind: revenue
kpis:
  - id: k
    name: K
    goal: g
    owner: 'cfo'
    metric: m
    target: at least 1,200 signups  # text
    timline: {start: 2027-01-01, end: 2027-12-31, review: monthly}
  - id: old  # kpilint: ignore[KPI601] stale comment
    name: Old
    goal: g
    owner: x
    target: {value: 3, unit: deals, direction: increase, baseline: 2}
    timeline: {start: 2026-01-01, end: 2026-12-31, review: monthly}
metrics:
  - id: m
    name: Sign-ups
    unit: signups
    source: hubspot
"""

FIXED_SAFE = """\
# Sales KPIs: comments and 'quoting' must survive.
goals:
  - id: g
    name: "Goal"   # trailing comment
    kind: revenue
kpis:
  - id: k
    name: K
    goal: g
    owner: 'cfo'
    metric: m
    target: {value: 1200, unit: signups, direction: increase}  # at least 1,200 signups  # text
    timeline: {start: 2027-01-01, end: 2027-12-31, review: monthly}
  - id: old
    name: Old
    goal: g
    owner: x
    target: {value: 3, unit: deals, direction: increase, baseline: 2}
    timeline: {start: 2026-01-01, end: 2026-12-31, review: monthly}
metrics:
  - id: m
    name: Sign-ups
    unit: signups
    source: hubspot
"""


def invoke(root: Path, *args: str) -> tuple[int, str]:
    return invoke_in(root, "check", "--today", "2027-06-01", *args)


def test_safe_fixes_keep_everything_else(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": SOURCE})
    path = root / "a.kpi.yaml"
    path.chmod(0o640)
    code, output = invoke(root, "--fix")
    assert path.read_text() == FIXED_SAFE
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert "Fixed 3 findings in 1 file." in output
    assert "a.kpi.yaml:19:5: KPI302 [warning]" in output  # unsafe: reported, not applied
    assert code == 0  # the remaining findings are warnings/infos


def test_fix_is_idempotent(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": SOURCE})
    invoke(root, "--fix")
    once = (root / "a.kpi.yaml").read_bytes()
    _, output = invoke(root, "--fix")
    assert (root / "a.kpi.yaml").read_bytes() == once
    assert "Fixed" not in output


def test_unsafe_fix_retires_the_expired_kpi(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": SOURCE})
    invoke(root, "--fix", "--unsafe-fixes")
    text = (root / "a.kpi.yaml").read_text()
    assert (
        "    timeline: {start: 2026-01-01, end: 2026-12-31, review: monthly}\n    status: retired\n"
        in text
    )


def test_unsafe_fix_in_a_flow_mapping_and_an_existing_status(write_project: WriteProject) -> None:
    root = write_project(
        {
            "a.kpi.yaml": "kpis:\n"
            "  - {id: a, name: A, timeline: {end: 2026-01-01}}\n"
            "  - id: b\n    status: draft\n    name: B\n    timeline: {end: 2026-01-01}\n"
        }
    )
    invoke(root, "--fix", "--unsafe-fixes", "--select", "KPI302")
    assert (root / "a.kpi.yaml").read_text() == (
        "kpis:\n"
        "  - {id: a, name: A, timeline: {end: 2026-01-01}, status: retired}\n"
        "  - id: b\n    status: retired\n    name: B\n    timeline: {end: 2026-01-01}\n"
    )


def test_crlf_and_bom_survive(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": ""})
    path = root / "a.kpi.yaml"
    raw = "\ufeff" + SOURCE.replace("\n", "\r\n")
    path.write_bytes(raw.encode("utf-8"))
    invoke(root, "--fix")
    assert path.read_bytes() == ("\ufeff" + FIXED_SAFE.replace("\n", "\r\n")).encode("utf-8")


def test_diff_prints_and_writes_nothing(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": SOURCE})
    code, output = invoke(root, "--diff")
    assert code == 1
    assert (root / "a.kpi.yaml").read_text() == SOURCE
    assert "--- a/a.kpi.yaml\n+++ b/a.kpi.yaml\n" in output
    assert "-    timline: {start" in output and "+    timeline: {start" in output
    assert "Would fix 3 findings." in output


def test_diff_with_nothing_to_fix_exits_0(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": FIXED_SAFE})
    code, output = invoke(root, "--diff")
    assert (code, output) == (0, "")


def test_diff_exit_code_follows_the_findings_not_the_fixes(write_project: WriteProject) -> None:
    """CLI.md: exit 1 means a finding at or above the fail level; --diff writes nothing."""
    text_target = "target: {value: 1200, unit: signups, direction: increase}"
    assert text_target in FIXED_SAFE
    only_info = FIXED_SAFE.replace(
        text_target + "  # at least 1,200 signups", "target: at least 1,200 signups"
    )
    code, output = invoke(write_project({"a.kpi.yaml": only_info}), "--diff")
    assert code == 0  # a fixable KPI208 (info) is below the default fail level
    assert "+    target: {value: 1200" in output and "Would fix 1 finding." in output
    no_target = FIXED_SAFE.replace(f"    {text_target}  # at least 1,200 signups  # text\n", "")
    assert no_target != FIXED_SAFE
    code, output = invoke(write_project({"a.kpi.yaml": no_target}), "--diff")
    assert (code, output) == (1, "")  # KPI101 (error) has no fix


def test_no_write_when_the_result_would_not_parse(tmp_path: Path) -> None:
    path = tmp_path / "a.kpi.yaml"
    text = "kpis:\n  - id: a\n"
    broken = FileFix(path, "a.kpi.yaml", text, "kpis: [\n", False)
    assert not still_parses(broken)
    assert still_parses(FileFix(path, "a.kpi.yaml", text, text, False))


def test_overlapping_edits_wait_for_the_next_round() -> None:
    from kpilint.fixes import _apply_edits

    def finding(*edits: Edit) -> Finding:
        return Finding("KPI003", "x", "error", "a", 1, 1, None, "m", Fix("f", "safe", edits))

    out, applied = _apply_edits("abcdef", [finding(Edit(0, 3, "X")), finding(Edit(2, 4, "Y"))])
    assert (out, len(applied)) == ("Xdef", 1)


@pytest.mark.parametrize("args", [["--fix"], ["--diff"]])
def test_fix_never_touches_unnamed_files(write_project: WriteProject, args: list[str]) -> None:
    root = write_project({"a.kpi.yaml": SOURCE, "b.kpi.yaml": SOURCE.replace("id: k", "id: k2")})
    code, output = invoke(root, *args, "a.kpi.yaml")
    assert code == (0 if args == ["--fix"] else 1), output  # --diff leaves the errors
    if args == ["--fix"]:
        assert (root / "a.kpi.yaml").read_text() != SOURCE
    else:
        assert "--- a/a.kpi.yaml" in output
    assert (root / "b.kpi.yaml").read_text() == SOURCE.replace("id: k", "id: k2")


# --- the file system under --fix ------------------------------------------------------

TYPO = "kpis:\n  - id: a\n    name: A\n    ownr: x\n"
TYPO_FIXED = "kpis:\n  - id: a\n    name: A\n    owner: x\n"


def test_read_only_folder_is_a_message_not_a_traceback(write_project: WriteProject) -> None:
    root = write_project({"kpis/a.kpi.yaml": TYPO})
    folder = root / "kpis"
    folder.chmod(0o555)
    try:
        code, out = invoke(root, "--fix")
    finally:
        folder.chmod(0o755)
    assert code == 1 and "Traceback" not in out
    assert "kpilint: not fixed kpis/a.kpi.yaml: its folder is read-only" in out
    assert (folder / "a.kpi.yaml").read_text() == TYPO


def test_read_only_file_is_not_replaced(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": TYPO})
    path = root / "a.kpi.yaml"
    path.chmod(0o444)
    inode = path.stat().st_ino
    code, out = invoke(root, "--fix")
    assert code == 1 and "kpilint: not fixed a.kpi.yaml: the file is read-only" in out
    assert path.read_text() == TYPO and path.stat().st_ino == inode
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another group needs root")
def test_fix_keeps_owner_and_group(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": TYPO})
    path = root / "a.kpi.yaml"
    os.chown(path, 1, 1)
    path.chmod(0o640)
    invoke(root, "--fix")
    st = path.stat()
    assert path.read_text() == TYPO_FIXED
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (1, 1, 0o640)


def test_named_symlink_is_fixed_at_its_target(write_project: WriteProject) -> None:
    root = write_project({"real/a.kpi.yaml": TYPO})
    (root / "link.kpi.yaml").symlink_to("real/a.kpi.yaml")
    _, out = invoke(root, "--fix", "link.kpi.yaml")
    assert "Fixed 1 finding in 1 file." in out
    assert (root / "link.kpi.yaml").is_symlink()
    assert (root / "real" / "a.kpi.yaml").read_text() == TYPO_FIXED


def test_symlink_out_of_the_project_is_not_fixed(
    write_project: WriteProject, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.kpi.yaml"
    outside.write_text(TYPO)
    root = write_project({})
    (root / "link.kpi.yaml").symlink_to(outside)
    code, out = invoke(root, "--fix", "link.kpi.yaml")
    assert code == 0 and outside.read_text() == TYPO  # never read (SOURCES.md "Files")
    assert (root / "link.kpi.yaml").is_symlink()
    assert "not read link.kpi.yaml: it resolves outside the project root" in out


def test_file_edited_during_the_run_is_left_alone(write_project: WriteProject) -> None:
    from datetime import date

    from kpilint import lint
    from kpilint.fixes import fix_loop

    root = write_project({"a.kpi.yaml": TYPO})
    path = root / "a.kpi.yaml"
    edited = "kpis:\n  - id: a\n    name: Important name\n    ownr: x\n"
    calls = []

    def relint() -> Report:
        report = lint([root], cwd=root, today=date(2027, 6, 1))
        if not calls:
            path.write_text(edited)  # the user saves while kpilint runs
        calls.append(1)
        return report

    _, result = fix_loop(relint, root, unsafe=False)
    assert path.read_text() == edited  # not "Impgoalnt name": no stale offsets
    assert result.skipped == [("a.kpi.yaml", "it changed while kpilint ran; run kpilint again")]


# --- issue 10 items 2 and 7: a fix is valid YAML, says the same, or is not offered -----

BLOCK_SCALAR = """\
kpis:
  - id: a
    name: A
    ownr: x
    target: >-
      at most 3 days
    timeline: {end: 2027-12-31}
"""


def test_block_scalar_target_is_replaced_whole(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": BLOCK_SCALAR})
    code, output = invoke(root, "--diff", "--select", "KPI003,KPI208")
    assert code == 1  # KPI003 is an error; --diff writes nothing
    assert "-    target: >-\n-      at most 3 days\n" in output
    assert (
        "+    target: {value: 3, unit: days, direction: decrease}  # at most 3 days\n"
        "     timeline: {end: 2027-12-31}\n"
    ) in output
    assert "Would fix 2 findings." in output
    _, output = invoke(root, "--fix", "--select", "KPI003,KPI208")
    assert "Fixed 2 findings in 1 file." in output and "would not parse" not in output
    assert (root / "a.kpi.yaml").read_text() == (
        "kpis:\n  - id: a\n    name: A\n    owner: x\n"
        "    target: {value: 3, unit: days, direction: decrease}  # at most 3 days\n"
        "    timeline: {end: 2027-12-31}\n"
    )


def test_a_literal_block_scalar_keeps_its_text_on_one_comment_line(
    write_project: WriteProject,
) -> None:
    root = write_project(
        {"a.kpi.yaml": BLOCK_SCALAR.replace(">-", "|").replace("    timeline", "\n    timeline")}
    )
    invoke(root, "--fix", "--select", "KPI208")
    text = (root / "a.kpi.yaml").read_text()
    assert "    target: {value: 3, unit: days, direction: decrease}  # at most 3 days\n\n" in text


def _finding(path: str, *edits: Edit) -> Finding:
    return Finding(
        "KPI010",
        "n",
        "info",
        path,
        1,
        1,
        None,
        "m",
        Fix("f", "safe", edits),
        None,
        None,
        None,
        f"fp{edits[0].start}",
    )


def test_one_refused_fix_never_blocks_the_others(tmp_path: Path) -> None:
    from kpilint.fixes import fix_loop, plan

    text = "a: 1\nb: 2\n"
    (tmp_path / "a.yaml").write_text(text)
    breaks = (_finding("a.yaml", Edit(0, 1, "[")),)
    good = _finding("a.yaml", Edit(8, 9, "3"))
    report = Report(findings=[breaks[0], good])
    [fix] = plan(report, tmp_path, unsafe=False)
    assert (fix.after, fix.fixed, fix.refused) == ("a: 1\nb: 3\n", [good], [breaks[0]])
    calls = []

    def relint() -> Report:
        calls.append(1)
        return report if len(calls) == 1 else Report(findings=[breaks[0]])

    final, result = fix_loop(relint, tmp_path, unsafe=False)
    assert (tmp_path / "a.yaml").read_text() == "a: 1\nb: 3\n"
    assert (result.fixed, result.refused) == (1, ["a.yaml"])
    # what would not parse is no longer offered: "N fixable" counts only real fixes
    assert [f.fix.applicability for f in final.findings] == ["none"]


def test_edits_of_one_fix_never_interleave_with_another() -> None:
    from kpilint.fixes import _apply_edits

    def finding(*edits: Edit) -> Finding:
        return Finding("KPI208", "x", "info", "a", 1, 1, None, "m", Fix("f", "safe", edits))

    far = finding(Edit(0, 2, "X"), Edit(8, 8, "Z"))  # the target, and timeline.end further on
    between = finding(Edit(4, 9, "Y"))
    out, applied = _apply_edits("abcdefghij", [far, between])
    assert (out, applied) == ("XcdefghZij", [far])


KEYS = """\
kpis:
  - id: a
    name: A
    Goal: arr
    gaol: revenue
"""


def test_two_misspellings_of_one_key_rename_at_most_one(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": KEYS})
    invoke(root, "--fix", "--select", "KPI003")
    text = (root / "a.kpi.yaml").read_text()
    assert text == KEYS.replace("    Goal:", "    goal:")  # the exact match; gaol stays
    invoke(root, "--fix", "--select", "KPI003")
    assert (root / "a.kpi.yaml").read_text() == text  # never onto a key that exists


ALIASED = """\
kpis:
  - id: a
    name: A
    target: &t {valu: 1, Value: 3}
  - id: b
    name: B
    timeline: *t
"""


def test_one_mapping_in_two_places_is_claimed_against_each_place_keys() -> None:
    # The alias puts one mapping under target (where 'Value' may become 'value')
    # and under timeline (where nothing is close): each place is judged alone.
    import tempfile

    from kpilint import lint

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "kpilint.toml").write_text("")
        (root / "a.kpi.yaml").write_text(ALIASED)
        found = [f for f in lint([root], cwd=root).findings if f.code == "KPI003"]
    # (the known keys listed after "use one of:" are the format's, not this test's)
    assert [(f.line, f.column, f.key, f.fix.description.split(",")[0]) for f in found] == [
        (4, 17, "target.valu", "Remove 'valu'"),
        (4, 17, "timeline.valu", "Remove 'valu'"),
        (4, 26, "target.Value", "Rename 'Value' to 'value'"),
        (4, 26, "timeline.Value", "Remove 'Value'"),
    ]


MERGED = """\
kpis:
  - &base
    id: base
    name: Base
    timeline: {end: 2026-12-31}
  - <<: *base
    id: merged
    name: Merged
  - id: own
    name: Own
    timeline: {end: 2026-12-31}
"""


def test_unsafe_fix_never_edits_through_an_alias_or_merge(write_project: WriteProject) -> None:
    root = write_project({"a.kpi.yaml": MERGED})
    invoke(root, "--fix", "--unsafe-fixes", "--select", "KPI302")
    text = (root / "a.kpi.yaml").read_text()
    assert text == MERGED.replace(
        "    timeline: {end: 2026-12-31}\n",
        "    timeline: {end: 2026-12-31}\n    status: retired\n",
    ).replace("    status: retired\n  - <<: *base", "  - <<: *base", 1)
    assert text.count("status: retired") == 1  # only 'own': its own text, no anchor, no merge


def test_a_comment_on_the_block_scalar_header_is_kept(write_project: WriteProject) -> None:
    text = BLOCK_SCALAR.replace("target: >-", "target: >- # the board asked for this")
    root = write_project({"a.kpi.yaml": text})
    invoke(root, "--fix", "--select", "KPI208")
    assert (
        "    target: {value: 3, unit: days, direction: decrease}"
        "  # at most 3 days  # the board asked for this\n"
    ) in (root / "a.kpi.yaml").read_text()


ANCHORED = """\
kpis:
  - id: a
    name: A
    target: at least 5 by 2030
    timeline: &tl {start: 2026-01-01}
  - id: b
    name: B
    target: at least 6
    timeline: *tl
  - id: c
    name: C
    status: &s active
    timeline: {end: 2020-01-01}
  - id: d
    name: D
    status: *s
"""


def test_no_fix_edits_an_anchored_value(write_project: WriteProject) -> None:
    """timeline.end into `&tl` would reach b too; `status: &s` would lose its anchor."""
    root = write_project({"a.kpi.yaml": ANCHORED})
    _, output = invoke(root, "--diff", "--unsafe-fixes", "--select", "KPI208,KPI302")
    assert "Would fix 1 finding." in output and "would not parse" not in output  # never offered
    invoke(root, "--fix", "--unsafe-fixes", "--select", "KPI208,KPI302")
    assert (root / "a.kpi.yaml").read_text() == ANCHORED.replace(
        "    target: at least 6\n",
        "    target: {value: 6, direction: increase}  # at least 6\n",
    )
