"""The notebook API's helpers that used to be written in notebook cells: one call per figure
(``rep.measure``), titles, table cells for targets and benchmarks, improvement-area lines,
and the month and quarter helpers charts use."""

from __future__ import annotations

from datetime import date
from typing import Any

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from sendreport import charts, present
from sendreport.demo import generate_demo
from sendreport.figures import FIGURE_MIME
from sendreport.metrics import REGISTRY, build_scorecard
from sendreport.periods import Period, month_periods, quarter_label
from sendreport.present import Markup, ReportContext
from sendreport.profile import ImprovementArea, Profile

Q = Period.parse("2023-24-Q4")


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return generate_demo("919")


@pytest.fixture()
def shown(monkeypatch) -> list[Any]:
    """What the context displays (figure payloads and HTML), captured."""
    out: list[Any] = []
    monkeypatch.setattr(present, "_display", lambda obj, **_: out.append(obj))
    return out


def context(frames: dict[str, pd.DataFrame], **profile: Any) -> ReportContext:
    return ReportContext(
        report="performance",
        period=Q,
        la="919",
        la_name="Hertfordshire",
        frames=frames,
        benchmarks=pd.DataFrame(),
        data_as_at=Q.end,
        profile=Profile(**profile).named_for("919"),
    )


def figures(shown: list[Any]) -> list[dict[str, Any]]:
    return [o[FIGURE_MIME] for o in shown if isinstance(o, dict) and FIGURE_MIME in o]


def test_month_periods_end_with_the_month_of_the_day_given() -> None:
    months = month_periods(date(2024, 3, 15), 24)
    assert len(months) == 24
    assert (months[0].start, months[-1].end) == (date(2022, 4, 1), date(2024, 3, 31))
    assert months == sorted(months) and all(m.span.count(" ") == 1 for m in months)
    assert month_periods(date(2024, 1, 31), 2) == [Period.month(2023, 12), Period.month(2024, 1)]


def test_quarter_label_one_line_or_two() -> None:
    assert quarter_label(Q) == "2023-24 Q4"
    assert quarter_label(Period.parse("2024-25-Q1"), "\n") == "2024-25\nQ1"


def test_thin_ticks_labels_every_nth_month_counting_back_from_the_last() -> None:
    labels = [f"M{i}" for i in range(7)]
    fig, _ = charts.line_chart(
        {"x": pd.Series(range(7), index=labels, dtype="Float64")},
        title="t",
        y_label="y",
        unit="count",
    )
    charts.thin_ticks(fig, labels, 3)
    ax = fig.axes[0]
    assert list(ax.get_xticks()) == [6, 3, 0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["M6", "M3", "M0"]


def test_measure_is_the_registered_metric_for_the_period(frames) -> None:
    rep = context(frames)
    requests = frames["ehcp_requests"]
    for metric_id in ("ehcp_20wk_pct_ex", "ehcp_plans_issued", "ehcna_refusal_pct"):
        assert rep.measure(metric_id) == REGISTRY[metric_id].func(requests, Q)
    year_ago = Q.same_period_last_year()
    assert rep.measure("ehcp_caseload", year_ago) == REGISTRY["ehcp_caseload"].func(
        frames["ehcp_caseload"], year_ago
    )


def test_measure_is_none_without_its_dataset_and_reads_named_inputs(frames) -> None:
    rep = context({k: v for k, v in frames.items() if k != "workforce"})
    assert rep.measure("case_officer_average_caseload") is None
    assert not rep.measurable("case_officer_average_caseload")
    assert rep.measurable("ehcp_20wk_pct_ex")
    card = build_scorecard(frames, Q, ["ehcp_20wk_pct_ex", "ehcp_plans_issued"], la_code="919")
    counted = rep.measure("scorecard_rated_count", Q, scorecard=card)
    assert counted is not None and counted.value == card["rag"].notna().sum()
    assert rep.measure("scorecard_rated_count", Q) is None  # no scorecard given


def test_measure_uses_the_profile_baseline_for_changes_in_waiting_lists(frames) -> None:
    waits, func = frames["service_waits"], REGISTRY["slt_waiting_change_pct"].func
    rep = context(frames, waiting_list_baseline=date(2022, 3, 31))
    since = rep.measure("slt_waiting_change_pct")
    assert since == func(waits, Q, baseline=date(2022, 3, 31))
    assert context(frames).measure("slt_waiting_change_pct") == func(waits, Q)
    assert since != func(waits, Q)


def test_title_and_upper_first() -> None:
    assert ReportContext.title("ehcp_20wk_pct_ex") == REGISTRY["ehcp_20wk_pct_ex"].title
    assert ReportContext.upper_first("early help") == "Early help"
    assert ReportContext.upper_first("CAMHS") == "CAMHS" and ReportContext.upper_first("") == ""


def test_area_lines_record_each_listed_figure_and_skip_missing_datasets(frames, shown) -> None:
    areas = (ImprovementArea(2, ("ehcp_20wk_pct_ex", "case_officer_average_caseload")),)
    rep = context({k: v for k, v in frames.items() if k != "workforce"}, improvement_areas=areas)
    lines = rep.area_lines(2)
    assert len(lines) == 1 and lines[0].startswith("- EHC plans issued within 20 weeks")
    assert [f["id"] for f in figures(shown)] == ["ehcp_20wk_pct_ex"]
    assert rep.area_lines(9) == []


def test_target_cell_states_the_target_and_its_date(frames, shown) -> None:
    rep = context(frames)
    cell = rep.target_cell("ehcp_20wk_pct_ex")
    assert isinstance(cell, Markup) and cell.numeric and "by " in cell.html
    assert figures(shown)[-1]["id"] == "ehcp_20wk_pct_ex_target"
    assert rep.target_cell("ehcna_requests_received") == Markup("no target", numeric=True)


def test_benchmark_cell_records_a_published_row_or_says_not_published(shown) -> None:
    rep = context({})
    assert rep.benchmark_cell(None, "England", "calendar year 2023, DfE") == Markup(
        "not published", numeric=True
    )
    row = pd.Series(
        {
            "period": "2023",
            "measure": "ehcp_20wk_pct_ex",
            "level": "national",
            "area_code": "E92000001",
            "value": 50.3,
        }
    )
    cell = rep.benchmark_cell(row, "Within 20 weeks: England, 2023", "calendar year 2023, DfE")
    assert cell.html.startswith("50.3%") and "calendar year 2023, DfE" in cell.html
    assert figures(shown)[-1]["area"] == "E92000001"


def test_direction_words() -> None:
    card = pd.DataFrame(
        {
            "metric_id": ["a", "b", "c", "d"],
            "direction": ["improving", "worsening", "no change", None],
        }
    )
    words = [ReportContext.direction_words(card, i) for i in "abcd"]
    assert words == [
        "better than a year earlier",
        "worse than a year earlier",
        "much the same as a year earlier",
        "no comparison with a year earlier",
    ]


def test_week_bins_reach_past_the_longest_wait_and_at_least_60_weeks() -> None:
    assert charts.week_bins(pd.Series([3.0, 19.5])) == list(range(0, 61, 4))
    assert charts.week_bins(pd.Series([70.1]))[-2:] == [72, 76]
    assert charts.week_bins(pd.Series([], dtype="float64")) == list(range(0, 61, 4))


def test_weeks_to_plan_are_the_quarters_plans_in_weeks(frames) -> None:
    weeks = context(frames).weeks_to_plan()
    issued = REGISTRY["ehcp_plans_issued"].func(frames["ehcp_requests"], Q)
    assert len(weeks) == issued.value and weeks.dtype == "float64"
    within = REGISTRY["ehcp_plans_issued_within_20wk"].func(frames["ehcp_requests"], Q)
    assert (weeks <= 20).sum() == within.value


def test_calendar_years_covered_are_whole_and_ended_by_the_quarter_end(frames) -> None:
    years = context(frames).calendar_years_covered()
    first = frames["ehcp_requests"]["plan_issued_date"].min()
    assert years and years[-1] == 2023  # 2024 had not ended by 31 March 2024
    assert years[0] >= first.year and years == list(range(years[0], 2024))


def test_benchmarks_by_year_key_rows_by_year_and_level(frames) -> None:
    from sendreport.dfe.published import published_benchmarks

    rep = context(frames)
    rep.benchmarks = published_benchmarks()
    found = rep.benchmarks_by_year("ehcp_20wk_pct_ex")
    assert ("2023", "england") in found and ("2023", "la") in found
    assert ("2024", "england") not in found  # not published by the quarter end
    assert {level for _, level in found} <= {"england", "region", "neighbours", "la"}
    assert str(found[("2023", "la")]["area_code"]) in {"919", "E10000015"}
    rep.la = "999"  # outside the reference tables: no comparators, no error
    assert rep.benchmarks_by_year("ehcp_20wk_pct_ex") == {}


def test_month_after_and_number_words() -> None:
    from sendreport.fragments import number_words
    from sendreport.periods import month_after

    assert month_after(date(2024, 6, 30)) == Period.month(2024, 7)
    assert month_after(date(2024, 12, 31)) == Period.month(2025, 1)
    assert [number_words(n) for n in (0, 1, 10, 11)] == ["no", "one", "ten", "11"]


def test_actions_due_are_the_next_two_quarters_soonest_first(frames) -> None:
    due = context(frames).actions_due(quarters=2, limit=6)
    assert list(due.columns) == ["due_date", "action", "status"] and len(due) <= 6
    assert due["due_date"].is_monotonic_increasing
    assert (due["due_date"] > pd.Timestamp(Q.end)).all()
    assert (due["due_date"] <= pd.Timestamp(date(2024, 9, 30))).all()
    assert context({}).actions_due().empty  # no improvement plan


def test_linked_actions_find_actions_by_words_and_the_councils_service_names(frames) -> None:
    rep = context(
        frames, camhs_service="Healthy Minds (CAMHS)", early_help_service="Families First"
    )
    assert rep.action_words("camhs_waiting") == r"CAMHS|mental health|Healthy\ Minds"
    assert rep.action_words("families_first_assessments") == r"early help|Families\ First"
    assert rep.action_words("ehcna_requests_received") == "Requests"  # the title's first word
    updates = pd.DataFrame(
        {
            "action": ["Clear the backlog of overdue assessments", "Open a new special school"],
            "owner": ["Head of SEND", "Head of place planning"],
            "due_date": pd.to_datetime(["2024-06-30", "2025-09-01"]),
            "status": ["on_track", "at_risk"],
            "progress_update": ["Two officers appointed.", "Site agreed."],
        }
    )
    table = rep.linked_actions("ehcp_overdue_open", updates)
    assert table.to_dict("records") == [
        {
            "Action": "Clear the backlog of overdue assessments",
            "Owner": "Head of SEND",
            "Due": "June 2024",
            "Status": "On track",
            "Latest update (the service's words)": "Two officers appointed.",
        }
    ]
    assert rep.linked_actions("cla_3plus_placements_pct", updates).empty


def test_rag_rule_states_the_councils_amber_band() -> None:
    text = context({}, amber_band_pct=5).rag_rule_text()
    assert text.startswith("**RAG rule**") and "within 5% of the target" in text
    assert "within 10% of the target" in context({}).rag_rule_text()


def test_suppress_within_applies_the_secondary_rule_inside_the_group_only() -> None:
    from sendreport.disclosure import suppress_within

    values = [40, 3, 2, 30, 12]  # the last three are parts of a backlog stated nearby
    in_group = [False, False, True, True, True]
    assert suppress_within(values, in_group, 5) == [False, True, True, False, True]
    assert suppress_within(values, [False] * 5, 5) == [False, True, True, False, False]


def test_waiting_series_name_services_in_the_councils_words_and_hide_small_counts(
    frames,
) -> None:
    months = month_periods(Q.end, 24)
    rep = context(frames, camhs_service="healthy minds", small_number_threshold=10)
    series = rep.waiting_series(months)
    assert "Healthy minds" in series
    shown = next(iter(series.values()))
    assert list(shown.index)[-1] == "Mar 2024" and len(shown) == 24
    assert all(pd.isna(v) or v >= 10 for s in series.values() for v in s)
    assert context({}).waiting_series(months) == {}


def test_period_note_states_the_period_and_the_data_as_at_day() -> None:
    rep = context({})
    rep.data_as_at = date(2024, 4, 5)
    assert rep.data_as_at_words == "5 April 2024"
    assert rep.period_note() == (
        "Figures are for January–March 2024 (financial-year quarter) unless another period is "
        "named next to them. Data as at 5 April 2024."
    )


def test_overdue_bands_by_month_are_the_overdue_bands_of_each_month_end(frames) -> None:
    from sendreport.metrics import ehcp_overdue_age_profile

    months = month_periods(Q.end, 3)
    stack = context(frames, small_number_threshold=1).overdue_bands_by_month(months)
    assert list(stack.index) == ["Jan 2024", "Feb 2024", "Mar 2024"]
    profile = ehcp_overdue_age_profile(frames["ehcp_requests"], months[-1])
    overdue = profile.loc[profile["overdue"].astype(bool)]
    assert list(stack.columns) == list(overdue["band"])
    assert list(stack.loc["Mar 2024"]) == [float(v) for v in overdue["requests"]]
