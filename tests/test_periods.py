"""Financial-year quarters, their neighbours and their words."""

from __future__ import annotations

from datetime import date

import pytest

from sendreport.exceptions import ParameterError
from sendreport.periods import Basis, Period, latest_completed_quarter, quarter_containing


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("2023-24-Q1", date(2023, 4, 1), date(2023, 6, 30)),
        ("2023-24-Q2", date(2023, 7, 1), date(2023, 9, 30)),
        ("2023-24-Q3", date(2023, 10, 1), date(2023, 12, 31)),
        ("2023-24-Q4", date(2024, 1, 1), date(2024, 3, 31)),
        ("1999-00-Q4", date(2000, 1, 1), date(2000, 3, 31)),
    ],
)
def test_quarter_codes(code: str, start: date, end: date) -> None:
    period = Period.parse(code)
    assert (period.start, period.end, period.label) == (start, end, code)
    assert period.basis is Basis.FY_QUARTER


@pytest.mark.parametrize(
    "bad", ["2023-Q4", "2023-24-Q5", "2023-25-Q1", "", "Q4 2023", "2023/24-Q4"]
)
def test_malformed_codes_say_what_is_accepted(bad: str) -> None:
    with pytest.raises(ParameterError) as caught:
        Period.parse(bad)
    assert "YYYY-YY-Qn" in str(caught.value)
    assert caught.value.exit_code == 2


def test_neighbours_and_year_on_year() -> None:
    q4 = Period.parse("2023-24-Q4")
    assert q4.previous_quarter().label == "2023-24-Q3"
    assert q4.next_quarter().label == "2024-25-Q1"
    assert Period.parse("2024-25-Q1").previous_quarter().label == "2023-24-Q4"
    assert q4.same_period_last_year().label == "2022-23-Q4"
    assert q4.financial_year_of().label == "2023-24"
    assert [p.label for p in q4.quarters_back(3)] == ["2023-24-Q2", "2023-24-Q3", "2023-24-Q4"]


def test_ranges() -> None:
    periods = Period.parse_range("2022-23-Q1..2024-25-Q4")
    assert len(periods) == 12
    assert periods[0].label == "2022-23-Q1" and periods[-1].label == "2024-25-Q4"
    with pytest.raises(ParameterError, match="runs backwards"):
        Period.parse_range("2024-25-Q4..2022-23-Q1")


def test_other_bases_and_words() -> None:
    q4 = Period.parse("2023-24-Q4")
    assert q4.span == "January–March 2024"
    assert q4.describe() == "January–March 2024 (financial-year quarter)"
    ytd = q4.ytd()
    assert (ytd.start, ytd.end, ytd.basis) == (
        date(2024, 1, 1),
        date(2024, 3, 31),
        Basis.CALENDAR_YTD,
    )
    rolling = Period.rolling_12_months(date(2024, 3, 31))
    assert rolling.start == date(2023, 4, 1)
    assert Period.calendar_year(2023).describe() == "calendar year 2023"
    leap = Period.calendar_ytd(date(2024, 2, 29)).same_period_last_year()
    assert leap.end == date(2023, 2, 28)
    assert [m.label for m in q4.months()] == ["2024-01", "2024-02", "2024-03"]


def test_latest_completed_quarter() -> None:
    assert quarter_containing(date(2024, 3, 31)).label == "2023-24-Q4"
    assert quarter_containing(date(2024, 4, 1)).label == "2024-25-Q1"
    assert latest_completed_quarter(date(2024, 4, 2)).label == "2023-24-Q4"
    assert latest_completed_quarter(date(2024, 1, 3)).label == "2023-24-Q3"
