"""The command line: parse options, call the engine, pick a reporter, exit 0/1/2.

Thin on purpose: everything it does is also available from ``kpilint.lint``.
Misuse is exit 2 with a one-line message that says what to do, never a traceback.
"""

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

from kpilint import __version__
from kpilint.importers import formats
from kpilint.reporters import FORMATS

if TYPE_CHECKING:
    from kpilint.findings import Report


EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


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


@click.group("kpilint", cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="kpilint")
def cli() -> None:
    """kpilint: lint KPI definitions kept as code."""


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


def _render(report: Report, fmt: str | None, color: bool) -> str:
    from kpilint.reporters import RenderOptions, get

    return get(fmt or "text")(report, RenderOptions(color=color))


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


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@lint_options(tuple(FORMATS))
@click.option("--fix", is_flag=True, help="Apply safe fixes.")
@click.option(
    "--unsafe-fixes",
    is_flag=True,
    help="Include unsafe fixes: applied with --fix/--diff, else shown as available.",
)
@click.option("--diff", "show_diff", is_flag=True, help="Print fixes as a diff; write nothing.")
@click.option(
    "--show-fixes",
    is_flag=True,
    help="Show each fix as a diff under its finding; with --fix, list what was fixed.",
)
@click.option("--statistics", is_flag=True, help="Counts by rule instead of the findings.")
@click.option(
    "--add-noqa",
    is_flag=True,
    help="Write a suppression with a TODO reason for every finding, and exit.",
)
@click.option("--show-settings", is_flag=True, help="Print the resolved settings and exit.")
@click.option("--show-files", is_flag=True, help="Print the files that would be linted and exit.")
@click.option("--force-exclude", is_flag=True, help="Apply `exclude` to named files too.")
@click.option("--no-cache", is_flag=True, help="Do not read or write .kpilint_cache/.")
@known_option
@click.option("--write-known", type=click.Path(dir_okay=False), help="Record findings in F.")
@click.option(
    "--base",
    metavar="REV",
    help="Also report governance findings (KPI8xx) against git revision REV.",
)
@click.option(
    "--only-changed",
    is_flag=True,
    help="With --base: only findings on lines changed since REV, and KPI8xx.",
)
@governance_option
@click.option(
    "--stdin-filename",
    metavar="F",
    help="Lint stdin (PATH '-') as the file F; with --fix, print the fixed text.",
)
@click.option(
    "--no-impact",
    is_flag=True,
    help="On a partial run, report only findings in the named files (not those they caused).",
)
@from_option
def check(
    args: LintArgs,
    paths: tuple[str, ...],
    fix: bool,
    unsafe_fixes: bool,
    show_diff: bool,
    show_fixes: bool,
    statistics: bool,
    add_noqa: bool,
    show_settings: bool,
    show_files: bool,
    force_exclude: bool,
    no_cache: bool,
    known: str | None,
    write_known: str | None,
    base: str | None,
    only_changed: bool,
    fail_on_governance: bool,
    stdin_filename: str | None,
    no_impact: bool,
    source_format: str | None,
) -> None:
    """Lint KPI files (default: the current folder).

    `kpilint check --stdin-filename F -` lints the text on stdin as the file F
    (the rest of the project from disk); with --fix the fixed text goes to
    stdout and the report to stderr.

    `--unsafe-fixes` without `--fix` applies nothing: unsafe fixes are then shown
    as available (`[*]`, and in the hint), as ruff does.
    """
    from kpilint.config import ConfigError
    from kpilint.engine import UsageError, lint

    if source_format and (fix or show_diff):
        _die(f"--fix and --diff edit KPI files; run `kpilint import --from {source_format}` first")
    if add_noqa and (fix or show_diff or source_format or stdin_filename or "-" in paths):
        _die(
            "--add-noqa writes suppressions into the KPI files; "
            "run it without --fix, --diff, --from and stdin"
        )
    if stdin_filename is not None or "-" in paths:
        listing = {"--base": base, "--statistics": statistics, "--show-files": show_files}
        given = [name for name, value in listing.items() if value]
        if given:
            _die(f"{', '.join(given)} does not combine with --stdin-filename; name files instead")
        _check_stdin(args, paths, stdin_filename, source_format, fix, unsafe_fixes, show_diff)
    if (only_changed or fail_on_governance) and not base:
        _die(
            "--only-changed and --fail-on-governance need --base REV, the revision to compare with"
        )
    if statistics and (args.fmt or "text") not in ("text", "json"):
        _die(f"--statistics prints text or json, not {args.fmt}; drop --format or --statistics")
    cwd = Path.cwd()
    try:
        if show_settings:
            _show_settings(paths or (".",), args, cwd)
        if show_files:
            _show_files(paths or (".",), args, cwd, force_exclude)
    except (ConfigError, UsageError) as exc:
        _die(str(exc))

    def run() -> Report:
        return lint(
            paths or (".",),
            args.config,
            today=args.today,
            overrides=args.overrides,
            force_exclude=force_exclude,
            source_format=source_format,
            # Fixes are computed from the files themselves, never from a cache entry.
            use_cache=not (no_cache or fix or show_diff or show_fixes),
            impact=not no_impact,
            progress=args.progress(),
        )

    try:
        if show_diff:
            _show_fix_diff(run(), cwd, unsafe_fixes, args)
        if fix:
            from kpilint.fixes import fix_loop

            report, result = fix_loop(run, cwd, unsafe=unsafe_fixes)
            _fix_summary(result, show_fixes, args.quiet)
        else:
            report = run()
    except (ConfigError, UsageError) as exc:
        _die(str(exc))
    for note in report.notes:
        _warn(f"kpilint: warning: {note}")
    if add_noqa:
        _add_noqa(report, cwd, args.quiet)
    if write_known:
        from kpilint.known import KnownFileError, write

        try:
            recorded, entries = write(Path(write_known), report)
        except KnownFileError as exc:
            _die(str(exc))
        scope = " (entries of files not in this run kept)" if report.partial else ""
        click.echo(
            f"kpilint: recorded {recorded} findings ({entries} entries) in {write_known}{scope}",
            err=True,
        )
        sys.exit(EXIT_OK)
    if known:
        report = _without_known(report, Path(known))
    governance = False
    if base:
        report, governance = _against_base(report, base, paths, args, cwd, only_changed)
    # --from reads another format, which --fix cannot edit: no fix is offered.
    options: dict[str, Any] = {"fix_hint": source_format is None, "unsafe_fixes": unsafe_fixes}
    if statistics:
        _statistics(report, args, options)
    else:
        if show_fixes and not fix and source_format is None:
            from kpilint.fixes import previews

            options["previews"] = previews(report, cwd, unsafe=unsafe_fixes)
        emit(report, args, **options)
    args.exit(report.fails() or (fail_on_governance and governance))


def _against_base(
    report: Report, base: str, paths: tuple[str, ...], args: LintArgs, cwd: Path, only_changed: bool
) -> tuple[Report, bool]:
    """``check --base REV``: add the standing KPI8xx findings of ``kpilint diff REV``.

    With ``only_changed``, keep only findings on lines added or changed since REV
    (and KPI8xx): what a pull request's annotations should show. Returns the
    report and whether a KPI8xx finding stands.
    """
    from kpilint.config import ConfigError
    from kpilint.diff import GOVERNANCE, diff
    from kpilint.engine import UsageError, _group_by_project
    from kpilint.findings import assign_fingerprints

    named = paths or (".",)
    results = []
    try:
        for root, _config_file, _named in _group_by_project(named, cwd, {}):
            results.append(
                diff(
                    base,
                    None,
                    args.config,
                    today=args.today,
                    overrides=args.overrides,
                    cwd=cwd,
                    paths=named,
                    project=root,
                )
            )
    except (ConfigError, UsageError) as exc:
        _die(str(exc))
    governance = [f for r in results for f in r.governance]
    findings = [f for f in report.findings if f.code not in GOVERNANCE]
    if only_changed:
        kept = [f for f in findings if any(r.changed(f) for r in results)]
        hidden = len(findings) - len(kept)
        if hidden and args.quiet < 2:
            click.echo(
                f"kpilint: {hidden} finding{'s' if hidden != 1 else ''} on lines not changed "
                f"since {base} not shown (--only-changed)",
                err=True,
            )
        findings = kept
    report.findings = assign_fingerprints(
        sorted([*findings, *governance], key=lambda f: f.sort_key)
    )
    report.recount()
    return report, bool(governance)


def _statistics(report: Report, args: LintArgs, options: dict[str, Any]) -> None:
    from kpilint.reporters import RenderOptions
    from kpilint.reporters.statistics import render

    if args.quiet < 2:
        text = render(report, args.fmt or "text", RenderOptions(quiet=args.quiet > 0, **options))
        _deliver(text, args.output_file)


def _show_settings(paths: tuple[str, ...], args: LintArgs, cwd: Path) -> NoReturn:
    from kpilint.config import Config
    from kpilint.engine import _group_by_project
    from kpilint.settings import describe

    texts = []
    for root, config_file, _named in _group_by_project(paths, cwd, {}):
        config = args.config or (Config.from_file(config_file) if config_file else Config())
        texts.append(describe(root, config_file, config, args.overrides, args.today))
    _deliver("\n".join(texts), args.output_file)
    sys.exit(EXIT_OK)


def _show_files(paths: tuple[str, ...], args: LintArgs, cwd: Path, force_exclude: bool) -> NoReturn:
    """The files whose findings ``check`` would report, one a line, in project order."""
    from kpilint.config import Config
    from kpilint.engine import _group_by_project, display_path, project_files

    lines = []
    for root, config_file, named in _group_by_project(paths, cwd, {}):
        config = args.config or (Config.from_file(config_file) if config_file else Config())
        config = config.with_overrides(**args.overrides)
        found = project_files(root, named, config, force_exclude=force_exclude)
        for path, reported in zip(found.paths, found.reported, strict=True):
            if reported:
                lines.append(display_path(path, cwd))
    _deliver("".join(f"{line}\n" for line in lines), args.output_file)
    sys.exit(EXIT_OK)


class _PathsAfterDashes(click.Command):
    """``kpilint diff BASE [HEAD] [-- PATH ...]``: what follows ``--`` are paths, not HEAD."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--" in args:
            at = args.index("--")
            ctx.meta["kpilint.paths"] = tuple(args[at + 1 :])
            args = args[:at]
        return super().parse_args(ctx, args)


@cli.command("diff", cls=_PathsAfterDashes)
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
    if known:
        _without_known(result.report, Path(known), stale=False)
    if args.fmt == "markdown":
        if args.quiet < 2:
            text = render_markdown(result.report, result.changes, result.base, result.head)
            _deliver(text, args.output_file)
    else:
        emit(result.report, args, fix_hint=False)  # diff edits nothing: no --fix to offer
    args.exit(result.fails(fail_on_governance=fail_on_governance))


@cli.command("audit")
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
    if args.quiet < 2:
        _deliver(text, args.output_file, color)
    args.exit(result.report.fails())


def _check_stdin(
    args: LintArgs,
    paths: tuple[str, ...],
    stdin_filename: str | None,
    source_format: str | None,
    fix: bool,
    unsafe: bool,
    show_diff: bool,
) -> NoReturn:
    """Lint stdin as the file ``stdin_filename``, as ruff's ``--stdin-filename`` does."""
    from kpilint.config import ConfigError
    from kpilint.engine import UsageError, display_path, lint

    if stdin_filename is None:
        _die("reading stdin ('-') needs --stdin-filename F, the file the text stands for")
    if paths not in ((), ("-",)):
        _die("with --stdin-filename, the only PATH is '-' (stdin)")
    if source_format:
        _die("--stdin-filename reads a KPI file; it does not combine with --from")
    if stdin_filename in ("", "-") or Path(stdin_filename).is_dir():
        _die(f"--stdin-filename '{stdin_filename}' must name a file, not a folder")
    raw = sys.stdin.buffer.read()
    path = Path.cwd() / stdin_filename
    display = display_path(path, Path.cwd())

    def run(text: str | bytes) -> Report:
        return lint(
            [stdin_filename],
            args.config,
            today=args.today,
            overrides=args.overrides,
            overlay={path: text},
        )

    try:
        report = run(raw)
        fixed, after, count = report, raw, 0
        if fix or show_diff:
            fixed, after, count = _fix_stdin(run, report, raw, path, display, unsafe)
    except (ConfigError, UsageError) as exc:
        _die(str(exc))
    plural = "s" if count != 1 else ""
    if show_diff:
        from kpilint.fixes import FileFix

        before = raw.decode("utf-8-sig", "replace")
        diff = FileFix(path, display, before, after.decode("utf-8-sig", "replace"), False)
        click.echo(diff.unified_diff(), nl=False)
        if count:
            click.echo(f"Would fix {count} finding{plural}.", err=True)
    elif fix:
        sys.stdout.buffer.write(after)
        sys.stdout.flush()
        if count:
            click.echo(f"Fixed {count} finding{plural}.", err=True)
        report = fixed
        if args.output_file is None:  # stdout holds the text: the report goes to stderr
            color = _use_color(sys.stderr)
            click.echo(_render(report, args.fmt, color), nl=False, err=True, color=color)
            args.exit(report.fails())
    # --diff writes nothing, so every finding still stands (CLI.md's exit code)
    if not show_diff:
        emit(report, args)
    args.exit(report.fails())


def _fix_stdin(
    run: Callable[[str | bytes], Report],
    report: Report,
    raw: bytes,
    path: Path,
    display: str,
    unsafe: bool,
) -> tuple[Report, bytes, int]:
    """The report after fixing, the fixed bytes (BOM kept) and how many were fixed."""
    from kpilint.fixes import fix_text

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:  # KPI001 at the bad byte; nothing can be fixed
        return report, raw, 0
    fixed, after, count = fix_text(run, path, display, text, unsafe=unsafe, report=report)
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    return fixed, (bom + after.encode("utf-8")) if count else raw, count


def _show_fix_diff(report: Report, cwd: Path, unsafe: bool, args: LintArgs) -> NoReturn:
    from kpilint.fixes import plan

    plans = plan(report, cwd, unsafe=unsafe)
    for item in plans:
        click.echo(item.unified_diff(), nl=False)
        if item.refused:
            _warn(f"kpilint: not fixed {item.display}: the result would not parse")
    count = sum(len(p.fixed) for p in plans)
    if count and not args.quiet:
        click.echo(f"Would fix {count} finding{'s' if count != 1 else ''}.", err=True)
    # Nothing is written, so every finding still stands: CLI.md's exit code applies.
    args.exit(report.fails())


def _add_noqa(report: Report, cwd: Path, quiet: int) -> NoReturn:
    from kpilint.noqa import add_noqa

    result = add_noqa(report, cwd)
    if not quiet:
        files = len(result.files)
        click.echo(
            f"Added {result.added} suppression{'s' if result.added != 1 else ''} "
            f"to {files} file{'s' if files != 1 else ''}.",
            err=True,
        )
    for display, why in result.refused:
        click.echo(f"kpilint: no suppressions added to {display}: {why}", err=True)
    sys.exit(EXIT_OK)


def _fix_summary(result: Any, show_fixes: bool = False, quiet: int = 0) -> None:
    if result.fixed and not quiet:
        files = len(result.files)
        click.echo(
            f"Fixed {result.fixed} finding{'s' if result.fixed != 1 else ''} "
            f"in {files} file{'s' if files != 1 else ''}.",
            err=True,
        )
    if show_fixes and result.findings and quiet < 2:
        _list_fixed(result.findings)
    for display in result.refused:
        _warn(f"kpilint: not fixed {display}: the result would not parse")
    for display, why in result.skipped:
        _warn(f"kpilint: not fixed {display}: {why}")


def _list_fixed(findings: list[Any]) -> None:
    """ruff's ``--show-fixes`` list: per file, how many of each rule were fixed."""
    from collections import Counter

    by_file: dict[str, Counter[tuple[str, str]]] = {}
    for f in findings:
        by_file.setdefault(f.path, Counter())[(f.code, f.name)] += 1
    for path in sorted(by_file):
        click.echo(f"- {path}:", err=True)
        for (code, name), n in sorted(by_file[path].items()):
            click.echo(f"    {n} × {code} ({name})", err=True)


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
    from kpilint.writing import write_output

    try:  # a symlink at the name is replaced, never written through
        write_output(path, text)
    except OSError as exc:
        _die(f"cannot write '{path}': {exc.strerror}")


@cli.command("import")
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
    from kpilint.importers.common import ImportRefused, run_import, write_outputs

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
    from kpilint.engine import project_files
    from kpilint.project import find_root
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
    return f"--source {index} ({spec.preset or 'sources'})", SourceReader(spec), files


@cli.command("sources")
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
        import difflib

        close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else f"; one of {', '.join(names)}"
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


@cli.command("rules")
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


@cli.command("rule")
@click.argument("code_or_name")
def rule_cmd(code_or_name: str) -> None:
    """Explain one rule: what it checks, why, an example, the fix."""
    from kpilint.registry import by_name_or_code, registry
    from kpilint.rulesdoc import rule_url

    found = by_name_or_code(code_or_name)
    if found is None:
        import difflib

        keys = [*registry(), *(r.name for r in registry().values())]
        close = difflib.get_close_matches(code_or_name, keys, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else "; `kpilint rules` lists them"
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


@cli.command("init")
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


@cli.command()
@click.option(
    "--debounce",
    type=click.FloatRange(min=0),
    default=None,
    help="Milliseconds between the last edit and the re-lint (default 150).",
)
def server(debounce: float | None) -> None:
    """Language Server Protocol server over stdio (needs the 'server' extra)."""
    from kpilint.server import MissingExtra, serve

    try:
        serve(None if debounce is None else debounce / 1000)
    except MissingExtra as exc:
        _die(str(exc))


@cli.command()
def schema() -> None:
    """Print the JSON Schema of a KPI file."""
    import json

    from kpilint.model import json_schema

    click.echo(json.dumps(json_schema(), indent=2))


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
