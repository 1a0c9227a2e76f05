"""Local measures: waiting lists, school places, placement waits, workforce, Families
First, placement stability of children looked after, and the improvement plan.

Month-end datasets are read at the period's last month end (the last month end on or
before the period end); a period with no count at that month end gives ``value=None`` and
a note naming the missing month, never a stale figure from another month.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from sendreport.contract import ACTION_STATUSES
from sendreport.metrics._common import (
    change_pct_measure,
    count_measure,
    dated_in,
    dated_on_or_before,
    fmt_day,
    is_one_of,
    latest_on_or_before,
    month_end_on_or_before,
    pct_measure,
    rows_at_month_end,
)
from sendreport.metrics.base import Measure, Unit, metric
from sendreport.periods import Period

SERVICE_LABELS = {
    "speech_and_language": "speech and language therapy",
    "camhs": "CAMHS",
    "educational_psychology": "educational psychology",
    "autism_assessment": "autism assessment",
    "adhd_assessment": "ADHD assessment",
    "audiology": "audiology",
}


# --- waiting lists ---------------------------------------------------------------------
def service_waiting(
    service_waits: pd.DataFrame,
    period: Period,
    service: str,
    *,
    column: str = "waiting",
) -> Measure:
    """Children waiting for ``service`` at the period's last month end (a helper).

    ``column`` may be ``waiting_over_18_weeks`` for the long waiters.
    """
    at = month_end_on_or_before(period.end)
    rows = rows_at_month_end(service_waits, period)
    rows = rows.loc[is_one_of(rows["service"], (service,))]
    label = SERVICE_LABELS.get(service, service)
    if rows.empty:
        return count_measure(period, None, note=f"no {label} waiting list count for {fmt_day(at)}")
    n = int(rows[column].sum())
    return count_measure(period, n, components=((f"waiting for {label} at {fmt_day(at)}", n),))


def baseline_period(period: Period, baseline: date | Period | str | None) -> Period:
    """The snapshot a change is measured from: the month end of ``baseline`` (a date, a
    Period's end, or an ISO date), or by default the same month end a year earlier."""
    if baseline is None:
        day = period.same_period_last_year().end
    elif isinstance(baseline, Period):
        day = baseline.end
    else:
        day = pd.Timestamp(baseline).date()
    month = Period.month(day.year, day.month)
    return Period.snapshot(month.end)


def service_waiting_change_pct(
    service_waits: pd.DataFrame,
    period: Period,
    service: str,
    baseline: date | Period | str | None = None,
) -> Measure:
    """Percentage change in children waiting for ``service`` since the baseline month end."""
    base = baseline_period(period, baseline)
    label = SERVICE_LABELS.get(service, service)
    if base.end > period.end:  # a later baseline is not yet known at the period end
        return Measure(
            None,
            period,
            "%",
            note=f"no change: the baseline {fmt_day(base.end)} is later",
        )
    return change_pct_measure(
        period,
        service_waiting(service_waits, period, service),
        service_waiting(service_waits, base, service),
        current_label=f"waiting at {fmt_day(month_end_on_or_before(period.end))}",
        previous_label=f"waiting at {fmt_day(base.end)} (baseline)",
        empty_note=f"nobody was waiting for {label} at {fmt_day(base.end)}",
    )


@metric(title="Children waiting for speech and language therapy", unit="count", polarity="lower")
def slt_waiting(service_waits: pd.DataFrame, period: Period) -> Measure:
    """Children and young people waiting for speech and language therapy.

    Definition:
        numerator: waiting for service speech_and_language at the period's last month end
        denominator: none (a count)
        period basis: month-end snapshot at the period's last month end
        exclusions: none
        source: NHS community health services return (service_waits)
    """
    return service_waiting(service_waits, period, "speech_and_language")


@metric(
    title="Children waiting for speech and language therapy: change since baseline",
    unit="%",
    polarity="lower",
)
def slt_waiting_change_pct(
    service_waits: pd.DataFrame, period: Period, baseline: date | Period | str | None = None
) -> Measure:
    """Percentage change in children waiting for speech and language therapy since a baseline.

    Definition:
        numerator: waiting at the period's last month end minus waiting at the baseline
            month end (speech_and_language)
        denominator: waiting at the baseline month end; by default the same month end a
            year earlier, or the month end of the baseline date given
        period basis: month-end snapshots (period's last month end against the baseline)
        exclusions: none; not available when either count is missing or the baseline is 0
        source: NHS community health services return (service_waits)
    """
    return service_waiting_change_pct(
        service_waits,
        period,
        "speech_and_language",
        baseline,
    )


@metric(title="Children waiting for CAMHS", unit="count", polarity="lower")
def camhs_waiting(service_waits: pd.DataFrame, period: Period) -> Measure:
    """Children and young people waiting for CAMHS.

    Definition:
        numerator: waiting for service camhs at the period's last month end
        denominator: none (a count)
        period basis: month-end snapshot at the period's last month end
        exclusions: none
        source: NHS CAMHS provider return (service_waits)
    """
    return service_waiting(service_waits, period, "camhs")


@metric(title="Children waiting for CAMHS: change since baseline", unit="%", polarity="lower")
def camhs_waiting_change_pct(
    service_waits: pd.DataFrame, period: Period, baseline: date | Period | str | None = None
) -> Measure:
    """Percentage change in children waiting for CAMHS since a baseline month end.

    Definition:
        numerator: waiting at the period's last month end minus waiting at the baseline
            month end (camhs)
        denominator: waiting at the baseline month end; by default the same month end a
            year earlier, or the month end of the baseline date given
        period basis: month-end snapshots (period's last month end against the baseline)
        exclusions: none; not available when either count is missing or the baseline is 0
        source: NHS CAMHS provider return (service_waits)
    """
    return service_waiting_change_pct(service_waits, period, "camhs", baseline)


@metric(
    title="Children waiting over 18 weeks for speech and language therapy",
    unit="count",
    polarity="lower",
)
def slt_waiting_over_18wk(service_waits: pd.DataFrame, period: Period) -> Measure:
    """Children waiting more than 18 weeks for speech and language therapy.

    Definition:
        numerator: waiting_over_18_weeks for service speech_and_language at the period's
            last month end
        denominator: none (a count)
        period basis: month-end snapshot at the period's last month end
        exclusions: none
        source: NHS community health services return (service_waits)
    """
    return service_waiting(
        service_waits,
        period,
        "speech_and_language",
        column="waiting_over_18_weeks",
    )


@metric(title="Children waiting over 18 weeks for CAMHS", unit="count", polarity="lower")
def camhs_waiting_over_18wk(service_waits: pd.DataFrame, period: Period) -> Measure:
    """Children waiting more than 18 weeks for CAMHS.

    Definition:
        numerator: waiting_over_18_weeks for service camhs at the period's last month end
        denominator: none (a count)
        period basis: month-end snapshot at the period's last month end
        exclusions: none
        source: NHS CAMHS provider return (service_waits)
    """
    return service_waiting(
        service_waits,
        period,
        "camhs",
        column="waiting_over_18_weeks",
    )


# --- places and placements ----------------------------------------------------------------
@metric(title="Special school places", unit="count", polarity="higher")
def special_school_places(school_places: pd.DataFrame, period: Period) -> Measure:
    """Commissioned special school places for the latest academic year counted by the period end.

    Definition:
        numerator: special_school_places of the latest as_at_date on or before the period
            end (summed over la_code)
        denominator: none (a count)
        period basis: snapshot at the latest September count on or before the period end
        exclusions: counts dated after the period end
        source: LA school place planning (school_places)
    """
    rows = latest_on_or_before(school_places, period, "as_at_date")
    if rows.empty:
        return count_measure(period, None, note="no special school place count yet")
    n = int(rows["special_school_places"].sum())
    year = str(rows["academic_year"].iloc[0])
    return count_measure(period, n, components=((f"places {year}", n),))


@metric(title="Special school places planned", unit="count", polarity="higher")
def special_school_places_planned(school_places: pd.DataFrame, period: Period) -> Measure:
    """Special school places planned for the first September count after the period end.

    Definition:
        numerator: special_school_places of the earliest as_at_date after the period end and
            no more than a year after it (summed over la_code): the capacity planned for the
            coming September as the data holds it
        denominator: none (a count)
        period basis: snapshot at that September (after the period: a plan, stated as
            "planned for September YYYY")
        exclusions: counts on or before the period end (see special_school_places) and
            plans more than a year ahead
        source: LA school place planning (school_places)
    """
    end = pd.Timestamp(period.end)
    dates = school_places["as_at_date"]
    ahead = ((dates > end) & (dates <= end + pd.DateOffset(years=1))).fillna(False)
    rows = school_places.loc[ahead.to_numpy(dtype=bool)]
    if rows.empty:
        return count_measure(period, None, note="no places planned yet")
    first = rows["as_at_date"].min()
    rows = rows.loc[(rows["as_at_date"] == first).to_numpy(dtype=bool)]
    n = int(rows["special_school_places"].sum())
    return count_measure(
        Period.snapshot(first.date()),
        n,
        components=((f"places planned for {first:%B %Y}", n),),
    )


@metric(title="Children waiting over a year for a school place", unit="count", polarity="lower")
def placement_waits_over_1yr(placement_waits: pd.DataFrame, period: Period) -> Measure:
    """Children with a final EHC plan who had waited over a year for a school place.

    Definition:
        numerator: children in wait_band over_1_year at the period's last month end
        denominator: none (a count); all children waiting are shown beside it
        period basis: month-end snapshot at the period's last month end
        exclusions: children waiting a year or less (other bands)
        source: SEND placement tracker (placement_waits)
    """
    at = month_end_on_or_before(period.end)
    rows = rows_at_month_end(placement_waits, period)
    if rows.empty:
        return count_measure(
            period,
            None,
            note=f"no placement waits count for {fmt_day(at)}",
        )
    over = int(rows.loc[is_one_of(rows["wait_band"], ("over_1_year",)), "children"].sum())
    return count_measure(
        period,
        over,
        components=(
            (f"children waiting at {fmt_day(at)}", int(rows["children"].sum())),
            ("of whom waiting over a year", over),
        ),
    )


# --- Early help (a Families First programme or the council's own) -----------------------
def sum_families_first(
    families_first: pd.DataFrame, period: Period, column: str, label: str
) -> Measure:
    rows = families_first.loc[dated_in(families_first["quarter_end"], period)]
    if rows.empty:
        return count_measure(period, None, note="no early help return for the period")
    n = int(rows[column].sum())
    parts = tuple(
        (f"{label} {q}", float(v))
        for q, v in zip(rows["quarter"].astype(str), rows[column], strict=True)
    )
    return count_measure(period, n, components=parts)


@metric(title="Early help assessments completed", unit="count", polarity="higher")
def families_first_assessments(families_first: pd.DataFrame, period: Period) -> Measure:
    """Early help assessments completed in the period.

    Definition:
        numerator: assessments_completed summed over the quarters whose quarter_end falls
            in the period
        denominator: none (a count)
        period basis: the financial-year quarters ending in the period
        exclusions: quarters ending outside the period
        source: the early help case system (families_first)
    """
    return sum_families_first(
        families_first,
        period,
        "assessments_completed",
        "assessments",
    )


@metric(title="Children covered by early help assessments", unit="count", polarity="higher")
def families_first_children(families_first: pd.DataFrame, period: Period) -> Measure:
    """Children covered by early help assessments completed in the period.

    Definition:
        numerator: children_covered summed over the quarters whose quarter_end falls in
            the period
        denominator: none (a count)
        period basis: the financial-year quarters ending in the period
        exclusions: quarters ending outside the period; over several quarters a child
            assessed in two of them is counted twice (distinct only within a quarter)
        source: the early help case system (families_first)
    """
    return sum_families_first(families_first, period, "children_covered", "children")


# --- children looked after -----------------------------------------------------------------
@metric(
    title="Children looked after with three or more placements in the year",
    unit="%",
    polarity="lower",
)
def cla_3plus_placements_pct(cla_stability: pd.DataFrame, period: Period) -> Measure:
    """Percentage of children looked after at 31 March with three or more placements.

    Definition:
        numerator: three_plus_placements at the latest year_end (31 March) on or before the
            period end
        denominator: children_looked_after at that year_end
        period basis: the year to 31 March, latest on or before the period end
        exclusions: years ending after the period end
        source: SSDA903 return (cla_stability)
    """
    rows = latest_on_or_before(cla_stability, period, "year_end")
    if rows.empty:
        return Measure(None, period, "%", note="no SSDA903 year yet")
    year = rows["year_end"].iloc[0].year
    return pct_measure(
        period,
        int(rows["three_plus_placements"].sum()),
        int(rows["children_looked_after"].sum()),
        empty_note="no children looked after",
        components=(("year ending 31 March", float(year)),),
    )


# --- workforce -----------------------------------------------------------------------------
def workforce_at(
    workforce: pd.DataFrame,
    period: Period,
    column: str,
    label: str,
    *,
    unit: Unit = "count",
    average: bool = False,
) -> Measure:
    at = month_end_on_or_before(period.end)
    rows = rows_at_month_end(workforce, period)
    if rows.empty:
        return count_measure(period, None, unit=unit, note=f"no workforce count for {fmt_day(at)}")
    values = pd.to_numeric(rows[column], errors="coerce")
    value = float(values.mean()) if average else float(values.sum())
    return count_measure(
        period, value, unit=unit, components=((f"{label} at {fmt_day(at)}", value),)
    )


@metric(title="SEND case officers appointed", unit="count", polarity="higher")
def case_officer_appointments(workforce: pd.DataFrame, period: Period) -> Measure:
    """SEND case officers appointed since the recruitment programme began.

    Definition:
        numerator: case_officer_appointments at the period's last month end (cumulative)
        denominator: none (a count)
        period basis: month-end snapshot at the period's last month end
        exclusions: none
        source: HR and SEND service workforce tracker
    """
    return workforce_at(
        workforce,
        period,
        "case_officer_appointments",
        "appointed",
    )


@metric(title="SEND case officers in training", unit="count", polarity="neutral")
def case_officers_in_training(workforce: pd.DataFrame, period: Period) -> Measure:
    """SEND case officers in training.

    Definition:
        numerator: in_training at the period's last month end
        denominator: none (a count)
        period basis: month-end snapshot at the period's last month end
        exclusions: none
        source: HR and SEND service workforce tracker
    """
    return workforce_at(workforce, period, "in_training", "in training")


@metric(title="SEND case officers trained", unit="count", polarity="higher")
def case_officers_trained(workforce: pd.DataFrame, period: Period) -> Measure:
    """SEND case officers who have completed training.

    Definition:
        numerator: trained at the period's last month end
        denominator: none (a count)
        period basis: month-end snapshot at the period's last month end
        exclusions: none
        source: HR and SEND service workforce tracker
    """
    return workforce_at(workforce, period, "trained", "trained")


@metric(title="Average EHC plans per case officer", unit="ratio", polarity="lower")
def case_officer_average_caseload(workforce: pd.DataFrame, period: Period) -> Measure:
    """Average number of EHC plans held per SEND case officer.

    Definition:
        numerator: average_caseload at the period's last month end, as reported by the
            service (plans held ÷ case officers); the mean where several authorities
        denominator: none (the service reports the average itself)
        period basis: month-end snapshot at the period's last month end
        exclusions: none
        source: HR and SEND service workforce tracker
    """
    return workforce_at(
        workforce,
        period,
        "average_caseload",
        "average caseload",
        unit="ratio",
        average=True,
    )


# --- improvement plan ----------------------------------------------------------------------
def latest_action_updates(improvement_plan: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Each action's latest update dated on or before the period end."""
    rows = improvement_plan.loc[dated_on_or_before(improvement_plan["update_date"], period.end)]
    return rows.sort_values(["update_date", "update_quarter"], kind="stable").drop_duplicates(
        "action_id", keep="last"
    )


def improvement_actions_by_status(improvement_plan: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Improvement plan actions by status at their latest update (a table, not a metric).

    Columns: ``status`` (every contract status, in contract order, 0 when none) and
    ``actions``. Each action counts once, at its latest update on or before the period
    end; use :func:`latest_action_updates` for the rows behind the counts.
    """
    latest = latest_action_updates(improvement_plan, period)
    counts = (
        latest["status"]
        .astype("string")
        .value_counts()
        .reindex(list(ACTION_STATUSES), fill_value=0)
    )
    return pd.DataFrame(
        {
            "status": pd.array(list(ACTION_STATUSES), dtype="string"),
            "actions": pd.array(counts.to_numpy(), dtype="Int64"),
        }
    )


@metric(title="Improvement plan actions complete or on track", unit="%", polarity="higher")
def improvement_actions_on_track_pct(improvement_plan: pd.DataFrame, period: Period) -> Measure:
    """Percentage of improvement plan actions complete or on track at their latest update.

    Definition:
        numerator: actions whose latest update on or before the period end has status
            complete or on_track
        denominator: actions with at least one update on or before the period end
        period basis: snapshot at the period end (each action's latest update)
        exclusions: updates dated after the period end
        source: Improvement board action tracker (improvement_plan)
    """
    table = improvement_actions_by_status(improvement_plan, period)
    counts = dict(zip(table["status"], table["actions"].astype(int), strict=True))
    good = counts["complete"] + counts["on_track"]
    return pct_measure(
        period,
        good,
        sum(counts.values()),
        empty_note="no improvement plan updates yet",
        components=tuple((status.replace("_", " "), n) for status, n in counts.items()),
    )
