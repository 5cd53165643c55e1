"""``kpilint audit``: the portfolio report."""

from __future__ import annotations

import sys

import click

from kpilint.cli.common import (
    EXIT_OK,
    LintArgs,
    _deliver,
    _die,
    _use_color,
    _warn,
    from_option,
    lint_options,
)


@click.command("audit")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@lint_options(("text", "markdown", "json", "html"), "Report format (default: text).")
@click.option(
    "--explain-score", is_flag=True, help="Print how the health score is computed, and exit."
)
@click.option(
    "--history",
    "history_count",
    type=click.IntRange(min=1),
    is_flag=False,
    flag_value=10,
    default=None,
    metavar="N",
    help="Also audit the last N commits (default 10) that touched the project; chart them.",
)
@click.option("--since", metavar="REV", help="Also audit every such commit after REV.")
@click.option("--no-cache", is_flag=True, help="Do not read or write .kpilint_cache/.")
@from_option
def audit_cmd(
    args: LintArgs,
    paths: tuple[str, ...],
    explain_score: bool,
    history_count: int | None,
    since: str | None,
    no_cache: bool,
    source_format: str | None,
) -> None:
    """Portfolio report: totals, completeness, health scores, goal tree, attention.

    The findings are those of `check`, and so is the exit code (1 when one is at
    or above --fail-on; `--fail-on never` only reports). `--format html` writes
    one self-contained page; `json` is the check report plus an `audit` object.
    `--history N` / `--since REV` add the score and findings per rule family at
    past commits (each with its own config and its commit date as today).
    """
    from kpilint.audit import audit, render
    from kpilint.audit.progress import Progress, wanted
    from kpilint.config import ConfigError
    from kpilint.engine import UsageError

    if source_format and (history_count is not None or since is not None):
        _die("--history and --since read KPI files from git; they do not combine with --from")
    if explain_score:
        from kpilint.audit.score import explain

        click.echo(explain(), nl=False)
        sys.exit(EXIT_OK)
    fmt = args.fmt or "text"
    color = fmt == "text" and args.output_file is None and _use_color(sys.stdout)
    with Progress(sys.stderr, enabled=wanted(sys.stderr)) as progress:
        try:
            result = audit(
                paths or (".",),
                args.config,
                today=args.today,
                overrides=args.overrides,
                source_format=source_format,
                progress=args.progress() or progress,
            )
            if history_count is not None or since is not None:
                from kpilint.audit.history import history

                result.history = history(
                    paths or (".",),
                    args.config,
                    count=history_count,
                    since=since,
                    overrides=args.overrides,
                    use_cache=not no_cache,
                    progress=args.progress() or progress,
                )
        except (ConfigError, UsageError) as exc:
            error = str(exc)
        else:
            error = ""
            progress(f"rendering {fmt}")
            text = render(result, fmt, color=color)
    if error:
        _die(error)
    for note in result.report.notes:  # files not read (SOURCES.md "Files")
        _warn(f"kpilint: warning: {note}")
    if args.quiet < 2:
        _deliver(text, args.output_file, color)
    args.exit(result.report.fails())
