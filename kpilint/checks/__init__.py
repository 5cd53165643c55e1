"""Rule checks, one module per family; each check is one small function.

Importing a module registers its checks (``kpilint.registry.rule``); the
registry imports them on first use, so start-up stays light.
"""

from __future__ import annotations

from collections.abc import Iterable


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the one close name in ``known``, else nothing."""
    import difflib

    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.7)
    return f"; did you mean '{close[0]}'?" if close else ""
