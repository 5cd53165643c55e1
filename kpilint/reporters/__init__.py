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


def omitted_line(report: Report) -> str:
    """Findings past the per-file limit, said in one line ("" when there are none)."""
    n = report.summary.omitted
    if not n:
        return ""
    return (
        f"{n} more finding{'s' if n != 1 else ''} not listed: a report lists at most "
        "1,000 per file; fix the file or lint it alone to see them."
    )


def get(name: str) -> Renderer:
    module = importlib.import_module(FORMATS[name])
    render: Renderer = module.render
    return render
