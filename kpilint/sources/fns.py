"""Transforms a mapping may name with ``fn``, for what data alone cannot say.

Each takes what the field's ``from`` found (or None) and the record, and returns
the value with the source path it comes from (or None: absent). Presets use
them; ``kpilint sources NAME`` lists the ones a preset needs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kpilint.sources.mapping import _MISSING, Picked, Record, normal, slug, walk

Apply = Callable[[Picked | None, Record], Picked | None]


@dataclass(frozen=True, slots=True)
class Fn:
    name: str
    doc: str
    apply: Apply


# --- Open SDG ---------------------------------------------------------------------------

_OPTIONS = "progress_calculation_options[?target]"
_SDG_DIRECTIONS = {"positive": "increase", "negative": "decrease"}


def _sdg_target(picked: Picked | None, rec: Record) -> Picked | None:
    option, where = walk(rec.data, rec.path, _OPTIONS)
    if option is not _MISSING and where is not None:
        value = option["target"]
        target: dict[str, Any] = {"value": value}
        children = {"value": Picked(value, (*where, "target"))}
        units, units_at = walk(rec.data, rec.path, "computation_units")
        if units is not _MISSING and units is not None:
            target["unit"] = units
            children["unit"] = Picked(units, units_at)
        direction = option.get("direction")
        if direction is not None:
            target["direction"] = _SDG_DIRECTIONS.get(normal(direction), direction)
            children["direction"] = Picked(target["direction"], (*where, "direction"))
        return Picked(target, (*where, "target"), children)
    if picked is None or not isinstance(picked.value, str):
        return picked
    text = picked.value.strip()
    if not text or normal(text) == "no specific target":
        return None
    return picked


def _sdg_deadline(_picked: Picked | None, rec: Record) -> Picked | None:
    option, where = walk(rec.data, rec.path, _OPTIONS)
    if option is _MISSING or where is None or option.get("target_year") is None:
        return None
    year = str(option["target_year"]).strip()
    return Picked(
        f"{year}-12-31" if re.fullmatch(r"\d{4}", year) else year, (*where, "target_year")
    )


def _sdg_status(_picked: Picked | None, rec: Record) -> Picked | None:
    published, at = walk(rec.data, rec.path, "published")
    if published is False:
        return Picked("draft", at)
    status, at = walk(rec.data, rec.path, "reporting_status")
    if status is not _MISSING and normal(status) == "notstarted":
        return Picked("draft", at)
    return None


# --- OpenSLO and Sloth --------------------------------------------------------------------

_UNIT_DAYS = {"m": 1 / 1440, "h": 1 / 24, "d": 1, "w": 7, "M": 30, "Q": 91, "Y": 365}
_UNIT_NAMES = {
    "second": "s",
    "minute": "m",
    "hour": "h",
    "day": "d",
    "week": "w",
    "month": "M",
    "quarter": "Q",
    "year": "Y",
}
_CALENDAR = {"w": "weekly", "M": "monthly", "Q": "quarterly", "Y": "annually"}


def _objectives(rec: Record) -> list[Any]:
    found, _ = walk(rec.document, (), "spec.objectives")
    return found if isinstance(found, list) else []


def _openslo_id(_picked: Picked | None, rec: Record) -> Picked | None:
    name, at = walk(rec.document, rec.path[:1], "metadata.name")
    if name is _MISSING or name is None:
        return None
    if len(_objectives(rec)) <= 1:
        return Picked(name, at)
    own = rec.data.get("name") if isinstance(rec.data, dict) else None
    suffix = slug(own) if own is not None and slug(own) else str(rec.key)
    return Picked(f"{name}-{suffix}", at)


def _rolling(days: float) -> str:
    for limit, cadence in ((7, "weekly"), (14, "biweekly"), (31, "monthly"), (92, "quarterly")):
        if days <= limit:
            return cadence
    return "annually"


def _openslo_review(_picked: Picked | None, rec: Record) -> Picked | None:
    base = rec.path[:1]
    window, at = walk(rec.document, base, "spec.timeWindow[0]")
    if window is _MISSING:
        window, at = walk(rec.document, base, "spec.timeWindows[0]")
    if not isinstance(window, dict) or at is None:
        return None
    count: Any
    if "duration" in window:
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([mhdwMQY])\s*", str(window["duration"]))
        if m is None:
            return Picked(str(window["duration"]), (*at, "duration"))
        count, unit, where = float(m[1]), m[2], (*at, "duration")
    else:
        calendar = window.get("calendar")
        unit_name = window.get("unit") or (
            calendar.get("unit") if isinstance(calendar, dict) else None
        )
        unit = _UNIT_NAMES.get(str(unit_name).lower(), "")
        count = window.get("count", 1)
        where = (*at, "unit") if "unit" in window else at
        if not unit or isinstance(count, bool) or not isinstance(count, (int, float)):
            return None
    rolling = window.get("isRolling")
    if (rolling is False or (rolling is None and "calendar" in window)) and unit in _CALENDAR:
        return Picked(_CALENDAR[unit], where)
    try:
        days = count * _UNIT_DAYS.get(unit, 0)
    except OverflowError:  # an int of hundreds of digits, in minutes: no float holds it
        days = float("inf")
    return Picked(_rolling(days), where)


def _sloth_id(picked: Picked | None, rec: Record) -> Picked | None:
    if picked is None:
        return None
    for dotted in ("service", "spec.service"):
        service, _ = walk(rec.document, (), dotted)
        if service is not _MISSING and service is not None:
            return Picked(f"{service}-{picked.value}", picked.src)
    return picked


# --- GitLab handbook ----------------------------------------------------------------------


def _html_text(picked: Picked | None, _rec: Record) -> Picked | None:
    from kpilint.importers.common import html_text

    if picked is None or not isinstance(picked.value, str):
        return picked
    return Picked(html_text(picked.value), picked.src)


def _ruby_truthy(picked: Picked | None, _rec: Record) -> Picked | None:
    """Ruby's truth: anything but false and null is true (GitLab reads ``is_key`` so)."""
    if picked is None:
        return None
    return Picked(picked.value is not False, picked.src)


def _unique_slug(picked: Picked | None, rec: Record) -> Picked | None:
    """A slug unique in its file (``x``, ``x-2``), at most 64 characters; ``entry-N`` if none."""
    from kpilint.importers.common import Slugs
    from kpilint.importers.common import slug as short_slug

    slugs = rec.state.setdefault("slugs", Slugs())
    value = picked.value if picked is not None else None
    base = (
        short_slug(str(value)) if value is not None and not isinstance(value, (dict, list)) else ""
    )
    n = rec.key + 1 if isinstance(rec.key, int) else 1
    return Picked(slugs.unique(base or f"entry-{n}"), picked.src if picked else None)


def _source_text(picked: Picked | None, rec: Record) -> Picked | None:
    """A number as written in the source (``.25`` stays ``.25``): a text target."""
    from kpilint.importers.common import source_text

    if picked is None or isinstance(picked.value, (str, dict, list)) or picked.src is None:
        return picked
    return Picked(source_text(rec.parsed, picked.src) or str(picked.value), picked.src)


FNS: dict[str, Fn] = {
    fn.name: fn
    for fn in (
        Fn(
            "open-sdg-target",
            "the first progress_calculation_options entry with a target (value, "
            "computation_units, positive/negative direction), else the text read by `from`; "
            "'No specific target' or empty is no target",
            _sdg_target,
        ),
        Fn(
            "open-sdg-deadline",
            "31 December of that entry's target_year",
            _sdg_deadline,
        ),
        Fn(
            "open-sdg-status",
            "draft when published is false or reporting_status is notstarted",
            _sdg_status,
        ),
        Fn(
            "openslo-id",
            "metadata.name, plus -{objective name or index} when the SLO has several objectives",
            _openslo_id,
        ),
        Fn(
            "openslo-review",
            "review cadence from the time window: rolling up to 7d weekly, 14d biweekly, "
            "31d monthly, 92d quarterly, longer annually; calendar: its unit",
            _openslo_review,
        ),
        Fn("sloth-id", "{service}-{slo name}", _sloth_id),
        Fn("html-text", "the text of an HTML value (a link's words)", _html_text),
        Fn("ruby-truthy", "true unless false or null, as Ruby reads it", _ruby_truthy),
        Fn(
            "unique-slug",
            "the slug, unique in its file (-2, -3), at most 64 characters; entry-N when empty",
            _unique_slug,
        ),
        Fn("source-text", "a number as its source text (.25 stays .25)", _source_text),
    )
}
