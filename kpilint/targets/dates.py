"""Years and dates in a target: deadlines, baseline dates and period labels (FORMAT.md).

A year (1900-2099, no unit, ``%`` or currency after it) introduced by ``by``,
``before``, ``until`` or ``in`` is a deadline, ``by Q3 2027`` the quarter's last
day; in a baseline phrase (``from``, ``since``, ``compared to``, ``baseline``) or
before ``level(s)``/``baseline`` it is the baseline's date. The words that give
a date its role are read from a short window before it, so a text of many dates
stays linear.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from kpilint.targets.numbers import FLAGS, PERCENT_RE, Num

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_PERIOD = (
    r"(?:(?P<period>Q[1-4]|H[12]|"
    + "|".join(sorted(_MONTHS, key=len, reverse=True))
    + r")\.?,?\s*)?"
)
_DEADLINE_BEFORE = re.compile(
    r"\b(?P<word>by|before|until|till|through|in|between|and)\s+(?:the\s+)?"
    r"(?:(?:end|close)\s+of\s+(?:the\s+)?(?:year\s+)?)?" + _PERIOD + r"$",
    FLAGS,
)
_BASELINE_BEFORE = re.compile(
    r"\b(?:from|since|compared\s+(?:to|with)|relative\s+to|(?:below|than)\s+(?:the|in)"
    r"|vs\.?|versus)\s+(?:(?:the|its|their|our)\s+)?(?:level\s+(?:of|in)\s+)?" + _PERIOD + r"$",
    FLAGS,
)
_BASELINE_AFTER = re.compile(r"\s*(?:levels?|baselines?)\b", FLAGS)
_LABEL_BEFORE = re.compile(r"\b(?:Q[1-4]|H[12]|FY|CY)\s*[-/]?\s*$|\b" + _PERIOD[3:-2] + r"$", FLAGS)
_LABEL_AFTER = re.compile(r"\s*:|\s+(?:targets?|goals?|plan)\b", FLAGS)
# After a year: nothing a unit could be (a phrase end, a function word, a direction word).
_DATE_FOLLOW = re.compile(
    r"\s*(?:$|[,;:.!?)\]}]|[-–—]\s)|\s+(?:and|or|with|compared|relative|against|levels?"
    r"|baselines?|for|from|the|in|at|on|to|onwards?|through|than|vs|versus|when|if|as|while"
    r"|then|is|are|was|were|will|should|must|we|our|it|this|each|every|targets?|goals?|plan"
    r"|a|an|all|reduce[sd]?|reducing|increase[sd]?|increasing|reach(?:es)?|grow|raise|cut"
    r"|lower|improve|achieve|maintain|keep|ensure|halve|double|triple|at\s+least|at\s+most"
    r"|less|more|fewer|below|above|under|over|up|no|not|by|before|until)\b",
    FLAGS,
)
# `increase by 2000 users`: after a change verb in the same phrase, `by` gives an amount.
_AMOUNT_BY = re.compile(
    r"\b(?:increase|raise|grow|boost|lift|expand|improve|reduce|decrease|cut|lower|shrink"
    r"|lessen)(?:s|d|ed|ing|es)?\b[^,;:(.0-9]*\bby\s+$",
    FLAGS,
)
ISO_DATE_RE = re.compile(r"(?<![\w.-])([0-9]{4})-([0-9]{2})-([0-9]{2})(?![\w-])")
PERIOD_LABEL_RE = re.compile(r"\b(?:Q[1-4]|H[12])\b|\b(?:FY|CY)\s?'?[0-9]{2,4}\b", FLAGS)
RELATIVE_DEADLINE_RE = re.compile(
    r"\b(?:by|before|until|in)\s+(?:the\s+)?(?:end\b|next\b|this\b|mid\b|eo[yqm]\b|year[- ]?end\b)"
    r"|\bend\s+of\s+(?:the\s+)?(?:year|quarter|month|fy|fiscal)\b",
    FLAGS,
)
# A year joined to the one before it: `2017 to 2018`, `2017-18`, `2017–2018`.
JOINED_RE = re.compile(r"\s*(?:\bto\b|-|–)\s*$", FLAGS)
_SHORT_YEAR_RE = re.compile(r"[-–](?:[0-9]{2}|[0-9]{4})(?![\w.])")
_YEARS = range(1900, 2100)
_WINDOW = 120  # characters before a date that may say what it is
_QUARTER_END = {"q1": (3, 31), "q2": (6, 30), "q3": (9, 30), "q4": (12, 31)}
_HALF_END = {"h1": (6, 30), "h2": (12, 31)}

Role = Literal["deadline", "baseline", "label"]


@dataclass(frozen=True, slots=True)
class Date:
    start: int  # the phrase that gives the date its role (`by the end of 2030`)
    end: int
    role: Role
    when: date | None


def year_of(text: str, num: Num) -> int | None:
    """The year a number could be: four digits, 1900-2099, nothing glued to it."""
    m = num.match
    if m is None:
        return None
    digits = m.group("int") or ""
    if (
        len(digits) != 4
        or not digits.isdigit()
        or int(digits) not in _YEARS
        or any(m.group(g) for g in ("code", "sign", "cur", "sign2", "frac", "comma"))
        or any(m.group(g) for g in ("exp", "mult", "word"))
        or PERCENT_RE.match(text, num.end)
    ):
        return None
    return int(digits)


def short_year_end(text: str, at: int) -> int:
    """Past ``-18`` in ``2017-18``: the second year of a span is part of the first's date."""
    joined = _SHORT_YEAR_RE.match(text, at)
    return joined.end() if joined else at


def baseline_year(year: int, start: int, end: int) -> Date:
    return Date(start, end, "baseline", date(year, 1, 1))


def year_role(text: str, num: Num, year: int) -> Date | None:
    """A deadline, a baseline's date, a labelled period, or None: a quantity."""
    start, end = num.start, short_year_end(text, num.end)
    at = max(0, start - _WINDOW)
    before = text[at:start]
    follows = bool(_DATE_FOLLOW.match(text, end))
    deadline = _DEADLINE_BEFORE.search(before)
    if (
        deadline is not None
        and (
            deadline["word"].lower() != "and"
            or re.search(r"\bbetween\b[^,;]*$", before[: deadline.start()], re.I)
        )
        and (follows or deadline["word"].lower() != "by" or not _AMOUNT_BY.search(before))
    ):
        return _deadline(at + deadline.start(), end, year, deadline["word"], deadline["period"])
    if not follows:
        return None
    return date_role(text, start, end, date(year, 1, 1), date(year, 12, 31), year)


def date_role(
    text: str, start: int, end: int, first: date | None, last: date | None, year: int | None
) -> Date | None:
    """The role of an ISO date or a year with nothing a unit could be after it."""
    at = max(0, start - _WINDOW)
    before = text[at:start]
    deadline = _DEADLINE_BEFORE.search(before)
    if deadline is not None and (
        deadline["word"].lower() != "and"
        or re.search(r"\bbetween\b[^,;]*$", before[: deadline.start()], re.I)
    ):
        first_day, last_day = period(year, deadline["period"], first, last)
        if deadline["word"].lower() == "before":
            when = first_day - timedelta(days=1) if first_day else None
        else:
            when = last_day
        return Date(at + deadline.start(), end, "deadline", when)
    baseline = _BASELINE_BEFORE.search(before)
    level = _BASELINE_AFTER.match(text, end)
    if baseline is not None or level is not None:
        first_day, _ = period(year, baseline["period"] if baseline else None, first, last)
        stop = level.end() if level is not None else end
        return Date(at + baseline.start() if baseline else start, stop, "baseline", first_day)
    label = _LABEL_BEFORE.search(before)
    if label is not None or _LABEL_AFTER.match(text, end):
        return Date(at + label.start() if label else start, end, "label", last)
    return None


def _deadline(start: int, end: int, year: int, word: str, quarter: str | None) -> Date:
    first_day, last_day = period(year, quarter, date(year, 1, 1), date(year, 12, 31))
    if word.lower() == "before":
        when = first_day - timedelta(days=1) if first_day else None
    else:
        when = last_day
    return Date(start, end, "deadline", when)


def period(
    year: int | None, name: str | None, first: date | None, last: date | None
) -> tuple[date | None, date | None]:
    """First and last day of ``Q2 2027``, ``June 2027``, ``H1 2027`` or the plain year."""
    if year is None or not name:
        return first, last
    key = name.lower()
    if key in _QUARTER_END or key in _HALF_END:
        month, day = _QUARTER_END.get(key) or _HALF_END[key]
        span = 3 if key in _QUARTER_END else 6
        return date(year, month - span + 1, 1), date(year, month, day)
    month = _MONTHS[key]
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
