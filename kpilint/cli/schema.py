"""``kpilint schema``: the JSON Schema of a KPI file."""

from __future__ import annotations

import click


@click.command()
def schema() -> None:
    """Print the JSON Schema of a KPI file."""
    import json

    from kpilint.model import json_schema

    click.echo(json.dumps(json_schema(), indent=2))
