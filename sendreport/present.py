"""What a report notebook calls to state figures, tables and charts.

``open_report`` loads the validated inputs for one LA and quarter and returns a
:class:`ReportContext`. Its ``fig`` method both formats a metric for the reader and records
it (see :mod:`sendreport.figures`), so a sentence like::

    rep.say(f"We finalised {rep.fig(issued, 'EHC plans finalised')} new plans.")

publishes the number and its evidence in one step. Derivation tables go to the audit
edition only: they carry the ``audit-only`` output tag that the reader edition removes.
"""

from __future__ import annotations

import html
import inspect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from sendreport import disclosure
from sendreport.commentary import (
    COMMENTARY_MIME,
    WARNING_MIME,
    commentary_html,
    commentary_payload,
    find_commentary,
    missing_commentary,
)
from sendreport.figures import ENGLAND, FIGURE_MIME, figure_role, make_payload
from sendreport.fragments import (
    AUDIT_ONLY,
    Markup,
    data_as_at,
    day_words,
    format_value,
    methodology_brief_html,
    methodology_html,
    num,
    rag_markup,
    render_chart,
    render_table,
)
from sendreport.metrics.base import REGISTRY, Measure, compute, datasets_for, metric_arguments
from sendreport.periods import Period
from sendreport.profile import Profile, escape_words
from sendreport.sanitise import clean_html, escape_markdown, markdown_to_html
from sendreport.tables import TABLE_MIME, make_table_record

DFE_SOURCE = "DfE: Education, health and care plans (explore-education-statistics)"

# A scorecard's direction of travel as the words before "a year earlier".
DIRECTION_WORDS = {
    "improving": "better than",
    "worsening": "worse than",
    "no change": "much the same as",
}
# Words that link an improvement plan action to a measure (regular expressions, matched
# case-insensitively in the action's text), so the link works for any council's plan, not by
# action number. CAMHS and early help add the council's own service names (council.toml).
ACTION_WORDS = {
    "ehcp_20wk_pct_ex": r"EHC plan|backlog|overdue|case officer|assessment",
    "ehcp_20wk_pct_inc": r"EHC plan|backlog|overdue|case officer|assessment",
    "ehcp_weeks_to_issue_median": r"EHC plan|backlog|overdue|assessment",
    "ehcna_decision_6wk_pct": r"assessment|health advice",
    "ehcp_overdue_open": r"backlog|overdue|case officer",
    "slt_waiting": r"speech and language",
    "slt_waiting_over_18wk": r"speech and language",
    "camhs_waiting": r"CAMHS|mental health",
    "camhs_waiting_over_18wk": r"CAMHS|mental health",
    "special_school_places": r"special school|place",
    "placement_waits_over_1yr": r"school place|waited",
    "families_first_assessments": r"early help",
    "cla_3plus_placements_pct": r"looked after|placement stability",
    "case_officer_average_caseload": r"case officer",
    "improvement_actions_on_track_pct": r".",
}
# An improvement plan action's status as the tables write it.
STATUS_WORDS = {
    "not_started": "Not started",
    "on_track": "On track",
    "at_risk": "At risk",
    "off_track": "Off track",
    "complete": "Complete",
}
# Optional datasets that add words around figures rather than a topic of their own: their
# absence leaves no section out, so it goes unmentioned.
NOT_A_TOPIC = ("commentary",)


# How a report names an optional dataset a council does not supply.
NOT_REPORTED_WORDS = {
    "service_waits": "waiting lists for health services",
    "school_places": "special school places",
    "placement_waits": "children waiting for a school place",
    "workforce": "the SEND case officer workforce",
    "families_first": "early help assessments",
    "cla_stability": "placement stability for children looked after",
    "improvement_plan": "progress on an improvement plan",
    "targets": "targets",
}


def _display(obj: Any, *, raw: bool = False, metadata: dict | None = None) -> None:
    from IPython.display import display

    display(obj, raw=raw, metadata=metadata)


def datasets_used(metric_id: str) -> list[str]:
    """The contract datasets a metric reads: its parameters named after them."""
    return datasets_for(metric_id)


@dataclass
class ReportContext:
    report: str
    period: Period
    la: str
    la_name: str
    frames: dict[str, pd.DataFrame]
    benchmarks: pd.DataFrame
    data_as_at: date
    used_metrics: list[str] = field(default_factory=list)
    profile: Profile = field(default_factory=Profile)
    # Optional datasets this council does not supply: their sections are left out.
    absent: tuple[str, ...] = ()

    # ---- the council ------------------------------------------------------------------
    def has(self, *datasets: str) -> bool:
        """Whether every one of ``datasets`` was supplied (optional datasets may be absent)."""
        return all(name in self.frames for name in datasets)

    def words(self, text: str) -> str:
        """Profile words (a board's or service's name) as literal Markdown text."""
        return escape_words(text)

    @property
    def data_as_at_words(self) -> str:
        """The day the data is as at, as every page writes it (the page header too)."""
        return day_words(self.data_as_at)

    def period_note(self) -> str:
        """The sentence that opens a methodology: the period figures are for and the data's
        date."""
        return (
            f"Figures are for {self.period.describe()} unless another period is named next to "
            f"them. Data as at {self.data_as_at_words}."
        )

    @property
    def threshold(self) -> int:
        return self.profile.small_number_threshold

    def say_not_reported(self) -> None:
        """One plain sentence naming the optional datasets this council does not supply."""
        titles = [NOT_REPORTED_WORDS.get(n, n) for n in self.absent if n not in NOT_A_TOPIC]
        if not titles:
            return
        listed = titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + " and " + titles[-1]
        self.say(
            f"{self.words(self.profile.short_name)} does not report on {listed}, so this "
            "report leaves those sections out."
        )

    def measure(
        self, metric_id: str, period: Period | None = None, **inputs: pd.DataFrame
    ) -> Measure | None:
        """The one way a notebook computes a figure: registered metric ``metric_id`` for
        ``period`` (default: the quarter) from this council's data; None when a dataset it
        needs was not supplied. ``inputs`` are frames that are not datasets of the contract
        (the ``scorecard`` the counts of ratings read). Changes in waiting lists are measured
        from the profile's baseline date when it sets one."""
        baseline = self.profile.waiting_list_baseline
        options = {"baseline": baseline} if baseline is not None else {}
        return compute(metric_id, {**self.frames, **inputs}, period or self.period, **options)

    def measurable(self, metric_id: str) -> bool:
        """Whether this council supplies every dataset ``metric_id`` needs."""
        return metric_arguments(metric_id, self.frames)[1] is None

    @staticmethod
    def title(metric_id: str) -> str:
        """A registered metric's title, as its definition states it."""
        return REGISTRY[metric_id].title

    @staticmethod
    def upper_first(text: str) -> str:
        """``text`` with its first letter a capital, the rest as written ("CAMHS" stays)."""
        return text[:1].upper() + text[1:]

    def area_lines(self, area_id: int) -> list[str]:
        """Markdown bullets for the figures the profile lists for improvement area
        ``area_id``, each recorded with its derivation; a figure whose dataset this council
        does not supply is left out."""
        lines = []
        for metric_id in self.profile.metrics_for(area_id):
            measure = self.measure(metric_id)
            if measure is None:
                continue
            label = self.local_title(metric_id)
            if metric_id.endswith("_change_pct"):
                value = self.change_words(measure, label)
            else:
                value = self.fig(measure, label)
            lines.append(f"- {self.words(label)}: **{value}**")
            self.derivation(measure)
        return lines

    def local_title(self, metric_id: str) -> str:
        """A metric's title in this council's words: its own service names, and the
        profile's baseline date in place of "baseline"."""
        title = REGISTRY[metric_id].title
        p = self.profile
        swaps = {
            "camhs_": ("CAMHS", p.camhs_service),
            "slt_": ("speech and language therapy", p.speech_service),
            "families_first_": ("early help", p.early_help_service),
        }
        for prefix, (generic, local) in swaps.items():
            at = title.lower().find(generic.lower())
            if metric_id.startswith(prefix) and at >= 0 and generic != local:
                local = local[0].upper() + local[1:] if at == 0 else local
                title = title[:at] + local + title[at + len(generic) :]
        if p.waiting_list_baseline is not None:
            since = f", change since {p.waiting_list_baseline:%-d %B %Y}"
        else:
            since = ", change on a year earlier"
        return title.replace(": change since baseline", since)

    def missing_text(self, measure: Measure) -> str:
        """Words for a figure with no value: never "nan", "None" or a bare note."""
        span = "this quarter" if measure.period.end == self.period.end else "this period"
        note = f" ({measure.note})" if measure.note else ""
        return f"no figure for {span}{note}"

    def count_text(self, value: float | int | None, *, hide: bool | None = None) -> str:
        """A count for a table cell or sentence, suppressed by the small-number rule."""
        if _none_if_na(value) is None:
            return "no figure"
        if hide if hide is not None else disclosure.is_small(value, self.threshold):
            return disclosure.suppressed_text("count", self.threshold)
        return format_value(float(value), "count")  # type: ignore[arg-type]

    def count_cell(self, value: float | int | None, *, hide: bool | None = None) -> Markup:
        return num(self.count_text(value, hide=hide))

    # ---- figures -------------------------------------------------------------------
    def fig(
        self,
        measure: Measure,
        label: str | None = None,
        *,
        area: str | None = None,
        source: Sequence[str] | None = None,
        show: str | None = None,
        role: str | None = None,
        extra: dict[str, Any] | None = None,
        protect: bool = True,
        hide: bool | None = None,
    ) -> str:
        """Record ``measure`` as a published figure and return its reader text.

        ``role`` says how the figure's period stands to the report's (``current``,
        ``previous_quarter``, ``same_quarter_last_year`` …); by default it is worked out from
        the two periods (:func:`sendreport.figures.figure_role`). With the report, id, period
        and area it is the figure's stable key, so rewording a label never changes identity.
        ``protect`` applies the small-number rule (off for published benchmarks, targets
        and counts of measures); ``hide`` forces it (secondary suppression in a group)."""
        spec = REGISTRY.get(measure.id)
        if measure.id in REGISTRY and measure.id not in self.used_metrics:
            self.used_metrics.append(measure.id)
        if hide is None:
            hide = protect and disclosure.must_suppress(measure, self.threshold)
        if hide:
            text = disclosure.suppressed_text(measure.unit, self.threshold)
        elif _none_if_na(measure.value) is None:
            text = show or self.missing_text(measure)
        else:
            text = show or format_value(measure.value, measure.unit, note=measure.note)
        payload = make_payload(
            id=measure.id,
            label=label or (spec.title if spec else measure.id),
            value=measure.value,
            display=text,
            unit=measure.unit,
            period=measure.period.label,
            period_start=measure.period.start.isoformat(),
            period_end=measure.period.end.isoformat(),
            basis=measure.period.basis.value,
            area=area or self.la,
            report=self.report,
            source=list(source) if source is not None else datasets_used(measure.id),
            numerator=measure.numerator,
            denominator=measure.denominator,
            note=measure.note,
            role=role or figure_role(measure.period, self.period),
            suppressed=bool(hide),
        )
        if extra:
            payload["extra"] = extra
        _display({FIGURE_MIME: payload}, raw=True)
        return text

    def fig_group(
        self, measures: Sequence[Measure], labels: Sequence[str], **kwargs: Any
    ) -> list[str]:
        """Counts that are parts of a total on the same page: primary and secondary rule."""
        hide = disclosure.suppress_group([m.value for m in measures], self.threshold)
        return [
            self.fig(m, label, hide=h, **kwargs)
            for m, label, h in zip(measures, labels, hide, strict=True)
        ]

    def benchmark_fig(self, row: pd.Series | dict, label: str, unit: str = "%") -> str:
        """Record a DfE benchmark row (tidy shape from sendreport.dfe) and return its text."""
        year_or_month = str(row["period"])
        if row.get("period_basis") == "January snapshot":
            y, m = (int(p) for p in year_or_month.split("-"))
            period = Period.snapshot(date(y, m, 1))
        else:
            period = Period.calendar_year(int(year_or_month[:4]))
        from sendreport.dfe.benchmarks import SN_LEVEL, neighbours_with_values
        from sendreport.metrics.published import neighbour_mean_id, published_id

        value = row.get("value")
        measure_name = str(row["measure"])
        is_mean = str(row.get("level")) == SN_LEVEL
        metric_id = neighbour_mean_id(measure_name) if is_mean else published_id(measure_name)
        extra: dict[str, Any] = {"published_measure": measure_name, "level": str(row["level"])}
        if is_mean:  # name the LAs averaged: the mean is theirs, not a pooled rate
            named = neighbours_with_values(
                self.benchmarks, self.la, measure_name, str(row["period"])
            )
            extra["neighbours"] = [f"{name} ({code})" for code, name in named]
            extra["method"] = "simple mean of the neighbours' published values"
        measure = Measure(
            id=metric_id if metric_id in REGISTRY else measure_name,
            value=None if pd.isna(value) else float(value),
            period=period,
            unit=unit,  # type: ignore[arg-type]
            numerator=None if is_mean else _none_if_na(row.get("numerator")),
            denominator=None if is_mean else _none_if_na(row.get("denominator")),
            note="not published" if pd.isna(value) else None,
        )
        return self.fig(
            measure,
            label,
            area=str(row["area_code"]),
            source=[str(row.get("source") or DFE_SOURCE)],
            extra=extra,
            protect=False,  # published by DfE with its own suppression
        )

    def neighbour_names(self) -> str:
        """The LA's statistical neighbours in words, closest first ("Essex, Kent and …")."""
        from sendreport.reference import la_display_name, statistical_neighbours

        try:
            names = [la_display_name(c) for c in statistical_neighbours(self.la)]
        except Exception:  # an LA outside the reference tables has no neighbours
            return "none listed"
        return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)

    def change_words(self, measure: Measure, label: str) -> str:
        """A % change in words: "down 52.0%", "up 3.1%", "unchanged"; recorded as a figure."""
        if measure.value is None or disclosure.must_suppress(measure, self.threshold):
            return self.fig(measure, label)
        size = abs(measure.value)
        direction = "unchanged" if size < 0.05 else ("down" if measure.value < 0 else "up")
        text = "unchanged" if direction == "unchanged" else f"{direction} {size:.1f}%"
        return self.fig(measure, label, show=text)

    def target(self, metric_id: str) -> tuple[float, date, str] | None:
        from sendreport.metrics.scorecard import target_for

        return target_for(self.frames.get("targets"), metric_id, self.period)

    def target_fig(self, metric_id: str) -> tuple[str, float | None]:
        """The target that applies to ``metric_id`` at the period end, recorded as a figure."""
        found = self.target(metric_id)
        if found is None:
            return "not set", None
        value, target_date, _ = found
        spec = REGISTRY[metric_id]
        measure = Measure(
            id=f"{metric_id}_target",
            value=float(value),
            period=Period.snapshot(target_date),
            unit=spec.unit,
        )
        text = self.fig(measure, f"Target: {spec.title}", source=["targets"], protect=False)
        return text, float(value)

    def target_date_words(self, metric_id: str) -> str:
        found = self.target(metric_id)
        if found is None:
            return "this year"
        target_date = found[1]
        if (target_date.month, target_date.day) == (12, 31):
            return f"{target_date.year}"
        return f"{target_date:%-d %B %Y}"

    def fig_cell(self, measure: Measure | None, label: str, **kwargs: Any) -> Markup:
        """A table cell: ``fig`` recorded and returned as a right-aligned number."""
        if measure is None:
            return Markup("–", numeric=True)
        return num(self.fig(measure, label, **kwargs))

    def target_cell(self, metric_id: str) -> Markup:
        """A table cell: the target for ``metric_id`` (recorded) with its date under it."""
        if self.target(metric_id) is None:
            return Markup("no target", numeric=True)
        text, _ = self.target_fig(metric_id)
        return num(text, f"by {self.target_date_words(metric_id)}")

    def benchmark_cell(self, row: pd.Series | None, label: str, basis: str) -> Markup:
        """A table cell: a DfE benchmark row recorded as a figure, its basis under it; "not
        published" when DfE has no such row."""
        if row is None:
            return num("not published")
        return num(self.benchmark_fig(row, label), basis)

    @staticmethod
    def direction_words(card: pd.DataFrame, metric_id: str) -> str:
        """A scorecard row's direction of travel in words: "better than a year earlier"."""
        direction = card.set_index("metric_id").loc[metric_id, "direction"]
        if pd.isna(direction):
            return "no comparison with a year earlier"
        return f"{DIRECTION_WORDS[direction]} a year earlier"

    def benchmarks_published_by(self, day: date | None = None) -> pd.DataFrame:
        """Benchmark rows whose period had ended by ``day`` (default: the quarter end).

        A Q4 2023-24 report compares with calendar year 2023, not 2024: DfE figures for a
        year that had not finished by the quarter end would be anachronistic.
        """
        day = day or self.period.end
        b = self.benchmarks
        if b.empty:
            return b
        text = b["period"].astype("string")
        year = pd.to_numeric(text.str.slice(0, 4), errors="coerce")
        month = pd.to_numeric(text.str.slice(5, 7), errors="coerce")
        snapshot = month.notna()
        # A month snapshot has happened once its month has begun; a calendar year once it ends.
        month_done = (year * 12 + month) <= (day.year * 12 + day.month)
        year_done = (year < day.year) | ((year == day.year) & (day.month == 12) & (day.day == 31))
        ended = (snapshot & month_done) | (~snapshot & year_done)
        return b.loc[ended.fillna(False).to_numpy(dtype=bool)]

    def benchmark_rows(self, metric_id: str) -> dict[str, pd.Series]:
        """England, region, statistical-neighbour and this LA's DfE rows for ``metric_id``,
        latest period published by the quarter end. Keys: the BenchmarkLevel values england,
        region, neighbours, la."""
        from sendreport.dfe.benchmarks import BenchmarkLevel, benchmarks_for
        from sendreport.metrics.scorecard import select_benchmark_rows

        tidy = self.benchmarks_published_by()
        rows = select_benchmark_rows(tidy, metric_id) if not tidy.empty else tidy
        if rows.empty:
            return {}
        measure = str(rows["measure"].iloc[0])
        try:
            found = benchmarks_for(tidy, self.la, measure, include_la=True)
        except Exception:  # an LA outside the reference tables: no comparators
            return {}
        if found.empty:
            return {}
        latest = found["period"].astype("string").max()
        found = found.loc[(found["period"].astype("string") == latest).to_numpy(dtype=bool)]
        out: dict[str, pd.Series] = {}
        for _, row in found.iterrows():
            level = BenchmarkLevel.parse(row["level"])
            if level is not None and level.value not in out:
                out[level.value] = row
        return out

    def benchmarks_by_year(self, measure: str) -> dict[tuple[str, str], pd.Series]:
        """Every DfE row of benchmark ``measure`` published by the quarter end for this LA's
        comparators, keyed by (period, level): the level a BenchmarkLevel value (england,
        region, neighbours, la). Empty for an LA outside the reference tables."""
        from sendreport.dfe.benchmarks import BenchmarkLevel, benchmarks_for

        published = self.benchmarks_published_by()
        if published.empty:
            return {}
        try:
            found = benchmarks_for(published, self.la, measure, include_la=True)
        except Exception:  # an LA outside the reference tables: no comparators
            return {}
        out: dict[tuple[str, str], pd.Series] = {}
        for _, row in found.iterrows():
            level = BenchmarkLevel.parse(row["level"])
            if level is not None:
                out[(str(row["period"]), level.value)] = row
        return out

    def calendar_years_covered(self) -> list[int]:
        """The calendar years the requests cover whole (the first plan issued within a month
        of 1 January) and that had ended by the quarter end: the years DfE's figures cover."""
        first_plan = self.frames["ehcp_requests"]["plan_issued_date"].min()
        return [
            year
            for year in range(first_plan.year, self.period.end.year + 1)
            if pd.Timestamp(year, 1, 1) >= first_plan.normalize() - pd.Timedelta(days=31)
            and Period.calendar_year(year).end <= self.period.end
        ]

    def weeks_to_plan(self, period: Period | None = None) -> pd.Series:
        """Weeks from request to final plan of each new EHC plan issued in ``period``
        (default: the quarter), exceptions included: the data of the distribution chart."""
        from sendreport.metrics._common import days_between
        from sendreport.metrics.ehcp import select_plans_issued

        plans = select_plans_issued(self.frames["ehcp_requests"], period or self.period)
        days = days_between(plans["plan_issued_date"], plans["received_date"])
        return (days / 7.0).astype("float64")

    def action_words(self, metric_id: str) -> str:
        """The pattern that finds improvement plan actions about ``metric_id``: the usual
        words, the council's own service name where one applies, else the title's first word."""
        p = self.profile
        local = {
            "camhs_": re.escape(p.camhs_service.split(" (")[0]),
            "families_first_": re.escape(p.early_help_service),
        }
        pattern = ACTION_WORDS.get(metric_id, re.escape(REGISTRY[metric_id].title.split()[0]))
        for prefix, name in local.items():
            if metric_id.startswith(prefix) and metric_id in ACTION_WORDS:
                pattern = f"{pattern}|{name}"
        return pattern

    def linked_actions(self, metric_id: str, updates: pd.DataFrame) -> pd.DataFrame:
        """The actions of ``updates`` (latest update of each) that address ``metric_id``, as
        a table: action, owner, due month, status in words and the service's latest words."""
        pattern = self.action_words(metric_id)
        linked = updates.loc[updates["action"].str.contains(pattern, case=False, regex=True)]
        return pd.DataFrame(
            {
                "Action": linked["action"].astype(str),
                "Owner": linked["owner"].astype(str),
                "Due": [f"{d:%B %Y}" for d in linked["due_date"]],
                "Status": [STATUS_WORDS.get(s, s) for s in linked["status"].astype(str)],
                "Latest update (the service's words)": linked["progress_update"].astype(str),
            }
        )

    def actions_due(self, quarters: int = 2, limit: int = 6) -> pd.DataFrame:
        """Improvement plan actions due after the quarter and within the next ``quarters``
        quarters, soonest first, at most ``limit``: due date, action and status (empty
        without a plan)."""
        plan = self.frames.get("improvement_plan")
        if plan is None:
            return pd.DataFrame(columns=["due_date", "action", "status"])
        until = self.period
        for _ in range(quarters):
            until = until.next_quarter()
        due = plan.loc[plan["due_date"] > pd.Timestamp(self.period.end)]
        due = due[["due_date", "action", "status"]].drop_duplicates("action")
        soon = due.loc[due["due_date"] <= pd.Timestamp(until.end)]
        return soon.sort_values("due_date").head(limit)

    def rag_rule_text(self) -> str:
        """The scorecard's RAG rule (Markdown) from its definition, with this council's
        amber band."""
        from sendreport.metrics import scorecard

        rule = (scorecard.__doc__ or "").split("**RAG rule**", 1)[1]
        band = f"within {self.profile.amber_band_pct:g}% of the target"
        return "**RAG rule**" + rule.replace("within 10% of the target", band)

    def waiting_series(self, months: Sequence[Period]) -> dict[str, pd.Series]:
        """Children waiting for each health service at the month ends of ``months``, one
        series per service named in this council's words, small counts suppressed: the data
        of the waiting-list chart. Empty without the service_waits dataset."""
        from sendreport.metrics.local import SERVICE_LABELS

        waits = self.frames.get("service_waits")
        if waits is None:
            return {}
        month_ends = {p.end for p in months}
        shown = waits.loc[waits["month_end"].dt.date.isin(month_ends)]
        table = shown.pivot_table(
            index="month_end", columns="service", values="waiting", aggfunc="sum"
        ).sort_index()
        names = {
            **SERVICE_LABELS,
            "camhs": self.profile.camhs_service,
            "speech_and_language": self.profile.speech_service,
        }
        labels = [f"{d:%b %Y}" for d in table.index]
        return {
            self.upper_first(names.get(s, s)): disclosure.suppress_series(
                pd.Series(table[s].to_numpy(dtype=float), index=labels), self.threshold
            )
            for s in table.columns
        }

    def overdue_bands_by_month(self, months: Sequence[Period]) -> pd.DataFrame:
        """Requests open past 20 weeks at each month end of ``months`` (rows, "Mar 2024"), by
        time since the request (columns, the overdue bands in order), each row's parts
        suppressed as parts of its total: the data of the backlog's stacked bar chart."""
        from sendreport.metrics import ehcp_overdue_age_profile

        requests = self.frames["ehcp_requests"]
        profile = ehcp_overdue_age_profile(requests, self.period)
        overdue = list(profile.loc[profile["overdue"].astype(bool).to_numpy(), "band"])
        counts = {
            f"{p.start:%b %Y}": ehcp_overdue_age_profile(requests, p)
            .set_index("band")["requests"]
            .astype(float)
            for p in months
        }
        return disclosure.suppress_rows(pd.DataFrame(counts).T[overdue], self.threshold)

    # ---- officer commentary ------------------------------------------------------------
    def _commentary(self, subject: str):  # type: ignore[no-untyped-def]
        return find_commentary(self.frames.get("commentary"), self.period.label, subject)

    def has_commentary(self, subject: str) -> bool:
        """Whether the officers wrote commentary on ``subject`` for this quarter."""
        return self._commentary(subject) is not None

    def commentary(self, subject: str, *, heading: str | None = None) -> None:
        """Show the officers' commentary on ``subject`` (a metric id, ``summary`` or
        ``area:N``) for this quarter, escaped, and record it; nothing when there is none.
        Returns nothing, so a notebook cell ending with it displays no value."""
        note = self._commentary(subject)
        if note is None:
            return
        markup = clean_html(commentary_html(note, heading=heading))
        payload = commentary_payload(note, report=self.report, period=self.period.label)
        _display({"text/html": markup, "text/plain": note.text, COMMENTARY_MIME: payload}, raw=True)

    def commentary_cell(self, subject: str) -> str:
        """A table cell: the commentary's words (escaped by the table), recorded; or a dash."""
        note = self._commentary(subject)
        if note is None:
            return "–"
        payload = commentary_payload(note, report=self.report, period=self.period.label)
        _display({COMMENTARY_MIME: payload}, raw=True)
        return f"{note.text} ({note.attribution()})"

    def warn_missing_commentary(self, subjects: Iterable[str], why: str) -> list[str]:
        """Warn the analyst (not the reader) which ``subjects`` have no commentary."""
        frame = self.frames.get("commentary")
        missing = missing_commentary(frame, self.period.label, subjects)
        if missing:
            message = (
                f"{self.report}: {why} with no officer commentary for {self.period.label} "
                f"({len(missing)}): {', '.join(missing)}; the committee will ask about "
                "them: add rows to the commentary dataset (see docs/data.md)"
            )
            _display({WARNING_MIME: {"message": message}}, raw=True)
        return missing

    # ---- prose, tables, charts -----------------------------------------------------------
    @staticmethod
    def text(value: Any) -> str:
        """A data value (a plan title, an action, an owner) for ``say``: shown exactly as
        written, never read as Markdown or HTML."""
        return escape_markdown(value)

    def say(self, markdown_text: str, *, css_class: str | None = None) -> None:
        """Plain-English paragraphs and bullets (Markdown) for every edition.

        ``css_class`` wraps the text in a ``div`` of that class (e.g. ``methodology`` for
        definitions, ``quoted`` for a tracker's own words). Raw HTML shows as text and links
        and images as their words; put a data value in with :meth:`text`."""
        markup = markdown_to_html(inspect.cleandoc(markdown_text))
        if css_class:
            markup = f'<div class="{html.escape(css_class, quote=True)}">{markup}</div>'
        _display(_html(markup))

    def bullets(self, items: Sequence[Sequence[str | tuple[str, str]]]) -> None:
        """A bullet list whose parts are plain text or ``(words, web address)`` links.

        ``say`` shows links as their words; the council's own links (its Local Offer, its
        newsletter sign-up) come from the validated profile and are made here, escaped, and
        kept by the sanitiser only when they are https. A link without an address is words.
        """
        esc = html.escape
        lis = []
        for parts in items:
            inner = []
            for part in parts:
                if isinstance(part, tuple):
                    words, url = part
                    link = (
                        f'<a href="{esc(url, quote=True)}">{esc(words)}</a>' if url else esc(words)
                    )
                    inner.append(f"<strong>{link}</strong>")
                else:
                    inner.append(esc(part))
            lis.append(f"<li>{''.join(inner)}</li>")
        _display(_html(f"<ul>{''.join(lis)}</ul>"))

    def table(
        self,
        df: pd.DataFrame,
        caption: str,
        *,
        row_header: bool = True,
        audit_only: bool = False,
        css_class: str = "data",
    ) -> None:
        """An accessible table: caption, header cells with scope, numbers right-aligned.

        A reader's table is also recorded for the spreadsheet (see sendreport.tables)."""
        _display(
            _html(render_table(df, caption, row_header=row_header, css_class=css_class)),
            metadata={"tags": [AUDIT_ONLY]} if audit_only else None,
        )
        if not audit_only:
            record = make_table_record(
                report=self.report,
                title=caption,
                columns=[str(c) for c in df.columns],
                rows=list(df.itertuples(index=False)),
                kind="table",
            )
            _display({TABLE_MIME: record}, raw=True)

    def quote_updates(self, updates: pd.DataFrame) -> None:
        """Progress updates quoted from the improvement plan tracker, each with its action
        id so a reader can trace it; quoted words are data, not computed figures."""
        items = "".join(
            f'<li><span class="action-id">Action {html.escape(str(row.action_id))}:</span> '
            f"{html.escape(str(row.progress_update))}</li>"
            for row in updates.itertuples()
        )
        _display(
            _html(
                '<div class="plan-updates"><p class="quote-source">Progress reported by the '
                f"action owners:</p><ul>{items}</ul></div>"
            )
        )

    def chart(self, figure: Any, *, alt: str, caption: str) -> None:
        """A chart with alt text derived from its data, and its data as a table (on the page
        and, recorded, in the spreadsheet)."""
        from sendreport.charts import chart_data

        data = chart_data(figure)
        _display(_html(render_chart(figure, alt=alt, caption=caption)))
        if data is not None:
            frame = data.frame
            record = make_table_record(
                report=self.report,
                title=caption,
                columns=[data.index_label, *map(str, frame.columns)],
                rows=[
                    [str(i).replace("\n", " "), *(_rounded(v) for v in r)]
                    for i, r in zip(frame.index, frame.to_numpy(dtype=object), strict=True)
                ],
                kind="chart",
                unit=data.unit,
                notes=f"The data behind the chart: {data.title}.",
            )
            _display({TABLE_MIME: record}, raw=True)

    def derivation(self, *measures: Measure) -> None:
        """Audit edition only: numerator, denominator and exclusions of each figure."""
        rows = []
        for m in measures:
            parts = "; ".join(f"{k}: {format_value(v, 'count')}" for k, v in m.components)
            rows.append(
                {
                    "Figure": m.id,
                    "Period": m.period.describe(),
                    "Value": format_value(m.value, m.unit, note=m.note),
                    "Numerator": format_value(m.numerator, "count")
                    if m.numerator is not None
                    else "",
                    "Denominator": format_value(m.denominator, "count")
                    if m.denominator is not None
                    else "",
                    "Derivation": parts,
                }
            )
        ids = ", ".join(dict.fromkeys(m.id for m in measures))
        self.table(pd.DataFrame(rows), f"Derivation of the figures above ({ids})", audit_only=True)

    def methodology(self, metric_ids: Iterable[str] | None = None, *, brief: bool = False) -> None:
        """Definition of every metric this report used, straight from the docstrings.

        ``brief`` gives one plain line per figure (for parents and carers); the full form
        lists numerator, denominator, period basis, exclusions and source.
        """
        ids = list(metric_ids) if metric_ids is not None else list(self.used_metrics)
        render = methodology_brief_html if brief else methodology_html
        _display(_html(render(ids, self.local_title)))


def _rounded(x: Any) -> float | str:
    """A chart value as its data table shows it: one decimal place, or the table's word for
    a missing (or suppressed) point."""
    from sendreport.charts import MISSING

    return MISSING if x is None or pd.isna(x) else round(float(x), 1)


def _none_if_na(x: Any) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


class _html:
    """Minimal rich-display object (avoids importing IPython at module import)."""

    def __init__(self, markup: str) -> None:
        self.markup = clean_html(markup)  # the second line: whatever made it, it is sanitised

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        # The text/plain fallback: stable (no memory address) and readable without HTML.
        text = re.sub(r"<[^>]+>", " ", self.markup)
        return re.sub(r"\s+", " ", html.unescape(text)).strip()


def open_report(
    report: str,
    *,
    period: str,
    la: str,
    data_dir: str | Path = "",
    benchmarks_path: str | Path = "",
    data_end: str = "",
) -> ReportContext:
    """Load what a report needs. Empty ``data_dir`` means demo data generated in memory, so
    a reviewer can open a notebook in Jupyter and run all cells with the defaults.
    ``data_end`` (ISO date) is the day the build says the data is as at, so the notebook's
    words and the page header agree; empty, the caseload's last month end."""
    from sendreport import reference

    quarter = Period.parse(period)
    if data_dir:
        from sendreport.load import load_inputs

        loaded = load_inputs(Path(data_dir))
        frames, profile, absent = loaded.frames, loaded.profile, tuple(loaded.absent)
    else:
        import tomllib

        from sendreport.demo import generate_demo
        from sendreport.demo.profiles import demo_profile_toml
        from sendreport.profile import parse_profile

        frames, absent = generate_demo(la), ()
        text = demo_profile_toml(la, reference.la_display_name(la))
        profile = parse_profile(tomllib.loads(text), Path("council.toml"))
    if benchmarks_path:
        benchmarks = pd.read_parquet(benchmarks_path)
    else:
        from sendreport.dfe.published import published_benchmarks

        benchmarks = published_benchmarks()
    return ReportContext(
        report=report,
        period=quarter,
        la=la,
        la_name=profile.named_for(la).short_name,
        frames=frames,
        benchmarks=benchmarks,
        data_as_at=data_as_at(frames, date.fromisoformat(data_end) if data_end else None),
        profile=profile.named_for(la),
        absent=absent,
    )


__all__ = [
    "AUDIT_ONLY",
    "ENGLAND",
    "Markup",
    "ReportContext",
    "format_value",
    "num",
    "open_report",
    "rag_markup",
]
