"""``kpilint server``: the language server (the 'server' extra)."""

from __future__ import annotations

import click

from kpilint.cli.common import _die


@click.command()
@click.option(
    "--debounce",
    type=click.FloatRange(min=0),
    default=None,
    help="Milliseconds between the last edit and the re-lint (default 150).",
)
def server(debounce: float | None) -> None:
    """Language Server Protocol server over stdio (needs the 'server' extra)."""
    from kpilint.server import MissingExtra, serve
    from kpilint.server.frames import FrameError

    try:
        serve(None if debounce is None else debounce / 1000)
    except (MissingExtra, FrameError) as exc:
        _die(str(exc))
