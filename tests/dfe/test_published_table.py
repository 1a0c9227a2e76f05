"""The benchmark table shipped in the package: generated from the shared DfE release, and complete."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sendreport import reference
from sendreport.dfe.benchmarks import benchmarks_for, read_benchmarks
from sendreport.dfe.published import (
    PUBLISHED_CSV,
    build_published_table,
    published_benchmarks,
    render_published_table,
)

from .conftest import pick


@pytest.mark.shared_data
def test_shipped_table_is_what_the_release_gives(dfe_release: Path) -> None:
    expected = render_published_table(build_published_table(dfe_release))
    assert PUBLISHED_CSV.read_text(encoding="utf-8") == expected, (
        "the shipped table is stale: run python -m sendreport.dfe.published "
        "../shared/data/dfe/ehcp-2025"
    )


@pytest.mark.shared_data
def test_shipped_table_equals_the_loaders(release_tidy: pd.DataFrame) -> None:
    def keyed(tidy: pd.DataFrame) -> pd.DataFrame:
        # LAs by DfE number: an LA's ONS code may change between years (Buckinghamshire).
        return tidy.assign(area=tidy["la_code"].fillna(tidy["area_code"]))

    shipped = keyed(published_benchmarks())
    shipped = shipped[~shipped["measure"].str.startswith("tribunal")]
    key = ["area", "measure", "period"]
    merged = shipped.merge(
        keyed(release_tidy), on=key, how="left", suffixes=("", "_file"), indicator=True
    )
    assert (merged["_merge"] == "both").all()
    for col in ("value", "numerator", "denominator"):
        same = (merged[col] - merged[f"{col}_file"]).abs().lt(1e-8) | (
            merged[col].isna() & merged[f"{col}_file"].isna()
        )
        assert same.all(), merged.loc[~same, [*key, col, f"{col}_file"]]
    for col in ("status", "period_basis", "area_name", "level"):
        same = (merged[col] == merged[f"{col}_file"]) | (
            merged[col].isna() & merged[f"{col}_file"].isna()
        )
        assert same.all(), col


def test_shipped_table_covers_england_every_region_and_every_la() -> None:
    shipped = published_benchmarks()
    assert PUBLISHED_CSV.stat().st_size < 400_000
    for measure in ("ehcp_20wk_pct_ex", "ehcp_20wk_pct_inc", "ehcna_requests_received"):
        rows = shipped[(shipped["measure"] == measure) & (shipped["period"] == "2024")]
        assert set(rows.loc[rows["level"] == "la", "la_code"]) == set(reference.all_la_codes())
        assert (rows["level"] == "regional").sum() == 9
        assert (rows["area_code"] == "E92000001").sum() == 1
    herts = pick(shipped, "ehcp_20wk_pct_ex", "2023", la="919")
    assert (herts["value"], herts["numerator"], herts["denominator"]) == (40.2, 525, 1306)
    england = pick(shipped, "ehcp_20wk_pct_ex", "2023", area="E92000001")
    assert (england["value"], england["numerator"], england["denominator"]) == (50.3, 38471, 76506)
    rate = pick(shipped, "tribunal_appeal_rate_pct", "2023", area="E92000001")
    assert rate["value"] > 0 and rate["numerator"] > 0 and rate["denominator"] > 0
    assert all("reporting year 2025" in s for s in shipped["source"])


def test_every_la_has_england_region_and_neighbours_without_dfe() -> None:
    shipped = read_benchmarks(None)
    for la in ("383", "884", "919", "201"):
        bench = benchmarks_for(shipped, la, "ehcp_20wk_pct_ex", include_la=True)
        latest = bench[bench["period"] == "2024"]
        levels = list(latest["level"])
        assert levels[0] == "national" and "la" in levels, (la, levels)
        if reference.statistical_neighbours(la):
            assert "statistical neighbours" in levels
