"""A carriage return inside a CSV cell: refused by line and column when it would split the
row, read as text when the cell is quoted, and never confused with CR or CRLF line endings."""

from __future__ import annotations

from pathlib import Path

import pytest

from sendreport.exceptions import EXIT_INVALID, InputFileError
from sendreport.load import _lone_carriage_returns, load_inputs

TEXT = "We have started."


def _improvement_plan(data_dir: Path) -> tuple[Path, bytes]:
    path = data_dir / "improvement_plan.csv"
    raw = path.read_bytes()
    assert TEXT.encode() in raw
    return path, raw


def test_unquoted_carriage_return_names_line_and_column(data_dir: Path) -> None:
    path, raw = _improvement_plan(data_dir)
    line = raw[: raw.index(TEXT.encode())].count(b"\n") + 1
    path.write_bytes(raw.replace(TEXT.encode(), b"We have\rstarted.", 1))
    with pytest.raises(InputFileError) as info:
        load_inputs(data_dir, datasets=["improvement_plan"])
    err = info.value
    assert err.exit_code == EXIT_INVALID
    assert err.rule == "csv_line_break_in_cell"
    assert f"line {line}, column 'progress_update'" in str(err)
    assert "double quotes" in str(err) and "mixed" not in str(err)


def test_quoted_carriage_return_is_text(data_dir: Path) -> None:
    path, raw = _improvement_plan(data_dir)
    path.write_bytes(raw.replace(TEXT.encode(), b'"We have\rstarted."', 1))
    frame = load_inputs(data_dir, datasets=["improvement_plan"]).frames["improvement_plan"]
    assert "We have\rstarted." in frame["progress_update"].tolist()


@pytest.mark.parametrize("ending", [b"\r\n", b"\r"])
def test_crlf_and_old_mac_line_endings_are_read(data_dir: Path, ending: bytes) -> None:
    path, raw = _improvement_plan(data_dir)
    before = load_inputs(data_dir, datasets=["improvement_plan"]).frames["improvement_plan"]
    path.write_bytes(raw.replace(b"\n", ending))
    after = load_inputs(data_dir, datasets=["improvement_plan"]).frames["improvement_plan"]
    assert after.equals(before)


@pytest.mark.parametrize(
    ("text", "offsets"),
    [
        ("a,b\n1,2\n", []),
        ("a,b\r\n1,2\r\n", []),
        ("a,b\r1,2\r", []),  # CR line endings throughout
        ('a,b\n"x\ry",2\n', []),
        ('a,b\n"x""\ry",2\n', []),  # an escaped quote keeps the cell open
        ("a,b\nx\ry,2\n", [5]),
        ('a,b\n"q",x\ry\n', [9]),
    ],
)
def test_lone_carriage_returns_outside_quotes(text: str, offsets: list[int]) -> None:
    assert _lone_carriage_returns(text) == offsets
