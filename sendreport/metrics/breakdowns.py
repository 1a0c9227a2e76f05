"""Breakdowns the reports state beside the headline measures: plans by time taken, open
requests by age, and SEND Tribunal appeals recorded locally."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from sendreport.metrics._common import count_measure, dated_in, flag_set, pct_measure
from sendreport.metrics.base import Measure, metric
from sendreport.metrics.ehcp import NO_PLANS, count_timeliness
from sendreport.metrics.requests import AGE_BANDS, ehcp_overdue_age_profile
from sendreport.periods import Period

__all__ = [
    "ehcp_20wk_pct_ex_without_over_52wk",
    "ehcp_plans_issued_20_to_52wk",
    "ehcp_plans_issued_over_52wk",
    "ehcp_plans_issued_over_52wk_ex",
    "ehcp_plans_issued_within_20wk",
    "open_requests_band_id",
    "tribunal_appeal_pct_local",
    "tribunal_appeals_local",
]


@metric(title="New EHC plans issued within 20 weeks (including exceptions)", unit="count",
        polarity="higher")  # fmt: skip
def ehcp_plans_issued_within_20wk(ehcp_requests: pd.DataFrame, period: Period) -> Measure:
    """New EHC plans issued in the period no more than 20 weeks after the request.

    Definition:
        numerator: plans with plan_issued_date in the period and plan_issued_date −
            received_date ≤ 140 days
        denominator: none (a count); the plans issued in the period are shown beside it
        period basis: the period, by plan issue date
        exclusions: none; plans with a permitted exception are counted
        source: EHCP requests extract (ehcp_requests)
    """
    t = count_timeliness(ehcp_requests, period, exclude_exceptions=False)
    return count_measure(period, t.within_20_weeks,
                         components=(("plans issued", t.plans),))  # fmt: skip


@metric(title="New EHC plans issued after 20 weeks, within 52 weeks", unit="count",
        polarity="lower")  # fmt: skip
def ehcp_plans_issued_20_to_52wk(ehcp_requests: pd.DataFrame, period: Period) -> Measure:
    """New EHC plans issued in the period more than 20 but no more than 52 weeks after the request.

    Definition:
        numerator: plans with plan_issued_date in the period issued 141–364 days after the
            request was received
        denominator: none (a count)
        period basis: the period, by plan issue date
        exclusions: none; plans with a permitted exception are counted
        source: EHCP requests extract (ehcp_requests)
    """
    t = count_timeliness(ehcp_requests, period, exclude_exceptions=False)
    return count_measure(period, t.over_20_weeks_under_a_year,
                         components=(("plans issued", t.plans),))  # fmt: skip


def _over_52wk(ehcp_requests: pd.DataFrame, period: Period, *, ex: bool) -> Measure:
    t = count_timeliness(ehcp_requests, period, exclude_exceptions=ex)
    m = pct_measure(period, t.over_a_year, t.plans, empty_note=NO_PLANS)
    return Measure(float(t.over_a_year), period, "count", numerator=m.numerator,
                   denominator=m.denominator, components=(("plans issued", t.plans),))  # fmt: skip


@metric(title="New EHC plans issued more than 52 weeks after the request", unit="count",
        polarity="neutral")  # fmt: skip
def ehcp_plans_issued_over_52wk(ehcp_requests: pd.DataFrame, period: Period) -> Measure:
    """New EHC plans issued in the period more than 52 weeks after the request: old cases cleared.

    Definition:
        numerator: plans with plan_issued_date in the period issued 365 days or more after
            the request was received (the value is this count)
        denominator: plans issued in the period, recorded beside the count (the count is
            not a rate)
        period basis: the period, by plan issue date
        exclusions: none; plans with a permitted exception are counted
        source: EHCP requests extract (ehcp_requests)
    """
    return _over_52wk(ehcp_requests, period, ex=False)


@metric(title="New EHC plans issued more than 52 weeks after the request (excluding exceptions)",
        unit="count", polarity="neutral")  # fmt: skip
def ehcp_plans_issued_over_52wk_ex(ehcp_requests: pd.DataFrame, period: Period) -> Measure:
    """Of the plans counted in the 20-week figure, those issued more than 52 weeks after the request.

    Definition:
        numerator: plans with plan_issued_date in the period, no permitted exception, issued
            365 days or more after the request (the value is this count)
        denominator: plans issued in the period without an exception, recorded beside it
        period basis: the period, by plan issue date
        exclusions: plans with week20_exception = 1
        source: EHCP requests extract (ehcp_requests)
    """
    return _over_52wk(ehcp_requests, period, ex=True)


@metric(title="Illustrative: plans issued within 20 weeks, leaving out plans over 52 weeks",
        unit="%", polarity="higher")  # fmt: skip
def ehcp_20wk_pct_ex_without_over_52wk(ehcp_requests: pd.DataFrame, period: Period) -> Measure:
    """Illustrative, not a statutory measure: the 20-week rate without plans over 52 weeks.

    Definition:
        numerator: plans issued in the period within 140 days of the request, excluding
            permitted exceptions
        denominator: plans issued in the period excluding permitted exceptions, less those
            issued 365 days or more after the request
        period basis: the period, by plan issue date
        exclusions: plans with week20_exception = 1; plans issued 365 days or more after
            the request (to show the effect of clearing old cases)
        source: EHCP requests extract (ehcp_requests)
    """
    t = count_timeliness(ehcp_requests, period, exclude_exceptions=True)
    return pct_measure(period, t.within_20_weeks,
        t.plans - t.over_a_year, empty_note="no plans issued within a year of the request",
        components=(("plans issued without an exception", t.plans),
                    ("of which over 52 weeks, left out", t.over_a_year)),
    )  # fmt: skip


def open_requests_band_id(band: str) -> str:
    """The metric id of an age band of open requests: "20 to 30 weeks" →
    ``ehcp_open_requests_20_to_30_weeks``."""
    return "ehcp_open_requests_" + "".join(c if c.isalnum() else "_" for c in band)


def _open_requests_band(band: str, low: float, high: float) -> Callable[..., Measure]:
    metric_id = open_requests_band_id(band)

    def count(ehcp_requests: pd.DataFrame, period: Period) -> Measure:
        profile = ehcp_overdue_age_profile(ehcp_requests, period).set_index("band")
        n = int(profile.loc[band, "requests"])
        return count_measure(period, n)

    low_words = "from 0 days" if np.isinf(low) else f"more than {int(low)} days"
    count.__name__ = count.__qualname__ = metric_id
    count.__doc__ = f"""Requests for an EHC needs assessment open at the period end, {band} old.

    Definition:
        numerator: requests open at the period end (received on or before it; no plan
            issued and no not_assess, not_issue or withdrawn outcome dated on or before it)
            that had been open {low_words}{"" if np.isinf(high) else f" up to {int(high)} days"}
        denominator: none (a count); the five age bands partition the open requests
        period basis: snapshot at the period end
        exclusions: requests closed by the period end
        source: EHCP requests extract (ehcp_requests)
    """
    over = low >= 140
    title = f"Requests open at the period end: {band}"
    return metric(title=title, unit="count", polarity="lower" if over else "neutral")(count)


OPEN_REQUEST_BANDS = {band: _open_requests_band(band, low, high) for band, low, high in AGE_BANDS}


def _appealable(ehcp_requests: pd.DataFrame, period: Period) -> np.ndarray:
    refused = (ehcp_requests["request_outcome"] == "not_assess").to_numpy(dtype=bool) & dated_in(
        ehcp_requests["request_outcome_date"], period
    )
    not_issued = (ehcp_requests["assessment_outcome"] == "not_issue").to_numpy(
        dtype=bool
    ) & dated_in(ehcp_requests["assessment_outcome_date"], period)
    return refused | not_issued | dated_in(ehcp_requests["plan_issued_date"], period)


@metric(title="Appealable decisions with a SEND Tribunal appeal recorded", unit="count",
        polarity="lower")  # fmt: skip
def tribunal_appeals_local(ehcp_requests: pd.DataFrame, period: Period) -> Measure:
    """Appealable decisions made in the period on which a SEND Tribunal appeal is recorded.

    Definition:
        numerator: requests with tribunal_appeal = 1 and an appealable decision dated in the
            period: a decision not to assess, a decision not to issue a plan, or a plan issued
        denominator: none (a count)
        period basis: the period (the reports use the 12 months to the quarter end), by the
            date of the decision
        exclusions: requests without tribunal_appeal recorded count as not appealed; the
            flag has no date, so an appeal registered after the period may be counted
        source: EHCP requests extract (ehcp_requests, optional column tribunal_appeal)
    """
    if "tribunal_appeal" not in ehcp_requests:
        return count_measure(period, None,
                             note="the requests extract does not record appeals")  # fmt: skip
    appealed = _appealable(ehcp_requests, period) & flag_set(ehcp_requests["tribunal_appeal"])
    return count_measure(period, int(appealed.sum()))


@metric(title="Appealable decisions appealed to the SEND Tribunal", unit="%", polarity="lower")
def tribunal_appeal_pct_local(ehcp_requests: pd.DataFrame, period: Period) -> Measure:
    """Percentage of the appealable decisions made in the period with an appeal recorded.

    Definition:
        numerator: appealable decisions dated in the period with tribunal_appeal = 1 (see
            tribunal_appeals_local)
        denominator: appealable decisions dated in the period: decisions not to assess,
            decisions not to issue a plan and plans issued
        period basis: the period (the reports use the 12 months to the quarter end), by the
            date of the decision
        exclusions: plans maintained but not newly issued (DfE's published rate counts
            plans maintained in January as appealable too, so it is lower)
        source: EHCP requests extract (ehcp_requests, optional column tribunal_appeal)
    """
    if "tribunal_appeal" not in ehcp_requests:
        return Measure(None, period, "%",
                       note="the requests extract does not record appeals")  # fmt: skip
    appealable = _appealable(ehcp_requests, period)
    appealed = appealable & flag_set(ehcp_requests["tribunal_appeal"])
    return pct_measure(period, int(appealed.sum()),
                       int(appealable.sum()), empty_note="no appealable decisions")  # fmt: skip
