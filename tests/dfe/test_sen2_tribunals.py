"""The SEN2 multipurpose file (2014–2022) and the tribunal appeal-rate sheet."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sendreport.dfe.sen2_mi import load_sen2_mi
from sendreport.dfe.tribunals import load_tribunals
from sendreport.exceptions import InputFileError, ReleaseNotRecognised
from sendreport.reference import all_la_codes

from .conftest import TRIBUNAL_FILE, pick

pytestmark = pytest.mark.shared_data

# sen2_mi.csv, % within 20 weeks excluding exceptions (rate, within, issued).
SEN2_PCT_EX = {
    "919": {
        "2014": (83.9, 78, 93),
        "2016": (96.0, 689, 718),
        "2018": (96.1, 762, 793),
        "2021": (78.0, 1048, 1344),
        "2022": (32.576, 502, 1541),
    },
    "884": {"2015": (81.0, 81, 100), "2017": (87.6, 120, 137), "2022": (74.691, 121, 162)},
}


def test_sen2_rates_every_year_including_leading_spaces(sen2_tidy: pd.DataFrame) -> None:
    for la, years in SEN2_PCT_EX.items():
        for period, (pct, within, issued) in years.items():
            row = pick(sen2_tidy, "ehcp_20wk_pct_ex", period, la=la)
            assert (row["value"], row["numerator"], row["denominator"]) == (pct, within, issued)
    england = pick(sen2_tidy, "ehcp_20wk_pct_ex", "2022", area="E92000001")
    assert (england["value"], england["denominator"]) == (49.166, 62108)
    assert sorted(sen2_tidy["period"].unique()) == [str(y) for y in range(2014, 2023)]


def test_sen2_requests_and_refusals(sen2_tidy: pd.DataFrame) -> None:
    assert pick(sen2_tidy, "ehcna_requests_received", "2016", la="919")["value"] == 1178
    refused = pick(sen2_tidy, "ehcna_refusal_pct_of_received", "2016", la="884")
    assert (refused["value"], refused["numerator"], refused["denominator"]) == (27.7778, 55, 198)
    refusal = pick(sen2_tidy, "ehcna_refusal_pct", "2022", la="919")
    assert refusal["value"] == pytest.approx(100 * 714 / (714 + 1651))
    # Requests were not collected in 2014: status z, no value.
    early = pick(sen2_tidy, "ehcna_requests_received", "2014", la="919")
    assert pd.isna(early["value"]) and early["status"] == "z"


def test_sen2_agrees_with_2025_release(sen2_tidy: pd.DataFrame, release_tidy: pd.DataFrame) -> None:
    key = ["area_code", "measure", "period"]
    measures = ["ehcp_20wk_pct_ex", "ehcp_within_20wk_ex", "ehcna_requests_received"]
    both = sen2_tidy.merge(release_tidy, on=key, suffixes=("_s", "_r"))
    both = both[both["measure"].isin(measures) & both["period"].isin(["2019", "2020", "2021"])]
    assert len(both) > 1000
    both = both[both["value_s"].notna() | both["value_r"].notna()]  # Isles of Scilly: z vs x
    assert ((both["value_s"].round(1) - both["value_r"]).abs() < 0.06).all()


def test_sen2_camel_case_columns(tmp_path: Path) -> None:
    path = tmp_path / "sen2_mi.csv"
    path.write_text(
        "time_period,time_identifier,geographic_level,country_code,country_name,TotIncExcEHC,"
        "TotNoExcEHC,IncExc20weekEHC,NoExc20weekEHC,IncExc20weekRate,NoExc20weekRate,InreqEHC,"
        "AssRefusedEHC,NewallEHC,AssnoneEHC\n"
        "2019,Calendar year,National,E92000001,England,53327,49519,31313,29895,58.7, 60.4,"
        "82329,18755,53899,3368\n",
        encoding="utf-8-sig",
    )
    row = pick(load_sen2_mi(path), "ehcp_20wk_pct_ex", "2019", area="E92000001")
    assert (row["value"], row["numerator"], row["denominator"]) == (60.4, 29895, 49519)


def test_sen2_missing(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="not found"):
        load_sen2_mi(tmp_path / "sen2_mi.csv")


def test_tribunals_published_figures(tribunals_tidy: pd.DataFrame) -> None:
    herts = pick(tribunals_tidy, "tribunal_appeal_rate_pct", "2023", la="919")
    assert (herts["value"], herts["numerator"], herts["denominator"]) == (4.5, 573, 12837)
    assert pick(tribunals_tidy, "tribunal_appeals", "2014", la="884")["value"] == 12
    england = pick(tribunals_tidy, "tribunal_appeal_rate_pct", "2024", area="E92000001")
    assert (england["value"], england["numerator"], england["denominator"]) == (3.2, 22276, 689739)
    assert sorted(tribunals_tidy["period"].unique()) == [str(y) for y in range(2014, 2025)]


def test_tribunals_join_by_name_not_swapped_code(tribunals_tidy: pd.DataFrame) -> None:
    # The sheet prints 873 beside Central Bedfordshire and 823 beside Cambridgeshire.
    central = pick(tribunals_tidy, "tribunal_appeals", "2023", la="823")
    cambs = pick(tribunals_tidy, "tribunal_appeals", "2023", la="873")
    assert (central["area_name"], central["value"]) == ("Central Bedfordshire", 96)
    assert (cambs["area_name"], cambs["value"]) == ("Cambridgeshire", 126)
    assert central["area_code"] == "E06000056"
    las = tribunals_tidy[tribunals_tidy["level"] == "la"]
    assert set(all_la_codes()) <= set(las["la_code"])
    assert las["area_code"].notna().all()  # every name matched (Durham, Bristol, former LAs)
    # "-" is nil, ".." not available, blank kept as a marker.
    assert pick(tribunals_tidy, "tribunal_appeals", "2014", la="841")["value"] == 0
    cumbria = pick(tribunals_tidy, "tribunal_appeals", "2023", la="909")
    assert pd.isna(cumbria["value"]) and cumbria["status"] == ".."


def test_tribunals_unrecognised(tmp_path: Path, dfe_release: Path) -> None:
    bad = tmp_path / TRIBUNAL_FILE
    bad.write_text("Title\n\nSomething else,LA code,2014\n", encoding="utf-8")
    with pytest.raises(ReleaseNotRecognised, match="Local Authority"):
        load_tribunals(bad)
    with pytest.raises(InputFileError):
        load_tribunals(tmp_path / "missing.csv")
