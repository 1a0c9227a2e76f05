"""One notebook for one period: execute → normalise → collect figures → render editions.

:func:`run_report` is the task the build hands to a worker process. It takes a picklable
:class:`ReportTask` and always returns a :class:`ReportOutcome`: a notebook that fails is
an outcome carrying its :class:`~sendreport.exceptions.NotebookError`, never an exception
raised across the process boundary.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sendreport.exceptions import SendReportError

# Environment for kernels and renderers: deterministic hashing and a non-interactive backend.
STABLE_ENV = {"PYTHONHASHSEED": "0", "MPLBACKEND": "Agg", "SOURCE_DATE_EPOCH": "0"}


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

    @property
    def period(self) -> str:
        return str(self.parameters["period"])


@dataclass(frozen=True)
class ReportOutcome:
    """What one report task produced: its figures and timings, or the error that stopped it."""

    report: str
    period: str
    staging: Path
    figures: list[dict[str, Any]] = field(default_factory=list)
    timings: dict[str, Any] = field(default_factory=dict)
    error: SendReportError | None = None
    tables: list[dict[str, Any]] = field(default_factory=list)  # for tables.xlsx
    commentary: list[dict[str, Any]] = field(default_factory=list)  # for commentary.json
    warnings: list[str] = field(default_factory=list)  # for the analyst, on stderr

    @property
    def ok(self) -> bool:
        return self.error is None


def run_report(task: ReportTask) -> ReportOutcome:
    """Execute one notebook and render its editions into the staging folder.

    A user-facing failure comes back inside the outcome; anything else is a bug and raises.
    """
    try:
        return _run(task)
    except SendReportError as err:
        return ReportOutcome(task.report, task.period, task.staging, error=err)


def _run(task: ReportTask) -> ReportOutcome:
    import nbformat

    from sendreport.commentary import collect_commentary, collect_warnings
    from sendreport.execute import execute_notebook
    from sendreport.figures import collect_figures, dedupe_figures
    from sendreport.tables import collect_tables

    os.environ.update(STABLE_ENV)
    audit_dir = task.staging / "audit"
    audit_dir.mkdir(exist_ok=True)
    executed = audit_dir / f"{task.report}.ipynb"
    seconds = execute_notebook(
        task.notebook, executed, task.parameters, timeout_s=task.timeout_s, cwd=task.staging
    )
    timings: dict[str, Any] = {"execute_s": round(seconds, 3)}
    stage = time.perf_counter()
    nb = nbformat.read(str(executed), as_version=4)
    timings["cells"] = normalise_notebook(nb).get("cells", [])
    relativise_parameters(nb, task.parameters)
    nbformat.write(nb, str(executed))
    figures = [f.to_json() for f in dedupe_figures(collect_figures(nb))]
    timings.update(render_editions(nb, task, figures, stage))
    return ReportOutcome(
        task.report,
        task.period,
        task.staging,
        figures,
        timings,
        tables=collect_tables(nb),
        commentary=collect_commentary(nb),
        warnings=collect_warnings(nb),
    )


def render_editions(
    nb: Any, task: ReportTask, figures: list[dict[str, Any]], started: float
) -> dict[str, float]:
    """Write the reader HTML, the audit HTML and the reader PDF the task asks for."""
    from sendreport.render import (
        figure_register_html,
        render_body,
        render_page,
        validation_summary_html,
        write_pdf,
    )

    page_args = {
        "title": task.title,
        "la_name": task.la_name,
        "period_text": task.period_text,
        "data_as_at": task.data_as_at,
        "demo": task.demo,
    }
    timings: dict[str, float] = {}
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
        (task.staging / "audit" / f"{task.report}.html").write_text(audit_html, encoding="utf-8")
    timings["render_html_s"] = round(time.perf_counter() - started, 3)
    if "pdf" in task.formats:
        stage = time.perf_counter()
        write_pdf(reader_html, task.staging / f"{task.report}.pdf")
        timings["render_pdf_s"] = round(time.perf_counter() - stage, 3)
    if "docx" in task.formats and "reader" in task.editions:
        stage = time.perf_counter()
        write_word_edition(reader_html, task)
        timings["render_docx_s"] = round(time.perf_counter() - stage, 3)
    return timings


def write_word_edition(reader_html: str, task: ReportTask) -> None:
    """The reader edition as a Word document for committee papers."""
    from sendreport.word import write_docx

    write_docx(
        reader_html,
        task.staging / f"{task.report}.docx",
        title=f"{task.title} – {task.la_name}, {task.period_text}",
        author=task.la_name,
        running=f"{task.title} · {task.la_name} · {task.period_text}",
        marking="DEMO DATA" if task.demo else None,
    )


def normalise_notebook(nb: Any) -> dict[str, Any]:
    """Strip run-specific metadata so an executed notebook is byte-stable.

    Returns what was removed that matters (cell durations) for the manifest.
    """
    timings: dict[str, Any] = {}
    pm = nb.metadata.pop("papermill", {})
    if "duration" in pm:
        timings["notebook_s"] = pm["duration"]
    cell_times = []
    for index, cell in enumerate(nb.cells):
        meta = cell.get("metadata", {})
        cell_pm = meta.pop("papermill", None)
        meta.pop("execution", None)
        if cell_pm and cell_pm.get("duration") is not None:
            cell_times.append({"cell": index, "seconds": round(cell_pm["duration"], 3)})
    timings["cells"] = cell_times
    nb.metadata.get("kernelspec", {}).pop("env", None)
    nb.metadata.pop("widgets", None)
    return timings


def relativise_parameters(nb: Any, parameters: dict[str, Any]) -> None:
    """Injected absolute paths differ per machine and run; record them as stable names so
    the executed notebook is byte-identical across builds (the manifest keeps the paths)."""
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell.id = "injected-parameters"  # papermill draws a random id
            source = cell.source
            source = source.replace(parameters["data_dir"], "validated-snapshot")
            source = source.replace(parameters["benchmarks_path"], "benchmarks.parquet")
            cell.source = source
    nb.metadata.get("papermill", {}).clear()
