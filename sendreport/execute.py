"""Run report notebooks with papermill and turn every failure into a clear message.

Parameters are checked against the notebook's own ``parameters`` cell before any kernel
starts. A cell that raises, a timeout and a dying kernel each become a
:class:`~sendreport.exceptions.NotebookError` naming the notebook, the cell, the failing
source line and the error; the partly executed notebook is kept for the reviewer.
"""

from __future__ import annotations

import ast
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sendreport.exceptions import KernelDied, NotebookError, NotebookTimeout, ParameterError

DEFAULT_TIMEOUT_S = 600
_ENGINE_REGISTERED = False
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class DeclaredParameter:
    name: str
    type_name: str
    default: str


def read_parameters(notebook_path: Path) -> dict[str, DeclaredParameter]:
    """The parameters a notebook declares in its cell tagged ``parameters``.

    Parsed with :mod:`ast` rather than papermill's inspector so it costs milliseconds and
    never imports a kernel; the rule is the same: simple ``name = literal`` assignments.
    """
    nb = json.loads(Path(notebook_path).read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell.get("source", ""))
            declared: dict[str, DeclaredParameter] = {}
            for node in ast.parse(source).body:
                if isinstance(node, ast.Assign | ast.AnnAssign):
                    target = node.targets[0] if isinstance(node, ast.Assign) else node.target
                    if isinstance(target, ast.Name) and node.value is not None:
                        value = ast.literal_eval(node.value)
                        declared[target.id] = DeclaredParameter(
                            target.id, type(value).__name__, repr(value)
                        )
            return declared
    raise ParameterError(
        f"notebook {Path(notebook_path).name} has no cell tagged 'parameters'",
        hint="tag the first code cell 'parameters' (View → Cell Toolbar → Tags in Jupyter)",
    )


def check_parameters(notebook_path: Path, parameters: dict[str, Any]) -> None:
    """Reject unknown or wrongly typed parameters before any kernel starts."""
    declared = read_parameters(notebook_path)
    name = Path(notebook_path).stem
    for key, value in parameters.items():
        if key not in declared:
            accepted = ", ".join(f"{p.name} ({p.type_name})" for p in declared.values())
            raise ParameterError(
                f"notebook {name} has no parameter {key!r}", accepted=accepted, parameter=key
            )
        expected = declared[key].type_name
        if type(value).__name__ != expected:
            raise ParameterError(
                f"notebook {name}: parameter {key!r} must be {expected}, "
                f"got {type(value).__name__} {value!r}",
                accepted=f"{key} ({expected}), default {declared[key].default}",
                parameter=key,
            )


def _failing_line(traceback_lines: list[str]) -> str | None:
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


def _locate_error(
    output_path: Path, notebook_path: Path
) -> tuple[int | None, str | None, str | None]:
    """Index (in the source notebook), id and failing line of the cell that raised.

    Papermill inserts anchor cells into the saved notebook, so indices there are shifted;
    the cell id maps the failure back to the notebook a reviewer edits.
    """
    import nbformat

    try:
        saved = nbformat.read(str(output_path), as_version=4)
        source = nbformat.read(str(notebook_path), as_version=4)
    except (OSError, ValueError):
        return None, None, None
    for cell in saved.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                cell_id = cell.get("id")
                index = next(
                    (i for i, c in enumerate(source.cells) if c.get("id") == cell_id), None
                )
                return index, cell_id, _failing_line(output.get("traceback", []))
    return None, None, None


def _running_cell(nb: Any, source_nb: Any) -> tuple[int | None, str | None, str | None]:
    """The last cell papermill started (the one running when execution stopped): its index
    in the source notebook, its id and its first line."""
    last = None
    for cell in nb.cells:
        if cell.get("metadata", {}).get("papermill", {}).get("start_time"):
            last = cell
    if last is None:
        return None, None, None
    cell_id = last.get("id")
    index = next((i for i, c in enumerate(source_nb.cells) if c.get("id") == cell_id), None)
    lines = [ln for ln in last.source.strip().splitlines() if ln.strip()]
    return index, cell_id, (lines[0] if lines else None)


def _ipc_kernel_manager() -> tuple[type, Path]:
    """A kernel manager that talks to the kernel over Unix sockets in a private folder:
    no TCP ports open on the machine, and no plaintext-TCP warning on stderr."""
    import tempfile

    from jupyter_client.manager import AsyncKernelManager

    socket_dir = Path(tempfile.mkdtemp(prefix="sendreport-kernel-"))

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", str(socket_dir / "k"))
            super().__init__(*args, **kwargs)

    return IPCKernelManager, socket_dir


def _register_engine() -> str:
    """A papermill engine that writes the output notebook once, when execution ends.

    Stock papermill rewrites the whole notebook (charts included) before and after every
    cell, about three seconds a quarter. Papermill still calls ``notebook_complete`` in a
    ``finally`` block, so a failing, timed-out or dead-kernel run keeps its partial notebook.
    """
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

    global _ENGINE_REGISTERED
    name = "sendreport"
    if _ENGINE_REGISTERED:
        return name

    class FinalSaveManager(NotebookExecutionManager):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self._saving = False
            super().__init__(*args, **kwargs)

        def save(self, **kwargs: Any) -> None:
            if self._saving:
                super().save(**kwargs)

        def notebook_complete(self, **kwargs: Any) -> None:
            self._saving = True
            super().notebook_complete(**kwargs)

    class FinalSaveEngine(NBClientEngine):
        @classmethod
        def execute_notebook(
            cls,
            nb: Any,
            kernel_name: str,
            output_path: str | None = None,
            progress_bar: bool = False,
            log_output: bool = False,
            autosave_cell_every: int = 30,
            **kwargs: Any,
        ) -> Any:
            manager = FinalSaveManager(
                nb,
                output_path=output_path,
                progress_bar=progress_bar,
                log_output=log_output,
                autosave_cell_every=autosave_cell_every,
            )
            manager.notebook_start()
            try:
                cls.execute_managed_notebook(manager, kernel_name, log_output=log_output, **kwargs)
            finally:
                manager.cleanup_pbar()
                manager.notebook_complete()
            return manager.nb

    papermill_engines.register(name, FinalSaveEngine)
    _ENGINE_REGISTERED = True
    return name


def execute_notebook(
    notebook_path: Path,
    output_path: Path,
    parameters: dict[str, Any],
    *,
    timeout_s: int = DEFAULT_TIMEOUT_S,
    cwd: Path | None = None,
) -> float:
    """Execute one notebook into ``output_path``; return its wall time in seconds."""
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    name = Path(notebook_path).stem
    started = time.perf_counter()
    manager_class, socket_dir = _ipc_kernel_manager()
    try:
        papermill.execute_notebook(
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
            engine_name=_register_engine(),
            # The kernel holds nothing worth a graceful goodbye; this saves ~0.7 s a notebook.
            shutdown_kernel="immediate",
        )
    except PapermillExecutionError as err:
        index, cell_id, line = _locate_error(output_path, notebook_path)
        raise NotebookError(
            name,
            cell_index=index,
            cell_id=cell_id,
            source_line=line or _failing_line(err.traceback) or _first_line(err.source),
            ename=err.ename,
            evalue=err.evalue,
            kept_at=str(output_path),
        ) from None
    except CellTimeoutError:
        index, cell_id, line = _running_cell_from(output_path, notebook_path)
        raise NotebookTimeout(
            name,
            cell_index=index,
            cell_id=cell_id,
            source_line=line,
            ename="Timeout",
            evalue=f"cell still running after {timeout_s} s (raise --timeout to allow longer)",
            kept_at=str(output_path),
        ) from None
    except DeadKernelError as err:
        index, cell_id, line = _running_cell_from(output_path, notebook_path)
        raise KernelDied(
            name,
            cell_index=index,
            cell_id=cell_id,
            source_line=line,
            ename="KernelDied",
            evalue=f"the Python kernel died ({err}); it may have run out of memory",
            kept_at=str(output_path),
        ) from None
    finally:
        import shutil

        shutil.rmtree(socket_dir, ignore_errors=True)
    return time.perf_counter() - started


def _first_line(source: str | None) -> str | None:
    if not source:
        return None
    lines = [ln for ln in source.splitlines() if ln.strip()]
    return lines[-1] if lines else None


def _running_cell_from(
    output_path: Path, notebook_path: Path
) -> tuple[int | None, str | None, str | None]:
    import nbformat

    try:
        nb = nbformat.read(str(output_path), as_version=4)
        source = nbformat.read(str(notebook_path), as_version=4)
    except (OSError, ValueError):
        return None, None, None
    return _running_cell(nb, source)


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
