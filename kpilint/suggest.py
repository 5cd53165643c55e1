"""``"; did you mean 'x'?"``: one wording for every unknown name kpilint reports."""

from __future__ import annotations

from collections.abc import Iterable


def did_you_mean(word: str, known: Iterable[str], cutoff: float = 0.6) -> str:
    """The hint for the one name in ``known`` closest to ``word``, else nothing."""
    import difflib  # only when something is misspelt: off the common path

    close = difflib.get_close_matches(word, list(known), n=1, cutoff=cutoff)
    return f"; did you mean '{close[0]}'?" if close else ""
