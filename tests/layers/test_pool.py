"""The worker pool: failures come back as data naming the notebook and cell; workers end
with their parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sendreport.exceptions import NotebookError
from sendreport.pool import run_tasks, start_pool
from tests.layers.test_notebook import tiny_task

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow  # runs kernels
def test_pooled_failure_names_the_notebook_and_cell(tmp_path: Path) -> None:
    broken = tiny_task(tmp_path / "a", "x = 1", "raise KeyError('ehcp_requests')")
    fine = tiny_task(tmp_path / "b", "y = 2")
    pool = start_pool(2)
    try:
        outcomes = run_tasks([broken, fine], pool=pool, say=lambda _: None)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    failed = [o for o in outcomes if not o.ok]
    assert len(failed) == 1
    err = failed[0].error
    assert isinstance(err, NotebookError)
    assert (err.notebook, err.cell_id, err.ename) == ("tiny", "work2", "KeyError")


WATCHED = """
import os, sys, time
from sendreport.pool import start_pool
pool = start_pool(2)
pids = [p for p in pool._processes]
print(" ".join(map(str, pids)), flush=True)
time.sleep(60)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_workers_die_with_their_parent() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", WATCHED], stdout=subprocess.PIPE, text=True, cwd=REPO
    )
    try:
        pids = [int(p) for p in parent.stdout.readline().split()]
        assert len(pids) == 2
        time.sleep(0.5)  # the initializer has run (prctl is its first step)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(_alive(pid) for pid in pids):
            time.sleep(0.2)
        assert not any(_alive(pid) for pid in pids), "a worker outlived its parent"
    finally:
        if parent.poll() is None:
            parent.kill()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A dead child of a dead parent may linger as a zombie until init reaps it.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return False
    return state != "Z"
