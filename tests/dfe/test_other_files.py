"""Neighbours, NHS waiting lists, LAIT extracts, and every DfE file in the shared folder."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sendreport.dfe._tidy import TIDY_COLUMNS, read_header
from sendreport.dfe.lait import (
    load_la_code_list,
    load_lait_dictionary,
    load_lait_indicators,
    load_percent_pupils_ehcp,
)
from sendreport.dfe.neighbours import load_statistical_neighbours
from sendreport.dfe.nhs import load_nhs_waiting_lists
from sendreport.dfe.release import RELEASE_FILES, load_release_file
from sendreport.dfe.sen2_mi import load_sen2_mi
from sendreport.dfe.tribunals import load_tribunals
from sendreport.exceptions import InputFileError, ReleaseNotRecognised
from sendreport.reference import all_la_codes, statistical_neighbours

from .conftest import pick

pytestmark = pytest.mark.shared_data

# Columns every explore-education-statistics data file carries.
EES_COLUMNS = {"time_period", "time_identifier", "geographic_level", "country_code"}


def test_statistical_neighbours_workbook(shared_data: Path) -> None:
    sn = load_statistical_neighbours(shared_data / "dfe" / "lait" / "sn_may_2025.xlsx")
    assert sn["919"] == ["931", "825", "873", "867", "938", "305", "850", "358", "916", "869"]
    assert sn["884"] == ["943", "860", "925", "893", "933", "888", "935", "811", "815", "830"]
    assert all(len(v) == 10 for v in sn.values())
    # The typed-in reference table is this workbook for every current LA.
    for code in all_la_codes():
        assert statistical_neighbours(code) == sn[code], code


def test_statistical_neighbours_bad_workbook(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["something", "else"])
    book.save(tmp_path / "sn.xlsx")
    with pytest.raises(ReleaseNotRecognised, match="SN1"):
        load_statistical_neighbours(tmp_path / "sn.xlsx")
    (tmp_path / "broken.xlsx").write_text("not a workbook")
    with pytest.raises(InputFileError):
        load_statistical_neighbours(tmp_path / "broken.xlsx")


def test_nhs_waiting_lists(shared_data: Path) -> None:
    tidy = load_nhs_waiting_lists(shared_data / "nhs")
    assert tuple(tidy.columns) == TIDY_COLUMNS
    england = tidy[tidy["level"] == "national"]
    row = pick(england, "nhs_waiting_audiology", "2023-01", area="E92000001")
    assert row["value"] == 17272
    over = pick(england, "nhs_waiting_over_18wk_speech_and_language", "2023-01", area="E92000001")
    assert over["value"] == 20810 + 2980
    pct = pick(england, "nhs_pct_over_18wk_speech_and_language", "2023-01", area="E92000001")
    assert pct["value"] == pytest.approx(35.1019565024936)
    assert pct["numerator"] == 23790 and pct["denominator"] == 67774
    assert not tidy.duplicated(["area_name", "level", "measure", "period"]).any()
    icb = tidy[(tidy["area_name"] == "Hertfordshire and West Essex") & (tidy["level"] == "icb")]
    missing = icb[(icb["measure"] == "nhs_waiting_audiology") & (icb["period"] == "2023-01")]
    assert missing["value"].isna().all() and (missing["status"] == "na").all()
    assert set(tidy["period_basis"]) == {"month-end snapshot"}


def test_lait_files(shared_data: Path) -> None:
    lait = shared_data / "dfe" / "lait"
    codes = load_la_code_list(lait / "la_code_list.xlsx")
    assert set(all_la_codes()) <= set(codes["la_code"])
    indicators = load_lait_indicators(lait / "bds_long_SEN_indicators_subset.csv")
    assert {"measure_code", "years", "la_code", "value_text"} <= set(indicators.columns)
    assert indicators["la_code"].str.fullmatch(r"\d{3}").all()
    assert len(load_lait_dictionary(lait / "lait_data_dictionary.csv")) > 100
    pupils = load_percent_pupils_ehcp(lait / "percent_pupils_ehcp.csv")
    assert pick(pupils, "pupils_ehcp_pct", "2023-01", area="E92000001")["value"] == 4.29
    assert pupils.loc[pupils["level"] == "la", "la_code"].notna().all()


def test_lait_schema_check(tmp_path: Path) -> None:
    bad = tmp_path / "percent_pupils_ehcp.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ReleaseNotRecognised, match="% of pupils"):
        load_percent_pupils_ehcp(bad)


def _every_dfe_file(root: Path) -> list[Path]:
    return sorted(p for p in (root / "dfe").rglob("*") if p.suffix in {".csv", ".xlsx"})


def test_every_dfe_file_loads(shared_data: Path) -> None:
    """Each file under dfe/ is read by a loader or passes a clear schema check."""
    layouts = {rf.stem: rf for rf in RELEASE_FILES}
    lait = {
        "la_code_list.xlsx": load_la_code_list,
        "sn_may_2025.xlsx": load_statistical_neighbours,
        "bds_long_SEN_indicators_subset.csv": load_lait_indicators,
        "lait_data_dictionary.csv": load_lait_dictionary,
        "percent_pupils_ehcp.csv": load_percent_pupils_ehcp,
    }
    files = _every_dfe_file(shared_data)
    assert len(files) >= 16
    for path in files:
        if path.stem in layouts:
            assert len(load_release_file(path, layouts[path.stem])) > 0, path
        elif path.name == "sen2_mi.csv":
            assert len(load_sen2_mi(path)) > 0
        elif path.parent.name == "supporting-files":
            assert len(load_tribunals(path)) > 0
        elif path.name in lait:
            assert len(lait[path.name](path)) > 0, path
        else:
            # Release files without measures of ours still follow the EES layout.
            header = {c.lower() for c in read_header(path)}
            assert header >= EES_COLUMNS, path
            frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig", nrows=5)
            assert len(frame) == 5
