"""The docs that ship: current with the code, complete, and pointed at by every link."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpilint.cli import cli
from kpilint.config import read_toml
from kpilint.registry import registry
from kpilint.reporters.sarif import sarif_log
from kpilint.rulesdoc import anchor, markdown
from tests.conftest import REPO, cli_commands

DOCS = REPO / "docs"
SPEC_NAMES = re.compile(r"\b(FORMAT|RULES|CLI|SOURCES)\.md\b")


def _anchors(path: Path) -> set[str]:
    """The anchors GitHub makes for a page's headings (lower case, spaces to '-')."""
    headings = re.findall(r"^#+ (.+)$", path.read_text(encoding="utf-8"), re.M)
    return {re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-") for h in headings}


def test_rules_reference_is_current() -> None:
    committed = (DOCS / "rules.md").read_text(encoding="utf-8")
    assert committed == markdown(registry()), (
        "docs/rules.md is stale: run `kpilint rules --format markdown > docs/rules.md`"
    )


def test_rules_markdown_command_prints_the_reference() -> None:
    result = CliRunner().invoke(cli, ["rules", "--format", "markdown"])
    assert result.exit_code == 0
    assert result.output == (DOCS / "rules.md").read_text(encoding="utf-8")


def test_every_rule_has_its_section_with_example_and_fix() -> None:
    text = (DOCS / "rules.md").read_text(encoding="utf-8")
    anchors = _anchors(DOCS / "rules.md")
    for rule in registry().values():
        assert anchor(rule.code, rule.name) in anchors
        section = text.split(f"### {rule.code} {rule.name}\n", 1)[1].split("\n### ", 1)[0]
        assert f"Severity: `{rule.meta.severity}`" in section
        assert "**Example**" in section and "**Use instead**" in section
        assert f"**Fix**: {rule.meta.fix.rstrip('.')}" in section


def test_sarif_and_rule_command_link_to_the_rule_section() -> None:
    from kpilint.findings import Report, RuleInfo, Summary

    rules = registry()
    info = {
        c: RuleInfo(c, r.name, r.meta.severity, r.meta.summary, r.meta.why, r.meta.fix)
        for c, r in rules.items()
    }
    report = Report(findings=[], summary=Summary(), rules=info)
    descriptors = sarif_log(report)["runs"][0]["tool"]["driver"]["rules"]
    anchors = _anchors(DOCS / "rules.md")
    assert len(descriptors) == len(rules)
    for d in descriptors:
        url = d["helpUri"]
        assert re.fullmatch(r"https://\S+/blob/v[\w.]+/docs/rules\.md#[\w-]+", url), url
        assert url.rsplit("#", 1)[1] in anchors
    out = CliRunner().invoke(cli, ["rule", "missing-target"]).output
    assert out.rstrip().splitlines()[-1].endswith("/docs/rules.md#kpi101-missing-target")


def test_user_facing_text_never_cites_the_spec_files() -> None:
    """Users have docs/, not the spec: rule docs, README, docs and messages point there."""
    for rule in registry().values():
        m = rule.meta
        for text in (m.summary, m.what, m.why, m.fix, m.options_doc, m.example, m.passing):
            assert not SPEC_NAMES.search(text), (rule.code, text)
    for path in [REPO / "README.md", REPO / "action.yml", *DOCS.rglob("*")]:
        if path.is_file():
            assert not SPEC_NAMES.search(path.read_text(encoding="utf-8")), path
    # String literals in the code (messages), not docstrings or comments.
    for path in (REPO / "kpilint").rglob("*.py"):
        for literal in _literals(path):
            assert not SPEC_NAMES.search(literal), (path, literal)


def _literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_relative_links_in_docs_and_readme_resolve() -> None:
    for page in [REPO / "README.md", *DOCS.glob("*.md")]:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if "://" in target:
                continue
            assert (page.parent / target).exists(), (page, target)


def test_license_is_the_mit_license_the_metadata_declares() -> None:
    meta = read_toml(REPO / "pyproject.toml")
    assert meta["project"]["license"] == "MIT"
    assert "LICENSE" in meta["project"]["license-files"]
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "WITHOUT WARRANTY OF ANY KIND" in text


def test_docs_ship_in_sdist_and_wheel() -> None:
    build = read_toml(REPO / "pyproject.toml")["tool"]["hatch"]["build"]["targets"]
    assert {"docs", "LICENSE"} <= set(build["sdist"]["include"])
    assert build["wheel"]["force-include"]["docs"] == "kpilint/_docs"


def test_readme_sample_config_leaves_today_unset_and_says_what_rev_to_pin() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    sample = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    assert not re.search(r"^\s*today\s*=", sample, re.M)
    assert re.search(r"^#\s*today\s*=", sample, re.M)
    assert re.search(r"rev: v[\d.]+\s+# a release tag, or a full commit SHA", readme)
    assert "kpilint rules --format markdown > docs/rules.md" in readme.split("## Development")[1]


@pytest.mark.slow
def test_regeneration_command_in_a_real_process_writes_the_committed_file(tmp_path: Path) -> None:
    out = tmp_path / "rules.md"
    with out.open("w", encoding="utf-8") as stream:
        subprocess.run(
            [sys.executable, "-m", "kpilint", "rules", "--format", "markdown"],
            stdout=stream,
            check=True,
            cwd=REPO,
        )
    assert out.read_text(encoding="utf-8") == (DOCS / "rules.md").read_text(encoding="utf-8")


def _yaml_blocks(page: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", (DOCS / page).read_text(encoding="utf-8"), re.S)


def test_format_reference_documents_every_key_of_the_model() -> None:
    from kpilint.model import SECTIONS, TOP_LEVEL_KEYS, Period, TargetSpec, Timeline, known_keys

    text = (DOCS / "format.md").read_text(encoding="utf-8")
    for section, model in [*SECTIONS.items(), ("period", Period), ("timeline", Timeline)]:
        for key in known_keys(model):
            assert f"`{key}`" in text, (section, key)
    for key in (*TOP_LEVEL_KEYS, *known_keys(TargetSpec), "change"):
        assert f"| `{key}` |" in text, key


def test_format_reference_complete_file_passes_with_no_finding(tmp_path: Path) -> None:
    from kpilint import lint

    complete = _yaml_blocks("format.md")[-1]
    (tmp_path / "company.kpi.yaml").write_text(complete, encoding="utf-8")
    from datetime import date

    report = lint([str(tmp_path)], today=date(2027, 4, 15))
    assert [(f.code, f.line) for f in report.findings] == []
    assert (report.summary.goals, report.summary.metrics, report.summary.kpis) == (1, 2, 2)


def test_format_reference_text_targets_read_as_the_table_says() -> None:
    from datetime import date

    from kpilint.targets import parse_target

    text = (DOCS / "format.md").read_text(encoding="utf-8")
    table = text.split("| text | value | change | unit | direction | baseline | deadline |\n")[1]
    rows = table.split("\n\n")[0].splitlines()[1:]
    assert len(rows) == 8

    def number(cell: str) -> float | None:
        return float(cell) if cell else None

    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        target = cells[0].strip("`")
        parsed = parse_target(target)
        if cells[1].startswith("not measurable"):
            assert (parsed.value, parsed.change) == (None, None), target
            continue
        value, change, unit, direction, baseline, deadline = cells[1:]
        assert (parsed.value, parsed.change, parsed.baseline) == (
            number(value),
            number(change),
            number(baseline),
        ), target
        assert parsed.unit == (unit.strip("`") or None), target
        assert parsed.direction == (None if direction == "none" else direction), target
        assert parsed.deadlines == ((date.fromisoformat(deadline),) if deadline else ()), target


def test_format_reference_snippets_are_valid_kpi_files(tmp_path: Path) -> None:
    """Every YAML sample passes the structure rules: no schema error, unknown or duplicate key."""
    from kpilint import lint

    blocks = [b for b in _yaml_blocks("format.md") if not b.startswith("# yaml-language-server")]
    assert len(blocks) >= 8
    for i, block in enumerate(blocks):
        if block.startswith("    "):  # a fragment of a KPI: put it in one
            block = "kpis:\n  - id: k\n    name: K\n" + block
        path = tmp_path / f"s{i}.kpi.yaml"
        path.write_text(block, encoding="utf-8")
        found = [f.code for f in lint([str(path)], cwd=tmp_path).findings]
        assert not [c for c in found if c < "KPI005"], (block, found)


def test_cli_reference_lists_every_command_option_and_config_key() -> None:
    import click

    from kpilint.config import Config

    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert isinstance(cli, click.Group)
    for name, command in cli_commands().items():
        assert f"kpilint {name}" in text, name
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt != "--help":
                    assert f"`{opt}" in text, (
                        f"docs/cli.md does not document `kpilint {name} {opt}`: add it"
                    )
    for key in Config.toml_keys().values():
        assert f"`{key}`" in text or f"`[{key}" in text, f"config key {key} undocumented"
    sample = re.findall(r"```toml\n(.*?)```", text, re.S)[-1]
    from kpilint.config import tomllib

    Config.from_mapping(tomllib.loads(sample))


def test_sources_guide_covers_every_preset_and_key_and_its_samples_parse() -> None:
    from kpilint.config import tomllib
    from kpilint.sources.presets import preset_names
    from kpilint.sources.spec import _FIELD_KEYS, _SOURCE_KEYS, parse_sources

    text = (DOCS / "sources.md").read_text(encoding="utf-8")
    assert "Stub" not in text
    for name in preset_names():
        assert f"| `{name}` |" in text, f"docs/sources.md does not list the preset {name}"
    for key in (*_SOURCE_KEYS, *_FIELD_KEYS):
        assert f"| `{key}` |" in text, f"docs/sources.md does not explain `{key}`"
    samples = re.findall(r"```toml\n(.*?)```", text, re.S)
    assert len(samples) == 2
    for sample in samples:
        assert parse_sources(tomllib.loads(sample)["sources"])
