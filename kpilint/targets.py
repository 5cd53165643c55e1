"""Parse free-text KPI targets: value or change, unit, direction, baseline, deadlines.

People write targets as prose (``at or above 84%``, ``reduce by 10%``, ``from 40
to 55 points by 2030``). The target rules (KPI201-KPI208), the deadline rules and
the importers read them through :func:`parse_target`, the one entry point: it
reads a string the way a person would (FORMAT.md "target as a string") and never
raises, because a linter must not crash on one odd target.

What it reads:

* The first *quantity* (a number that is not a date) is the target; the
  comparison nearest before it governs it (``The target for this metric is at or
  below 10:1``). ``at`` and ``=`` count only directly before the number. Without
  one, a trailing ``or more``/``or less``/``max``/``minimum``/``+`` (``50+``) gives
  the direction. ``maintain``/``keep`` say ``maintain``.
* A *change* instead of a level: ``reduce by 10%``, ``grow revenue 20%`` (a
  change verb before the number, unless ``to`` follows it: ``reduce to 5%`` is a
  level), or a change noun after it (``20% increase``, ``a 50% reduction``).
* ``from X to Y``: value Y, baseline X, direction by which is larger.
* ``between X and Y``, ``X-Y``, ``X to Y``: a range (value X, ``high`` Y);
  ``10x``: a multiplier. Both are measurable but have no exact mapping.
* Years: a four-digit number from 1900 to 2099 with no unit, ``%`` or currency
  after it is a date when ``by``/``before``/``until``/``in``/``between .. and``
  introduce it (a deadline: ``by 2030`` is 2030-12-31, ``before 2030`` is
  2029-12-31; ``by Q2 2027`` is 2027-06-30), or ``from``/``since``/``compared
  to``/``below``/``than`` introduce it or ``level(s)``/``baseline`` follow it (the
  baseline's date). ISO dates (``2027-12-31``) likewise. A year labelled ``Q4
  2027:`` is a date whose role is unknown. Any other number is a quantity.
* Units: ``%`` (or ``percent``) gives ``"%"`` whatever follows (``8% of all MRs``);
  a currency symbol or ISO code gives the code (``$10K`` -> 10000 ``"USD"``);
  ``N:M`` is a ratio (value ``N / M``, unit ``"ratio"``); otherwise all words
  after the number up to a clause break (``,`` ``;`` ``:`` ``(``, a sentence end,
  `` by ``, `` and ``, a dash, a date) are the unit, as written.
* Numbers: ``1,200`` and ``1_000`` are whole numbers; ``1,5`` is read as 1.5 but
  is ambiguous (no exact mapping). Values are ``int`` unless written with a
  decimal point (and no K/M/B suffix making them whole): ``2.5M`` -> 2500000,
  ``99.95`` -> 99.95. Numbers beyond the float range are not numbers. A number
  glued to a letter before it (``Q4``, ``FY24``) is a label.
* ``exact`` says whether ``mapping()`` (plus the one deadline as
  ``timeline.end``) says everything the text says: no second target, range,
  multiplier, baseline date, several deadlines, period label, conflicting
  direction words or ambiguous number. KPI208's safe fix requires it.

Only the first 10 000 characters are read, so a pathological value cannot slow
a lint run; every regex here runs in linear time.
"""

from __future__ import annotations

import calendar
import html
import re
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Literal

__all__ = ["Direction", "ParsedTarget", "parse_target"]

Direction = Literal["increase", "decrease", "maintain"]
Number = int | float


@dataclass(frozen=True, slots=True)
class ParsedTarget:
    """What a free-text target says; neither ``value`` nor ``change`` means not measurable."""

    text: str
    value: Number | None
    unit: str | None
    direction: Direction | None
    change: Number | None = None  # how far to move instead of a level (a positive amount)
    baseline: Number | None = None  # where it starts (``from X to Y``)
    baseline_date: date | None = None  # the baseline's date (a year Y is Y-01-01)
    deadlines: tuple[date, ...] = ()
    high: Number | None = None  # the upper end of a range (``value`` is the lower)
    exact: bool = False  # mapping() plus the deadline say exactly what the text says
    inexact: str | None = None  # why there is no exact mapping, for messages

    @property
    def measurable(self) -> bool:
        """True when the text holds a quantity to measure against."""
        return self.value is not None or self.change is not None

    @property
    def deadline(self) -> date | None:
        """The one deadline the text gives; None when it gives none or several."""
        return self.deadlines[0] if len(self.deadlines) == 1 else None

    def mapping(self) -> dict[str, Number | str] | None:
        """The target as a FORMAT.md mapping, when it says exactly what the text says."""
        if not self.exact:
            return None
        out: dict[str, Number | str] = {}
        if self.change is not None:
            out["change"] = self.change
        elif self.value is not None:
            out["value"] = self.value
        if self.unit:
            out["unit"] = self.unit
        if self.direction:
            out["direction"] = self.direction
        if self.baseline is not None:
            out["baseline"] = self.baseline
        return out


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


def _alternation(phrases: list[str]) -> str:
    """Longest phrases first, so ``at or below`` wins over ``at``."""
    parts = []
    for phrase in sorted(phrases, key=len, reverse=True):
        body = re.escape(phrase)
        parts.append(rf"\b{body}\b" if phrase[0].isalpha() else body)
    return "|".join(parts)


_FLAGS = re.IGNORECASE | re.ASCII
_CMP_RE = re.compile(_alternation(list(_PHRASES)), _FLAGS)

_POSTFIX: dict[str, Direction] = {
    **dict.fromkeys(
        ("or more", "or higher", "or greater", "or above", "or over", "and above", "and up"),
        "increase",
    ),
    **dict.fromkeys(("at least", "minimum"), "increase"),
    **dict.fromkeys(
        ("or less", "or fewer", "or lower", "or below", "or under", "and below", "and under"),
        "decrease",
    ),
    **dict.fromkeys(("at most", "maximum", "max"), "decrease"),
}
_POSTFIX_RE = re.compile(_alternation(list(_POSTFIX)), _FLAGS)
_VERBS: dict[str, Direction | None] = {
    **dict.fromkeys(
        ("increase", "raise", "grow", "boost", "lift", "expand", "accelerate"), "increase"
    ),
    **dict.fromkeys(
        ("reduce", "decrease", "cut", "lower", "shrink", "decline", "drop", "halt", "lessen"),
        "decrease",
    ),
    "improve": None,  # better, but which way is better is not said
}
_VERB_RE = re.compile(
    r"\b(?P<verb>" + "|".join(_VERBS) + r")(?:s|d|ed|ing|es)?\b", re.IGNORECASE | re.ASCII
)
_NOUNS: dict[str, Direction] = {
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
_NOUN_RE = re.compile(
    r"\b(?P<noun>increase|growth|improvement|uplift|rise|gain|decrease|reduction|decline|drop"
    r"|cut)\b",
    _FLAGS,
)
_MORE_LESS_RE = re.compile(r"^\s?(?P<noun>higher|more|lower|less|fewer)\b", _FLAGS)

_CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
_CODES = "USD|EUR|GBP|JPY|CHF|CAD|AUD|CNY|INR"
_MULTIPLIERS = {"k": 1_000, "m": 1_000_000, "b": 1_000_000_000}
_WORD_MULTIPLIERS = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}

# Every quantifier below is followed by something it cannot also match, and
# none is nested, so matching is linear in the input length.
_NUMBER_RE = re.compile(
    r"(?<![\w.])"
    rf"(?:(?P<code>{_CODES})\s?)?"
    r"(?P<sign>[-+−])?"
    r"(?P<cur>[$€£¥])?\s?"
    r"(?P<sign2>[-+−])?"
    r"(?P<int>[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+(?:_[0-9]+)+|[0-9]+)?"
    r"(?:(?<=[0-9])|(?=\.[0-9]))"
    r"(?:\.(?P<frac>[0-9]+)|,(?P<comma>[0-9]{1,2}|[0-9]{4,})(?![0-9]))?"
    r"(?:e(?P<exp>[-+]?[0-9]+)(?![0-9]))?"  # 1e6, 2.5E-3: scientific notation
    r"(?:(?P<mult>[kmb])(?![a-z])|\s(?P<word>thousand|million|billion)\b)?",
    _FLAGS,
)
_PERCENT_RE = re.compile(r"\s?(?:%|percent\b|per cent\b|pct\b)", _FLAGS)
_RATIO_RE = re.compile(r"\s?:\s?(?P<int>[0-9]+)(?:\.(?P<frac>[0-9]+))?(?![0-9])", _FLAGS)
_CODE_AFTER_RE = re.compile(rf"\s?(?P<code>{_CODES})\b", _FLAGS)
_PLUS_RE = re.compile(r"\+(?![0-9])")
_TIMES_RE = re.compile(
    r"\s?(?:x(?![a-z0-9])|×)|\s?-?fold\b|\stimes\s(?:more|higher|greater|larger|faster|as|over)\b",
    _FLAGS,
)
_CLAUSE_RE = re.compile(
    r"[,;:(\[{]|[.!?](?=\s|$)|\s(?:by|and|but|from|to|since|before|until|compared|relative)\s"
    r"|\s[-–—]\s|—",
    _FLAGS,
)
_ENDS_FROM = re.compile(r"\bfrom\s*$", _FLAGS)
_ENDS_BETWEEN = re.compile(r"\bbetween\s*$", _FLAGS)
_ENDS_BY = re.compile(r"\bby\s*$", _FLAGS)
_ENDS_TO = re.compile(r"\bto\s*$", _FLAGS)

# --- dates ------------------------------------------------------------------------------

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_PERIOD = (
    r"(?:(?P<period>Q[1-4]|H[12]|"
    + "|".join(sorted(_MONTHS, key=len, reverse=True))
    + r")\.?,?\s*)?"
)
_DEADLINE_BEFORE = re.compile(
    r"\b(?P<word>by|before|until|till|through|in|between|and|to)\s+(?:the\s+)?"
    r"(?:(?:end|close)\s+of\s+(?:the\s+)?(?:year\s+)?)?" + _PERIOD + r"$",
    _FLAGS,
)
_BASELINE_BEFORE = re.compile(
    r"\b(?:from|since|compared\s+(?:to|with)|relative\s+to|below|than|vs\.?|versus)\s+"
    r"(?:(?:the|its|their|our)\s+)?(?:level\s+(?:of|in)\s+)?" + _PERIOD + r"$",
    _FLAGS,
)
_BASELINE_AFTER = re.compile(r"\s*(?:levels?|baselines?)\b", _FLAGS)
_LABEL_BEFORE = re.compile(
    r"\b(?:Q[1-4]|H[12]|FY|CY)\s*[-/]?\s*$|\b" + _PERIOD[3:-2] + r"$", _FLAGS
)
_LABEL_AFTER = re.compile(r"\s*:|\s+(?:targets?|goals?|plan)\b", _FLAGS)
# After a date: nothing a unit could be.
_DATE_FOLLOW = re.compile(
    r"\s*(?:$|[,;:.!?)\]}]|[-–—]\s)|\s+(?:and|or|with|compared|relative|against|levels?"
    r"|baselines?|for|from|the|in|at|on|to|onwards?|through|than|vs|versus|when|if|as|while"
    r"|then|is|are|was|were|will|should|must|we|our|it|this|each|every|targets?|goals?|plan)\b",
    _FLAGS,
)
_ISO_DATE_RE = re.compile(r"(?<![\w.-])([0-9]{4})-([0-9]{2})-([0-9]{2})(?![\w-])")
_PERIOD_LABEL_RE = re.compile(r"\b(?:Q[1-4]|H[12])\b|\b(?:FY|CY)\s?'?[0-9]{2,4}\b", _FLAGS)
_ORDINAL_RE = re.compile(r"(?:st|nd|rd|th)\b", _FLAGS)
_RELATIVE_DEADLINE_RE = re.compile(
    r"\b(?:by|before|until|in)\s+(?:the\s+)?(?:end\b|next\b|this\b|mid\b|eo[yqm]\b|year[- ]?end\b)"
    r"|\bend\s+of\s+(?:the\s+)?(?:year|quarter|month|fy|fiscal)\b",
    _FLAGS,
)
_YEARS = range(1900, 2100)
_WINDOW = 120  # characters before a date that may say what it is
_QUARTER_END = {"q1": (3, 31), "q2": (6, 30), "q3": (9, 30), "q4": (12, 31)}
_HALF_END = {"h1": (6, 30), "h2": (12, 31)}

_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>|<![^<>]*>")
_SPACE_RE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff]+")
_TRAILING = " \t.,;:!?)]}-–—"
_MAX_CHARS = 10_000  # a target is a phrase; reading more only costs time
_MAX_INT_DIGITS = 309  # more digits than this is past the float range
_MAX_EXP_DIGITS = 3  # 1e999 is already past it
_MAX_FRAC_DIGITS = 30  # beyond float precision anyway; keeps int() cheap
_FLOAT_MAX = Fraction(sys.float_info.max)


def parse_target(text: str) -> ParsedTarget:
    """Read a free-text target; unreadable text gives an unmeasurable result, never an error."""
    raw: object = text  # YAML may hand us a number or anything else
    try:
        text = raw if isinstance(raw, str) else str(raw)
    except Exception:
        text = ""
    try:
        return _Reading(text).result()
    except Exception:  # defensive: one odd target must not stop a lint run
        return ParsedTarget(text, None, None, None, inexact="it could not be read")


def _clean(text: str) -> str:
    """Drop HTML tags and entities and collapse whitespace, so phrases match one way."""
    text = html.unescape(_TAG_RE.sub(" ", text))
    text = text.replace("’", "'").replace("−", "-")
    return _SPACE_RE.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class _Date:
    start: int  # the phrase that gives the date its role (`by the end of 2030`)
    end: int
    role: Literal["deadline", "baseline", "label"]
    when: date | None


@dataclass(frozen=True, slots=True)
class _Unit:
    unit: str | None
    end: int  # where the number's own unit ends (after %, a code, a ratio)
    words: tuple[int, int] | None  # the span of unit words, when the unit is words
    value: Fraction | None
    integral: bool


class _Reading:
    """One target text, read once: dates first, then quantities and what governs them."""

    def __init__(self, original: str) -> None:
        self.original = original
        self.text = _clean(original[:_MAX_CHARS])
        self.why: list[str] = []
        if len(original) > _MAX_CHARS:
            self.why.append("it is too long to read whole")
        self.dates: list[_Date] = []
        self.quantities: list[re.Match[str]] = []
        self._find_numbers()

    # --- finding dates and quantities -------------------------------------------------

    def _find_numbers(self) -> None:
        text = self.text
        taken: set[int] = set()  # where ISO dates start: no number starts inside one
        for iso in _ISO_DATE_RE.finditer(text):
            taken.update(range(iso.start(), iso.end()))
            try:
                when: date | None = date(int(iso[1]), int(iso[2]), int(iso[3]))
            except ValueError:
                when = None
            role = self._date_role(iso.start(), iso.end(), when, when, None)
            self.dates.append(role or _Date(iso.start(), iso.end(), "label", when))
        previous: _Date | None = None
        for match in _NUMBER_RE.finditer(text):
            if match.start() in taken or _ORDINAL_RE.match(text, match.end()):
                continue  # inside a date, or an ordinal (`90th percentile`): a label
            year = self._year(match, previous)
            if year is None:
                self.quantities.append(match)
            else:
                self.dates.append(year)
            previous = year

    def _year(self, match: re.Match[str], previous: _Date | None) -> _Date | None:
        """The date a year-shaped number stands for, or None when it is a quantity."""
        digits = match.group("int") or ""
        if (
            len(digits) != 4
            or not digits.isdigit()
            or int(digits) not in _YEARS
            or any(match.group(g) for g in ("code", "sign", "cur", "sign2", "frac", "comma"))
            or any(match.group(g) for g in ("exp", "mult", "word"))
        ):
            return None
        after = self.text[match.end() :]
        if not _DATE_FOLLOW.match(after) or _PERCENT_RE.match(after):
            return None
        year = int(digits)
        if (
            previous is not None
            and previous.role == "baseline"
            and re.fullmatch(r"\s*(?:to|-|–)\s*", self.text[previous.end : match.start()])
        ):
            return _Date(match.start(), match.end(), "deadline", date(year, 12, 31))
        return self._date_role(match.start(), match.end(), _first_day(year), _last_day(year), year)

    def _date_role(
        self, start: int, end: int, first: date | None, last: date | None, year: int | None
    ) -> _Date | None:
        """A deadline, a baseline's date, a labelled period, or None: a quantity."""
        # The words that give a date its role sit right before it: a short window
        # keeps a text of many dates linear.
        at = max(0, start - _WINDOW)
        before = self.text[at:start]
        deadline = _DEADLINE_BEFORE.search(before)
        if (
            deadline is not None
            and (
                deadline["word"].lower() != "and"
                or re.search(r"\bbetween\b[^,;]*$", before[: deadline.start()], re.I)
            )
            and (deadline["word"].lower() != "to")
        ):
            first_day, last_day = _period(year, deadline["period"], first, last)
            if deadline["word"].lower() == "before":
                when = first_day - timedelta(days=1) if first_day else None
            else:
                when = last_day
            return _Date(at + deadline.start(), end, "deadline", when)
        baseline = _BASELINE_BEFORE.search(before)
        level = _BASELINE_AFTER.match(self.text, end)
        if baseline is not None or level is not None:
            first_day, _ = _period(year, baseline["period"] if baseline else None, first, last)
            stop = level.end() if level is not None else end
            return _Date(at + baseline.start() if baseline else start, stop, "baseline", first_day)
        label = _LABEL_BEFORE.search(before)
        if label is not None or _LABEL_AFTER.match(self.text, end):
            return _Date(at + label.start() if label else start, end, "label", last)
        return None

    # --- reading the target ------------------------------------------------------------

    def result(self) -> ParsedTarget:
        text, why = self.text, self.why
        deadlines = tuple(
            dict.fromkeys(d.when for d in self.dates if d.role == "deadline" and d.when)
        )
        if any(d.when is None and d.role != "label" for d in self.dates):
            why.append("a date in it is not a real calendar date")
        based = [d for d in self.dates if d.role == "baseline"]
        baseline_date = based[0].when if based else None
        if not self.quantities:
            return ParsedTarget(
                self.original,
                None,
                None,
                _first_direction(text),
                baseline_date=baseline_date,
                deadlines=deadlines,
                inexact="it has no number to measure",
            )
        if based:
            why.append("a baseline date cannot be written in the mapping")
        if any(d.role == "label" for d in self.dates) or self._period_labels():
            why.append("it names a period that is not a deadline")
        if len(deadlines) > 1:
            why.append("it gives several deadlines")

        q0 = self.quantities[0]
        u0 = _own_unit(text, q0)
        prefix = text[: q0.start()]
        cmp_dir, cmp_end = _governing(prefix)
        verb = _last(_VERB_RE, prefix)
        if _conflicting(prefix):
            why.append("its direction words disagree")
        kind = "value"
        target, after = u0, u0.end
        first: _Unit | None = None  # the baseline (from X to Y) or lower end (a range)
        first_unit: str | None = None
        used = [q0]
        if len(self.quantities) > 1:
            q1 = self.quantities[1]
            gap = text[u0.end : q1.start()]
            if _ENDS_FROM.search(prefix):
                kind, words = "from-to", _gap(gap, r"(?:\bto\b|->|→)")
            elif _ENDS_BETWEEN.search(prefix):
                kind, words = "range", _gap(gap, r"\band\b")
            else:
                kind, words = "range", _gap(gap, r"(?:-|–|—|\bto\b)")
            if words is None:
                kind = "value"
            else:
                first, first_unit = u0, u0.unit or words or None
                target = _own_unit(text, q1)
                after = target.end
                used.append(q1)
        unit = target.unit
        if kind == "value" and _ENDS_FROM.search(prefix):
            why.append("it gives a starting point but no target")
        rest = text[after:]
        postfix_dir: Direction | None = None
        noun_dir: Direction | None = None
        if plus := _PLUS_RE.match(rest):  # `50+` is at least 50
            postfix_dir, after = "increase", after + plus.end()
        elif times := _TIMES_RE.match(rest):
            kind, unit, after = "multiplier", "x", after + times.end()
        rest = text[after:]
        if (
            kind != "multiplier"
            and unit is not None
            and (
                noun := re.match(r"\s?" + _NOUN_RE.pattern, rest, _FLAGS)
                or _MORE_LESS_RE.match(rest)
            )
        ):
            noun_dir, after = _NOUNS[noun["noun"].lower()], after + noun.end()
        stop = self._stop(after)
        words_start = after
        words = text[after:stop]
        if unit is None and kind != "multiplier" and noun_dir is None:
            noun = re.match(r"\s?(?:[^\s,;:]+\s)?" + _NOUN_RE.pattern, words, _FLAGS)
            if noun is not None and (cmp_dir is None or verb is not None):
                noun_dir = _NOUNS[noun["noun"].lower()]
                words = words[: noun.start("noun")]
                stop = words_start + len(words)
        if postfix := _POSTFIX_RE.search(words):
            words = words[: postfix.start()]
            postfix_dir = postfix_dir or _POSTFIX.get(postfix.group(0).lower())
        words_span = (words_start, words_start)  # numbers in dropped words are lost
        if unit is None and kind != "multiplier":
            unit = words.strip().lstrip("-–—").rstrip(_TRAILING).strip() or None
            words_span = (words_start, words_start + len(words))
            if unit and (_strong_comparison(unit) or _VERB_RE.search(unit)):
                why.append("its unit words hold another condition")
        if first_unit is not None and unit is not None and first_unit != unit:
            why.append("its two numbers have different units")
        unit = unit or first_unit

        # direction, and whether this is a change
        change = False
        direction: Direction | None = None
        if kind == "from-to" and first is not None:
            low, high_ = first.value, target.value
            if low is not None and high_ is not None:
                direction = "increase" if high_ > low else "decrease" if high_ < low else None
            if direction is None:
                why.append("it moves from a number to the same number")
            for said in (cmp_dir, _VERBS.get(verb["verb"].lower()) if verb else None, postfix_dir):
                if said is not None and said != direction:
                    why.append("its direction words disagree with its numbers")
        elif noun_dir is not None and kind == "value":
            change, direction = True, noun_dir
            if cmp_dir is not None and cmp_end > (verb.end() if verb else -1):
                why.append("it says both a level and a change")
        elif (
            kind == "value"
            and verb is not None
            and (cmp_dir is None or cmp_end <= verb.start())
            and not _ENDS_TO.search(prefix)
        ):
            change, direction = True, _VERBS[verb["verb"].lower()]
        elif kind == "value" and _ENDS_BY.search(prefix) and cmp_dir is None:
            change = True
        else:
            direction = cmp_dir
            if direction is None and verb is not None and _ENDS_TO.search(prefix):
                direction = _VERBS[verb["verb"].lower()]
            if direction is None and kind == "multiplier":
                more = _MORE_LESS_RE.match(rest)
                direction = _NOUNS[more["noun"].lower()] if more else None
        if postfix_dir is not None:
            if direction is not None and postfix_dir != direction:
                why.append("its direction words disagree")
            direction = direction or postfix_dir
        if kind == "range":
            why.append("a range has no exact mapping")
        if kind == "multiplier":
            why.append("a multiple of an unstated baseline has no exact mapping")
        if change and direction is None:
            why.append("it says neither which way nor how to change")
        if any(q.group("comma") for q in used):
            why.append("a number with a decimal comma is ambiguous")
        covered = [(q0.start(), u0.end), words_span]
        if len(used) > 1:
            covered.append((used[1].start(), target.end))
        self._leftovers(used, covered, stop)

        amount = _as_number(target.value, integral=target.integral)
        if amount is None:
            return ParsedTarget(
                self.original,
                None,
                None,
                direction,
                deadlines=deadlines,
                inexact="its number is out of range",
            )
        if change and amount <= 0:
            why.append("a change must be a positive amount")
        other = _as_number(first.value, integral=first.integral) if first is not None else None
        if kind == "range" and first is not None:  # the value is the lower end
            amount, other = other, amount
            if amount is None:
                return ParsedTarget(self.original, None, None, direction, deadlines=deadlines)
        return ParsedTarget(
            self.original,
            None if change else amount,
            unit,
            direction,
            change=amount if change else None,
            baseline=other if kind == "from-to" else None,
            baseline_date=baseline_date,
            deadlines=deadlines,
            high=other if kind == "range" else None,
            exact=not why,
            inexact="; ".join(dict.fromkeys(why)) or None,
        )

    # --- helpers that need the text ----------------------------------------------------

    def _stop(self, at: int) -> int:
        """Where the unit words after ``at`` end: a clause break or a date phrase."""
        stop = len(self.text)
        if clause := _CLAUSE_RE.search(self.text, at):
            stop = clause.start()
        for d in self.dates:
            if d.start >= at:
                stop = min(stop, d.start)
        return stop

    def _outside_dates(self, start: int, end: int) -> str:
        """The text between ``start`` and ``end`` with date phrases blanked out."""
        chars = list(self.text[start:end])
        for d in self.dates:
            for i in range(max(d.start, start), min(d.end, end)):
                chars[i - start] = " "
        return "".join(chars)

    def _period_labels(self) -> bool:
        """``Q4``, ``FY24``, ``by the end of the year``: a period, but no date to write."""
        rest = self._outside_dates(0, len(self.text))
        return bool(_PERIOD_LABEL_RE.search(rest) or _RELATIVE_DEADLINE_RE.search(rest))

    def _leftovers(
        self, used: list[re.Match[str]], covered: list[tuple[int, int]], stop: int
    ) -> None:
        """A second number, or direction words, beyond the target: more than a mapping says."""
        for q in self.quantities:
            if q not in used and not any(s <= q.start() and q.end() <= e for s, e in covered):
                self.why.append("it holds more numbers than the mapping can say")
                break
        tail = self._outside_dates(stop, len(self.text))
        if _strong_comparison(tail) or _VERB_RE.search(tail) or _NOUN_RE.search(tail):
            self.why.append("it says more after the target than a mapping can")


def _gap(gap: str, connector: str) -> str | None:
    """Unit words then ``connector`` between two numbers (``points to``); None when not."""
    if len(gap) > 40:  # two numbers this far apart are not a pair
        return None
    end = re.search(r"\s*" + connector + r"\s*$", gap, _FLAGS)
    if end is None or re.search(r"[\d,;:()]", gap[: end.start()]):
        return None
    return gap[: end.start()].strip().rstrip(_TRAILING).strip()


def _own_unit(text: str, match: re.Match[str]) -> _Unit:
    """A number's value and the unit written as part of it: ``%``, a currency, a ratio."""
    value, integral = _number_value(match)
    rest = text[match.end() :]
    currency = match.group("code") or match.group("cur")
    if percent := _PERCENT_RE.match(rest):
        return _Unit("%", match.end() + percent.end(), None, value, integral)
    if currency:
        code = _CURRENCY_SYMBOLS.get(currency, currency.upper())
        return _Unit(code, match.end(), None, value, integral)
    if ratio := _RATIO_RE.match(rest):
        divisor = _fraction(ratio.group("int"), ratio.group("frac"))
        value = value / divisor if value is not None and divisor else None
        integral = integral and ratio.group("frac") is None
        return _Unit("ratio", match.end() + ratio.end(), None, value, integral)
    if code := _CODE_AFTER_RE.match(rest):
        return _Unit(code.group("code").upper(), match.end() + code.end(), None, value, integral)
    return _Unit(None, match.end(), None, value, integral)


def _last(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    found = None
    for found in pattern.finditer(text):  # noqa: B007 - the last one is wanted
        pass
    return found


def _strong_comparison(text: str) -> bool:
    return any(m.group(0).lower() not in _WEAK for m in _CMP_RE.finditer(text))


def _first_direction(text: str) -> Direction | None:
    """With no number, the first firm comparison still tells which way is better."""
    for match in _CMP_RE.finditer(text):
        phrase = match.group(0).lower()
        if phrase not in _WEAK:
            return _PHRASES.get(phrase)
    return None


def _governing(prefix: str) -> tuple[Direction | None, int]:
    """The comparison nearest before the number, and where it ends; weak ones must touch it."""
    found: Direction | None = None
    at = -1
    end = len(prefix.rstrip())
    for match in _CMP_RE.finditer(prefix):
        phrase = match.group(0).lower()
        if phrase in _WEAK and match.end() != end:
            continue
        if phrase in _PHRASES:
            found, at = _PHRASES[phrase], match.end()
    return found, at


def _conflicting(prefix: str) -> bool:
    """Both higher-is-better and lower-is-better words before the number."""
    said: set[Direction | None] = {
        _PHRASES.get(m.group(0).lower())
        for m in _CMP_RE.finditer(prefix)
        if m.group(0).lower() not in _WEAK
    }
    said |= {_VERBS[m["verb"].lower()] for m in _VERB_RE.finditer(prefix)}
    return {"increase", "decrease"} <= said


def _first_day(year: int) -> date:
    return date(year, 1, 1)


def _last_day(year: int) -> date:
    return date(year, 12, 31)


def _period(
    year: int | None, period: str | None, first: date | None, last: date | None
) -> tuple[date | None, date | None]:
    """First and last day of ``Q2 2027``, ``June 2027``, ``H1 2027`` or the plain year."""
    if year is None or not period:
        return first, last
    key = period.lower()
    if key in _QUARTER_END or key in _HALF_END:
        month, day = _QUARTER_END.get(key) or _HALF_END[key]
        span = 3 if key in _QUARTER_END else 6
        return date(year, month - span + 1, 1), date(year, month, day)
    month = _MONTHS[key]
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _fraction(int_part: str | None, frac_part: str | None) -> Fraction | None:
    """Exact value of written digits; None when too large to be a real target."""
    digits = (int_part or "").replace(",", "").replace("_", "").lstrip("0") or "0"
    if len(digits) > _MAX_INT_DIGITS:
        return None
    frac = (frac_part or "")[:_MAX_FRAC_DIGITS]
    value = Fraction(int(digits))
    if frac:
        value += Fraction(int(frac), 10 ** len(frac))
    return value


def _number_value(match: re.Match[str]) -> tuple[Fraction | None, bool]:
    """The exact value of a matched number (sign, separators, K/M/B) and if it is whole."""
    frac = match.group("frac") or match.group("comma")
    value = _fraction(match.group("int"), frac)
    exp = match.group("exp")
    if value is not None and exp is not None:
        power = int(exp) if len(exp.lstrip("+-")) <= _MAX_EXP_DIGITS else None
        value = value * Fraction(10) ** power if power is not None and abs(power) <= 400 else None
    mult = match.group("mult") or match.group("word")
    if value is not None and mult:
        value *= _MULTIPLIERS.get(mult.lower()) or _WORD_MULTIPLIERS.get(mult.lower(), 1)
    if value is not None and "-" in (match.group("sign"), match.group("sign2")):
        value = -value
    return value, (frac is None and exp is None) or bool(mult)


def _as_number(value: Fraction | None, *, integral: bool) -> Number | None:
    """An int when written whole, else a float; None past the float range (no inf)."""
    if value is None or abs(value) > _FLOAT_MAX:
        return None
    if integral and value.denominator == 1:
        return int(value)
    return float(value)
