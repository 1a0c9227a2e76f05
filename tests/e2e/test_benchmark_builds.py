"""Benchmarks in real builds: ``--dfe`` with the shared release, with a release whose columns are
renamed as the next one renames them, and an LA other than the demo's with no ``--dfe`` at all."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from sendreport.build import BuildOptions, build
from sendreport.dfe.release import RELEASE_FILES, load_release
from sendreport.periods import Period
from sendreport.reference import ons_code

from .conftest import DEMO_PERIOD, DemoBuild

pytestmark = [pytest.mark.slow, pytest.mark.shared_data, pytest.mark.xdist_group("e2e")]

TRIBUNAL_FILE = "SEND Tribunals and appeal rate 2014-2024.csv"


def build_performance(data_dir: Path, out: Path, la: str, dfe: Path | None = None) -> list[dict]:
    """Only the performance report (it states every benchmark), reader HTML: the cheap build."""
    result = build(
        BuildOptions(
            periods=(Period.parse(DEMO_PERIOD),),
            la=la,
            data_dir=data_dir,
            out_dir=out,
            editions=("reader",),
            formats=("html",),
            dfe_dir=dfe,
            reports=("performance",),
            jobs=1,
        )
    )[0]
    return json.loads((result.folder / "figures.json").read_text())


def renamed_release(release: Path, root: Path) -> Path:
    """A copy of the release as the 2026 release spells it: every column lower case and the
    headline breakdown "All EHC plans" (see the shared data README)."""
    data = root / "ehcp-2026" / "data"
    data.mkdir(parents=True)
    for rf in RELEASE_FILES:
        with (release / "data" / f"{rf.stem}.csv").open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        rows[0] = [c.lower() for c in rows[0]]
        if rf.stem == "timeliness_20_week":
            rows = [
                [("All EHC plans" if c == "All EHC plans issued" else c) for c in r] for r in rows
            ]
        with (data / f"{rf.stem}.csv").open("w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f).writerows(rows)
    (root / "ehcp-2026" / "supporting-files").mkdir()
    shutil.copy(
        release / "supporting-files" / TRIBUNAL_FILE, root / "ehcp-2026" / "supporting-files"
    )
    return root / "ehcp-2026"


def benchmark_figures(figures: list[dict]) -> dict[tuple, tuple]:
    """DfE figures (area other than the LA's own local data), keyed without the source."""
    return {
        (f["id"], f["period"], f["area"], f.get("role")): (
            f["value"],
            f["numerator"],
            f["denominator"],
        )
        for f in figures
        if f["basis"] in ("calendar year", "January snapshot")
        and f["area"] != "919"
        and any("--dfe" in s for s in f["source"])
    }


def reuse_validation(demo_build: DemoBuild, out: Path) -> None:
    """The inputs already passed validation in the shared demo build: reuse that record."""
    shutil.copytree(demo_build.out_dir / ".cache" / "validation", out / ".cache" / "validation")


def test_dfe_release_and_renamed_release_give_identical_benchmarks(
    demo_build: DemoBuild, dfe_release: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    reuse_validation(demo_build, out)
    as_published = build_performance(demo_build.data_dir, out, "919", dfe_release)
    renamed = renamed_release(dfe_release, tmp_path / "releases")
    as_renamed = build_performance(demo_build.data_dir, tmp_path / "out2", "919", renamed)
    first, second = benchmark_figures(as_published), benchmark_figures(as_renamed)
    assert first, "the --dfe build stated no DfE figure"
    assert first == second
    # The figures name the folder and file actually read.
    sources = {s for f in as_renamed for s in f["source"] if "--dfe" in s}
    assert any(s.startswith("ehcp-2026/timeliness_20_week.csv") for s in sources), sources
    england = [
        f for f in as_published if f["id"] == "dfe_ehcp_20wk_pct_ex" and f["area"] == "E92000001"
    ]
    assert england and england[0]["period"] == "2023" and england[0]["value"] == 50.3


def test_any_la_gets_its_published_figures_without_dfe(dfe_release: Path, tmp_path: Path) -> None:
    from sendreport.demo import write_demo

    data = tmp_path / "data"
    write_demo(data, la_code="383", dfe_dir=dfe_release)  # Leeds, calibrated
    figures = build_performance(data, tmp_path / "out", "383")
    tidy = load_release(dfe_release, files=("timeliness_20_week",))
    leeds = tidy[(tidy["la_code"] == "383") & (tidy["measure"] == "ehcp_20wk_pct_ex")]
    published = dict(zip(leeds["period"], leeds["value"], strict=True))
    stated = [
        f for f in figures if f["id"] == "dfe_ehcp_20wk_pct_ex" and f["area"] == ons_code("383")
    ]
    assert stated, "no DfE figure for Leeds was stated"
    for f in stated:
        assert f["value"] == published[f["period"]]
        assert any("published_ehcp_2025.csv" in s for s in f["source"])
    neighbours = [f for f in figures if f["area"] == "SN:383"]
    assert neighbours and all(f["value"] is not None for f in neighbours)
