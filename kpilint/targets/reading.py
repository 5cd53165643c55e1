"""Read one target text: its dates, baseline phrases, and the target's own number.

The own number is the first number outside deadline and baseline phrases with
only a few words before it in its phrase (FORMAT.md); a text with numbers but no
own number is a statement. Everything the mapping cannot say leaves the reading
inexact, so KPI208's safe fix never changes what a target means.
"""

from __future__ import annotations

import re
from datetime import date

import kpilint.targets.comparisons as cmp
from kpilint.targets.dates import (
    ISO_DATE_RE,
    JOINED_RE,
    Date,
    baseline_year,
    date_role,
    short_year_end,
    year_of,
    year_role,
)
from kpilint.targets.numbers import (
    FLAGS,
    LABEL_RE,
    NUMBER_RE,
    ORDINAL_RE,
    WORD_NUMBER_RE,
    Num,
    as_number,
    digits_number,
    hyphen_name,
    word_number,
)
from kpilint.targets.phrases import Phrases, Span, baseline_spans, clean
from kpilint.targets.result import Direction, Form, ParsedTarget
from kpilint.targets.target import read_own

MAX_CHARS = 10_000  # a target is a phrase; reading more only costs time
_MAX_NAME_WORDS = 3  # words naming what is measured, before the own number
_ALNUM_RE = re.compile(r"[^\W_]")


class Reading:
    """One target text, read once: dates and baseline phrases first, then the own number."""

    def __init__(self, original: str) -> None:
        self.original = original
        text = clean(original[:MAX_CHARS])
        if label := LABEL_RE.match(text):  # `12.1 Implement ...`: not a number
            text = " " * label.end() + text[label.end() :]
        self.text = text
        self.why: list[str] = []
        if len(original) > MAX_CHARS:
            self.why.append("it is too long to read whole")
        self.phrases = Phrases(text)
        self.dates: list[Date] = []
        self.spans: list[Span] = []
        self.quantities: list[Num] = []
        self.baseline_nums: list[Num] = []
        self._find_numbers()
        self.masked = self._mask()

    # --- finding dates and quantities -------------------------------------------------

    def _find_numbers(self) -> None:
        text = self.text
        taken: set[int] = set()  # where ISO dates start: no number starts inside one
        for iso in ISO_DATE_RE.finditer(text):
            taken.update(range(iso.start(), iso.end()))
            try:
                when: date | None = date(int(iso[1]), int(iso[2]), int(iso[3]))
            except ValueError:
                when = None
            role = date_role(text, iso.start(), iso.end(), when, when, None)
            self.dates.append(role or Date(iso.start(), iso.end(), "label", when))
        nums: list[Num] = []
        for match in NUMBER_RE.finditer(text):
            if match.start() in taken or ORDINAL_RE.match(text, match.end()):
                continue  # inside a date, or an ordinal (`90th percentile`): a label
            if hyphen_name(text, match.start(), match.end()):
                continue  # `10-year framework`: part of a name
            nums.append(digits_number(match))
        words = [word_number(m) for m in WORD_NUMBER_RE.finditer(text)]
        if words:
            nums = sorted(nums + words, key=lambda n: n.start)
        is_year = {n.start: self._year_like(n) for n in nums}
        self.spans = baseline_spans(text, self.phrases, nums, is_year)
        in_span = {n.start for s in self.spans for n in s.nums}
        joined_to = -1  # the end of a year's joined second year (`2017-18`)
        previous: Date | None = None
        for num in nums:
            if num.start < joined_to:
                continue
            if num.start in in_span:
                if is_year[num.start]:
                    previous = baseline_year(year_of(text, num) or 0, num.start, num.end)
                    self.dates.append(previous)
                    joined_to = short_year_end(text, num.end)
                else:
                    self.baseline_nums.append(num)
                continue
            year = year_of(text, num)
            role = None
            if year is not None:
                if previous is not None and JOINED_RE.fullmatch(text, previous.end, num.start):
                    role = Date(num.start, num.end, previous.role, previous.when)
                else:
                    role = year_role(text, num, year)
            if role is None:
                self.quantities.append(num)
                previous = None
            else:
                self.dates.append(role)
                previous = role
                joined_to = short_year_end(text, num.end)

    def _year_like(self, num: Num) -> bool:
        """A year-shaped number with nothing a unit could be after it (in a baseline phrase)."""
        if year_of(self.text, num) is None:
            return False
        after = self.text[num.end : num.end + 24]
        return not re.match(r"\s?[^\W\d_]", after) or bool(
            re.match(
                r"\s(?:to|in|and|or|levels?|baselines?|by|before|until|the|for|as|of)\b",
                after,
                FLAGS,
            )
        )

    # --- helpers ------------------------------------------------------------------------

    def _mask(self) -> str:
        """The text with dates and baseline phrases blanked: what the target itself says."""
        chars = list(self.text)
        covered = sorted(
            [(d.start, d.end) for d in self.dates] + [(s.start, s.end) for s in self.spans]
        )
        done = 0
        for s, e in covered:  # each character is blanked once: linear
            for i in range(max(s, done), e):
                chars[i] = " "
            done = max(done, e)
        return "".join(chars)

    def blank(self, start: int, end: int) -> str:
        """The text between ``start`` and ``end`` with dates and baseline phrases blanked."""
        return self.masked[start:end]

    def _own(self, num: Num) -> bool:
        """Only an article, a few words naming what is measured, verbs and links before it."""
        prefix = cmp.CMP_RE.sub(" ", self.blank(self.phrases.start_of(num.start), num.start))
        others = 0
        for token in prefix.split():
            word = token.strip("\"'*").lower()
            if not _ALNUM_RE.search(word) or word in cmp.ARTICLES or word in cmp.LINKS:
                continue
            if cmp.VERB_RE.fullmatch(word) or cmp.LEVEL_VERB_RE.fullmatch(word):
                continue
            others += 1
        return others <= _MAX_NAME_WORDS

    def deadlines(self) -> tuple[date, ...]:
        return tuple(dict.fromkeys(d.when for d in self.dates if d.role == "deadline" and d.when))

    def plain(
        self, form: Form | None, direction: Direction | None = None, why: str | None = None
    ) -> ParsedTarget:
        """A reading with no value or change: no number, a statement, rate, rank or range."""
        based = [d for d in self.dates if d.role == "baseline"]
        baseline = self.baseline_value()
        return ParsedTarget(
            self.original,
            None,
            None,
            direction,
            baseline=baseline,
            baseline_date=based[0].when if based else None,
            deadlines=self.deadlines(),
            inexact=why,
            form=form,
        )

    def baseline_value(self) -> int | float | None:
        if not self.baseline_nums:
            return None
        first = self.baseline_nums[0]
        return as_number(first.value, integral=first.integral)

    # --- reading the target --------------------------------------------------------------

    def result(self) -> ParsedTarget:
        text, why = self.text, self.why
        if any(d.when is None and d.role != "label" for d in self.dates):
            why.append("a date in it is not a real calendar date")
        if not self.quantities:
            if self.baseline_nums:
                return self.plain("statement", None, "it gives a baseline but no target")
            return self.plain(None, cmp.first_direction(text), "it has no number to measure")
        own = self.quantities[0]
        if not self._own(own):
            return self.plain(
                "statement", None, "it is a statement: its numbers describe something else"
            )
        return read_own(self, own)
