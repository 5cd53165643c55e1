"""``kpilint check --stdin-filename F -``: lint (and fix) the text on stdin as the file F."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from kpilint.cli.common import LintArgs, _die, _use_color, _warn, emit

if TYPE_CHECKING:
    from kpilint.findings import Report


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
    for note in report.notes:  # files of the project not read (SOURCES.md "Files")
        _warn(f"kpilint: warning: {note}")
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


def _render(report: Report, fmt: str | None, color: bool) -> str:
    from kpilint.reporters import RenderOptions, get

    return get(fmt or "text")(report, RenderOptions(color=color))
