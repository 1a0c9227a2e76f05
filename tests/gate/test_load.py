"""Reading input files: every broken file gives a clear message, never a traceback."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

from sendreport.contract import DATASETS, OPTIONAL_DATASETS, REQUIRED_DATASETS
from sendreport.exceptions import EXIT_INVALID, InputFileError, ValidationFailed
from sendreport.load import (
    FileInfo,
    Inputs,
    find_dataset_file,
    load_inputs,
    read_dataset,
    write_snapshot,
)
from tests.gate.conftest import read_rows, valid_rows, write_rows


def _load_error(data_dir: Path, **kwargs) -> InputFileError:
    with pytest.raises(InputFileError) as info:
        load_inputs(data_dir, **kwargs)
    err = info.value
    assert err.exit_code == EXIT_INVALID == 2
    return err


def test_valid_set_loads_typed_per_contract(data_dir: Path) -> None:
    inputs = load_inputs(data_dir)
    assert set(inputs.frames) == set(DATASETS)
    assert inputs.warnings == []
    requests = inputs.frames["ehcp_requests"]
    assert list(requests.columns) == [c.name for c in DATASETS["ehcp_requests"].columns]
    assert requests["la_code"].iloc[0] == "919"
    assert isinstance(requests["la_code"].dtype, pd.StringDtype)
    assert requests["received_date"].dtype == "datetime64[ns]"
    assert requests["week20_exception"].dtype == "Int64"
    # Optional columns absent from the file arrive as all-NA of the right type.
    assert requests["mediation"].dtype == "Int64" and requests["mediation"].isna().all()
    assert inputs.frames["workforce"]["average_caseload"].dtype == "Float64"
    info = inputs.files["ehcp_requests"]
    assert isinstance(info, FileInfo)
    assert info.rows == 12 and info.format == "csv" and len(info.sha256) == 64


def test_missing_file_names_expected_files_and_folder(data_dir: Path) -> None:
    (data_dir / "ehcp_caseload.csv").unlink()
    err = _load_error(data_dir)
    text = str(err)
    assert "missing file" in text
    assert "ehcp_caseload.csv, ehcp_caseload.parquet, ehcp_caseload.xlsx" in text
    assert str(data_dir) in text
    assert err.rule == "file_present" and err.dataset == "ehcp_caseload"
    assert "how to fix" in text


def test_optional_datasets_may_be_absent(data_dir: Path) -> None:
    """Only the requests and caseload are required; others are listed as absent."""
    for name in OPTIONAL_DATASETS:
        (data_dir / f"{name}.csv").unlink()
    inputs = load_inputs(data_dir)
    assert sorted(inputs.frames) == sorted(REQUIRED_DATASETS)
    assert inputs.absent == list(OPTIONAL_DATASETS)
    write_snapshot(inputs, data_dir / "snapshot")
    again = load_inputs(data_dir / "snapshot")
    assert again.absent == list(OPTIONAL_DATASETS)


def test_find_dataset_file_refuses_two_files(data_dir: Path) -> None:
    shutil.copy(data_dir / "targets.csv", data_dir / "targets.xlsx")
    with pytest.raises(InputFileError, match=r"found 2 files .*targets\.csv, targets\.xlsx"):
        find_dataset_file(data_dir, "targets")


def test_empty_file(data_dir: Path) -> None:
    (data_dir / "ehcp_caseload.csv").write_bytes(b"")
    err = _load_error(data_dir)
    assert "ehcp_caseload.csv is empty (0 bytes)" in str(err)
    assert err.rule == "file_not_empty"


def test_header_only_allowed_only_where_contract_allows(data_dir: Path) -> None:
    write_rows(data_dir, "targets", [], header=DATASETS["targets"].required_columns)
    inputs = load_inputs(data_dir)
    assert len(inputs.frames["targets"]) == 0
    assert inputs.frames["targets"]["target_date"].dtype == "datetime64[ns]"
    write_rows(data_dir, "workforce", [], header=DATASETS["workforce"].required_columns)
    err = _load_error(data_dir)
    assert "workforce.csv has a header but no rows" in str(err)


def test_wrong_file_type_text_file(data_dir: Path) -> None:
    (data_dir / "school_places.csv").rename(data_dir / "school_places.txt")
    err = _load_error(data_dir)
    assert "school_places.txt" in str(err)
    assert "wrong file type" in str(err)
    assert err.rule == "file_type"


def test_wrong_file_type_xlsx_renamed_csv(data_dir: Path) -> None:
    frame = pd.DataFrame(valid_rows()["cla_stability"])
    frame.to_excel(data_dir / "renamed.xlsx", index=False)
    (data_dir / "renamed.xlsx").replace(data_dir / "cla_stability.csv")
    err = _load_error(data_dir)
    assert "cla_stability.csv has the extension .csv but is an Excel workbook" in str(err)
    assert "wrong file type" in str(err)


def test_not_utf8_names_byte_and_line(data_dir: Path) -> None:
    rows = read_rows(data_dir, "improvement_plan")
    rows[2]["progress_update"] = "Spent £2m on new places – café"
    write_rows(data_dir, "improvement_plan", rows, encoding="cp1252")
    err = _load_error(data_dir)
    text = str(err)
    assert "improvement_plan.csv is not UTF-8" in text
    assert "byte 0xA3 at line 4" in text
    assert "CSV UTF-8" in text
    assert err.rule == "utf8_encoding"


def test_utf8_bom_is_accepted_silently(data_dir: Path) -> None:
    path = data_dir / "targets.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    inputs = load_inputs(data_dir, datasets=["targets"])
    assert inputs.warnings == []
    assert inputs.frames["targets"]["la_code"].tolist() == ["919"]


def test_unparseable_dates_name_column_samples_and_format(edit_rows) -> None:
    def uk_dates(rows):
        rows[0]["received_date"] = "10/04/2021"
        rows[1]["received_date"] = "2021-13-01"

    path = edit_rows("ehcp_requests", uk_dates)
    with pytest.raises(InputFileError) as info:
        read_dataset(path, "ehcp_requests")
    err, text = info.value, str(info.value)
    assert err.exit_code == 2 and err.column == "received_date" and err.rule == "iso_dates"
    assert "2 value(s) in date column 'received_date' are not ISO dates" in text
    assert "YYYY-MM-DD" in text
    assert "'received_date': '10/04/2021'" in text and "'request_id': 'R0001'" in text
    assert "'row': 2" in text  # row number as a spreadsheet shows it


def test_suppression_markers_in_count_column(data_dir: Path, edit_rows) -> None:
    def suppress(rows):
        rows[0]["waiting_over_18_weeks"] = "c"
        rows[5]["waiting_over_18_weeks"] = "low"

    edit_rows("service_waits", suppress)
    err = _load_error(data_dir, datasets=["service_waits"])
    text = str(err)
    assert err.rule == "no_suppression_markers" and err.column == "waiting_over_18_weeks"
    assert "publication marker(s) ('c', 'low')" in text
    assert "real counts" in text
    assert "'waiting_over_18_weeks': 'c'" in text


def test_non_integer_in_int_column(data_dir: Path, edit_rows) -> None:
    edit_rows("ehcp_caseload", lambda rows: rows[3].update(ehc_plans="10,250"))
    err = _load_error(data_dir, datasets=["ehcp_caseload"])
    assert err.rule == "integer_values" and err.column == "ehc_plans"
    assert "are not whole numbers" in str(err)
    assert "'ehc_plans': '10,250'" in str(err)


def test_duplicated_header(data_dir: Path) -> None:
    rows = read_rows(data_dir, "cla_stability")
    header = [*DATASETS["cla_stability"].required_columns, "year_end"]
    write_rows(data_dir, "cla_stability", rows, header=header)
    err = _load_error(data_dir)
    assert err.rule == "unique_header_names" and err.column == "year_end"
    assert "duplicated header name 'year_end' in cla_stability.csv" in str(err)


def test_missing_required_column_lists_expected_and_found(data_dir: Path) -> None:
    rows = read_rows(data_dir, "placement_waits")
    write_rows(data_dir, "placement_waits", rows, header=["la_code", "month_end", "children"])
    err = _load_error(data_dir)
    text = str(err)
    assert err.rule == "required_columns" and err.column == "wait_band"
    assert "missing required column wait_band" in text
    assert "expected: la_code, month_end, wait_band, children" in text
    assert "found:    la_code, month_end, children" in text


def test_extra_unknown_column_is_a_warning_only(data_dir: Path, edit_rows) -> None:
    edit_rows("targets", lambda rows: rows[0].update(notes="agreed by board"))
    inputs = load_inputs(data_dir)
    assert inputs.warnings and "'notes'" in inputs.warnings[0]
    assert "ignored" in inputs.warnings[0]
    assert "notes" not in inputs.frames["targets"].columns


def test_second_la_mixed_in(data_dir: Path, edit_rows) -> None:
    edit_rows("workforce", lambda rows: [r.update(la_code="920") for r in rows[:2]])
    err = _load_error(data_dir)
    text = str(err)
    assert err.rule == "single_la" and err.column == "la_code"
    assert "rows for 2 local authorities" in text and "919, 920" in text
    assert "allow_multiple_las=True" in text
    inputs = load_inputs(data_dir, allow_multiple_las=True)
    assert set(inputs.frames["workforce"]["la_code"]) == {"919", "920"}


def test_all_file_problems_reported_at_once(data_dir: Path, edit_rows) -> None:
    (data_dir / "workforce.csv").write_bytes(b"")
    edit_rows("ehcp_requests", lambda rows: rows[0].update(received_date="01/04/2021"))
    (data_dir / "ehcp_caseload.csv").unlink()
    with pytest.raises(ValidationFailed) as info:
        load_inputs(data_dir)
    err, text = info.value, str(info.value)
    assert err.exit_code == 2
    assert {p.dataset for p in err.problems} == {"workforce", "ehcp_requests", "ehcp_caseload"}
    assert "validation failed: 3 problems" in text
    assert "workforce.csv is empty" in text and "ehcp_caseload: broke file_present" in text
    assert "column 'received_date' broke iso_dates (1 row)" in text


def test_snapshot_round_trip_is_identical(data_dir: Path, tmp_path: Path) -> None:
    inputs = load_inputs(data_dir)
    snapshot = tmp_path / "snapshot"
    written = write_snapshot(inputs, snapshot)
    assert sorted(p.name for p in written.values()) == sorted(f"{n}.parquet" for n in DATASETS)
    again = load_inputs(snapshot)
    for name, frame in inputs.frames.items():
        pd.testing.assert_frame_equal(again.frames[name], frame, check_exact=True)
    assert again.files["ehcp_requests"].format == "parquet"


def test_xlsx_reads_like_csv(data_dir: Path, tmp_path: Path) -> None:
    csv_frame = load_inputs(data_dir, datasets=["families_first"]).frames["families_first"]
    xlsx_dir = tmp_path / "xlsx"
    xlsx_dir.mkdir()
    raw = pd.read_csv(data_dir / "families_first.csv", dtype=str)
    raw["quarter_end"] = pd.to_datetime(raw["quarter_end"])  # real Excel dates
    raw["la_code"] = raw["la_code"].astype(int)  # Excel turns 919 into a number
    raw.to_excel(xlsx_dir / "families_first.xlsx", index=False)
    xlsx_frame = load_inputs(xlsx_dir, datasets=["families_first"]).frames["families_first"]
    pd.testing.assert_frame_equal(xlsx_frame, csv_frame)


def test_load_module_does_not_import_great_expectations() -> None:
    import subprocess

    code = "import sendreport.load, sys; print('great_expectations' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_inputs_dataclass_defaults() -> None:
    inputs = Inputs(frames={})
    assert inputs.files == {} and inputs.warnings == []


def _xlsx_with_formula(data_dir: Path, target: Path, saved: str | None) -> None:
    """families_first as a workbook whose children_covered in row 2 is a formula, with or
    without the value Excel saves beside it."""
    import zipfile

    raw = pd.read_csv(data_dir / "families_first.csv", dtype=str)
    raw.loc[0, "children_covered"] = "=SUM(450,450)"
    plain = target.with_suffix(".tmp.xlsx")
    # openpyxl, not XlsxWriter (which pandas prefers when installed): XlsxWriter saves 0 as
    # every formula's result, so the fixture would have no empty <v> to fill or leave out
    raw.to_excel(plain, index=False, engine="openpyxl")
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(target, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.endswith("sheet1.xml") and saved is not None:
                # openpyxl writes an empty <v/> (spelt per its XML writer) after a formula
                text, found = re.subn(
                    r"(<f>SUM\(450,450\)</f>)<v\s*/>|(<f>SUM\(450,450\)</f>)<v></v>",
                    lambda m: f"{m.group(1) or m.group(2)}<v>{saved}</v>",
                    data.decode(),
                )
                assert found == 1
                data = text.encode()
            if item.filename == "xl/workbook.xml" and saved is not None:
                # Excel clears the recalculate-on-open flag when it saves its results
                data = re.sub(rb'\s*fullCalcOnLoad="1"', b"", data)
            dst.writestr(item, data)
    plain.unlink()


def test_xlsx_formula_cells_read_as_their_saved_values(data_dir: Path, tmp_path: Path) -> None:
    xlsx_dir = tmp_path / "xlsx"
    xlsx_dir.mkdir()
    _xlsx_with_formula(data_dir, xlsx_dir / "families_first.xlsx", saved="900")
    frame = load_inputs(xlsx_dir, datasets=["families_first"]).frames["families_first"]
    assert frame.loc[0, "children_covered"] == 900


def test_xlsx_formula_without_a_saved_value_is_refused(data_dir: Path, tmp_path: Path) -> None:
    xlsx_dir = tmp_path / "xlsx"
    xlsx_dir.mkdir()
    _xlsx_with_formula(data_dir, xlsx_dir / "families_first.xlsx", saved=None)
    err = _load_error(xlsx_dir, datasets=["families_first"])
    assert err.rule == "formula_values"
    assert "1 formula cell(s) in families_first.xlsx have no saved value (E2)" in str(err)


def test_xlsx_formula_results_left_to_recalculate_are_refused(
    data_dir: Path, tmp_path: Path
) -> None:
    """XlsxWriter (what pandas writes with) saves 0 as every formula's result and asks Excel
    to recalculate on opening: reading that 0 would publish a wrong number."""
    xlsx_dir = tmp_path / "xlsx"
    xlsx_dir.mkdir()
    raw = pd.read_csv(data_dir / "families_first.csv", dtype=str)
    raw.loc[0, "children_covered"] = "=SUM(450,450)"
    raw.to_excel(xlsx_dir / "families_first.xlsx", index=False, engine="xlsxwriter")
    err = _load_error(xlsx_dir, datasets=["families_first"])
    assert err.rule == "formula_values"
    assert "1 formula cell(s) in families_first.xlsx have no saved value (E2)" in str(err)
    assert "recalculated when opened" in str(err)
