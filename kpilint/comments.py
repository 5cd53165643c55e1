"""The grammar of ``# kpilint:`` comments (FORMAT.md "Suppressions").

Text only: whether a selector names a rule is decided later, by
``kpilint.suppressions``, so the loader can read comments without the registry.
"""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

from kpilint.findings import Pos
from kpilint.quoting import quote

DIRECTIVES = ("ignore", "ignore-file")
PLACEHOLDER = "TODO"  # a reason that is only this is no reason (KPI009)

_DIRECTIVE = re.compile(r"[ \t]*(?P<word>[^\s\[\]:]*)[ \t]*")
_UNTIL = re.compile(r"[ \t]*until[ \t]+(?P<date>[0-9][^\s:]*)[ \t]*:")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Suppression(NamedTuple):
    """One ``# kpilint:`` comment; ``problem`` says why it is no valid suppression."""

    pos: Pos
    start: int  # character offsets of the comment, from its '#'
    end: int
    selectors: tuple[str, ...]
    reason: str
    whole_file: bool
    until: date | None = None
    problem: str | None = None
    directive: str = "ignore"
    directive_span: tuple[int, int] = (0, 0)  # offsets of the directive word
    selector_span: tuple[int, int] | None = None  # offsets of the text inside [...]

    @property
    def kind(self) -> str:
        return "ignore-file" if self.whole_file else "ignore"

    @property
    def label(self) -> str:
        """How messages name it: ``ignore[KPI305, KPI101]``."""
        return f"{self.kind}[{', '.join(self.selectors)}]"

    @property
    def without_reason(self) -> bool:
        return not self.reason or self.reason.rstrip(".:!").strip().upper() == PLACEHOLDER


def read(pos: Pos, start: int, end: int, rest: int, text: str) -> Suppression:
    """The comment ``text[start:end]``; its part after ``kpilint:`` starts at ``rest``."""
    m = _DIRECTIVE.match(text, rest, end)
    assert m is not None  # the pattern matches the empty string
    word = m["word"]
    s = Suppression(pos, start, end, (), "", False, directive=word, directive_span=m.span("word"))
    if word not in DIRECTIVES:
        what = f"unknown directive {quote(word)}" if word else "no directive"
        return s._replace(problem=f"{what}; write ignore[...] or ignore-file[...]")
    at = m.end()
    if text[at : at + 1] != "[":
        return s._replace(problem=f"no [...] after {quote(word)} naming the rules it silences")
    close = text.find("]", at, end)
    if close < 0:
        return s._replace(problem="the '[' is never closed")
    selectors = tuple(sel.strip() for sel in text[at + 1 : close].split(",") if sel.strip())
    s = s._replace(
        selectors=selectors, whole_file=word == "ignore-file", selector_span=(at + 1, close)
    )
    if not selectors:
        return s._replace(problem=f"{quote(word + '[]')} names no rule")
    tail = close + 1
    until = None
    m = _UNTIL.match(text, tail, end)
    if m:
        raw = m["date"]
        try:
            if not _ISO_DATE.fullmatch(raw):
                raise ValueError(raw)
            until = date.fromisoformat(raw)
        except ValueError:
            return s._replace(
                problem=f"{quote('until ' + raw)} is not a date; write it as YYYY-MM-DD"
            )
        tail = m.end()
    reason = text[tail:end].strip().lstrip(":-—").strip()
    return s._replace(reason=reason, until=until)
