"""Every quarter the build accepts for the data builds: the earliest and the latest it accepts
(the quarters between are built by the no-look-ahead tests), and the quarters either side are
refused before any kernel starts, naming the range the data supports."""

from __future__ import annotations

from pathlib import Path

import pytest

from sendreport.build import check_periods_in_data, data_range
from sendreport.demo import generate_demo, write_demo
from sendreport.exceptions import ParameterError
from sendreport.periods import Period, quarter_containing

from .runner import REPORTS, figures_of

pytestmark = [pytest.mark.slow]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Period]]:
    folder = tmp_path_factory.mktemp("demo") / "919"
    write_demo(folder, la_code="919")
    start, end = data_range(generate_demo("919"))
    first = quarter_containing(start)
    first = first if first.start >= start else first.next_quarter()
    last = quarter_containing(end)
    last = last if last.end <= end else last.previous_quarter()
    return folder, Period.parse_range(f"{first.label}..{last.label}")


def test_the_accepted_range_is_refused_outside(demo: tuple[Path, list[Period]]) -> None:
    folder, accepted = demo
    start, end = data_range(generate_demo("919"))
    check_periods_in_data(accepted, start, end, folder)
    for outside in (accepted[0].previous_quarter(), accepted[-1].next_quarter()):
        with pytest.raises(ParameterError, match=f"quarters from {accepted[0].label}"):
            check_periods_in_data([outside], start, end, folder)


@pytest.mark.parametrize("which", ["earliest", "latest"])
@pytest.mark.parametrize("report", REPORTS)
def test_accepted_period_builds(
    demo: tuple[Path, list[Period]], report: str, which: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, accepted = demo
    period = accepted[0] if which == "earliest" else accepted[-1]
    assert figures_of(report, period.label, "919", folder, monkeypatch)
