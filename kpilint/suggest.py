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


# Name comparisons one ``Hints`` may make: about 0.4 s. Each misspelt name is compared
# with every known one, so n misspelt references among n ids would cost n squared
# (2,000 of each took 70 s); past the budget a finding keeps its message, without
# the hint. 1,000 ids and 20 distinct typos, or 140 and 140, stay within it.
BUDGET = 20_000


class Hints:
    """``did_you_mean`` for many words against one set of names, in bounded work:
    each distinct word is looked up once, and all lookups together compare at most
    ``BUDGET`` pairs of names."""

    def __init__(self, known: Iterable[str], cutoff: float = 0.6, budget: int = BUDGET) -> None:
        self.known = list(known)
        self.cutoff = cutoff
        self.left = budget
        self._seen: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        hint = self._seen.get(word)
        if hint is None:
            if len(self.known) > self.left:
                return ""
            self.left -= len(self.known)
            hint = self._seen[word] = did_you_mean(word, self.known, self.cutoff)
        return hint
