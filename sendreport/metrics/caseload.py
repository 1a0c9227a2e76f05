"""EHC plans maintained (the caseload) and pupils on SEN support."""

from __future__ import annotations

import pandas as pd

from sendreport.metrics._common import (
    change_pct_measure,
    count_measure,
    fmt_day,
    latest_on_or_before,
    month_end_on_or_before,
    rows_at_month_end,
)
from sendreport.metrics.base import Measure, metric
from sendreport.periods import Period


def count_plans_maintained(ehcp_caseload: pd.DataFrame, period: Period) -> Measure:
    """Plans maintained at the period's last month end (the metric's body; a metric taking
    the ``ehcp_caseload`` frame cannot call the metric of the same name)."""
    at = month_end_on_or_before(period.end)
    rows = rows_at_month_end(ehcp_caseload, period)
    if rows.empty:
        return count_measure(period, None, note=f"no caseload count for {fmt_day(at)}")
    n = int(rows["ehc_plans"].sum())
    return count_measure(period, n, components=((f"plans maintained at {fmt_day(at)}", n),))


@metric(title="EHC plans maintained", unit="count", polarity="neutral")
def ehcp_caseload(ehcp_caseload: pd.DataFrame, period: Period) -> Measure:
    """EHC plans maintained by the LA at the period's last month end.

    Definition:
        numerator: ehc_plans at the last month end on or before the period end (summed
            over la_code when the frame holds several authorities)
        denominator: none (a count)
        period basis: month-end snapshot at the period's last month end
        exclusions: none
        source: EHCP caseload extract (case management system)
    """
    return count_plans_maintained(ehcp_caseload, period)


@metric(title="EHC plans maintained: change on a year earlier", unit="%", polarity="neutral")
def ehcp_caseload_yoy_pct(ehcp_caseload: pd.DataFrame, period: Period) -> Measure:
    """Percentage change in EHC plans maintained against a year earlier.

    Definition:
        numerator: plans maintained at the period's last month end minus plans maintained
            at the same month end a year earlier
        denominator: plans maintained at the same month end a year earlier
        period basis: month-end snapshots a year apart
        exclusions: none; not available when either count is missing
        source: EHCP caseload extract (case management system)
    """
    earlier = period.same_period_last_year()
    now = count_plans_maintained(ehcp_caseload, period)
    before = count_plans_maintained(ehcp_caseload, earlier)
    return change_pct_measure(
        period,
        now,
        before,
        current_label=f"plans at {fmt_day(month_end_on_or_before(period.end))}",
        previous_label=f"plans at {fmt_day(month_end_on_or_before(earlier.end))}",
        empty_note="no plans maintained a year earlier",
    )


@metric(title="Pupils on SEN support", unit="count", polarity="neutral")
def sen_support_pupils(ehcp_caseload: pd.DataFrame, period: Period) -> Measure:
    """Pupils on SEN support at the latest January school census on or before the period end.

    Definition:
        numerator: sen_support_pupils at the latest month end on or before the period
            end that carries a census count (January)
        denominator: none (a count)
        period basis: snapshot at the latest school census on or before the period end
        exclusions: months without a census count (empty sen_support_pupils)
        source: School census (January), via the EHCP caseload extract
    """
    counted = ehcp_caseload.loc[ehcp_caseload["sen_support_pupils"].notna().to_numpy(dtype=bool)]
    rows = latest_on_or_before(counted, period, "month_end")
    if rows.empty:
        return count_measure(period, None, note="no school census count yet")
    n = int(rows["sen_support_pupils"].sum())
    at = rows["month_end"].iloc[0]
    return count_measure(period, n, components=((f"census {fmt_day(at)}", n),))
