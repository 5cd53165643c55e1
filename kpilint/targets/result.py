"""What a free-text target says: the one result type every reader of a target shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

Direction = Literal["increase", "decrease", "maintain"]
Number = int | float
#: What kind of target a text is. A level or change has a number a mapping can hold;
#: the others are measurable but hold no value or change (FORMAT.md): rules that read
#: a parse skip them.
Form = Literal["level", "change", "multiplier", "range", "rate", "rank", "statement"]
NO_VALUE_FORMS: frozenset[str] = frozenset({"range", "rate", "rank", "statement"})


@dataclass(frozen=True, slots=True)
class ParsedTarget:
    """What a free-text target says; ``measurable`` False means it holds no number."""

    text: str
    value: Number | None
    unit: str | None
    direction: Direction | None
    change: Number | None = None  # how far to move instead of a level (a positive amount)
    baseline: Number | None = None  # where it starts (``from X to Y``, ``baseline 20``)
    baseline_date: date | None = None  # the baseline's date (a year Y is Y-01-01)
    deadlines: tuple[date, ...] = ()
    high: Number | None = None  # the upper end of a range
    exact: bool = False  # mapping() plus the deadline say exactly what the text says
    inexact: str | None = None  # why there is no exact mapping, for messages
    strict: bool = False  # the value itself does not meet the target (`less than 2 days`)
    form: Form | None = None  # None: no number in it
    low: Number | None = None  # the lower end of a range

    @property
    def measurable(self) -> bool:
        """True when the text holds a number as FORMAT.md reads numbers (KPI201 otherwise)."""
        return self.form is not None

    @property
    def numeric(self) -> bool:
        """True when there is a value or change for the rules that read a parse (KPI202-206)."""
        return self.value is not None or self.change is not None

    @property
    def deadline(self) -> date | None:
        """The one deadline the text gives; None when it gives none or several."""
        return self.deadlines[0] if len(self.deadlines) == 1 else None

    def mapping(self) -> dict[str, Number | str | bool] | None:
        """The target as a FORMAT.md mapping, when it says exactly what the text says."""
        if not self.exact or not self.numeric:
            return None
        out: dict[str, Number | str | bool] = {}
        if self.change is not None:
            out["change"] = self.change
        elif self.value is not None:
            out["value"] = self.value
        if self.unit:
            out["unit"] = self.unit
        if self.direction:
            out["direction"] = self.direction
        if self.strict:
            out["strict"] = True
        if self.baseline is not None:
            out["baseline"] = self.baseline
        return out
