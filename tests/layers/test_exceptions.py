"""Every error class survives pickling: errors raised in worker processes reach the user
with all their evidence (a failure must never surface as BrokenProcessPool)."""

from __future__ import annotations

import inspect
import pickle

import pytest

from sendreport import exceptions as ex

PROBLEM = ex.ProblemRecord("ehcp_requests", "received_date", "expect_not_null", 2, ["row 3"])

EXAMPLES: dict[type, ex.SendReportError] = {
    ex.SendReportError: ex.SendReportError("something", hint="do this"),
    ex.ProfileError: ex.ProfileError("bad key", path="council.toml", key="name", hint="h"),
    ex.ParameterError: ex.ParameterError("bad", accepted="a, b", parameter="la", hint="h"),
    ex.InputFileError: ex.InputFileError(
        "bad file", path="x.csv", dataset="d", column="c", rule="r", samples=[1], hint="h"
    ),
    ex.ValidationFailed: ex.ValidationFailed([PROBLEM], results_dir="/tmp/r", hint="h"),
    ex.ReleaseNotRecognised: ex.ReleaseNotRecognised("f.csv", ["a", "b"], ["c"]),
    ex.VerificationMismatch: ex.VerificationMismatch(["one"], inputs_changed=["x"]),
    ex.OutputFolderError: ex.OutputFolderError("read-only", path="/out", hint="h"),
    ex.NotApproved: ex.NotApproved("not approved", problems=["approver: missing"], hint="h"),
}
for _cls in (ex.NotebookError, ex.NotebookTimeout, ex.KernelDied, ex.NotebookIncomplete):
    EXAMPLES[_cls] = _cls(
        "newsletter",
        cell_index=4,
        cell_id="abc",
        source_line="raise ValueError('x')",
        ename="ValueError",
        evalue="x",
        kept_at="/out/.failed/audit/newsletter.ipynb",
    )


def error_classes() -> list[type]:
    return [
        cls
        for _, cls in inspect.getmembers(ex, inspect.isclass)
        if issubclass(cls, ex.SendReportError) and cls.__module__ == ex.__name__
    ]


def test_every_error_class_has_an_example() -> None:
    assert set(error_classes()) == set(EXAMPLES), "add the new class to EXAMPLES"


@pytest.mark.parametrize("cls", error_classes(), ids=lambda c: c.__name__)
def test_error_survives_pickling(cls: type) -> None:
    original = EXAMPLES[cls]
    copy = pickle.loads(pickle.dumps(original))
    assert type(copy) is cls
    assert str(copy) == str(original)
    assert copy.args == original.args
    assert vars(copy) == vars(original)
    assert copy.exit_code == original.exit_code and copy.reason == original.reason


def test_changed_evidence_is_what_crosses() -> None:
    err = EXAMPLES[ex.NotebookError]
    err.kept_at = "/elsewhere"
    assert pickle.loads(pickle.dumps(err)).kept_at == "/elsewhere"


@pytest.mark.parametrize("cls", error_classes(), ids=lambda c: c.__name__)
def test_error_is_data_for_json(cls: type) -> None:
    record = EXAMPLES[cls].to_json()
    assert record["status"] == "error" and record["exit_code"] in {1, 2}
    assert record["reason"] in set(ex.Reason) and record["message"]


def test_validation_problems_are_in_the_json_record() -> None:
    record = EXAMPLES[ex.ValidationFailed].to_json()
    assert record["reason"] == "validation_failed"
    assert record["problems"][0]["dataset"] == "ehcp_requests"
    assert record["problems"][0]["column"] == "received_date"
    assert record["results_dir"] == "/tmp/r"
