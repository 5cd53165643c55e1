"""Sources (SOURCES.md): catalogues read in place through a mapping, findings at source keys."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

import kpilint
from kpilint.cli import cli
from kpilint.config import Config, ConfigError
from tests.conftest import REPO, WriteProject, invoke_in

# A catalogue in a shape no preset has: a mapping keyed by id under a nested path,
# kinds from a flag, scopes from a team name, a target split over two keys.
CUSTOM_TOML = """
today = 2027-01-01
[[sources]]
include = ["catalogue/*.yml"]
format = "yaml"
records = "book.entries"
scope = { from = "squad", template = "team:{slug}" }

[sources.kind]
from = "flavour"
values = { headline = "kpi", "raw number" = "metric" }
default = "metric"

[sources.map]
id = "$key"
name = "label"
owner = "steward"
metric = "measures"
"target.value" = "aim.level"
"target.unit" = "aim.unit"
"target.direction" = { from = "aim.better", values = { up = "increase", down = "decrease" } }
"timeline.end" = "due"
"timeline.review" = { from = "cadence", values = { "every month" = "monthly", Yearly = "yearly" } }
goal = { from = "okr", template = "okr-{slug}" }
"""

CUSTOM_YAML = """
book:
  title: Ops numbers
  entries:
    tickets-closed:
      flavour: Raw Number
      label: Tickets closed
    time-to-resolve:
      flavour: headline
      label: Time to resolve
      squad: Customer Care
      steward: dana
      measures: tickets-closed
      aim: {level: 4, unit: hours, better: down}
      due: 2027-12-31
      cadence: Every Month
      okr: Happy Customers
    Bad Id:
      flavour: headline
      label: Broken one
      cadence: fortnightly
      aim: {level: lots}
"""


def _where(report: kpilint.Report) -> set[tuple[str, str, int, int, str | None]]:
    return {
        (f.code, f.path, f.line, f.column, f.entity.id if f.entity else None)
        for f in report.findings
    }


def test_a_custom_mapping_reads_a_catalogue_kpilint_has_never_seen(
    write_project: WriteProject,
) -> None:
    root = write_project({"kpilint.toml": CUSTOM_TOML, "catalogue/ops.yml": CUSTOM_YAML})
    report = kpilint.lint([root], cwd=root)
    found = _where(report)
    p = "catalogue/ops.yml"
    assert report.summary.kpis == 2 and report.summary.metrics == 1
    # the KPI is located at its record's first key; its goal reference at `okr:`
    assert ("KPI006", p, 16, 7, "time-to-resolve") in found
    # a bad id is KPI002 at the key that holds it (the mapping key), a bad value at its key
    assert ("KPI002", p, 17, 5, "Bad Id") in found
    assert ("KPI002", p, 20, 7, "Bad Id") in found  # cadence: fortnightly
    assert ("KPI002", p, 21, 13, "Bad Id") in found  # aim.level: lots
    codes = {c for c, *_ in found}
    assert "KPI101" not in {c for c, _, _, _, e in found if e == "time-to-resolve"}
    assert "KPI404" not in codes  # the metric is tracked by the KPI
    kpi = next(f for f in report.findings if f.code == "KPI006")
    assert kpi.message.startswith("KPI 'time-to-resolve'")


def test_values_match_case_and_blank_insensitively_and_unknown_values_are_kept(
    write_project: WriteProject,
) -> None:
    root = write_project({"kpilint.toml": CUSTOM_TOML, "catalogue/ops.yml": CUSTOM_YAML})
    report = kpilint.lint([root], cwd=root)
    messages = [f.message for f in report.findings if f.code == "KPI002"]
    assert any("'fortnightly'" in m for m in messages)  # kept as written for KPI002
    assert not any("Every Month" in m for m in messages)  # "every month" matched


FRONT_MATTER_TOML = """
[[sources]]
include = ["meta/*.md"]
format = "front-matter"
records = ""
kind = "kpi"
[sources.map]
id = { from = ["number", "$file"], template = "{slug}" }
name = "title"
target = "target"
"timeline.review" = "review"
"""


def test_front_matter_positions_are_lines_of_the_markdown_file(
    write_project: WriteProject,
) -> None:
    root = write_project(
        {
            "kpilint.toml": FRONT_MATTER_TOML,
            "meta/1-2-1.md": "---\ntitle: Poverty rate\nnumber: 1.2.1\nreview: Sometimes\n"
            "target: improve things\n---\n# Body\n\nreview: not front matter\n",
            "meta/README.md": "# Indicators\n\nNo front matter here.\n",
        }
    )
    report = kpilint.lint([root], cwd=root)
    found = _where(report)
    assert ("KPI002", "meta/1-2-1.md", 4, 1, "1-2-1") in found
    assert ("KPI201", "meta/1-2-1.md", 5, 1, "1-2-1") in found
    assert ("KPI102", "meta/1-2-1.md", 2, 1, "1-2-1") in found  # entity: the record's first key
    assert not [f for f in report.findings if f.path == "meta/README.md"]
    assert report.summary.kpis == 1


def test_toml_findings_are_at_the_key_line(write_project: WriteProject) -> None:
    root = write_project(
        {
            "kpilint.toml": """
                [[sources]]
                include = ["defs/*.toml"]
                records = "metrics"
                kind = "metric"
                [sources.map]
                id = "$key"
                name = "friendly_name"
                source = "data_source"
                owner = "owner"
                """,
            "defs/app.toml": '[metrics]\n\n[metrics.dau]\nfriendly_name = "DAU"\n'
            'owner = ["a", "b"]\n\n[metrics."weird name"]\ndata_source = "x"\n',
        }
    )
    found = _where(kpilint.lint([root], cwd=root))
    assert ("KPI404", "defs/app.toml", 4, 1, "dau") in found  # entity: first key under header
    assert ("KPI002", "defs/app.toml", 5, 1, "dau") in found  # owner is a list
    assert ("KPI002", "defs/app.toml", 7, 10, "weird name") in found  # the id: the table's key


def test_json_and_csv_sources(write_project: WriteProject) -> None:
    root = write_project(
        {
            "kpilint.toml": """
                [[sources]]
                include = ["*.json"]
                format = "json"
                records = "items"
                kind = "kpi"
                [sources.map]
                id = "id"
                name = "name"
                "target.value" = "goal"

                [[sources]]
                include = ["*.csv"]
                format = "csv"
                kind = { from = "Type", values = { K = "kpi" }, default = "metric" }
                [sources.map]
                id = "Key"
                name = "Title"
                "target.value" = "Target"
                """,
            "a.json": '{"items": [\n\t{"id": "ok", "name": "Fine", "goal": 5},\n'
            '\t{"id": "x", "name": "Bad\\/slash", "goal": "many"}\n]}\n',
            "b.csv": "Key,Title,Type,Target\nrevenue,Revenue,K,1200\nleads,Leads,K,lots\n",
        }
    )
    report = kpilint.lint([root], cwd=root)
    found = _where(report)
    assert ("KPI002", "a.json", 3, 36, "x") in found  # "goal": "many", after a tab and \/
    assert ("KPI002", "b.csv", 3, 15, "leads") in found  # the cell
    # 1200 read as a number: the cell is the target's place, and not a KPI002
    assert ("KPI202", "b.csv", 2, 19, "revenue") in found
    assert not any(c in ("KPI002", "KPI101") and e == "revenue" for c, _, _, _, e in found)
    assert report.summary.kpis == 4


def test_csv_format_reads_what_excel_saves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The `csv` reader format decodes as the CSV register does: UTF-16 with tabs ("Unicode
    Text") and Windows-1252 (noted on import), with cells at their characters' columns."""
    (tmp_path / "kpilint.toml").write_text(
        '[[sources]]\ninclude = ["*.csv"]\nformat = "csv"\nkind = "kpi"\n'
        '[sources.map]\nid = "Key"\nname = "Title"\nowner = "Who"\n',
        encoding="utf-8",
    )
    (tmp_path / "wide.csv").write_bytes("Key\tTitle\nnaive\tNaïve\n".encode("utf-16"))
    (tmp_path / "ansi.csv").write_bytes("Key,Title,Who\ncafe,Café,José\n".encode("cp1252"))
    report = kpilint.lint([tmp_path], cwd=tmp_path)
    assert not [f for f in report.findings if f.code in ("KPI001", "KPI002")]
    assert report.summary.kpis == 2
    assert ("KPI101", "ansi.csv", 2, 1, "cafe") in _where(report)
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(cli, ["import", "--source", "1", "ansi.csv"])
    assert out.exit_code == 0, out.output
    assert "# - ansi.csv: not UTF-8: read as Windows-1252" in out.stdout
    assert "name: Café" in out.stdout and "owner: José" in out.stdout


def test_a_file_of_the_wrong_format_is_kpi001_and_others_still_read(
    write_project: WriteProject,
) -> None:
    root = write_project(
        {
            "kpilint.toml": """
                [[sources]]
                include = ["cat/*"]
                format = "yaml"
                records = "list"
                kind = "metric"
                [sources.map]
                id = "id"
                name = "name"
                """,
            "cat/a.yml": "list:\n  - id: a\n    name: A\n  - just a string\n"
            "  - id: b\n    name: B\n",
            "cat/b.toml": '[list]\nid = "c"\nname = [1,\n',
        }
    )
    report = kpilint.lint([root], cwd=root)
    found = {(f.code, f.path, f.line, f.column) for f in report.findings}
    assert ("KPI001", "cat/b.toml", 2, 1) in found  # the parser's position: `id` after `[list]`
    assert ("KPI002", "cat/a.yml", 4, 5) in found  # the record that is not a mapping
    assert report.summary.metrics == 2  # the other records are still read


def test_fixes_never_edit_a_source_file(write_project: WriteProject) -> None:
    root = write_project(
        {
            "kpilint.toml": FRONT_MATTER_TOML,
            "meta/x.md": "---\ntitle: X\ntarget: at least 40%\n---\n",
        }
    )
    report = kpilint.lint([root], cwd=root)
    kpi208 = [f for f in report.findings if f.code == "KPI208"]
    assert [(f.line, f.column, f.fix.applicability, f.fix.edits) for f in kpi208] == [
        (3, 1, "none", ())
    ]
    code, _ = invoke_in(root, "check", "--fix", "--no-cache")
    assert (root / "meta/x.md").read_text() == "---\ntitle: X\ntarget: at least 40%\n---\n"
    assert code == 1


def test_suppressions_in_front_matter_work(write_project: WriteProject) -> None:
    root = write_project(
        {
            "kpilint.toml": FRONT_MATTER_TOML,
            "meta/x.md": "---\ntitle: X  # kpilint: ignore[KPI102] tracked elsewhere\n"
            "target: at least 40%\n---\n",
        }
    )
    found = _where(kpilint.lint([root], cwd=root))
    assert not any(c in ("KPI102", "KPI008", "KPI010") for c, *_ in found)  # suppressed, used
    assert ("KPI103", "meta/x.md", 2, 1, "x") in found  # the other findings stay
    (root / "meta/x.md").write_text("---\ntitle: X\ntarget: at least 40%\n---\n")
    assert ("KPI102", "meta/x.md", 2, 1, "x") in _where(kpilint.lint([root], cwd=root))


@pytest.mark.parametrize(
    ("declaration", "key"),
    [
        ('preset = "open-sgd"', "sources[1].preset"),
        ('include = ["x/*.yml"]\nrecords = ""\nkind = "kpi"\nformat = "yml"', "sources[1].format"),
        ('include = ["x/*.yml"]\nkind = "kpi"', "sources[1].records"),
        ('records = ""\nkind = "kpi"', "sources[1].include"),
        ('include = ["../x/*.yml"]\nrecords = ""\nkind = "kpi"', "sources[1].include"),
        ('include = ["x/[a.yml"]\nrecords = ""\nkind = "kpi"', "sources[1].include"),
        (
            'include = ["x/*.yml"]\nrecords = ""\nkind = "kpi"\n'
            '[sources.map]\nstatus = { from = "s", values = "draft" }',
            "sources[1].map.status.values",
        ),
        (
            'include = ["x/*.yml"]\nrecords = ""\nkind = "kpi"\n[sources.map]\nownr = "dri"',
            "sources[1].map.ownr",
        ),
        ('include = ["x/*.yml"]\nrecords = ""\nkind = "kpis"', "sources[1].kind"),
        ('include = ["x/*.yml"]\nrecords = ""\nkind = "kpi"\nrecord = "x"', "sources[1].record"),
    ],
)
def test_a_source_declared_wrongly_is_exit_2_naming_the_key(
    write_project: WriteProject, declaration: str, key: str
) -> None:
    root = write_project({"kpilint.toml": f"[[sources]]\n{declaration}\n"})
    with pytest.raises(ConfigError, match=re.escape(key)):
        Config.from_file(root / "kpilint.toml")
    code, output = invoke_in(root, "check")
    assert code == 2
    assert key in output and "Traceback" not in output


def test_native_files_and_sources_are_one_project(write_project: WriteProject) -> None:
    """A native KPI on top of a metric read from a source: KPI006 and KPI404 across both."""
    root = write_project(
        {
            "kpilint.toml": FRONT_MATTER_TOML.replace('kind = "kpi"', 'kind = "metric"'),
            "meta/dau.md": "---\ntitle: Daily users\n---\n",
            "meta/wau.md": "---\ntitle: Weekly users\n---\n",
            "team.kpi.yaml": """
                kpis:
                  - id: dau-kpi
                    name: DAU
                    metric: dau
                  - id: other
                    name: Other
                    metric: dauu
                """,
        }
    )
    report = kpilint.lint([root], cwd=root)
    found = _where(report)
    assert ("KPI404", "meta/wau.md", 2, 1, "wau") in found
    assert not any(c == "KPI404" and e == "dau" for c, _, _, _, e in found)
    kpi006 = [f for f in report.findings if f.code == "KPI006"]
    assert [(f.path, f.line, f.column) for f in kpi006] == [("team.kpi.yaml", 7, 5)]
    assert "did you mean 'dau'" in kpi006[0].message


def test_a_partial_run_reports_only_named_files(write_project: WriteProject) -> None:
    root = write_project(
        {
            "kpilint.toml": FRONT_MATTER_TOML.replace('kind = "kpi"', 'kind = "metric"'),
            "meta/dau.md": "---\ntitle: Daily users\n---\n",
            "team.kpi.yaml": "kpis:\n  - id: k\n    name: K\n    metric: dau\n",
        }
    )
    report = kpilint.lint([root / "team.kpi.yaml"], cwd=root)
    assert {f.path for f in report.findings} == {"team.kpi.yaml"}
    assert not any(f.code == "KPI006" for f in report.findings)  # dau resolves in the source


def test_import_source_n_writes_what_check_reads(write_project: WriteProject) -> None:
    root = write_project({"kpilint.toml": CUSTOM_TOML, "catalogue/ops.yml": CUSTOM_YAML})
    code, output = invoke_in(root, "import", "--source", "1", "-o", "../out")
    assert code == 0, output
    assert "Wrote ../out/ops.kpi.yaml (1 metric, 2 KPIs)" in output
    source = kpilint.lint([root / "catalogue"], cwd=root, today=date(2027, 1, 1))
    imported = kpilint.lint([root.parent / "out"], cwd=root, today=date(2027, 1, 1))
    assert Counter((f.code, f.entity) for f in imported.findings) == Counter(
        (f.code, f.entity) for f in source.findings
    )
    assert invoke_in(root, "import", "--source", "2", "-o", "out2")[0] == 2
    assert invoke_in(root, "import", "-o", "out3")[0] == 2


def test_readme_custom_mapping_example_is_true(tmp_path: Path) -> None:
    """The README's "A mapping of your own": its files give exactly the output shown."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### A mapping of your own") :]
    section = section[: section.index("\n## ")]
    yaml_text = re.findall(r"```yaml\n(.*?)```", section, re.S)[0]
    toml_text = re.findall(r"```toml\n(.*?)```", section, re.S)[0]
    shown = re.findall(r"```text\n(.*?)```", section, re.S)[0].splitlines()
    (tmp_path / "catalogue").mkdir()
    (tmp_path / "catalogue" / "ops.yml").write_text(yaml_text)
    (tmp_path / "kpilint.toml").write_text(toml_text)
    code, output = invoke_in(tmp_path, "check", "--no-cache")
    assert code == 1
    assert [line for line in output.splitlines() if not line.startswith("  fix:")] == shown


def test_audit_over_a_configured_source(write_project: WriteProject) -> None:
    import json

    root = write_project(
        {
            "kpilint.toml": FRONT_MATTER_TOML,
            "meta/a.md": "---\ntitle: A\ntarget: at least 40%\nreview: monthly\n---\n",
            "meta/b.md": "---\ntitle: B\n---\n",
        }
    )
    code, output = invoke_in(root, "audit", "--format", "json", "--fail-on", "never")
    assert code == 0, output
    audit = json.loads(output)
    assert audit["summary"]["kpis"] == 2 and audit["summary"]["files"] == 2
    assert {
        (f["path"], f["line"], f["column"]) for f in audit["findings"] if f["code"] == "KPI101"
    } == {("meta/b.md", 2, 1)}
    assert "audit" in audit


def test_slug_and_templates_as_sources_md_defines_them() -> None:
    from kpilint.sources.mapping import fill, slug

    assert slug("1.1.1") == "1-1-1"
    assert slug("  Customer Care / EMEA  ") == "customer-care-emea"
    assert slug("Café") == "caf"  # every run of anything but a-z and 0-9 is one '-'
    assert slug(True) == "true"
    assert fill("sdg-{}", 7) == fill("sdg-{}", "7") == "sdg-7"
    assert fill("team:{slug}", "Growth Team") == "team:growth-team"


@pytest.mark.parametrize(
    ("fmt", "name", "text"),
    [
        ("yaml", "a.yml", "list: [\n"),
        ("yaml", "a.yml", "list: !!python/object:os.system x\n"),
        ("yaml", "a.yml", "a: &a [*a, *a]\nlist: [" + "[" * 300 + "]" * 300 + "]\n"),
        ("yaml", "a.yml", "[metrics.x]\nname = 'TOML, not YAML'\n"),
        ("json", "a.json", '{"list": [1, 2,]}'),
        ("json", "a.json", '{"list": ' + "[" * 5000 + "]" * 5000 + "}"),
        ("json", "a.json", '{"list": [{"id": "a", "id": "b", "name": "N"}]}'),
        ("toml", "a.toml", "list = [\n"),
        ("toml", "a.toml", 'list = """\nnot closed'),
        (
            "toml",
            "a.toml",
            '[[list]]\nid = "a"\n"quoted.key" = 1\nname.first = "x"\n[[list]]\nid = 2\n',
        ),
        ("front-matter", "a.md", "---\nlist: [\n---\n"),
        ("front-matter", "a.md", "---\nlist:\n  - id: a\n"),
        ("front-matter", "a.md", "\ufeff---\nlist:\n  - {id: a, name: A}\n---\n"),
        ("csv", "a.csv", 'list,id\n"unclosed,x\n'),
        ("csv", "a.csv", "\x00\x01binary"),
        ("yaml", "a.yml", "list:\n  - id: a\n    name: A\n  - 5\n  - [1]\n  - null\n"),
        ("yaml", "a.yml", "list: 5\n"),
        ("yaml", "a.yml", "---\nlist: [{id: a, name: A}]\n---\n- x\n---\n"),
    ],
)
def test_bad_input_is_a_finding_never_a_traceback(
    write_project: WriteProject, fmt: str, name: str, text: str
) -> None:
    records = '""' if fmt == "csv" else '"list"'
    root = write_project(
        {
            "kpilint.toml": f'[[sources]]\ninclude = ["cat/*"]\nformat = "{fmt}"\n'
            f'records = {records}\nkind = "metric"\n[sources.map]\nid = "id"\nname = "name"\n',
        }
    )
    (root / "cat").mkdir()
    (root / "cat" / name).write_bytes(text.encode("utf-8"))
    report = kpilint.lint([root], cwd=root)
    assert not [f for f in report.findings if f.code == "KPI000"]
    for f in report.findings:
        assert f.line >= 1 and f.column >= 1


def test_toml_under_a_yaml_source_is_kpi001_in_that_file(write_project: WriteProject) -> None:
    root = write_project(
        {
            "kpilint.toml": '[[sources]]\ninclude = ["cat/*"]\nformat = "yaml"\n'
            'records = "metrics"\nkind = "metric"\n[sources.map]\nid = "$key"\nname = "n"\n',
            "cat/good.yml": "metrics:\n  dau:\n    n: Daily users\n",
            "cat/hub.toml": '[metrics.dau]\nn = "Daily users"\n',
        }
    )
    report = kpilint.lint([root], cwd=root)
    assert [(f.code, f.path, f.line, f.column) for f in report.findings if f.code == "KPI001"] == [
        ("KPI001", "cat/hub.toml", 2, 1)
    ]
    assert report.summary.metrics == 1  # the YAML file is still read


def test_a_named_source_file_is_read_through_its_source(write_project: WriteProject) -> None:
    """What pre-commit passes: a staged catalogue file is linted as the source reads it."""
    root = write_project(
        {
            "kpilint.toml": FRONT_MATTER_TOML,
            "meta/a.md": "---\ntitle: A\nreview: Sometimes\n---\n",
            "meta/b.md": "---\ntitle: B\nreview: Never\n---\n",
        }
    )
    code, output = invoke_in(root, "check", "--no-cache", "--force-exclude", "meta/a.md")
    assert code == 1
    assert "meta/a.md:3:1: KPI002" in output and "meta/b.md" not in output


def test_sources_in_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[[tool.kpilint.sources]]\npreset = "sloth"\n'
        'include = ["slos/*.yml"]\n'
    )
    (tmp_path / "slos").mkdir()
    (tmp_path / "slos" / "api.yml").write_text(
        'version: "prometheus/v1"\nservice: api\nlabels: {owner: sre}\n'
        "slos:\n  - name: availability\n    objective: 99.9\n"
    )
    report = kpilint.lint([tmp_path], cwd=tmp_path)
    assert (report.summary.kpis, report.summary.goals) == (1, 1)
    # KPI102 and KPI204 are the preset's ignores (an SLO has no deadline and no baseline)
    assert {f.code for f in report.findings} & {"KPI102", "KPI204"} == set()


def test_a_source_file_not_utf8_is_kpi001_at_the_byte(write_project: WriteProject) -> None:
    root = write_project(
        {
            "kpilint.toml": '[[sources]]\ninclude = ["cat/*"]\nformat = "yaml"\n'
            'records = "list"\nkind = "metric"\n[sources.map]\nid = "id"\nname = "name"\n',
        }
    )
    (root / "cat").mkdir()
    (root / "cat" / "latin1.yml").write_bytes(b"list:\n  - id: caf\xe9\n")
    (root / "cat" / "binary.yml").write_bytes(b"list:\x00\x01\n")
    report = kpilint.lint([root], cwd=root)
    assert sorted((f.code, f.path, f.line, f.column) for f in report.findings) == [
        ("KPI001", "cat/binary.yml", 1, 1),
        ("KPI001", "cat/latin1.yml", 2, 12),
    ]
    binary = next(f for f in report.findings if f.path == "cat/binary.yml")
    assert "not text" in binary.message  # a source is not necessarily YAML


def test_import_per_team_of_a_mapping_names_files_by_team(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A source's `team:` scope files its entities with `import --per-team`, by the team's
    slug (a file name), as the CSV register does; entities with no team stay together."""
    (tmp_path / "kpilint.toml").write_text(
        '[[sources]]\ninclude = ["*.json"]\nformat = "json"\nrecords = "items"\nkind = "kpi"\n'
        '[sources.map]\nid = "id"\nname = "name"\nscope = "team"\n',
        encoding="utf-8",
    )
    (tmp_path / "cat.json").write_text(
        '{"items": [{"id": "a", "name": "A", "team": "team:Sales Ops"},'
        ' {"id": "b", "name": "B"}]}\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(cli, ["import", "--source", "1", "-o", "out", "--per-team"])
    assert out.exit_code == 0, out.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "cat.kpi.yaml",
        "sales-ops.kpi.yaml",
    ]
    assert "id: a" in (tmp_path / "out" / "sales-ops.kpi.yaml").read_text(encoding="utf-8")
