"""The quarterly build: load → validate → compute (notebooks) → render → publish.

Cheap checks come first and need no pandas, Great Expectations or kernel: the period, the
LA, the data folder, the notebooks' declared parameters and whether the build is already
up to date. Then the inputs are loaded and validated once, written as a Parquet snapshot
that every notebook reads, and the notebooks run in parallel (one task per notebook and
period). Each period's folder is assembled in staging and published atomically.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sendreport import manifest as mf
from sendreport import reference
from sendreport.assemble import Carried, carry_over
from sendreport.exceptions import InputFileError, NotebookError, ParameterError, SendReportError
from sendreport.figures import Figure, dedupe_figures, write_figures
from sendreport.fingerprint import fingerprint, input_digests
from sendreport.forkserver import serving_kernels
from sendreport.parameters import check_parameters
from sendreport.periods import Period
from sendreport.pool import run_tasks, start_pool, stop_pool
from sendreport.progress import Progress
from sendreport.publish import (
    discard,
    failed_path,
    keep_failed,
    make_staging,
    output_error,
    publish_folder,
)
from sendreport.report import STABLE_ENV, ReportOutcome, ReportTask
from sendreport.resources import expectations_dir, notebooks_dir

EDITIONS = ("reader", "audit")
FORMATS = ("html", "pdf", "docx")


@dataclass(frozen=True)
class BuildOptions:
    periods: tuple[Period, ...]
    la: str
    data_dir: Path
    out_dir: Path
    editions: tuple[str, ...] = EDITIONS
    formats: tuple[str, ...] = FORMATS
    dfe_dir: Path | None = None
    force: bool = False
    jobs: int = 2
    timeout_s: int = 600
    reports: tuple[str, ...] | None = None
    notebooks_dir: Path | None = None  # default: the package's notebooks/
    keep_inputs: bool = False  # copy the validated Parquet snapshot into <build>/inputs/
    data_end: date | None = None  # the end of the data as stated (--data-end); None: derived


@dataclass
class BuildResult:
    period: str
    folder: Path
    status: str  # "built" | "up to date"
    figures: int = 0
    seconds: float = 0.0
    timings: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "folder": str(self.folder),
            "status": self.status,
            "figures": self.figures,
            "seconds": round(self.seconds, 3),
        }


def report_notebooks(
    selected: Sequence[str] | None = None, folder: Path | None = None
) -> dict[str, Path]:
    folder = folder or notebooks_dir()
    found = {p.stem: p for p in sorted(folder.glob("*.ipynb"))}
    if not found:
        raise ParameterError(
            f"no report notebooks (*.ipynb) found in {folder}", parameter="notebooks"
        )
    if selected:
        unknown = [r for r in selected if r not in found]
        if unknown:
            raise ParameterError(
                f"unknown report {', '.join(unknown)}",
                accepted=", ".join(found),
                parameter="report",
            )
        return {r: found[r] for r in selected}
    return found


def notebook_title(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return nb.get("metadata", {}).get("sendreport", {}).get("title", path.stem.capitalize())


def check_la(la: str) -> None:
    if not reference.is_known_la(la):
        raise ParameterError(
            f"unknown local authority {la!r}",
            accepted="a 3-digit DfE LA number, e.g. 919 (Hertfordshire) or 884 (Herefordshire); "
            "`sendreport las` lists them all",
            parameter="la",
        )


def check_data_dir(data_dir: Path) -> None:
    if not data_dir.is_dir():
        raise InputFileError(
            f"data folder {data_dir} does not exist",
            path=str(data_dir),
            hint="pass --data with the folder holding the datasets (see docs/data.md), or run "
            "`sendreport demo-data --out DIR` to make a demo set",
        )


def final_folder(out_dir: Path, la: str, period: Period) -> Path:
    return out_dir / la / period.label


def plan_build(options: BuildOptions) -> tuple[dict[str, Path], dict[str, Any], dict[str, Any]]:
    """Cheap checks and the digests that decide whether a build is up to date."""
    check_la(options.la)
    check_data_dir(options.data_dir)
    notebooks = report_notebooks(options.reports, options.notebooks_dir)
    code = mf.code_digest(options.notebooks_dir or notebooks_dir(), expectations_dir())
    inputs = mf.input_files(options.data_dir)
    if not inputs:
        raise InputFileError(
            f"data folder {options.data_dir} is empty",
            path=str(options.data_dir),
            hint="run `sendreport demo-data --out DIR` for a demo set, or see docs/data.md",
        )
    if options.dfe_dir:
        code = {**code, "dfe": mf.digest_files(_dfe_files(options.dfe_dir), options.dfe_dir)}
    # mapping.py imports pandas: an unmapped folder's up-to-date check must not pay for it.
    if (options.data_dir / "mapping.toml").is_file() and _reads_database(options.data_dir):
        # A warehouse changes with no file changing: such a build is never "up to date".
        code = {**code, "database": os.urandom(16).hex()}
    return notebooks, code, inputs


def _reads_database(data_dir: Path) -> bool:
    from sendreport.mapping import database_datasets

    return bool(database_datasets(data_dir))


def _dfe_files(dfe_dir: Path) -> list[Path]:
    return [p for p in dfe_dir.rglob("*") if p.is_file()]


def period_parameters(
    options: BuildOptions, period: Period, reports: Sequence[str]
) -> dict[str, Any]:
    """What the build key covers besides inputs and code: everything that shapes outputs."""
    return {
        "period": period.label,
        "la": options.la,
        "editions": list(options.editions),
        "formats": list(options.formats),
        "reports": sorted(reports),
        # Only when set, so the keys of builds without these options stay as they were.
        **({"keep_inputs": True} if options.keep_inputs else {}),
        **({"data_end": options.data_end.isoformat()} if options.data_end else {}),
    }


KEPT_INPUTS = "inputs"


def kept_inputs_record(staging: Path) -> dict[str, Any]:
    """``kept_inputs`` for the manifest: each kept Parquet file's size and SHA-256."""
    kept = staging / KEPT_INPUTS
    return {"kept_inputs": mf.input_files(kept)} if kept.is_dir() else {}


def is_up_to_date(folder: Path, key: str) -> bool:
    """Built with this key, and every output still on disk exactly as recorded."""
    recorded = mf.read_manifest(folder)
    if not recorded or recorded.get("build_key") != key:
        return False
    return not mf.check_outputs(folder, recorded)


@dataclass(frozen=True)
class BuildPlan:
    """Stage 1, plan: what to build, decided by cheap checks (no pandas, no kernel)."""

    options: BuildOptions
    notebooks: dict[str, Path]
    code: dict[str, Any]
    inputs: dict[str, dict[str, Any]]
    keys: dict[str, str]
    todo: tuple[Period, ...]
    up_to_date: tuple[BuildResult, ...]

    def final(self, period: Period) -> Path:
        return final_folder(self.options.out_dir, self.options.la, period)


@dataclass(frozen=True)
class PeriodRun:
    """Stage 3's hand-off for one period: its staging folder and its reports' outcomes."""

    period: Period
    staging: Path
    outcomes: list[ReportOutcome]
    seconds: float


@dataclass(frozen=True)
class PreparedInputs:
    """Stage 2, prepare inputs: validated data as a snapshot every notebook reads."""

    data_end: date
    validation: dict[str, Any]
    snapshot: Path
    benchmarks: Path
    rows_by_file: dict[str, int]
    timings: dict[str, float]
    profile: Any  # the council's profile (sendreport.profile), named for the build's LA
    absent: tuple[str, ...] = ()  # optional datasets the data folder does not hold


def plan(options: BuildOptions) -> BuildPlan:
    """Check the parameters and decide which periods need building."""
    notebooks, code, inputs = plan_build(options)
    keys = {
        p.label: mf.build_key(inputs, period_parameters(options, p, list(notebooks)), code)
        for p in options.periods
    }
    finals = {p.label: final_folder(options.out_dir, options.la, p) for p in options.periods}
    todo = tuple(
        p
        for p in options.periods
        if options.force or not is_up_to_date(finals[p.label], keys[p.label])
    )
    done = tuple(
        BuildResult(p.label, finals[p.label], "up to date")
        for p in options.periods
        if p not in todo
    )
    return BuildPlan(options, notebooks, code, inputs, keys, todo, done)


def build(options: BuildOptions, progress: Progress | None = None) -> list[BuildResult]:
    """Build every period of ``options`` that is not up to date; one LA, one call."""
    progress = progress or Progress(quiet=True)
    started = time.perf_counter()
    the_plan = plan(options)
    for r in the_plan.up_to_date:
        progress.say(f"{r.period}: up to date ({r.folder})")
    if not the_plan.todo:
        return list(the_plan.up_to_date)
    check_notebook_parameters(the_plan)
    os.environ.update(STABLE_ENV)
    workers = min(options.jobs, len(the_plan.todo) * len(the_plan.notebooks))
    # The kernel fork server, then the workers, start now: they import while this process
    # loads and validates the data.
    with interrupt_on_sigterm(), writing_to(options.out_dir), serving_kernels(STABLE_ENV):
        pool = start_pool(workers) if workers > 1 else None
        try:
            prepared = prepare_inputs(the_plan, progress)
            runs = run_reports(the_plan, prepared, pool, progress)
        except BaseException:
            if pool is not None:
                stop_pool(pool, now=True)  # a failure or ^C ends the other notebooks too
            raise
        if pool is not None:
            stop_pool(pool, now=False)
        built = [publish_period(the_plan, prepared, run, started, progress) for run in runs]
    order = {p.label: i for i, p in enumerate(options.periods)}
    return sorted([*the_plan.up_to_date, *built], key=lambda r: order[r.period])


def check_notebook_parameters(the_plan: BuildPlan) -> None:
    """Refuse, before any kernel starts, a notebook whose parameters the build cannot fill."""
    base = {"period": the_plan.todo[0].label, "la": the_plan.options.la}
    for path in the_plan.notebooks.values():
        check_parameters(path, {**base, "data_dir": "", "benchmarks_path": ""})


@contextmanager
def interrupt_on_sigterm() -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C while building, so staging folders and workers are
    cleaned up and nothing half-built is published."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def writing_to(out_dir: Path) -> Iterator[None]:
    """A folder that cannot be written (read-only, full) is a message, not a traceback."""
    try:
        yield
    except OSError as err:
        clear = output_error(err, out_dir)
        if clear is None:
            raise
        raise clear from None


def prepare_inputs(the_plan: BuildPlan, progress: Progress) -> PreparedInputs:
    """Stage 2: load, validate (or reuse a passing validation), snapshot, benchmarks."""
    from sendreport.load import load_inputs

    options = the_plan.options
    timings: dict[str, float] = {}
    stage = time.perf_counter()
    progress.say(f"loading inputs from {options.data_dir}")
    # The plan hashed every input file already: its digests key the validation and the
    # snapshot, and loading takes them instead of hashing the files again.
    loaded = load_inputs(options.data_dir, digests=input_digests(the_plan.inputs))
    for warning in loaded.warnings:
        progress.warn(warning)
    data_start, data_end = data_range(loaded.frames, options.data_end)
    basis = data_end_basis(options.data_end)
    check_periods_in_data(the_plan.todo, data_start, data_end, options.data_dir, basis)
    timings["load_s"] = time.perf_counter() - stage

    stage = time.perf_counter()
    key = validation_key(the_plan.inputs, the_plan.code, options, data_end)
    first_final = the_plan.final(the_plan.todo[0])
    validation = _validate(loaded, options, data_end, first_final, key, progress)
    timings["validate_s"] = time.perf_counter() - stage

    stage = time.perf_counter()
    cache = options.out_dir / ".cache"
    snapshot = write_snapshot_cached(loaded, the_plan.inputs, cache)
    benchmarks = write_benchmarks_cached(
        options.dfe_dir, the_plan.code.get("dfe", "published"), cache
    )
    timings["snapshot_s"] = time.perf_counter() - stage
    rows_by_file = {Path(info.path).name: info.rows for info in loaded.files.values()}
    profile = loaded.profile.named_for(options.la)
    return PreparedInputs(
        data_end,
        validation,
        snapshot,
        benchmarks,
        rows_by_file,
        timings,
        profile,
        tuple(loaded.absent),
    )


def report_tasks(
    the_plan: BuildPlan, prepared: PreparedInputs, period: Period, staging: Path
) -> list[ReportTask]:
    """One picklable task per notebook for ``period``, writing into ``staging``."""
    from sendreport.fragments import day_words  # pandas: not for the up-to-date check

    options = the_plan.options
    common = {
        "staging": staging,
        "editions": options.editions,
        "formats": options.formats,
        "timeout_s": options.timeout_s,
        "la_name": prepared.profile.name,
        "demo": prepared.profile.demo,
        "period_text": period.describe(),
        "data_as_at": day_words(prepared.data_end),
        "validation": prepared.validation,
    }
    parameters = {
        "period": period.label,
        "la": options.la,
        "data_dir": str(prepared.snapshot),
        "benchmarks_path": str(prepared.benchmarks),
    }
    return [
        ReportTask(
            report=report,
            notebook=path,
            parameters=parameters | data_end_parameter(path, prepared.data_end),
            title=notebook_title(path),
            **common,
        )
        for report, path in the_plan.notebooks.items()
    ]


def stage_periods(the_plan: BuildPlan, prepared: PreparedInputs) -> dict[str, Path]:
    """A staging folder per period to build, holding the validation summary (and the
    inputs, with ``--keep-inputs``); the reports write into it next."""
    stagings = {p.label: make_staging(the_plan.final(p)) for p in the_plan.todo}
    for staging in stagings.values():
        (staging / "validation").mkdir()
        if the_plan.options.keep_inputs:
            shutil.copytree(prepared.snapshot, staging / KEPT_INPUTS)
        (staging / "validation" / "summary.json").write_text(
            json.dumps(prepared.validation, indent=2, sort_keys=True) + "\n"
        )
    return stagings


def all_report_tasks(
    the_plan: BuildPlan, prepared: PreparedInputs, stagings: dict[str, Path]
) -> list[ReportTask]:
    """Every period's report tasks, in period order then notebook order."""
    return [
        task
        for period in the_plan.todo
        for task in report_tasks(the_plan, prepared, period, stagings[period.label])
    ]


def finish_runs(
    the_plan: BuildPlan,
    stagings: dict[str, Path],
    outcomes: list[ReportOutcome],
    seconds: float,
    progress: Progress,
) -> list[PeriodRun]:
    """Stage 3's hand-off: one :class:`PeriodRun` per period, or (a report failed) every
    staging folder kept as ``<period>.failed`` and the failure raised."""
    failed = next((o for o in outcomes if not o.ok), None)
    if failed is not None:
        raise keep_failed_periods(the_plan, stagings, failed, progress)
    return [
        PeriodRun(p, stagings[p.label], [o for o in outcomes if o.period == p.label], seconds)
        for p in the_plan.todo
    ]


def data_end_parameter(notebook: Path, data_end: date) -> dict[str, str]:
    """``{"data_end": ISO date}`` for a notebook that declares the parameter (the shipped
    ones do), so its words say the same "data as at" day as the page header; nothing for an
    older notebook without it."""
    from sendreport.parameters import read_parameters

    return {"data_end": data_end.isoformat()} if "data_end" in read_parameters(notebook) else {}


def run_reports(
    the_plan: BuildPlan,
    prepared: PreparedInputs,
    pool: ProcessPoolExecutor | None,
    progress: Progress,
) -> list[PeriodRun]:
    """Stage 3: run every report of every period in staging folders.

    A failed report keeps every period's staging folder as ``<period>.failed`` and raises its
    error here, in the parent process; an interruption removes the staging folders.
    """
    stagings = stage_periods(the_plan, prepared)
    tasks = all_report_tasks(the_plan, prepared, stagings)
    stage = time.perf_counter()
    try:
        outcomes = run_tasks(tasks, pool=pool, say=progress.say)
    except BaseException:  # interrupted: stop the workers before removing their folders
        if pool is not None:
            stop_pool(pool, now=True)
        for staging in stagings.values():
            discard(staging)
        raise
    return finish_runs(the_plan, stagings, outcomes, time.perf_counter() - stage, progress)


def keep_failed_periods(
    the_plan: BuildPlan, stagings: dict[str, Path], failed: ReportOutcome, progress: Progress
) -> SendReportError:
    """Move every period's staging folder to ``<period>.failed``; return the error to raise,
    pointing at where the partial notebook now lives."""
    err = failed.error
    assert err is not None
    for period in the_plan.todo:
        staging = stagings[period.label]
        kept = keep_failed(staging, the_plan.final(period))
        kept_at = getattr(err, "kept_at", None)
        if isinstance(err, NotebookError) and kept_at and kept_at.startswith(str(staging)):
            err.kept_at = str(kept) + kept_at[len(str(staging)) :]
        progress.say(f"{period.label}: build failed; partial results kept in {kept}")
    return err


def publish_period(
    the_plan: BuildPlan,
    prepared: PreparedInputs,
    run: PeriodRun,
    started: float,
    progress: Progress,
) -> BuildResult:
    """Stages 4 and 5: assemble figures and manifest in staging, then publish it.

    Reports published earlier but not built now (a ``--report`` rebuild) are carried over
    from the published folder, so a narrower rebuild never drops a report.
    """
    label, final = run.period.label, the_plan.final(run.period)
    carried = carry_over(final, run.staging, [o.report for o in run.outcomes])
    if carried.reports:
        progress.say(f"{label}: kept {', '.join(carried.reports)} from the published build")
    figures = dedupe_figures(
        [Figure(**f) for o in run.outcomes for f in o.figures] + carried.figures
    )
    write_figures(figures, run.staging / "figures.json")
    write_build_spreadsheet(run.staging, run.outcomes, the_plan, run.period, prepared.profile.name)
    write_build_commentary(run.staging, final, run.outcomes, carried.reports, progress)
    manifest = assemble_manifest(the_plan, prepared, run, carried, started)
    mf.write_manifest(run.staging, manifest)
    publish_folder(run.staging, final)
    progress.say(f"{label}: published {final}")
    seconds = time.perf_counter() - started
    return BuildResult(label, final, "built", len(figures), seconds, manifest["timings"])


def assemble_manifest(
    the_plan: BuildPlan,
    prepared: PreparedInputs,
    run: PeriodRun,
    carried: Carried,
    started: float,
) -> dict[str, Any]:
    """Stage 4: the manifest for one period's staging folder (see :mod:`manifest`)."""
    options = the_plan.options
    reports = sorted({*the_plan.notebooks, *carried.reports})
    parameters = {
        **period_parameters(options, run.period, list(the_plan.notebooks)),
        "reports": reports,
        "data_dir": str(options.data_dir.resolve()),
        "dfe_dir": str(options.dfe_dir.resolve()) if options.dfe_dir else None,
        "notebooks_dir": str(options.notebooks_dir.resolve()) if options.notebooks_dir else None,
    }
    inputs = {
        name: {**info, "rows": prepared.rows_by_file.get(name)}
        for name, info in the_plan.inputs.items()
    }
    timings = {
        **{k: round(v, 3) for k, v in prepared.timings.items()},
        "reports_s": round(run.seconds, 3),
        "notebooks": {**carried.timings, **{o.report: o.timings for o in run.outcomes}},
        "total_s": round(time.perf_counter() - started, 3),
    }
    manifest = mf.build_manifest(
        key=the_plan.keys[run.period.label],
        parameters=parameters,
        period=run.period,
        la={
            "code": options.la,
            "name": prepared.profile.short_name,
            "council": prepared.profile.name,
        },
        data_end=prepared.data_end,
        inputs=inputs,
        code=the_plan.code,
        validation=prepared.validation,
        folder=run.staging,
        timings=timings,
    )
    manifest.update(kept_inputs_record(run.staging))
    manifest["demo"] = prepared.profile.demo
    manifest["profile"] = prepared.profile.to_json()
    manifest["datasets_absent"] = list(prepared.absent)
    if carried.reports:
        manifest["carried_over"] = carried.provenance
    return manifest


def prepare_notebook_inputs(options: BuildOptions, progress: Progress) -> dict[str, str]:
    """Load, validate and snapshot the inputs for one period as a build does; the data
    parameters a report notebook takes (used by ``sendreport open``)."""
    notebooks, code, inputs = plan_build(options)
    the_plan = BuildPlan(options, notebooks, code, inputs, {}, tuple(options.periods), ())
    prepared = prepare_inputs(the_plan, progress)
    return {
        "data_dir": str(prepared.snapshot),
        "benchmarks_path": str(prepared.benchmarks),
        **data_end_parameter(next(iter(notebooks.values())), prepared.data_end),
    }


# Month-end series a report charts back from its quarter: a quarter before any of them began
# has nothing to report, so it is refused before a kernel starts.
MONTHLY_SERIES = ("ehcp_caseload", "service_waits", "placement_waits", "workforce")


def write_build_commentary(
    staging: Path,
    final: Path,
    outcomes: Sequence[ReportOutcome],
    carried: Sequence[str],
    progress: Progress,
) -> None:
    """commentary.json: the officers' words each report showed (with those of reports
    carried over from the published build), for ``diff``; and the notebooks' warnings for
    the analyst (e.g. measures rated red with no commentary)."""
    from sendreport.commentary import read_commentary, write_commentary

    for outcome in outcomes:
        for warning in outcome.warnings:
            progress.warn(warning)
    records = [r for o in outcomes for r in o.commentary]
    records += [r for r in read_commentary(final).values() if r["report"] in carried]
    if records:
        write_commentary(records, staging / "commentary.json")


def write_build_spreadsheet(
    staging: Path,
    outcomes: list[ReportOutcome],
    the_plan: BuildPlan,
    period: Period,
    la_name: str,
) -> None:
    """tables.xlsx: every reader table and chart's data of this period's reports built now
    (none when they have no tables)."""
    from sendreport.spreadsheet import SPREADSHEET_NAME, write_spreadsheet

    tables = [table for o in outcomes for table in o.tables]
    if not outcomes or not tables:  # e.g. a newsletter-only build: nothing to tabulate
        return
    write_spreadsheet(
        staging / SPREADSHEET_NAME,
        tables,
        la_name=la_name,
        period_text=period.describe(),
        period_end=period.end,
        report_titles={r: notebook_title(p) for r, p in the_plan.notebooks.items()},
    )


def data_end_basis(stated: date | None) -> str:
    """How the end of the data was set, for every message that names it."""
    if stated is not None:
        return "stated with --data-end"
    return "the latest ehcp_caseload month_end; state it with --data-end"


def data_range(
    frames: dict[str, Any], stated_end: date | None = None, *, today: date | None = None
) -> tuple[date, date]:
    """The days the data supports: from the first month every month-end series given covers
    (requests alone may reach further back) to the end of the data: ``stated_end`` when
    given, else the last caseload month end. The end must not be after ``today``: a month
    end in 2204 is a typing error, not the end of the data."""
    from sendreport.fragments import data_as_at  # pandas: not for the up-to-date check

    requests = frames["ehcp_requests"]
    caseload = frames["ehcp_caseload"]
    if requests.empty or caseload.empty:
        raise InputFileError(
            "the requests and caseload datasets must hold at least one row each",
            hint="check the extract covers the period you are reporting on",
        )
    starts = [requests["received_date"].min().date()]
    for name in MONTHLY_SERIES:
        frame = frames.get(name)
        if frame is not None and not frame.empty and frame["month_end"].notna().any():
            first = frame["month_end"].min().date()
            starts.append(first.replace(day=1))
    today = today or date.today()
    end = data_as_at(frames, stated_end)  # the one "data as at" rule, as the reports state it
    if end > today:
        where = "--data-end" if stated_end else "the latest month_end in ehcp_caseload"
        raise ParameterError(
            f"the end of the data ({end:%-d %B %Y}, {data_end_basis(stated_end)}) is after "
            f"today ({today:%-d %B %Y})",
            parameter="data_end",
            hint=f"correct {where}: the data cannot end in the future",
        )
    return max(starts), end


def check_periods_in_data(
    periods: Sequence[Period], start: date, end: date, data_dir: Path, basis: str = ""
) -> None:
    outside = [p for p in periods if p.end > end or p.start < start]
    if outside:
        first = Period.quarter(start.year if start.month >= 4 else start.year - 1, 1)
        while first.start < start:
            first = first.next_quarter()
        last = Period.quarter(end.year if end.month >= 4 else end.year - 1, 1)
        while last.next_quarter().end <= end:
            last = last.next_quarter()
        raise ParameterError(
            f"period {', '.join(p.label for p in outside)} is outside the data in {data_dir} "
            f"({start:%-d %B %Y} to {end:%-d %B %Y}" + (f"; the end is {basis})" if basis else ")"),
            accepted=f"quarters from {first.label} to {last.label}",
            parameter="period",
        )


def validation_key(
    inputs: dict[str, Any], code: dict[str, Any], options: BuildOptions, data_end: date
) -> str:
    """What a validation result depends on: the input bytes, the suites, the parameters,
    the package code and the Great Expectations version."""
    from importlib import metadata

    payload = {
        "inputs": input_digests(inputs),
        "suites": code["suites"],
        "package": code["package"],
        "la": options.la,
        "data_end": data_end.isoformat(),
        "great_expectations": metadata.version("great-expectations"),
    }
    return fingerprint(payload, 24)


def _validate(
    loaded: Any,
    options: BuildOptions,
    data_end: date,
    first_final: Path,
    key: str,
    progress: Progress,
) -> dict[str, Any]:
    """Validate once; reuse a passing result for byte-identical inputs and suites.

    Great Expectations costs several seconds even on small data, and an analyst redrafting
    a notebook rebuilds with unchanged data many times. ``--force`` always revalidates.
    """
    from sendreport.validate import validate_inputs

    cached = options.out_dir / ".cache" / "validation" / f"{key}.json"
    if cached.is_file() and not options.force:
        progress.say("inputs unchanged since they last passed validation; reusing that result")
        return json.loads(cached.read_text())
    failed = failed_path(first_final)
    if failed.exists():  # a new attempt supersedes the last failure's evidence
        shutil.rmtree(failed)
    progress.say("validating inputs against the data contract (Great Expectations)")
    summary = validate_inputs(
        loaded,
        data_end=data_end,
        la_code=options.la,
        results_dir=failed / "validation",
        data_end_basis=data_end_basis(options.data_end),
    ).to_dict()
    cached.parent.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_name(f".{cached.name}.{os.getpid()}")
    tmp.write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
    os.replace(tmp, cached)
    return summary


def write_snapshot_cached(loaded: Any, inputs: dict[str, Any], cache: Path) -> Path:
    """Validated inputs as Parquet, keyed by the input digest and shared by every notebook."""
    from sendreport.load import write_snapshot

    keyed = input_digests(inputs)
    # A database's rows are not a file in the folder: key the snapshot by what was read.
    keyed |= {f"database:{k}": v.sha256 for k, v in loaded.files.items() if v.format == "database"}
    digest = fingerprint(keyed, 16)
    target = cache / "snapshots" / digest
    if target.is_dir():
        return target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{digest}.{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    write_snapshot(loaded, tmp)
    try:
        os.rename(tmp, target)
    except OSError:  # another build wrote it first
        shutil.rmtree(tmp, ignore_errors=True)
    return target.resolve()


def write_benchmarks_cached(dfe_dir: Path | None, digest: str, cache: Path) -> Path:
    """England, regional and LA benchmarks in the tidy DfE shape, as one Parquet file."""
    target = cache / "benchmarks" / f"{digest[:16]}.parquet"
    if target.is_file():
        return target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    from sendreport.dfe.benchmarks import read_benchmarks

    tidy = read_benchmarks(dfe_dir)
    tmp = target.with_name(f".{target.name}.{os.getpid()}")
    tidy.to_parquet(tmp, index=False)
    os.replace(tmp, target)
    return target.resolve()
