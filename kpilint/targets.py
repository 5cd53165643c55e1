"""Parse free-text KPI targets into value, unit and direction.

People write targets as prose (``at or above 84%``, ``Below 30 days``,
``>= 1200 signups/month``). The target rules (KPI201-KPI208) need numbers, so this
module reads such a string the way a person would and never raises: a linter
must not crash on one odd target.

Conventions:

* The *first* number is the target value; the comparison nearest before it
  governs it (``The target for this metric is at or below 10:1``). ``at`` and
  ``=`` count only directly before the number, as they are common prepositions.
  Without one, a trailing ``or more``/``or less``/``max``/``minimum`` (not
  ``min``: that is minutes), or an ``increase``/``reduction`` word right after
  the number, gives the direction.
* ``%`` (or ``percent``) gives unit ``"%"`` whatever follows (``8% of all MRs``).
* A currency symbol before the number (``$ € £ ¥``) or an ISO code before or
  after it (``USD``, ``EUR``, ...) gives the ISO code as unit (``$10K`` ->
  10000 ``"USD"``).
* ``N:M`` is a ratio: value ``N / M``, unit ``"ratio"`` (``10:1`` -> 10).
* Otherwise the unit is all the words after the number, as written, up to a
  clause break (``,`` ``;`` ``:`` ``(`` ``[``, a sentence end, `` by ``,
  `` and ``, `` but ``, a dash) with trailing punctuation trimmed. Qualifiers stay
  in the unit: ``2500ms at the 90th percentile`` -> ``"ms at the 90th
  percentile"``, so nothing the author wrote is lost when the target is rewritten
  as a mapping.
* Values are ``int`` unless written with a decimal point (and no K/M/B suffix
  making them whole) or not whole: ``12`` -> 12, ``2.5M`` -> 2500000,
  ``99.95`` -> 99.95, ``1.0`` -> 1.0. Numbers beyond the float range are not
  numbers (value None). A number glued to a letter before it (``Q4``, ``FY24``)
  is a label, not a number. ``N:0`` is no number either.
* Only the first 10 000 characters are read, so a pathological value cannot slow
  a lint run; every regex here runs in linear time.
"""

from __future__ import annotations

import html
import re
import sys
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

__all__ = ["Direction", "ParsedTarget", "parse_target"]

Direction = Literal["increase", "decrease", "maintain"]


@dataclass(frozen=True, slots=True)
class ParsedTarget:
    """What a free-text target says; ``value`` None means it cannot be measured."""

    text: str
    value: int | float | None
    unit: str | None
    direction: Direction | None

    @property
    def measurable(self) -> bool:
        """True when the text holds a number to measure against."""
        return self.value is not None


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
_MAINTAIN = ("equal to", "equals", "exactly", "==", "=", "at")
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
_CHANGE_RE = re.compile(
    r"\s?(?:(?P<up>increase|growth|improvement|uplift|rise)"
    r"|(?P<down>decrease|reduction|decline|drop))\b",
    _FLAGS,
)

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
    r"(?P<int>[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)?"
    r"(?:(?<=[0-9])|(?=\.[0-9]))"
    r"(?:\.(?P<frac>[0-9]+))?"
    r"(?:e(?P<exp>[-+]?[0-9]+)(?![0-9]))?"  # 1e6, 2.5E-3: scientific notation
    r"(?:(?P<mult>[kmb])(?![a-z])|\s(?P<word>thousand|million|billion)\b)?",
    _FLAGS,
)
_PERCENT_RE = re.compile(r"\s?(?:%|percent\b|per cent\b|pct\b)", _FLAGS)
_RATIO_RE = re.compile(r"\s?:\s?(?P<int>[0-9]+)(?:\.(?P<frac>[0-9]+))?(?![0-9])", _FLAGS)
_CODE_AFTER_RE = re.compile(rf"\s?(?P<code>{_CODES})\b", _FLAGS)
_RANGE_RE = re.compile(r"\s?(?:-|–|to\b)\s?[$€£¥]?[0-9][0-9,]*(?:\.[0-9]+)?", _FLAGS)
_CLAUSE_RE = re.compile(
    r"[,;:(\[{]|[.!?](?=\s|$)|\s(?:by|and|but)\s|\s[-–—]\s|—",
    _FLAGS,
)

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
        return _parse(text)
    except Exception:  # defensive: one odd target must not stop a lint run
        return ParsedTarget(text, None, None, None)


def _clean(text: str) -> str:
    """Drop HTML tags and entities and collapse whitespace, so phrases match one way."""
    text = html.unescape(_TAG_RE.sub(" ", text))
    text = text.replace("’", "'").replace("−", "-")
    return _SPACE_RE.sub(" ", text).strip()


def _parse(original: str) -> ParsedTarget:
    text = _clean(original[:_MAX_CHARS])
    number = _NUMBER_RE.search(text)
    if number is None:
        return ParsedTarget(original, None, None, _first_direction(text))
    direction = _governing_direction(text[: number.start()])
    exact, integral = _number_value(number)
    rest = text[number.end() :]
    unit: str | None = None
    currency = number.group("code") or number.group("cur")
    if percent := _PERCENT_RE.match(rest):
        unit, rest = "%", rest[percent.end() :]
    elif currency:
        unit = _CURRENCY_SYMBOLS.get(currency, currency.upper())
    elif ratio := _RATIO_RE.match(rest):
        divisor = _fraction(ratio.group("int"), ratio.group("frac"))
        exact = exact / divisor if exact is not None and divisor else None
        integral = integral and ratio.group("frac") is None
        unit, rest = "ratio", rest[ratio.end() :]
    elif code := _CODE_AFTER_RE.match(rest):
        unit, rest = code.group("code").upper(), rest[code.end() :]
    if range_ := _RANGE_RE.match(rest):
        rest = rest[range_.end() :]
    if direction is None and (change := _CHANGE_RE.match(rest)):
        direction = "increase" if change.group("up") else "decrease"
    if clause := _CLAUSE_RE.search(rest):
        rest = rest[: clause.start()]
    if postfix := _POSTFIX_RE.search(rest):
        rest = rest[: postfix.start()]
        direction = direction or _POSTFIX.get(postfix.group(0).lower())
    value = _as_number(exact, integral=integral)
    if value is None:
        unit = None
    elif unit is None:
        unit = rest.strip().lstrip("-–—").rstrip(_TRAILING).strip() or None
    return ParsedTarget(original, value, unit, direction)


def _first_direction(text: str) -> Direction | None:
    """With no number, the first firm comparison still tells which way is better."""
    for match in _CMP_RE.finditer(text):
        phrase = match.group(0).lower()
        if phrase not in _WEAK:
            return _PHRASES.get(phrase)
    return None


def _governing_direction(prefix: str) -> Direction | None:
    """The comparison nearest before the number governs it; weak ones must touch it."""
    found: Direction | None = None
    end = len(prefix.rstrip())
    for match in _CMP_RE.finditer(prefix):
        phrase = match.group(0).lower()
        if phrase in _WEAK and match.end() != end:
            continue
        found = _PHRASES.get(phrase, found)
    return found


def _fraction(int_part: str | None, frac_part: str | None) -> Fraction | None:
    """Exact value of written digits; None when too large to be a real target."""
    digits = (int_part or "").replace(",", "").lstrip("0") or "0"
    if len(digits) > _MAX_INT_DIGITS:
        return None
    frac = (frac_part or "")[:_MAX_FRAC_DIGITS]
    value = Fraction(int(digits))
    if frac:
        value += Fraction(int(frac), 10 ** len(frac))
    return value


def _number_value(match: re.Match[str]) -> tuple[Fraction | None, bool]:
    """The exact value of a matched number (sign, separators, K/M/B) and if it is whole."""
    value = _fraction(match.group("int"), match.group("frac"))
    exp = match.group("exp")
    if value is not None and exp is not None:
        power = int(exp) if len(exp.lstrip("+-")) <= _MAX_EXP_DIGITS else None
        value = value * Fraction(10) ** power if power is not None and abs(power) <= 400 else None
    mult = match.group("mult") or match.group("word")
    if value is not None and mult:
        value *= _MULTIPLIERS.get(mult.lower()) or _WORD_MULTIPLIERS.get(mult.lower(), 1)
    if value is not None and "-" in (match.group("sign"), match.group("sign2")):
        value = -value
    return value, (match.group("frac") is None and exp is None) or bool(mult)


def _as_number(value: Fraction | None, *, integral: bool) -> int | float | None:
    """An int when written whole, else a float; None past the float range (no inf)."""
    if value is None or abs(value) > _FLOAT_MAX:
        return None
    if integral and value.denominator == 1:
        return int(value)
    return float(value)
