"""``kpilint diff``: the governance check between git revisions."""

from __future__ import annotations

from pathlib import Path

import click

from kpilint.cli.common import (
    LintArgs,
    _deliver,
    _die,
    _warn,
    _without_known,
    emit,
    governance_option,
    known_option,
    lint_options,
)
from kpilint.reporters import FORMATS


class _PathsAfterDashes(click.Command):
    """``kpilint diff BASE [HEAD] [-- PATH ...]``: what follows ``--`` are paths, not HEAD."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--" in args:
            at = args.index("--")
            ctx.meta["kpilint.paths"] = tuple(args[at + 1 :])
            args = args[:at]
        return super().parse_args(ctx, args)


@click.command("diff", cls=_PathsAfterDashes)
@click.argument("base")
@click.argument("head", required=False)
@lint_options(tuple(dict.fromkeys([*FORMATS, "markdown"])))
@governance_option
@known_option
def diff_cmd(
    args: LintArgs, base: str, head: str | None, fail_on_governance: bool, known: str | None
) -> None:
    """Governance check between git revisions: KPI8xx, plus findings new at HEAD.

    HEAD defaults to the work tree; `-- PATH ...` limits the report to those files
    and folders. Nothing is checked out: the work tree and the index are left as
    they are. `--format markdown` adds a table of changed KPIs, for
    $GITHUB_STEP_SUMMARY or a pull-request comment. KPI801/KPI803 are answered by
    a `# kpilint: ignore[...] reason` on their line; KPI802 by `status: retired`.
    """
    from kpilint.config import ConfigError
    from kpilint.diff import diff, render_markdown
    from kpilint.engine import UsageError

    paths = click.get_current_context().meta.get("kpilint.paths", ())
    try:
        result = diff(
            base, head, args.config, today=args.today, overrides=args.overrides, paths=paths
        )
    except (ConfigError, UsageError) as exc:
        _die(str(exc))
    for note in result.report.notes:  # files not read (SOURCES.md "Files")
        _warn(f"kpilint: warning: {note}")
    if known:
        _without_known(result.report, Path(known), stale=False)
    if args.fmt == "markdown":
        if args.quiet < 2:
            text = render_markdown(result.report, result.changes, result.base, result.head)
            _deliver(text, args.output_file)
    else:
        emit(result.report, args, fix_hint=False)  # diff edits nothing: no --fix to offer
    args.exit(result.fails(fail_on_governance=fail_on_governance))
