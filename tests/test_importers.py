"""Importers: GitLab handbook performance indicators and CSV registers.

The promise under test: `check --from FORMAT SRC` finds what `check` finds on the
KPI files `import --from FORMAT SRC` writes (same codes, same entities), and its
findings point at lines and columns of the source files.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from kpilint.cli import cli
from kpilint.config import Config
from kpilint.engine import lint
from kpilint.entities import KpiEntity
from kpilint.findings import Pos, Report
from kpilint.importers import IMPORTERS, gitlab, importer
from kpilint.importers import csv as csv_importer
from kpilint.importers.common import Slugs, slug
from kpilint.model import SLUG_PATTERN
from kpilint.targets import parse_target
from kpilint.validate import entities_of
from tests.conftest import GITLAB_CORPUS, NO_GITLAB_CORPUS, REPO

TODAY = date(2027, 1, 1)
FIXTURES = REPO / "tests" / "fixtures" / "importers"
EDGE = FIXTURES / "gitlab_edge_cases.yml"
CORPUS_FILES = sorted(GITLAB_CORPUS.glob("*.yml")) if GITLAB_CORPUS.is_dir() else []
needs_corpus = pytest.mark.skipif(not CORPUS_FILES, reason=NO_GITLAB_CORPUS)
MAX = 10 * 1024 * 1024


def findings_of(paths: list[Path], fmt: str | None = None) -> Report:
    """Lint with the default config, whatever config files sit above the paths."""
    return lint([str(p) for p in paths], Config(), today=TODAY, source_format=fmt)


def codes_and_entities(report: Report) -> Counter[tuple[str, str | None, str | None]]:
    return Counter(
        (f.code, f.entity.kind if f.entity else None, f.entity.id if f.entity else None)
        for f in report.findings
    )


def where(report: Report) -> set[tuple[str, str, int, int]]:
    return {(f.code, Path(f.path).name, f.line, f.column) for f in report.findings}


def is_key(entry: dict[str, Any]) -> bool:
    return entry.get("is_key") not in (None, False)  # Ruby's truthiness, as GitLab reads it


# --- GitLab: the corpus -----------------------------------------------------------------


@needs_corpus
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_every_corpus_file_converts_with_the_right_counts(path: Path) -> None:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    sf = gitlab.read(path, path.name, MAX)
    assert sf.problems == []
    kpis, metrics = sf.data.get("kpis", []), sf.data.get("metrics", [])
    assert len(kpis) == sum(is_key(e) for e in entries)
    assert len(metrics) == sum(not is_key(e) for e in entries)
    assert [k["name"] for k in kpis] == [e["name"].strip() for e in entries if is_key(e)]
    ids = [item["id"] for item in (*kpis, *metrics)]
    assert len(set(ids)) == len(ids)
    assert all(re.match(SLUG_PATTERN, i) and len(i) <= 64 for i in ids)
    entities = entities_of(sf)
    assert sf.problems == []  # every converted entity is valid KPI-file data
    assert len(entities) == len(entries)


@needs_corpus
def test_corpus_counts_match_the_files() -> None:
    report = findings_of([GITLAB_CORPUS], "gitlab-pi")
    entries = [e for p in CORPUS_FILES for e in yaml.safe_load(p.read_text(encoding="utf-8"))]
    assert report.summary.files == len(CORPUS_FILES) == 11
    assert report.summary.kpis == sum(is_key(e) for e in entries) == 63
    assert report.summary.metrics == sum(not is_key(e) for e in entries) == 94
    assert report.summary.goals == report.summary.incentives == 0
    assert not [f for f in report.findings if f.code in ("KPI000", "KPI001", "KPI002", "KPI003")]


@needs_corpus
def test_audit_counts_match_the_files() -> None:
    audit = pytest.importorskip("kpilint.audit")
    result = audit.audit([str(GITLAB_CORPUS)], Config(), today=TODAY, source_format="gitlab-pi")
    per_file = {
        p.name: sum(is_key(e) for e in yaml.safe_load(p.read_text(encoding="utf-8")))
        for p in CORPUS_FILES
    }
    assert result.totals.files == len(CORPUS_FILES)
    assert result.totals.kpis == sum(per_file.values())
    assert Counter(Path(row.path).name for row in result.kpis) == +Counter(per_file)
    orgs = {
        f"team:{slug(e['org'])}"
        for p in CORPUS_FILES
        for e in yaml.safe_load(p.read_text(encoding="utf-8"))
        if is_key(e)
    }
    assert {row.scope for row in result.scopes} == orgs


@needs_corpus
def test_every_corpus_target_is_classified() -> None:
    """Each KPI target is measurable or KPI201; no target text crashes the parser."""
    report = findings_of([GITLAB_CORPUS], "gitlab-pi")
    unmeasurable = {(Path(f.path).name, f.entity.id) for f in report.findings if f.code == "KPI201"}
    assert unmeasurable  # the corpus has TBD-like KPI targets
    seen = 0
    for path in CORPUS_FILES:
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
            if entry.get("target") not in (None, ""):
                parse_target(str(entry["target"]))  # metrics' targets too: never raises
        sf = gitlab.read(path, path.name, MAX)
        for kpi in entities_of(sf):
            if not isinstance(kpi, KpiEntity) or kpi.target is None:
                continue
            seen += 1
            assert kpi.target.measurable != ((path.name, kpi.id) in unmeasurable), kpi
    assert seen == 63 - 13  # 13 KPIs have an empty target: KPI101, not a target to classify


# The findings of the corpus's smallest file: (code, file name, line, column).
SMALL_FILE_FINDINGS = {
    *(("KPI10" + n, "chief_of_staff_team.yml", 1, 3) for n in "12345"),
    ("KPI404", "chief_of_staff_team.yml", 16, 3),
}


@needs_corpus
def test_findings_point_into_the_source_files() -> None:
    small = GITLAB_CORPUS / "chief_of_staff_team.yml"
    assert where(findings_of([small], "gitlab-pi")) == SMALL_FILE_FINDINGS
    incubation = findings_of([GITLAB_CORPUS / "incubation_engineering_department.yml"], "gitlab-pi")
    on_targets = {(f.code, f.line, f.column, f.key) for f in incubation.findings if f.key}
    assert on_targets == {
        ("KPI202", 5, 3, "target"),
        ("KPI203", 5, 3, "target"),
        ("KPI204", 5, 3, "target"),
        ("KPI208", 5, 3, "target"),
        ("KPI203", 16, 3, "target"),
        ("KPI204", 16, 3, "target"),
        ("KPI208", 16, 3, "target"),
    }
    assert {f.entity.id for f in incubation.findings if f.entity} == {
        "seg-category-maturity",
        "community-engagement",
    }


@needs_corpus
def test_yaml_11_is_key_yes_is_a_kpi_and_noted() -> None:
    path = GITLAB_CORPUS / "infrastructure_archived_department.yml"
    assert "  is_key: yes\n" in path.read_text(encoding="utf-8")
    result = gitlab.convert(path, path.name, MAX)
    ids = [k["id"] for k in result.source.data["kpis"]]
    assert "infrastructure-team-member-retention" in ids
    assert [(n.pos, n.message.split(";")[0]) for n in result.notes if n.pos] == [
        (Pos(123, 3), "`is_key: yes` is a YAML 1.1 boolean")
    ]


@needs_corpus
def test_import_then_check_equals_check_from_on_the_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        cli, ["import", "--from", "gitlab-pi", str(GITLAB_CORPUS), "-o", "out"]
    )
    assert result.exit_code == 0, result.output
    written = sorted((tmp_path / "out").glob("*.kpi.yaml"))
    assert [p.name.replace(".kpi.yaml", ".yml") for p in written] == [p.name for p in CORPUS_FILES]
    source = findings_of([GITLAB_CORPUS], "gitlab-pi")
    imported = findings_of([tmp_path / "out"])
    assert codes_and_entities(imported) == codes_and_entities(source)
    assert {"KPI101", "KPI102", "KPI103", "KPI105", "KPI201", "KPI005"} <= {
        c for c, _, _ in codes_and_entities(source)
    }  # GitLab has no goals, timelines or cadences: those findings are real


@needs_corpus
def test_check_from_on_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    small = GITLAB_CORPUS / "chief_of_staff_team.yml"
    runner = CliRunner()
    result = runner.invoke(
        cli,
        ["check", "--from", "gitlab-pi", "--today", "2027-01-01", "--format", "json", str(small)],
    )
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert {
        (f["code"], Path(f["path"]).name, f["line"], f["column"]) for f in report["findings"]
    } == SMALL_FILE_FINDINGS
    refused = runner.invoke(cli, ["check", "--from", "gitlab-pi", "--fix", str(small)])
    assert refused.exit_code == 2
    assert "import --from gitlab-pi" in refused.output
    unknown = runner.invoke(cli, ["check", "--from", "jira", str(small)])
    assert unknown.exit_code == 2


# --- GitLab: edge cases -----------------------------------------------------------------


def test_gitlab_edge_cases_convert_as_documented() -> None:
    result = gitlab.convert(EDGE, "edge.yml", MAX)
    data = result.source.data
    assert data["kpis"] == [
        {
            "id": "deploys-per-day",
            "name": "Deploys per day",
            "description": "How often we deploy.",
            "owner": "Some & One",  # the text of the DRI's link
            "scope": "team:delivery-team",
            "target": ".25",  # a number target stays as written
        },
        {
            "id": "deploys-per-day-2",
            "name": "Deploys per day",
            "description": "The same name again, so the id gets a suffix.",
            "scope": "team:delivery-team",
            "target": "TBD",
        },
        {
            "id": "mapping-target",
            "name": "Mapping target",
            "scope": "team:delivery-team",
            "target": {"value": 5, "unit": "days", "direction": "decrease"},
        },
        {"id": "quoted-flag", "name": "Quoted flag", "target": "3 per month"},
    ]
    assert data["metrics"] == [{"id": "entry-3", "description": "An entry with no name."}]
    assert [(p.code, p.pos) for p in result.source.problems] == [("KPI002", Pos(21, 3))]
    assert [(n.pos.line if n.pos else None, n.message[:20]) for n in result.notes] == [
        (6, "`is_key: yes` is a Y"),
        (25, "`is_key: on` is a YA"),
        (27, '`is_key: "false"` is'),
        (None, "the target of 1 entr"),
    ]


def test_gitlab_edge_case_findings_are_located() -> None:
    report = findings_of([EDGE], "gitlab-pi")
    located = {
        (f.code, f.line, f.column, f.entity.id if f.entity else None) for f in report.findings
    }
    assert {
        ("KPI002", 21, 3, None),  # not a mapping
        ("KPI002", 17, 3, "entry-3"),  # no name: at the entry's first key
        ("KPI201", 14, 3, "deploys-per-day-2"),  # TBD, at `target:`
        ("KPI104", 12, 3, "deploys-per-day-2"),  # no dri
        ("KPI208", 4, 3, "deploys-per-day"),  # .25 parsed
    } <= located
    assert not [
        f for f in report.findings if f.code == "KPI104" and f.entity.id == "deploys-per-day"
    ]


def test_gitlab_import_reproduces_everything_but_source_only_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["import", "--from", "gitlab-pi", str(EDGE), "-o", "out"])
    assert result.exit_code == 0, result.output
    assert "KPI002 entry 4 is a single value" in result.stderr  # told at import time
    assert "is a YAML 1.1 boolean" in result.stderr
    text = (tmp_path / "out" / "gitlab_edge_cases.kpi.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Imported by `kpilint import --from gitlab-pi` from ")
    assert "target: '.25'" in text
    source = codes_and_entities(findings_of([EDGE], "gitlab-pi"))
    imported = codes_and_entities(findings_of([tmp_path / "out"]))
    assert source - imported == Counter({("KPI002", None, None): 1})  # the non-mapping entry
    assert imported - source == Counter()


@pytest.mark.parametrize(
    ("text", "code", "pos"),
    [
        ("- name: a\n  target: [unclosed\n", "KPI001", Pos(3, 1)),  # the stream end
        ("name: a\nis_key: true\n", "KPI001", Pos(1, 1)),
        ("just text\n", "KPI001", Pos(1, 1)),
        ("- name: a\n  is_key: !!python/object x\n", "KPI001", Pos(2, 11)),
    ],
)
def test_gitlab_files_that_do_not_convert(tmp_path: Path, text: str, code: str, pos: Pos) -> None:
    path = tmp_path / "pi.yml"
    path.write_text(text, encoding="utf-8")
    sf = gitlab.read(path, "pi.yml", MAX)
    assert [(p.code, p.pos) for p in sf.problems] == [(code, pos)]
    assert not sf.ok


def test_gitlab_empty_file_and_duplicate_keys(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yml"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    assert findings_of([empty], "gitlab-pi").findings == []
    twice = tmp_path / "twice.yml"
    twice.write_text("- name: A\n  is_key: true\n  target: 5%\n  target: 6%\n", encoding="utf-8")
    report = findings_of([twice], "gitlab-pi")
    dup = [f for f in report.findings if f.code == "KPI004"]
    assert [(f.line, f.column, f.entity.id if f.entity else None, f.key) for f in dup] == [
        (4, 3, "a", "target")
    ]


def test_gitlab_suppression_comments_work_in_the_source(tmp_path: Path) -> None:
    path = tmp_path / "pi.yml"
    path.write_text(
        "- name: A  # kpilint: ignore[KPI101] GitLab tracks it elsewhere\n  is_key: true\n",
        encoding="utf-8",
    )
    found = {(f.code, f.line, f.column) for f in findings_of([path], "gitlab-pi").findings}
    assert found == {  # KPI101 is suppressed
        ("KPI102", 1, 3),
        ("KPI103", 1, 3),
        ("KPI104", 1, 3),
        ("KPI105", 1, 3),
    }


def test_slugs() -> None:
    assert slug("Mean Time To Production (MTTP)") == "mean-time-to-production-mttp"
    assert slug("Café ‘UX’ debt") == "cafe-ux-debt"
    assert slug("日本") == ""
    assert len(slug("x" * 100)) == 64
    slugs = Slugs()
    assert [slugs.unique("a"), slugs.unique("a"), slugs.unique("a")] == ["a", "a-2", "a-3"]
    assert len(slugs.unique("y" * 64)) == len(slugs.unique("y" * 64)) == 64


# --- CSV -----------------------------------------------------------------------------

# fmt: off
REGISTER = [[
    "kind", "id", "name", "description", "goal_kind", "level", "start", "end", "goal", "metric",
    "owner", "scope", "target", "target_value", "target_unit", "direction", "baseline", "review",
    "last_reviewed", "category", "unit", "source", "source_type", "aggregation", "role", "kpis",
    "status",
]]
# fmt: on


def register_rows() -> list[dict[str, str]]:
    return [
        {"kind": "goal", "id": "arr-2027", "name": "Reach 5M USD ARR", "goal_kind": "revenue"}
        | {"level": "company", "start": "2027-01-01", "end": "2027-12-31", "owner": "ceo"},
        {"kind": "metric", "id": "mrr", "name": "Monthly recurring revenue", "category": "output"}
        | {"unit": "USD", "source": "stripe", "source_type": "automated", "aggregation": "sum"},
        {"kind": "metric", "id": "calls", "name": "Calls made", "category": "activity"}
        | {"unit": "calls", "source": "Sales sheet.xlsx", "source_type": "spreadsheet"},
        {"kind": "KPI", "id": "mrr", "name": "MRR, monthly", "goal": "arr-2027", "metric": "mrr"}
        | {"owner": "cfo", "scope": "team:sales", "target_value": "420,000", "target_unit": "USD"}
        | {"direction": "increase", "baseline": "300000", "start": "2027-01-01"}
        | {"end": "2027-12-31", "review": "Monthly", "last_reviewed": "2026-12-15"},
        {"kind": "kpi", "id": "calls-made", "name": "Calls made", "goal": "arr-2027; other"}
        | {"metric": "calls", "owner": "sdr lead", "scope": "team:sales"}
        | {"target": "at least 60 calls per day", "description": 'Says "dial", then\nmore'},
        {"id": "nps", "name": "NPS", "target": "TBD", "status": "draft"},
        {"kind": "incentive", "id": "sdr-plan", "name": "SDR plan", "role": "sdr"}
        | {"kpis": "calls-made"},
    ]


def write_csv(
    path: Path,
    header: list[str],
    rows: list[dict[str, str]] | list[list[str]],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    newline: str = "\r\n",
) -> None:
    """Write a CSV the way a spreadsheet does: quote cells that need it, CRLF endings."""

    def cell(text: str) -> str:
        if any(ch in text for ch in (delimiter, '"', "\n", "\r")):
            return '"' + text.replace('"', '""') + '"'
        return text

    lines = [delimiter.join(cell(h) for h in header)]
    for row in rows:
        values = [row.get(h, "") for h in header] if isinstance(row, dict) else row
        lines.append(delimiter.join(cell(v) for v in values))
    path.write_bytes((newline.join(lines) + newline).encode(encoding))


def test_csv_register_round_trips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    src = tmp_path / "register.csv"
    write_csv(src, REGISTER[0], register_rows())
    sf = csv_importer.read(src, "register.csv", MAX)
    assert sf.problems == []
    kpi = sf.data["kpis"][0]
    assert kpi["target"] == {
        "value": 420000,
        "unit": "USD",
        "direction": "increase",
        "baseline": 300000,
    }
    assert kpi["timeline"] == {
        "start": date(2027, 1, 1),
        "end": date(2027, 12, 31),
        "review": "monthly",
        "last_reviewed": date(2026, 12, 15),
    }
    assert sf.data["kpis"][1]["goal"] == ["arr-2027", "other"]
    assert sf.data["kpis"][1]["description"] == 'Says "dial", then\nmore'
    assert sf.data["goals"][0]["period"] == {"start": date(2027, 1, 1), "end": date(2027, 12, 31)}
    assert sf.data["incentives"] == [
        {"id": "sdr-plan", "name": "SDR plan", "role": "sdr", "kpis": ["calls-made"]}
    ]
    result = CliRunner().invoke(cli, ["import", "--from", "csv", "register.csv", "-o", "kpis"])
    assert result.exit_code == 0, result.output
    assert "Wrote kpis/register.kpi.yaml (1 goal, 2 metrics, 3 KPIs, 1 incentive)" in result.stdout
    source = findings_of([src], "csv")
    imported = findings_of([tmp_path / "kpis"])
    assert codes_and_entities(imported) == codes_and_entities(source)
    assert {"KPI006", "KPI201", "KPI501", "KPI701", "KPI102"} <= {
        f.code for f in source.findings
    }  # the comparison is not vacuous
    written = yaml.safe_load((tmp_path / "kpis" / "register.kpi.yaml").read_text("utf-8"))
    assert written["kpis"] == sf.data["kpis"]
    # Findings on the CSV point at its cells: row 6 holds a two-line description, so its
    # goal cell (with the unknown goal 'other') is on line 7, after `more",,,,,`.
    located = {
        (f.code, f.line, f.column, f.entity.id if f.entity else None) for f in source.findings
    }
    assert ("KPI006", 7, len('more",,,,,') + 1, "calls-made") in located
    assert ("KPI701", 4, len("metric,") + 1, "calls") in located  # an entity is at its id


def test_csv_broken_register_reports_rows_and_columns(tmp_path: Path) -> None:
    header = ["id", "Name", "descripton", "kind", "target_value", "end", "review", "Notes"]
    rows = [
        ["ok", "Fine", "", "kpi", "12", "2027-12-31", "monthly", ""],
        ["bad-number", "Bad number", "", "kpi", "lots", "", "", ""],
        ["bad-date", "Bad date", "", "", "", "31/12/2027", "", ""],
        ["bad-enum", "Bad enum", "", "KPI", "", "", "fortnightly", ""],
        ["bad-kind", "Bad kind", "", "objective", "", "", "", "", "stray"],
    ]
    src = tmp_path / "broken.csv"
    write_csv(src, header, rows, newline="\n")

    def col(row: list[str], index: int) -> int:
        return 1 + sum(len(c) + 1 for c in row[:index])

    report = findings_of([src], "csv")
    got = {(f.code, f.line, f.column) for f in report.findings if f.code in ("KPI002", "KPI003")}
    assert got == {
        ("KPI003", 1, col(header, 2)),  # descripton
        ("KPI003", 1, col(header, 7)),  # Notes
        ("KPI002", 3, col(rows[1], 4)),  # target_value lots
        ("KPI002", 4, col(rows[2], 5)),  # end 31/12/2027
        ("KPI002", 5, col(rows[3], 6)),  # review fortnightly
        ("KPI002", 6, col(rows[4], 3)),  # kind objective
        ("KPI003", 6, col(rows[4], 8)),  # a value in a column with no header
    }
    messages = {f.message for f in report.findings}
    assert "unknown column 'descripton'; did you mean 'description'?" in messages
    assert "KPI 'bad-number': 'target.value' is 'lots'; expected a number" in messages
    by_entity = {f.entity.id for f in report.findings if f.code == "KPI002" and f.entity}
    assert by_entity == {"bad-number", "bad-date", "bad-enum"}


def test_csv_columns_of_another_kind_are_unknown_keys_at_their_cell(tmp_path: Path) -> None:
    src = tmp_path / "mixed.csv"
    write_csv(src, ["kind", "id", "name", "unit", "level"], [["kpi", "k", "K", "USD", "team"]])
    report = findings_of([src], "csv")
    unknown = [(f.line, f.column, f.message) for f in report.findings if f.code == "KPI003"]
    assert unknown == [
        (2, len("kpi,k,K,") + 1, "KPI 'k': unknown key 'unit'"),
        (2, len("kpi,k,K,USD,") + 1, "KPI 'k': unknown key 'level'"),
    ]


def test_csv_bom_semicolons_and_decimal_commas(tmp_path: Path) -> None:
    src = tmp_path / "excel.csv"
    header = ["Id", "Name", "Target Value", "Baseline", "Target-Unit"]
    write_csv(src, header, [["a", "A", "1,5", "1,200", "%"]], delimiter=";", encoding="utf-8-sig")
    assert src.read_bytes().startswith(b"\xef\xbb\xbf")
    sf = csv_importer.read(src, "excel.csv", MAX)
    assert sf.problems == []
    assert sf.data["kpis"][0]["target"] == {"value": 1.5, "unit": "%", "baseline": 1200}
    assert sf.keys[("kpis", 0, "id")].pos == Pos(1 + 1, 1)  # the BOM takes no column


def test_csv_windows_1252_and_utf16_tabs(tmp_path: Path) -> None:
    ansi = tmp_path / "ansi.csv"
    write_csv(ansi, ["id", "name", "owner"], [["cafe", "Café revenue", "José"]], encoding="cp1252")
    result = csv_importer.convert(ansi, "ansi.csv", MAX)
    assert result.source.data["kpis"][0]["name"] == "Café revenue"
    assert [n.message for n in result.notes] == [
        "not UTF-8: read as Windows-1252, the encoding Excel saves CSV in"
    ]
    unicode_text = tmp_path / "unicode.csv"
    write_csv(unicode_text, ["id", "name"], [["x", "Naïve"]], delimiter="\t", encoding="utf-16")
    sf = csv_importer.read(unicode_text, "unicode.csv", MAX)
    assert sf.data == {"kpis": [{"id": "x", "name": "Naïve"}]}
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"id,name\x00\n")
    problems = csv_importer.read(binary, "binary.csv", MAX).problems
    assert [(p.code, p.pos) for p in problems] == [("KPI001", Pos(1, 1))]


def test_csv_tokenizer_and_numbers() -> None:
    rows, unclosed = csv_importer.tokenize('a,"b,""c"""\r\n"multi\nline",d\n\n', ",")
    assert unclosed is None
    assert [[c.text for c in r] for r in rows] == [["a", 'b,"c"'], ["multi\nline", "d"], [""]]
    assert (rows[1][1].start, rows[1][1].end) == (26, 27)
    assert csv_importer.tokenize('a,"never closed\n', ",") == (
        [],
        2,
    )
    assert csv_importer.sniff_delimiter("id;name;target\n1,5;x;y") == ";"
    assert csv_importer.sniff_delimiter("id\tname\n") == "\t"
    assert csv_importer.sniff_delimiter("id\n") == ","
    assert [csv_importer.number(t) for t in ("1200", "1,200", "1,200.5", ".25", "-3", "1,5")] == [
        1200,
        1200,
        1200.5,
        0.25,
        -3,
        1.5,
    ]
    assert [csv_importer.number(t) for t in ("", "12%", "1.2.3", "lots", ",")] == [
        "",
        "12%",
        "1.2.3",
        "lots",
        ",",
    ]
    assert csv_importer.column_name(" Target - Value ") == "target_value"


def test_csv_unclosed_quote_and_conflicts(tmp_path: Path) -> None:
    src = tmp_path / "bad.csv"
    src.write_text('id,name\nx,"never closed\n', encoding="utf-8")
    sf = csv_importer.read(src, "bad.csv", MAX)
    assert [(p.code, p.pos) for p in sf.problems] == [("KPI001", Pos(2, 3))]
    both = tmp_path / "both.csv"
    write_csv(both, ["id", "name", "target", "target_value"], [["x", "X", "5%", "5"]])
    sf = csv_importer.read(both, "both.csv", MAX)
    assert [(p.code, p.pos.column) for p in sf.problems] == [("KPI002", len("x,X,5%,") + 1)]
    assert sf.data["kpis"][0]["target"] == "5%"


# --- the import command -----------------------------------------------------------------


def test_import_command_refuses_to_overwrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_csv(tmp_path / "r.csv", REGISTER[0], register_rows())
    runner = CliRunner()
    args = ["import", "--from", "csv", "r.csv", "-o", "out"]
    assert runner.invoke(cli, args).exit_code == 0
    before = (tmp_path / "out" / "r.kpi.yaml").read_text(encoding="utf-8")
    (tmp_path / "out" / "r.kpi.yaml").write_text("# mine\n", encoding="utf-8")
    again = runner.invoke(cli, args)
    assert again.exit_code == 2
    assert "would overwrite out/r.kpi.yaml; use --force" in again.output
    assert (tmp_path / "out" / "r.kpi.yaml").read_text(encoding="utf-8") == "# mine\n"
    assert runner.invoke(cli, [*args, "--force"]).exit_code == 0
    assert (tmp_path / "out" / "r.kpi.yaml").read_text(encoding="utf-8") == before


def test_import_command_to_stdout_and_misuse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_csv(tmp_path / "r.csv", REGISTER[0], register_rows())
    write_csv(tmp_path / "s.csv", ["id", "name"], [["x", "X"]])
    runner = CliRunner()
    one = runner.invoke(cli, ["import", "--from", "csv", "r.csv"])
    assert one.exit_code == 0
    assert yaml.safe_load(one.stdout)["version"] == 1
    two = runner.invoke(cli, ["import", "--from", "csv", "r.csv", "s.csv"])
    assert two.exit_code == 2
    assert "name an output folder with -o" in two.output
    missing = runner.invoke(cli, ["import", "--from", "csv", "nope.csv", "-o", "out"])
    assert missing.exit_code == 2
    assert "source 'nope.csv' does not exist" in missing.output
    assert runner.invoke(cli, ["import", "r.csv"]).exit_code == 2  # --from is required
    (tmp_path / "broken.csv").write_text('id\n"x\n', encoding="utf-8")
    failed = runner.invoke(cli, ["import", "--from", "csv", "broken.csv", "-o", "out"])
    assert failed.exit_code == 1
    assert "not imported broken.csv" in failed.output
    assert not (tmp_path / "out" / "broken.kpi.yaml").exists()


def test_import_per_team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_csv(tmp_path / "r.csv", REGISTER[0], register_rows())
    result = CliRunner().invoke(
        cli, ["import", "--from", "csv", "r.csv", "-o", "out", "--per-team"]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["r.kpi.yaml", "sales.kpi.yaml"]
    sales = yaml.safe_load((tmp_path / "out" / "sales.kpi.yaml").read_text(encoding="utf-8"))
    assert [k["id"] for k in sales["kpis"]] == ["mrr", "calls-made"]
    source = findings_of([tmp_path / "r.csv"], "csv")
    assert codes_and_entities(findings_of([tmp_path / "out"])) == codes_and_entities(source)


def test_every_format_has_an_importer() -> None:
    for fmt in IMPORTERS:
        module = importer(fmt)
        assert module.GLOBS
        assert callable(module.read)


def test_readme_documents_the_gitlab_mapping() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Importing existing definitions")
    assert start < readme.index("## Development")
    section = readme[start : readme.index("## Development")]
    for key in ("is_key", "name", "definition", "target", "org", "dri", "health", "urls"):
        assert f"`{key}" in section, key
    for column in csv_importer.COLUMNS:
        assert f"`{column}`" in section, column


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")
def test_a_fifo_is_refused_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    for module in (csv_importer, gitlab):
        problems = module.read(fifo, "pipe.csv", MAX).problems
        assert [(p.code, p.message) for p in problems] == [
            ("KPI001", "not a regular file; not read")
        ]
