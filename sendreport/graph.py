"""One LA's build as Dask tasks: prepare → one task per report notebook → publish.

:func:`submit_la` puts an LA's build on a Dask cluster as a small graph instead of one
opaque task, so a region's notebooks spread over every worker (a slow LA no longer holds
one worker while others idle at the end of a run):

- ``prepare-<la>``: plan (checks, build keys), load, validate, snapshot and benchmarks,
  and the staging folder of each period (:func:`sendreport.build.prepare_inputs`);
- ``report-<la>-<n>``: execute one notebook for one period and render its editions
  (:func:`sendreport.report.run_report`), on whichever worker is free;
- ``publish-<la>``: assemble figures, spreadsheet and manifest, then publish each period
  (:func:`sendreport.build.publish_period`), or keep every period as ``.failed``.

The stages are the single build's own, so an LA's outputs are the same bytes as
``sendreport build`` gives. Workers share the output folder (a shared filesystem on a real
cluster: docs/scaling.md).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sendreport.build import (
    BuildOptions,
    BuildPlan,
    PreparedInputs,
    all_report_tasks,
    check_notebook_parameters,
    finish_runs,
    plan,
    prepare_inputs,
    publish_period,
    stage_periods,
    writing_to,
)
from sendreport.many import LaOutcome, outcome_of_error
from sendreport.progress import Progress
from sendreport.publish import discard
from sendreport.report import STABLE_ENV, ReportOutcome, ReportTask, run_report


@dataclass(frozen=True)
class PreparedLa:
    """The prepare task's hand-off: the plan, the validated inputs and the staging folders
    (``prepared`` is None when every period is already up to date)."""

    plan: BuildPlan
    prepared: PreparedInputs | None
    stagings: dict[str, Path] = field(default_factory=dict)
    tasks: tuple[ReportTask, ...] = ()
    started_at: float = 0.0  # wall clock (time.time()): tasks run in other processes
    prepared_at: float = 0.0


def report_slots(options: BuildOptions, notebooks: int) -> int:
    """How many report tasks to submit before planning: one per period and notebook (a
    period found up to date leaves its slots empty)."""
    return len(options.periods) * notebooks


def prepare_la(options: BuildOptions) -> PreparedLa:
    """Task ``prepare-<la>``: plan, then load, validate and stage what is not up to date."""
    started_at = time.time()
    os.environ.update(STABLE_ENV)
    with writing_to(options.out_dir):
        the_plan = plan(options)
        if not the_plan.todo:
            return PreparedLa(the_plan, None, started_at=started_at)
        check_notebook_parameters(the_plan)
        prepared = prepare_inputs(the_plan, Progress(quiet=True))
        stagings = stage_periods(the_plan, prepared)
    tasks = tuple(all_report_tasks(the_plan, prepared, stagings))
    return PreparedLa(the_plan, prepared, stagings, tasks, started_at, time.time())


def run_la_report(prepared_la: PreparedLa, slot: int) -> ReportOutcome | None:
    """Task ``report-<la>-<slot>``: the slot's notebook, or None for an empty slot."""
    if slot >= len(prepared_la.tasks):
        return None
    os.environ.update(STABLE_ENV)
    return run_report(prepared_la.tasks[slot])


def publish_la(prepared_la: PreparedLa, *outcomes: ReportOutcome | None) -> LaOutcome:
    """Task ``publish-<la>``: publish every period, or keep them all as ``.failed`` when a
    report failed; the LA's outcome either way."""
    options = prepared_la.plan.options
    started = time.perf_counter() - (time.time() - prepared_la.started_at)
    done = [r.folder for r in prepared_la.plan.up_to_date]
    if prepared_la.prepared is None:
        return la_outcome(options.la, prepared_la.started_at, done)
    ran = [o for o in outcomes if o is not None]
    seconds = time.time() - prepared_la.prepared_at  # the reports' wall time, all workers
    quiet = Progress(quiet=True)
    try:
        with writing_to(options.out_dir):
            runs = finish_runs(prepared_la.plan, prepared_la.stagings, ran, seconds, quiet)
            built = [
                publish_period(prepared_la.plan, prepared_la.prepared, run, started, quiet)
                for run in runs
            ]
    except Exception as err:  # the LA's failure is its outcome, as for a single build
        return outcome_of_error(options.la, err, time.time() - prepared_la.started_at)
    return la_outcome(options.la, prepared_la.started_at, [*done, *(b.folder for b in built)])


def la_outcome(la: str, started_at: float, folders: list[Path]) -> LaOutcome:
    from sendreport.distributed import peak_rss_mb

    return LaOutcome(
        la,
        "ok",
        seconds=time.time() - started_at,
        folders=tuple(sorted(str(f) for f in folders)),
        peak_rss_mb=peak_rss_mb(),
    )


def discard_stagings(prepared_la: PreparedLa) -> None:
    """After a lost report task (a worker died): remove the LA's staging folders."""
    for staging in prepared_la.stagings.values():
        discard(staging)


@dataclass(frozen=True)
class LaFutures:
    """The futures of one LA's graph: ``publish`` is its outcome."""

    la: str
    prepare: Any
    publish: Any


def submit_la(client: Any, options: BuildOptions, notebooks: int) -> LaFutures:
    """Submit one LA's graph (prepare → reports → publish) to ``client``."""
    la = options.la
    prepare = client.submit(prepare_la, options, key=f"prepare-{la}", pure=False)
    reports = [
        client.submit(run_la_report, prepare, slot, key=f"report-{la}-{slot}", pure=False)
        for slot in range(report_slots(options, notebooks))
    ]
    publish = client.submit(publish_la, prepare, *reports, key=f"publish-{la}", pure=False)
    return LaFutures(la, prepare, publish)


def outcome_of(client: Any, futures: LaFutures) -> LaOutcome:
    """The LA's outcome from its finished graph; a task that raised (bad data in prepare, a
    worker that died) is the LA's failure, and its staging folders are removed."""
    try:
        return futures.publish.result()
    except Exception as err:
        if futures.prepare.status == "finished":
            client.submit(discard_stagings, futures.prepare, pure=False).result()
        return outcome_of_error(futures.la, err)
