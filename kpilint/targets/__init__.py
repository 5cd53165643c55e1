"""Parse free-text KPI targets: value or change, unit, direction, strictness, dates.

People write targets as prose (``at or above 84%``, ``by 2030 reduce by 20%``,
``from 40 to 55 points``). The target rules (KPI201-KPI208), the deadline rules,
the audit and the importers read them through :func:`parse_target`, the one entry
point: it reads a string the way FORMAT.md says ("target as a string", "What a
text says, more precisely") and never raises, because a linter must not crash on
one odd target. Only the first 10 000 characters are read and every pattern runs
in linear time, so a pathological value cannot slow a lint run.

The modules: ``numbers`` (digits, word numbers, units written with a number),
``dates`` (years, deadlines, baseline dates), ``phrases`` (phrase breaks and
baseline phrases), ``comparisons`` (comparison words, verbs, rates, ranks),
``reading`` (dates and quantities, statements) and ``target`` (the own number's
level or change, unit and direction, and whether a mapping says it all).
"""

from __future__ import annotations

from kpilint.targets.result import Direction, Form, ParsedTarget

__all__ = ["Direction", "Form", "ParsedTarget", "parse_target"]


def parse_target(text: str) -> ParsedTarget:
    """Read a free-text target; unreadable text gives an unmeasurable result, never an error."""
    from kpilint.targets.reading import Reading

    raw: object = text  # YAML may hand us a number or anything else
    try:
        text = raw if isinstance(raw, str) else str(raw)
    except Exception:
        text = ""
    try:
        return Reading(text).result()
    except Exception:  # defensive: one odd target must not stop a lint run
        return ParsedTarget(text, None, None, None, inexact="it could not be read")
