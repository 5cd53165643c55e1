"""The Open SDG (UN) progress measure for a quantitative target (ACTUALS.md "Progress").

Pure arithmetic over a KPI's actuals: no file is read here, so the numbers can
be checked against the Open SDG build's own results.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from kpilint.actuals.read import Point

ON_TRACK = 0.95
MODERATE = 0.6
ZERO = 0.001  # a base or target of exactly 0 (Open SDG)
OFF_TRACK = ("limited_progress", "deterioration")


@dataclass(frozen=True, slots=True)
class Progress:
    """One KPI's progress: what the JSON report's ``progress`` list holds."""

    kpi: str
    status: str
    p: float | None
    base: Point | None
    current: Point | None
    target_date: date | None
    target: float
    reason: str | None = None
    direction: int = 1

    def as_json(self) -> dict[str, Any]:
        def point(pt: Point | None) -> dict[str, Any] | None:
            return None if pt is None else {"date": pt.day.isoformat(), "value": pt.value}

        return {
            "kpi": self.kpi,
            "status": self.status,
            "p": self.p,
            "base": point(self.base),
            "current": point(self.current),
            "target": {
                "date": self.target_date.isoformat() if self.target_date else None,
                "value": self.target,
            },
            "reason": self.reason,
        }


def direction_of(word: str | None) -> int:
    """``decrease`` is -1; ``increase``, ``maintain`` and no direction +1."""
    return -1 if word == "decrease" else 1


def target_level(
    value: float | None,
    change: float | None,
    unit: str | None,
    direction: int,
    baseline: float | None,
    base: Point | None,
) -> float | None:
    """The level to reach: ``value``, or the baseline (else the base actual) moved by ``change``."""
    if value is not None:
        return float(value)
    if change is None:
        return None
    start = baseline if baseline is not None else (base.value if base else None)
    if start is None:
        return None
    step = abs(start) * change / 100 if unit == "%" else change
    return float(start + direction * step)


def achieved(current: float, target: float, direction: int, strict: bool) -> bool:
    if direction > 0:
        return current > target if strict else current >= target
    return current < target if strict else current <= target


def growth(a: float, b: float, ta: float, tb: float) -> float:
    return float((a / b) ** (1 / (ta - tb)) - 1)


def measure(
    kpi: str,
    points: Sequence[Point],
    *,
    target_value: float | None,
    change: float | None = None,
    unit: str | None = None,
    direction: int = 1,
    strict: bool = False,
    baseline: float | None = None,
    start: date | None = None,
    end: date | None = None,
    cadence_days: int = 92,
) -> Progress | None:
    """Progress of one KPI from its actuals (sorted by date, none after today).

    None when the target has no level at all (a ``change`` with no baseline and
    no actual to start from): there is nothing to report.
    """
    annual = all(p.day.month == 12 and p.day.day == 31 for p in points)
    eligible = [p for p in points if start is None or p.day >= start]
    base = eligible[0] if eligible else None
    current = points[-1] if points else None
    level = target_level(target_value, change, unit, direction, baseline, base)
    if level is None:
        return None

    def result(status: str, p: float | None, reason: str | None = None) -> Progress:
        return Progress(kpi, status, p, base, current, end, level, reason, direction)

    if current is not None and achieved(current.value, level, direction, strict):
        return result("target_achieved", _p(base, current, level, end, direction, annual))
    if base is None or current is None:
        why = "no actual on or after the start" if points else "no actual"
        return result("not_available", None, why)
    reason = _unavailable(base, current, level, end, annual, cadence_days)
    if reason is not None:
        return result("not_available", None, reason)
    p = _p(base, current, level, end, direction, annual)
    if p is None:
        return result("not_available", None, "the required growth is 0")
    if p >= ON_TRACK:
        return result("substantial_progress", p)
    if p >= MODERATE:
        return result("moderate_progress", p)
    return result("limited_progress" if p >= 0 else "deterioration", p)


def _unavailable(
    base: Point, current: Point, level: float, end: date | None, annual: bool, cadence: int
) -> str | None:
    if base.day >= current.day:
        return "one actual only"
    if annual and current.day.year - base.day.year < 1:
        return "less than a year between base and current"
    if not annual and (current.day - base.day).days < cadence:
        return "less than one review cadence between base and current"
    b, c, t = _nonzero(base.value), current.value, _nonzero(level)
    if b * c < 0:
        return "base and current have opposite signs"
    if b * t < 0:
        return "base and target have opposite signs"
    if end is None:
        return "no target time"
    return None


def _nonzero(value: float) -> float:
    return ZERO if value == 0 else value


def _time(day: date, annual: bool) -> float:
    return float(day.year) if annual else day.toordinal() / 365.25


def _p(
    base: Point | None,
    current: Point | None,
    level: float,
    end: date | None,
    direction: int,
    annual: bool,
) -> float | None:
    """``sign * direction * g_o / |g_r|``, or None when it cannot be computed."""
    if base is None or current is None or end is None:
        return None
    b, c, t = _nonzero(base.value), current.value, _nonzero(level)  # current stays 0
    tb, tc, tt = _time(base.day, annual), _time(current.day, annual), _time(end, annual)
    if tc == tb or tt == tb or b * c < 0 or b * t < 0:
        return None
    try:
        g_o = growth(c, b, tc, tb)
        g_r = growth(t, b, tt, tb)
    except (ZeroDivisionError, OverflowError, ValueError):
        return None
    if g_r == 0 or isinstance(g_o, complex) or isinstance(g_r, complex):
        return None
    sign = -1 if b < 0 else 1
    p = sign * direction * g_o / abs(g_r)
    return p if math.isfinite(p) else None
