"""Caseload and local measures."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from sendreport.metrics.caseload import ehcp_caseload, ehcp_caseload_yoy_pct, sen_support_pupils
from sendreport.metrics.local import (
    camhs_waiting,
    camhs_waiting_change_pct,
    case_officer_appointments,
    case_officer_average_caseload,
    case_officers_in_training,
    case_officers_trained,
    cla_3plus_placements_pct,
    families_first_assessments,
    families_first_children,
    improvement_actions_by_status,
    improvement_actions_on_track_pct,
    placement_waits_over_1yr,
    slt_waiting,
    slt_waiting_change_pct,
    slt_waiting_over_18wk,
    special_school_places,
    special_school_places_planned,
)
from sendreport.periods import Period
from tests.metrics.builders import dates

Q4 = Period.parse("2023-24-Q4")
FY = Period.financial_year(2023)


def text(values: list) -> pd.Series:
    return pd.Series(values, dtype="str")


def ints(values: list) -> pd.Series:
    return pd.Series(values, dtype="Int64")


@pytest.fixture
def caseload() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "la_code": text(["919"] * 3),
            "month_end": dates(["2023-03-31", "2024-01-31", "2024-03-31"], "ms"),
            "ehc_plans": ints([8000, 8900, 9000]),
            "sen_support_pupils": ints([None, 21000, None]),
        }
    )


def test_caseload_at_last_month_end(caseload: pd.DataFrame) -> None:
    assert ehcp_caseload(caseload, Q4).value == 9000
    assert ehcp_caseload(caseload, FY).value == 9000  # financial year ends 31 March too
    m = ehcp_caseload_yoy_pct(caseload, Q4)
    assert m.value == pytest.approx(12.5)
    missing = ehcp_caseload(caseload, Q4.previous_quarter())
    assert missing.value is None and "31 December 2023" in (missing.note or "")
    ytd = Period.calendar_ytd(date(2024, 2, 15))  # not a month end: 31 January
    assert ehcp_caseload(caseload, ytd).value == 8900
    assert sen_support_pupils(caseload, Q4).value == 21000


def test_caseload_yoy_missing_base(caseload: pd.DataFrame) -> None:
    m = ehcp_caseload_yoy_pct(caseload.iloc[1:], Q4)
    assert m.value is None and m.note


@pytest.fixture
def waits() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "la_code": text(["919"] * 4),
            "month_end": dates(["2023-03-31", "2023-03-31", "2024-03-31", "2024-03-31"]),
            "service": text(["speech_and_language", "camhs"] * 2),
            "waiting": ints([1000, 0, 800, 50]),
            "waiting_over_18_weeks": ints([400, 0, 300, 10]),
        }
    )


def test_waiting_lists(waits: pd.DataFrame) -> None:
    assert slt_waiting(waits, Q4).value == 800
    assert camhs_waiting(waits, Q4).value == 50
    assert slt_waiting_over_18wk(waits, Q4).value == 300
    change = slt_waiting_change_pct(waits, Q4)
    assert change.value == pytest.approx(-20.0)
    assert slt_waiting_change_pct(waits, Q4, baseline=date(2023, 3, 15)).value == pytest.approx(-20)
    zero = camhs_waiting_change_pct(waits, Q4)
    assert zero.value is None and "nobody was waiting" in (zero.note or "")
    absent = slt_waiting_change_pct(waits, Q4, baseline="2022-06-30")
    assert absent.value is None and "June 2022" in (absent.note or "")


def test_places_and_placement_waits() -> None:
    places = pd.DataFrame(
        {
            "la_code": text(["919", "919"]),
            "academic_year": text(["2023/24", "2024/25"]),
            "as_at_date": dates(["2023-09-01", "2024-09-01"]),
            "special_school_places": ints([3000, 3200]),
        }
    )
    assert special_school_places(places, Q4).value == 3000
    assert special_school_places(places, Period.parse("2024-25-Q3")).value == 3200
    # At the end of March 2024 the September 2024 count is a plan, stated with its month.
    planned = special_school_places_planned(places, Q4)
    assert planned.value == 3200 and planned.period.end.isoformat() == "2024-09-01"
    assert special_school_places_planned(places, Period.parse("2024-25-Q3")).value is None
    assert special_school_places_planned(places, Period.parse("2022-23-Q3")).value == 3000
    assert special_school_places_planned(places, Period.parse("2021-22-Q3")).value is None
    pw = pd.DataFrame(
        {
            "la_code": text(["919"] * 4),
            "month_end": dates(["2024-03-31"] * 4),
            "wait_band": text(["up_to_1_term", "1_to_3_terms", "over_3_terms", "over_1_year"]),
            "children": ints([10, 5, 3, 2]),
        }
    )
    m = placement_waits_over_1yr(pw, Q4)
    assert m.value == 2 and ("children waiting at 31 March 2024", 20) in m.components
    assert placement_waits_over_1yr(pw, Q4.previous_quarter()).value is None


def test_families_first_sums_quarters_in_period() -> None:
    ff = pd.DataFrame(
        {
            "la_code": text(["919"] * 2),
            "quarter": text(["2023-24-Q3", "2023-24-Q4"]),
            "quarter_end": dates(["2023-12-31", "2024-03-31"]),
            "assessments_completed": ints([100, 120]),
            "children_covered": ints([180, 200]),
        }
    )
    assert families_first_assessments(ff, Q4).value == 120
    assert families_first_children(ff, FY).value == 380
    none = families_first_assessments(ff, Period.parse("2024-25-Q1"))
    assert none.value is None and none.note


def test_cla_stability() -> None:
    cla = pd.DataFrame(
        {
            "la_code": text(["919", "919"]),
            "year_end": dates(["2023-03-31", "2024-03-31"]),
            "children_looked_after": ints([1000, 0]),
            "three_plus_placements": ints([95, 0]),
        }
    )
    assert cla_3plus_placements_pct(cla, Q4.previous_quarter()).value == pytest.approx(9.5)
    zero = cla_3plus_placements_pct(cla, Q4)
    assert zero.value is None and zero.note == "no children looked after"


def test_workforce() -> None:
    wf = pd.DataFrame(
        {
            "la_code": text(["919"]),
            "month_end": dates(["2024-03-31"]),
            "case_officer_appointments": ints([30]),
            "in_training": ints([8]),
            "trained": ints([20]),
            "average_caseload": pd.Series([142.5]),
        }
    )
    assert case_officer_appointments(wf, Q4).value == 30
    assert case_officers_in_training(wf, Q4).value == 8
    assert case_officers_trained(wf, Q4).value == 20
    avg = case_officer_average_caseload(wf, Q4)
    assert avg.value == 142.5 and avg.unit == "ratio"


def test_improvement_plan_latest_status_per_action() -> None:
    plan = pd.DataFrame(
        {
            "action_id": text(["1.1", "1.1", "1.2", "2.1", "2.1"]),
            "update_quarter": text(
                ["2023-24-Q3", "2023-24-Q4", "2023-24-Q4", "2023-24-Q4", "2024-25-Q1"]
            ),
            "update_date": dates(
                ["2023-12-15", "2024-03-15", "2024-03-15", "2024-03-20", "2024-06-15"]
            ),
            "status": text(["at_risk", "complete", "off_track", "on_track", "complete"]),
        }
    )
    table = improvement_actions_by_status(plan, Q4)
    assert dict(zip(table["status"], table["actions"], strict=True)) == {
        "complete": 1,
        "on_track": 1,
        "at_risk": 0,
        "off_track": 1,
        "not_started": 0,
    }
    m = improvement_actions_on_track_pct(plan, Q4)
    assert (m.numerator, m.denominator) == (2, 3)
    assert improvement_actions_on_track_pct(plan, Period.parse("2022-23-Q1")).value is None
