"""load_release reproduces DfE's published figures and survives the release-to-release quirks."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sendreport.dfe._tidy import TIDY_COLUMNS
from sendreport.dfe.release import MEASURES, load_release
from sendreport.exceptions import InputFileError, ReleaseNotRecognised, SendReportError

from .conftest import pick

pytestmark = pytest.mark.shared_data

ENGLAND = "E92000001"

# DfE EHC plans 2025 release: % within 20 weeks excluding exceptions (within / issued).
PCT_EX = {
    "england": {
        "2019": (60.4, 29895, 49519),
        "2020": (58.0, 31446, 54175),
        "2021": (59.9, 34249, 57196),
        "2022": (49.2, 30536, 62108),
        "2023": (50.3, 38471, 76506),
        "2024": (46.4, 39407, 84866),
    },
    "919": {
        "2019": (87.9, 888, 1010),
        "2020": (78.7, 826, 1049),
        "2021": (78.0, 1048, 1344),
        "2022": (32.6, 502, 1541),
        "2023": (40.2, 525, 1306),
        "2024": (56.3, 957, 1699),
    },
    "884": {
        "2019": (90.1, 118, 131),
        "2020": (91.0, 121, 133),
        "2021": (85.5, 141, 165),
        "2022": (74.7, 121, 162),
        "2023": (77.1, 222, 288),
        "2024": (67.6, 225, 333),
    },
}
# Including exceptions, same release.
PCT_INC = {
    "919": {"2019": (87.1, 989, 1135), "2023": (41.5, 566, 1363), "2024": (55.2, 984, 1781)},
    "884": {"2019": (90.1, 118, 131), "2023": (77.1, 222, 288), "2024": (67.4, 225, 334)},
    "england": {"2019": (58.7, 31313, 53327)},
}
CASELOAD = {
    "919": [6328, 7202, 8338, 9422, 10486, 11897, 12920],
    "884": [939, 1002, 1055, 1182, 1284, 1461, 1717],
}
JANUARIES = [f"{y}-01" for y in range(2019, 2026)]


def _row(tidy: pd.DataFrame, measure: str, period: str, who: str) -> pd.Series:
    if who == "england":
        return pick(tidy, measure, period, area=ENGLAND)
    return pick(tidy, measure, period, la=who)


@pytest.mark.parametrize("who", ["england", "919", "884"])
def test_20_week_rate_excluding_exceptions_every_year(release_tidy: pd.DataFrame, who: str) -> None:
    for period, (pct, within, issued) in PCT_EX[who].items():
        row = _row(release_tidy, "ehcp_20wk_pct_ex", period, who)
        assert row["value"] == pytest.approx(pct), period
        assert (row["numerator"], row["denominator"]) == (within, issued), period
        assert pd.isna(row["status"])
        assert row["period_basis"] == "calendar year"
        assert _row(release_tidy, "ehcp_within_20wk_ex", period, who)["value"] == within
        assert _row(release_tidy, "ehcp_plans_issued_ex", period, who)["value"] == issued


@pytest.mark.parametrize("who", ["england", "919", "884"])
def test_20_week_rate_including_exceptions(release_tidy: pd.DataFrame, who: str) -> None:
    for period, (pct, within, issued) in PCT_INC[who].items():
        row = _row(release_tidy, "ehcp_20wk_pct_inc", period, who)
        assert (row["value"], row["numerator"], row["denominator"]) == (pct, within, issued)


def test_reference_values_from_readme(release_tidy: pd.DataFrame) -> None:
    england = pick(release_tidy, "ehcp_20wk_pct_ex", "2023", area=ENGLAND)
    herts = pick(release_tidy, "ehcp_20wk_pct_ex", "2023", la="919")
    hereford = pick(release_tidy, "ehcp_20wk_pct_ex", "2023", la="884")
    assert (england.value, england.numerator, england.denominator) == (50.3, 38471, 76506)
    assert (herts.value, herts.numerator, herts.denominator) == (40.2, 525, 1306)
    assert (hereford.value, hereford.numerator, hereford.denominator) == (77.1, 222, 288)
    assert herts.area_code == "E10000015" and herts.area_name == "Hertfordshire"
    assert hereford.area_code == "E06000019" and hereford.level == "la"


@pytest.mark.parametrize("la", ["919", "884"])
def test_caseload_january_snapshots(release_tidy: pd.DataFrame, la: str) -> None:
    for period, expected in zip(JANUARIES, CASELOAD[la], strict=True):
        row = pick(release_tidy, "ehcp_caseload", period, la=la)
        assert row["value"] == expected
        assert row["period_basis"] == "January snapshot"
    assert pick(release_tidy, "ehcp_caseload", "2024-01", la="919")["value"] == 11897
    assert pick(release_tidy, "ehcp_caseload", "2025-01", area=ENGLAND)["value"] == 638745


def test_requests_and_refusals(release_tidy: pd.DataFrame) -> None:
    received = pick(release_tidy, "ehcna_requests_received", "2023", la="919")
    assert received["value"] == 2849
    refusal = pick(release_tidy, "ehcna_refusal_pct", "2023", la="919")
    assert (refusal["numerator"], refusal["denominator"]) == (832, 1722 + 832)
    assert refusal["value"] == pytest.approx(100 * 832 / 2554)
    six = pick(release_tidy, "ehcna_decision_6wk_pct", "2023", la="919")
    assert six["value"] == pytest.approx(100 * 2703 / (2703 + 69))
    # Decisions to assess were not collected before 2023: the marker is kept, no value.
    old = pick(release_tidy, "ehcna_refusal_pct", "2021", la="919")
    assert pd.isna(old["value"]) and old["status"] == "x"
    assert pick(release_tidy, "ehcna_requests_not_assess", "2021", la="919")["value"] == 496
    assert pick(release_tidy, "ehcna_assess_issued", "2024", la="884")["value"] == 347
    assert pick(release_tidy, "ehcp_new_plans", "2024", la="919")["value"] == 1849


def test_shape_and_types(release_tidy: pd.DataFrame) -> None:
    assert tuple(release_tidy.columns) == TIDY_COLUMNS
    assert set(release_tidy["measure"]) == set(MEASURES)
    assert set(release_tidy["level"]) == {"national", "regional", "la"}
    for col in ("value", "numerator", "denominator"):
        assert release_tidy[col].dtype == "float64"
    assert pd.api.types.is_string_dtype(release_tidy["la_code"])
    las = release_tidy[release_tidy["level"] == "la"]
    assert las["la_code"].str.fullmatch(r"\d{3}").all()
    assert release_tidy.loc[release_tidy["level"] != "la", "la_code"].isna().all()
    assert not release_tidy.duplicated(["area_code", "measure", "period"]).any()
    # Every missing value says why; every present value has no marker.
    assert (release_tidy["value"].isna() == release_tidy["status"].notna()).all()
    assert set(release_tidy["status"].dropna()) <= {"x", "c", "z", "k", "low", "blank"}


def test_published_rates_match_their_counts(release_tidy: pd.DataFrame) -> None:
    rows = release_tidy[
        release_tidy["measure"].isin(["ehcp_20wk_pct_ex", "ehcp_20wk_pct_inc"])
        & (release_tidy["denominator"] > 0)
    ]
    recomputed = (100 * rows["numerator"] / rows["denominator"]).round(1)
    assert (recomputed - rows["value"]).abs().max() <= 0.1 + 1e-9  # DfE rounds half up


def test_accepts_data_folder(dfe_release: Path) -> None:
    tidy = load_release(dfe_release / "data", files=["caseload"])
    assert pick(tidy, "ehcp_caseload", "2024-01", la="919")["value"] == 11897


def test_missing_folder_and_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="not found") as err:
        load_release(tmp_path / "nowhere")
    assert "how to fix" in str(err.value)
    (tmp_path / "data").mkdir()
    with pytest.raises(InputFileError, match=r"timeliness_20_week\.csv is missing"):
        load_release(tmp_path)


def test_unrecognised_file_names_expected_and_found(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "timeliness_20_week.csv").write_text(
        "time_period,geographic_level,mystery_column\n2023,National,1\n", encoding="utf-8"
    )
    with pytest.raises(ReleaseNotRecognised) as err:
        load_release(tmp_path, files=["timeliness_20_week"])
    message = str(err.value)
    assert "pc_plans_issued_20_weeks_ex" in message  # expected
    assert "mystery_column" in message  # found
    assert isinstance(err.value, SendReportError)
    assert "plans_issued_den" in err.value.expected[0]


# A 2026-style copy: every column lower case, some renamed, new headline label, a BOM, leading
# spaces, thousands separators and percent strings.
def _write_2026_copy(dfe_release: Path, folder: Path) -> None:
    data = folder / "data"
    data.mkdir(parents=True)
    keep_las = ["919", "884"]
    for path in sorted((dfe_release / "data").glob("*.csv")):
        if path.stem not in {
            "timeliness_20_week",
            "requests",
            "assessments",
            "newplans",
            "caseload",
        }:
            continue
        frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
        headline = frame["breakdown"].str.startswith(("All", "New"))
        wanted = (frame["geographic_level"] != "Local authority") | frame["old_la_code"].isin(
            keep_las
        )
        frame = frame[headline & wanted].copy()
        frame.columns = [c.lower() for c in frame.columns]
        if path.stem == "timeliness_20_week":
            frame["breakdown_topic"] = frame["breakdown"] = "All EHC plans"
            frame["plans_issued_den_ex"] = frame["plans_issued_den_ex"].map(
                lambda v: f"{int(v):,}" if v.isdigit() else v
            )
            frame["pc_plans_issued_20_weeks_ex"] = " " + frame["pc_plans_issued_20_weeks_ex"] + "%"
        frame = frame[frame.columns[::-1]]  # column order must not matter
        (data / path.name).write_text(frame.to_csv(index=False), encoding="utf-8-sig")


def test_renamed_2026_copy_loads_to_same_numbers(
    dfe_release: Path, tmp_path: Path, release_tidy: pd.DataFrame
) -> None:
    _write_2026_copy(dfe_release, tmp_path)
    copy = load_release(tmp_path)
    assert pick(copy, "ehcp_20wk_pct_ex", "2023", la="919")[
        ["value", "numerator", "denominator"]
    ].tolist() == [40.2, 525, 1306]
    assert pick(copy, "ehcp_20wk_pct_ex", "2023", area=ENGLAND)["denominator"] == 76506
    key = ["area_code", "measure", "period"]
    original = release_tidy[release_tidy["area_code"].isin(copy["area_code"])]
    merged = original.merge(copy, on=key, suffixes=("", "_copy"), how="outer", indicator=True)
    assert (merged["_merge"] == "both").all()
    for col in ("value", "numerator", "denominator"):
        same = (merged[col] == merged[f"{col}_copy"]) | (
            merged[col].isna() & merged[f"{col}_copy"].isna()
        )
        assert same.all(), merged.loc[~same, [*key, col, f"{col}_copy"]].head()


def test_old_column_names_are_aliases(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "timeliness_20_week.csv").write_text(
        "\ufeffTime_Period,Geographic_Level,Country_Code,Country_Name,TotIncExcEHC,TotNoExcEHC,"
        "IncExc20weekEHC,NoExc20weekEHC,IncExc20weekRate,NoExc20weekRate\n"
        '2023,National,E92000001,England,"80,000","76,506",40000,"38,471",50.0, 50.3\n'
        "2022,National,E92000001,England,x,x,x,x,x,c\n",
        encoding="utf-8",
    )
    tidy = load_release(tmp_path, files=["timeliness_20_week"])
    row = pick(tidy, "ehcp_20wk_pct_ex", "2023", area=ENGLAND)
    assert (row["value"], row["numerator"], row["denominator"]) == (50.3, 38471, 76506)
    assert pick(tidy, "ehcp_20wk_pct_ex", "2022", area=ENGLAND)["status"] == "c"


def test_unknown_headline_label(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "caseload.csv").write_text(
        "time_period,geographic_level,breakdown_topic,breakdown,ehcplans\n"
        "202425,National,Sex,Boys,1\n",
        encoding="utf-8",
    )
    with pytest.raises(ReleaseNotRecognised, match="All EHC plans") as err:
        load_release(tmp_path, files=["caseload"])
    assert "Boys" in str(err.value)
