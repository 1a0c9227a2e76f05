"""Every registered metric runs on contract-shaped frames for every kind of period."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from sendreport.exceptions import ParameterError
from sendreport.metrics import REGISTRY, Measure, build_scorecard, compute
from sendreport.periods import Basis, Period
from tests.metrics.builders import dates, make_requests, plan


def text(values: list) -> pd.Series:
    return pd.Series(values, dtype="str")


def ints(values: list) -> pd.Series:
    return pd.Series(values, dtype="Int64")


MONTHS = pd.date_range("2022-01-31", "2024-12-31", freq="ME")
QUARTER_ENDS = [m for m in MONTHS if m.month in (3, 6, 9, 12)]


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    n = len(MONTHS)
    requests = make_requests(
        [
            plan(date(2022, 1, 1) + pd.Timedelta(days=9 * i).to_pytimedelta(), 90 + i)
            for i in range(100)
        ]
        + [{"received_date": date(2024, 6, 1), "request_outcome": "pending"}],
        unit="us",
    )
    frames = {
        "ehcp_requests": requests,
        "ehcp_caseload": pd.DataFrame(
            {
                "la_code": text(["919"] * n),
                "month_end": dates(MONTHS),
                "ehc_plans": ints(list(range(9000, 9000 + n))),
                "sen_support_pupils": ints([30000 if m.month == 1 else None for m in MONTHS]),
            }
        ),
        "service_waits": pd.DataFrame(
            {
                "la_code": text(["919"] * 2 * n),
                "month_end": dates(list(MONTHS) * 2),
                "service": text(["speech_and_language"] * n + ["camhs"] * n),
                "waiting": ints(list(range(500, 500 + n)) * 2),
                "waiting_over_18_weeks": ints([100] * 2 * n),
            }
        ),
        "school_places": pd.DataFrame(
            {
                "la_code": text(["919"] * 3),
                "academic_year": text(["2022/23", "2023/24", "2024/25"]),
                "as_at_date": dates(["2022-09-01", "2023-09-01", "2024-09-01"]),
                "special_school_places": ints([3000, 3100, 3200]),
            }
        ),
        "placement_waits": pd.DataFrame(
            {
                "la_code": text(["919"] * n),
                "month_end": dates(MONTHS),
                "wait_band": text(["over_1_year"] * n),
                "children": ints([4] * n),
            }
        ),
        "workforce": pd.DataFrame(
            {
                "la_code": text(["919"] * n),
                "month_end": dates(MONTHS),
                "case_officer_appointments": ints([10] * n),
                "in_training": ints([3] * n),
                "trained": ints([7] * n),
                "average_caseload": [150.0] * n,
            }
        ),
        "families_first": pd.DataFrame(
            {
                "la_code": text(["919"] * len(QUARTER_ENDS)),
                "quarter": text([f"q{i}" for i in range(len(QUARTER_ENDS))]),
                "quarter_end": dates(QUARTER_ENDS),
                "assessments_completed": ints([100] * len(QUARTER_ENDS)),
                "children_covered": ints([150] * len(QUARTER_ENDS)),
            }
        ),
        "cla_stability": pd.DataFrame(
            {
                "la_code": text(["919"] * 3),
                "year_end": dates(["2022-03-31", "2023-03-31", "2024-03-31"]),
                "children_looked_after": ints([1000, 1010, 1020]),
                "three_plus_placements": ints([90, 95, 100]),
            }
        ),
        "improvement_plan": pd.DataFrame(
            {
                "action_id": text(["1.1", "1.2"]),
                "update_quarter": text(["2023-24-Q4", "2023-24-Q4"]),
                "update_date": dates(["2024-03-15", "2024-03-15"]),
                "status": text(["complete", "at_risk"]),
            }
        ),
        "targets": pd.DataFrame(
            {
                "la_code": text(["919"]),
                "metric_id": text(["ehcp_20wk_pct_ex"]),
                "target_value": [60.0],
                "target_date": dates(["2024-12-31"]),
                "polarity": text(["higher"]),
            }
        ),
    }
    # What the reports also state: DfE's published figures and the scorecard's counts.
    from sendreport.dfe.published import published_benchmarks

    frames["benchmarks"] = published_benchmarks()
    frames["scorecard"] = build_scorecard(frames, Period.parse("2024-25-Q1"), ["ehcp_20wk_pct_ex"])
    return frames


PERIODS = {
    Basis.FY_QUARTER: Period.parse("2024-25-Q1"),
    Basis.FINANCIAL_YEAR: Period.financial_year(2023),
    Basis.CALENDAR_YEAR: Period.calendar_year(2023),
    Basis.CALENDAR_YTD: Period.calendar_ytd(date(2024, 6, 30)),
    Basis.ROLLING_12M: Period.rolling_12_months(date(2024, 6, 30)),
    Basis.MONTH: Period.month(2024, 2),
    Basis.SNAPSHOT: Period.snapshot(date(2024, 3, 31)),
}


@pytest.mark.parametrize("metric_id", sorted(REGISTRY))
@pytest.mark.parametrize("basis", list(PERIODS), ids=lambda b: b.name)
def test_metric_runs(frames, metric_id: str, basis: Basis) -> None:
    period = PERIODS[basis]
    if metric_id.endswith("_cy") and basis is not Basis.CALENDAR_YEAR:
        with pytest.raises(ParameterError):
            compute(metric_id, frames, period)
        return
    m = compute(metric_id, frames, period)
    assert isinstance(m, Measure) and m.id == metric_id
    assert m.unit == REGISTRY[metric_id].unit
    assert m.value is not None or m.note, "an unavailable figure must say why"
    for label, number in m.components:
        assert isinstance(label, str) and isinstance(number, (int, float))


def test_scorecard_of_every_local_metric(frames) -> None:
    published = ("dfe_", "scorecard_")  # not local measures: no scorecard row of their own
    ids = [
        m
        for m in sorted(REGISTRY)
        if not m.endswith(("_cy", "_target")) and not m.startswith(published)
    ]
    table = build_scorecard(frames, Period.parse("2024-25-Q1"), ids)
    assert len(table) == len(ids)
    assert table["note"].isna().sum() + table["value"].notna().sum() >= len(ids)
