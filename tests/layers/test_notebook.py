"""The notebook layer on hand-made notebooks: parameters, execution, error location,
incomplete runs, and one report task end to end (execute → normalise → collect → render)."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from sendreport.exceptions import NotebookError, NotebookIncomplete, ParameterError
from sendreport.execute import execute_notebook
from sendreport.figures import FIGURE_MIME
from sendreport.parameters import check_parameters, read_parameters
from sendreport.report import ReportTask, normalise_notebook, run_report
from tests.handmade import PARAMS, write_notebook

PARAMETERS = {"period": "2023-24-Q4", "la": "919", "data_dir": "/d", "benchmarks_path": "/b.pq"}
FIGURE = {
    "id": "plans",
    "label": "Plans issued",
    "value": 3,
    "display": "3",
    "unit": "plans",
    "period": "2023-24-Q4",
    "period_start": "2024-01-01",
    "period_end": "2024-03-31",
    "basis": "quarter",
    "area": "919",
    "report": "tiny",
    "source": ["ehcp_requests"],
}


def test_parameters_are_read_and_checked(tmp_path: Path) -> None:
    path = write_notebook(tmp_path, "p")
    assert set(read_parameters(path)) == {"period", "la", "data_dir", "benchmarks_path"}
    check_parameters(path, PARAMETERS)
    with pytest.raises(ParameterError, match="has no parameter 'year'"):
        check_parameters(path, {"year": 2024})
    with pytest.raises(ParameterError, match="must be str, got int"):
        check_parameters(path, {"la": 919})


@pytest.mark.slow  # runs a kernel
def test_failing_cell_is_named_in_the_source_notebook(tmp_path: Path) -> None:
    path = write_notebook(tmp_path / "nb", "broken", "x = 1", "raise ValueError('no plans')")
    out = tmp_path / "broken.ipynb"
    with pytest.raises(NotebookError) as caught:
        execute_notebook(path, out, PARAMETERS, timeout_s=60)
    err = caught.value
    assert (err.cell_index, err.cell_id, err.ename) == (3, "work2", "ValueError")
    assert err.source_line.strip() == "raise ValueError('no plans')"
    assert err.kept_at == str(out) and out.is_file()


@pytest.mark.slow  # runs a kernel
@pytest.mark.parametrize(
    "stop", ["import sys\nsys.exit()", "import sys\nsys.exit(0)", "raise SystemExit(3)"]
)
def test_a_notebook_that_stops_early_is_a_failure(tmp_path: Path, stop: str) -> None:
    path = write_notebook(tmp_path / "nb", "stops", stop, "finished = True")
    with pytest.raises(NotebookError) as caught:
        execute_notebook(path, tmp_path / "stops.ipynb", PARAMETERS, timeout_s=60)
    assert caught.value.cell_id in {"work", "work2"}
    if isinstance(caught.value, NotebookIncomplete):
        assert "stopped before its last cell" in str(caught.value)


def test_normalise_strips_run_specific_metadata() -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["papermill"] = {"duration": 1.5}
    cell = nbformat.v4.new_code_cell("1")
    cell.metadata["papermill"] = {"duration": 0.25}
    cell.metadata["execution"] = {"iopub.status.busy": "2024"}
    nb.cells = [cell]
    timings = normalise_notebook(nb)
    assert timings == {"notebook_s": 1.5, "cells": [{"cell": 0, "seconds": 0.25}]}
    assert "papermill" not in nb.metadata and cell.metadata == {}


def tiny_task(tmp_path: Path, *bodies: str) -> ReportTask:
    staging = tmp_path / "staging"
    staging.mkdir(parents=True)
    return ReportTask(
        report="tiny",
        notebook=write_notebook(tmp_path / "nb", "tiny", *bodies),
        staging=staging,
        parameters=PARAMETERS,
        editions=("reader", "audit"),
        formats=("html",),
        timeout_s=60,
        title="Tiny",
        la_name="Hertfordshire",
        period_text="January to March 2024",
        data_as_at="31 March 2024",
        validation={},
    )


@pytest.mark.slow  # runs a kernel
def test_report_task_renders_and_collects_figures(tmp_path: Path) -> None:
    record = json.dumps(FIGURE)
    show = f"from IPython.display import display\ndisplay({{{FIGURE_MIME!r}: {record}}}, raw=True)"
    task = tiny_task(tmp_path, "print('derivation')", show)
    outcome = run_report(task)
    assert outcome.ok, outcome.error
    assert [f["id"] for f in outcome.figures] == ["plans"]
    assert outcome.figures[0]["cell_id"] == "work2"
    reader = (task.staging / "tiny.html").read_text()
    audit = (task.staging / "audit" / "tiny.html").read_text()
    assert "derivation" not in reader and "derivation" in audit
    executed = (task.staging / "audit" / "tiny.ipynb").read_text()
    assert "/d" not in executed and "validated-snapshot" in executed
    assert not (task.staging / "tiny.pdf").exists(), "only the formats asked for"


@pytest.mark.slow  # runs a kernel
def test_report_task_failure_comes_back_as_data(tmp_path: Path) -> None:
    outcome = run_report(tiny_task(tmp_path, "1 / 0"))
    assert not outcome.ok
    assert isinstance(outcome.error, NotebookError)
    assert outcome.error.ename == "ZeroDivisionError" and outcome.report == "tiny"


def test_handmade_parameters_match_the_build() -> None:
    assert "benchmarks_path" in PARAMS
