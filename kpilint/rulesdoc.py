"""The rules reference (``docs/rules.md``), generated from ``rules/*.toml``.

The TOML is the one source: ``kpilint rules --format markdown > docs/rules.md``
regenerates the page and a test fails when the committed copy is stale, so the
shipped docs never drift from ``kpilint rule``. Links to a rule (SARIF
``helpUri``, ``kpilint rule``) are built here too, so they match the headings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from kpilint import __version__

if TYPE_CHECKING:
    from kpilint.registry import Rule

REPOSITORY = "https://github.com/kpilint/kpilint"
RULES_DOC = "docs/rules.md"
REGENERATE = "kpilint rules --format markdown > docs/rules.md"


def anchor(code: str, name: str) -> str:
    """The anchor GitHub gives the heading ``KPI101 missing-target``."""
    return f"{code.lower()}-{name}"


def rule_url(code: str, name: str) -> str:
    """Where a rule is explained, in the docs of this version (the release tag)."""
    return f"{REPOSITORY}/blob/v{__version__}/{RULES_DOC}#{anchor(code, name)}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _options(doc: str) -> list[str]:
    """An options doc is a TOML sample, a blank line, then prose."""
    sample, _, prose = doc.partition("\n\n")
    out = ["**Options**", "", "```toml", sample.strip("\n"), "```"]
    if prose.strip():
        out += ["", prose.strip()]
    return out


def _rule(rule: Rule) -> list[str]:
    m = rule.meta
    fix_kind = {"safe": "safe autofix", "unsafe": "unsafe autofix"}.get(m.applicability, "none")
    out = [
        f"### {m.code} {m.name}",
        "",
        f"Severity: `{m.severity}`. Automatic fix: {fix_kind}."
        + ("" if rule.implemented else " Not yet implemented."),
        "",
        f"{m.summary.rstrip('.')}.",
        "",
        "**What it does**",
        "",
        m.what,
        "",
        "**Why is this bad?**",
        "",
        m.why,
        "",
        "**Example**",
        "",
        "```yaml",
        m.example,
        "```",
        "",
        "**Use instead**",
        "",
        "```yaml",
        m.passing,
        "```",
        "",
        f"**Fix**: {m.fix.rstrip('.')}.",
    ]
    if m.options_doc:
        out += ["", *_options(m.options_doc)]
    return [*out, ""]


def markdown(rules: Mapping[str, Rule]) -> str:
    """The whole reference: an index table per family, then every rule in code order."""
    families: dict[str, list[Rule]] = {}
    for rule in rules.values():
        families.setdefault(rule.meta.family_title, []).append(rule)
    out = [
        "# Rules",
        "",
        "<!-- Generated from rules/*.toml by `" + REGENERATE + "`; do not edit. -->",
        "",
        "Every rule has a code and a kebab-case name; either one works wherever a rule is",
        "named: `--select`, `--ignore`, the config (`select`, `[severity]`,",
        "`[rules.NAME]`) and suppression comments. The severity shown is the default;",
        "`[severity]` in the config changes it. `kpilint rule CODE-OR-NAME` prints the same",
        "text in a terminal. How to write the files these rules check:",
        "[the file format](format.md); how to run them: [the command line](cli.md).",
        "",
        "A finding is located at the **entity** (the line of its first key, `- id: ...`),",
        "at a **key** inside it, or at the **file** (line 1, column 1). A KPI is *live*",
        "unless `status: retired`, and *active* when its status is `active` (the default).",
        "",
    ]
    for title, members in families.items():
        out += [f"## {title}", "", "| code | name | severity | fix | summary |"]
        out += ["| --- | --- | --- | --- | --- |"]
        out += [_index_row(r) for r in members]
        out.append("")
        for rule in members:
            out += _rule(rule)
    return "\n".join(out).rstrip("\n") + "\n"


def _index_row(rule: Rule) -> str:
    m = rule.meta
    link = f"[{m.code}](#{anchor(m.code, m.name)})"
    return f"| {link} | `{m.name}` | {m.severity} | {m.applicability} | {_cell(m.summary)} |"
