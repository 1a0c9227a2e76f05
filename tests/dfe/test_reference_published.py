"""Reference accessors (fast, stdlib only), the typed-in published table and the benchmarks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sendreport import reference
from sendreport.dfe.benchmarks import benchmarks_for
from sendreport.exceptions import ParameterError


def test_reference_accessors() -> None:
    assert reference.la_name("919") == "Hertfordshire"
    assert reference.la_name(884) == "Herefordshire, County of"
    assert reference.is_known_la(" 919 ") and reference.is_known_la("919.0")
    assert not reference.is_known_la("999") and not reference.is_known_la("909")  # Cumbria
    assert reference.region_of("919") == "East of England"
    assert reference.region_code("884") == "E12000005"
    assert reference.ons_code("919") == "E10000015"
    assert reference.statistical_neighbours("919")[:3] == ["931", "825", "873"]
    assert len(reference.all_la_codes()) == 153
    with pytest.raises(reference.UnknownLocalAuthority) as err:
        reference.la_name("91")
    assert isinstance(err.value, ParameterError) and "919" in str(err.value)
    assert reference.find_la_by_name("Bristol, City of").la_code == "801"
    assert reference.find_la_by_name("Durham").la_code == "840"
    assert reference.find_la_by_name("Bournemouth").current is False


def test_reference_is_pandas_free() -> None:
    """The LA checks run before any heavy import (the CLI's fast failures rely on it)."""
    code = (
        "import sys; import sendreport.reference as r; "
        "assert r.is_known_la('919') and not r.is_known_la('000'); r.statistical_neighbours('884'); "
        "assert 'pandas' not in sys.modules, 'pandas imported'"
    )
    subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60, check=True)


@pytest.mark.shared_data
def test_local_authorities_table_matches_release(release_tidy: pd.DataFrame) -> None:
    las = release_tidy[
        (release_tidy["measure"] == "ehcp_caseload")
        & (release_tidy["period"] == "2025-01")
        & (release_tidy["level"] == "la")
    ]
    assert sorted(las["la_code"]) == reference.all_la_codes()
    for row in las.itertuples():
        assert reference.la_name(row.la_code) == row.area_name
        assert reference.ons_code(row.la_code) == row.area_code


@pytest.mark.shared_data
def test_benchmarks_for(release_tidy: pd.DataFrame) -> None:
    bench = benchmarks_for(release_tidy, "919", "ehcp_20wk_pct_ex")
    assert list(bench["period"]) == sorted(bench["period"], reverse=True)
    latest = bench[bench["period"] == "2023"]
    assert list(latest["area_code"]) == ["E92000001", "E12000006", "SN:919"]
    sn = latest.iloc[2]
    neighbours = reference.statistical_neighbours("919")
    rows = release_tidy[
        (release_tidy["measure"] == "ehcp_20wk_pct_ex")
        & (release_tidy["period"] == "2023")
        & release_tidy["la_code"].isin(neighbours)
    ]
    assert len(rows) == 10
    assert sn["value"] == pytest.approx(rows["value"].mean())
    # A mean of rates: no numerator or denominator that would give a different (pooled) rate.
    assert pd.isna(sn["numerator"]) and pd.isna(sn["denominator"])
    assert pd.isna(sn["status"]) and sn["level"] == "statistical neighbours"
    with_la = benchmarks_for(release_tidy, "919", "ehcp_caseload", include_la=True)
    assert with_la.iloc[3]["la_code"] == "919" and with_la.iloc[3]["period"] == "2025-01"
    with pytest.raises(ParameterError, match="not in the DfE data"):
        benchmarks_for(release_tidy, "919", "no_such_measure")
    with pytest.raises(reference.UnknownLocalAuthority):
        benchmarks_for(release_tidy, "123", "ehcp_caseload")


def test_reference_files_name_their_source() -> None:
    folder = Path(reference.__file__).parent
    for name in (
        "local_authorities.csv",
        "statistical_neighbours.csv",
        "former_local_authorities.csv",
    ):
        head = (folder / name).read_text(encoding="utf-8").splitlines()[:4]
        assert any(line.startswith("# Source:") or "Source:" in line for line in head), name
