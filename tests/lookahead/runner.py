"""Run a report notebook's code in this process and collect the figures it records.

The no-look-ahead property compares figures from many (report, quarter, data) runs; a kernel per
run would cost minutes. Executing the code cells here with the same ``open_report`` the kernel
uses gives the same figures (figures.json is built from exactly these payloads), without
rendering charts to PNG.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pytest

from sendreport import present
from sendreport.figures import FIGURE_MIME
from sendreport.resources import notebooks_dir

REPORTS = ("newsletter", "performance", "timeliness")


def figures_of(
    report: str, period: str, la: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> list[dict[str, Any]]:
    """Every figure payload ``report`` records for ``period``, in cell order."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    records: list[dict[str, Any]] = []

    def capture(obj: Any, *, raw: bool = False, metadata: dict | None = None) -> None:
        if raw and isinstance(obj, dict) and FIGURE_MIME in obj:
            payload = obj[FIGURE_MIME]
            records.append(json.loads(json.dumps(payload)))

    def no_png(figure: Any, *, alt: str, caption: str) -> str:
        plt.close(figure)
        return ""

    monkeypatch.setattr(present, "_display", capture)
    monkeypatch.setattr(present, "render_chart", no_png)
    notebook = nbformat.read(notebooks_dir() / f"{report}.ipynb", as_version=4)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        exec(compile(cell.source, f"<{report}:{cell.get('id')}>", "exec"), namespace)
        if "parameters" in cell.metadata.get("tags", []):  # the defaults, then the build's
            namespace.update(period=period, la=la, data_dir=str(data_dir), benchmarks_path="")
    plt.close("all")
    return records
