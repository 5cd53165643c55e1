"""What every command shares: exit codes, one-line errors, the lint options, delivery."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn

import click

from kpilint.sources.formats import formats

if TYPE_CHECKING:
    from kpilint.findings import Report


EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _warn(message: str) -> None:
    """One line on stderr; file names and values from KPI files shown, not obeyed."""
    from kpilint.reporters.visible import visible

    click.echo(visible(message), err=True)


def _die(message: str) -> NoReturn:
    click.echo(f"kpilint: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--select KPI1,KPI2 --select KPI6`` -> ("KPI1", "KPI2", "KPI6")."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _parse_today(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not an ISO date like 2027-06-01") from None


def _use_color(stream: Any) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return bool(getattr(stream, "isatty", lambda: False)())


class LintArgs(NamedTuple):
    """The options every linting command shares, resolved for the engine."""

    fmt: str | None
    output_file: str | None
    config: Any  # an explicit Config, or None for the project's own
    overrides: dict[str, Any]
    today: date | None
    exit_zero: bool = False
    quiet: int = 0  # -q: findings only; -qq: nothing but the exit code
    verbose: bool = False

    def exit(self, fails: bool) -> NoReturn:
        """CLI.md's exit code: 1 when something fails, unless ``--exit-zero``."""
        sys.exit(EXIT_FINDINGS if fails and not self.exit_zero else EXIT_OK)

    def progress(self) -> Callable[[str], None] | None:
        """``-v``: the engine's progress notes on stderr."""
        if not self.verbose:
            return None
        return lambda message: click.echo(f"kpilint: {message}", err=True)


def lint_options(
    formats: tuple[str, ...],
    format_help: str = "Report format (default: text).",
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Options shared by ``check``, ``diff`` and ``audit``, handed over as one ``LintArgs``."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def command(**kwargs: Any) -> Any:
            shared = {name: kwargs.pop(name) for name in _SHARED}
            return func(_lint_args(**shared), **kwargs)

        for option in reversed(
            [
                click.option(
                    "--format", "fmt", type=click.Choice(formats), default=None, help=format_help
                ),
                click.option(
                    "--output-file",
                    "-o",
                    type=click.Path(dir_okay=False),
                    help="Write the report to F.",
                ),
                click.option(
                    "--fail-on",
                    type=click.Choice(["error", "warning", "info", "never"]),
                    default=None,
                    help="Lowest severity that makes the exit code 1 (default: error).",
                ),
                click.option(
                    "--select", multiple=True, help="Rules to run (codes, names, prefixes)."
                ),
                click.option("--ignore", multiple=True, help="Rules to skip."),
                click.option("--extend-select", multiple=True, help="Rules to run in addition."),
                click.option(
                    "--config",
                    "config_file",
                    type=click.Path(dir_okay=False),
                    help="Use this config file instead of the project's.",
                ),
                click.option(
                    "--today",
                    callback=_parse_today,
                    help="The date the date rules use (YYYY-MM-DD).",
                ),
                click.option(
                    "--exclude",
                    multiple=True,
                    help="Also skip files matching these patterns (added to `exclude`).",
                ),
                click.option(
                    "--exit-zero",
                    is_flag=True,
                    help="Exit 0 whatever is found (2 still on misuse).",
                ),
                click.option(
                    "-q",
                    "--quiet",
                    count=True,
                    help="Findings only, no summary; twice: print nothing, only the exit code.",
                ),
                click.option(
                    "-v", "--verbose", is_flag=True, help="Say on stderr what is loaded and run."
                ),
            ]
        ):
            command = option(command)
        return command

    return decorate


_SHARED = (
    "fmt",
    "output_file",
    "fail_on",
    "select",
    "ignore",
    "extend_select",
    "config_file",
    "today",
    "exclude",
    "exit_zero",
    "quiet",
    "verbose",
)


def _lint_args(
    fmt: str | None,
    output_file: str | None,
    fail_on: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    extend_select: tuple[str, ...],
    config_file: str | None,
    today: date | None,
    exclude: tuple[str, ...],
    exit_zero: bool,
    quiet: int,
    verbose: bool,
) -> LintArgs:
    from kpilint.config import Config, ConfigError

    config = None
    if config_file is not None:
        if not Path(config_file).is_file():
            _die(f"config file '{config_file}' does not exist")
        try:
            config = Config.from_file(Path(config_file))
        except ConfigError as exc:
            _die(str(exc))
    overrides = {
        "select": _split(select) or None,
        "ignore": _split(ignore),
        "extend_select": _split(extend_select),
        "exclude": _split(exclude),
        "fail_on": fail_on,
    }
    return LintArgs(fmt, output_file, config, overrides, today, exit_zero, quiet, verbose)


def emit(report: Report, args: LintArgs, **options: Any) -> None:
    """Render ``report`` with the chosen reporter and deliver it (``-qq``: not at all).

    ``options`` go to ``RenderOptions`` (``fix_hint``, ``unsafe_fixes``, ``previews``).
    """
    from kpilint.reporters import RenderOptions, get

    if args.quiet >= 2:
        return
    if args.fmt in _WORKSPACES:
        report = _workspace_paths(report, os.environ.get(_WORKSPACES[args.fmt]))
    color = args.output_file is None and _use_color(sys.stdout)
    render = RenderOptions(color=color, quiet=args.quiet > 0, **options)
    _deliver(get(args.fmt or "text")(report, render), args.output_file, color)


# The CI checkout whose root report paths must be relative to, by format.
_WORKSPACES = {
    "github": "GITHUB_WORKSPACE",
    "sarif": "GITHUB_WORKSPACE",
    "gitlab": "CI_PROJECT_DIR",
}


def _workspace_paths(report: Report, workspace: str | None) -> Report:
    """Paths relative to the CI checkout (``workspace``) when run in a folder below it.

    GitHub and GitLab resolve annotation, SARIF and Code Quality paths against the
    repository, so a run in a subfolder (the Action's ``working-directory``, a
    ``cd`` in a GitLab job) would otherwise point at the wrong files.
    """
    import posixpath

    if not workspace:
        return report
    try:
        prefix = Path.cwd().resolve().relative_to(Path(workspace).resolve()).as_posix()
    except (ValueError, OSError):
        return report
    if prefix == ".":
        return report
    findings = [
        replace(f, path=posixpath.normpath(f"{prefix}/{f.path}")) if f.path else f
        for f in report.findings
    ]
    return replace(report, findings=findings)


def _deliver(text: str, output_file: str | None, color: bool = False) -> None:
    """To the output file, or to stdout (colour codes kept only when asked)."""
    if output_file:
        _write(Path(output_file), text)
    else:
        click.echo(text, nl=False, color=color)


from_option = click.option(
    "--from",
    "source_format",
    type=click.Choice(formats()),
    help="Read definitions in another format; findings point into its files.",
)


governance_option = click.option(
    "--fail-on-governance",
    is_flag=True,
    help="Exit 1 while a KPI8xx finding stands, whatever --fail-on says.",
)
known_option = click.option(
    "--known", type=click.Path(dir_okay=False), help="Hide findings listed in F."
)


def _without_known(report: Report, path: Path, *, stale: bool = True) -> Report:
    """Hide known findings; ``stale``: list entries that no longer occur (not for diff)."""
    from kpilint.known import KnownFileError, read, subtract

    problems: list[str] = []
    try:
        known = read(path, problems)
    except KnownFileError as exc:
        _die(str(exc))
    for problem in problems:
        _warn(f"kpilint: warning: {problem}")
    fresh, gone = subtract(report.findings, known, report.files if stale else set())
    for item in gone:
        where = f" {item.entity}" if item.entity else ""
        _warn(
            f"kpilint: known finding no longer occurs: {item.code} {item.path}{where} "
            f"(x{item.count}); rewrite {path} with --write-known"
        )
    report.findings = fresh
    report.recount()
    return report


def _write(path: Path, text: str) -> None:
    """``--output-file`` of every command: a regular file, never through a symlink."""
    from kpilint.writing import NotRegular, write_output

    try:
        write_output(path, text)
    except NotRegular as exc:
        _die(
            f"not writing the report to '{path}': it is {exc}; name a regular or new file "
            "with --output-file (or leave it out: the report goes to stdout)"
        )
    except OSError as exc:
        _die(f"cannot write '{path}': {exc.strerror}")
