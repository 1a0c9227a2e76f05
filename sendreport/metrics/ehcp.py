"""EHC plans issued and how long they took (the 20-week statutory time limit).

All plan counts are by ``plan_issued_date``: a plan counts in the period it was issued,
whenever its request was received, so a long-delayed case cleared this quarter counts
here, and counts outside 20 weeks. The clock runs from ``received_date``; "within 20
weeks" means issued no more than 140 days after the request was received.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sendreport.metrics._common import (
    WEEK20_DAYS,
    WEEK52_DAYS,
    change_pct_measure,
    count_measure,
    dated_in,
    days_between,
    flag_set,
    pct_measure,
)
from sendreport.metrics.base import Measure, metric
from sendreport.periods import Period

SOURCE_REQUESTS = "EHCP requests extract (case management system; the data that feeds SEN2)"
NO_PLANS = "no plans issued"


@dataclass(frozen=True)
class Timeliness:
    """Plans issued in a period split by time from request (DfE's three bands)."""

    plans: int
    within_20_weeks: int
    over_20_weeks_under_a_year: int
    over_a_year: int
    exceptions_removed: int


def select_plans_issued(ehcp_requests: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Requests whose final EHC plan was issued on a day of ``period``."""
    return ehcp_requests.loc[dated_in(ehcp_requests["plan_issued_date"], period)]


def count_timeliness(
    ehcp_requests: pd.DataFrame, period: Period, *, exclude_exceptions: bool
) -> Timeliness:
    """Plans issued in ``period`` by time from request, exceptions removed or kept."""
    plans = select_plans_issued(ehcp_requests, period)
    exception = flag_set(plans["week20_exception"])
    removed = int(exception.sum()) if exclude_exceptions else 0
    if exclude_exceptions:
        plans = plans.loc[~exception]
    days = days_between(plans["plan_issued_date"], plans["received_date"]).to_numpy()
    within = int(np.sum(days <= WEEK20_DAYS))
    over_year = int(np.sum(days > WEEK52_DAYS))
    return Timeliness(
        plans=len(plans),
        within_20_weeks=within,
        over_20_weeks_under_a_year=len(plans) - within - over_year,
        over_a_year=over_year,
        exceptions_removed=removed,
    )


def measure_timeliness(
    ehcp_requests: pd.DataFrame, period: Period, *, exclude_exceptions: bool
) -> Measure:
    """The 20-week percentage of plans issued in ``period``, exceptions removed or kept."""
    t = count_timeliness(ehcp_requests, period, exclude_exceptions=exclude_exceptions)
    components: tuple[tuple[str, float], ...] = (
        ("plans issued", t.plans),
        ("issued within 20 weeks", t.within_20_weeks),
        ("issued after 20 weeks, within 52", t.over_20_weeks_under_a_year),
        ("issued after 52 weeks", t.over_a_year),
    )
    if exclude_exceptions:
        components += (("plans with a permitted exception, removed", t.exceptions_removed),)
    note = NO_PLANS
    if exclude_exceptions and t.plans == 0 and t.exceptions_removed:
        note = "no plans issued without a permitted exception"
    return pct_measure(
        period,
        t.within_20_weeks,
        t.plans,
        empty_note=note,
        components=components,
    )


@metric(title="New EHC plans issued", unit="count", polarity="neutral")
def ehcp_plans_issued(ehcp_requests: pd.DataFrame, period: Period) -> Measure:
    """New EHC plans issued in the period.

    Definition:
        numerator: requests whose final EHC plan was issued in the period
            (plan_issued_date on a day of the period), whenever the request was received
        denominator: none (a count)
        period basis: the period given, by plan issue date
        exclusions: none; plans issued with a permitted exception are counted
        source: EHCP requests extract (case management system; the data that feeds SEN2)
    """
    n = len(select_plans_issued(ehcp_requests, period))
    return count_measure(period, n, components=(("plans issued", n),))


@metric(title="New EHC plans issued: change on a year earlier", unit="%", polarity="neutral")
def ehcp_plans_issued_yoy_pct(ehcp_requests: pd.DataFrame, period: Period) -> Measure:
    """Percentage change in new EHC plans issued against the same period a year earlier.

    Definition:
        numerator: plans issued in the period minus plans issued in the same period a
            year earlier (by plan_issued_date)
        denominator: plans issued in the same period a year earlier
        period basis: the period given and the same span one year earlier
        exclusions: none; not available when no plans were issued a year earlier
        source: EHCP requests extract (case management system; the data that feeds SEN2)
    """
    earlier = period.same_period_last_year()
    return change_pct_measure(
        period,
        ehcp_plans_issued(ehcp_requests, period),
        ehcp_plans_issued(ehcp_requests, earlier),
        current_label=f"plans issued {period.label}",
        previous_label=f"plans issued {earlier.label}",
        empty_note=f"no plans issued in {earlier.describe()}",
    )


@metric(
    title="EHC plans issued within 20 weeks (excluding exceptions)", unit="%", polarity="higher"
)
def ehcp_20wk_pct_ex(ehcp_requests: pd.DataFrame, period: Period) -> Measure:
    """Percentage of new EHC plans issued within 20 weeks, excluding exceptions.

    Definition:
        numerator: plans issued in the period no more than 140 days (20 weeks) after the
            request was received (plan_issued_date − received_date ≤ 140 days)
        denominator: plans issued in the period (plan_issued_date in the period)
        period basis: the period given, by plan issue date
        exclusions: plans with a permitted exception to the time limit (week20_exception
            = 1) are removed from numerator and denominator
        source: EHCP requests extract (case management system; the data that feeds SEN2)
    """
    return measure_timeliness(ehcp_requests, period, exclude_exceptions=True)


@metric(
    title="EHC plans issued within 20 weeks (including exceptions)", unit="%", polarity="higher"
)
def ehcp_20wk_pct_inc(ehcp_requests: pd.DataFrame, period: Period) -> Measure:
    """Percentage of new EHC plans issued within 20 weeks, including exceptions.

    Definition:
        numerator: plans issued in the period no more than 140 days (20 weeks) after the
            request was received (plan_issued_date − received_date ≤ 140 days)
        denominator: plans issued in the period (plan_issued_date in the period)
        period basis: the period given, by plan issue date
        exclusions: none; plans with a permitted exception are counted like any other
        source: EHCP requests extract (case management system; the data that feeds SEN2)
    """
    return measure_timeliness(ehcp_requests, period, exclude_exceptions=False)


@metric(
    title="EHC plans issued within 20 weeks, year to date (excluding exceptions)",
    unit="%",
    polarity="higher",
)
def ehcp_20wk_pct_ex_ytd(ehcp_requests: pd.DataFrame, period: Period) -> Measure:
    """Percentage of new EHC plans within 20 weeks, excluding exceptions, 1 January to period end.

    Definition:
        numerator: plans issued from 1 January of the period-end's year to the period
            end no more than 140 days after the request was received
        denominator: plans issued from 1 January of the period-end's year to the period
            end
        period basis: calendar year to date (period.ytd()), by plan issue date
        exclusions: plans with a permitted exception (week20_exception = 1) are removed
            from numerator and denominator
        source: EHCP requests extract (case management system; the data that feeds SEN2)
    """
    return measure_timeliness(ehcp_requests, period.ytd(), exclude_exceptions=True)


@metric(title="Median weeks from request to EHC plan", unit="weeks", polarity="lower")
def ehcp_weeks_to_issue_median(ehcp_requests: pd.DataFrame, period: Period) -> Measure:
    """Median time in weeks from request to final plan, for plans issued in the period.

    Definition:
        numerator: median of (plan_issued_date − received_date) in days ÷ 7, over plans
            issued in the period
        denominator: plans issued in the period (the number the median is taken over)
        period basis: the period given, by plan issue date
        exclusions: none; plans with a permitted exception are included
        source: EHCP requests extract (case management system; the data that feeds SEN2)
    """
    plans = select_plans_issued(ehcp_requests, period)
    weeks = days_between(plans["plan_issued_date"], plans["received_date"]).dropna() / 7.0
    if weeks.empty:
        return Measure(
            None,
            period,
            "weeks",
            denominator=0.0,
            note=NO_PLANS,
            components=(("plans issued", 0.0),),
        )
    median = float(weeks.median())
    return Measure(
        median,
        period,
        "weeks",
        numerator=median,
        denominator=float(len(weeks)),
        components=(
            ("plans issued", float(len(weeks))),
            ("shortest, weeks", float(weeks.min())),
            ("longest, weeks", float(weeks.max())),
        ),
    )
