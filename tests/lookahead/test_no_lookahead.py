"""A report for period P states the same figures whether it is built the day P ends or years
later: no figure for P uses a record dated after P's end.

For each report and several quarters (including a Q1), the demo data is cut at the quarter end as
the extract would have stood that day: rows received or dated after it are dropped (planning data, such as places planned for the
next September, is kept for a year ahead), and later
events on a request that is kept (the decision, the assessment outcome, the plan) are not yet
known, so they are pending and undated. The figures from the cut data must equal the figures
from the full data exactly.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from sendreport.contract import DATASETS
from sendreport.demo import frame_to_csv_text
from sendreport.periods import Period

from .register import inconsistent_ratios, undefined_figures
from .runner import REPORTS, figures_of

pytestmark = [pytest.mark.slow]

LA = "919"
QUARTERS = ("2023-24-Q1", "2023-24-Q3", "2024-25-Q2")
# Known in advance, not dated by an event: the targets the council set.
NOT_EVENTS = frozenset({"targets"})


def cut_requests(requests: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """Requests as the case management system held them at the end of ``day``."""
    out = requests.loc[requests["received_date"] <= day].copy()
    undecided = out["request_outcome_date"] > day
    out.loc[undecided, "request_outcome"] = "pending"
    out.loc[undecided, "request_outcome_date"] = pd.NaT
    out.loc[undecided, ["assessment_outcome"]] = pd.NA
    out.loc[undecided, ["assessment_outcome_date", "plan_issued_date"]] = pd.NaT
    unassessed = out["assessment_outcome_date"] > day
    out.loc[unassessed, "assessment_outcome"] = "pending"
    out.loc[unassessed, ["assessment_outcome_date", "plan_issued_date"]] = pd.NaT
    out.loc[out["plan_issued_date"] > day, "plan_issued_date"] = pd.NaT
    return out


def cut_data(frames: dict[str, pd.DataFrame], day: date) -> dict[str, pd.DataFrame]:
    """Every dataset as it stood at the end of ``day`` (see the module docstring)."""
    stamp = pd.Timestamp(day)
    out = {}
    for name, frame in frames.items():
        if name == "ehcp_requests":
            out[name] = cut_requests(frame, stamp)
        elif name in NOT_EVENTS or not DATASETS[name].dated_by:
            out[name] = frame
        elif DATASETS[name].planned:  # planning data: known a year ahead
            limit = stamp + pd.DateOffset(years=1)
            out[name] = frame.loc[frame[DATASETS[name].planned[0]] <= limit]
        else:
            out[name] = frame.loc[frame[DATASETS[name].dated_by[0]] <= stamp]
    return out


def write_frames(frames: dict[str, pd.DataFrame], folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name, frame in frames.items():
        (folder / f"{name}.csv").write_text(frame_to_csv_text(frame), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def full_data(demo_frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return demo_frames  # LA 919's


@pytest.mark.parametrize("quarter", QUARTERS)
@pytest.mark.parametrize("report", REPORTS)
def test_figures_use_no_record_after_the_period(
    report: str,
    quarter: str,
    full_data: dict[str, pd.DataFrame],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    end = Period.parse(quarter).end
    full = write_frames(full_data, tmp_path / "full")
    cut = write_frames(cut_data(full_data, end), tmp_path / "cut")
    later = figures_of(report, quarter, LA, full, monkeypatch)
    then = figures_of(report, quarter, LA, cut, monkeypatch)
    assert then, f"{report} {quarter} stated no figures"
    # Every stated number is a registered, documented metric; every ratio is its own.
    assert not undefined_figures([*later, *then])
    assert not inconsistent_ratios([*later, *then])
    for record in [*later, *then]:  # every figure is for a period that had ended
        ahead = record["id"].endswith(("_target", "_planned"))  # targets and plans look ahead
        assert record["period_end"] <= end.isoformat() or ahead, record

    def keyed(records: list[dict]) -> dict[tuple, tuple]:
        return {
            (r["id"], r["period"], r["area"], r["label"]): (r["value"], r["display"])
            for r in records
        }

    before, after = keyed(then), keyed(later)
    differing = {
        k: (before.get(k), after.get(k))
        for k in before.keys() | after.keys()
        if before.get(k) != after.get(k)
    }
    assert not differing, f"{report} {quarter}: built at the quarter end vs later: {differing}"
