"""Fixtures for the DfE loader tests: each official file is read once per session."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sendreport.dfe.release import load_release
from sendreport.dfe.sen2_mi import load_sen2_mi
from sendreport.dfe.tribunals import load_tribunals

TRIBUNAL_FILE = "SEND Tribunals and appeal rate 2014-2024.csv"


@pytest.fixture(scope="session")
def release_tidy(dfe_release: Path) -> pd.DataFrame:
    return load_release(dfe_release)


@pytest.fixture(scope="session")
def sen2_tidy(shared_data: Path) -> pd.DataFrame:
    return load_sen2_mi(shared_data / "dfe" / "sen2-mi-2014-2022" / "sen2_mi.csv")


@pytest.fixture(scope="session")
def tribunals_tidy(dfe_release: Path) -> pd.DataFrame:
    return load_tribunals(dfe_release / "supporting-files" / TRIBUNAL_FILE)


def pick(
    tidy: pd.DataFrame, measure: str, period: str, *, la: str | None = None, area: str | None = None
) -> pd.Series:
    """The single row of ``measure`` in ``period`` for an LA (DfE number) or an area code."""
    rows = tidy[(tidy["measure"] == measure) & (tidy["period"] == period)]
    rows = rows[rows["la_code"] == la] if la is not None else rows[rows["area_code"] == area]
    assert len(rows) == 1, f"{measure} {period} {la or area}: {len(rows)} rows"
    return rows.iloc[0]
