"""Officer commentary: found by quarter and subject, escaped, collected, diffed."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from sendreport.commentary import (
    COMMENTARY_MIME,
    WARNING_MIME,
    Commentary,
    collect_commentary,
    collect_warnings,
    commentary_html,
    diff_commentary,
    find_commentary,
    format_commentary_diff,
    missing_commentary,
    write_commentary,
)
from sendreport.render import render_body

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)> **bold** [link](javascript:x)"


@pytest.fixture()
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "la_code": ["884", "884", "884"],
            "period": ["2024-25-Q2", "2024-25-Q2", "2024-25-Q1"],
            "subject": ["ehcp_20wk_pct_ex", "summary", "ehcp_20wk_pct_ex"],
            "commentary": [HOSTILE, "A steady quarter.", "Earlier words."],
            "author": ["A. Officer", "B. Officer", "A. Officer"],
            "role": ["Head of SEND", "Director", "Head of SEND"],
            "action": [None, "", "Weekly review"],
        }
    )


def test_found_by_quarter_and_subject(frame: pd.DataFrame) -> None:
    note = find_commentary(frame, "2024-25-Q1", "ehcp_20wk_pct_ex")
    assert note == Commentary(
        "ehcp_20wk_pct_ex", "Earlier words.", "A. Officer", "Head of SEND", "Weekly review"
    )
    assert find_commentary(frame, "2024-25-Q2", "summary").action is None  # blank is none
    assert find_commentary(frame, "2024-25-Q3", "summary") is None
    assert find_commentary(None, "2024-25-Q2", "summary") is None


def test_missing_lists_subjects_without_commentary(frame: pd.DataFrame) -> None:
    subjects = ["ehcp_20wk_pct_ex", "ehcp_overdue_open", "camhs_waiting"]
    assert missing_commentary(frame, "2024-25-Q2", subjects) == subjects[1:]
    assert missing_commentary(None, "2024-25-Q2", subjects) == subjects


def test_commentary_is_text_never_markup(frame: pd.DataFrame) -> None:
    markup = commentary_html(find_commentary(frame, "2024-25-Q2", "ehcp_20wk_pct_ex"))
    assert "<script>" not in markup and "<img" not in markup
    assert "&lt;script&gt;" in markup
    assert "A. Officer, Head of SEND" in markup


def _notebook(*payloads: tuple[str, dict]) -> nbformat.NotebookNode:
    cell = new_code_cell("rep.commentary('x')")
    cell.outputs = [new_output("display_data", data={mime: p}) for mime, p in payloads]
    return new_notebook(cells=[cell])


def test_records_are_collected_once_and_never_displayed() -> None:
    record = {
        "report": "performance",
        "period": "2024-25-Q2",
        "subject": "summary",
        "text": "Words",
        "author": "A",
        "role": "B",
        "action": None,
    }
    nb = _notebook(
        (COMMENTARY_MIME, record),
        (COMMENTARY_MIME, record),
        (WARNING_MIME, {"message": "2 measures rated red with no officer commentary"}),
    )
    assert collect_commentary(nb) == [record]
    assert collect_warnings(nb) == ["2 measures rated red with no officer commentary"]
    for edition in ("reader", "audit"):
        body = render_body(nb, edition)
        assert "Words" not in body and "rated red" not in body


def _build(folder: Path, records: list[dict]) -> Path:
    folder.mkdir()
    write_commentary(records, folder / "commentary.json")
    return folder


def test_diff_names_added_removed_and_reworded(tmp_path: Path) -> None:
    def rec(subject: str, text: str) -> dict:
        return {
            "report": "performance",
            "period": "2024-25-Q2",
            "subject": subject,
            "text": text,
            "author": "A",
            "role": "B",
            "action": None,
        }

    a = _build(tmp_path / "a", [rec("summary", "Old words."), rec("ehcp_20wk_pct_ex", "Same.")])
    b = _build(tmp_path / "b", [rec("summary", "New words."), rec("area:2", "Added.")])
    changes = {(c.subject, c.change) for c in diff_commentary(a, b)}
    assert changes == {("summary", "changed"), ("area:2", "added"), ("ehcp_20wk_pct_ex", "removed")}
    text = format_commentary_diff(diff_commentary(a, b))
    assert "A: Old words." in text and "B: New words." in text
    assert json.loads((a / "commentary.json").read_text())[0]["subject"] == "ehcp_20wk_pct_ex"
