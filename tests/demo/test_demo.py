"""The demo data: deterministic, on contract, calibrated to DfE, telling the local story."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sendreport.contract import DATASETS
from sendreport.demo import calibration_targets, generate_demo, generate_requests, write_demo
from sendreport.demo.calibration import FIELDS, PUBLISHED, complete_year
from sendreport.exceptions import ParameterError
from sendreport.metrics import ehcp, local
from sendreport.metrics import requests as rq
from sendreport.metrics.calendar_year import dfe_calendar_year_aggregates
from sendreport.periods import Period

DATA_END = pd.Timestamp("2025-03-31")
YEARS = (2022, 2023, 2024)
Q4 = Period.parse("2023-24-Q4")


@pytest.fixture(scope="module")
def herts(demo_frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return demo_frames


@pytest.fixture(scope="module")
def herts_targets():
    return calibration_targets("919")


# --- determinism --------------------------------------------------------------------------
def test_same_seed_gives_identical_frames(herts):
    again = generate_demo("919")
    assert list(again) == list(herts)
    for name, frame in herts.items():
        pd.testing.assert_frame_equal(frame, again[name], check_exact=True)


def test_another_seed_gives_other_requests_with_the_same_calendar_years(herts):
    other = generate_demo("919", seed=7)["ehcp_requests"]
    assert not other["received_date"].equals(herts["ehcp_requests"]["received_date"])
    for year in YEARS:
        assert dfe_calendar_year_aggregates(other, year) == dfe_calendar_year_aggregates(
            herts["ehcp_requests"], year
        )


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    """The default demo written once for the module (read it, never change it)."""
    folder = tmp_path_factory.mktemp("demo")
    return folder, write_demo(folder)


def test_written_csvs_are_byte_identical_and_fast(tmp_path: Path, written):
    folder, first = written
    second = write_demo(tmp_path / "b")
    assert [p.name for p in first] == [f"{name}.csv" for name in DATASETS] + ["council.toml"]
    for a, b in zip(first, second, strict=True):
        data = a.read_bytes()
        assert data == b.read_bytes()
        assert b"\r\n" not in data
        data.decode("utf-8")
    requests_csv = (folder / "ehcp_requests.csv").read_text(encoding="utf-8")
    header, first_row = requests_csv.splitlines()[:2]
    assert header.split(",")[:4] == ["request_id", "person_id", "la_code", "received_date"]
    assert first_row.split(",")[2] == "919"
    assert len(first_row.split(",")[3]) == 10  # ISO date, no time


def test_written_csvs_load_back_to_the_generated_frames(written, herts):
    from sendreport.load import load_inputs

    loaded = load_inputs(written[0]).frames
    for name, frame in herts.items():
        back = loaded[name]
        for col in frame.columns:
            if pd.api.types.is_datetime64_any_dtype(frame[col].dtype):
                pd.testing.assert_series_equal(
                    frame[col].astype("datetime64[us]"), back[col].astype("datetime64[us]")
                )
            else:
                pd.testing.assert_series_equal(frame[col], back[col])


# --- contract -----------------------------------------------------------------------------
def _kind_ok(kind: str, series: pd.Series) -> bool:
    if kind == "date":
        return pd.api.types.is_datetime64_any_dtype(series.dtype)
    if kind in ("int", "flag"):
        return isinstance(series.dtype, pd.Int64Dtype)
    if kind == "float":
        return isinstance(series.dtype, pd.Float64Dtype)
    return isinstance(series.dtype, pd.StringDtype)


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_contract_column_with_its_type_and_rules(herts, name):
    ds, frame = DATASETS[name], herts[name]
    assert list(frame.columns) == [c.name for c in ds.columns]
    assert len(frame) > 0
    for col in ds.columns:
        s = frame[col.name]
        assert _kind_ok(col.kind, s), (col.name, s.dtype)
        if not col.nullable:
            assert s.notna().all(), col.name
        if col.allowed is not None:
            assert s.dropna().isin(col.allowed).all(), col.name
        if col.kind == "flag":
            assert s.dropna().isin([0, 1]).all(), col.name
        if col.kind in ("int", "float") and col.minimum is not None:
            assert (s.dropna() >= col.minimum).all(), col.name
    assert not frame.duplicated(list(ds.key)).any()
    for col in ds.dated_by:
        assert (frame[col].dropna() <= DATA_END).all(), col
    for col in ds.month_end_columns:
        assert frame[col].dt.is_month_end.all(), col
    assert (frame["la_code"] == "919").all() if "la_code" in frame else True


def test_request_notes_hold(herts):
    r = herts["ehcp_requests"]
    for col in ("request_outcome_date", "assessment_outcome_date", "plan_issued_date"):
        assert (r[col].dropna() >= r.loc[r[col].notna(), "received_date"]).all(), col
    has_plan = r["plan_issued_date"].notna()
    assert (r.loc[has_plan, "assessment_outcome"] == "issue").all()
    assert r.loc[r["assessment_outcome"] == "issue", "plan_issued_date"].notna().all()
    assessed = r["assessment_outcome"].notna()
    assert (r.loc[assessed, "request_outcome"] == "assess").all()
    # Dates in order, and present exactly when the outcome says something happened.
    assert (
        r["assessment_outcome_date"].dropna()
        >= r["request_outcome_date"][
            assessed.to_numpy() & r["assessment_outcome_date"].notna().to_numpy()
        ]
    ).all()
    assert (r.loc[has_plan, "plan_issued_date"] >= r.loc[has_plan, "assessment_outcome_date"]).all()
    pending = r["request_outcome"] == "pending"
    assert r.loc[pending, "request_outcome_date"].isna().all()
    assert r.loc[~pending, "request_outcome_date"].notna().all()
    assert r.loc[r["request_outcome"] == "assess", "assessment_outcome"].notna().all()
    assert r.loc[r["assessment_outcome"] == "pending", "assessment_outcome_date"].isna().all()


def test_other_notes_hold(herts):
    w = herts["service_waits"]
    assert (w["waiting_over_18_weeks"] <= w["waiting"]).all()
    ff = herts["families_first"]
    assert (ff["children_covered"] <= ff["assessments_completed"] * 8).all()
    cla = herts["cla_stability"]
    assert (cla["three_plus_placements"] <= cla["children_looked_after"]).all()
    assert (cla["year_end"].dt.strftime("%m-%d") == "03-31").all()


def test_requests_look_real(herts):
    r = herts["ehcp_requests"]
    assert r["received_date"].min() < pd.Timestamp("2021-04-01")  # open at the start
    # Weekdays only (a plan request at a band edge next to 1 January may keep a weekend).
    assert (r["received_date"].dt.day_of_week < 5).mean() > 0.999
    by_month = r.loc[r["received_date"].dt.year == 2023, "received_date"].dt.month.value_counts()
    assert by_month[8] < by_month[11] * 0.7  # quiet August
    days = (r["request_outcome_date"] - r["received_date"]).dt.days.dropna()
    assert 25 <= days.median() <= 42
    needs = r["primary_need"].value_counts()
    assert set(needs.index[:3]) == {"ASD", "SEMH", "SLCN"}
    ages = r["age_at_request"]
    assert ages.between(0, 25).all() and ages.median() <= 9
    assert 0 < r["mediation"].mean() < 0.1 and 0 < r["tribunal_appeal"].mean() < 0.06
    assert r["person_id"].is_unique


# --- calibration --------------------------------------------------------------------------
@pytest.mark.parametrize("year", YEARS)
def test_hertfordshire_calendar_years_equal_dfe(herts, herts_targets, year):
    agg = dfe_calendar_year_aggregates(herts["ehcp_requests"], year)
    target = herts_targets[year]
    assert agg == target.as_dfe_dict()
    published = target.exactly_published()
    assert {k: agg[k] for k in published} == published


def test_hertfordshire_headline_figures(herts):
    agg = dfe_calendar_year_aggregates(herts["ehcp_requests"], 2023)
    assert (agg["plans_issued_20_weeks_ex"], agg["plans_issued_den_ex"]) == (525, 1306)
    assert agg["requests_received_in_year"] == 2849


def test_six_week_counts_keep_dfes_percentage(herts_targets):
    # DfE's six-week counts exceed its decisions (2,703 + 69 > 1,722 + 832), so the
    # targets keep the decided total and the published percentage instead.
    for year in (2023, 2024):
        t = herts_targets[year]
        pub = t.published
        decided = t.requests_decided_to_assess + t.requests_decided_not_to_assess
        assert t.request_outcome_six_weeks + t.request_outcome_over_6_weeks == decided
        published_pct = (
            100
            * pub["request_outcome_six_weeks"]
            / (pub["request_outcome_six_weeks"] + pub["request_outcome_over_6_weeks"])
        )
        assert round(100 * t.request_outcome_six_weeks / decided, 1) == round(published_pct, 1)


def test_filled_years_are_marked_and_consistent(herts_targets):
    t = herts_targets[2022]
    assert "requests_decided_to_assess" in t.filled and "plans_issued_gt_1_year" in t.filled
    assert "requests_received_in_year" not in t.filled
    assert t.exactly_published()["plans_issued_20_weeks_ex"] == 502
    c = t.plan_cells()
    assert sum(c.values()) == t.plans_issued_den and min(c.values()) >= 0


def test_complete_year_keeps_published_and_fills_x():
    raw = dict(zip(FIELDS, PUBLISHED["919"][2021], strict=True))
    t = complete_year(2021, raw, {2021: raw})
    assert t.requests_received_in_year == 2165 and t.plans_issued_within_20_weeks == 1135
    assert (
        t.requests_decided_to_assess
        + t.requests_decided_not_to_assess
        + t.requests_withdrawn
        + t.requests_decision_not_made
        == 2165
    )


def test_unknown_la_without_release_is_refused():
    with pytest.raises(ParameterError):
        calibration_targets("999")


def test_generate_requests_meets_given_targets():
    targets = calibration_targets("884")
    r = generate_requests("884", seed=1, targets=targets)
    for year in YEARS:
        assert dfe_calendar_year_aggregates(r, year) == targets[year].as_dfe_dict()


@pytest.mark.shared_data
def test_herefordshire_from_the_release_equals_published(dfe_release):
    from_release = calibration_targets("884", dfe_release)
    built_in = calibration_targets("884")
    frames = generate_demo("884", dfe_dir=dfe_release)
    for year in YEARS:
        assert from_release[year].as_dfe_dict() == built_in[year].as_dfe_dict()
        agg = dfe_calendar_year_aggregates(frames["ehcp_requests"], year)
        assert agg == from_release[year].as_dfe_dict()
        published = from_release[year].exactly_published()
        assert {k: agg[k] for k in published} == published
    jan = frames["ehcp_caseload"].set_index("month_end")["ehc_plans"]
    assert jan[pd.Timestamp("2024-01-31")] == 1461


@pytest.mark.shared_data
def test_hertfordshire_built_in_facts_match_the_release(dfe_release):
    from_release = calibration_targets("919", dfe_release)
    built_in = calibration_targets("919")
    for year in range(2019, 2025):
        assert from_release[year].published == built_in[year].published


# --- narrative ----------------------------------------------------------------------------
def test_plans_in_january_to_march_2024(herts):
    r = herts["ehcp_requests"]
    assert ehcp.ehcp_plans_issued(r, Q4).value == 669
    assert round(ehcp.ehcp_20wk_pct_ex(r, Q4).value, 1) == 42.5
    fy = [ehcp.ehcp_plans_issued(r, Period.financial_year(y)).value for y in (2022, 2023)]
    assert round(100 * (fy[1] / fy[0] - 1)) == 32


def test_backlog_grows_in_2023_and_falls_in_2024(herts):
    r = herts["ehcp_requests"]

    def overdue(y: int, m: int) -> float:
        return rq.ehcp_overdue_open(r, Period.month(y, m)).value

    assert overdue(2023, 12) > overdue(2022, 12)
    assert overdue(2024, 12) < overdue(2023, 12)
    assert overdue(2024, 3) < overdue(2023, 12)


def test_local_tracker_figures(herts):
    assert local.families_first_assessments(herts["families_first"], Q4).value == 218
    assert local.families_first_children(herts["families_first"], Q4).value == 513
    places = herts["school_places"].set_index("academic_year")["special_school_places"]
    assert places["2018/19"] == 2350 and places["2024/25"] == 3054
    assert places.is_monotonic_increasing
    assert local.placement_waits_over_1yr(herts["placement_waits"], Q4).value < 70
    waits = herts["service_waits"]
    slt = local.slt_waiting_change_pct(waits, Period.month(2024, 2), date(2023, 9, 30))
    assert round(slt.value) == -78
    camhs = local.camhs_waiting_change_pct(waits, Q4, date(2023, 9, 30))
    assert round(camhs.value) == -52
    wf = herts["workforce"]
    assert local.case_officer_appointments(wf, Q4).value == 111
    assert local.case_officers_in_training(wf, Q4).value == 34
    assert local.case_officers_trained(wf, Q4).value == 48


def test_caseload_januaries_are_dfes(herts):
    c = herts["ehcp_caseload"].set_index("month_end")
    for year, plans in {2022: 9422, 2023: 10486, 2024: 11897, 2025: 12920}.items():
        assert c.loc[pd.Timestamp(year, 1, 31), "ehc_plans"] == plans
        assert pd.notna(c.loc[pd.Timestamp(year, 1, 31), "sen_support_pupils"])
    assert c["sen_support_pupils"].notna().sum() == 4
    assert np.all(np.diff(c["ehc_plans"].to_numpy(dtype=float)) > -100)


def test_targets_and_improvement_plan(herts):
    t = herts["targets"]
    row = t.loc[(t["metric_id"] == "ehcp_20wk_pct_ex") & (t["target_date"] == "2024-12-31")]
    assert row["target_value"].tolist() == [60.0] and row["polarity"].tolist() == ["higher"]
    assert {"ehcna_decision_6wk_pct", "slt_waiting", "camhs_waiting"} <= set(t["metric_id"])
    plan = herts["improvement_plan"]
    assert sorted(plan["area_id"].unique()) == [1, 2, 3, 4, 5]
    per_area = plan.groupby("area_id")["action_id"].nunique()
    assert per_area.between(3, 5).all()
    assert sorted(plan["update_quarter"].unique()) == [
        q.label for q in Period.parse_range("2023-24-Q1..2024-25-Q4")
    ]
    first = plan.loc[plan["update_quarter"] == "2023-24-Q1", "status"]
    last = plan.loc[plan["update_quarter"] == "2024-25-Q4", "status"]
    assert (last == "complete").sum() > (first == "complete").sum()
    assert plan["progress_update"].str.len().gt(20).all()
    assert plan["action"].str.contains("Hertfordshire").any()


def test_other_las_are_scaled():
    small = generate_demo("884")
    assert (small["ehcp_requests"]["la_code"] == "884").all()
    places = small["school_places"]["special_school_places"].iloc[-1]
    assert 200 < places < 600
    assert small["improvement_plan"]["action"].str.contains("Herefordshire").any()
