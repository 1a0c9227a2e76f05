"""``sendreport open``: one report notebook, on one quarter's validated data, in Jupyter.

An analyst redrafting a paragraph or looking into a figure wants the notebook the build
runs, with the build's parameters and inputs. This module prepares the inputs exactly as
a build does (load, validate against the contract, write the Parquet snapshot and the
benchmarks), injects the quarter's parameters into a copy of the notebook with papermill,
and starts JupyterLab on it. Run top to bottom, the copy states the build's figures.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from sendreport.exceptions import ParameterError
from sendreport.periods import Period
from sendreport.progress import Progress


@dataclass(frozen=True)
class OpenRequest:
    report: str
    period: Period
    la: str
    data_dir: Path
    out_dir: Path
    dfe_dir: Path | None = None
    notebooks_dir: Path | None = None


def workbench_path(request: OpenRequest) -> Path:
    """Where the prepared copy goes: beside the builds, never over a published file."""
    return (
        request.out_dir / "jupyter" / request.la / request.period.label / f"{request.report}.ipynb"
    )


def prepare_inputs(request: OpenRequest, progress: Progress) -> dict[str, str]:
    """Load and validate the inputs as a build does; the notebook's data parameters."""
    from sendreport.build import BuildOptions, prepare_notebook_inputs

    options = BuildOptions(
        periods=(request.period,),
        la=request.la,
        data_dir=request.data_dir,
        out_dir=request.out_dir,
        dfe_dir=request.dfe_dir,
        reports=(request.report,),
        notebooks_dir=request.notebooks_dir,
    )
    return prepare_notebook_inputs(options, progress)


def write_workbench(request: OpenRequest, parameters: dict[str, str]) -> Path:
    """A copy of the report notebook with the quarter's parameters injected."""
    import nbformat
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    from sendreport.build import report_notebooks

    source = report_notebooks((request.report,), request.notebooks_dir)[request.report]
    nb = load_notebook_node(str(source))  # papermill's reader: every cell has its tags
    nb = parameterize_notebook(nb, {"period": request.period.label, "la": request.la, **parameters})
    nb.metadata.pop("papermill", None)
    target = workbench_path(request)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(target))
    return target


def launch_jupyterlab(notebook: Path) -> int:
    """Start JupyterLab on ``notebook`` (on this machine only) and wait for it to close."""
    if shutil.which("jupyter-lab") is None and not _has_module("jupyterlab"):
        raise ParameterError(
            "JupyterLab is not installed in this environment",
            accepted="`make report` installs it; or `pip install 'sendreport[lab]'`; "
            "or pass --no-launch and open the notebook in your own Jupyter",
            parameter="open",
        )
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.root_dir={notebook.parent}",
        str(notebook),
    ]
    return subprocess.call(command)


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def open_report(request: OpenRequest, *, launch: bool, progress: Progress) -> Path:
    """Prepare the inputs, write the notebook and (unless ``launch`` is false) open it."""
    parameters = prepare_inputs(request, progress)
    notebook = write_workbench(request, parameters)
    progress.say(f"{request.report} for {request.la}, {request.period.label}: {notebook}")
    if launch:
        launch_jupyterlab(notebook)
    return notebook
