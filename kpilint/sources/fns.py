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

from kpilint.loader import Path_
from kpilint.sources.mapping import _MISSING, Picked, Record, normal, slug, walk

Apply = Callable[[Picked | None, Record], Picked | None]


@dataclass(frozen=True, slots=True)
class Fn:
    name: str
    doc: str
    apply: Apply


# --- Open SDG ---------------------------------------------------------------------------

_OPTIONS = "progress_calculation_options"
_SDG_DIRECTIONS = {"positive": "increase", "negative": "decrease"}
_SDG_TITLE = ("target_name", "target")
# A translation key (`global_targets.1-1-title`): no blank, a dot, no other punctuation.
_KEY = re.compile(r"[\w-]*\.[\w.-]*")
_NO_TARGET = "no specific target"


def _set(value: Any) -> bool:
    """A value a template left empty (``target: []``, ``direction: ''``) is not set."""
    return value is not None and value != "" and value != [] and value != {}


def _first_option(rec: Record) -> tuple[dict[str, Any], Path_] | None:
    """The first `progress_calculation_options` entry with a target, `group`s depth-first."""
    found, at = walk(rec.data, rec.path, _OPTIONS)
    if found is _MISSING or at is None:
        return None

    def search(items: Any, where: Path_) -> tuple[dict[str, Any], Path_] | None:
        if not isinstance(items, list):
            return None
        for n, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            if _set(item.get("target")):
                return item, (*where, n)
            if "group" in item:
                inner = search(item["group"], (*where, n, "group"))
                if inner is not None:
                    return inner
        return None

    return search(found, at)


def _title(rec: Record) -> Picked | None:
    """`target_name` (else `target`) as text, unless empty or a translation key."""
    for dotted in _SDG_TITLE:
        value, at = rec.lookup(dotted)
        if value is _MISSING or value is None or isinstance(value, (dict, list, bool)):
            continue
        text = str(value).strip()
        if not text or _KEY.fullmatch(text):
            continue
        return Picked(value, at)
    return None


def _text_target(rec: Record) -> Picked | None:
    """The title when it holds its own number (a national target), as FORMAT.md reads it."""
    title = _title(rec)
    if title is None or normal(title.value) == _NO_TARGET:
        return None
    from kpilint.targets import parse_target

    return title if parse_target(str(title.value)).numeric else None


def _is_kpi(rec: Record) -> bool:
    cached = rec.state.get("open-sdg-kpi")
    if cached is not None and cached[0] is rec.data:
        return bool(cached[1])
    kpi = _first_option(rec) is not None or _text_target(rec) is not None
    rec.state["open-sdg-kpi"] = (rec.data, kpi)
    return kpi


def _sdg_kind(_picked: Picked | None, rec: Record) -> Picked | None:
    return Picked("kpi" if _is_kpi(rec) else "metric", None)


def _sdg_kpi_metric(_picked: Picked | None, rec: Record) -> Picked | None:
    return Picked("metric", None) if _is_kpi(rec) else None


def _sdg_target(_picked: Picked | None, rec: Record) -> Picked | None:
    found = _first_option(rec)
    if found is None:
        return _text_target(rec)
    option, where = found
    value = option["target"]
    at = (*where, "target")
    target: dict[str, Any] = {"value": value}
    children = {"value": Picked(value, at)}
    units, units_at = walk(rec.data, rec.path, "computation_units")
    if units is not _MISSING and units is not None and not _KEY.fullmatch(str(units)):
        target["unit"] = units
        children["unit"] = Picked(units, units_at)
    given = option.get("direction")
    direction = _SDG_DIRECTIONS.get(normal(given), given) if _set(given) else "decrease"
    target["direction"] = direction
    children["direction"] = Picked(direction, (*where, "direction") if _set(given) else at)
    return Picked(target, at, children)


def _year(option: dict[str, Any], where: Path_, key: str, default: int, day: str) -> Picked:
    given = option.get(key)
    if not _set(given):
        return Picked(f"{default}{day}", (*where, "target"))
    year = str(given).strip()
    return Picked(f"{year}{day}" if re.fullmatch(r"\d{4}", year) else year, (*where, key))


def _sdg_deadline(_picked: Picked | None, rec: Record) -> Picked | None:
    found = _first_option(rec)
    return _year(*found, "target_year", 2030, "-12-31") if found is not None else None


def _sdg_start(_picked: Picked | None, rec: Record) -> Picked | None:
    found = _first_option(rec)
    return _year(*found, "base_year", 2015, "-01-01") if found is not None else None


def _sdg_description(_picked: Picked | None, rec: Record) -> Picked | None:
    """The SDG target's title, for an indicator that sets no target of its own."""
    if _is_kpi(rec):
        return None
    title = _title(rec)
    return title if title is not None and normal(title.value) != _NO_TARGET else None


def _sdg_status(_picked: Picked | None, rec: Record) -> Picked | None:
    status, status_at = walk(rec.data, rec.path, "reporting_status")
    reported = normal(status) if status is not _MISSING and status is not None else ""
    if reported == "notapplicable":
        return Picked("retired", status_at)
    if rec.stem.startswith("archived-"):
        return Picked("retired", None)
    published, at = walk(rec.data, rec.path, "published")
    if published is False:
        return Picked("draft", at)
    if reported == "notstarted":
        return Picked("draft", status_at)
    return None


_EVERY = {"annual": 1, "annually": 1, "yearly": 1, "biennial": 2, "triennial": 3}
_EVERY |= {"quinquennial": 5}
_CADENCES = {
    "biannual": "semiannually",
    "semiannual": "semiannually",
    "halfyearly": "semiannually",
    "sixmonthly": "semiannually",
    "quarterly": "quarterly",
    "monthly": "monthly",
    "weekly": "weekly",
}
_NONE = {"irregular", "adhoc", "discontinued", "discontinuous", "oneoff", "onetime", "na", "none"}


def _sdg_review(picked: Picked | None, _rec: Record) -> Picked | None:
    """Open SDG's periodicity words as FORMAT.md's review cadences; none given is absent."""
    if picked is None or isinstance(picked.value, (dict, list, bool)):
        return picked
    text = str(picked.value).strip()
    word = re.sub(r"[\s_/-]+", "", text.lower())
    if not word or word in _NONE or word.startswith("occasional") or _KEY.fullmatch(text):
        return None
    if word in _CADENCES:
        return Picked(_CADENCES[word], picked.src)
    m = re.fullmatch(r"every(\d+)years?", word)
    n = int(m[1]) if m is not None else _EVERY.get(word)
    if n is None:
        return picked
    return Picked("annually" if n == 1 else f"every {n} years", picked.src)


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


def _objectives(rec: Record) -> list[Any]:
    found, _ = walk(rec.document, (), "spec.objectives")
    return found if isinstance(found, list) else []


def _openslo_id(_picked: Picked | None, rec: Record) -> Picked | None:
    name, at = walk(rec.document, rec.path[:1], "metadata.name")
    if name is _MISSING or name is None:
        return None
    if len(_objectives(rec)) <= 1:
        return Picked(name, at)
    # SOURCES.md: the objective's name, else the slug of its displayName, else its index from 1
    own = rec.data if isinstance(rec.data, dict) else {}
    suffix = "" if own.get("name") is None else str(own["name"]).strip()
    if not suffix and own.get("displayName") is not None:
        suffix = slug(own["displayName"])
    if not suffix:
        suffix = str(rec.key + 1) if isinstance(rec.key, int) else str(rec.key)
    return Picked(f"{name}-{suffix}", at)


def _rolling(days: float) -> str:
    for limit, cadence in (
        (7, "weekly"),
        (14, "biweekly"),
        (31, "monthly"),
        (92, "quarterly"),
        (184, "semiannually"),
    ):
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
    # SOURCES.md: from the window's length, rolling or calendar (2 calendar weeks are biweekly)
    try:
        days = count * _UNIT_DAYS.get(unit, 0)
    except OverflowError:  # an int of hundreds of digits, in minutes: no float holds it
        days = float("inf")
    return Picked(_rolling(days), where)


_PROM_UNITS = {
    "ms": 1 / 86_400_000,
    "s": 1 / 86_400,
    "m": 1 / 1440,
    "h": 1 / 24,
    "d": 1,
    "w": 7,
    "y": 365,
}
_PROM_PART = re.compile(r"(\d+)(ms|s|m|h|d|w|y)")


def _prometheus_review(picked: Picked | None, _rec: Record) -> Picked | None:
    """A Prometheus duration (Pyrra's ``window: 28d``, ``1d12h``) as a review cadence."""
    if picked is None:
        return None
    text = str(picked.value).strip()
    parts = _PROM_PART.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        return picked  # kept as written: KPI002 says what is wrong with it
    return Picked(_rolling(sum(int(n) * _PROM_UNITS[u] for n, u in parts)), picked.src)


def _sloth_review(picked: Picked | None, _rec: Record) -> Picked | None:
    """Monthly: Sloth's window is set for the whole installation (30 days by default)."""
    return None if picked is None else Picked("monthly", picked.src)


def _sloth_id(picked: Picked | None, rec: Record) -> Picked | None:
    if picked is None:
        return None
    for dotted in ("service", "spec.service"):
        service, _ = walk(rec.document, (), dotted)
        if service is not _MISSING and service is not None:
            return Picked(f"{service}-{picked.value}", picked.src)
    return picked


# --- dbt ---------------------------------------------------------------------------------


def _dbt_kpi_kind(picked: Picked | None, _rec: Record) -> Picked | None:
    """``kpi`` when ``meta.kpi`` is a mapping; else absent, so no KPI is made."""
    if picked is None or not isinstance(picked.value, dict):
        return None
    return Picked("kpi", picked.src)


# --- GitLab handbook ----------------------------------------------------------------------


def _html_text(picked: Picked | None, _rec: Record) -> Picked | None:
    from kpilint.sources.text import html_text

    if picked is None or not isinstance(picked.value, str):
        return picked
    return Picked(html_text(picked.value), picked.src)


_YAML11_BOOLS = {"yes", "no", "on", "off"}


def _ruby_truthy(picked: Picked | None, rec: Record) -> Picked | None:
    """Ruby's truth: anything but false and null is true (GitLab reads ``is_key`` so).

    A YAML 1.1 boolean (``yes``) or a value that is no boolean is read so and noted:
    YAML 1.2 tools read both as strings.
    """
    if picked is None:
        return None
    value = picked.value
    if picked.src is not None and value is not None:
        from kpilint.quoting import quote

        span = rec.parsed.values.get(picked.src)
        written = rec.parsed.text[span.start : span.end].strip() if span else ""
        written = written or quote(value)
        key = rec.parsed.keys.get(picked.src)
        what = f"`{picked.src[-1]}: {written}`"
        if not isinstance(value, bool):
            note = (
                f"{what} is not a boolean; read as true, as GitLab's Ruby reads any value "
                "but false and null"
            )
        elif written.lower() in _YAML11_BOOLS:
            note = (
                f"{what} is a YAML 1.1 boolean; read as {str(value).lower()}, as GitLab "
                "reads it (YAML 1.2 tools read a string)"
            )
        else:
            note = ""
        if note:
            rec.state.setdefault("notes", []).append((key.pos if key else None, note))
    return Picked(value is not False, picked.src)


def _unique_slug(picked: Picked | None, rec: Record) -> Picked | None:
    """A slug unique in its file (``x``, ``x-2``), at most 64 characters; ``entry-N`` if none."""
    from kpilint.sources.text import Slugs
    from kpilint.sources.text import slug as short_slug

    slugs = rec.state.setdefault("slugs", Slugs())
    value = picked.value if picked is not None else None
    base = (
        short_slug(str(value)) if value is not None and not isinstance(value, (dict, list)) else ""
    )
    n = rec.key + 1 if isinstance(rec.key, int) else 1
    return Picked(slugs.unique(base or f"entry-{n}"), picked.src if picked else None)


def _source_text(picked: Picked | None, rec: Record) -> Picked | None:
    """A number as written in the source (``.25`` stays ``.25``): a text target."""
    from kpilint.sources.text import source_text

    if picked is None or isinstance(picked.value, (str, dict, list)) or picked.src is None:
        return picked
    return Picked(source_text(rec.parsed, picked.src) or str(picked.value), picked.src)


FNS: dict[str, Fn] = {
    fn.name: fn
    for fn in (
        Fn(
            "open-sdg-kind",
            "kpi when the indicator sets a numeric target (open-sdg-target), else metric",
            _sdg_kind,
        ),
        Fn("open-sdg-kpi-metric", "metric when the indicator is a KPI, else none", _sdg_kpi_metric),
        Fn(
            "open-sdg-target",
            "the first progress_calculation_options entry with a target (groups depth-first: "
            "value, computation_units, positive = increase, else decrease), else target_name "
            "(else target) when it holds its own number",
            _sdg_target,
        ),
        Fn(
            "open-sdg-deadline",
            "31 December of that entry's target_year (2030 when absent)",
            _sdg_deadline,
        ),
        Fn("open-sdg-start", "1 January of that entry's base_year (2015 when absent)", _sdg_start),
        Fn(
            "open-sdg-description",
            "the SDG target's title (target_name, else target) of an indicator with no target",
            _sdg_description,
        ),
        Fn(
            "open-sdg-review",
            "periodicity words as review cadences (Biennial = every 2 years; Irregular, "
            "Ad hoc, N/A, Occasional... = none); anything else kept as written",
            _sdg_review,
        ),
        Fn(
            "open-sdg-status",
            "retired when reporting_status is notapplicable or the id starts archived-; "
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
            "review cadence from the time window's length, rolling or calendar: up to 7d weekly, "
            "14d biweekly, 31d monthly, 92d quarterly, 184d semiannually, longer annually",
            _openslo_review,
        ),
        Fn("sloth-id", "{service}-{slo name}", _sloth_id),
        Fn(
            "sloth-review",
            "monthly: Sloth's window is installation-wide, 30 days by default",
            _sloth_review,
        ),
        Fn(
            "prometheus-review",
            "review cadence from a Prometheus duration (28d, 4w), as openslo-review reads a window",
            _prometheus_review,
        ),
        Fn("dbt-kpi-kind", "kpi when a metric's meta.kpi is a mapping, else none", _dbt_kpi_kind),
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
