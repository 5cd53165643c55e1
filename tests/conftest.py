"""Shared fixtures: paths to the spec and corpora beside the clone, and a project writer."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SPEC_EXAMPLE = SHARED / "spec" / "examples" / "field-sales"
GITLAB_CORPUS = SHARED / "corpora" / "gitlab-handbook-pi"

WriteProject = Callable[[dict[str, str]], Path]


@pytest.fixture
def write_project(tmp_path: Path) -> WriteProject:
    """Write ``{relative path: text}`` under a fresh project root (with a kpilint.toml)."""

    def write(files: dict[str, str]) -> Path:
        root = tmp_path / "project"
        root.mkdir(exist_ok=True)
        if "kpilint.toml" not in files:
            (root / "kpilint.toml").write_text("")
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return root

    return write
