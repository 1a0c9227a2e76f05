"""Calendar-year figures computed the DfE way, for comparison with published DfE figures.

DfE's "Education, health and care plans" release (SEN2) publishes, per local authority
and calendar year:

- **requests** as a *cohort*: the requests *received in the year*, each with the outcome
  it has (decided to assess, decided not to assess, withdrawn, or not yet decided).
  DfE's printed percentages of requests (e.g. ``request_not_assess_pc``) are of all
  requests received; ``ehcna_refusal_pct_cy`` is of the cohort's *decisions*, as
  ``sendreport.dfe`` computes it from the published counts, so the two sides of a
  comparison share one formula. The local ``ehcna_refusal_pct`` differs again: it counts
  decisions by the date they were made.
- **timeliness** by *plans issued in the year* (plan_issued_date in the year), by time
  from request to plan: within 20 weeks (≤ 140 days), after 20 weeks but within 52 weeks
  (141–364 days), after 52 weeks (≥ 365 days), each including and excluding plans with a
  permitted exception. The three bands partition the plans issued.

:func:`dfe_calendar_year_aggregates` returns those counts under DfE's own variable names
(``timeliness_20_week.csv`` and ``requests.csv``), so a published row and a computed dict
can be compared key by key. The demo-data generator is calibrated against it.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from sendreport.exceptions import ParameterError
from sendreport.metrics._common import (
    WEEK6_DAYS,
    WEEK20_DAYS,
    WEEK52_DAYS,
    count_measure,
    dated_in,
    dated_on_or_before,
    days_between,
    flag_set,
    is_one_of,
    pct_measure,
)
from sendreport.metrics.base import Measure, metric
from sendreport.periods import Basis, Period

DFE_SOURCE = "DfE, Education, health and care plans (SEN2)"

# Keys of dfe_calendar_year_aggregates, in DfE's order and spelling.
REQUEST_KEYS = (
    "requests_received_in_year",
    "requests_decided_to_assess",
    "requests_decided_not_to_assess",
    "requests_withdrawn",
    "requests_decision_not_made",
    "request_outcome_six_weeks",
    "request_outcome_over_6_weeks",
)
TIMELINESS_KEYS = (
    "plans_issued_den",
    "plans_issued_den_ex",
    "plans_issued_within_20_weeks",
    "plans_issued_20_weeks_ex",
    "plans_issued_gt20weeks_ltYear",
    "plans_issued_gt20weeks_ltYear_ex",
    "plans_issued_gt_1_year",
    "plans_issued_gt_1_year_ex",
)
AGGREGATE_KEYS = REQUEST_KEYS + TIMELINESS_KEYS


def calendar_year_period(period: int | Period) -> Period:
    """A calendar-year Period from a year number or a calendar-year Period."""
    if isinstance(period, Period):
        if period.basis is not Basis.CALENDAR_YEAR:
            raise ParameterError(
                f"calendar-year metrics need a calendar year, got {period.describe()}",
                accepted="a year such as 2023, or Period.calendar_year(2023)",
            )
        return period
    if isinstance(period, (int, np.integer)) and not isinstance(period, bool):
        return Period.calendar_year(int(period))
    raise ParameterError(
        f"calendar-year metrics need a year, got {period!r}",
        accepted="a year such as 2023, or Period.calendar_year(2023)",
    )


def dfe_calendar_year_aggregates(
    ehcp_requests: pd.DataFrame, year: int | Period, *, as_at: date | None = None
) -> dict[str, int]:
    """The counts DfE publishes per LA for one calendar year, under DfE's variable names.

    ``year`` is a year number or a calendar-year Period. ``as_at`` (optional) is the date
    the outcomes are known at, e.g. the SEN2 collection date in the January after the
    year: outcomes and plans dated after it are treated as not yet happened. By default
    outcomes are taken as recorded in the data.

    The keys are :data:`REQUEST_KEYS` (``requests.csv``; :func:`count_request_cohort`
    defines each) then :data:`TIMELINESS_KEYS` (``timeliness_20_week.csv``;
    :func:`count_plans_by_time`). Vectorised: a million rows take well under a second.
    """
    cy = calendar_year_period(year)
    return count_request_cohort(ehcp_requests, cy, as_at) | count_plans_by_time(
        ehcp_requests, cy, as_at
    )


def _count(mask: np.ndarray) -> int:
    return int(np.count_nonzero(mask))


def count_request_cohort(
    ehcp_requests: pd.DataFrame, cy: Period, as_at: date | None
) -> dict[str, int]:
    """DfE's request counts (``requests.csv``) for the cohort of requests *received* in ``cy``.

    - ``requests_received_in_year``: received_date in the year.
    - ``requests_decided_to_assess``: of those, request_outcome = assess (dated on or
      before ``as_at`` when given).
    - ``requests_decided_not_to_assess``: of those, request_outcome = not_assess.
    - ``requests_withdrawn``: of those, request_outcome = withdrawn.
    - ``requests_decision_not_made``: the rest of the cohort: pending, no outcome, or an
      outcome dated after ``as_at``. The four outcome counts sum to requests received.
    - ``request_outcome_six_weeks``: cohort requests decided (assess or not_assess) no
      more than 42 days after receipt (request_outcome_date − received_date ≤ 42 days).
    - ``request_outcome_over_6_weeks``: cohort requests decided more than 42 days after
      receipt. Withdrawn and undecided requests are in neither six-week count. (DfE's
      published six-week counts can total somewhat more than its decisions, e.g.
      Hertfordshire 2023: 2,772 against 2,554; DfE does not say which other requests it
      times, so this function counts decisions only.)
    """
    cohort = ehcp_requests.loc[dated_in(ehcp_requests["received_date"], cy)]
    outcome = cohort["request_outcome"]
    outcome_known = (
        dated_on_or_before(cohort["request_outcome_date"], as_at)
        if as_at is not None
        else np.ones(len(cohort), dtype=bool)
    )
    assess = is_one_of(outcome, ("assess",)) & outcome_known
    not_assess = is_one_of(outcome, ("not_assess",)) & outcome_known
    withdrawn = is_one_of(outcome, ("withdrawn",)) & outcome_known
    decided = assess | not_assess
    days = days_between(cohort["request_outcome_date"], cohort["received_date"]).to_numpy()
    return {
        "requests_received_in_year": len(cohort),
        "requests_decided_to_assess": _count(assess),
        "requests_decided_not_to_assess": _count(not_assess),
        "requests_withdrawn": _count(withdrawn),
        "requests_decision_not_made": len(cohort) - _count(decided) - _count(withdrawn),
        "request_outcome_six_weeks": _count(decided & (days <= WEEK6_DAYS)),
        "request_outcome_over_6_weeks": _count(decided & (days > WEEK6_DAYS)),
    }


def count_plans_by_time(
    ehcp_requests: pd.DataFrame, cy: Period, as_at: date | None
) -> dict[str, int]:
    """DfE's timeliness counts (``timeliness_20_week.csv``) for plans *issued* in ``cy``,
    whenever the request was received; days = plan_issued_date − received_date.

    - ``plans_issued_den``: plan_issued_date in the year (on or before ``as_at`` when given).
    - ``plans_issued_den_ex``: the same less plans with week20_exception = 1.
    - ``plans_issued_within_20_weeks`` / ``plans_issued_20_weeks_ex``: days ≤ 140, all
      plans / plans without an exception.
    - ``plans_issued_gt20weeks_ltYear`` / ``..._ex``: 141 ≤ days ≤ 364 (after 20 weeks,
      within 52 weeks).
    - ``plans_issued_gt_1_year`` / ``..._ex``: days ≥ 365 (after 52 weeks).

    Within each of inc and ex the three bands sum to the denominator.
    """
    issued = dated_in(ehcp_requests["plan_issued_date"], cy)
    if as_at is not None:
        issued = issued & dated_on_or_before(ehcp_requests["plan_issued_date"], as_at)
    plans = ehcp_requests.loc[issued]
    no_exception = ~flag_set(plans["week20_exception"])
    days = days_between(plans["plan_issued_date"], plans["received_date"]).to_numpy()
    within_20 = days <= WEEK20_DAYS
    over_year = days > WEEK52_DAYS
    middle = ~within_20 & ~over_year  # a missing received_date falls here; never silently lost
    return {
        "plans_issued_den": len(plans),
        "plans_issued_den_ex": _count(no_exception),
        "plans_issued_within_20_weeks": _count(within_20),
        "plans_issued_20_weeks_ex": _count(within_20 & no_exception),
        "plans_issued_gt20weeks_ltYear": _count(middle),
        "plans_issued_gt20weeks_ltYear_ex": _count(middle & no_exception),
        "plans_issued_gt_1_year": _count(over_year),
        "plans_issued_gt_1_year_ex": _count(over_year & no_exception),
    }


def aggregate_components(
    agg: dict[str, int], keys: tuple[str, ...]
) -> tuple[tuple[str, float], ...]:
    return tuple((k, float(agg[k])) for k in keys)


@metric(
    title="New EHC plans issued in the calendar year (DfE basis)", unit="count", polarity="neutral"
)
def ehcp_plans_issued_cy(
    ehcp_requests: pd.DataFrame, period: int | Period, *, as_at: date | None = None
) -> Measure:
    """New EHC plans issued in the calendar year, as DfE counts them.

    Definition:
        numerator: plans with plan_issued_date in the calendar year (DfE plans_issued_den)
        denominator: none (a count)
        period basis: calendar year, by plan issue date
        exclusions: none; plans with a permitted exception are counted
        source: EHCP requests extract, aggregated as in DfE, Education, health and care
            plans (SEN2), timeliness_20_week.csv
    """
    cy = calendar_year_period(period)
    agg = dfe_calendar_year_aggregates(ehcp_requests, cy, as_at=as_at)
    return count_measure(
        cy,
        agg["plans_issued_den"],
        components=aggregate_components(agg, ("plans_issued_den", "plans_issued_den_ex")),
    )


@metric(
    title="EHC plans issued within 20 weeks, calendar year (DfE basis, excluding exceptions)",
    unit="%",
    polarity="higher",
)
def ehcp_20wk_pct_ex_cy(
    ehcp_requests: pd.DataFrame, period: int | Period, *, as_at: date | None = None
) -> Measure:
    """Percentage of plans issued in the calendar year within 20 weeks, excluding exceptions.

    Definition:
        numerator: plans issued in the calendar year without a permitted exception, no
            more than 140 days after the request was received (DfE plans_issued_20_weeks_ex)
        denominator: plans issued in the calendar year without a permitted exception (DfE
            plans_issued_den_ex)
        period basis: calendar year, by plan issue date
        exclusions: plans with week20_exception = 1
        source: EHCP requests extract, aggregated as in DfE, Education, health and care
            plans (SEN2), timeliness_20_week.csv (PC_plans_issued_20_weeks_ex)
    """
    cy = calendar_year_period(period)
    agg = dfe_calendar_year_aggregates(ehcp_requests, cy, as_at=as_at)
    return pct_measure(
        cy,
        agg["plans_issued_20_weeks_ex"],
        agg["plans_issued_den_ex"],
        empty_note="no plans issued",
        components=aggregate_components(
            agg,
            (
                "plans_issued_20_weeks_ex",
                "plans_issued_gt20weeks_ltYear_ex",
                "plans_issued_gt_1_year_ex",
            ),
        ),
    )


@metric(
    title="EHC plans issued within 20 weeks, calendar year (DfE basis, including exceptions)",
    unit="%",
    polarity="higher",
)
def ehcp_20wk_pct_inc_cy(
    ehcp_requests: pd.DataFrame, period: int | Period, *, as_at: date | None = None
) -> Measure:
    """Percentage of plans issued in the calendar year within 20 weeks, including exceptions.

    Definition:
        numerator: plans issued in the calendar year no more than 140 days after the
            request was received (DfE plans_issued_within_20_weeks)
        denominator: plans issued in the calendar year (DfE plans_issued_den)
        period basis: calendar year, by plan issue date
        exclusions: none
        source: EHCP requests extract, aggregated as in DfE, Education, health and care
            plans (SEN2), timeliness_20_week.csv (pc_plans_issued_within_20_weeks)
    """
    cy = calendar_year_period(period)
    agg = dfe_calendar_year_aggregates(ehcp_requests, cy, as_at=as_at)
    return pct_measure(
        cy,
        agg["plans_issued_within_20_weeks"],
        agg["plans_issued_den"],
        empty_note="no plans issued",
        components=aggregate_components(
            agg,
            (
                "plans_issued_within_20_weeks",
                "plans_issued_gt20weeks_ltYear",
                "plans_issued_gt_1_year",
            ),
        ),
    )


@metric(
    title="Requests for an EHC needs assessment received, calendar year (DfE basis)",
    unit="count",
    polarity="neutral",
)
def ehcna_requests_received_cy(
    ehcp_requests: pd.DataFrame, period: int | Period, *, as_at: date | None = None
) -> Measure:
    """Requests for an EHC needs assessment received in the calendar year, as DfE counts them.

    Definition:
        numerator: requests with received_date in the calendar year (DfE
            requests_received_in_year)
        denominator: none (a count)
        period basis: calendar year, by date received
        exclusions: none; withdrawn and undecided requests are counted
        source: EHCP requests extract, aggregated as in DfE, Education, health and care
            plans (SEN2), requests.csv
    """
    cy = calendar_year_period(period)
    agg = dfe_calendar_year_aggregates(ehcp_requests, cy, as_at=as_at)
    return count_measure(
        cy,
        agg["requests_received_in_year"],
        components=aggregate_components(agg, REQUEST_KEYS[:5]),
    )


@metric(
    title="Requests refused an EHC needs assessment, calendar year (DfE basis)",
    unit="%",
    polarity="neutral",
)
def ehcna_refusal_pct_cy(
    ehcp_requests: pd.DataFrame, period: int | Period, *, as_at: date | None = None
) -> Measure:
    """Percentage of decided requests received in the calendar year that were refused.

    Definition:
        numerator: requests received in the calendar year decided not to assess (DfE
            requests_decided_not_to_assess)
        denominator: requests received in the calendar year decided to assess or not to
            assess (DfE requests_decided_to_assess + requests_decided_not_to_assess), the
            rate sendreport.dfe computes from the release as ehcna_refusal_pct. DfE's own
            printed request_not_assess_pc divides by all requests received instead, so it
            is lower (for one large county in 2023: 29.2%, against 32.6% of decisions)
        period basis: calendar year, by date received (a cohort; the local
            ehcna_refusal_pct counts decisions by the date they were made); decisions as
            known at 31 December (as_at), so the figure never changes after the year ends
        exclusions: withdrawn requests, and requests undecided at 31 December (DfE's
            collection in January may count decisions made early in January)
        source: EHCP requests extract, aggregated as in DfE, Education, health and care
            plans (SEN2), requests.csv
    """
    cy = calendar_year_period(period)
    agg = dfe_calendar_year_aggregates(ehcp_requests, cy, as_at=as_at or cy.end)
    refused = agg["requests_decided_not_to_assess"]
    return pct_measure(
        cy,
        refused,
        refused + agg["requests_decided_to_assess"],
        empty_note="no decisions whether to assess",
        components=aggregate_components(agg, REQUEST_KEYS[:5]),
    )


@metric(
    title="Decisions whether to assess made within 6 weeks, calendar year (DfE basis)",
    unit="%",
    polarity="higher",
)
def ehcna_decision_6wk_pct_cy(
    ehcp_requests: pd.DataFrame, period: int | Period, *, as_at: date | None = None
) -> Measure:
    """Percentage of decided requests received in the calendar year decided within 6 weeks.

    Definition:
        numerator: requests received in the calendar year decided (assess or not_assess)
            no more than 42 days after receipt (request_outcome_six_weeks)
        denominator: requests received in the calendar year decided (assess or
            not_assess), within or after 6 weeks
        period basis: calendar year, by date received (a cohort); decisions as known at
            31 December (as_at), so the figure never changes after the year ends
        exclusions: withdrawn requests, and requests undecided at 31 December
        source: EHCP requests extract, aggregated as in DfE, Education, health and care
            plans (SEN2), requests.csv (request_outcome_six_weeks_pc)
    """
    cy = calendar_year_period(period)
    agg = dfe_calendar_year_aggregates(ehcp_requests, cy, as_at=as_at or cy.end)
    within, over = agg["request_outcome_six_weeks"], agg["request_outcome_over_6_weeks"]
    return pct_measure(
        cy,
        within,
        within + over,
        empty_note="no decisions whether to assess",
        components=aggregate_components(agg, REQUEST_KEYS[5:]),
    )
