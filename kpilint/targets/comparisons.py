"""Comparison words and symbols, direction verbs and nouns, rates and ranks (FORMAT.md).

A comparison says which way is better (``at least`` increase, ``below``
decrease) and whether the number itself meets the target: ``less than 2 days``
is strict, ``at most 2 days`` is not.
"""

from __future__ import annotations

import re

from kpilint.targets.numbers import FLAGS
from kpilint.targets.result import Direction

_INCREASE = (
    "at or above",
    "at or greater than",
    "at or more than",
    "at or over",
    "at least",
    "no less than",
    "not less than",
    "no fewer than",
    "not fewer than",
    "not below",
    "not under",
    "no lower than",
    "equal or greater than",
    "equal or more than",
    "equal to or greater than",
    "equal to or more than",
    "greater than or equal to",
    "more than or equal to",
    "above or equal to",
    "greater than",
    "more than",
    "higher than",
    "above",
    "over",
    "exceeds",
    "exceed",
    "exceeding",
    "minimum of",
    "minimum",
    ">=",
    "=>",
    "≥",
    ">",
)
_DECREASE = (
    "at or below",
    "at or less than",
    "at or under",
    "at or within",
    "at most",
    "no more than",
    "not more than",
    "no greater than",
    "not greater than",
    "no higher than",
    "not above",
    "not over",
    "does not exceed",
    "do not exceed",
    "doesn't exceed",
    "don't exceed",
    "not to exceed",
    "not exceed",
    "never exceed",
    "never exceeds",
    "below or equal to",
    "equal or less than",
    "equal to or less than",
    "less than or equal to",
    "less than",
    "fewer than",
    "lower than",
    "below",
    "under",
    "within",
    "up to",
    "maximum of",
    "maximum",
    "max",
    "<=",
    "=<",
    "≤",
    "<",
)
_MAINTAIN = (
    "equal to",
    "equals",
    "exactly",
    "maintain",
    "maintained",
    "maintaining",
    "sustain",
    "keep",
    "stay at",
    "remain at",
    "==",
    "=",
    "at",
)
# Prepositions that only count as a comparison directly before the number.
_WEAK = frozenset({"at", "=", "=="})

_PHRASES: dict[str, Direction] = {
    **dict.fromkeys(_INCREASE, "increase"),
    **dict.fromkeys(_DECREASE, "decrease"),
    **dict.fromkeys(_MAINTAIN, "maintain"),
}
# Comparisons the value itself does not meet (`strict: true`, FORMAT.md).
STRICT = frozenset(
    {
        "less than", "fewer than", "lower than", "below", "under", "<",
        "more than", "greater than", "higher than", "above", "over", ">",
        "exceeding", "exceeds", "exceed",
    }
)  # fmt: skip
# `maintain`/`keep` before an at-least comparison stay `maintain` (`maintain >= 99.9%`).
KEEPING = frozenset({"maintain", "maintained", "maintaining", "sustain", "keep"})


def _alternation(phrases: list[str]) -> str:
    """Longest phrases first, so ``at or below`` wins over ``at``."""
    parts = []
    for phrase in sorted(phrases, key=len, reverse=True):
        body = re.escape(phrase)
        parts.append(rf"\b{body}\b" if phrase[0].isalpha() else body)
    return "|".join(parts)


CMP_RE = re.compile(_alternation(list(_PHRASES)), FLAGS)

POSTFIX: dict[str, Direction] = {
    **dict.fromkeys(
        ("or more", "or higher", "or greater", "or above", "or over", "and above", "and up"),
        "increase",
    ),
    **dict.fromkeys(("at least", "minimum", "or better"), "increase"),
    **dict.fromkeys(
        ("or less", "or fewer", "or lower", "or below", "or under", "and below", "and under"),
        "decrease",
    ),
    **dict.fromkeys(("at most", "maximum", "max"), "decrease"),
}
POSTFIX_RE = re.compile(_alternation(list(POSTFIX)), FLAGS)
# Verbs that move a number: before it, without `to`, they make a change (`reduce by 10%`).
VERBS: dict[str, Direction | None] = {
    **dict.fromkeys(
        ("increase", "raise", "grow", "boost", "lift", "expand", "improve"), "increase"
    ),
    **dict.fromkeys(("reduce", "decrease", "cut", "lower", "shrink", "lessen"), "decrease"),
}
VERB_RE = re.compile(
    r"\b(?P<verb>" + "|".join(VERBS) + r")(?:s|d|ed|ing|es)?\b", re.IGNORECASE | re.ASCII
)
# Verbs that name a level to reach or keep (`reach 500 signups`).
LEVEL_VERBS: dict[str, Direction] = {
    "reach": "increase",
    "achieve": "increase",
    "maintain": "maintain",
    "keep": "maintain",
    "sustain": "maintain",
}
LEVEL_VERB_RE = re.compile(
    r"\b(?P<verb>reach|achieve|maintain|keep|sustain)(?:s|d|ed|es|ing)?\b", FLAGS
)
NOUNS: dict[str, Direction] = {
    **dict.fromkeys(
        ("increase", "growth", "improvement", "uplift", "rise", "gain", "higher", "more"),
        "increase",
    ),
    **dict.fromkeys(
        ("decrease", "reduction", "decline", "drop", "cut", "lower", "less", "fewer"),
        "decrease",
    ),
}
# A change noun right after the number and its unit: `20% increase`, `5 point drop`.
NOUN_RE = re.compile(
    r"\b(?P<noun>increase|growth|improvement|uplift|rise|gain|decrease|reduction|decline|drop"
    r"|cut)\b",
    FLAGS,
)
MORE_LESS_RE = re.compile(r"^\s?(?P<noun>higher|more|lower|less|fewer)\b", FLAGS)
PLUS_RE = re.compile(r"\+(?![0-9])")
TIMES_RE = re.compile(
    r"\s?(?:x(?![a-z0-9])|×)|\s?-?fold\b|\stimes\s(?:more|higher|greater|larger|faster|as|over)\b",
    FLAGS,
)
# A rate per period: no level or change a mapping can hold (`30% YoY growth`).
_PERIODS = r"(?:year|annum|quarter|month|week|day)"
RATE_RE = re.compile(
    r"\b(?:yoy|mom|qoq|wow|cagr|y/y|m/m|q/q)\b"
    rf"|\b{_PERIODS}[- ]over[- ]{_PERIODS}\b"
    r"|\b(?:annual|compound)\s+growth\s+rate\b",
    FLAGS,
)
# In the phrase after a `%`: `5% per year`, `2% a month`, `7 percent growth per annum`.
PER_PERIOD_RE = re.compile(
    rf"\b(?:per|each|every)\s+{_PERIODS}\b|(?<!within )(?<!in )(?<!for )\ban?\s+{_PERIODS}\b"
    r"|\b(?:annually|yearly)\b",
    FLAGS,
)
# A rank: `top 3`, `#1`, `rank 5 or better`, `No. 1`.
RANK_BEFORE_RE = re.compile(
    r"(?:\b(?:top|rank|ranked|ranking|position|place|no\.?)\s*|#\s*)$", FLAGS
)
RANK_AFTER_RE = re.compile(r"(?:st|nd|rd|th)?\s+(?:place|position|rank)\b", FLAGS)
ARTICLES = frozenset({"a", "an", "the"})
# Words that link what is measured to its number (`churn to be`, `NPS is`, `should stay`).
LINKS = frozenset(
    {"to", "by", "be", "is", "are", "was", "were", "will", "should", "shall", "must", "stay",
     "remain", "of"}
)  # fmt: skip
WEAK = _WEAK


def last(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    found = None
    for found in pattern.finditer(text):  # noqa: B007 - the last one is wanted
        pass
    return found


def strong_comparison(text: str) -> bool:
    return any(m.group(0).lower() not in _WEAK for m in CMP_RE.finditer(text))


def first_direction(text: str) -> Direction | None:
    """With no number, the first firm comparison still tells which way is better."""
    for match in CMP_RE.finditer(text):
        phrase = match.group(0).lower()
        if phrase not in _WEAK:
            return _PHRASES.get(phrase)
    return None


def governing(prefix: str) -> tuple[Direction | None, int, bool]:
    """The comparison nearest before the number, where it ends, and if it is strict.

    Weak ones (``at``, ``=``) count only when they touch the number.
    """
    found: Direction | None = None
    at, strict = -1, False
    end = len(prefix.rstrip())
    for match in CMP_RE.finditer(prefix):
        phrase = " ".join(match.group(0).lower().split())
        if phrase in _WEAK and match.end() != end:
            continue
        if phrase in _PHRASES:
            found, at, strict = _PHRASES[phrase], match.end(), phrase in STRICT
    return found, at, strict


def conflicting(prefix: str) -> bool:
    """Both higher-is-better and lower-is-better words before the number."""
    said: set[Direction | None] = {
        _PHRASES.get(m.group(0).lower())
        for m in CMP_RE.finditer(prefix)
        if m.group(0).lower() not in _WEAK
    }
    said |= {VERBS[m["verb"].lower()] for m in VERB_RE.finditer(prefix)}
    return {"increase", "decrease"} <= said
