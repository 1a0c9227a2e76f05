"""Run one notebook with papermill and turn every way it can stop early into evidence.

A cell that raises, a timeout, a dying kernel and a notebook that stops before its last
cell without raising (``sys.exit()``) each become a
:class:`~sendreport.exceptions.NotebookError` naming the notebook, the cell (its index in
the notebook a reviewer edits, and its id), the failing source line and the error; the
partly executed notebook is kept for the reviewer. Parameters are checked beforehand by
:mod:`sendreport.parameters`; the engine lives in :mod:`sendreport.engine`.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path
from typing import Any

from sendreport.exceptions import KernelDied, NotebookError, NotebookIncomplete, NotebookTimeout

DEFAULT_TIMEOUT_S = 600
_ANSI = re.compile(r"\x1b\[[0-9;]*m")

CellPlace = tuple[int | None, str | None, str | None]  # index in the source, id, source line


def execute_notebook(
    notebook_path: Path,
    output_path: Path,
    parameters: dict[str, Any],
    *,
    timeout_s: int = DEFAULT_TIMEOUT_S,
    cwd: Path | None = None,
) -> float:
    """Execute one notebook into ``output_path``; return its wall time in seconds.

    Raises a :class:`NotebookError` subclass for any run that does not reach the end of
    the notebook.
    """
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    from sendreport.engine import ipc_kernel_manager, register_engine

    started = time.perf_counter()
    manager_class, socket_dir = ipc_kernel_manager()
    try:
        executed = papermill.execute_notebook(
            str(notebook_path),
            str(output_path),
            parameters=parameters,
            kernel_name="python3",
            language="python",
            progress_bar=False,
            log_output=False,
            execution_timeout=timeout_s,
            cwd=str(cwd) if cwd else None,
            kernel_manager_class=manager_class,
            engine_name=register_engine(),
            # The kernel holds nothing worth a graceful goodbye; this saves ~0.7 s a notebook.
            shutdown_kernel="immediate",
        )
    except (PapermillExecutionError, CellTimeoutError, DeadKernelError) as err:
        raise describe_failure(err, notebook_path, output_path, timeout_s) from None
    finally:
        shutil.rmtree(socket_dir, ignore_errors=True)
    check_complete(executed, notebook_path, output_path)
    return time.perf_counter() - started


def describe_failure(
    err: Exception, notebook_path: Path, output_path: Path, timeout_s: int
) -> NotebookError:
    """The :class:`NotebookError` for papermill's or nbclient's exception ``err``."""
    from nbclient.exceptions import CellTimeoutError

    name = Path(notebook_path).stem
    kept = {"kept_at": str(output_path)}
    if hasattr(err, "ename"):  # PapermillExecutionError: a cell raised
        index, cell_id, line = locate_error(output_path, notebook_path)
        line = line or failing_line(err.traceback) or last_line(err.source)
        place = {"cell_index": index, "cell_id": cell_id, "source_line": line}
        return NotebookError(name, ename=err.ename, evalue=err.evalue, **place, **kept)
    index, cell_id, line = locate_running_cell(output_path, notebook_path)
    place = {"cell_index": index, "cell_id": cell_id, "source_line": line}
    if isinstance(err, CellTimeoutError):
        evalue = f"cell still running after {timeout_s} s (raise --timeout to allow longer)"
        return NotebookTimeout(name, ename="Timeout", evalue=evalue, **place, **kept)
    evalue = f"the Python kernel died ({err}); it may have run out of memory"
    return KernelDied(name, ename="KernelDied", evalue=evalue, **place, **kept)


def check_complete(executed: Any, notebook_path: Path, output_path: Path) -> None:
    """Refuse a run that stopped before the notebook's last code cell without raising.

    ``sys.exit()`` in a cell ends it quietly; a report cut short there would otherwise be
    published as if whole. Every non-empty code cell must have run, with no error output.
    """
    for cell in executed.cells:
        if cell.get("cell_type") != "code" or not cell.get("source", "").strip():
            continue
        error = next((o for o in cell.get("outputs", []) if o.get("output_type") == "error"), None)
        if cell.get("execution_count") is None or error is not None:
            source = cell.get("source", "")
            line = failing_line(error.get("traceback", [])) if error else None
            what = f"{error['ename']} in this cell" if error else "this cell never ran"
            raise NotebookIncomplete(
                Path(notebook_path).stem,
                cell_index=source_index(cell.get("id"), notebook_path),
                cell_id=cell.get("id"),
                source_line=line or (last_line(source) if error else first_line(source)),
                ename="Incomplete",
                evalue=f"the notebook stopped before its last cell ({what}); "
                "a report must run to its end (remove the sys.exit() call)",
                kept_at=str(output_path),
            )


def failing_line(traceback_lines: list[str]) -> str | None:
    """The line IPython marks with an arrow in the notebook cell's own frame (``Cell In[n]``),
    not in library code further down the stack."""
    text = _ANSI.sub("", "\n".join(traceback_lines))
    in_cell = False
    fallback = None
    for line in text.splitlines():
        if line.startswith("Cell In["):
            in_cell = True
        elif line.startswith("File "):
            in_cell = False
        if re.match(r"^\s*-+>\s*\d+", line):
            code = re.sub(r"^\s*-+>\s*\d+\s?", "", line)
            if in_cell:
                return code
            fallback = fallback or code
    return fallback


def _read_pair(output_path: Path, notebook_path: Path) -> tuple[Any, Any] | None:
    import nbformat

    try:
        saved = nbformat.read(str(output_path), as_version=4)
        source = nbformat.read(str(notebook_path), as_version=4)
    except (OSError, ValueError):
        return None
    return saved, source


def source_index(cell_id: str | None, notebook_path: Path) -> int | None:
    """Index of the cell with ``cell_id`` in the notebook a reviewer edits.

    Papermill inserts cells (injected parameters) into the saved notebook, so indices there
    are shifted; the cell id maps back.
    """
    import nbformat

    try:
        source = nbformat.read(str(notebook_path), as_version=4)
    except (OSError, ValueError):
        return None
    return next((i for i, c in enumerate(source.cells) if c.get("id") == cell_id), None)


def locate_error(output_path: Path, notebook_path: Path) -> CellPlace:
    """Index (in the source notebook), id and failing line of the cell that raised."""
    pair = _read_pair(output_path, notebook_path)
    if pair is None:
        return None, None, None
    saved, source = pair
    for cell in saved.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                cell_id = cell.get("id")
                index = next(
                    (i for i, c in enumerate(source.cells) if c.get("id") == cell_id), None
                )
                return index, cell_id, failing_line(output.get("traceback", []))
    return None, None, None


def locate_running_cell(output_path: Path, notebook_path: Path) -> CellPlace:
    """The last cell papermill started (the one running when execution stopped): its index
    in the source notebook, its id and its first line."""
    pair = _read_pair(output_path, notebook_path)
    if pair is None:
        return None, None, None
    saved, source = pair
    last = None
    for cell in saved.cells:
        if cell.get("metadata", {}).get("papermill", {}).get("start_time"):
            last = cell
    if last is None:
        return None, None, None
    cell_id = last.get("id")
    index = next((i for i, c in enumerate(source.cells) if c.get("id") == cell_id), None)
    return index, cell_id, first_line(last.source)


def first_line(source: str | None) -> str | None:
    lines = [ln for ln in (source or "").strip().splitlines() if ln.strip()]
    return lines[0] if lines else None


def last_line(source: str | None) -> str | None:
    lines = [ln for ln in (source or "").splitlines() if ln.strip()]
    return lines[-1] if lines else None
