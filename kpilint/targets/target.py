"""The target's own number and what the words around it say: level or change, unit,
direction, strictness; and whether a mapping says all of it (FORMAT.md).
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

import kpilint.targets.comparisons as cmp
from kpilint.targets.dates import PERIOD_LABEL_RE, RELATIVE_DEADLINE_RE
from kpilint.targets.numbers import FLAGS, Num, Unit, as_number, own_unit
from kpilint.targets.result import Direction, ParsedTarget

if TYPE_CHECKING:
    from kpilint.targets.reading import Reading

_TRAILING = " \t.,;:!?)]}-–—\"'"
_MAX_NAME_WORDS = 3
_MAX_UNIT_WORDS = 4  # `per person per month`
# Where unit words end: a comparison, direction or deadline word, `at`, a phrase's end.
_UNIT_STOP_RE = re.compile(
    r"\s(?:by|and|but|to|at|in|before|until|from|since|compared|relative|than|versus|vs|or)\b"
    r"|\s[-–—]\s|—",
    FLAGS,
)
_ENDS_BETWEEN = re.compile(r"\bbetween\s*$", FLAGS)
_ENDS_BY = re.compile(r"\bby\s*$", FLAGS)
_ENDS_TO = re.compile(r"\bto\s*$", FLAGS)
_WORD_RE = re.compile(r"[^\W_]+")


def read_own(r: Reading, own: Num) -> ParsedTarget:
    """Read the target around its own number ``own``."""
    text, why = r.text, r.why
    deadlines = r.deadlines()
    based = [d for d in r.dates if d.role == "baseline"]
    baseline_date = based[0].when if based else None
    if based:
        why.append("a baseline date cannot be written in the mapping")
    if any(d.role == "label" for d in r.dates) or _period_labels(r.masked):
        why.append("it names a period that is not a deadline")
    if len(deadlines) > 1:
        why.append("it gives several deadlines")
    start = r.phrases.start_of(own.start)
    end = r.phrases.end_of(own.end)
    prefix = r.blank(start, own.start)
    if own.word is None and cmp.RANK_BEFORE_RE.search(text[max(0, own.start - 12) : own.start]):
        return r.plain("rank", None, "a rank has no value or change")
    earlier = r.blank(0, start)
    if (
        len(_WORD_RE.findall(earlier)) > _MAX_NAME_WORDS
        or cmp.strong_comparison(earlier)
        or cmp.VERB_RE.search(earlier)
    ):
        why.append("it says more before the target than a mapping can")

    u0 = own_unit(text, own)
    cmp_dir, cmp_end, strict = cmp.governing(prefix)
    verb = cmp.last(cmp.VERB_RE, prefix)
    level_verb = cmp.last(cmp.LEVEL_VERB_RE, prefix)
    if cmp.conflicting(prefix):
        why.append("its direction words disagree")
    used = [own]
    # a range: `between 40 and 60`, `40-60%`, `5 to 10 days`
    if len(r.quantities) > 1 and own.word is None:
        q1 = r.quantities[1]
        connector = "and" if _ENDS_BETWEEN.search(prefix) else "plain"
        words = _gap(text[u0.end : q1.start], connector)
        if words is not None:
            high = own_unit(text, q1)
            low = as_number(u0.value, integral=u0.integral)
            return dataclasses.replace(
                r.plain("range", cmp_dir, "a range has no value or change"),
                low=low,
                high=as_number(high.value, integral=high.integral),
            )
    if cmp.RATE_RE.search(r.masked) or (
        u0.unit == "%" and cmp.PER_PERIOD_RE.search(r.masked, u0.end, end)
    ):
        return r.plain("rate", cmp_dir, "a rate per period has no value or change")

    kind = "value"
    after = u0.end
    unit = u0.unit
    rest = text[after:]
    postfix_dir: Direction | None = None
    noun_dir: Direction | None = None
    if plus := cmp.PLUS_RE.match(rest):  # `50+` is at least 50
        postfix_dir, after = "increase", after + plus.end()
    elif times := cmp.TIMES_RE.match(rest):
        kind, unit, after = "multiplier", "x", after + times.end()
    rest = text[after:]
    if kind != "multiplier" and unit is not None:
        noun = re.match(r"\s?" + cmp.NOUN_RE.pattern, rest, FLAGS) or cmp.MORE_LESS_RE.match(rest)
        if noun is not None:
            noun_dir, after = cmp.NOUNS[noun["noun"].lower()], after + noun.end()
    if unit is None and kind != "multiplier":
        words_text, after, noun_dir = _unit_words(r, after, end, cmp_dir, verb)
        if words_text is not None:
            unit = words_text
    if postfix := cmp.POSTFIX_RE.match(text, after) or re.compile(
        r"\s(?:" + cmp.POSTFIX_RE.pattern + ")", FLAGS
    ).match(text, after):
        postfix_dir = postfix_dir or cmp.POSTFIX.get(" ".join(postfix.group(0).lower().split()))
        after = postfix.end()
    tail = r.blank(after, len(text))
    if _WORD_RE.search(tail):
        if any(q.start >= after for q in r.quantities[1:]):
            why.append("it holds more numbers than the mapping can say")
        why.append("it says more after the target than a mapping can")
    if len(r.baseline_nums) > 1:
        why.append("it holds more numbers than the mapping can say")

    # direction, and whether this is a change
    baseline = r.baseline_value()
    change = False
    direction: Direction | None = None
    from_to = bool(r.spans) and r.spans[-1].end <= own.start and _ENDS_TO.search(prefix)
    if own.word is not None:
        change = True
        direction = "increase" if own.word in ("double", "triple") else None
        said = cmp.VERBS.get(verb["verb"].lower()) if verb else None
        if own.word == "half":
            direction = said
        elif said is not None and said != direction:
            why.append("its direction words disagree")
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
        change, direction = True, cmp.VERBS[verb["verb"].lower()]
    elif kind == "value" and _ENDS_BY.search(prefix) and cmp_dir is None:
        change = True
    else:
        direction = cmp_dir
        if direction == "increase" and _keeps(prefix, cmp_end):
            direction = "maintain"  # `maintain >= 99.9%`; `keep churn below 3%` decreases
        if direction is None and verb is not None and _ENDS_TO.search(prefix):
            direction = cmp.VERBS[verb["verb"].lower()]
        if direction is None and level_verb is not None:
            direction = cmp.LEVEL_VERBS[level_verb["verb"].lower()]
        if direction is None and kind == "multiplier":
            more = cmp.MORE_LESS_RE.match(text, u0.end if unit == "x" else after)
            more = more or cmp.MORE_LESS_RE.match(text[after:])
            direction = cmp.NOUNS[more["noun"].lower()] if more else None
    if postfix_dir is not None:
        if direction is not None and postfix_dir != direction:
            why.append("its direction words disagree")
        direction = direction or postfix_dir

    amount = as_number(u0.value, integral=u0.integral)
    if amount is None:
        return r.plain(None, direction, "its number is out of range")
    if baseline is not None and not change:
        by_order: Direction | None = (
            "increase" if amount > baseline else "decrease" if amount < baseline else None
        )
        if from_to:
            if by_order is None:
                why.append("it moves from a number to the same number")
            elif direction is not None and direction != by_order:
                why.append("its direction words disagree with its numbers")
            direction = by_order or direction
        elif direction is None:
            direction = by_order  # a value and a baseline: the order says which way
        base_unit = _baseline_unit(r)
        if base_unit is not None and unit is not None and base_unit != unit:
            why.append("its two numbers have different units")
        unit = unit or base_unit
    if kind == "multiplier":
        why.append("a multiple of an unstated baseline has no exact mapping")
    if change and direction is None:
        why.append("it says neither which way nor how to change")
    if change and amount <= 0:
        why.append("a change must be a positive amount")
    if strict and change:
        why.append("a strict bound on a change has no exact mapping")
    if any(q.ambiguous for q in used):
        why.append("a number with a decimal comma is ambiguous")
    return ParsedTarget(
        r.original,
        None if change else amount,
        unit,
        direction,
        change=amount if change else None,
        baseline=baseline,
        baseline_date=baseline_date,
        deadlines=deadlines,
        exact=not why,
        inexact="; ".join(dict.fromkeys(why)) or None,
        strict=strict and not change,
        form="change" if change else "multiplier" if kind == "multiplier" else "level",
    )


def _keeps(prefix: str, cmp_end: int) -> bool:
    """``maintain``/``keep`` before the comparison: a level to keep, not to exceed."""
    return any(
        m.end() < cmp_end and m.group(0).lower() in cmp.KEEPING for m in cmp.CMP_RE.finditer(prefix)
    )


def _words_after(r: Reading, at: int, end: int) -> tuple[str | None, int]:
    """Up to four unit words after ``at``, ending at a stop word or the phrase's end."""
    stop = end
    if found := _UNIT_STOP_RE.search(r.text, at, end):
        stop = found.start()
    cut = r.masked[at:stop]
    for m in cmp.CMP_RE.finditer(cut):
        if m.group(0).lower() not in cmp.WEAK:
            stop = at + m.start()
            break
    if verb := cmp.VERB_RE.search(r.text, at, stop):
        stop = verb.start()
    if verb := cmp.LEVEL_VERB_RE.search(r.text, at, stop):
        stop = verb.start()
    for d in r.dates:
        if at <= d.start < stop:
            stop = d.start
    for s in r.spans:
        if at <= s.start < stop:
            stop = s.start
    words = r.text[at:stop].strip().lstrip("-–—").rstrip(_TRAILING).strip()
    split = words.split()
    if len(split) > _MAX_UNIT_WORDS:
        words = " ".join(split[:_MAX_UNIT_WORDS])
        r.why.append("it has more words after its unit than a mapping can say")
        keep = r.text.find(split[_MAX_UNIT_WORDS - 1], at) + len(split[_MAX_UNIT_WORDS - 1])
        return words or None, max(keep, at)
    return words or None, (at + len(r.text[at:stop].rstrip(_TRAILING)) if words else at)


def _unit_words(
    r: Reading, at: int, end: int, cmp_dir: Direction | None, verb: re.Match[str] | None
) -> tuple[str | None, int, Direction | None]:
    """The unit words, where they end, and a change noun among them (`5 point drop`)."""
    words, stop = _words_after(r, at, end)
    noun_dir: Direction | None = None
    if words is not None:
        noun = re.match(r"(?:[^\s,;:]+\s)?" + cmp.NOUN_RE.pattern, words, FLAGS)
        if noun is not None and (cmp_dir is None or verb is not None):
            noun_dir = cmp.NOUNS[noun["noun"].lower()]
            words = words[: noun.start("noun")].strip() or None
    return words, stop, noun_dir


def _baseline_unit(r: Reading) -> str | None:
    if not r.baseline_nums:
        return None
    first = r.baseline_nums[0]
    unit: Unit = own_unit(r.text, first)
    if unit.unit is not None:
        return unit.unit
    span_end = next((s.end for s in r.spans if s.start <= first.start < s.end), unit.end)
    words = r.text[unit.end : span_end].strip().rstrip(_TRAILING).strip()
    if not words or re.search(r"[0-9]", words):
        return None
    split = words.split()
    return " ".join(split) if len(split) <= _MAX_UNIT_WORDS else None


def _gap(gap: str, connector: str) -> str | None:
    """Unit words then the range's connector between two numbers; None when not a range."""
    if len(gap) > 40:  # two numbers this far apart are not a pair
        return None
    pattern = r"\band\b" if connector == "and" else r"(?:-|–|—|\bto\b)"
    end = re.search(r"\s*" + pattern + r"\s*$", gap, FLAGS)
    if end is None or re.search(r"[\d,;:()]", gap[: end.start()]):
        return None
    return gap[: end.start()].strip().rstrip(_TRAILING).strip()


def _period_labels(masked: str) -> bool:
    """``Q4``, ``FY24``, ``by the end of the year``: a period, but no date to write."""
    return bool(PERIOD_LABEL_RE.search(masked) or RELATIVE_DEADLINE_RE.search(masked))
