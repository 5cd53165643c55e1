"""Report formats, one module each, looked up by name and imported lazily.

A reporter is a ``render(report, options) -> str`` function over the whole
``Report``; reporters know findings, never rules or YAML.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Protocol

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


@dataclass(frozen=True, slots=True)
class RenderOptions:
    color: bool = False
    fix_hint: bool = True


class Renderer(Protocol):
    def __call__(self, report: Report, options: RenderOptions) -> str: ...


def get(name: str) -> Renderer:
    module = importlib.import_module(FORMATS[name])
    render: Renderer = module.render
    return render
