"""Calendar-year figures the DfE way, and dfe_calendar_year_aggregates."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from sendreport.exceptions import ParameterError
from sendreport.metrics import AGGREGATE_KEYS, dfe_calendar_year_aggregates
from sendreport.metrics.calendar_year import (
    ehcna_decision_6wk_pct_cy,
    ehcna_refusal_pct_cy,
    ehcna_requests_received_cy,
    ehcp_20wk_pct_ex_cy,
    ehcp_20wk_pct_inc_cy,
    ehcp_plans_issued_cy,
)
from sendreport.metrics.requests import ehcna_refusal_pct
from sendreport.periods import Period
from tests.metrics.builders import make_requests, plan


def decision(received: date, days: int, outcome: str) -> dict:
    return {
        "received_date": received,
        "request_outcome": outcome,
        "request_outcome_date": received + timedelta(days=days),
    }


@pytest.fixture
def frame() -> pd.DataFrame:
    issued = date(2023, 6, 30)
    return make_requests(
        [
            # requests received in 2023
            decision(date(2023, 1, 1), 42, "assess"),
            decision(date(2023, 3, 1), 43, "assess"),
            decision(date(2023, 12, 31), 30, "not_assess"),  # decided in 2024: still 2023's
            decision(date(2023, 5, 1), 10, "withdrawn"),
            {"received_date": date(2023, 12, 1), "request_outcome": "pending"},
            decision(date(2022, 12, 31), 5, "not_assess"),  # received 2022: not in cohort
            # plans issued in 2023 (received in earlier years)
            plan(issued - timedelta(days=140), 140),
            plan(issued - timedelta(days=141), 141),
            plan(issued - timedelta(days=364), 364),
            plan(issued - timedelta(days=365), 365, exception=1),
            plan(issued - timedelta(days=100), 100, exception=1),
        ]
    )


def test_aggregates(frame: pd.DataFrame) -> None:
    agg = dfe_calendar_year_aggregates(frame, 2023)
    assert list(agg) == list(AGGREGATE_KEYS)
    assert agg["requests_received_in_year"] == 5 + 3  # three of the plans were received in 2023
    assert agg["plans_issued_den"] == 5
    assert agg["plans_issued_den_ex"] == 3
    assert agg["plans_issued_within_20_weeks"] == 2
    assert agg["plans_issued_20_weeks_ex"] == 1
    assert agg["plans_issued_gt20weeks_ltYear"] == 2  # 141 and 364 days
    assert agg["plans_issued_gt20weeks_ltYear_ex"] == 2
    assert agg["plans_issued_gt_1_year"] == 1  # 365 days
    assert agg["plans_issued_gt_1_year_ex"] == 0
    for suffix in ("", "_ex"):
        den = agg[f"plans_issued_den{suffix}"]
        within = agg["plans_issued_within_20_weeks" if not suffix else "plans_issued_20_weeks_ex"]
        assert (
            within
            + agg[f"plans_issued_gt20weeks_ltYear{suffix}"]
            + agg[f"plans_issued_gt_1_year{suffix}"]
            == den
        )
    outcomes = (
        "requests_decided_to_assess",
        "requests_decided_not_to_assess",
        "requests_withdrawn",
        "requests_decision_not_made",
    )
    assert sum(agg[k] for k in outcomes) == agg["requests_received_in_year"]
    assert all(isinstance(v, int) for v in agg.values())


def test_request_cohort_only(frame: pd.DataFrame) -> None:
    cohort = frame.loc[frame["plan_issued_date"].isna()]
    agg = dfe_calendar_year_aggregates(cohort, Period.calendar_year(2023))
    assert agg["requests_received_in_year"] == 5
    assert agg["requests_decided_to_assess"] == 2
    assert agg["requests_decided_not_to_assess"] == 1
    assert agg["requests_withdrawn"] == 1
    assert agg["requests_decision_not_made"] == 1
    assert (agg["request_outcome_six_weeks"], agg["request_outcome_over_6_weeks"]) == (2, 1)
    # The cohort's decisions (received in 2023), against the local decisions dated in 2023.
    # The request of 31 December 2023 refused in January 2024 is in the cohort, but its
    # decision was not known when the year ended: the year's figure leaves it out, so it
    # never changes after 31 December (as_at can be given to count later decisions).
    cy = ehcna_refusal_pct_cy(cohort, 2023)
    assert (cy.numerator, cy.denominator) == (0, 2)
    later = ehcna_refusal_pct_cy(cohort, 2023, as_at=date(2024, 1, 31))
    assert (later.numerator, later.denominator) == (1, 3)
    local = ehcna_refusal_pct(cohort, Period.calendar_year(2023))
    # By decision date: the 2022 request refused in January 2023 counts, and the request
    # of 31 December 2023 refused in 2024 does not.
    assert (local.numerator, local.denominator) == (1, 3)
    six = ehcna_decision_6wk_pct_cy(cohort, 2023)
    assert (six.numerator, six.denominator) == (1, 2)
    six_later = ehcna_decision_6wk_pct_cy(cohort, 2023, as_at=date(2024, 1, 31))
    assert (six_later.numerator, six_later.denominator) == (2, 3)


def test_as_at_treats_later_outcomes_as_undecided(frame: pd.DataFrame) -> None:
    cohort = frame.loc[frame["plan_issued_date"].isna()]
    agg = dfe_calendar_year_aggregates(cohort, 2023, as_at=date(2024, 1, 18))
    assert agg["requests_decided_not_to_assess"] == 0  # decided 30 January 2024
    assert agg["requests_decision_not_made"] == 2


def test_cy_metrics(frame: pd.DataFrame) -> None:
    ex = ehcp_20wk_pct_ex_cy(frame, 2023)
    assert (ex.numerator, ex.denominator) == (1, 3) and ex.period == Period.calendar_year(2023)
    inc = ehcp_20wk_pct_inc_cy(frame, Period.calendar_year(2023))
    assert (inc.numerator, inc.denominator) == (2, 5)
    assert ehcp_plans_issued_cy(frame, 2023).value == 5
    assert ehcna_requests_received_cy(frame, 2023).value == 8
    none = ehcp_20wk_pct_ex_cy(frame, 2019)
    assert none.value is None and none.note == "no plans issued"


def test_cy_metrics_reject_other_periods(frame: pd.DataFrame) -> None:
    with pytest.raises(ParameterError, match="calendar year"):
        ehcp_20wk_pct_ex_cy(frame, Period.parse("2023-24-Q4"))
    with pytest.raises(ParameterError):
        ehcp_20wk_pct_ex_cy(frame, "2023")  # type: ignore[arg-type]


def test_million_rows_under_a_second() -> None:
    n = 1_000_000
    rng = np.random.default_rng(1)
    received = pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 730, n), unit="D")
    decided = received + pd.to_timedelta(rng.integers(1, 80, n), unit="D")
    issued = received + pd.to_timedelta(rng.integers(60, 500, n), unit="D")
    outcome = rng.choice(np.array(["assess", "not_assess", "withdrawn", "pending"]), n)
    has_plan = outcome == "assess"
    frame = pd.DataFrame(
        {
            "received_date": received,
            "request_outcome": pd.array(outcome, dtype="str"),
            "request_outcome_date": decided.where(outcome != "pending"),
            "plan_issued_date": issued.where(has_plan),
            "week20_exception": pd.array(rng.integers(0, 2, n), dtype="Int64"),
        }
    )
    agg = dfe_calendar_year_aggregates(frame, 2023)
    assert agg["requests_received_in_year"] > 0
