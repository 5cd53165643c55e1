"""The errors every layer may raise, at the bottom so that raising one imports nothing above."""

from __future__ import annotations


class ConfigError(Exception):
    """The configuration cannot be used; the message says what and where."""


class UsageError(Exception):
    """kpilint was called wrongly (a missing path, a bad option): exit 2."""
