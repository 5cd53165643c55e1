"""Reading actuals (ACTUALS.md "Where actuals come from"): config, csv and open-sdg files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kpilint.actuals.read import Actuals, Point, parse_date, parse_value, read_all
from kpilint.actuals.spec import ActualsSpec
from kpilint.config import Config, ConfigError

TODAY = date(2026, 12, 6)


def _read(tmp_path: Path, text: str, columns: dict[str, str] | None = None) -> Actuals:
    path = tmp_path / "actuals.csv"
    path.write_text(text, encoding="utf-8")
    spec = ActualsSpec(("actuals.csv",), columns=tuple((columns or {}).items()))
    return read_all((spec,), [(path, 0)], {"nps", "churn"}, {"signups"}, TODAY, 10_000)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-02-14", date(2026, 2, 14)),
        ("2024-02", date(2024, 2, 29)),
        ("2026-Q1", date(2026, 3, 31)),
        ("2026-q3", date(2026, 9, 30)),
        ("2025", date(2025, 12, 31)),
        ("2026-13", None),
        ("2026-02-30", None),
        ("2026-Q5", None),
        ("14/02/2026", None),
        ("", None),
    ],
)
def test_dates(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1,200.5", 1200.5), ("12%", 12.0), ("-3", -3.0), (" 0.25 ", 0.25), ("1e3", 1000.0)],
)
def test_values(text: str, expected: float) -> None:
    assert parse_value(text) == expected


@pytest.mark.parametrize("text", ["", "n/a", "nan", "inf", "12 USD"])
def test_not_values(text: str) -> None:
    assert parse_value(text) is None


def test_csv_rows_and_bad_rows(tmp_path: Path) -> None:
    got = _read(
        tmp_path,
        "kpi,metric,date,value,note\n"
        "nps,,2026-01,40,first\n"
        "nps,,2026-02,abc,\n"  # line 3: not a number
        "nps,,2026-02-30,41,\n"  # line 4: no such day
        "ghost,,2026-03,1,\n"  # line 5: names no KPI
        "nps,,2026-01-31,42,\n"  # line 6: a second value for the same date
        ',signups,2026-Q1,"1,200",\n'
        "nps,,2027-01,99,\n"  # after today: not read, no finding
        "nps,,2026-06,45%,\n",
    )
    assert got.declared
    assert got.kpis == {"nps": {date(2026, 1, 31): 40.0, date(2026, 6, 30): 45.0}}
    assert got.metrics == {"signups": {date(2026, 3, 31): 1200.0}}
    assert [(i.line, i.message.split(":")[1].split("'")[0].strip()) for i in got.invalid] == [
        (3, "value"),
        (4, "date"),
        (5, ""),
        (6, "a second value for"),
    ]
    assert "names no kpi" in got.invalid[2].message


def test_own_rows_win_over_the_metric(tmp_path: Path) -> None:
    got = _read(
        tmp_path,
        "kpi,metric,date,value\n,signups,2026-01,10\n,signups,2026-02,11\nnps,,2026-02,7\n",
    )
    assert got.of("nps", "signups") == [
        Point(date(2026, 1, 31), 10.0),
        Point(date(2026, 2, 28), 7.0),
    ]


def test_renamed_columns_and_one_id_column(tmp_path: Path) -> None:
    got = _read(
        tmp_path,
        "name,month,amount\nnps,2026-01,3\nsignups,2026-01,4\nnobody,2026-01,5\n",
        {"id": "name", "date": "month", "value": "amount"},
    )
    assert got.kpis == {"nps": {date(2026, 1, 31): 3.0}}
    assert got.metrics == {"signups": {date(2026, 1, 31): 4.0}}
    assert [i.line for i in got.invalid] == [4]


def test_a_multiline_cell_keeps_row_lines(tmp_path: Path) -> None:
    got = _read(tmp_path, 'kpi,date,value,note\nnps,2026-01,1,"two\nlines"\nnps,2026-02,x,\n')
    assert [i.line for i in got.invalid] == [4]


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"kpi,date,value\n\xff\xfe,2026,1\n")
    got = read_all((ActualsSpec(("a.csv",)),), [(path, 0)], {"nps"}, set(), TODAY, 10_000)
    assert not got.declared
    assert len(got.unreadable) == 1 and "UTF-8" in got.unreadable[0].message


def test_open_sdg_headline_and_progress_options(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "data").mkdir(parents=True)
    (site / "indicator-config").mkdir()
    (site / "data" / "indicator_1-2-1.csv").write_text(
        "Year,Sex,Units,Value,Progress\n"
        "2015,,,14.5,\n"
        "2016,,,12.9,13\n"
        "2016,Female,,11,\n"  # a disaggregation: not headline
        "2017,,,,\n"  # neither value: skipped silently
        "2018,,,9\n"  # a short row: no Progress cell
        "2019,Male\n"  # a short row outside the selection
        "2030,,,1,\n"  # after today
    )
    (site / "data" / "indicator_3-1-1.csv").write_text(
        "Year,Sex,Units,Value\n2015,,,1\n2015,Female,Rate,2\n2016,Female,Rate,3\n2016,Female,Rate,4\n"
    )
    (site / "indicator-config" / "3-1-1.yml").write_text(
        "progress_calculation_options:\n"
        "- group:\n"
        "  - direction: positive\n"
        "    unit: Rate\n"
        "    target: 9\n"
        "    disaggregation:\n"
        "    - field: Sex\n"
        "      value: Female\n"
    )
    files = [(p, 0) for p in sorted((site / "data").glob("*.csv"))]
    spec = ActualsSpec(("data/*.csv",), format="open-sdg")
    got = read_all((spec,), files, set(), set(), TODAY, 10_000)
    assert got.kpis["1-2-1"] == {
        date(2015, 12, 31): 14.5,
        date(2016, 12, 31): 13.0,
        date(2018, 12, 31): 9.0,
    }
    assert got.kpis["3-1-1"] == {date(2015, 12, 31): 2.0, date(2016, 12, 31): 4.0}
    assert got.several == {"3-1-1"}
    assert got.invalid == []


def test_config_declares_actuals() -> None:
    config = Config.from_mapping(
        {"actuals": [{"include": ["a/*.csv"], "columns": {"date": "month"}}]}
    )
    (spec,) = config.actuals_specs()
    assert spec.include == ("a/*.csv",) and spec.format == "csv"
    assert dict(spec.columns) == {"date": "month"}


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ({}, "'actuals[1].include' is required"),
        ({"include": "a.csv", "format": "xlsx"}, "'actuals[1].format'"),
        ({"include": "a.csv", "colums": {}}, "did you mean 'columns'"),
        ({"include": "a.csv", "columns": {"when": "d"}}, "unknown column 'when'"),
        ({"include": "a.csv", "columns": {"date": 3}}, "'actuals[1].columns.date'"),
        ({"include": [], "format": "csv"}, "at least one glob"),
    ],
)
def test_config_errors(entry: dict[str, object], words: str) -> None:
    with pytest.raises(ConfigError) as info:
        Config.from_mapping({"actuals": [entry]})
    assert words in str(info.value)
