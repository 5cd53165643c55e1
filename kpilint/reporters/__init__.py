"""Report formats, one module each, looked up by name and imported lazily.

A reporter is a ``render(report, options) -> str`` function over the whole
``Report``; reporters know findings, never rules or YAML.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple, Protocol

from kpilint.findings import Report

FORMATS: dict[str, str] = {
    "text": "kpilint.reporters.text",
    "json": "kpilint.reporters.json",
    "sarif": "kpilint.reporters.sarif",
    "github": "kpilint.reporters.github",
    "gitlab": "kpilint.reporters.gitlab",
    "junit": "kpilint.reporters.junit",
    "markdown": "kpilint.reporters.markdown",
}


class RenderOptions(NamedTuple):
    color: bool = False
    fix_hint: bool = True  # False where --fix cannot apply (``diff``, ``check --from``)
    unsafe_fixes: bool = False  # --unsafe-fixes: unsafe fixes count as available
    quiet: bool = False  # -q: the findings only, no summary lines
    previews: Mapping[str, str] = MappingProxyType({})  # fingerprint -> fix as a diff


class Renderer(Protocol):
    def __call__(self, report: Report, options: RenderOptions) -> str: ...


def plural(n: int, word: str) -> str:
    """``1 error``, ``2 errors``; ``info`` is a mass noun and stays as it is."""
    return f"{n} {word}{'' if n == 1 or word == 'info' else 's'}"


def severity_counts(report: Report) -> str:
    """``2 errors, 1 warning``: the severities that occur, most severe first."""
    return ", ".join(
        plural(n, sev) for sev in ("error", "warning", "info") if (n := report.count(sev))
    )


def tally(report: Report) -> str:
    """``3 findings (2 errors, 1 warning) in 1 file``, as every summary line says it."""
    found = plural(len(report.findings), "finding")
    return f"{found} ({severity_counts(report)}) in {plural(report.summary.files, 'file')}"


def omitted_line(report: Report) -> str:
    """Findings past the per-file limit, said in one line ("" when there are none)."""
    n = report.summary.omitted
    if not n:
        return ""
    return (
        f"{plural(n, 'more finding')} not listed: a report lists at most "
        "1,000 per file; fix the file or lint it alone to see them."
    )


def get(name: str) -> Renderer:
    module = importlib.import_module(FORMATS[name])
    render: Renderer = module.render
    return render
