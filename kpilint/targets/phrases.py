"""The text as phrases, and the baseline phrases in it (FORMAT.md "What a text says").

A phrase ends at ``,`` ``;`` ``:`` ``(`` or a sentence's ``.``; digits keep
their separators (``410,000``, ``10:1``, ``99.9``). A baseline phrase runs from
``from``, ``since``, ``compared to`` or ``baseline`` to the end of its phrase,
to a deadline phrase, or (``from 40 to 55``) to ``to`` and the target's number.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from kpilint.targets.numbers import FLAGS, Num

_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>|<![^<>]*>")
_SPACE_RE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff]+")
_BREAK_RE = re.compile(r"[;(\[\])]|,(?![0-9])|(?<![0-9]):|:(?![0-9])|[.!?](?=\s|$)")
_BASE_KEY_RE = re.compile(
    r"\b(?:from|since|compared\s+(?:to|with)|relative\s+to|baselines?)\b", FLAGS
)
_DEADLINE_AHEAD_RE = re.compile(
    r"\b(?:by|before|until)\s+(?:the\s+end\s+of\s+)?(?:(?:Q[1-4]|H[12])\s+)?(?:19|20)[0-9]{2}\b",
    FLAGS,
)
_TO_RE = re.compile(r"(?:\bto\b|->|→)\s*$", FLAGS)
_WORD_RE = re.compile(r"[^\W_]+")
_MAX_WORDS_TO_NUMBER = 4  # `from a baseline of 20`: the number follows the keyword closely
_MAX_GAP = 60  # characters: four words; a longer look would make many keywords quadratic


def clean(text: str) -> str:
    """Drop HTML tags and entities and collapse whitespace, so phrases match one way."""
    text = html.unescape(_TAG_RE.sub(" ", text))
    text = text.replace("’", "'").replace("−", "-")
    return _SPACE_RE.sub(" ", text).strip()


class Phrases:
    """Where phrases start and end, found once; look-ups are binary searches."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = []
        self.ends: list[int] = []
        for m in _BREAK_RE.finditer(text):
            self.starts.append(m.start())
            self.ends.append(m.end())

    def start_of(self, at: int) -> int:
        """Where the phrase holding ``at`` starts."""
        i = bisect_right(self.ends, at)
        return self.ends[i - 1] if i else 0

    def end_of(self, at: int) -> int:
        """Where the phrase holding ``at`` ends (the break, or the text's end)."""
        i = bisect_left(self.starts, at)
        return self.starts[i] if i < len(self.starts) else len(self.text)


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    nums: tuple[Num, ...]  # the numbers in it, in order


def baseline_spans(
    text: str, phrases: Phrases, nums: list[Num], is_year: dict[int, bool]
) -> list[Span]:
    """The baseline phrases, in order; ``is_year`` says which numbers (by start) are years."""
    spans: list[Span] = []
    starts = [n.start for n in nums]
    aheads = [m.start() for m in _DEADLINE_AHEAD_RE.finditer(text)]  # found once: linear
    covered = -1
    for key in _BASE_KEY_RE.finditer(text):
        if key.start() < covered:
            continue
        limit = phrases.end_of(key.end())
        k = bisect_left(aheads, key.end())
        if k < len(aheads):
            limit = min(limit, aheads[k])
        i = bisect_left(starts, key.end())
        if i >= len(nums) or nums[i].start >= limit or nums[i].start - key.end() > _MAX_GAP:
            continue  # no number close after the keyword: not a baseline phrase
        between = text[key.end() : nums[i].start]
        if len(_WORD_RE.findall(between)) > _MAX_WORDS_TO_NUMBER or re.search(
            r"\bto\b", between, FLAGS
        ):
            continue
        inside = [nums[i]]
        end = limit
        for j in range(i + 1, len(nums)):
            n = nums[j]
            if n.start >= limit:
                break
            prev = inside[-1]
            gap = text[prev.end : n.start]
            to = _TO_RE.search(gap)
            if to is not None and not (is_year.get(prev.start) and is_year.get(n.start)):
                end = prev.end + to.start()  # `from 40 to 55`: 55 is the target
                break
            inside.append(n)
        spans.append(Span(key.start(), end, tuple(inside)))
        covered = end
    return spans
