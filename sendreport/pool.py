"""Worker processes for report tasks: warm, bound to their parent, failures as data.

Workers are forked so they inherit what the parent imported, warm up the renderers in
their initializer, and ask the kernel to end them when the parent dies (``kill -9`` of a
build leaves no worker behind). :func:`run_tasks` returns one
:class:`~sendreport.report.ReportOutcome` per task and stops scheduling at the first failed
one; the caller decides what a failure means.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from sendreport.exceptions import NotebookError
from sendreport.report import STABLE_ENV, ReportOutcome, ReportTask, run_report

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

Say = Callable[[str], None]


def die_with_parent(parent_pid: int) -> None:
    """Ask Linux to send this process SIGTERM when its parent dies (no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def stop_pool(pool: ProcessPoolExecutor, *, now: bool) -> None:
    """Shut the pool down; ``now`` (after a failure or an interruption) ends running
    tasks too instead of waiting for them (their kernels die with them)."""
    if not now:
        pool.shutdown(wait=True, cancel_futures=True)
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=10)


def warm_worker(parent_pid: int) -> None:
    """Pool initializer: die with the parent, then import papermill, nbconvert and
    WeasyPrint and compile the report templates once, before the first task arrives."""
    # A fork inherits the parent's SIGTERM handler (the build turns SIGTERM into Ctrl-C);
    # a worker must simply end on SIGTERM, as die_with_parent() and stop_pool() expect.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(parent_pid)
    os.environ.update(STABLE_ENV)
    import papermill  # noqa: F401
    import weasyprint  # noqa: F401
    from nbformat.v4 import new_notebook

    from sendreport.render import render_body

    for edition in ("reader", "audit"):
        render_body(new_notebook(), edition)


def start_pool(workers: int) -> ProcessPoolExecutor:
    """A forked pool of ``workers`` processes, started now so they warm up while the
    parent loads and validates the data."""
    import multiprocessing

    # fork: workers inherit what this process has imported; no thread has started yet.
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=warm_worker,
        initargs=(os.getpid(),),
    )
    pool.submit(os.getpid)  # forks the workers from this (main) thread
    return pool


def run_tasks(
    tasks: list[ReportTask], *, pool: ProcessPoolExecutor | None, say: Say
) -> list[ReportOutcome]:
    """Run report tasks in the pool (or here, without one); stop at the first failure."""
    if pool is None:
        outcomes = []
        for task in tasks:
            say(f"{task.period} {task.report}: executing and rendering")
            outcomes.append(run_report(task))
            if not outcomes[-1].ok:
                break
        return outcomes
    futures: dict[Future, ReportTask] = {pool.submit(run_report, task): task for task in tasks}
    say(f"running {len(tasks)} report notebook(s) in parallel")
    outcomes = _gather(futures, say)
    outcomes.sort(key=lambda o: (str(o.staging), o.report))
    return outcomes


def _gather(futures: dict[Future, ReportTask], say: Say) -> list[ReportOutcome]:
    outcomes: list[ReportOutcome] = []
    pending = set(futures)
    while pending:
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            outcome = _outcome(future, futures[future])
            outcomes.append(outcome)
            if not outcome.ok:
                for other in pending:
                    other.cancel()
                return outcomes
            say(f"{outcome.period} {outcome.report}: done")
    return outcomes


def _outcome(future: Future, task: ReportTask) -> ReportOutcome:
    """The task's outcome; a worker that died mid-task is a failure of that task."""
    try:
        return future.result()
    except BrokenProcessPool:
        error = NotebookError(
            task.report,
            cell_index=None,
            source_line=None,
            ename="WorkerDied",
            evalue="the worker process running it died (killed, or out of memory)",
        )
        return ReportOutcome(task.report, task.period, task.staging, error=error)
