"""Requests, decisions and the open backlog."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sendreport.metrics.requests import (
    ehcna_decision_6wk_pct,
    ehcna_refusal_pct,
    ehcna_requests_received,
    ehcp_overdue_age_profile,
    ehcp_overdue_open,
)
from sendreport.periods import Period
from tests.metrics.builders import make_requests

Q4 = Period.parse("2023-24-Q4")  # 1 January – 31 March 2024
END = date(2024, 3, 31)


def decision(received: date, days: int, outcome: str) -> dict:
    return {
        "received_date": received,
        "request_outcome": outcome,
        "request_outcome_date": received + timedelta(days=days),
    }


def test_requests_received_on_last_day_of_quarter() -> None:
    df = make_requests(
        [
            {"received_date": date(2024, 3, 31), "request_outcome": "pending"},
            {"received_date": date(2024, 4, 1), "request_outcome": "pending"},
            {
                "received_date": date(2024, 1, 1),
                "request_outcome": "withdrawn",
                "request_outcome_date": date(2024, 1, 5),
            },
            {"received_date": date(2023, 12, 31), "request_outcome": "pending"},
        ]
    )
    assert ehcna_requests_received(df, Q4).value == 2
    assert ehcna_requests_received(df, Q4.next_quarter()).value == 1


def test_refusal_by_decision_date_excludes_withdrawn_and_pending() -> None:
    df = make_requests(
        [
            decision(date(2023, 12, 20), 30, "not_assess"),  # decided in January: counts
            decision(date(2024, 1, 10), 20, "assess"),
            decision(date(2024, 1, 10), 20, "assess"),
            decision(date(2024, 1, 10), 20, "withdrawn"),
            {"received_date": date(2024, 3, 1), "request_outcome": "pending"},
            decision(date(2024, 3, 20), 20, "not_assess"),  # decided in April: not here
        ]
    )
    m = ehcna_refusal_pct(df, Q4)
    assert (m.numerator, m.denominator) == (1, 3)
    assert m.value == pytest.approx(100 / 3)


def test_refusal_zero_decisions() -> None:
    df = make_requests([{"received_date": date(2024, 3, 1), "request_outcome": "pending"}])
    m = ehcna_refusal_pct(df, Q4)
    assert m.value is None and m.note == "no decisions whether to assess"


@pytest.mark.parametrize(("days", "within"), [(42, 1), (43, 0)])
def test_six_week_boundary(days: int, within: int) -> None:
    df = make_requests(
        [decision(date(2024, 1, 2), days, "not_assess"), decision(date(2024, 1, 2), 1, "withdrawn")]
    )
    m = ehcna_decision_6wk_pct(df, Q4)
    assert (m.numerator, m.denominator) == (within, 1)


def open_case(received: date, **extra) -> dict:
    return {
        "received_date": received,
        "request_outcome": "assess",
        "request_outcome_date": received + timedelta(days=30),
        **extra,
    }


def test_overdue_open_edges() -> None:
    day140 = END - timedelta(days=140)
    day141 = END - timedelta(days=141)
    rows = [
        open_case(day140),  # open, exactly 20 weeks: not overdue
        open_case(day141),  # open, 141 days: overdue
        # issue outcome but no plan yet: still open and overdue
        open_case(day141, assessment_outcome="issue", assessment_outcome_date=END),
        # plan issued on the period end: closed
        open_case(
            day141, assessment_outcome="issue", assessment_outcome_date=END, plan_issued_date=END
        ),
        # plan issued the day after: open at the end
        open_case(
            day141,
            assessment_outcome="issue",
            assessment_outcome_date=END + timedelta(days=1),
            plan_issued_date=END + timedelta(days=1),
        ),
        # not_issue on or before: closed; withdrawn after the end: open
        open_case(day141, assessment_outcome="not_issue", assessment_outcome_date=END),
        open_case(
            day141, assessment_outcome="withdrawn", assessment_outcome_date=END + timedelta(days=3)
        ),
        # refused before the end: closed; refused after the end: open at the end
        decision(day141, 10, "not_assess"),
        decision(day141, 200, "not_assess"),
        # withdrawn at request stage before the end: closed
        decision(day141, 10, "withdrawn"),
        # pending: open
        {"received_date": day141, "request_outcome": "pending"},
        # received after the end: not counted
        {"received_date": END + timedelta(days=1), "request_outcome": "pending"},
    ]
    m = ehcp_overdue_open(make_requests(rows), Q4)
    # overdue: day141, issue-no-plan, plan-after, withdrawn-after, refused-after, pending
    assert m.value == 6
    assert ("requests open at the period end", 7) in m.components


def test_age_profile_bands() -> None:
    rows = [
        {"received_date": END - timedelta(days=d), "request_outcome": "pending"}
        for d in (0, 140, 141, 210, 211, 364, 365, 800)
    ]
    table = ehcp_overdue_age_profile(make_requests(rows), Q4)
    assert table["band"].tolist() == [
        "up to 20 weeks",
        "20 to 30 weeks",
        "30 to 40 weeks",
        "40 to 52 weeks",
        "over 52 weeks",
    ]
    assert table["requests"].tolist() == [2, 2, 1, 1, 2]
    assert table["overdue"].tolist() == [False, True, True, True, True]
    assert (
        int(table.loc[table["overdue"], "requests"].sum())
        == ehcp_overdue_open(make_requests(rows), Q4).value
    )
