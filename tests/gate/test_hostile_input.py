"""Hostile input at the gate: no markup in Data Docs, no file read through a link, no
system folder written, no control character printed raw, no predictable log file."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest

from sendreport.cli import main
from sendreport.contract import REQUIRED_DATASETS
from sendreport.exceptions import EXIT_INVALID, InputFileError
from sendreport.load import load_inputs
from sendreport.safepaths import system_folder, write_error_log
from sendreport.validate import escape_text_cells
from tests.conftest import GREAT_EXPECTATIONS
from tests.gate.conftest import LA, SCRIPT, BrokenSet

# Validating tests share one test process (make test-fast: Great Expectations imported once).
pytestmark = GREAT_EXPECTATIONS


def test_data_docs_show_failing_values_as_text(broken_set: BrokenSet) -> None:
    # A status holding markup, among the shared validation's faults (tests/gate/conftest.py).
    (problem,) = broken_set.naming("markup_in_a_failing_value")
    # The message shows the value as it is in the file (never HTML-escaped) …
    assert problem.samples[0]["status"] == SCRIPT
    pages = list((broken_set.results_dir / "data_docs").rglob("*.html"))
    assert pages
    text = "".join(p.read_text(encoding="utf-8") for p in pages)
    # … and the Data Docs pages show it as text: escaped, never live.
    assert "<script>alert(" not in text and "<img src=x" not in text
    assert "&lt;script&gt;alert(" in text
    # … and opening them fetches nothing: no CDN, no remote logo, a policy forbidding it.
    assert not re.search(r"""(src|href|action)=["']?(https?:)?//""", text.replace("<a href", ""))
    assert text.count("Content-Security-Policy") == len(pages)


def test_escaped_copy_keeps_types_and_which_rows_fail() -> None:
    import pandas as pd

    frame = pd.DataFrame(
        {
            "<b>col</b>": pd.array(["a&b", None, "<i>"], dtype="string"),
            "n": pd.array([1, None, 3], dtype="Int64"),
            "o": ["x<", 2, None],
        }
    )
    out = escape_text_cells(frame)
    assert list(out.columns) == ["&lt;b&gt;col&lt;/b&gt;", "n", "o"]
    assert out.dtypes.tolist() == frame.dtypes.tolist()
    assert out.iloc[:, 0].tolist() == ["a&amp;b", pd.NA, "&lt;i&gt;"]
    assert out["o"].tolist() == ["x&lt;", 2, None]
    assert out["n"].equals(frame["n"])


def test_dataset_linking_out_of_the_data_folder_is_refused(data_dir: Path, tmp_path) -> None:
    outside = tmp_path / "elsewhere" / "targets.csv"
    outside.parent.mkdir()
    (data_dir / "targets.csv").rename(outside)
    (data_dir / "targets.csv").symlink_to(outside)
    with pytest.raises(InputFileError) as info:
        load_inputs(data_dir)
    assert info.value.exit_code == EXIT_INVALID
    assert info.value.rule == "file_inside_data_folder"
    assert "link to a file outside the data folder" in str(info.value)


def test_link_inside_the_data_folder_is_read(data_dir: Path) -> None:
    (data_dir / "targets.csv").rename(data_dir / "targets-2024.csv")
    (data_dir / "targets.csv").symlink_to(data_dir / "targets-2024.csv")
    assert len(load_inputs(data_dir, datasets=["targets"]).frames["targets"]) == 1


@pytest.mark.parametrize("folder", ["/", "/etc", "/usr/local/share", "/tmp", "/home", "~"])
def test_system_folders_are_refused_as_out(folder: str, tmp_path: Path, capsys) -> None:
    out = Path(os.path.expanduser(folder))
    assert system_folder(out) is not None
    code = main(["demo-data", "--la", LA, "--out", str(out)])
    assert code == EXIT_INVALID
    assert "system folder" in capsys.readouterr().err


def test_system_folder_as_site_is_refused(tmp_path: Path, capsys) -> None:
    code = main(["publish", str(tmp_path), "--site", "/"])
    assert code == EXIT_INVALID
    assert "--site / is the system folder /" in capsys.readouterr().err


def test_ordinary_folders_are_allowed(tmp_path: Path) -> None:
    for folder in (tmp_path, tmp_path / "new" / "out", Path("outputs"), Path("/tmp/x/out")):
        assert system_folder(folder) is None


def test_control_characters_in_data_are_never_printed_raw(
    data_dir: Path, edit_rows, capsys
) -> None:
    evil = "on_track\x1b[2J\x1b]0;pwned\x07\u202e"
    edit_rows("improvement_plan", lambda rows: rows[0].update(status=evil))
    # The required datasets and the one with the bad row (Great Expectations costs ~0.2
    # CPU-s a dataset): the message is the subject, not the other datasets.
    for path in data_dir.iterdir():
        if path.stem not in (*REQUIRED_DATASETS, "improvement_plan"):
            path.unlink()
    code = main(["validate", "--data", str(data_dir), "--la", LA])
    err = capsys.readouterr().err
    assert code == EXIT_INVALID
    assert "\x1b" not in err and "\x07" not in err and "\r" not in err and "\u202e" not in err
    assert "\\x1b[2J" in err


def test_internal_error_log_is_private_and_unpredictable(monkeypatch, capsys) -> None:
    import sendreport.cli as cli

    def boom(_args):
        raise RuntimeError("kaboom\x1b[31m")

    monkeypatch.setitem(cli.COMMANDS, "las", boom)
    assert main(["las"]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err
    log = Path(err.split("traceback saved to ")[1].split(";")[0])
    assert log.name != "sendreport-internal-error.log" and log.is_file()
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert "kaboom" in log.read_text()
    log.unlink()
    other = write_error_log("x")
    assert other != log
    other.unlink()
