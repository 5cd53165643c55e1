"""The mapping language (SOURCES.md "Paths and templates", `ignore`, `goals-from`, "Files"),
`--from PRESET PATH`'s globs, and front matter as Open SDG sites write it."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import kpilint
from kpilint.config import Config, ConfigError
from kpilint.sources.load import SourceReader
from tests.conftest import NO_CORPORA, SHARED, WriteProject, invoke_in

CORPORA = SHARED / "corpora"
PYRRA = CORPORA / "rhobs-configuration" / "resources" / "observability" / "prometheusrules"
ONS = CORPORA / "ons-sdg-data" / "meta"
needs = pytest.mark.skipif(not CORPORA.is_dir(), reason=NO_CORPORA)

# Pyrra-like SLOs kept in team folders: a dotted label, a list-or-string owner, a
# translation key where a description should be, a window only some values of which
# are cadences, and an id made of two fields (namespace, else none).
SLO_TOML = r"""
[[sources]]
include = ["slos/*/*.yaml"]
format = "yaml"
records = ""
kind = "kpi"
[sources.goals-from]
from = 'metadata.labels."pyrra.dev/service"'
id = "service-{slug}"
name = "{} service"
level = "team"
parent = "{$dir|slug}"

[sources.map]
id = { template = ["{metadata.namespace|slug}-{metadata.name|slug}", "{metadata.name|slug}"] }
name = "metadata.name"
description = { from = "spec.description", unless = '[a-z_]+\.[a-z0-9_.-]+' }
owner = { from = ["metadata.labels.owner[0]", "metadata.labels.owner"] }
goal = { from = 'metadata.labels."pyrra.dev/service"', template = "service-{slug}" }
scope = { from = "$dir", template = "team:{slug}" }
"target.value" = "spec.target"
"timeline.review" = { from = "spec.window", values = { 4w = "monthly" }, otherwise = "" }

[sources.map."timeline.end"]
from = ["due", "spec.window"]
match = '^(\d{4})(-\d\d)?'
template = "{1}{2}-12-31"
"""

API_SLO = """\
metadata:
  name: API errors
  namespace: Monitoring
  labels:
    pyrra.dev/service: API Gateway
    owner: [alice, bob]
spec:
  target: "99.5"
  window: 4w
  description: global_indicators.1-1-1-title
due: 2027 or so
"""

WEB_SLO = """\
metadata:
  name: web-latency
  labels:
    pyrra.dev/service: API Gateway
    owner: carol
spec:
  target: 99
  window: 2w
  description: Latency of the web tier
"""


def _reader(root: Path, n: int = 0) -> SourceReader:
    config = Config.from_file(root / "kpilint.toml")
    return SourceReader(config.source_specs()[n], root=root)


def _read(root: Path, name: str, reader: SourceReader | None = None) -> Any:
    sf = (reader or _reader(root)).read(root / name, name)
    assert not sf.problems, sf.problems
    return sf


def _where(report: kpilint.Report) -> set[tuple[str, str, int, int, str | None]]:
    return {
        (f.code, f.path, f.line, f.column, f.entity.id if f.entity else None)
        for f in report.findings
    }


def _slos(write_project: WriteProject) -> Path:
    return write_project(
        {
            "kpilint.toml": SLO_TOML,
            "slos/Team A/api.yaml": API_SLO,
            "slos/Team A/web.yaml": WEB_SLO,
        }
    )


def test_paths_templates_match_unless_otherwise(write_project: WriteProject) -> None:
    root = _slos(write_project)
    reader = _reader(root)
    api = _read(root, "slos/Team A/api.yaml", reader)
    web = _read(root, "slos/Team A/web.yaml", reader)
    (kpi,) = api.data["kpis"]
    assert kpi == {
        "id": "monitoring-api-errors",  # {PATH|slug}, both parts present
        "name": "API errors",
        "owner": "alice",  # owner[0] of a list
        "goal": "service-api-gateway",  # a quoted segment holding dots and a slash
        "scope": "team:team-a",  # $dir
        "target": {"value": 99.5},
        "timeline": {"review": "monthly", "end": "2027-12-31"},
    }  # no description: a translation key is `unless`d
    (other,) = web.data["kpis"]
    assert other["id"] == "web-latency"  # the first template lacks a namespace: the second
    assert other["owner"] == "carol"  # [0] on a string is absent: the plain string
    assert other["description"] == "Latency of the web tier"
    assert "timeline" not in other  # 2w: `otherwise = ""`; neither `due` nor the window matches
    # one goal, from the first record naming it, with its parent and level
    assert api.data["goals"] == [
        {
            "id": "service-api-gateway",
            "name": "API Gateway service",
            "parent": "team-a",
            "level": "team",
        }
    ]
    assert "goals" not in web.data
    # positions: each value at its source key
    assert api.keys.get(("kpis", 0, "goal")).pos == (5, 5)
    assert api.keys.get(("kpis", 0, "owner")).pos == (6, 13)  # the list's first item
    assert api.keys.get(("kpis", 0, "id")).pos == (3, 3)  # the first placeholder: namespace
    assert web.keys.get(("kpis", 0, "id")).pos == (2, 3)


def test_findings_of_the_new_constructs_are_at_their_source_keys(
    write_project: WriteProject,
) -> None:
    root = _slos(write_project)
    found = _where(kpilint.lint([root], cwd=root))
    api, web = "slos/Team A/api.yaml", "slos/Team A/web.yaml"
    assert ("KPI006", api, 5, 5, "service-api-gateway") in found  # parent: no such goal
    assert ("KPI105", web, 1, 1, "web-latency") in found  # no review: the record's first key
    assert not any(code == "KPI002" for code, *_ in found)


def test_a_value_is_as_written_in_templates_and_match(write_project: WriteProject) -> None:
    root = write_project(
        {
            "kpilint.toml": r"""
                [[sources]]
                include = ["sub/*.yml"]
                records = "list"
                kind = "metric"
                [sources.map]
                id = { from = "number", template = "m-{slug}" }
                source = { template = "{$path} in {$dir}" }
                [sources.map.name]
                from = "number"
                match = '^(\d+)\.(\d+)(\.x)?$'
                template = "Goal {1}, part {2}{3}"
                """,
            "sub/a.yml": "list:\n  - number: 1.10\n",
        }
    )
    (metric,) = _read(root, "sub/a.yml").data["metrics"]
    # 1.10, not 1.1; an unmatched optional group is empty; $path from the root, $dir its folder
    assert metric == {"id": "m-1-10", "name": "Goal 1, part 10", "source": "sub/a.yml in sub"}


MERGE_TOML = """
[[sources]]
include = ["meta/*.md", "config/*.yml"]   # meta first, though config/ sorts first
records = ""
kind = "kpi"
merge-by = "{$file}"
[sources.map]
id = "$file"
name = "indicator_name"
owner = "owner"
description = "where"
"timeline.review" = "periodicity"
"""


def _merge_site(write_project: WriteProject, merge_by: str = "{$file}") -> Path:
    return write_project(
        {
            "kpilint.toml": MERGE_TOML.replace("{$file}", merge_by),
            "config/1-1-1.yml": "indicator_name: From config\nowner: ana\nwhere: config\n",
            "config/3-1-1.yml": "indicator_name: Config only\n",
            "meta/1-1-1.md": "---\nindicator_name: From meta\nowner: null\n"
            "periodicity: Fortnightly\n---\n",
            "meta/2-1-1.md": "---\nindicator_name: Meta only\n---\n",
        }
    )


def test_merge_by_makes_one_record_of_several_files(write_project: WriteProject) -> None:
    root = _merge_site(write_project)
    reader = _reader(root)
    reader.partners = sorted(root.glob("*/*.*"))
    meta = _read(root, "meta/1-1-1.md", reader)
    assert meta.data["kpis"] == [
        {
            "id": "1-1-1",
            "name": "From meta",  # the first glob's file wins
            "owner": "ana",  # a null counts as absent: the partner's
            "description": "config",
            "timeline": {"review": "Fortnightly"},
        }
    ]
    assert _read(root, "config/1-1-1.yml", reader).data == {}  # merged into meta's record
    assert _read(root, "config/3-1-1.yml", reader).data["kpis"][0]["name"] == "Config only"
    report = kpilint.lint([root], cwd=root)
    assert report.summary.kpis == 3
    found = _where(report)
    assert ("KPI002", "meta/1-1-1.md", 4, 1, "1-1-1") in found  # review, in the meta file
    assert not any(f[0] == "KPI005" for f in found)  # one record, not two with one id
    assert not [f for f in found if f[1] == "config/1-1-1.yml"]


def test_records_of_one_file_never_merge(write_project: WriteProject) -> None:
    root = write_project(
        {
            "kpilint.toml": "[[sources]]\ninclude = ['*.yml']\nrecords = 'list'\n"
            "kind = 'metric'\nmerge-by = '{group}'\n[sources.map]\nid = 'id'\n",
            "a.yml": "list:\n  - {id: one, group: g}\n  - {id: two, group: g}\n",
        }
    )
    assert kpilint.lint([root], cwd=root).summary.metrics == 2


def test_merge_by_over_a_path_no_record_has_is_exit_2(write_project: WriteProject) -> None:
    root = _merge_site(write_project, "{indicator_id}")
    code, output = invoke_in(root, "check")
    assert code == 2
    assert "sources[1].merge-by" in output and "{indicator_id}" in output
    assert "Traceback" not in output


BASE = '[[sources]]\ninclude = ["*.yml"]\nrecords = ""\nkind = "metric"\n'


@pytest.mark.parametrize(
    ("declaration", "key", "words"),
    [
        ('[sources.map]\nid = { template = "{$nope}" }', "sources[1].map.id.template", "$nope"),
        ('[sources.map]\nid = { template = "{x|upper}" }', "sources[1].map.id.template", "upper"),
        ('[sources.map]\nid = { from = "a", template = "{1}" }', "map.id.template", "no `match`"),
        (
            '[sources.map]\nid = { from = "a", match = \'^(a)\', template = ["{1}", "{2}"] }',
            "sources[1].map.id.template[1]",
            "group 2",
        ),
        ('[sources.map]\nid = { template = "x-{}" }', "sources[1].map.id.template", "`from`"),
        ('[sources.map]\nid = { from = "a", match = "(" }', "sources[1].map.id.match", "("),
        (
            '[sources.map]\nid = { from = "a", unless = "[" }',
            "sources[1].map.id.unless",
            "not a regular expression",
        ),
        ('merge-by = "{$nope}"\n[sources.map]\nid = "a"', "sources[1].merge-by", "$nope"),
        ('[sources.map]\nid = { from = "a", otherwise = "x" }', "map.id.otherwise", "`values`"),
        ('[sources.map]\nid = "labels.\\"\\""', "sources[1].map.id", "dotted path"),
        ('[sources.map]\nid = "$nope"', "sources[1].map.id", "pseudo-path"),
        ('ignore = { KPI104 = "" }\n[sources.map]\nid = "a"', "sources[1].ignore.KPI104", "reason"),
        (
            'ignore = { KPI999 = "x" }\n[sources.map]\nid = "a"',
            "sources[1].ignore.KPI999",
            "no rule",
        ),
        (
            'goals-from = { from = "g", parent = "{$nope}" }\n[sources.map]\nid = "a"',
            "sources[1].goals-from.parent",
            "$nope",
        ),
    ],
)
def test_a_mapping_that_cannot_work_is_exit_2_naming_the_key(
    write_project: WriteProject, declaration: str, key: str, words: str
) -> None:
    root = write_project({"kpilint.toml": BASE + declaration + "\n", "a.yml": "a: b\n"})
    with pytest.raises(ConfigError, match=re.escape(key)) as caught:
        Config.from_file(root / "kpilint.toml").source_specs()
    assert words in str(caught.value)
    code, output = invoke_in(root, "check")
    assert code == 2
    assert key in output and "Traceback" not in output


def test_a_source_ignore_drops_those_rules_for_its_entities_only(
    write_project: WriteProject,
) -> None:
    files = {
        "kpilint.toml": BASE.replace('"metric"', '"kpi"')
        + 'ignore = { KPI104 = "the catalogue has no owner field", missing-target = "none" }\n'
        '[sources.map]\nid = "id"\nname = "name"\n',
        "a.yml": "id: sales\nname: Sales\n",
        "native.kpi.yaml": "kpis:\n  - id: native\n    name: Native\n",
    }
    root = write_project(files)
    found = _where(kpilint.lint([root], cwd=root))
    assert ("KPI102", "a.yml", 1, 1, "sales") in found  # other rules still fire
    assert not [f for f in found if f[1] == "a.yml" and f[0] in ("KPI104", "KPI101")]
    assert ("KPI104", "native.kpi.yaml", 2, 5, "native") in found  # only the source's entities
    assert ("KPI101", "native.kpi.yaml", 2, 5, "native") in found


def test_toml_array_of_tables_records_are_at_their_first_key(
    write_project: WriteProject,
) -> None:
    root = write_project(
        {
            "kpilint.toml": """
                [[sources]]
                include = ["defs/*.toml"]
                records = "kpi"
                kind = "kpi"
                [sources.map]
                id = "id"
                name = "title"
                "target.value" = "target"
                owner = "owner"
                """,
            "defs/card.toml": '# scorecard\n\n[[kpi]]\nid = "revenue"\ntitle = "Revenue"\n'
            'target = "lots"\n\n[[kpi]]\n\nid = "Bad Id"\nowner = ["a"]\n\n'
            '[[kpi]]\ntitle = "Third"\nid = "third"\n[kpi.extra]\nx = 1\n',
        }
    )
    found = _where(kpilint.lint([root], cwd=root))
    p = "defs/card.toml"
    assert ("KPI102", p, 4, 1, "revenue") in found
    assert ("KPI002", p, 6, 1, "revenue") in found  # target: lots
    assert ("KPI002", p, 10, 1, "Bad Id") in found  # the id
    assert ("KPI002", p, 11, 1, "Bad Id") in found  # the owner list
    assert ("KPI102", p, 10, 1, "Bad Id") in found  # the record: its first key under the header
    assert ("KPI102", p, 14, 1, "third") in found
    assert not [f for f in found if f[2] == 1]


FM_TOML = """
[[sources]]
include = ["meta/*.md"]
records = ""
kind = "kpi"
[sources.map]
id = "$file"
name = "title"
"timeline.review" = "review"
"""


@pytest.mark.parametrize(
    ("prefix", "line"), [("\n", 3), ("  \n\t\n", 4), ("\ufeff", 2), ("\ufeff\n", 3)]
)
def test_a_blank_line_or_bom_before_front_matter_is_still_front_matter(
    write_project: WriteProject, prefix: str, line: int
) -> None:
    root = write_project({"kpilint.toml": FM_TOML})
    (root / "meta").mkdir()
    (root / "meta" / "x.md").write_text(
        prefix + "---\ntitle: X\nreview: sometimes\n---\n# X\n", encoding="utf-8"
    )
    report = kpilint.lint([root], cwd=root)
    assert report.summary.kpis == 1
    assert ("KPI002", "meta/x.md", line + 1, 1, "x") in _where(report)  # review: sometimes


def test_unclosed_front_matter_after_a_blank_line_names_its_line(
    write_project: WriteProject,
) -> None:
    root = write_project({"kpilint.toml": FM_TOML})
    (root / "meta").mkdir()
    (root / "meta" / "x.md").write_text("\n\n---\ntitle: X\n", encoding="utf-8")
    report = kpilint.lint([root], cwd=root)
    (finding,) = [f for f in report.findings if f.code == "KPI001"]
    assert (finding.line, finding.column) == (3, 1)
    assert "starting on line 3" in finding.message


def test_a_template_that_does_not_parse_is_kpi001_saying_render_it(
    write_project: WriteProject,
) -> None:
    root = write_project(
        {
            "kpilint.toml": BASE + '[sources.map]\nid = "id"\nname = "name"\n',
            "a.yml": "id: {{ .Values.id }}\nname: {% if x %}A{% endif %}\n",
            "b.yml": "id: plain\nname: 'has {{ braces }} in a string'\n",
            "c.yml": "id: [unclosed\n",
        }
    )
    report = kpilint.lint([root], cwd=root)
    kpi001 = {f.path: f for f in report.findings if f.code == "KPI001"}
    assert set(kpi001) == {"a.yml", "c.yml"}
    assert "looks like a template" in kpi001["a.yml"].message
    assert "render it first" in kpi001["a.yml"].message
    assert "template" not in kpi001["c.yml"].message  # a plain YAML error stays one
    assert report.summary.metrics == 1  # b.yml parses: read as it is


@needs
def test_real_pyrra_files_with_template_text_and_dotted_labels(
    write_project: WriteProject,
) -> None:
    root = write_project(
        {
            "kpilint.toml": """
                [[sources]]
                include = ["pyrra/*.yaml"]
                records = ""
                kind = "kpi"
                where = { kind = "ServiceLevelObjective" }
                goals-from = { from = 'metadata.labels."pyrra.dev/service"', id = "service-{slug}" }
                [sources.map]
                id.template = ["{metadata.labels.instance|slug}-{metadata.name}", "{metadata.name}"]
                name = "metadata.name"
                goal = { from = 'metadata.labels."pyrra.dev/service"', template = "service-{slug}" }
                "target.value" = "spec.target"
                """,
        }
    )
    name = "mst-stage-api-metrics-write-latency-slo.yaml"
    (root / "pyrra").mkdir()
    shutil.copy(PYRRA / "pyrra" / name, root / "pyrra" / name)
    sf = _read(root, f"pyrra/{name}")  # `{{$labels.namespace}}` in a string: it parses
    (kpi,) = sf.data["kpis"]
    assert kpi["id"] == "mst-stage-api-metrics-write-latency-slo"
    assert kpi["goal"] == "service-observatorium-api"
    assert sf.keys.get(("kpis", 0, "goal")).pos == (12, 5)  # the pyrra.dev/service label
    assert sf.keys.get(("kpis", 0, "id")).pos == (11, 5)  # the instance label
    assert sf.data["goals"] == [{"id": "service-observatorium-api", "name": "observatorium-api"}]


@needs
def test_real_ons_file_with_a_blank_line_before_its_front_matter() -> None:
    report = kpilint.lint([str(ONS / "3-9-1.md")], source_format="open-sdg", cwd=Path.cwd())
    assert report.summary.kpis == 1
    ids = {f.entity.id for f in report.findings if f.entity and f.entity.kind == "kpi"}
    assert ids == {"3-9-1"}
    kpi_lines = {f.line for f in report.findings if f.entity and f.entity.kind == "kpi"}
    assert min(kpi_lines) == 3  # the first key, below the blank line and `---`


def _site(tmp_path: Path) -> Path:
    """An Open SDG site's root: meta/, translations, a workflow, a README."""
    site = tmp_path / "site"
    for name, text in {
        "meta/1-1-1.md": "---\nindicator_number: 1.1.1\nindicator_name: Poverty\n---\n",
        "meta/en/1-1-1.yml": "indicator_name: translated\n",
        "translations/en/global_indicators.yml": "1-1-1-title: Poverty\n",
        ".github/workflows/build.yml": "name: build\non: push\n",
        "README.md": "# Site\n",
        "kpilint.toml": "",
    }.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(name and text, encoding="utf-8")
    return site


def test_from_preset_globs_match_the_end_of_a_path(tmp_path: Path) -> None:
    site = _site(tmp_path)
    code, output = invoke_in(site, "check", "--from", "open-sdg", ".", "--show-files")
    assert (code, output.split()) == (0, ["meta/1-1-1.md"])
    code, output = invoke_in(site, "check", "--from", "open-sdg", "meta", "--show-files")
    assert (code, output.split()) == (0, ["meta/1-1-1.md"])
    report = kpilint.lint([str(site)], source_format="open-sdg", cwd=site)
    assert report.summary.kpis == 1 and report.summary.files == 1


def test_from_preset_reads_a_named_file_whatever_the_globs(tmp_path: Path) -> None:
    site = _site(tmp_path)
    named = "translations/en/global_indicators.yml"
    code, output = invoke_in(site, "check", "--from", "open-sdg", named, "--show-files")
    assert (code, output.split()) == (0, [named])


def test_from_preset_on_a_folder_with_no_match_is_exit_2_naming_the_globs(
    tmp_path: Path,
) -> None:
    site = _site(tmp_path)
    for extra in ((), ("--show-files",)):
        code, output = invoke_in(site, "check", "--from", "open-sdg", "translations", *extra)
        assert code == 2
        assert "meta/*.md, meta/*.yml, meta/*.yaml" in output and "translations" in output


def test_import_writes_a_source_ignore_as_ignore_file_comments(
    write_project: WriteProject,
) -> None:
    root = write_project(
        {
            "kpilint.toml": BASE.replace('"metric"', '"kpi"')
            + 'ignore = { KPI104 = "no owner field", KPI402 = "never fires here" }\n'
            '[sources.map]\nid = "id"\nname = "name"\n',
            "a.yml": "id: sales\nname: Sales\n",
            "b.yml": "id: churn\nname: Churn\n",
        }
    )
    code, output = invoke_in(root, "import", "--source", "1", "-o", "../out")
    assert code == 0, output
    written = (root.parent / "out" / "a.kpi.yaml").read_text(encoding="utf-8")
    assert "# kpilint: ignore-file[KPI104] no owner field\n" in written
    assert "KPI402" not in written  # only the ignored rules that fire in that file
    source = kpilint.lint([root], cwd=root)
    imported = kpilint.lint([root.parent / "out"], cwd=root)
    assert not [f for f in imported.findings if f.code in ("KPI104", "KPI010")]
    assert Counter((f.code, f.entity) for f in imported.findings) == Counter(
        (f.code, f.entity) for f in source.findings
    )


KAZ = CORPORA / "sdg-data-kazstat"


@needs
def test_real_split_layout_is_merged_by_file_stem(write_project: WriteProject) -> None:
    """Kazakhstan keeps each indicator in indicator-config/ and meta/: one record."""
    root = write_project(
        {
            "kpilint.toml": r"""
                [[sources]]
                include = ["indicator-config/*.yml", "meta/*.yml"]
                records = ""
                kind = "metric"
                merge-by = "{$file}"
                [sources.map]
                id = "$file"
                source = "un_custodian_agency"
                unit = "computation_units"
                [sources.map.name]
                from = ["indicator_name", "graph_title", "indicator_available"]
                unless = '[A-Za-z_]+\.[A-Za-z0-9_.-]+'
                """,
        }
    )
    for folder in ("indicator-config", "meta"):
        (root / folder).mkdir()
        shutil.copy(KAZ / folder / "1-1-1.yml", root / folder / "1-1-1.yml")
    report = kpilint.lint([root], cwd=root)
    assert report.summary.metrics == 1
    found = _where(report)
    # every name is a translation key: absent, so KPI002 at the merged record's first key
    assert ("KPI002", "indicator-config/1-1-1.yml", 1, 1, "1-1-1") in found
    assert not [f for f in found if f[1] == "meta/1-1-1.yml"]
    reader = _reader(root)
    reader.partners = [root / "indicator-config" / "1-1-1.yml", root / "meta" / "1-1-1.yml"]
    (metric,) = _read(root, "indicator-config/1-1-1.yml", reader).data["metrics"]
    assert metric == {"id": "1-1-1", "source": "World Bank", "unit": "UNIT_MEASURE.PT"}


def test_values_match_the_text_as_written_and_as_read(write_project: WriteProject) -> None:
    root = write_project(
        {
            "kpilint.toml": """
                [[sources]]
                include = ["*.yml"]
                records = "list"
                kind = { from = "is_key", values = { true = "kpi" }, default = "metric" }
                [sources.map]
                id = "id"
                name = { from = "v", values = { "1.10" = "Ten", "1.1" = "One" } }
                """,
            "a.yml": "list:\n  - {id: a, is_key: yes, v: 1.10}\n  - {id: b, v: 1.1}\n",
        }
    )
    data = _read(root, "a.yml").data
    assert data["kpis"] == [{"id": "a", "name": "Ten"}]  # `yes` is true; 1.10 as written
    assert data["metrics"] == [{"id": "b", "name": "One"}]


def test_a_preset_source_takes_its_own_ignore(write_project: WriteProject) -> None:
    root = write_project(
        {
            "kpilint.toml": """
                [[sources]]
                preset = "sloth"
                include = ["slos/*.yml"]
                ignore = { KPI104 = "Sloth has no owner field here" }
                """,
            "slos/a.yml": "version: prometheus/v1\nservice: web\nslos:\n"
            "  - name: requests\n    objective: 99.9\n",
        }
    )
    spec = Config.from_file(root / "kpilint.toml").source_specs()[0]
    assert ("KPI104", "Sloth has no owner field here") in spec.ignore
    report = kpilint.lint([root], cwd=root)
    assert report.summary.kpis == 1
    codes = {f.code for f in report.findings}
    assert "KPI104" not in codes and "KPI105" in codes
