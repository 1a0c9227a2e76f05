"""A stated data end (``--data-end``) is the one "data as at" day: the page header and the
notebook's own words say it, and changing it is a different build."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from sendreport.build import BuildOptions, build
from sendreport.periods import Period
from tests.e2e.conftest import DEMO_PERIOD, DemoBuild

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("e2e")]

STATED = date(2026, 10, 15)  # after the demo data's last month end
AS_AT = re.compile(r"Data as at (\d{1,2} \w+ \d{4})")


def _options(demo_build: DemoBuild, out: Path, data_end: date | None) -> BuildOptions:
    return BuildOptions(
        periods=(Period.parse(DEMO_PERIOD),),
        la="919",
        data_dir=demo_build.data_dir,
        out_dir=out,
        reports=("newsletter",),
        formats=("html",),
        data_end=data_end,
    )


def test_stated_data_end_is_the_day_every_page_and_sentence_names(
    demo_build: DemoBuild, tmp_path: Path
) -> None:
    result = build(_options(demo_build, tmp_path, STATED))[0]
    html = (result.folder / "newsletter.html").read_text(encoding="utf-8")
    days = AS_AT.findall(html)
    assert len(days) >= 2  # the page header and the notebook's methodology
    assert set(days) == {"15 October 2026"}
    again = build(_options(demo_build, tmp_path, STATED))[0]
    assert again.status == "up to date"
    derived = build(_options(demo_build, tmp_path, None))[0]
    assert derived.status == "built"  # another data end is another build
    derived_days = set(AS_AT.findall((derived.folder / "newsletter.html").read_text()))
    assert len(derived_days) == 1 and derived_days != {"15 October 2026"}
