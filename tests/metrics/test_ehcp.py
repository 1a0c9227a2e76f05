"""Plans issued and 20-week timeliness."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sendreport.metrics import compute
from sendreport.metrics.ehcp import (
    ehcp_20wk_pct_ex,
    ehcp_20wk_pct_ex_ytd,
    ehcp_20wk_pct_inc,
    ehcp_plans_issued,
    ehcp_plans_issued_yoy_pct,
    ehcp_weeks_to_issue_median,
)
from sendreport.periods import Period
from tests.metrics.builders import make_requests, plan

Q4 = Period.parse("2023-24-Q4")  # January–March 2024 (a leap February)
Q3 = Period.parse("2023-24-Q3")


def test_plans_issued_counts_by_issue_date() -> None:
    df = make_requests(
        [
            plan(date(2023, 10, 1), 100),  # 2024-01-09: in Q4
            plan(date(2023, 11, 21), 131),  # 2024-03-31: last day of Q4
            plan(date(2023, 11, 22), 131),  # 2024-04-01: next quarter
            {"received_date": date(2024, 1, 5), "request_outcome": "pending"},
        ]
    )
    m = ehcp_plans_issued(df, Q4)
    assert m.value == 2 and m.unit == "count"
    assert ehcp_plans_issued(df, Q4.next_quarter()).value == 1


@pytest.mark.parametrize(("days", "within"), [(140, 1), (141, 0)])
def test_20_week_boundary(days: int, within: int) -> None:
    df = make_requests([plan(date(2023, 11, 1), days)])
    m = ehcp_20wk_pct_ex(df, Q4)
    assert m.numerator == within and m.denominator == 1
    assert m.value == 100.0 * within


def test_leap_day_counts_as_a_day() -> None:
    # 12 October 2023 to 29 February 2024 is exactly 140 days; 1 March is 141.
    df = make_requests(
        [
            {**plan(date(2023, 10, 12), 140), "request_id": "leap"},
            {**plan(date(2023, 10, 12), 141), "request_id": "after"},
        ]
    )
    assert df["plan_issued_date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-02-29", "2024-03-01"]
    m = ehcp_20wk_pct_inc(df, Q4)
    assert (m.numerator, m.denominator, m.value) == (1, 2, 50.0)


def test_exceptions_removed_or_kept() -> None:
    df = make_requests(
        [
            plan(date(2023, 11, 1), 100),
            plan(date(2023, 9, 1), 200, exception=1),
            plan(date(2023, 9, 1), 200),
        ]
    )
    ex, inc = ehcp_20wk_pct_ex(df, Q4), ehcp_20wk_pct_inc(df, Q4)
    assert (ex.numerator, ex.denominator, ex.value) == (1, 2, 50.0)
    assert (inc.numerator, inc.denominator) == (1, 3)
    assert inc.value == pytest.approx(100 / 3)
    assert ("plans with a permitted exception, removed", 1) in ex.components


def test_zero_denominator_is_none_with_note() -> None:
    df = make_requests([plan(date(2023, 1, 1), 100)])
    for func in (ehcp_20wk_pct_ex, ehcp_20wk_pct_inc, ehcp_weeks_to_issue_median):
        m = func(df, Q4)
        assert m.value is None and m.note == "no plans issued" and not m.available


def test_only_exception_plans_says_so() -> None:
    df = make_requests([plan(date(2023, 11, 1), 100, exception=1)])
    m = ehcp_20wk_pct_ex(df, Q4)
    assert m.value is None and "exception" in (m.note or "")


def test_historic_case_cleared_counts_as_issued_outside_20_weeks() -> None:
    df = make_requests([plan(date(2020, 6, 1), 1350), plan(date(2023, 12, 1), 60)])
    assert Q4.contains(df["plan_issued_date"].iloc[0].date())
    m = ehcp_20wk_pct_inc(df, Q4)
    assert (m.numerator, m.denominator) == (1, 2)
    assert ("issued after 52 weeks", 1) in m.components
    assert ehcp_plans_issued(df, Q4).value == 2


def test_unit_agnostic_dates() -> None:
    rows = [plan(date(2023, 11, 1), 140), plan(date(2023, 11, 1), 141)]
    for unit in ("s", "ms", "us", "ns"):
        m = ehcp_20wk_pct_ex(make_requests(rows, unit=unit), Q4)
        assert (m.numerator, m.denominator) == (1, 2), unit


def test_yoy_change_and_zero_base() -> None:
    df = make_requests([plan(date(2023, 11, 1), 100)] * 3 + [plan(date(2022, 11, 1), 100)] * 2)
    m = ehcp_plans_issued_yoy_pct(df, Q4)
    assert m.value == pytest.approx(50.0)
    assert (m.numerator, m.denominator) == (1, 2)
    empty = ehcp_plans_issued_yoy_pct(make_requests([plan(date(2023, 11, 1), 100)]), Q4)
    assert empty.value is None and "no plans issued" in (empty.note or "")


def test_ytd_runs_from_1_january() -> None:
    df = make_requests(
        [
            plan(date(2023, 9, 1), 100),  # 2023-12-10: Q3, previous calendar year
            plan(date(2023, 12, 1), 100),  # 2024-03-10: within
            plan(date(2023, 9, 1), 150),  # 2024-01-29: outside
        ]
    )
    m = ehcp_20wk_pct_ex_ytd(df, Q4)
    assert m.period == Period.calendar_ytd(date(2024, 3, 31))
    assert (m.numerator, m.denominator) == (1, 2)
    # Q1 2024-25 year to date still starts on 1 January 2024.
    assert ehcp_20wk_pct_ex_ytd(df, Q4.next_quarter()).denominator == 2


def test_median_weeks() -> None:
    issued = date(2024, 2, 15)
    df = make_requests([plan(issued - timedelta(days=d), d) for d in (70, 140, 210)])
    m = ehcp_weeks_to_issue_median(df, Q4)
    assert m.value == pytest.approx(20.0) and m.denominator == 3


def test_compute_by_id_ignores_other_frames() -> None:
    df = make_requests([plan(date(2023, 11, 1), 100)])
    m = compute("ehcp_20wk_pct_ex", {"ehcp_requests": df, "ehcp_caseload": None}, Q4)
    assert m is not None and m.value == 100.0 and m.id == "ehcp_20wk_pct_ex"
