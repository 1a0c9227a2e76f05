"""Data that should be refused, not counted: rules across fields, numbers that are not
numbers, impossible dates, quarter labels that disagree, unknown or contradictory targets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sendreport.build import data_range
from sendreport.cli import main
from sendreport.contract import REQUIRED_DATASETS
from sendreport.exceptions import EXIT_INVALID, InputFileError, ParameterError, ValidationFailed
from sendreport.load import load_inputs
from sendreport.validate import validate_inputs
from tests.gate.conftest import DATA_END, LA, make_valid_dataset_dir, read_rows, write_rows


def _problems(data_dir: Path, dataset: str) -> list:
    with pytest.raises(ValidationFailed) as info:
        validate_inputs(
            load_inputs(data_dir, datasets=[dataset]),
            data_end=DATA_END,
            la_code=LA,
            results_dir=None,
        )
    assert info.value.exit_code == EXIT_INVALID
    return info.value.problems


def _rule(problems: list, words: str):
    found = [p for p in problems if words in p.message]
    assert len(found) == 1, [p.message for p in problems]
    return found[0]


# Row indexes in the gate fixture: 0 assess/issue, 1 assess/not_issue, 2 not_assess,
# 3 assess/pending, 4 withdrawn, 5 pending (then the pattern repeats).
REQUEST_RULES = [
    (0, {"request_outcome_date": ""}, "a decided request (assess, not_assess) has"),
    (2, {"request_outcome_date": ""}, "a decided request (assess, not_assess) has"),
    (5, {"request_outcome_date": "2022-11-01"}, "a pending request has no"),
    (1, {"assessment_outcome_date": ""}, "other than pending has its"),
    (0, {"assessment_outcome_date": "2021-04-20"}, "not before request_outcome_date"),
    (0, {"plan_issued_date": "2021-07-10"}, "not before assessment_outcome_date"),
    (6, {"request_id": " r0001 "}, "each request_id appears once (ignoring case and spaces)"),
]
VALID_STATES = [
    (0, {"plan_issued_date": ""}),  # an issue outcome, plan being written
    (4, {"request_outcome_date": ""}),  # withdrawn without a date
    (4, {"request_outcome_date": "2022-07-20"}),  # withdrawn with one
]


def _append_edited_copies(data_dir: Path, edits: list[tuple[int, dict]]) -> list[int]:
    """Append to ehcp_requests one copy of row ``row`` per edit, with its own request_id
    and the change applied; returns each copy's spreadsheet row. Every request rule is
    row by row (or uniqueness), so one validation checks each edit as if it were alone:
    Great Expectations costs about a CPU-second a validation, the rows nothing."""
    rows = read_rows(data_dir, "ehcp_requests")
    shown = []
    for number, (row, change) in enumerate(edits, start=1):
        copy = rows[row] | {"request_id": f"R9{number:03d}", "person_id": f"P9{number:03d}"}
        rows.append(copy | change)
        shown.append(len(rows) + 1)  # after the header, counting from 1
    write_rows(data_dir, "ehcp_requests", rows)
    return shown


@pytest.fixture(scope="module")
def request_rule_problems(tmp_path_factory) -> tuple[list, list[int]]:
    """The problems of one validation of the valid requests plus each REQUEST_RULES edit on
    its own copy of its row, and the copies' spreadsheet rows."""
    data_dir = make_valid_dataset_dir(tmp_path_factory.mktemp("rules"))
    shown = _append_edited_copies(data_dir, [(row, change) for row, change, _ in REQUEST_RULES])
    return _problems(data_dir, "ehcp_requests"), shown


@pytest.mark.parametrize("case", range(len(REQUEST_RULES)), ids=lambda c: REQUEST_RULES[c][2])
def test_request_rules(request_rule_problems, case: int) -> None:
    problems, shown = request_rule_problems
    problem = _rule(problems, REQUEST_RULES[case][2])
    assert problem.failing_count >= 1 and "__" not in problem.column
    assert shown[case] in [sample["row"] for sample in problem.samples]


def test_valid_request_states(data_dir: Path) -> None:
    _append_edited_copies(data_dir, VALID_STATES)
    inputs = load_inputs(data_dir, datasets=["ehcp_requests"])
    validate_inputs(inputs, data_end=DATA_END, la_code=LA, results_dir=None)


@pytest.mark.parametrize(
    ("dataset", "change", "words"),
    [
        ("families_first", {"quarter_end": "2021-09-30"}, "quarter_end is the last day of"),
        ("families_first", {"quarter": "2021-23-Q1"}, "quarter is a real financial-year"),
        ("improvement_plan", {"update_date": "2024-04-15"}, "not after the quarter"),
        ("improvement_plan", {"update_date": "2023-12-31"}, "not before the quarter"),
        ("targets", {"metric_id": "ehcp_20wk_pct_typo"}, "metric_id is a metric of"),
        ("targets", {"polarity": "lower"}, "polarity agrees with the metric"),
    ],
)
def test_labels_and_targets(data_dir: Path, edit_rows, dataset, change, words) -> None:
    edit_rows(dataset, lambda rows: rows[0].update(change))
    problem = _rule(_problems(data_dir, dataset), words)
    assert "__" not in problem.column


@pytest.mark.parametrize(
    ("dataset", "column", "value", "rule"),
    [
        ("workforce", "average_caseload", "inf", "numeric_values"),
        ("workforce", "average_caseload", "-inf", "numeric_values"),
        ("workforce", "average_caseload", "nan", "numeric_values"),
        ("workforce", "average_caseload", "1e400", "numeric_values"),
        ("targets", "target_value", "Infinity", "numeric_values"),
        ("workforce", "trained", "99999999999999999999999", "integer_values"),
        ("workforce", "trained", "9223372036854775808", "integer_values"),
        ("workforce", "month_end", "9999-12-31", "plausible_dates"),
        ("ehcp_requests", "received_date", "0001-01-01", "plausible_dates"),
        ("ehcp_caseload", "month_end", "2204-02-29", "plausible_dates"),
    ],
)
def test_numbers_and_dates_that_cannot_be_real_exit_2(
    data_dir: Path, edit_rows, capsys, dataset, column, value, rule
) -> None:
    edit_rows(dataset, lambda rows: rows[0].update({column: value}))
    with pytest.raises(InputFileError) as info:
        load_inputs(data_dir, datasets=[dataset])
    assert info.value.rule == rule and info.value.column == column
    assert main(["validate", "--data", str(data_dir), "--la", LA]) == EXIT_INVALID
    assert "internal error" not in capsys.readouterr().err


def test_parquet_infinity_and_far_dates_exit_2(tmp_path: Path) -> None:
    import pandas as pd

    from tests.gate.conftest import make_valid_dataset_dir

    data_dir = make_valid_dataset_dir(tmp_path)
    frame = load_inputs(data_dir, datasets=["workforce"]).frames["workforce"]
    (data_dir / "workforce.csv").unlink()
    frame = frame.astype({"average_caseload": "float64", "trained": "uint64"})
    frame.loc[0, "average_caseload"] = float("inf")
    frame.loc[1, "trained"] = 2**63 + 1
    frame["month_end"] = frame["month_end"].astype("datetime64[us]")
    frame.loc[2, "month_end"] = pd.Timestamp("9999-12-31").as_unit("us")
    frame.to_parquet(data_dir / "workforce.parquet")
    with pytest.raises(ValidationFailed) as info:
        load_inputs(data_dir, datasets=["workforce"])
    rules = sorted(p.expectation for p in info.value.problems)
    assert rules == ["integer_values", "numeric_values", "plausible_dates"]


def test_data_end_is_stated_or_derived_never_in_the_future(data_dir: Path, edit_rows) -> None:
    frames = load_inputs(data_dir).frames
    assert data_range(frames)[1] == DATA_END
    assert data_range(frames, date(2024, 1, 31))[1] == date(2024, 1, 31)
    with pytest.raises(ParameterError) as info:
        data_range(frames, today=date(2024, 2, 1))
    assert "the latest ehcp_caseload month_end" in str(info.value)
    with pytest.raises(ParameterError) as info:
        data_range(frames, date(2030, 1, 31))
    assert "stated with --data-end" in str(info.value)


def test_messages_say_where_the_data_end_came_from(data_dir: Path, capsys) -> None:
    # The required datasets alone (Great Expectations costs ~0.5 s a dataset): both run
    # past the stated end.
    for path in data_dir.iterdir():
        if path.stem not in REQUIRED_DATASETS:
            path.unlink()
    code = main(["validate", "--data", str(data_dir), "--la", LA, "--data-end", "2024-01-31"])
    err = capsys.readouterr().err
    assert code == EXIT_INVALID
    assert "the data ends 2024-01-31, stated with --data-end" in err
