"""What a check may know besides its subject: the project, the date, who exists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kpilint.project import Project


@dataclass(frozen=True, slots=True)
class Context:
    project: Project
    today: date
    owners: frozenset[str] | None = None  # who exists, when the config names a list
