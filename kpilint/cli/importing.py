"""``kpilint import`` and ``kpilint sources``: definitions kept in other formats."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from kpilint.cli.common import EXIT_FINDINGS, EXIT_OK, _die, _warn
from kpilint.sources.formats import formats
from kpilint.suggest import did_you_mean


@click.command("import")
@click.argument("sources", nargs=-1, type=click.Path(path_type=str))
@click.option("--from", "source_format", type=click.Choice(formats()), help="Format or preset.")
@click.option(
    "--source",
    "source_index",
    type=click.IntRange(min=1),
    help="Import the Nth [[sources]] of the config (its files, unless SOURCES are named).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the KPI files (default: print the one file).",
)
@click.option("--per-team", is_flag=True, help="One KPI file per team instead of per source.")
@click.option("--force", is_flag=True, help="Overwrite existing KPI files.")
def import_cmd(
    sources: tuple[str, ...],
    source_format: str | None,
    source_index: int | None,
    output: Path | None,
    per_team: bool,
    force: bool,
) -> None:
    """Convert existing definitions (SOURCES: files or folders) into KPI files.

    One <source stem>.kpi.yaml per source file. `kpilint check` on them gives the
    findings `kpilint check --from FORMAT` gives on the sources. `--source N`
    converts the Nth [[sources]] of the project's config, read as `check` reads it.
    """
    from kpilint.importing import ImportRefused, run_import, write_outputs

    if (source_format is None) == (source_index is None):
        _die("name what to import: --from FORMAT SOURCES... or --source N")
    if source_format is not None and not sources:
        _die("name the files or folders to import: kpilint import --from FORMAT SOURCES...")
    try:
        if source_index is not None:
            label, reader, files = _configured_source(source_index, sources)
            result = run_import(
                label, sources, output, per_team=per_team, reader=reader, files=files
            )
        else:
            assert source_format is not None
            result = run_import(source_format, sources, output, per_team=per_team)
        write_outputs(result, force=force)
    except ImportRefused as exc:
        _die(str(exc))
    for message in result.messages:
        click.echo(message, err=True)
    for out in result.outputs:
        if out.path is None:
            click.echo(out.text, nl=False)
            continue
        click.echo(f"Wrote {out.path} ({out.summary}) from {', '.join(out.sources)}")
    for display in result.failed:
        click.echo(f"kpilint: not imported {display}: it does not parse", err=True)
    sys.exit(EXIT_FINDINGS if result.failed else EXIT_OK)


def _configured_source(index: int, named: tuple[str, ...]) -> tuple[str, Any, list[Path]]:
    """The Nth ``[[sources]]`` of the project's config: a label, its reader, its files."""
    from kpilint.config import Config, ConfigError
    from kpilint.engine import display_path, project_files
    from kpilint.project import find_root, glob_matches
    from kpilint.sources.load import SourceReader

    root, config_file = find_root(Path.cwd())
    try:
        config = Config.from_file(config_file) if config_file else Config()
        specs = config.source_specs()
    except ConfigError as exc:
        _die(str(exc))
    if index > len(specs):
        where = config_file or "the project"
        _die(f"--source {index}: {where} declares {len(specs)} [[sources]]")
    spec = specs[index - 1]
    files: list[Path] = []
    if not named:
        found = project_files(root, [], config)
        files = [p for p, i in found.sources.items() if i == index - 1]
        for path, why in found.refused.items():  # never read (SOURCES.md "Files")
            if glob_matches(path, root, tuple(spec.include)):
                _warn(f"kpilint: warning: not read {display_path(path, Path.cwd())}: {why}")
    return f"--source {index} ({spec.preset or 'sources'})", SourceReader(spec), files


@click.command("sources")
@click.argument("name", required=False)
def sources_cmd(name: str | None) -> None:
    """List the source presets; print one (NAME) to copy into kpilint.toml."""
    from kpilint.sources.presets import preset_names, preset_summary, preset_text

    names = preset_names()
    if name is None:
        width = max(len(n) for n in names)
        for preset in names:
            click.echo(f"  {preset:<{width}}  {preset_summary(preset)}")
        click.echo('\n`kpilint sources NAME` prints one; [[sources]] preset = "NAME" uses it.')
        return
    if name not in names:
        hint = did_you_mean(name, names) or f"; one of {', '.join(names)}"
        _die(f"no source preset '{name}'{hint}")
    click.echo(preset_text(name), nl=False)
    from kpilint.sources.fns import FNS
    from kpilint.sources.spec import parse_source

    spec = parse_source({"preset": name}, name)
    used = sorted({f.fn for f in _fields(spec) if f.fn})
    if used:
        click.echo("\n# Functions this preset uses (`fn`, shipped in kpilint's code):")
        for fn in used:
            click.echo(f"#   {fn}: {FNS[fn].doc}")


def _fields(spec: Any) -> list[Any]:
    out = [*spec.entity.kind, *(f for fs in spec.entity.map.values() for f in fs)]
    for also in spec.also:
        out += [*also.kind, *(f for fs in also.map.values() for f in fs)]
    if spec.goals_from is not None:
        out.append(spec.goals_from.field)
    return out
