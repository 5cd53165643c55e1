"""Every example sentence of FORMAT.md's target section, the issue 21 texts and real corpus
targets, with their exact reading (issue 21).

Each row is the whole parse: the form (a level, a change, a multiplier, a range, a rate,
a rank, a statement, or None for no number), value or change, unit, direction, strict,
deadlines, baseline and its date, and whether a mapping says exactly what the text says.
A KPI208 fix of every row is held to the same meaning in tests/test_fix_meaning.py.
"""

# ruff: noqa: E501 - real target texts are kept whole

from __future__ import annotations

from typing import Any

import pytest

from kpilint.targets import ParsedTarget, parse_target

FIELDS = (
    "form", "value", "change", "unit", "direction", "strict", "deadlines", "baseline",
    "baseline_date", "low", "high", "exact",
)  # fmt: skip
DEFAULTS: dict[str, Any] = {f: None for f in FIELDS} | {"strict": False, "deadlines": []}

# FORMAT.md "target as a string" and "What a text says, more precisely", sentence by sentence.
FORMAT_EXAMPLES: list[tuple[str, dict[str, Any]]] = [
    (
        "at or above 84%",
        {"form": "level", "value": 84, "unit": "%", "direction": "increase", "exact": True},
    ),
    (
        ">= 1200 signups/month",
        {
            "form": "level",
            "value": 1200,
            "unit": "signups/month",
            "direction": "increase",
            "exact": True,
        },
    ),
    (
        "less than 2 days",
        {
            "form": "level",
            "value": 2,
            "unit": "days",
            "direction": "decrease",
            "strict": True,
            "exact": True,
        },
    ),
    ("12%", {"form": "level", "value": 12, "unit": "%", "exact": True}),
    ("improve engagement", {"form": None, "exact": False}),
    ("TBD", {"form": None, "exact": False}),
    ("Confidential", {"form": None, "exact": False}),
    ("0.5", {"form": "level", "value": 0.5, "exact": True}),
    (
        "from 40 to 55 points",
        {
            "form": "level",
            "value": 55,
            "unit": "points",
            "direction": "increase",
            "baseline": 40,
            "exact": True,
        },
    ),
    (
        "reduce by 10%",
        {"form": "change", "change": 10, "unit": "%", "direction": "decrease", "exact": True},
    ),
    (
        "20% increase",
        {"form": "change", "change": 20, "unit": "%", "direction": "increase", "exact": True},
    ),
    (
        "a 50% reduction compared to the 2015 level",
        {
            "form": "change",
            "change": 50,
            "unit": "%",
            "direction": "decrease",
            "baseline_date": "2015-01-01",
            "exact": False,
        },
    ),
    ("between 40 and 60", {"form": "range", "low": 40, "high": 60, "exact": False}),
    (
        "10x more leads",
        {"form": "multiplier", "value": 10, "unit": "x", "direction": "increase", "exact": False},
    ),
    ("50+", {"form": "level", "value": 50, "direction": "increase", "exact": True}),
    (
        "Halt the rise in obesity from the 2010 baseline",
        {"form": None, "baseline_date": "2010-01-01", "exact": False},
    ),
    (
        "fewer than 2000",
        {"form": "level", "value": 2000, "direction": "decrease", "strict": True, "exact": True},
    ),
    (
        "below 2000 ms",
        {
            "form": "level",
            "value": 2000,
            "unit": "ms",
            "direction": "decrease",
            "strict": True,
            "exact": True,
        },
    ),
    (
        "from 1500 to 2000 users",
        {
            "form": "level",
            "value": 2000,
            "unit": "users",
            "direction": "increase",
            "baseline": 1500,
            "exact": True,
        },
    ),
    ("by 2030", {"form": None, "deadlines": ["2030-12-31"], "exact": False}),
    ("before 2030", {"form": None, "deadlines": ["2029-12-31"], "exact": False}),
    ("in 2030", {"form": None, "deadlines": ["2030-12-31"], "exact": False}),
    ("until 2030", {"form": None, "deadlines": ["2030-12-31"], "exact": False}),
    (
        "at least 20% by 2026, 60% by 2030",
        {
            "form": "level",
            "value": 20,
            "unit": "%",
            "direction": "increase",
            "deadlines": ["2026-12-31", "2030-12-31"],
            "exact": False,
        },
    ),
    (
        "keep churn below 3%",
        {
            "form": "level",
            "value": 3,
            "unit": "%",
            "direction": "decrease",
            "strict": True,
            "exact": True,
        },
    ),
    ("signups/month", {"form": None, "exact": False}),
    ("2500ms", {"form": "level", "value": 2500, "unit": "ms", "exact": True}),
    ("non-headcount", {"form": None, "exact": False}),
    ("12.1 Implement the 10-year framework of programmes", {"form": None, "exact": False}),
    ("1.a Mobilize resources", {"form": None, "exact": False}),
    ("by Q3 2027", {"form": None, "deadlines": ["2027-09-30"], "exact": False}),
    (
        "by 2030 reduce by 20%",
        {
            "form": "change",
            "change": 20,
            "unit": "%",
            "direction": "decrease",
            "deadlines": ["2030-12-31"],
            "exact": True,
        },
    ),
    ("from a baseline of 20 PJ", {"form": "statement", "baseline": 20, "exact": False}),
    ("baseline 20", {"form": "statement", "baseline": 20, "exact": False}),
    ("from 20", {"form": "statement", "baseline": 20, "exact": False}),
    ("410,000", {"form": "level", "value": 410000, "exact": True}),
    ("1,200.5", {"form": "level", "value": 1200.5, "exact": True}),
    ("by half", {"form": "change", "change": 50, "unit": "%", "exact": False}),
    (
        "double",
        {"form": "change", "change": 100, "unit": "%", "direction": "increase", "exact": True},
    ),
    (
        "triple",
        {"form": "change", "change": 200, "unit": "%", "direction": "increase", "exact": True},
    ),
    ("the 10-year framework", {"form": None, "exact": False}),
    (
        "more than 40%",
        {
            "form": "level",
            "value": 40,
            "unit": "%",
            "direction": "increase",
            "strict": True,
            "exact": True,
        },
    ),
    ("at or below 5", {"form": "level", "value": 5, "direction": "decrease", "exact": True}),
    ("or more", {"form": None, "exact": False}),
    (
        "maintain ≥ 99.9%",
        {"form": "level", "value": 99.9, "unit": "%", "direction": "maintain", "exact": True},
    ),
    (
        "reduce churn to below 3%",
        {
            "form": "level",
            "value": 3,
            "unit": "%",
            "direction": "decrease",
            "strict": True,
            "exact": True,
        },
    ),
    (
        "increase NPS by 10 points",
        {"form": "change", "change": 10, "unit": "points", "direction": "increase", "exact": True},
    ),
    (
        "By 2030, a 50% reduction",
        {
            "form": "change",
            "change": 50,
            "unit": "%",
            "direction": "decrease",
            "deadlines": ["2030-12-31"],
            "exact": True,
        },
    ),
    (
        "reach 500 signups",
        {"form": "level", "value": 500, "unit": "signups", "direction": "increase", "exact": True},
    ),
    (
        "By 2030, eradicate extreme poverty for all people everywhere, currently measured as people living on less than $1.25 a day",
        {"form": "statement", "deadlines": ["2030-12-31"], "exact": False},
    ),
    (
        "at least 84% of customers rate support 4 or 5",
        {"form": "level", "value": 84, "unit": "%", "direction": "increase", "exact": False},
    ),
    (
        "7 days (until further data is provided)",
        {"form": "level", "value": 7, "unit": "days", "exact": False},
    ),
    ("30% YoY growth", {"form": "rate", "exact": False}),
    ("15% month over month", {"form": "rate", "exact": False}),
    ("5% per year", {"form": "rate", "exact": False}),
    ("QoQ growth of 5%", {"form": "rate", "exact": False}),
    ("CAGR of 12%", {"form": "rate", "exact": False}),
    ("top 3", {"form": "rank", "exact": False}),
    ("#1", {"form": "rank", "exact": False}),
    ("rank 5 or better", {"form": "rank", "exact": False}),
]

# Issue 21's texts, each comparison word and symbol, baseline phrases, quarters and halves.
ISSUE_AND_MORE: list[tuple[str, dict[str, Any]]] = [
    (
        "5 per person per month",
        {"form": "level", "value": 5, "unit": "per person per month", "exact": True},
    ),
    (
        "reduce emissions by 10% from 2017-18 levels",
        {
            "form": "change",
            "change": 10,
            "unit": "%",
            "direction": "decrease",
            "baseline_date": "2017-01-01",
            "exact": False,
        },
    ),
    (
        "from a baseline of 20.0 PJ in 2017 to 2018",
        {"form": "statement", "baseline": 20.0, "baseline_date": "2017-01-01", "exact": False},
    ),
    (
        "Reduce energy use by 15% from a baseline of 20.0 PJ in 2017 to 2018",
        {
            "form": "change",
            "change": 15,
            "unit": "%",
            "direction": "decrease",
            "baseline": 20.0,
            "baseline_date": "2017-01-01",
            "exact": False,
        },
    ),
    (
        "Reduce energy use to 15 PJ from a baseline of 20.0 PJ in 2017 to 2018 by 2030",
        {
            "form": "level",
            "value": 15,
            "unit": "PJ",
            "direction": "decrease",
            "deadlines": ["2030-12-31"],
            "baseline": 20.0,
            "baseline_date": "2017-01-01",
            "exact": False,
        },
    ),
    (
        "55 points, baseline 40",
        {
            "form": "level",
            "value": 55,
            "unit": "points",
            "direction": "increase",
            "baseline": 40,
            "exact": True,
        },
    ),
    (
        "at least 55 points, baseline 60",
        {
            "form": "level",
            "value": 55,
            "unit": "points",
            "direction": "increase",
            "baseline": 60,
            "exact": True,
        },
    ),
    (
        "in 2030 reduce by 20%",
        {
            "form": "change",
            "change": 20,
            "unit": "%",
            "direction": "decrease",
            "deadlines": ["2030-12-31"],
            "exact": True,
        },
    ),
    (
        "by 2028 increase to 500 users",
        {
            "form": "level",
            "value": 500,
            "unit": "users",
            "direction": "increase",
            "deadlines": ["2028-12-31"],
            "exact": True,
        },
    ),
    (
        "before 2028 reduce to 10%",
        {
            "form": "level",
            "value": 10,
            "unit": "%",
            "direction": "decrease",
            "deadlines": ["2027-12-31"],
            "exact": True,
        },
    ),
    (
        "until 2028 maintain at least 99%",
        {
            "form": "level",
            "value": 99,
            "unit": "%",
            "direction": "maintain",
            "deadlines": ["2028-12-31"],
            "exact": True,
        },
    ),
    ("at least 15% month over month", {"form": "rate", "direction": "increase", "exact": False}),
    ("top 3 in G2", {"form": "rank", "exact": False}),
    (
        "less than 2 days",
        {
            "form": "level",
            "value": 2,
            "unit": "days",
            "direction": "decrease",
            "strict": True,
            "exact": True,
        },
    ),
    ("target: 92", {"form": "level", "value": 92, "exact": True}),
    (
        "Implement the 10-year framework of programmes on sustainable consumption and production",
        {"form": None, "exact": False},
    ),
    (
        "by Q3 2027 at least 90%",
        {
            "form": "level",
            "value": 90,
            "unit": "%",
            "direction": "increase",
            "deadlines": ["2027-09-30"],
            "exact": True,
        },
    ),
    (
        "at least 90% by H1 2028",
        {
            "form": "level",
            "value": 90,
            "unit": "%",
            "direction": "increase",
            "deadlines": ["2028-06-30"],
            "exact": True,
        },
    ),
    (
        "before Q3 2027 at least 90%",
        {
            "form": "level",
            "value": 90,
            "unit": "%",
            "direction": "increase",
            "deadlines": ["2027-06-30"],
            "exact": True,
        },
    ),
    (
        "≤ 5 days",
        {"form": "level", "value": 5, "unit": "days", "direction": "decrease", "exact": True},
    ),
    ("≥ 95%", {"form": "level", "value": 95, "unit": "%", "direction": "increase", "exact": True}),
    ("=> 10", {"form": "level", "value": 10, "direction": "increase", "exact": True}),
    (
        "=< 3 hours",
        {"form": "level", "value": 3, "unit": "hours", "direction": "decrease", "exact": True},
    ),
    (
        "< 200 ms",
        {
            "form": "level",
            "value": 200,
            "unit": "ms",
            "direction": "decrease",
            "strict": True,
            "exact": True,
        },
    ),
    (
        "> 99%",
        {
            "form": "level",
            "value": 99,
            "unit": "%",
            "direction": "increase",
            "strict": True,
            "exact": True,
        },
    ),
    (
        "at most 2 days",
        {"form": "level", "value": 2, "unit": "days", "direction": "decrease", "exact": True},
    ),
    (
        "no more than 3 incidents",
        {"form": "level", "value": 3, "unit": "incidents", "direction": "decrease", "exact": True},
    ),
    (
        "no less than 80%",
        {"form": "level", "value": 80, "unit": "%", "direction": "increase", "exact": True},
    ),
    (
        "up to 5 errors",
        {"form": "level", "value": 5, "unit": "errors", "direction": "decrease", "exact": True},
    ),
    ("10 or more", {"form": "level", "value": 10, "direction": "increase", "exact": True}),
    ("10 or less", {"form": "level", "value": 10, "direction": "decrease", "exact": True}),
    (
        "equal or greater than 7",
        {"form": "level", "value": 7, "direction": "increase", "exact": True},
    ),
    (
        "exceeding 50 leads",
        {
            "form": "level",
            "value": 50,
            "unit": "leads",
            "direction": "increase",
            "strict": True,
            "exact": True,
        },
    ),
    (
        "over 100 deals",
        {
            "form": "level",
            "value": 100,
            "unit": "deals",
            "direction": "increase",
            "strict": True,
            "exact": True,
        },
    ),
    (
        "under 4 hours",
        {
            "form": "level",
            "value": 4,
            "unit": "hours",
            "direction": "decrease",
            "strict": True,
            "exact": True,
        },
    ),
    (
        "higher than 70%",
        {
            "form": "level",
            "value": 70,
            "unit": "%",
            "direction": "increase",
            "strict": True,
            "exact": True,
        },
    ),
    (
        "lower than 5%",
        {
            "form": "level",
            "value": 5,
            "unit": "%",
            "direction": "decrease",
            "strict": True,
            "exact": True,
        },
    ),
    (
        "above 80%",
        {
            "form": "level",
            "value": 80,
            "unit": "%",
            "direction": "increase",
            "strict": True,
            "exact": True,
        },
    ),
    (
        "increase revenue to 410,000 USD",
        {"form": "level", "value": 410000, "unit": "USD", "direction": "increase", "exact": True},
    ),
    (
        "cut costs by half",
        {"form": "change", "change": 50, "unit": "%", "direction": "decrease", "exact": True},
    ),
    (
        "double signups",
        {"form": "change", "change": 100, "unit": "%", "direction": "increase", "exact": False},
    ),
    (
        "keep NPS at least 50",
        {"form": "level", "value": 50, "direction": "maintain", "exact": True},
    ),
    (
        "maintain above 99%",
        {
            "form": "level",
            "value": 99,
            "unit": "%",
            "direction": "maintain",
            "strict": True,
            "exact": True,
        },
    ),
    (
        "improve NPS by 10 points",
        {"form": "change", "change": 10, "unit": "points", "direction": "increase", "exact": True},
    ),
    (
        "grow MRR by 20% by Q4 2027",
        {
            "form": "change",
            "change": 20,
            "unit": "%",
            "direction": "increase",
            "deadlines": ["2027-12-31"],
            "exact": True,
        },
    ),
    ("halve churn", {"form": None, "exact": False}),
]

# Real target texts from the shared corpora (Open SDG sites' `target`, whitespace folded).
REAL_TARGETS: list[tuple[str, dict[str, Any]]] = [
    (
        "10.1 By 2030, progressively achieve and sustain income growth of the bottom 40 per cent of the population at a rate higher than the national average",
        {"form": "statement", "deadlines": ["2030-12-31"], "exact": False},
    ),
    (
        "By 2020, conserve at least 10 per cent of coastal and marine areas, consistent with national and international law and based on the best available scientific information",
        {
            "form": "level",
            "value": 10,
            "unit": "%",
            "direction": "increase",
            "deadlines": ["2020-12-31"],
            "exact": False,
        },
    ),
    (
        "By 2020, substantially increase the number of cities and human settlements adopting and implementing integrated policies and plans towards inclusion, resource efficiency, mitigation and adaptation to climate change, resilience to disasters, and develop and implement, in line with the Sendai Framework for Disaster Risk Reduction 2015-2030, holistic disaster risk management at all levels",
        {"form": "statement", "deadlines": ["2020-12-31"], "exact": False},
    ),
    (
        "By 2020, substantially increase the number of cities and human settlements adopting and implementing integrated policies and plans towards inclusion, resource efficiency, mitigation and adaptation to climate change, resilience to disasters, and develop and implement, in line with the Sendai Framework for Disaster Risk Reduction 2015–2030, holistic disaster risk management at all levels",
        {"form": "statement", "deadlines": ["2020-12-31"], "exact": False},
    ),
    (
        "By 2030, double the agricultural productivity and incomes of small-scale food producers, in particular women, indigenous peoples, family farmers, pastoralists and fishers, including through secure and equal access to land, other productive resources and inputs, knowledge, financial services, markets and opportunities for value addition and non-farm employment",
        {
            "form": "change",
            "change": 100,
            "unit": "%",
            "direction": "increase",
            "deadlines": ["2030-12-31"],
            "exact": False,
        },
    ),
    (
        "By 2030, double the global rate of improvement in energy efficiency",
        {
            "form": "change",
            "change": 100,
            "unit": "%",
            "direction": "increase",
            "deadlines": ["2030-12-31"],
            "exact": False,
        },
    ),
    (
        "By 2030, end all forms of malnutrition, including achieving, by 2025, the internationally agreed targets on stunting and wasting in children under 5 years of age, and address the nutritional needs of adolescent girls, pregnant and lactating women and older persons",
        {"form": "statement", "deadlines": ["2030-12-31", "2025-12-31"], "exact": False},
    ),
    (
        "By 2030, end preventable deaths of newborns and children under 5 years of age, with all countries aiming to reduce neonatal mortality to at least as low as 12 per 1,000 live births and under-5 mortality to at least as low as 25 per 1,000 live births",
        {"form": "statement", "deadlines": ["2030-12-31"], "exact": False},
    ),
    (
        "By 2030, eradicate extreme poverty for all people everywhere, currently measured as people living on less than $1.25 a day",
        {"form": "statement", "deadlines": ["2030-12-31"], "exact": False},
    ),
    (
        "By 2030, reduce at least by half the proportion of men, women and children of all ages living in poverty in all its dimensions according to national definitions",
        {
            "form": "change",
            "change": 50,
            "unit": "%",
            "direction": "decrease",
            "deadlines": ["2030-12-31"],
            "exact": False,
        },
    ),
    (
        "By 2030, reduce at least by half the proportion of men, women and children of all ages living in poverty in all its dimensions according to national definitions.",
        {
            "form": "change",
            "change": 50,
            "unit": "%",
            "direction": "decrease",
            "deadlines": ["2030-12-31"],
            "exact": False,
        },
    ),
    (
        "By 2030, reduce the global maternal mortality ratio to less than 70 per 100,000 live births",
        {"form": "statement", "deadlines": ["2030-12-31"], "exact": False},
    ),
    (
        "By 2030, reduce to less than 3 per cent the transaction costs of migrant remittances and eliminate remittance corridors with costs higher than 5 per cent",
        {
            "form": "level",
            "value": 3,
            "unit": "%",
            "direction": "decrease",
            "strict": True,
            "deadlines": ["2030-12-31"],
            "exact": False,
        },
    ),
    (
        "Enhance scientific research, upgrade the technological capabilities of industrial sectors in all countries, in particular developing countries, including, by 2030, encouraging innovation and substantially increasing the number of research and development workers per 1 million people and public and private research and development spending",
        {"form": "statement", "deadlines": ["2030-12-31"], "exact": False},
    ),
    (
        "Enhance the conservation and sustainable use of oceans and their resources by implementing international law as reflected in the United Nations Convention on the Law of the Sea, which provides the legal framework for the conservation and sustainable use of oceans and their resources, as recalled in paragraph 158 of “The future we want”",
        {"form": "statement", "exact": False},
    ),
    (
        "Promote inclusive and sustainable industrialization and, by 2030, significantly raise industry’s share of employment and gross domestic product, in line with national circumstances, and double its share in least developed countries",
        {
            "form": "change",
            "change": 100,
            "unit": "%",
            "direction": "increase",
            "deadlines": ["2030-12-31"],
            "exact": False,
        },
    ),
    (
        "Significantly increase the exports of developing countries, in particular with a view to doubling the least developed countries’ share of global exports by 2020",
        {"form": "statement", "deadlines": ["2020-12-31"], "exact": False},
    ),
    (
        "Sustain per capita economic growth in accordance with national circumstances and, in particular, at least 7 percent gross domestic product growth per annum in the least developed countries",
        {"form": "rate", "direction": "increase", "exact": False},
    ),
    (
        "3.3 By 2030, end the epidemics of AIDS, tuberculosis, malaria and neglected tropical diseases and combat hepatitis, water-borne diseases and other communicable diseases",
        {"form": None, "deadlines": ["2030-12-31"], "exact": False},
    ),
    (
        "8.5 By 2030, achieve full and productive employment and decent work for all women and men, including for young people and persons with disabilities, and equal pay for work of equal value",
        {"form": None, "deadlines": ["2030-12-31"], "exact": False},
    ),
    (
        "By 2020, achieve the environmentally sound management of chemicals and all wastes throughout their life cycle, in accordance with agreed international frameworks, and significantly reduce their release to air, water and soil in order to minimize their adverse impacts on human health and the environment",
        {"form": None, "deadlines": ["2020-12-31"], "exact": False},
    ),
    (
        "By 2020, develop and operationalize a global strategy for youth employment and implement the Global Jobs Pact of the International Labour Organization",
        {"form": None, "deadlines": ["2020-12-31"], "exact": False},
    ),
    (
        "By 2020, effectively regulate harvesting and end overfishing, illegal, unreported and unregulated fishing and destructive fishing practices and implement science-based management plans, in order to restore fish stocks in the shortest time feasible, at least to levels that can produce maximum sustainable yield as determined by their biological characteristics",
        {"form": None, "direction": "increase", "deadlines": ["2020-12-31"], "exact": False},
    ),
    (
        "By 2020, enhance capacity-building support to developing countries, including for least developed countries and small island developing States, to increase significantly the availability of high-quality, timely and reliable data disaggregated by income, gender, age, race, ethnicity, migratory status, disability, geographic location and other characteristics relevant in national contexts",
        {"form": None, "deadlines": ["2020-12-31"], "exact": False},
    ),
]

TABLE = FORMAT_EXAMPLES + ISSUE_AND_MORE + REAL_TARGETS


def reading(parsed: ParsedTarget) -> dict[str, Any]:
    out = {f: getattr(parsed, f) for f in FIELDS}
    out["deadlines"] = [d.isoformat() for d in parsed.deadlines]
    out["baseline_date"] = parsed.baseline_date.isoformat() if parsed.baseline_date else None
    return out


@pytest.mark.parametrize(
    ("text", "expected"), TABLE, ids=lambda v: v[:50] if isinstance(v, str) else ""
)
def test_reading(text: str, expected: dict[str, Any]) -> None:
    parsed = parse_target(text)
    assert reading(parsed) == DEFAULTS | expected
    for key in ("value", "change", "baseline"):  # 12 == 12.0: ints stay ints
        if key in expected:
            assert type(getattr(parsed, key)) is type(expected[key]), key
    assert parsed.exact is (parsed.inexact is None)
    # measurable (no KPI201) with a number; a value or change only for a level or change
    assert parsed.measurable is (expected["form"] is not None)
    assert parsed.numeric is (expected["form"] in ("level", "change", "multiplier"))


def test_the_mapping_of_a_strict_text_says_strict() -> None:
    assert parse_target("less than 2 days").mapping() == {
        "value": 2, "unit": "days", "direction": "decrease", "strict": True,
    }  # fmt: skip
    assert parse_target("at most 2 days").mapping() == {
        "value": 2, "unit": "days", "direction": "decrease",
    }  # fmt: skip
    assert parse_target("by 2030 reduce by 20%").deadline is not None


@pytest.mark.parametrize(
    "text", [t for t, want in TABLE if want["form"] in ("range", "rate", "rank", "statement")]
)
def test_no_value_forms_have_no_mapping(text: str) -> None:
    parsed = parse_target(text)
    assert parsed.mapping() is None and parsed.value is None and parsed.change is None
