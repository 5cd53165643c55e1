"""kpilint: a linter and governance checker for KPI definitions kept as code.

The engine is a library first: ``kpilint.lint(paths)`` returns a ``Report`` and
never prints or exits. Heavy modules are imported lazily so the pre-commit hook
starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from kpilint.config import Config
    from kpilint.engine import lint
    from kpilint.findings import Finding, Report

__all__ = ["Config", "Finding", "Report", "__version__", "lint"]


def __getattr__(name: str) -> Any:
    # Lazy re-exports keep `import kpilint` (and `kpilint --version`) cheap.
    if name == "lint":
        from kpilint.engine import lint

        return lint
    if name in ("Finding", "Report"):
        from kpilint import findings

        return getattr(findings, name)
    if name == "Config":
        from kpilint.config import Config

        return Config
    raise AttributeError(f"module 'kpilint' has no attribute {name!r}")
