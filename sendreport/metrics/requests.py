"""Requests for an EHC needs assessment, decisions on them, and the open backlog.

Local definitions count decisions by the date they were made
(``request_outcome_date``), so a quarter's refusal rate describes that quarter's
decisions. The DfE way (by cohort of requests received in a calendar year) is in
:mod:`sendreport.metrics.calendar_year`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sendreport.metrics._common import (
    WEEK6_DAYS,
    WEEK20_DAYS,
    count_measure,
    dated_in,
    dated_on_or_before,
    days_between,
    is_one_of,
    pct_measure,
)
from sendreport.metrics.base import Measure, metric
from sendreport.periods import Period

DECISIONS = ("assess", "not_assess")
# Outcomes that close a request for good (an `issue` outcome closes it only once the plan
# is issued, so it is not listed here).
CLOSING_REQUEST_OUTCOMES = ("not_assess", "withdrawn")
CLOSING_ASSESSMENT_OUTCOMES = ("not_issue", "withdrawn")
AGE_BANDS = (
    ("up to 20 weeks", -np.inf, 140),
    ("20 to 30 weeks", 140, 210),
    ("30 to 40 weeks", 210, 280),
    ("40 to 52 weeks", 280, 364),
    ("over 52 weeks", 364, np.inf),
)


@metric(title="Requests for an EHC needs assessment received", unit="count", polarity="neutral")
def ehcna_requests_received(ehcp_requests: pd.DataFrame, period: Period) -> Measure:
    """Initial requests for an EHC needs assessment received in the period.

    Definition:
        numerator: requests with received_date on a day of the period
        denominator: none (a count)
        period basis: the period given, by date received
        exclusions: none; withdrawn and pending requests are counted
        source: EHCP requests extract (case management system; the data that feeds SEN2)
    """
    n = int(dated_in(ehcp_requests["received_date"], period).sum())
    return count_measure(period, n, components=(("requests received", n),))


def select_decisions(ehcp_requests: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Decisions whether to assess (assess or not_assess) dated in ``period``."""
    mask = is_one_of(ehcp_requests["request_outcome"], DECISIONS) & dated_in(
        ehcp_requests["request_outcome_date"], period
    )
    return ehcp_requests.loc[mask]


@metric(title="Requests refused an EHC needs assessment", unit="%", polarity="neutral")
def ehcna_refusal_pct(ehcp_requests: pd.DataFrame, period: Period) -> Measure:
    """Percentage of decisions made in the period that were not to assess.

    Definition:
        numerator: decisions not to assess (request_outcome = not_assess) dated in the
            period (request_outcome_date)
        denominator: decisions to assess or not to assess dated in the period
        period basis: the period given, by decision date
        exclusions: withdrawn and pending requests
        source: EHCP requests extract (case management system; the data that feeds SEN2)
    """
    decided = select_decisions(ehcp_requests, period)
    refused = int(is_one_of(decided["request_outcome"], ("not_assess",)).sum())
    return pct_measure(
        period,
        refused,
        len(decided),
        empty_note="no decisions whether to assess",
        components=(
            ("decided to assess", len(decided) - refused),
            ("decided not to assess", refused),
        ),
    )


@metric(title="Decisions whether to assess made within 6 weeks", unit="%", polarity="higher")
def ehcna_decision_6wk_pct(ehcp_requests: pd.DataFrame, period: Period) -> Measure:
    """Percentage of decisions whether to assess, made in the period, made within 6 weeks.

    Definition:
        numerator: decisions (assess or not_assess) dated in the period no more than 42
            days after the request was received (request_outcome_date − received_date
            ≤ 42 days)
        denominator: decisions (assess or not_assess) dated in the period
        period basis: the period given, by decision date
        exclusions: withdrawn and pending requests
        source: EHCP requests extract (case management system; the data that feeds SEN2)
    """
    decided = select_decisions(ehcp_requests, period)
    days = days_between(decided["request_outcome_date"], decided["received_date"]).to_numpy()
    within = int(np.sum(days <= WEEK6_DAYS))
    return pct_measure(
        period,
        within,
        len(decided),
        empty_note="no decisions whether to assess",
        components=(
            ("decisions within 6 weeks", within),
            ("decisions after 6 weeks", len(decided) - within),
        ),
    )


def open_at_mask(ehcp_requests: pd.DataFrame, period: Period) -> np.ndarray:
    """True for requests open at the period end.

    Open: received on or before the period end, no plan issued on or before it, and no
    closing outcome (not_assess, not_issue or withdrawn) dated on or before it. An
    ``issue`` outcome without a plan yet is still open; so is a request whose outcome is
    dated after the period end (it had not happened yet).
    """
    end = period.end
    received = dated_on_or_before(ehcp_requests["received_date"], end)
    planned = dated_on_or_before(ehcp_requests["plan_issued_date"], end)
    closed_at_request = is_one_of(
        ehcp_requests["request_outcome"], CLOSING_REQUEST_OUTCOMES
    ) & dated_on_or_before(ehcp_requests["request_outcome_date"], end)
    closed_at_assessment = is_one_of(
        ehcp_requests["assessment_outcome"], CLOSING_ASSESSMENT_OUTCOMES
    ) & dated_on_or_before(ehcp_requests["assessment_outcome_date"], end)
    return received & ~planned & ~closed_at_request & ~closed_at_assessment


def days_open_at_end(ehcp_requests: pd.DataFrame, period: Period) -> pd.Series:
    """Days from receipt to the period end, for each request."""
    end = pd.Series(pd.Timestamp(period.end), index=ehcp_requests.index)
    return days_between(end, ehcp_requests["received_date"])


@metric(title="Open requests past 20 weeks", unit="count", polarity="lower")
def ehcp_overdue_open(ehcp_requests: pd.DataFrame, period: Period) -> Measure:
    """Requests open at the period end that were received more than 20 weeks before it.

    Definition:
        numerator: requests open at the period end (received on or before it; no plan
            issued and no not_assess, not_issue or withdrawn outcome dated on or before
            it) received more than 140 days before the period end
        denominator: none (a count); requests open at the period end are shown beside it
        period basis: snapshot at the period end
        exclusions: requests closed on or before the period end; an issue outcome with no
            plan yet, or any outcome dated after the period end, leaves a request open
        source: EHCP requests extract (case management system; the data that feeds SEN2)
    """
    open_mask = open_at_mask(ehcp_requests, period)
    days = days_open_at_end(ehcp_requests, period).to_numpy()
    overdue = int(np.sum(open_mask & (days > WEEK20_DAYS)))
    return count_measure(
        period,
        overdue,
        components=(
            ("requests open at the period end", int(open_mask.sum())),
            ("of which received more than 20 weeks before", overdue),
        ),
    )


def ehcp_overdue_age_profile(ehcp_requests: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Requests open at the period end by time since receipt (a table, not a metric).

    Columns: ``band`` (up to 20 weeks, 20 to 30, 30 to 40, 40 to 52, over 52 weeks),
    ``overdue`` (band is past 20 weeks, i.e. more than 140 days), ``requests`` (count).
    Bands are right-closed in days: "20 to 30 weeks" is 141–210 days. Every band appears,
    with 0 when empty, so the table's shape never depends on the data.
    """
    open_rows = open_at_mask(ehcp_requests, period)
    days = days_open_at_end(ehcp_requests, period).to_numpy()[open_rows]
    edges = [AGE_BANDS[0][1], *(b[2] for b in AGE_BANDS)]
    labels = [b[0] for b in AGE_BANDS]
    banded = pd.cut(pd.Series(days, dtype="float64"), bins=edges, labels=labels, right=True)
    counts = banded.value_counts(sort=False).reindex(labels, fill_value=0)
    return pd.DataFrame(
        {
            "band": pd.array(labels, dtype="string"),
            "overdue": [b[1] >= WEEK20_DAYS for b in AGE_BANDS],
            "requests": pd.array(counts.to_numpy(), dtype="Int64"),
        }
    )
