"""The command line: parse options, call the engine, pick a reporter, exit 0/1/2.

Thin on purpose: everything it does is also available from ``kpilint.lint``.
Misuse is exit 2 with a one-line message that says what to do, never a traceback.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from kpilint import __version__
from kpilint.cli.common import _die


class _Group(click.Group):
    """Misuse prints one line (and where to get help) and exits 2."""

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


@click.group("kpilint", cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
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


def _register() -> None:
    from kpilint.cli.audit import audit_cmd
    from kpilint.cli.check import check
    from kpilint.cli.diff import diff_cmd
    from kpilint.cli.importing import import_cmd, sources_cmd
    from kpilint.cli.init import init_cmd
    from kpilint.cli.rules import rule_cmd, rules_cmd
    from kpilint.cli.schema import schema
    from kpilint.cli.server import server

    for command in (
        check,
        diff_cmd,
        audit_cmd,
        import_cmd,
        sources_cmd,
        rules_cmd,
        rule_cmd,
        init_cmd,
        server,
        schema,
    ):
        cli.add_command(command)


_register()
