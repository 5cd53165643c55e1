"""``kpilint check``: lint, fix, compare with a base revision, list settings or files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from kpilint.cli.common import (
    EXIT_OK,
    LintArgs,
    _deliver,
    _die,
    _warn,
    _without_known,
    emit,
    from_option,
    governance_option,
    known_option,
    lint_options,
)
from kpilint.cli.fixing import _add_noqa, _fix_summary, _show_fix_diff
from kpilint.cli.stdin import _check_stdin
from kpilint.reporters import FORMATS

if TYPE_CHECKING:
    from kpilint.findings import Report


@click.command()
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
            _show_files(paths or (".",), args, cwd, force_exclude, source_format)
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
    report.at_head = {p for r in results for p in r.report.at_head or ()}
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


def _show_files(
    paths: tuple[str, ...],
    args: LintArgs,
    cwd: Path,
    force_exclude: bool,
    source_format: str | None = None,
) -> NoReturn:
    """The files whose findings ``check`` would report, one a line, in project order."""
    from kpilint.config import Config
    from kpilint.engine import _group_by_project, display_path, foreign_files, project_files

    lines: list[str] = []
    for root, config_file, named in _group_by_project(paths, cwd, {}):
        config = args.config or (Config.from_file(config_file) if config_file else Config())
        config = config.with_overrides(**args.overrides)
        if source_format is not None:  # what `--from` reads (SOURCES.md)
            from kpilint.importers import importer

            shown, refused = foreign_files(importer(source_format), root, named, config)
            for path, why in sorted(refused.items()):
                _warn(f"kpilint: warning: not read {display_path(path, cwd)}: {why}")
            lines.extend(display_path(p, cwd) for p in shown)
            continue
        found = project_files(root, named, config, force_exclude=force_exclude)
        for path, why in sorted(found.refused.items()):  # SOURCES.md "Files"
            _warn(f"kpilint: warning: not read {display_path(path, cwd)}: {why}")
        for path, reported in zip(found.paths, found.reported, strict=True):
            if reported:
                lines.append(display_path(path, cwd))
    _deliver("".join(f"{line}\n" for line in lines), args.output_file)
    sys.exit(EXIT_OK)
