"""The Great Expectations gate: each broken rule is named with its rows, all at once."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from sendreport.contract import DATASETS
from sendreport.exceptions import ValidationFailed
from sendreport.load import Inputs, load_inputs
from sendreport.validate import RESULTS_FILE, add_helper_columns, validate_inputs
from tests.conftest import GREAT_EXPECTATIONS
from tests.gate.conftest import DATA_END, LA, BrokenSet

# Validating tests share one test process (make test-fast: Great Expectations imported once).
pytestmark = GREAT_EXPECTATIONS


def _fail(
    data_dir: Path, datasets: list[str], results_dir: Path | None = None, **kwargs
) -> ValidationFailed:
    inputs = load_inputs(data_dir, datasets=datasets)
    with pytest.raises(ValidationFailed) as info:
        validate_inputs(
            inputs,
            data_end=kwargs.pop("data_end", DATA_END),
            la_code=kwargs.pop("la_code", LA),
            results_dir=results_dir,
        )
    err = info.value
    assert err.exit_code == 2
    return err


def _only(err: ValidationFailed, expectation: str):
    found = [p for p in err.problems if p.expectation == expectation]
    assert len(found) == 1, [p.render() for p in err.problems]
    return found[0]


def test_valid_set_passes_with_deterministic_summary(data_dir: Path, capfd) -> None:
    inputs = load_inputs(data_dir)
    first = validate_inputs(inputs, data_end=DATA_END, la_code=LA, results_dir=None)
    # Twice more on a subset (GX costs ~0.2 s a dataset): no timestamps or run ids, and
    # la_code=None takes the LA from the data.
    subset = Inputs(frames={n: inputs.frames[n] for n in ("targets", "cla_stability")})
    again = [
        validate_inputs(subset, data_end=DATA_END, la_code=la, results_dir=None).to_dict()
        for la in (LA, None)
    ]
    assert again[0] == again[1]
    summary = json.loads(first.to_json())
    assert summary["data_end"] == "2024-03-31" and summary["la_code"] == "919"
    requests = summary["datasets"]["ehcp_requests"]
    assert requests["rows"] == 12
    assert requests["expectations"] == requests["passed"] > 30
    assert len(requests["suite_sha256"]) == 64
    assert set(summary["datasets"]) == set(DATASETS)
    out, err = capfd.readouterr()
    assert "Calculating Metrics" not in out + err  # progress bars are off
    assert out == ""


def _one(problems: list, expectation: str):
    found = [p for p in problems if p.expectation == expectation]
    assert len(found) == 1, [p.render() for p in problems]
    return found[0]


# The rule tests below read the shared validation of every fault (tests/gate/conftest.py,
# FAULTS): each looks at the problems that name its fault's row.


def test_plan_date_before_received_date(broken_set: BrokenSet) -> None:
    # It is also before the assessment outcome (its own rule); this one names received_date.
    naming = broken_set.naming("plan_before_received")
    pairs = [p for p in naming if p.expectation.startswith("expect_column_pair")]
    assert len(pairs) == 2
    (problem,) = [p for p in pairs if p.column == "plan_issued_date, received_date"]
    assert problem.failing_count == 1
    assert problem.samples[0] == {
        "row": broken_set.shown["plan_before_received"],
        "request_id": "R9001",
        "plan_issued_date": "2021-01-05",
        "received_date": "2021-04-10",
    }
    csv_path = broken_set.data_dir / "ehcp_requests.csv"
    text = broken_set.text
    assert f"ehcp_requests ({csv_path}): column 'plan_issued_date, received_date' broke" in text
    assert "plan_issued_date is not before received_date" in text


def test_plan_date_without_issue(broken_set: BrokenSet) -> None:
    problem = _one(broken_set.naming("plan_without_issue"), "expect_column_values_to_be_null")
    assert problem.column == "plan_issued_date, assessment_outcome"
    assert problem.samples[0]["assessment_outcome"] == "not_issue"
    assert problem.samples[0]["request_id"] == "R9002"
    assert "only when assessment_outcome is 'issue'" in problem.message


def test_date_after_data_end(data_dir: Path) -> None:
    # The same valid files fail when the build says the data ends earlier.
    err = _fail(data_dir, ["ehcp_caseload"], data_end=date(2023, 12, 31))
    problem = _only(err, "expect_column_values_to_be_between")
    assert problem.column == "month_end" and problem.failing_count == 3
    assert "not after the end of the data" in problem.message
    assert "the data ends 2023-12-31" in problem.message
    assert [s["month_end"] for s in problem.samples] == ["2024-01-31", "2024-02-29", "2024-03-31"]


def test_negative_count(broken_set: BrokenSet) -> None:
    problem = _one(broken_set.naming("negative_count"), "expect_column_values_to_be_between")
    assert problem.column == "children" and "never negative" in problem.message
    assert problem.samples == [
        {
            "row": 9,
            "la_code": "919",
            "month_end": "2021-05-31",
            "wait_band": "over_1_year",
            "children": -3,
        }
    ]


def test_month_end_not_a_month_end(broken_set: BrokenSet) -> None:
    naming = broken_set.naming("month_end_not_a_month_end")
    problem = _one(naming, "expect_column_values_to_be_in_set")
    assert problem.column == "month_end"  # the helper column is never shown
    assert "month_end is the last day of a month" in problem.message
    assert problem.samples[0]["month_end"] == "2021-06-15"


def test_duplicate_request_id(broken_set: BrokenSet) -> None:
    # Both rows holding R0001 (2 and 7) are counted, beside the copy whose " r0001 "
    # repeats it but for case and spaces (test_cross_field's fault).
    naming = broken_set.naming("duplicate_request_id")
    problem = _one(naming, "expect_column_values_to_be_unique")
    assert problem.column == "request_id" and problem.failing_count == 3
    copy_row = broken_set.shown["request_id_case_and_spaces"]
    assert [s["row"] for s in problem.samples] == [2, 7, copy_row]


def test_compound_key_duplicate(broken_set: BrokenSet) -> None:
    naming = broken_set.naming("compound_key_duplicate")
    problem = _one(naming, "expect_compound_columns_to_be_unique")
    assert problem.column == "la_code, month_end, service" and problem.failing_count == 2


@pytest.mark.parametrize(
    ("fault", "rule"),
    [
        ("over_18_weeks_above_waiting", "waiting_over_18_weeks ≤ waiting"),
        ("placements_above_children", "≤ children_looked_after"),
        ("covered_above_assessments", "≤ assessments_completed × 8"),
    ],
)
def test_cross_column_limits(broken_set: BrokenSet, fault: str, rule: str) -> None:
    naming = broken_set.naming(fault)
    problem = _one(naming, "expect_column_pair_values_a_to_be_greater_than_b")
    assert rule in problem.message and problem.failing_count == 1
    assert "__" not in problem.column


def test_assessment_outcome_only_when_assess(broken_set: BrokenSet) -> None:
    naming = broken_set.naming("assessed_without_assess")
    assert any("only when request_outcome is 'assess'" in p.message for p in naming)


def test_other_la_than_the_build(broken_set: BrokenSet) -> None:
    # One dataset of another LA among the build's own: the rule names its rows. (When every
    # dataset is another LA's, that is a wrong --la: tests/gate/test_wrong_la.py.)
    problems = [p for p in broken_set.problems if p.column == "la_code"]
    assert {p.dataset for p in problems} == {"targets"}
    assert "the build is for LA 919" in problems[0].message
    assert problems[0].samples[0]["la_code"] == "920"
    assert problems[0].samples[0]["row"] == broken_set.shown["other_la"]


def test_all_problems_at_once_with_results_and_data_docs(broken_set: BrokenSet) -> None:
    text, data_dir, results = broken_set.text, broken_set.data_dir, broken_set.results_dir
    assert f"validation failed: {len(broken_set.problems)} problems" in text
    for dataset in {p.dataset for p in broken_set.problems}:
        assert f"- {dataset} ({data_dir / f'{dataset}.csv'}): column '" in text
    assert f"full results and Data Docs: {results}" in text
    raw = (results / RESULTS_FILE).read_text()
    payload = json.loads(raw)
    assert set(payload["datasets"]) == set(DATASETS)
    assert raw == json.dumps(payload, indent=2, sort_keys=True) + "\n"  # sorted keys
    index = results / "data_docs" / "index.html"
    assert index.is_file() and "ehcp_requests" in index.read_text()


def test_wrong_dtype_from_a_hand_built_frame_is_caught() -> None:
    # A notebook or test may build frames by hand; the suite still checks the types.
    frame = pd.DataFrame(
        {
            "la_code": ["919"],
            "year_end": pd.to_datetime(["2024-03-31"]).astype("datetime64[ns]"),
            "children_looked_after": [1000],  # numpy int64, not nullable Int64
            "three_plus_placements": pd.array([90], dtype="Int64"),
        }
    )
    with pytest.raises(ValidationFailed) as info:
        validate_inputs(
            Inputs(frames={"cla_stability": frame}),
            data_end=DATA_END,
            la_code=LA,
            results_dir=None,
        )
    problem = _only(info.value, "expect_column_values_to_be_in_type_list")
    assert problem.column == "children_looked_after" and "found type" in problem.message


def test_helper_columns_mark_missing_dates_as_na() -> None:
    frame = pd.DataFrame(
        {"d": pd.to_datetime(["2024-01-31", "2024-02-15", None]).astype("datetime64[ns]")}
    )
    out = add_helper_columns(
        frame, {"d__is_month_end": {"function": "is_month_end", "column": "d"}}
    )
    assert out["d__is_month_end"].tolist() == [True, False, pd.NA]
    assert "d__is_month_end" not in frame.columns  # the caller's frame is untouched


def test_places_planned_for_the_next_september_are_accepted(broken_set: BrokenSet) -> None:
    # The data ends March 2024; places planned for September 2024 are planning data.
    assert broken_set.naming("places_for_next_september") == []


def test_places_planned_more_than_a_year_ahead_are_refused(broken_set: BrokenSet) -> None:
    naming = broken_set.naming("places_two_years_ahead")
    problem = _one(naming, "expect_column_values_to_be_between")
    assert "as_at_date" in problem.render() and "2025-09-01" in problem.render()
