"""``kpilint init``: a starter project that passes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from kpilint.cli.common import _die, _parse_today


@click.command("init")
@click.argument("folder", required=False, default=".", type=click.Path(file_okay=False))
@click.option("--today", callback=_parse_today, help="The date the starter's dates start from.")
def init_cmd(folder: str, today: date | None) -> None:
    """Write a commented kpilint.toml and a starter KPI file that passes; never overwrite."""
    from kpilint.starter import InitRefused, init

    try:
        written = init(Path(folder), today or date.today())
    except InitRefused as exc:
        _die(str(exc))
    except OSError as exc:
        _die(f"cannot write into '{folder}': {exc.strerror}")
    for item in written:
        click.echo(f"Wrote {item.path} ({item.what})")
    click.echo("Next: edit them, then run `kpilint check`.")
