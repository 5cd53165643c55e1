"""``kpilint rules`` and ``kpilint rule``: the rule reference on the command line."""

from __future__ import annotations

import click

from kpilint.cli.common import _die
from kpilint.suggest import did_you_mean


@click.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text")
def rules_cmd(fmt: str) -> None:
    """List every rule: code, name, severity, summary.

    `--format markdown` prints the full reference (docs/rules.md).
    """
    from kpilint.registry import registry

    rules = registry()
    if fmt == "markdown":
        from kpilint.rulesdoc import markdown

        click.echo(markdown(rules), nl=False)
        return
    if fmt == "json":
        import json

        rows = [
            {
                "code": r.code,
                "name": r.name,
                "severity": r.meta.severity,
                "family": r.meta.family,
                "summary": r.meta.summary,
                "fix": r.meta.applicability,
                "implemented": r.implemented,
            }
            for r in rules.values()
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    width = max(len(r.name) for r in rules.values())
    family = None
    for r in rules.values():
        if r.meta.family != family:
            click.echo(("\n" if family else "") + r.meta.family_title)
            family = r.meta.family
        note = "" if r.implemented else "  (not yet implemented)"
        click.echo(f"  {r.code}  {r.name:<{width}}  {r.meta.severity:<7}  {r.meta.summary}{note}")
    pending = [r.code for r in rules.values() if not r.implemented]
    if pending:
        click.echo(f"\n{len(pending)} rules are not yet implemented: {', '.join(pending)}.")


@click.command("rule")
@click.argument("code_or_name")
def rule_cmd(code_or_name: str) -> None:
    """Explain one rule: what it checks, why, an example, the fix."""
    from kpilint.registry import by_name_or_code, codes_and_names
    from kpilint.rulesdoc import rule_url

    found = by_name_or_code(code_or_name)
    if found is None:
        hint = did_you_mean(code_or_name, codes_and_names()) or "; `kpilint rules` lists them"
        _die(f"no rule '{code_or_name}'{hint}")
    m = found.meta
    sections = [
        f"{m.code} {m.name} ({m.severity}){'' if found.implemented else ' - not yet implemented'}",
        m.summary,
        f"## What it does\n{m.what}",
        f"## Why is this bad?\n{m.why}",
        f"## Example\n{_indent(m.example)}",
        f"## Use instead\n{_indent(m.passing)}",
        f"## Fix\n{m.fix} (automatic fix: {m.applicability})",
    ]
    if m.options_doc:
        sections.append(f"## Options\n{m.options_doc}")
    sections.append(f"Docs: {rule_url(m.code, m.name)}")
    click.echo("\n\n".join(sections))


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" if line else "" for line in text.splitlines())
