"""Progress (ACTUALS.md "Progress"): the Open SDG measure, checked against Statistics
Canada's own build (``indicator_calculation_components.yml``) and worked numbers."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from kpilint.actuals.progress import direction_of, measure
from kpilint.actuals.read import Point, first_target_option, progress_options, read_all
from kpilint.actuals.spec import ActualsSpec
from tests.conftest import NO_CORPORA, SHARED

# The corpora of the clone's shared folder, or of its worktrees' parent's.
CANADA = next(
    (
        folder / "corpora" / "open-sdg-canada-global"
        for folder in (SHARED, SHARED.parent.parent / "shared")
        if (folder / "corpora" / "open-sdg-canada-global").is_dir()
    ),
    SHARED / "corpora" / "open-sdg-canada-global",
)
END_2030 = date(2030, 12, 31)


def _years(*pairs: tuple[int, float]) -> list[Point]:
    return [Point(date(y, 12, 31), v) for y, v in pairs]


def test_worked_decrease() -> None:
    # 1-2-1: 14.5 (2015) -> 10.2 (2023), target 7.25 by 2030, decrease.
    got = measure(
        "k",
        _years((2015, 14.5), (2019, 10.3), (2023, 10.2)),
        target_value=7.25,
        direction=-1,
        start=date(2015, 1, 1),
        end=END_2030,
    )
    assert got is not None and got.status == "substantial_progress"
    g_o = (10.2 / 14.5) ** (1 / 8) - 1
    g_r = (7.25 / 14.5) ** (1 / 15) - 1
    assert got.p == pytest.approx(-g_o / abs(g_r), abs=1e-12)
    assert got.p == pytest.approx(0.9525901792032172, abs=1e-9)
    assert got.base == Point(date(2015, 12, 31), 14.5)
    assert got.current == Point(date(2023, 12, 31), 10.2)


@pytest.mark.parametrize(
    ("current", "status"),
    [(130.0, "target_achieved"), (104.0, "limited_progress"), (95.0, "deterioration")],
)
def test_statuses(current: float, status: str) -> None:
    got = measure("k", _years((2020, 100.0), (2024, current)), target_value=130, end=END_2030)
    assert got is not None and got.status == status
    assert got.p is not None


def test_moderate_and_strict() -> None:
    g_r = (130 / 100) ** (1 / 10) - 1
    current = 100 * (1 + 0.7 * g_r) ** 4
    got = measure("k", _years((2020, 100.0), (2024, current)), target_value=130, end=END_2030)
    assert got is not None and got.status == "moderate_progress"
    assert got.p == pytest.approx(0.7, abs=1e-9)
    met = measure("k", _years((2020, 100.0), (2024, 130.0)), target_value=130, end=END_2030)
    beyond = measure(
        "k", _years((2020, 100.0), (2024, 130.0)), target_value=130, end=END_2030, strict=True
    )
    assert met is not None and met.status == "target_achieved"
    assert beyond is not None and beyond.status != "target_achieved"


@pytest.mark.parametrize(
    ("points", "kw", "reason"),
    [
        ([], {}, "no actual"),
        (_years((2019, 5.0)), {"start": date(2020, 1, 1)}, "no actual on or after the start"),
        (_years((2020, 5.0)), {}, "one actual only"),
        ([Point(date(2026, 1, 31), 5.0), Point(date(2026, 2, 28), 6.0)], {}, "review cadence"),
        (_years((2020, 5.0), (2022, -1.0)), {}, "base and current have opposite signs"),
        (_years((2020, -5.0), (2022, -4.0)), {}, "base and target have opposite signs"),
        (_years((2020, 5.0), (2022, 6.0)), {"end": None}, "no target time"),
        (_years((2020, 100.0), (2022, 90.0)), {"target_value": 100.0, "direction": -1}, None),
    ],
)
def test_not_available(points: list[Point], kw: dict[str, object], reason: str | None) -> None:
    args: dict[str, object] = {"target_value": 100.0, "end": END_2030, **kw}
    got = measure("k", points, **args)  # type: ignore[arg-type]
    assert got is not None
    if reason is None:  # g_r = 0: the target is the base, and it is met
        assert got.status == "target_achieved"
        return
    assert got.status == "not_available" and got.p is None
    assert reason in (got.reason or "")


def test_change_target_and_zero() -> None:
    got = measure(
        "k",
        _years((2020, 200.0), (2022, 180.0)),
        target_value=None,
        change=50,
        unit="%",
        direction=-1,
        end=END_2030,
    )
    assert got is not None and got.target == 100.0
    with_baseline = measure(
        "k",
        _years((2020, 200.0), (2022, 180.0)),
        target_value=None,
        change=10,
        direction=1,
        baseline=150,
        end=END_2030,
    )
    assert with_baseline is not None and with_baseline.target == 160.0
    zero = measure(
        "k", _years((2015, 8.0), (2023, 0.0)), target_value=0, direction=-1, end=END_2030
    )
    assert zero is not None and zero.status == "target_achieved"
    assert zero.p == pytest.approx(1 / abs((0.001 / 8) ** (1 / 15) - 1), abs=1e-12)


def test_days_when_not_annual() -> None:
    points = [Point(date(2025, 1, 31), 100.0), Point(date(2026, 1, 31), 110.0)]
    got = measure("k", points, target_value=150, end=date(2027, 1, 31))
    assert got is not None
    t = [d.toordinal() / 365.25 for d in (date(2025, 1, 31), date(2026, 1, 31), date(2027, 1, 31))]
    g_o = 1.1 ** (1 / (t[1] - t[0])) - 1
    g_r = 1.5 ** (1 / (t[2] - t[0])) - 1
    assert got.p == pytest.approx(g_o / g_r, abs=1e-12)


def _canada_cases() -> list[tuple[str, dict[str, object], dict[str, object] | None]]:
    expected = yaml.safe_load((CANADA / "indicator_calculation_components.yml").read_text())
    cases = []
    for data in sorted((CANADA / "data").glob("indicator_*.csv")):
        ident = data.stem.removeprefix("indicator_")
        options = progress_options(data, ident)
        if len(options) != 1 or first_target_option(options) is None:
            continue
        inner = [v for v in (expected.get(ident) or {}).values() if isinstance(v, dict)]
        cases.append((ident, options[0], inner[0] if inner else None))
    return cases


@pytest.mark.skipif(not CANADA.is_dir(), reason=NO_CORPORA)
def test_statistics_canada_progress() -> None:
    """Every indicator with one progress entry holding a target: the site's own status and p."""
    files = sorted((CANADA / "data").glob("indicator_*.csv"))
    spec = ActualsSpec(("data/*.csv",), format="open-sdg")
    actuals = read_all((spec,), [(f, 0) for f in files], set(), set(), date(2026, 12, 6), 10**8)
    cases = _canada_cases()
    assert len(cases) == 47
    compared = 0
    for ident, option, want in cases:
        direction = {"positive": "increase"}.get(str(option.get("direction")), "decrease")
        got = measure(
            ident,
            actuals.of(ident, None),
            target_value=float(option["target"]),  # type: ignore[arg-type]
            direction=direction_of(direction),
            start=date(int(option.get("base_year", 2015)), 1, 1),  # type: ignore[call-overload]
            end=date(int(option.get("target_year", 2030)), 12, 31),  # type: ignore[call-overload]
        )
        assert got is not None
        if want is None:  # 16-9-1: a manual status, no computed record
            assert ident == "16-9-1" and got.status == "target_achieved"
            continue
        compared += 1
        assert ident not in actuals.several
        assert got.status == want["status"], ident
        if want["progress_value"] is None:
            assert got.p is None, ident
        else:
            assert got.p == pytest.approx(want["progress_value"], abs=1e-6), ident
        assert got.base is not None and got.base.day.year == want["base_year"], ident
        assert got.current is not None and got.current.value == want["current_value"], ident
    assert compared == 46
