"""Many-council builds on Dask: each LA a small task graph, on a local cluster or an existing one.

``sendreport build --la E12000006`` (a comma list, a region or ``all``) submits each LA's
build as a graph of tasks (:mod:`sendreport.graph`: prepare → one task per report notebook
→ publish) to a Dask cluster: a :class:`distributed.LocalCluster` of ``--jobs``
single-threaded worker processes by default, or the cluster whose scheduler ``--scheduler
tcp://HOST:PORT`` names. The tasks are the single build's own stages, so an LA's outputs are
the same bytes whichever cluster ran them. Workers need only the package, read access to
the data and write access to the output folder (docs/scaling.md).

One LA's bad data or failed notebook does not stop the others: its error becomes its row
in the summary (LA, status, exit reason), written to ``<out>/run.json``; the run exits 2 if
any LA had bad input or parameters, else 1 if any failed, else 0.

Workers are warmed once (papermill, nbconvert, WeasyPrint, Great Expectations and pandas
imported, report templates compiled, a kernel fork server started) and reused for every
LA they build.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sendreport.build import BuildOptions
from sendreport.exceptions import ParameterError
from sendreport.many import LaOutcome, run_exit_code
from sendreport.progress import Progress

RUN_FILE = "run.json"
# A local cluster runs nothing but sendreport's tasks, with no dashboard: its housekeeping
# need not wake every process 10-50 times a second. Dask's statistical profiler (a thread
# walking every task's stack 100 times a second) is off; the event-loop health tick, the
# system monitor and the memory monitor run at 1-5 s instead of 20-500 ms. Together they
# cost an idle 2-worker cluster 3.1 CPU-s every 30 s before, 0.5 after (on 2 cores).
LOCAL_CLUSTER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
}


@dataclass(frozen=True)
class ManyOptions:
    """A many-LA build: ``template`` holds everything but the LA and its data folder."""

    template: BuildOptions
    las: tuple[str, ...]
    data_root: Path
    jobs: int = 2
    scheduler: str | None = None


@dataclass(frozen=True)
class RunSummary:
    outcomes: tuple[LaOutcome, ...]
    seconds: float
    workers: int
    scheduler: str
    periods: tuple[str, ...] = ()

    @property
    def exit_code(self) -> int:
        return run_exit_code(self.outcomes)

    def to_json(self) -> dict[str, Any]:
        return {
            "exit_code": self.exit_code,
            "las": [o.to_json() for o in self.outcomes],
            "ok": sum(o.status == "ok" for o in self.outcomes),
            "failed": sum(o.status != "ok" for o in self.outcomes),
            "periods": list(self.periods),
            "seconds": round(self.seconds, 3),
            "workers": self.workers,
            "scheduler": self.scheduler,
        }


def la_options(many: ManyOptions, la: str) -> BuildOptions:
    """One LA's build: its data in ``<data_root>/<la>``, notebooks one at a time (the
    cluster's workers are the parallelism)."""
    return replace(many.template, la=la, data_dir=many.data_root / la, jobs=1)


def peak_rss_mb() -> float:
    """Peak resident memory so far of this worker process, in MB (Linux reports kB).

    Notebook kernels are separate processes: their peak is not included (a forked child's
    ``ru_maxrss`` counts the parent's pages until it execs, so it cannot be read here)."""
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def warm_worker() -> str:
    """Import once per worker what every LA's build needs, before the first LA arrives:
    papermill, WeasyPrint, Great Expectations, the loaders, the compiled report templates."""
    from sendreport.imports import skip_unused_imports

    skip_unused_imports()  # before GX and papermill import jsonschema
    import great_expectations  # noqa: F401
    import papermill  # noqa: F401
    import weasyprint  # noqa: F401
    from nbformat.v4 import new_notebook

    import sendreport.load
    import sendreport.validate  # noqa: F401
    from sendreport.build import STABLE_ENV
    from sendreport.forkserver import serve_this_process
    from sendreport.render import render_body

    os.environ.update(STABLE_ENV)
    serve_this_process(STABLE_ENV)  # kernels forked warm for every LA this worker builds
    for edition in ("reader", "audit"):  # compiles and caches the report templates
        render_body(new_notebook(), edition)
    return str(os.getpid())


@contextmanager
def open_client(jobs: int, scheduler: str | None):
    """A Dask client on a new local cluster of ``jobs`` workers, or on ``scheduler``."""
    import dask
    from distributed import Client, LocalCluster

    from sendreport.forkserver import serving_kernels
    from sendreport.report import STABLE_ENV

    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except OSError as err:
            raise ParameterError(
                f"cannot reach the Dask scheduler at {scheduler} ({err})",
                accepted="tcp://HOST:PORT of a running `dask scheduler`",
                parameter="scheduler",
            ) from None
        with client:
            yield client
        return
    # One kernel fork server for every local worker (its imports paid once, not per
    # worker): spawned workers inherit its socket through the environment.
    with serving_kernels(STABLE_ENV), dask.config.set(LOCAL_CLUSTER_CONFIG):
        cluster = LocalCluster(
            n_workers=jobs,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        with cluster, Client(cluster) as client:
            yield client


def build_many(
    many: ManyOptions, progress: Progress | None = None, *, say: Callable[[str], None] | None = None
) -> RunSummary:
    """Build every LA of ``many`` on Dask; write ``<out>/run.json``; never raises for one
    LA's failure."""
    from sendreport.build import check_data_dir, report_notebooks

    progress = progress or Progress(quiet=True)
    started = time.perf_counter()
    out_dir = many.template.out_dir
    # Mistakes every LA would share fail once, before a cluster starts.
    check_data_dir(many.data_root)
    notebooks = len(report_notebooks(many.template.reports, many.template.notebooks_dir))
    with open_client(many.jobs, many.scheduler) as client:
        workers = len(client.scheduler_info().get("workers", {})) or many.jobs
        progress.say(f"building {len(many.las)} LAs on {workers} Dask worker(s)")
        client.run(warm_worker)
        outcomes = _gather(client, many, notebooks, progress)
    summary = RunSummary(
        tuple(sorted(outcomes, key=lambda o: o.la)),
        time.perf_counter() - started,
        workers,
        many.scheduler or "local",
        tuple(p.label for p in many.template.periods),
    )
    write_run(out_dir, summary, many)
    write_national_index(many, summary, progress)
    return summary


def write_national_index(many: ManyOptions, summary: RunSummary, progress: Progress) -> None:
    """``<out>/index.html`` and ``index.json`` over every council built for the last period."""
    from sendreport.national_index import build_index, load_dfe_table, write_index

    period = many.template.periods[-1].label
    table = load_dfe_table(many.template.dfe_dir)
    index = build_index(many.template.out_dir, period, summary.outcomes, table)
    path = write_index(many.template.out_dir, index)
    progress.say(f"national index of {len(index['councils'])} councils: {path}")


def _gather(client: Any, many: ManyOptions, notebooks: int, progress: Progress) -> list[LaOutcome]:
    from distributed import as_completed

    from sendreport.graph import outcome_of, submit_la

    graphs = {}
    for la in many.las:
        futures = submit_la(client, la_options(many, la), notebooks)
        graphs[futures.publish] = futures
    started = time.perf_counter()
    outcomes: list[LaOutcome] = []
    for future in as_completed(graphs):
        outcome = outcome_of(client, graphs[future])
        outcomes.append(outcome)
        progress.say(eta_line(len(outcomes), len(graphs), time.perf_counter() - started, outcome))
    return outcomes


def eta_line(done: int, total: int, elapsed: float, outcome: LaOutcome) -> str:
    """``LAs 3/11 done (919 ok), about 1m20s left``: the mean time per LA so far."""
    left = elapsed / done * (total - done) if done else 0.0
    minutes, seconds = divmod(round(left), 60)
    eta = f"about {minutes}m{seconds:02d}s left" if done < total else "all done"
    return f"LAs {done}/{total} done ({outcome.la} {outcome.status}), {eta}"


def write_run(out_dir: Path, summary: RunSummary, many: ManyOptions) -> Path:
    """``<out>/run.json``: one row per LA (status, exit code, reason, folders) and the run."""
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = summary.to_json()
    payload["data_root"] = str(many.data_root.resolve())
    target = out_dir / RUN_FILE
    tmp = target.with_name(f".{RUN_FILE}.{os.getpid()}")
    tmp.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, target)
    return target
