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
from tests.conftest import GREAT_EXPECTATIONS
from tests.gate.conftest import (
    DATA_END,
    FAULTS,
    LA,
    BrokenSet,
    read_rows,
    write_rows,
)

# Validating tests share one test process (make test-fast: Great Expectations imported once).
pytestmark = GREAT_EXPECTATIONS


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


# The request rules and the label and target rules are faults in the shared validation
# (tests/gate/conftest.py, FAULTS): each must be found, once, naming its fault's row.
REQUEST_RULES = [
    ("decided_without_date", "a decided request (assess, not_assess) has"),
    ("not_assess_without_date", "a decided request (assess, not_assess) has"),
    ("pending_with_date", "a pending request has no"),
    ("assessed_without_date", "other than pending has its"),
    ("assessed_before_decided", "not before request_outcome_date"),
    ("plan_before_assessed", "not before assessment_outcome_date"),
    ("request_id_case_and_spaces", "each request_id appears once (ignoring case and spaces)"),
]
LABEL_AND_TARGET_RULES = [
    ("quarter_end_of_another_quarter", "quarter_end is the last day of"),
    ("quarter_not_a_financial_year", "quarter is a real financial-year"),
    ("update_after_the_quarter", "not after the quarter"),
    ("update_before_the_quarter", "not before the quarter"),
    ("unknown_metric", "metric_id is a metric of"),
    ("polarity_against_the_metric", "polarity agrees with the metric"),
]


def _rule_naming_the_row(broken_set: BrokenSet, fault: str, words: str):
    dataset = FAULTS[fault].dataset
    problem = _rule([p for p in broken_set.problems if p.dataset == dataset], words)
    assert problem.failing_count >= 1 and "__" not in problem.column
    assert broken_set.shown[fault] in [sample["row"] for sample in problem.samples]
    return problem


@pytest.mark.parametrize(("fault", "words"), REQUEST_RULES, ids=[w for _, w in REQUEST_RULES])
def test_request_rules(broken_set: BrokenSet, fault: str, words: str) -> None:
    _rule_naming_the_row(broken_set, fault, words)


VALID_STATES = [
    (0, {"plan_issued_date": ""}),  # an issue outcome, plan being written
    (4, {"request_outcome_date": ""}),  # withdrawn without a date
    (4, {"request_outcome_date": "2022-07-20"}),  # withdrawn with one
]


def test_valid_request_states(data_dir: Path) -> None:
    # One copy of each row per state (own request_id), so one validation checks them all.
    rows = read_rows(data_dir, "ehcp_requests")
    for number, (row, change) in enumerate(VALID_STATES, start=1):
        rows.append(rows[row] | {"request_id": f"R9{number:03d}", "person_id": f"P9{number:03d}"})
        rows[-1].update(change)
    write_rows(data_dir, "ehcp_requests", rows)
    inputs = load_inputs(data_dir, datasets=["ehcp_requests"])
    validate_inputs(inputs, data_end=DATA_END, la_code=LA, results_dir=None)


@pytest.mark.parametrize(
    ("fault", "words"), LABEL_AND_TARGET_RULES, ids=[k for k, _ in LABEL_AND_TARGET_RULES]
)
def test_labels_and_targets(broken_set: BrokenSet, fault: str, words: str) -> None:
    _rule_naming_the_row(broken_set, fault, words)


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
    # The required datasets alone, and only the caseload running past the stated end: Great
    # Expectations validates a failing dataset twice, and the requests cost most.
    for path in data_dir.iterdir():
        if path.stem not in REQUIRED_DATASETS:
            path.unlink()
    end = "2024-01-31"
    requests = read_rows(data_dir, "ehcp_requests")
    dated = [r for r in requests if all(v <= end for k, v in r.items() if k.endswith("_date"))]
    write_rows(data_dir, "ehcp_requests", dated)
    code = main(["validate", "--data", str(data_dir), "--la", LA, "--data-end", end])
    err = capsys.readouterr().err
    assert code == EXIT_INVALID
    assert "the data ends 2024-01-31, stated with --data-end" in err
    assert "- ehcp_caseload (" in err and "- ehcp_requests (" not in err
