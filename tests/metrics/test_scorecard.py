"""RAG, direction of travel, targets, the scorecard table and benchmarks."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from sendreport.dfe._tidy import TEXT_COLUMNS
from sendreport.metrics.scorecard import (
    BENCHMARK_COLUMNS,
    SCORECARD_COLUMNS,
    attach_benchmarks,
    build_scorecard,
    direction_of_travel,
    rag,
    target_for,
)
from sendreport.periods import Period
from tests.metrics.builders import dates, make_requests, plan

Q4 = Period.parse("2023-24-Q4")


@pytest.mark.parametrize(
    ("value", "target", "polarity", "previous", "expected"),
    [
        (60.0, 60.0, "higher", None, "green"),
        (65.0, 60.0, "higher", None, "green"),
        (54.0, 60.0, "higher", None, "amber"),  # exactly 10% short
        (53.9, 60.0, "higher", None, "red"),
        (40.0, 60.0, "higher", 30.0, "amber"),  # improved on last year
        (40.0, 60.0, "higher", 45.0, "red"),
        (100.0, 110.0, "lower", None, "green"),
        (120.0, 110.0, "lower", None, "amber"),
        (130.0, 110.0, "lower", 150.0, "amber"),
        (130.0, 110.0, "lower", 120.0, "red"),
        (40.199, 40.2, "higher", None, "green"),  # compared as published, to one decimal
        (None, 60.0, "higher", None, None),
        (60.0, None, "higher", None, None),
        (60.0, 50.0, "neutral", None, None),
    ],
)
def test_rag(value, target, polarity, previous, expected) -> None:
    assert rag(value, target, polarity, previous) == expected


@pytest.mark.parametrize(
    ("value", "previous", "polarity", "expected"),
    [
        (50.0, 40.0, "higher", "improving"),
        (50.0, 40.0, "lower", "worsening"),
        (40.3, 40.0, "higher", "no change"),  # within 1% of last year
        (0.04, 0.0, "higher", "no change"),  # under the absolute floor
        (1010, 1000, "lower", "no change"),
        (1011, 1000, "lower", "worsening"),
        (None, 40.0, "higher", None),
        (50.0, None, "higher", None),
        (50.0, 40.0, "neutral", None),
    ],
)
def test_direction(value, previous, polarity, expected) -> None:
    assert direction_of_travel(value, previous, polarity) == expected


@pytest.fixture
def targets() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "la_code": pd.Series(["919"] * 3, dtype="str"),
            "metric_id": pd.Series(["ehcp_20wk_pct_ex"] * 3, dtype="str"),
            "target_value": [40.0, 60.0, 80.0],
            "target_date": dates(["2023-12-31", "2024-03-31", "2025-03-31"]),
            "polarity": pd.Series(["higher"] * 3, dtype="str"),
        }
    )


def test_target_for(targets: pd.DataFrame) -> None:
    assert target_for(targets, "ehcp_20wk_pct_ex", Q4) == (60.0, date(2024, 3, 31), "higher")
    assert target_for(targets, "ehcp_20wk_pct_ex", Q4.previous_quarter())[0] == 40.0
    assert target_for(targets, "ehcp_20wk_pct_ex", Period.parse("2024-25-Q1"))[0] == 80.0
    # all target dates passed: the latest applies
    assert target_for(targets, "ehcp_20wk_pct_ex", Period.parse("2026-27-Q1"))[0] == 80.0
    assert target_for(targets, "ehcp_caseload", Q4) is None
    assert target_for(None, "ehcp_20wk_pct_ex", Q4) is None
    assert target_for(targets, "ehcp_20wk_pct_ex", Q4, la_code="884") is None


def test_build_scorecard(targets: pd.DataFrame) -> None:
    issued_q4 = date(2024, 2, 15)
    issued_ly = date(2023, 2, 15)
    rows = (
        [plan(issued_q4 - timedelta(days=100), 100)] * 5
        + [plan(issued_q4 - timedelta(days=200), 200)] * 5
        + [plan(issued_ly - timedelta(days=100), 100)] * 1
        + [plan(issued_ly - timedelta(days=200), 200)] * 3
    )
    frames = {"ehcp_requests": make_requests(rows), "targets": targets}
    table = build_scorecard(frames, Q4, ["ehcp_20wk_pct_ex", "ehcp_plans_issued", "slt_waiting"])
    assert list(table.columns) == list(SCORECARD_COLUMNS)
    row = table.set_index("metric_id").loc["ehcp_20wk_pct_ex"]
    assert row["value"] == 50.0 and row["same_quarter_last_year"] == 25.0
    assert pd.isna(row["previous_quarter"])  # no plans in Q3: no figure
    assert row["target"] == 60.0 and row["target_date"] == date(2024, 3, 31)
    assert row["rag"] == "amber" and row["direction"] == "improving"
    slt = table.set_index("metric_id").loc["slt_waiting"]
    assert pd.isna(slt["value"]) and "service_waits" in slt["note"]
    count = table.set_index("metric_id").loc["ehcp_plans_issued"]
    assert count["value"] == 10 and pd.isna(count["rag"])


@pytest.fixture
def benchmarks() -> pd.DataFrame:
    rows = [
        # area_code, area_name, level, la_code, period, value, numerator, denominator
        ("E92000001", "England", "National", None, "2023", 50.3, 38471, 76506),
        ("E92000001", "England", "National", None, "2022", 49.2, 1, 2),
        ("E12000006", "East of England", "Regional", None, "2023", 45.0, 9, 20),
        ("E12000005", "West Midlands", "Regional", None, "2023", 55.0, 11, 20),
        ("E10000015", "Hertfordshire", "Local authority", "919", "2023", 40.2, 525, 1306),
        ("E06000019", "Herefordshire", "Local authority", "884", "2023", 77.1, 222, 288),
        ("X", "Somewhere", "Local authority", "999", "2023", 50.0, 78, 212),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "area_code",
            "area_name",
            "level",
            "la_code",
            "period",
            "value",
            "numerator",
            "denominator",
        ],
    )
    frame["measure"] = "PC_plans_issued_20_weeks_ex"
    frame["period_basis"] = "calendar year"
    frame["status"] = "published"
    frame["source"] = "DfE, Education, health and care plans, reporting year 2025"
    return frame.astype({c: "str" for c in TEXT_COLUMNS})


def test_benchmarks(benchmarks: pd.DataFrame) -> None:
    got = attach_benchmarks(
        benchmarks,
        "ehcp_20wk_pct_ex",
        la_code="919",
        region_code="E12000006",
        neighbour_codes=["884", "999"],
    )
    assert got["benchmark_basis"] == "calendar year 2023, DfE"
    assert got["england"] == 50.3 and got["region"] == 45.0 and got["la"] == 40.2
    assert got["neighbours"] == pytest.approx((77.1 + 50.0) / 2)
    # two regions and no region code: none chosen rather than a wrong one
    assert attach_benchmarks(benchmarks, "ehcp_20wk_pct_ex", la_code="919")["region"] is None
    assert attach_benchmarks(benchmarks, "slt_waiting") == dict.fromkeys(BENCHMARK_COLUMNS)


def test_benchmarks_use_a_published_neighbour_row(benchmarks: pd.DataFrame) -> None:
    sn = benchmarks.iloc[[0]].assign(
        area_code="SN:919",
        area_name="Statistical neighbours of Hertfordshire (mean)",
        level="statistical neighbours",
        value=61.0,
    )
    sn["la_code"] = pd.Series([pd.NA], dtype="str", index=sn.index)
    frame = pd.concat([benchmarks, sn], ignore_index=True)
    assert attach_benchmarks(frame, "ehcp_20wk_pct_ex", la_code="919")["neighbours"] == 61.0


def test_scorecard_with_benchmarks(benchmarks: pd.DataFrame) -> None:
    frames = {"ehcp_requests": make_requests([plan(date(2023, 12, 1), 60)])}
    table = build_scorecard(
        frames,
        Q4,
        ["ehcp_20wk_pct_ex"],
        benchmarks=benchmarks,
        la_code="919",
        region_code="E12000006",
    )
    assert list(table.columns) == list(SCORECARD_COLUMNS) + list(BENCHMARK_COLUMNS)
    assert table.loc[0, "england"] == 50.3
    assert table.loc[0, "benchmark_basis"] == "calendar year 2023, DfE"
