"""Every failure is one clear message with an exit code, and loses nothing published."""

from __future__ import annotations

import shutil

import pytest

from sendreport.cli import main
from tests.e2e.conftest import DEMO_PERIOD, assert_untouched, build_argv, run_build
from tests.handmade import PARAMS, write_notebook

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("e2e")]


def test_cell_that_raises(demo_build, published, tmp_path, capsys) -> None:
    out, folder, hashes = published
    notebooks = tmp_path / "nb"
    write_notebook(notebooks, "broken", "x = 1\nraise ValueError('the extract has no plans')")
    code = run_build(demo_build, out, "--notebooks", str(notebooks))
    err = capsys.readouterr().err
    assert code == 1
    assert "notebook broken failed in cell 2 (id 'work')" in err
    assert "failing line: raise ValueError('the extract has no plans')" in err
    assert "ValueError: the extract has no plans" in err
    kept = folder.with_name(DEMO_PERIOD + ".failed") / "audit" / "broken.ipynb"
    assert kept.is_file() and str(kept) in err
    assert "Traceback" not in err
    assert_untouched(folder, hashes)


def test_timeout_names_the_running_cell(demo_build, published, tmp_path, capsys) -> None:
    out, folder, hashes = published
    notebooks = tmp_path / "nb"
    write_notebook(notebooks, "slow", "import time\ntime.sleep(60)")
    code = run_build(demo_build, out, "--notebooks", str(notebooks), "--timeout", "2")
    err = capsys.readouterr().err
    assert code == 1
    assert "notebook slow failed in cell 2 (id 'work')" in err
    assert "still running after 2 s" in err
    assert "import time" in err
    assert_untouched(folder, hashes)


def test_dying_kernel_is_named(demo_build, published, tmp_path, capsys) -> None:
    out, folder, hashes = published
    notebooks = tmp_path / "nb"
    write_notebook(notebooks, "dies", "import os\nos._exit(1)")
    code = run_build(demo_build, out, "--notebooks", str(notebooks))
    err = capsys.readouterr().err
    assert code == 1
    assert "kernel died" in err.lower()
    assert_untouched(folder, hashes)


def test_wrongly_typed_parameter_fails_before_any_kernel(
    demo_build, published, tmp_path, capsys
) -> None:
    out, folder, hashes = published
    notebooks = tmp_path / "nb"
    write_notebook(notebooks, "typed", "pass", params=PARAMS.replace('la = "919"', "la = 919"))
    code = run_build(demo_build, out, "--notebooks", str(notebooks))
    err = capsys.readouterr().err
    assert code == 2
    assert "parameter 'la' must be int, got str '919'" in err
    assert not folder.with_name(DEMO_PERIOD + ".failed").exists()
    assert_untouched(folder, hashes)


def test_invalid_data_keeps_the_last_good_build(demo_build, published, tmp_path, capsys) -> None:
    out, folder, hashes = published
    data = tmp_path / "data"
    shutil.copytree(demo_build.data_dir, data)
    requests = data / "ehcp_requests.csv"
    lines = requests.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    # A plan issued before its request was received.
    row[header.index("received_date")] = "2024-03-01"
    row[header.index("request_outcome_date")] = ""
    lines[1] = ",".join(row)
    requests.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = main(build_argv(demo_build, out, data=data))
    err = capsys.readouterr().err
    assert code == 2
    assert "ehcp_requests" in err and "received_date" in err
    failed = folder.with_name(DEMO_PERIOD + ".failed") / "validation"
    assert failed.is_dir() and any(failed.iterdir())
    assert_untouched(folder, hashes)


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--period", "2023-Q4"], "is not a quarter code"),
        (["--period", "2019-20-Q1"], "outside the data"),
        # Requests reach back to 2019 but the month-end series start in April 2021.
        (["--period", "2020-21-Q1"], "quarters from 2021-22-Q1 to 2024-25-Q4"),
        (["--la", "999"], "unknown local authority code '999'"),
    ],
)
def test_bad_parameters_exit_2_with_what_is_accepted(demo_build, tmp_path, capsys, argv, words):
    code = main(["build", "--data", str(demo_build.data_dir), "--out", str(tmp_path), *argv])
    err = capsys.readouterr().err
    assert code == 2
    assert words in err and "accepted:" in err
    assert not any(tmp_path.rglob("*.ipynb")), "no notebook ran"
