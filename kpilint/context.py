"""What a check may know besides its subject: the project, the date, who exists."""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from kpilint.project import Project


class Context(NamedTuple):
    project: Project
    today: date
    owners: frozenset[str] | None = None  # who exists, when the config names a list
    actuals: Any = None  # kpilint.actuals.load.ProjectActuals, when the project declares actuals
