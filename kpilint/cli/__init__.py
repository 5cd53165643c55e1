"""The command line: parse options, call the engine, pick a reporter, exit 0/1/2.

Thin on purpose: everything it does is also available from ``kpilint.lint``.
Misuse is exit 2 with a one-line message that says what to do, never a traceback.
Each command lives in its own module, imported only when that command runs: the
pre-commit hook's ``check`` never loads the code of ``diff``, ``audit`` or ``import``.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from kpilint import __version__
from kpilint.cli.common import _die

# Command name -> "module:attribute" under kpilint.cli (click's lazily loaded subcommands).
_COMMANDS = {
    "audit": "audit:audit_cmd",
    "check": "check:check",
    "diff": "diff:diff_cmd",
    "import": "importing:import_cmd",
    "init": "init:init_cmd",
    "rule": "rules:rule_cmd",
    "rules": "rules:rules_cmd",
    "schema": "schema:schema",
    "server": "server:server",
    "sources": "importing:sources_cmd",
}


class _Group(click.Group):
    """Commands imported when they run; misuse prints one line (and where to get help), exits 2."""

    def __init__(self, *args: Any, lazy_subcommands: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_subcommands = lazy_subcommands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy_subcommands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.lazy_subcommands:
            return super().get_command(ctx, cmd_name)
        module, _, attribute = self.lazy_subcommands[cmd_name].partition(":")
        command: click.Command = getattr(importlib.import_module(f"{__name__}.{module}"), attribute)
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """An unknown name: click (8.4+) suggests from loaded commands only; offer every name."""
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            if not hasattr(exc, "command_name"):  # before click 8.4 no NoSuchCommand, no hint
                raise
            from click.exceptions import NoSuchCommand

            if not isinstance(exc, NoSuchCommand):
                raise
            names = self.list_commands(ctx)
            raise NoSuchCommand(exc.command_name, possibilities=names, ctx=ctx) from None

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            return super().main(*args, **kwargs)
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx else "kpilint"
            message = exc.format_message().rstrip(".").replace(". Did you mean", "; did you mean")
            _die(f"{message}; see '{where} --help'")
        except click.Abort:
            click.echo("Aborted.", err=True)
            sys.exit(130)
        except click.ClickException as exc:
            _die(exc.format_message())


@click.group(
    "kpilint",
    cls=_Group,
    lazy_subcommands=_COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, "-V", "--version", prog_name="kpilint")
def cli() -> None:
    """kpilint: lint KPI definitions kept as code."""


def main() -> None:
    # A file name that is not UTF-8 reaches reports as lone surrogates; print
    # them as escapes rather than fail (human formats show them as \xNN).
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    cli(prog_name="kpilint")


def run() -> None:
    """The ``kpilint`` program: ``main()``, then exit without tearing Python down.

    Freeing every module and object at exit costs a cold check of a small project
    a tenth of its time, for nothing: the process ends. Output is flushed first;
    a failed flush, another thread still running or an exit that is not a plain
    code leave the exit to Python, as before. (mypy exits the same way.)
    """
    try:
        main()
    except SystemExit as exc:
        code = exc.code
    else:
        code = None
    if code is not None and not isinstance(code, int):
        sys.exit(code)  # a message: Python prints it
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:  # e.g. a closed pipe: Python reports it as it always did
        sys.exit(code)
    os._exit(code or 0)
