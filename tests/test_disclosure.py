"""Small-number suppression: the rule, secondary suppression, and what reports record."""

from __future__ import annotations

import itertools
from typing import Any

import pandas as pd
import pytest

from sendreport import disclosure, present
from sendreport.charts import histogram, stacked_bar_chart
from sendreport.figures import FIGURE_MIME
from sendreport.fragments import render_table
from sendreport.metrics.base import Measure
from sendreport.periods import Period
from sendreport.present import ReportContext
from sendreport.profile import Profile

Q = Period.parse("2023-24-Q4")


def count(n: float, metric_id: str = "ehcp_plans_issued") -> Measure:
    return Measure(float(n), Q, "count", id=metric_id)


def rate(num: float, den: float) -> Measure:
    return Measure(100 * num / den, Q, "%", numerator=num, denominator=den, id="ehcp_20wk_pct_ex")


@pytest.mark.parametrize(
    ("measure", "hidden"),
    [
        (count(0), False),
        (count(1), True),
        (count(4), True),
        (count(5), False),
        (count(3, "case_officers_in_training"), False),  # staff, not children
        (count(3, "scorecard_red_count"), False),
        (rate(3, 40), True),  # numerator 3 of 40: 7.5% would give it away
        (rate(2, 4), True),
        (rate(20, 40), False),
        (Measure(None, Q, "%", numerator=0, denominator=0, id="ehcp_20wk_pct_ex"), False),
    ],
)
def test_primary_rule(measure: Measure, hidden: bool) -> None:
    assert disclosure.must_suppress(measure, 5) is hidden
    assert disclosure.must_suppress(measure, 1) is False  # a threshold of 1 turns it off


def test_secondary_suppression_hides_a_second_part() -> None:
    assert disclosure.suppress_group([54, 17, 3], 5) == [False, True, True]
    assert disclosure.suppress_group([54, 0, 3], 5) == [True, False, True]
    assert disclosure.suppress_group([2, 3, 40], 5) == [True, True, False]
    assert disclosure.suppress_group([0, 0, 3], 5) == [False, False, True]  # zeros say nothing
    assert disclosure.suppress_group([10, 20], 5) == [False, False]


def test_no_hidden_part_is_recoverable_by_subtraction() -> None:
    """Every group of up to four parts from 0 to 7: each small part is hidden, and a lone
    hidden part happens only when no other non-zero part was left to hide with it."""
    for size in range(1, 5):
        for parts in itertools.product(range(8), repeat=size):
            hide = disclosure.suppress_group(list(parts), 5)
            assert all(h for p, h in zip(parts, hide, strict=True) if 0 < p < 5)
            if sum(hide) == 1:
                assert all(p == 0 for p, h in zip(parts, hide, strict=True) if not h)


def test_chart_series_and_rows_hide_small_counts() -> None:
    s = pd.Series([12.0, 3.0, 0.0, 7.0], index=list("abcd"))
    assert disclosure.suppress_series(s, 5).isna().tolist() == [False, True, False, False]
    shown = disclosure.suppress_series(s, 5, total_shown=True)
    assert shown.isna().tolist() == [False, True, False, True]
    frame = pd.DataFrame({"x": [2.0, 10.0], "y": [30.0, 11.0], "z": [40.0, 1.0]})
    rows = disclosure.suppress_rows(frame, 5)
    assert rows.isna().sum(axis=1).tolist() == [2, 2]
    _, alt = stacked_bar_chart(rows, title="Backlog", y_label="Requests")
    assert " 2" not in alt and " 1." not in alt and "no value" in alt


def test_histogram_leaves_out_small_bands_in_picture_and_alt_text() -> None:
    weeks = pd.Series([1.0] * 20 + [9.0] * 2 + [30.0] * 8)
    _, alt = histogram(weeks, title="Weeks", x_label="Weeks", bins=[0, 8, 16, 24, 32],
                       suppress_below=5)  # fmt: skip
    assert "bands with fewer than 5 plans are not shown" in alt
    assert "shortest" not in alt and "longest" not in alt
    _, plain = histogram(weeks, title="Weeks", x_label="Weeks", bins=[0, 8, 16, 24, 32])
    assert "shortest 1.0" in plain


@pytest.fixture()
def shown(monkeypatch) -> list[Any]:
    """What a ReportContext displays (figure payloads and HTML), captured."""
    out: list[Any] = []
    monkeypatch.setattr(present, "_display", lambda obj, **_: out.append(obj))
    return out


def context(threshold: int = 5) -> ReportContext:
    return ReportContext(
        report="newsletter",
        period=Q,
        la="330",
        la_name="Birmingham",
        frames={},
        benchmarks=pd.DataFrame(),
        data_as_at=Q.end,
        profile=Profile(small_number_threshold=threshold).named_for("330"),
    )


def test_fig_shows_fewer_than_and_figures_json_keeps_the_value(shown: list[Any]) -> None:
    rep = context()
    assert rep.fig(count(3), "Plans") == "fewer than 5"
    assert rep.fig(rate(3, 40), "Within 20 weeks") == "not shown: fewer than 5 cases"
    assert rep.fig(count(12), "Plans") == "12"
    payloads = [o[FIGURE_MIME] for o in shown if isinstance(o, dict)]
    assert [p["suppressed"] for p in payloads] == [True, True, False]
    assert payloads[0]["value"] == 3.0 and payloads[1]["numerator"] == 3.0
    parts = rep.fig_group([count(54), count(17), count(3)], ["a", "b", "c"])
    assert parts == ["54", "fewer than 5", "fewer than 5"]
    assert context(threshold=10).fig(count(7), "Plans") == "fewer than 10"


def test_table_cells_and_missing_figures_read_plainly(shown: list[Any]) -> None:
    rep = context()
    cells = [rep.count_cell(3), rep.count_cell(0), rep.count_cell(None), rep.count_cell(1234)]
    table = render_table(pd.DataFrame({"Quarter": ["Q"] * 4, "Plans": cells}), "Plans")
    assert "fewer than 5" in table and ">0<" in table and "no figure" in table
    assert "1,234" in table
    missing = Measure(None, Q, "count", note="no CAMHS waiting list count", id="camhs_waiting")
    text = rep.fig(missing, "CAMHS")
    assert text.startswith("no figure for this quarter")
    for bad in ("nan", "None", "inf"):
        assert bad not in text and bad not in table
