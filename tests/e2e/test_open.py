"""`sendreport open`: the analyst's notebook runs top to bottom with the build's figures."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from sendreport.cli import main
from sendreport.figures import collect_figures, dedupe_figures
from tests.e2e.conftest import DEMO_LA, DEMO_PERIOD, DemoBuild

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("e2e")]


def test_open_no_launch_runs_with_the_builds_figures(
    demo_build: DemoBuild, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(
        [
            "open",
            "performance",
            "--period",
            DEMO_PERIOD,
            "--la",
            DEMO_LA,
            "--data",
            str(demo_build.data_dir),
            "--out",
            str(out),
            "--no-launch",
            "--quiet",
        ]
    )
    assert code == 0
    notebook = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert notebook == out / "jupyter" / DEMO_LA / DEMO_PERIOD / "performance.ipynb"
    nb = nbformat.read(str(notebook), as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and f'period = "{DEMO_PERIOD}"' in injected[0].source

    NotebookClient(nb, timeout=600, resources={"metadata": {"path": str(tmp_path)}}).execute()
    opened = {(f.id, f.period, f.area): f.value for f in dedupe_figures(collect_figures(nb))}
    built = {
        (f["id"], f["period"], f["area"]): f["value"]
        for f in demo_build.figures
        if f["report"] == "performance"
    }
    assert opened == built


def test_open_unknown_report_is_a_parameter_error(demo_build: DemoBuild, tmp_path: Path) -> None:
    code = main(
        [
            "open",
            "no-such-report",
            "--data",
            str(demo_build.data_dir),
            "--out",
            str(tmp_path),
            "--no-launch",
            "--quiet",
        ]
    )
    assert code == 2
