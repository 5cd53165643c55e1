"""Close names for a misspelt one: one wording for every unknown name kpilint reports."""

from __future__ import annotations

from collections.abc import Iterable

from kpilint.quoting import quote


def closest(word: str, known: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The name in ``known`` closest to ``word``, if any is close enough."""
    import difflib  # only when something is misspelt: off the common path

    close = difflib.get_close_matches(word, list(known), n=1, cutoff=cutoff)
    return close[0] if close else None


def did_you_mean(word: str, known: Iterable[str], cutoff: float = 0.6) -> str:
    """``"; did you mean 'x'?"`` for the closest name in ``known``, else nothing."""
    close = closest(word, known, cutoff)
    return f"; did you mean {quote(close)}?" if close else ""
