"""Numbers and the units written with them: ``410,000``, ``$10K``, ``84%``, ``10:1``, ``double``.

Every quantifier here is followed by something it cannot also match and none is
nested, so matching is linear in the text's length.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from fractions import Fraction

from kpilint.targets.result import Number

FLAGS = re.IGNORECASE | re.ASCII

CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
_CODES = "USD|EUR|GBP|JPY|CHF|CAD|AUD|CNY|INR"
_MULTIPLIERS = {"k": 1_000, "m": 1_000_000, "b": 1_000_000_000}
_WORD_MULTIPLIERS = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}

NUMBER_RE = re.compile(
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
    FLAGS,
)
# `by half` is a change of 50%, `double` of 100%, `triple` of 200% (FORMAT.md).
WORD_NUMBER_RE = re.compile(
    r"\b(?:(?P<half>(?:by|in)\s+half)|half\b|(?P<double>doubl(?:e|ed|es|ing))"
    r"|(?P<triple>tripl(?:e|ed|es|ing)))\b",
    FLAGS,
)
PERCENT_RE = re.compile(r"\s?(?:%|percent\b|per cent\b|pct\b)", FLAGS)
_RATIO_RE = re.compile(r"\s?:\s?(?P<int>[0-9]+)(?:\.(?P<frac>[0-9]+))?(?![0-9])", FLAGS)
_CODE_AFTER_RE = re.compile(rf"\s?(?P<code>{_CODES})\b", FLAGS)
ORDINAL_RE = re.compile(r"(?:st|nd|rd|th)\b", FLAGS)
# `12.1 Implement ...`, `1.a End ...`: a target's label, not a number (FORMAT.md).
LABEL_RE = re.compile(r"\s*[0-9]+\.(?:[0-9]+|[a-z])\.?\s+(?=[^\W\d_])", FLAGS)

_MAX_INT_DIGITS = 309  # more digits than this is past the float range
_MAX_EXP_DIGITS = 3  # 1e999 is already past it
_MAX_FRAC_DIGITS = 30  # beyond float precision anyway; keeps int() cheap
_FLOAT_MAX = Fraction(sys.float_info.max)


@dataclass(frozen=True, slots=True)
class Num:
    """One number in the text: written in digits (``match``) or as a word (``double``)."""

    start: int
    end: int
    value: Fraction | None
    integral: bool
    match: re.Match[str] | None = None
    word: str | None = None  # "half", "double", "triple"

    def group(self, name: str) -> str | None:
        return self.match.group(name) if self.match is not None else None

    @property
    def ambiguous(self) -> bool:
        """``1,5``: a decimal comma or a thousands separator cut short."""
        return bool(self.group("comma"))


@dataclass(frozen=True, slots=True)
class Unit:
    unit: str | None
    end: int  # where the number's own unit ends (after %, a code, a ratio)
    value: Fraction | None
    integral: bool


def digits_number(match: re.Match[str]) -> Num:
    value, integral = _number_value(match)
    return Num(match.start(), match.end(), value, integral, match)


def word_number(match: re.Match[str]) -> Num:
    if match.group("double"):
        word, amount = "double", 100
    elif match.group("triple"):
        word, amount = "triple", 200
    else:
        word, amount = "half", 50
    return Num(match.start(), match.end(), Fraction(amount), True, None, word)


def hyphen_name(text: str, start: int, end: int) -> bool:
    """``10-year framework``, ``COVID-19``: a number joined to a word is part of a name."""
    before = start >= 2 and text[start - 1] == "-" and text[start - 2].isalpha()
    after = end + 1 < len(text) and text[end] == "-" and text[end + 1].isalpha()
    return before or after


def own_unit(text: str, num: Num) -> Unit:
    """A number's value and the unit written as part of it: ``%``, a currency, a ratio."""
    if num.word is not None:
        return Unit("%", num.end, num.value, True)
    value, integral = num.value, num.integral
    rest = text[num.end :]
    currency = num.group("code") or num.group("cur")
    if percent := PERCENT_RE.match(rest):
        return Unit("%", num.end + percent.end(), value, integral)
    if currency:
        code = CURRENCY_SYMBOLS.get(currency, currency.upper())
        return Unit(code, num.end, value, integral)
    if ratio := _RATIO_RE.match(rest):
        divisor = fraction(ratio.group("int"), ratio.group("frac"))
        value = value / divisor if value is not None and divisor else None
        integral = integral and ratio.group("frac") is None
        return Unit("ratio", num.end + ratio.end(), value, integral)
    if after := _CODE_AFTER_RE.match(rest):
        return Unit(after.group("code").upper(), num.end + after.end(), value, integral)
    return Unit(None, num.end, value, integral)


def fraction(int_part: str | None, frac_part: str | None) -> Fraction | None:
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
    value = fraction(match.group("int"), frac)
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


def as_number(value: Fraction | None, *, integral: bool) -> Number | None:
    """An int when written whole, else a float; None past the float range (no inf)."""
    if value is None or abs(value) > _FLOAT_MAX:
        return None
    if integral and value.denominator == 1:
        return int(value)
    return float(value)
