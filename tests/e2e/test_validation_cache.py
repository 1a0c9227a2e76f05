"""A passing validation is reused for identical inputs; --force and changed data revalidate."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sendreport.build import BuildOptions, build
from sendreport.periods import Period
from sendreport.progress import Progress
from tests.e2e.conftest import DEMO_PERIOD, DemoBuild

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("e2e")]


class Recorder(Progress):
    def __init__(self) -> None:
        super().__init__(quiet=False)
        self.lines: list[str] = []

    def say(self, message: str) -> None:
        self.lines.append(message)


def _build(data: Path, out: Path, **kw) -> list[str]:
    progress = Recorder()
    build(
        BuildOptions(
            periods=(Period.parse(DEMO_PERIOD),),
            la="919",
            data_dir=data,
            out_dir=out,
            reports=("newsletter",),
            formats=("html",),
            **kw,
        ),
        progress,
    )
    return progress.lines


def test_validation_is_reused_only_for_identical_inputs(
    demo_build: DemoBuild, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_build.data_dir, data)
    out = tmp_path / "out"
    first = _build(data, out)
    assert any("validating inputs" in line for line in first)
    # Same data, different parameters (a new edition set): validation is reused.
    second = _build(data, out, editions=("reader",))
    assert any("reusing that result" in line for line in second)
    assert not any("validating inputs" in line for line in second)
    # --force always revalidates.
    forced = _build(data, out, editions=("reader",), force=True)
    assert any("validating inputs" in line for line in forced)
    # Changed data is validated again.
    targets = data / "targets.csv"
    targets.write_text(targets.read_text(encoding="utf-8").replace("60", "65", 1), encoding="utf-8")
    changed = _build(data, out)
    assert any("validating inputs" in line for line in changed)
