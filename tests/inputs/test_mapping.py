"""A council's own spreadsheet through mapping.toml: the same table, problems in its terms."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from sendreport.cli import main
from sendreport.exceptions import InputFileError, ValidationFailed
from sendreport.load import load_inputs
from sendreport.metrics import compute
from sendreport.periods import Period
from tests.conftest import GREAT_EXPECTATIONS

# Validating tests share one test process (make test-fast: Great Expectations imported once).
pytestmark = GREAT_EXPECTATIONS

OUTCOME_WORDS = {
    "assess": "Agreed to assess",
    "not_assess": "Refused",
    "withdrawn": "Withdrawn by family",
    "pending": "Awaiting decision",
}
ISSUE_WORDS = {
    "issue": "Plan issued",
    "not_issue": "No plan needed",
    "withdrawn": "Withdrawn",
    "pending": "In progress",
}
HEADERS = {
    "request_id": "Case Ref",
    "person_id": "Child ID",
    "received_date": "Date request received",
    "request_outcome": "Decision",
    "request_outcome_date": "Decision date",
    "assessment_outcome": "Assessment result",
    "assessment_outcome_date": "Result date",
    "plan_issued_date": "Final plan issued",
    "week20_exception": "Exception?",
}

MAPPING = """
[ehcp_requests]
file = "EHCP tracker.xlsx"
sheet = "SEN2 extract"
header_row = 4
la_code = "919"
date_format = "%d/%m/%Y"

[ehcp_requests.columns]
request_id = "Case Ref"
person_id = "Child ID"
received_date = "Date request received"
request_outcome = "Decision"
request_outcome_date = "Decision date"
assessment_outcome = "Assessment result"
assessment_outcome_date = "Result date"
plan_issued_date = "Final plan issued"
week20_exception = "Exception?"

[ehcp_requests.values.request_outcome]
"Agreed to assess" = "assess"
"Refused" = "not_assess"
"Withdrawn by family" = "withdrawn"
"Awaiting decision" = "pending"

[ehcp_requests.values.assessment_outcome]
"Plan issued" = "issue"
"No plan needed" = "not_issue"
"Withdrawn" = "withdrawn"
"In progress" = "pending"

[ehcp_requests.values.week20_exception]
"Yes" = 1
"No" = 0
"""


@pytest.fixture(scope="module")
def contract(demo_frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    demo = demo_frames["ehcp_requests"]
    return demo[demo.index % 10 == 0].reset_index(drop=True)[list(HEADERS)]


def small(contract: pd.DataFrame) -> pd.DataFrame:
    """Twenty rows holding every request outcome."""
    return contract.groupby("request_outcome").head(5).reset_index(drop=True)


def write_tracker(path: Path, frame: pd.DataFrame, *, edit=None) -> None:
    """The export as a case-management system writes it: a title block, words, dd/mm/yyyy."""
    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["This workbook is an export; see the SEN2 extract sheet."])
    sheet = book.create_sheet("SEN2 extract")
    sheet.append(["EHC needs assessment tracker"])
    sheet.append(["Exported 2025-04-02 by the SEND team"])
    sheet.append([])
    sheet.append([*HEADERS.values(), "Caseworker"])
    for i, row in enumerate(frame.to_dict("records")):
        cells = []
        for col in HEADERS:
            value = row[col]
            if pd.isna(value):
                cells.append(None)
            elif col == "request_outcome":
                cells.append(OUTCOME_WORDS[value])
            elif col == "assessment_outcome":
                cells.append(ISSUE_WORDS[value])
            elif col == "week20_exception":
                cells.append("Yes" if value == 1 else "No")
            elif col.endswith("_date") and i % 2:
                cells.append(value.to_pydatetime())  # a real Excel date cell
            elif col.endswith("_date"):
                cells.append(value.strftime("%d/%m/%Y"))  # text as typed by a person
            else:
                cells.append(value)
        sheet.append([*cells, f"Officer {i % 7}"])
    if edit:
        edit(sheet)
    book.save(path)


def make_folder(tmp_path: Path, frame: pd.DataFrame, mapping: str = MAPPING, edit=None) -> Path:
    write_tracker(tmp_path / "EHCP tracker.xlsx", frame, edit=edit)
    (tmp_path / "mapping.toml").write_text(mapping, encoding="utf-8")
    return tmp_path


def test_messy_export_reads_as_contract_form(tmp_path: Path, contract: pd.DataFrame) -> None:
    loaded = load_inputs(make_folder(tmp_path, contract), datasets=["ehcp_requests"])
    frame = loaded.frames["ehcp_requests"]
    for col in HEADERS:
        want = contract[col]
        got = frame[col]
        if want.dtype.kind == "M":
            want, got = want.astype("datetime64[ns]"), got.astype("datetime64[ns]")
        assert got.tolist() == want.tolist() or got.equals(want), col
    assert (frame["la_code"] == "919").all()
    assert any("'Caseworker'" in w for w in loaded.warnings)
    assert (
        "EHCP tracker.xlsx, sheet 'SEN2 extract', header row 4" in loaded.origins["ehcp_requests"]
    )
    for period in Period.parse_range("2022-23-Q1..2024-25-Q4"):
        for metric_id in ("ehcp_20wk_pct_ex", "ehcna_decision_6wk_pct", "ehcp_overdue_open"):
            want = compute(metric_id, {"ehcp_requests": contract.assign(la_code="919")}, period)
            got = compute(metric_id, {"ehcp_requests": frame}, period)
            assert (got.value, got.components) == (want.value, want.components)


def _error(folder: Path) -> str:
    with pytest.raises((InputFileError, ValidationFailed)) as info:
        load_inputs(folder, datasets=["ehcp_requests"])
    assert info.value.exit_code == 2
    return str(info.value)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('"Decision date"', '"Decision dated"'), ["'Decision dated'", "lacks"]),
        (
            ('sheet = "SEN2 extract"', 'sheet = "Extract"'),
            ["sheet 'Extract'", "Notes, SEN2 extract"],
        ),
        (('"Refused" = "not_assess"\n', ""), ["'Refused'", "does not cover"]),
        (("header_row = 4", "header_row = 40000"), ["header_row = 40000"]),
        (("header_row = 4", "header_row = 2"), ["lacks"]),
        (('file = "EHCP tracker.xlsx"', 'file = "tracker.xlsx"'), ["'tracker.xlsx'"]),
        (('file = "EHCP tracker.xlsx"', 'file = "../EHCP tracker.xlsx"'), ["outside"]),
        (("[ehcp_requests]\n", "[ehcp_request]\n"), ["ehcp_request"]),
        (('person_id = "Child ID"', 'child = "Child ID"'), ["'child'", "not a column"]),
        (('la_code = "919"\n', ""), ["la_code"]),
        (("date_format", "date_fromat"), ["date_fromat"]),
        (('"Yes" = 1', '"Yes = 1'), ["not valid TOML"]),
    ],
)
def test_every_mapping_error_names_mapping_dataset_and_column(
    tmp_path: Path, contract: pd.DataFrame, change: tuple[str, str], expected: list[str]
) -> None:
    assert change[0] in MAPPING
    folder = make_folder(tmp_path, small(contract), MAPPING.replace(*change, 1))
    text = _error(folder)
    assert "mapping.toml" in text
    for words in expected:
        assert words in text, text


def test_a_bad_cell_is_named_by_sheet_row_and_column(tmp_path: Path, contract) -> None:
    def spoil(sheet) -> None:
        sheet.cell(row=7, column=3, value="31/02/2024")  # no 31 February

    text = _error(make_folder(tmp_path, small(contract), edit=spoil))
    assert "EHCP tracker.xlsx, sheet 'SEN2 extract', row 7" in text
    assert "'Date request received'" in text


def test_contract_rule_broken_names_the_source_row(tmp_path: Path, contract) -> None:
    from sendreport.validate import validate_inputs

    def backwards(sheet) -> None:  # decided before it was received
        sheet.cell(row=9, column=3, value="01/06/2024")
        sheet.cell(row=9, column=5, value="01/01/2024")

    folder = make_folder(tmp_path, small(contract), edit=backwards)
    loaded = load_inputs(folder, datasets=["ehcp_requests"])
    with pytest.raises(ValidationFailed) as info:
        validate_inputs(loaded, data_end=date(2025, 3, 31), la_code="919", results_dir=None)
    text = str(info.value)
    assert "EHCP tracker.xlsx, sheet 'SEN2 extract', row 9" in text, text
    assert "Decision date" in text


def test_inspect_shows_the_mapped_source(tmp_path: Path, contract, capsys) -> None:
    folder = make_folder(tmp_path, small(contract))
    assert main(["inspect", "--data", str(folder), "--dataset", "ehcp_requests"]) == 0
    out = capsys.readouterr().out
    assert "EHCP tracker.xlsx, sheet 'SEN2 extract', header row 4 (via mapping.toml)" in out
    assert "received_date" in out
    (folder / "mapping.toml").write_text(MAPPING.replace('"Refused" = "not_assess"\n', ""))
    assert main(["inspect", "--data", str(folder), "--dataset", "ehcp_requests"]) == 2


def test_csv_and_parquet_exports(tmp_path: Path, contract: pd.DataFrame) -> None:
    rows = small(contract)
    export = pd.DataFrame({HEADERS[c]: rows[c] for c in HEADERS})
    for col in HEADERS:
        if col.endswith("_date"):
            export[HEADERS[col]] = rows[col].dt.strftime("%d/%m/%Y")
    export["Decision"] = rows["request_outcome"].map(OUTCOME_WORDS)
    export["Assessment result"] = rows["assessment_outcome"].map(ISSUE_WORDS)
    export["Exception?"] = rows["week20_exception"].map({1: "Yes", 0: "No"})
    title = "EHC needs assessment tracker\n\n"
    (tmp_path / "tracker.csv").write_text(title + export.to_csv(index=False), encoding="utf-8")
    csv_mapping = MAPPING.replace(
        'file = "EHCP tracker.xlsx"\nsheet = "SEN2 extract"', 'file = "tracker.csv"'
    )
    (tmp_path / "mapping.toml").write_text(csv_mapping.replace("header_row = 4", "header_row = 3"))
    from_csv = load_inputs(tmp_path, datasets=["ehcp_requests"]).frames["ehcp_requests"]

    export.to_parquet(tmp_path / "tracker.parquet", index=False)
    parquet_mapping = csv_mapping.replace("tracker.csv", "tracker.parquet")
    (tmp_path / "mapping.toml").write_text(parquet_mapping.replace("header_row = 4\n", ""))
    from_parquet = load_inputs(tmp_path, datasets=["ehcp_requests"]).frames["ehcp_requests"]
    for frame in (from_csv, from_parquet):
        assert (
            frame["received_date"].tolist()
            == rows["received_date"].astype("datetime64[ns]").tolist()
        )
        assert frame["request_outcome"].tolist() == rows["request_outcome"].tolist()
        assert frame["week20_exception"].tolist() == rows["week20_exception"].tolist()


def test_a_mapped_value_absent_from_this_export_is_a_warning(tmp_path: Path, contract) -> None:
    mapping = MAPPING.replace(
        '"Refused" = "not_assess"', '"Refused" = "not_assess"\n"Deferred" = "pending"'
    )
    loaded = load_inputs(
        make_folder(tmp_path, small(contract), mapping), datasets=["ehcp_requests"]
    )
    assert any("'Deferred' does not occur" in w for w in loaded.warnings)


def test_a_file_the_mapping_replaces_is_named_in_a_warning(tmp_path: Path, contract) -> None:
    folder = make_folder(tmp_path, small(contract))
    (folder / "ehcp_requests.csv").write_text("request_id\n1\n")
    loaded = load_inputs(folder, datasets=["ehcp_requests"])
    assert any("ehcp_requests.csv in the data folder is not used" in w for w in loaded.warnings)
