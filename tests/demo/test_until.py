"""Demo data up to a chosen date: `demo-data --until` (extended past March 2025, or cut)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from sendreport.cli import main
from sendreport.contract import DATASETS
from sendreport.demo import default_until, generate_demo
from sendreport.demo.horizon import month_end_on_or_before
from sendreport.metrics import ehcp
from sendreport.periods import Period

LATER = date(2026, 9, 30)
EARLIER = date(2024, 6, 30)


@pytest.fixture(scope="module")
def later() -> dict[str, pd.DataFrame]:
    return generate_demo("919", until=LATER)


@pytest.fixture(scope="module")
def earlier() -> dict[str, pd.DataFrame]:
    return generate_demo("919", until=EARLIER)


def check_on_contract(frames: dict[str, pd.DataFrame], end: date) -> None:
    """Columns, types of value, keys, dates and the requests' outcome rules hold."""
    stamp = pd.Timestamp(end)
    for name, ds in DATASETS.items():
        frame = frames[name]
        assert list(frame.columns) == [c.name for c in ds.columns], name
        assert len(frame) > 0, name
        assert not frame.duplicated(list(ds.key)).any(), name
        for col in ds.dated_by:
            assert (frame[col].dropna() <= stamp).all(), (name, col)
        for col in ds.columns:
            if not col.nullable:
                assert frame[col.name].notna().all(), (name, col.name)
            if col.allowed is not None:
                assert frame[col.name].dropna().isin(col.allowed).all(), (name, col.name)
    r = frames["ehcp_requests"]
    assert r["request_id"].is_unique and r["person_id"].is_unique
    pending = r["request_outcome"] == "pending"
    assert r.loc[pending, "request_outcome_date"].isna().all()
    assert r.loc[~pending, "request_outcome_date"].notna().all()
    assert r.loc[r["request_outcome"] == "assess", "assessment_outcome"].notna().all()
    assert (r.loc[r["assessment_outcome"].notna(), "request_outcome"] == "assess").all()
    has_plan = r["plan_issued_date"].notna()
    assert (r.loc[has_plan, "assessment_outcome"] == "issue").all()
    assert r.loc[r["assessment_outcome"] == "issue", "plan_issued_date"].notna().all()
    assert (r.loc[has_plan, "plan_issued_date"] >= r.loc[has_plan, "received_date"]).all()
    decided = r["request_outcome_date"].notna() & r["assessment_outcome_date"].notna()
    assert (
        r.loc[decided, "assessment_outcome_date"] >= r.loc[decided, "request_outcome_date"]
    ).all()
    assert frames["ehcp_caseload"]["month_end"].max() == stamp


def test_later_data_is_on_contract_to_the_new_end(later):
    check_on_contract(later, LATER)


def test_earlier_data_is_cut_as_an_extract_on_that_day(earlier):
    check_on_contract(earlier, EARLIER)
    assert earlier["improvement_plan"]["update_quarter"].max() == "2024-25-Q1"


def test_later_data_keeps_the_narrative_quarter_and_carries_on(later):
    q4 = Period.parse("2023-24-Q4")
    requests = later["ehcp_requests"]
    assert ehcp.ehcp_plans_issued(requests, q4).value == 669
    assert ehcp.ehcp_20wk_pct_ex(requests, q4).value == pytest.approx(42.5, abs=0.05)
    # Every quarter after the calibrated data has plans at about the 2024 pace, no cliff.
    for label in ("2025-26-Q1", "2025-26-Q3", "2026-27-Q2"):
        plans = ehcp.ehcp_plans_issued(requests, Period.parse(label)).value
        assert 300 <= plans <= 900, (label, plans)
    assert later["improvement_plan"]["update_quarter"].max() == "2026-27-Q2"
    assert later["families_first"]["quarter"].iloc[-1] == "2026-27-Q2"


def test_same_until_and_seed_give_identical_frames(later):
    again = generate_demo("919", until=LATER)
    for name, frame in later.items():
        pd.testing.assert_frame_equal(frame, again[name], check_exact=True)


def test_default_until_is_the_end_of_the_last_complete_quarter():
    assert default_until(date(2026, 11, 29)) == date(2026, 9, 30)
    assert default_until(date(2026, 4, 1)) == date(2026, 3, 31)
    assert default_until(date(2026, 3, 31)) == date(2025, 12, 31)


def test_until_is_read_to_the_month_end_on_or_before():
    assert month_end_on_or_before(date(2025, 5, 31)) == date(2025, 5, 31)
    assert month_end_on_or_before(date(2025, 5, 30)) == date(2025, 4, 30)
    assert month_end_on_or_before(date(2025, 1, 15)) == date(2024, 12, 31)


@pytest.mark.parametrize("until", ["2020-01-31", "2999-12-31", "31/03/2025"])
def test_until_out_of_range_or_malformed_is_exit_2(until, tmp_path: Path, capsys):
    assert main(["demo-data", "--out", str(tmp_path / "d"), "--until", until]) == 2
    assert "until" in capsys.readouterr().err
    assert not (tmp_path / "d").exists()
