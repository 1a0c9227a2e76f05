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
import time
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sendreport import manifest as mf
from sendreport import reference
from sendreport.exceptions import InputFileError, ParameterError
from sendreport.periods import Period
from sendreport.progress import Progress
from sendreport.publish import failed_path, keep_failed, make_staging, publish_folder
from sendreport.resources import expectations_dir, notebooks_dir

EDITIONS = ("reader", "audit")
FORMATS = ("html", "pdf", "docx")
# Environment for kernels and renderers: deterministic hashing and a non-interactive backend.
STABLE_ENV = {"PYTHONHASHSEED": "0", "MPLBACKEND": "Agg", "SOURCE_DATE_EPOCH": "0"}


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


@dataclass(frozen=True)
class ReportTask:
    """One notebook for one period: picklable, so it can run in a worker process."""

    report: str
    notebook: Path
    staging: Path
    parameters: dict[str, Any]
    editions: tuple[str, ...]
    formats: tuple[str, ...]
    timeout_s: int
    title: str
    la_name: str
    period_text: str
    data_as_at: str
    validation: dict[str, Any]
    demo: bool = False  # the profile says the data is demo data: every page is marked


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
    from sendreport.mapping import database_datasets

    if database_datasets(options.data_dir):
        # A warehouse changes with no file changing: such a build is never "up to date".
        code = {**code, "database": os.urandom(16).hex()}
    return notebooks, code, inputs


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
        # Only when set, so the keys of builds without kept inputs stay as they were.
        **({"keep_inputs": True} if options.keep_inputs else {}),
    }


KEPT_INPUTS = "inputs"


def kept_inputs_record(staging: Path) -> dict[str, Any]:
    """``kept_inputs`` for the manifest: each kept Parquet file's size and SHA-256."""
    kept = staging / KEPT_INPUTS
    return {"kept_inputs": mf.input_files(kept)} if kept.is_dir() else {}


def is_up_to_date(folder: Path, key: str) -> bool:
    recorded = mf.read_manifest(folder)
    return bool(recorded) and recorded.get("build_key") == key


def build(options: BuildOptions, progress: Progress | None = None) -> list[BuildResult]:
    progress = progress or Progress(quiet=True)
    started = time.perf_counter()
    notebooks, code, inputs = plan_build(options)
    keys = {
        p.label: mf.build_key(inputs, period_parameters(options, p, list(notebooks)), code)
        for p in options.periods
    }
    todo = [
        p
        for p in options.periods
        if options.force
        or not is_up_to_date(final_folder(options.out_dir, options.la, p), keys[p.label])
    ]
    results = [
        BuildResult(p.label, final_folder(options.out_dir, options.la, p), "up to date")
        for p in options.periods
        if p not in todo
    ]
    for r in results:
        progress.say(f"{r.period}: up to date ({r.folder})")
    if not todo:
        return results

    from sendreport.execute import check_parameters

    base_params = {"period": todo[0].label, "la": options.la, "data_dir": "", "benchmarks_path": ""}
    for path in notebooks.values():
        check_parameters(path, base_params)

    os.environ.update(STABLE_ENV)
    workers = min(options.jobs, len(todo) * len(notebooks))
    # Workers start now and import the renderers on the other core while this process
    # loads and validates the data.
    pool = start_pool(workers) if workers > 1 else None
    try:
        return _build_periods(
            options, todo, notebooks, code, inputs, keys, results, started, progress, pool
        )
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _build_periods(
    options: BuildOptions,
    todo: list[Period],
    notebooks: dict[str, Path],
    code: dict[str, Any],
    inputs: dict[str, Any],
    keys: dict[str, str],
    results: list[BuildResult],
    started: float,
    progress: Progress,
    pool: ProcessPoolExecutor | None,
) -> list[BuildResult]:
    """Load, validate, run and publish the periods that are not up to date."""
    timings: dict[str, float] = {}
    stage = time.perf_counter()
    progress.say(f"loading inputs from {options.data_dir}")
    from sendreport.load import load_inputs

    loaded = load_inputs(options.data_dir)
    for warning in loaded.warnings:
        progress.warn(warning)
    data_start, data_end = data_range(loaded.frames, options.data_end)
    check_periods_in_data(
        todo, data_start, data_end, options.data_dir, data_end_basis(options.data_end)
    )
    timings["load_s"] = time.perf_counter() - stage

    stage = time.perf_counter()
    first_final = final_folder(options.out_dir, options.la, todo[0])
    validation = _validate(
        loaded,
        options,
        data_end,
        first_final,
        validation_key(inputs, code, options, data_end),
        progress,
    )
    timings["validate_s"] = time.perf_counter() - stage

    stage = time.perf_counter()
    cache = options.out_dir / ".cache"
    snapshot = write_snapshot_cached(loaded, inputs, cache)
    benchmarks = write_benchmarks_cached(options.dfe_dir, code.get("dfe", "published"), cache)
    timings["snapshot_s"] = time.perf_counter() - stage

    profile = loaded.profile.named_for(options.la)
    la_name = profile.name
    data_as_at = f"{data_end:%-d %B %Y}"
    stagings: dict[str, Path] = {}
    tasks: list[ReportTask] = []
    for period in todo:
        final = final_folder(options.out_dir, options.la, period)
        staging = make_staging(final)
        stagings[period.label] = staging
        (staging / "validation").mkdir()
        if options.keep_inputs:
            shutil.copytree(snapshot, staging / KEPT_INPUTS)
        (staging / "validation" / "summary.json").write_text(
            json.dumps(validation, indent=2, sort_keys=True) + "\n"
        )
        for report, path in notebooks.items():
            tasks.append(
                ReportTask(
                    report=report,
                    notebook=path,
                    staging=staging,
                    parameters={
                        "period": period.label,
                        "la": options.la,
                        "data_dir": str(snapshot),
                        "benchmarks_path": str(benchmarks),
                    },
                    editions=options.editions,
                    formats=options.formats,
                    timeout_s=options.timeout_s,
                    title=notebook_title(path),
                    la_name=la_name,
                    period_text=period.describe(),
                    data_as_at=data_as_at,
                    validation=validation,
                    demo=profile.demo,
                )
            )

    stage = time.perf_counter()
    try:
        outcomes = run_tasks(tasks, pool=pool, progress=progress)
    except BaseException as err:
        from sendreport.exceptions import NotebookError

        for period in todo:
            staging = stagings[period.label]
            final = final_folder(options.out_dir, options.la, period)
            kept = keep_failed(staging, final)
            # The message should point at where the partial notebook now lives.
            if (
                isinstance(err, NotebookError)
                and err.kept_at
                and err.kept_at.startswith(str(staging))
            ):
                err.kept_at = str(kept) + err.kept_at[len(str(staging)) :]
            progress.say(f"{period.label}: build failed; partial results kept in {kept}")
        raise
    timings["reports_s"] = time.perf_counter() - stage

    from sendreport.figures import Figure, dedupe_figures, write_figures

    rows_by_file = {Path(info.path).name: info.rows for info in loaded.files.values()}

    for period in todo:
        staging = stagings[period.label]
        final = final_folder(options.out_dir, options.la, period)
        mine = [o for o in outcomes if o["staging"] == str(staging)]
        figures = dedupe_figures(Figure(**f) for o in mine for f in o["figures"])
        write_figures(figures, staging / "figures.json")
        write_build_spreadsheet(staging, mine, tasks, period)
        params = period_parameters(options, period, list(notebooks))
        manifest = {
            "build_key": keys[period.label],
            "parameters": {
                **params,
                "data_dir": str(options.data_dir.resolve()),
                "dfe_dir": str(options.dfe_dir.resolve()) if options.dfe_dir else None,
                "notebooks_dir": str(options.notebooks_dir.resolve())
                if options.notebooks_dir
                else None,
            },
            "period": {
                "code": period.label,
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
                "basis": period.basis.value,
            },
            "la": {"code": options.la, "name": profile.short_name, "council": la_name},
            "demo": profile.demo,
            "profile": profile.to_json(),
            "datasets_absent": list(loaded.absent),
            "data_as_at": data_end.isoformat(),
            **kept_inputs_record(staging),
            "inputs": {
                name: {**info, "rows": rows_by_file.get(name)} for name, info in inputs.items()
            },
            "code": code,
            "validation": validation,
            "environment": mf.environment(),
            "git": mf.git_state(),
            "outputs": mf.output_hashes(staging),
            "timings": {
                **{k: round(v, 3) for k, v in timings.items()},
                "notebooks": {o["report"]: o["timings"] for o in mine},
                "total_s": round(time.perf_counter() - started, 3),
            },
        }
        mf.write_manifest(staging, manifest)
        publish_folder(staging, final)
        progress.say(f"{period.label}: published {final}")
        results.append(
            BuildResult(
                period.label,
                final,
                "built",
                len(figures),
                time.perf_counter() - started,
                manifest["timings"],
            )
        )
    order = {p.label: i for i, p in enumerate(options.periods)}
    return sorted(results, key=lambda r: order[r.period])


def prepare_notebook_inputs(options: BuildOptions, progress: Progress) -> dict[str, str]:
    """Load, validate and snapshot the inputs for one period as a build does; the data
    parameters a report notebook takes (used by ``sendreport open``)."""
    from sendreport.load import load_inputs

    _, code, inputs = plan_build(options)
    progress.say(f"loading inputs from {options.data_dir}")
    loaded = load_inputs(options.data_dir)
    for warning in loaded.warnings:
        progress.warn(warning)
    data_start, data_end = data_range(loaded.frames, options.data_end)
    basis = data_end_basis(options.data_end)
    check_periods_in_data(options.periods, data_start, data_end, options.data_dir, basis)
    first_final = final_folder(options.out_dir, options.la, options.periods[0])
    key = validation_key(inputs, code, options, data_end)
    _validate(loaded, options, data_end, first_final, key, progress)
    cache = options.out_dir / ".cache"
    snapshot = write_snapshot_cached(loaded, inputs, cache)
    benchmarks = write_benchmarks_cached(options.dfe_dir, code.get("dfe", "published"), cache)
    return {"data_dir": str(snapshot), "benchmarks_path": str(benchmarks)}


# Month-end series a report charts back from its quarter: a quarter before any of them began
# has nothing to report, so it is refused before a kernel starts.
MONTHLY_SERIES = ("ehcp_caseload", "service_waits", "placement_waits", "workforce")


def write_build_spreadsheet(
    staging: Path, outcomes: list[dict[str, Any]], tasks: list[ReportTask], period: Period
) -> None:
    """tables.xlsx: every reader table and chart's data of this period's reports (none when
    the reports built have no tables)."""
    from sendreport.spreadsheet import SPREADSHEET_NAME, write_spreadsheet

    mine = [t for t in tasks if t.staging == staging]
    tables = [table for o in outcomes for table in o.get("tables", [])]
    if not mine or not tables:  # e.g. a newsletter-only build: nothing to tabulate
        return
    write_spreadsheet(
        staging / SPREADSHEET_NAME,
        tables,
        la_name=mine[0].la_name,
        period_text=mine[0].period_text,
        period_end=period.end,
        report_titles={t.report: t.title for t in mine},
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
    end = stated_end or caseload["month_end"].max().date()
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
    import hashlib
    from importlib import metadata

    payload = {
        "inputs": {k: v["sha256"] for k, v in inputs.items()},
        "suites": code["suites"],
        "package": code["package"],
        "la": options.la,
        "data_end": data_end.isoformat(),
        "great_expectations": metadata.version("great-expectations"),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:24]


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
    import hashlib

    from sendreport.load import write_snapshot

    keyed = {k: v["sha256"] for k, v in inputs.items()}
    # A database's rows are not a file in the folder: key the snapshot by what was read.
    keyed |= {f"database:{k}": v.sha256 for k, v in loaded.files.items() if v.format == "database"}
    digest = hashlib.sha256(json.dumps(keyed, sort_keys=True).encode()).hexdigest()[:16]
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


def warm_worker() -> None:
    """Pool initializer: import papermill, nbconvert and WeasyPrint and compile the report
    templates once per worker, before the first task arrives."""
    os.environ.update(STABLE_ENV)
    import papermill  # noqa: F401
    import weasyprint  # noqa: F401
    from nbformat.v4 import new_notebook

    from sendreport.render import render_body

    for edition in ("reader", "audit"):
        render_body(new_notebook(), edition)


def start_pool(workers: int) -> ProcessPoolExecutor:
    import multiprocessing

    # fork: workers inherit what this process has imported; no thread has started yet.
    context = multiprocessing.get_context("fork")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=warm_worker)


def run_tasks(
    tasks: list[ReportTask], *, pool: ProcessPoolExecutor | None, progress: Progress
) -> list[dict[str, Any]]:
    """Run report tasks in the pool (or here, without one); stop at the first failure."""
    if pool is None:
        outcomes = []
        for task in tasks:
            progress.say(f"{task.parameters['period']} {task.report}: executing and rendering")
            outcomes.append(run_report(task))
        return outcomes
    outcomes = []
    futures: dict[Future, ReportTask] = {pool.submit(run_report, task): task for task in tasks}
    progress.say(f"running {len(tasks)} report notebook(s) in parallel")
    pending = set(futures)
    while pending:
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            task = futures[future]
            error = future.exception()
            if error is not None:
                for other in pending:
                    other.cancel()
                raise error
            outcomes.append(future.result())
            progress.say(f"{task.parameters['period']} {task.report}: done")
    outcomes.sort(key=lambda o: (o["staging"], o["report"]))
    return outcomes


def run_report(task: ReportTask) -> dict[str, Any]:
    """Execute one notebook and render its editions into the staging folder."""
    import nbformat

    from sendreport.execute import execute_notebook, normalise_notebook
    from sendreport.figures import collect_figures, dedupe_figures
    from sendreport.render import (
        figure_register_html,
        render_body,
        render_page,
        validation_summary_html,
        write_pdf,
    )

    os.environ.update(STABLE_ENV)
    audit_dir = task.staging / "audit"
    audit_dir.mkdir(exist_ok=True)
    executed = audit_dir / f"{task.report}.ipynb"
    timings: dict[str, Any] = {}
    timings["execute_s"] = round(
        execute_notebook(
            task.notebook, executed, task.parameters, timeout_s=task.timeout_s, cwd=task.staging
        ),
        3,
    )
    stage = time.perf_counter()
    nb = nbformat.read(str(executed), as_version=4)
    timings["cells"] = normalise_notebook(nb).get("cells", [])
    _relativise_parameters(nb, task)
    nbformat.write(nb, str(executed))
    figures = [f.to_json() for f in dedupe_figures(collect_figures(nb))]
    from sendreport.tables import collect_tables

    page_args = {
        "title": task.title,
        "la_name": task.la_name,
        "period_text": task.period_text,
        "data_as_at": task.data_as_at,
        "demo": task.demo,
    }
    reader_html = render_page(render_body(nb, "reader"), edition="reader", **page_args)
    if "html" in task.formats and "reader" in task.editions:
        (task.staging / f"{task.report}.html").write_text(reader_html, encoding="utf-8")
    if "audit" in task.editions:
        audit_html = render_page(
            render_body(nb, "audit"),
            edition="audit",
            appendix=[
                figure_register_html(figures, task.report),
                validation_summary_html(task.validation),
            ],
            **page_args,
        )
        (audit_dir / f"{task.report}.html").write_text(audit_html, encoding="utf-8")
    timings["render_html_s"] = round(time.perf_counter() - stage, 3)
    if "pdf" in task.formats:
        stage = time.perf_counter()
        write_pdf(reader_html, task.staging / f"{task.report}.pdf")
        timings["render_pdf_s"] = round(time.perf_counter() - stage, 3)
    if "docx" in task.formats and "reader" in task.editions:
        stage = time.perf_counter()
        write_word_edition(reader_html, task)
        timings["render_docx_s"] = round(time.perf_counter() - stage, 3)
    return {
        "report": task.report,
        "staging": str(task.staging),
        "figures": figures,
        "tables": collect_tables(nb),
        "timings": timings,
    }


def write_word_edition(reader_html: str, task: ReportTask) -> None:
    """The reader edition as a Word document for committee papers."""
    from sendreport.word import write_docx

    write_docx(
        reader_html,
        task.staging / f"{task.report}.docx",
        title=f"{task.title} – {task.la_name}, {task.period_text}",
        author=task.la_name,
        running=f"{task.title} · {task.la_name} · {task.period_text}",
    )


def _relativise_parameters(nb: Any, task: ReportTask) -> None:
    """Injected absolute paths differ per machine and run; record them as stable names so
    the executed notebook is byte-identical across builds (the manifest keeps the paths)."""
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell.id = "injected-parameters"  # papermill draws a random id
            source = cell.source
            source = source.replace(task.parameters["data_dir"], "validated-snapshot")
            source = source.replace(task.parameters["benchmarks_path"], "benchmarks.parquet")
            cell.source = source
    nb.metadata.get("papermill", {}).clear()
