"""What ``check --fix``, ``--diff`` and ``--add-noqa`` say about the edits they make."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from kpilint.cli.common import EXIT_OK, LintArgs, _warn

if TYPE_CHECKING:
    from kpilint.findings import Report


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
