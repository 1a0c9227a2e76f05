"""Hand-made frames that follow the data contract, for metric tests."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

import pandas as pd

from sendreport.contract import DATASETS

REQUEST_DATES = (
    "received_date",
    "request_outcome_date",
    "assessment_outcome_date",
    "plan_issued_date",
)


def dates(values: Iterable[Any], unit: str = "s") -> pd.Series:
    return pd.Series(pd.to_datetime(list(values)), dtype=f"datetime64[{unit}]")


def make_requests(rows: Iterable[Mapping[str, Any]], *, unit: str = "s") -> pd.DataFrame:
    """An ehcp_requests frame from partial rows; absent fields are missing (flag 0).

    ``unit`` sets the datetime64 unit, so tests can show metrics are unit-agnostic.
    """
    rows = list(rows)
    n = len(rows)
    frame = pd.DataFrame(
        {
            "request_id": pd.array(
                [r.get("request_id", f"R{i}") for i, r in enumerate(rows)], dtype="str"
            ),
            "person_id": pd.array(
                [r.get("person_id", f"P{i}") for i, r in enumerate(rows)], dtype="str"
            ),
            "la_code": pd.array([r.get("la_code", "919") for r in rows], dtype="str"),
        }
    )
    for column in REQUEST_DATES:
        frame[column] = dates([r.get(column) for r in rows], unit) if n else dates([], unit)
    frame["request_outcome"] = pd.array([r.get("request_outcome") for r in rows], dtype="str")
    frame["assessment_outcome"] = pd.array([r.get("assessment_outcome") for r in rows], dtype="str")
    frame["week20_exception"] = pd.array(
        [r.get("week20_exception", 0) for r in rows], dtype="Int64"
    )
    return frame[[c.name for c in DATASETS["ehcp_requests"].columns if c.required]]


def plan(received: date, days_to_plan: int, *, exception: int = 0) -> dict[str, Any]:
    """A request that became a plan ``days_to_plan`` days after receipt."""
    issued = received + timedelta(days=days_to_plan)
    return {
        "received_date": received,
        "request_outcome": "assess",
        "request_outcome_date": received + timedelta(days=min(days_to_plan, 40)),
        "assessment_outcome": "issue",
        "assessment_outcome_date": issued,
        "plan_issued_date": issued,
        "week20_exception": exception,
    }


def plans_with_timeliness(
    total: int, within: int, *, issued: date, over_year: int = 0, exceptions: int = 0
) -> pd.DataFrame:
    """``total`` non-exception plans issued on ``issued``: ``within`` at 140 days, ``over_year``
    at 400 days, the rest at 141 days; plus ``exceptions`` exception plans at 300 days."""
    days = [140] * within + [400] * over_year + [141] * (total - within - over_year)
    recv = [pd.Timestamp(issued) - pd.Timedelta(days=d) for d in days]
    ex_recv = [pd.Timestamp(issued) - pd.Timedelta(days=300)] * exceptions
    n = total + exceptions
    return pd.DataFrame(
        {
            "request_id": pd.array([f"R{i}" for i in range(n)], dtype="str"),
            "person_id": pd.array([f"P{i}" for i in range(n)], dtype="str"),
            "la_code": pd.array(["919"] * n, dtype="str"),
            "received_date": dates(recv + ex_recv),
            "request_outcome": pd.array(["assess"] * n, dtype="str"),
            "request_outcome_date": dates(recv + ex_recv) + pd.Timedelta(days=30),
            "assessment_outcome": pd.array(["issue"] * n, dtype="str"),
            "assessment_outcome_date": dates([issued] * n),
            "plan_issued_date": dates([issued] * n),
            "week20_exception": pd.array([0] * total + [1] * exceptions, dtype="Int64"),
        }
    )
