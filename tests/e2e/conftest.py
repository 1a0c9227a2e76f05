"""One real demo build per test session, shared by the end-to-end tests.

Tests that use these fixtures are grouped onto one xdist worker (``xdist_group("e2e")``)
so the build runs once, not once per worker.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from sendreport.build import BuildOptions, build
from sendreport.cli import main
from sendreport.manifest import output_hashes
from sendreport.periods import Period

DEMO_PERIOD = "2023-24-Q4"
DEMO_LA = "919"


@dataclass(frozen=True)
class DemoBuild:
    data_dir: Path
    out_dir: Path
    folder: Path
    figures: list[dict]
    manifest: dict

    def reports(self) -> list[str]:
        return sorted(p.stem for p in self.folder.glob("*.html"))


def build_folder(data_dir: Path, out_dir: Path, la: str, period: str = DEMO_PERIOD) -> DemoBuild:
    """Build one period of ``data_dir`` for ``la`` into ``out_dir`` (the library call)."""
    result = build(
        BuildOptions(
            periods=(Period.parse(period),), la=la, data_dir=data_dir, out_dir=out_dir, jobs=2
        )
    )[0]
    return DemoBuild(
        data_dir=data_dir,
        out_dir=out_dir,
        folder=result.folder,
        figures=json.loads((result.folder / "figures.json").read_text()),
        manifest=json.loads((result.folder / "manifest.json").read_text()),
    )


def make_demo_build(root: Path, la: str = DEMO_LA, period: str = DEMO_PERIOD) -> DemoBuild:
    """Demo data for ``la`` under ``root``, built for ``period``."""
    from sendreport.demo import write_demo

    data_dir = root / "data" / la
    write_demo(data_dir, la_code=la)
    return build_folder(data_dir, root / "out", la, period)


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> DemoBuild:
    return make_demo_build(tmp_path_factory.mktemp("demo-build"))


@pytest.fixture(scope="session")
def herefordshire_build(tmp_path_factory: pytest.TempPathFactory) -> DemoBuild:
    """A demo build for Herefordshire (884), shared by the reports and council tests."""
    return make_demo_build(tmp_path_factory.mktemp("demo-884"), la="884")


@pytest.fixture()
def published(demo_build: DemoBuild, tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A private copy of the published demo build: (out dir, build folder, its hashes)."""
    out = tmp_path / "out"
    shutil.copytree(demo_build.out_dir, out)
    folder = out / "919" / DEMO_PERIOD
    return out, folder, output_hashes(folder) | {"manifest.json": "recorded"}


def build_argv(
    demo_build: DemoBuild, out: Path, *extra: str, data: Path | None = None
) -> list[str]:
    """``sendreport build`` arguments for the demo data (or ``data``) into ``out``
    (forced, quiet): the one place end-to-end tests spell out a build's argv."""
    return [
        "build",
        "--period",
        DEMO_PERIOD,
        "--la",
        DEMO_LA,
        "--data",
        str(data or demo_build.data_dir),
        "--out",
        str(out),
        "--quiet",
        "--force",
        *extra,
    ]


def run_build(demo_build: DemoBuild, out: Path, *extra: str) -> int:
    return main(build_argv(demo_build, out, *extra))


def assert_untouched(folder: Path, hashes: dict[str, str]) -> None:
    now = output_hashes(folder) | {"manifest.json": "recorded"}
    assert now == hashes, "the last good build changed"
