"""DfE's published figures as the reports state them beside local ones: England, the region,
the LA as DfE published it, and the mean of its statistical neighbours.

Each published measure ``<m>`` of :mod:`sendreport.dfe` has two metrics: ``dfe_<m>`` (the value
DfE published for an area: England, a region or an LA) and ``dfe_<m>_neighbour_mean`` (the simple
mean of the LA's ten statistical neighbours' published values). They read the benchmark frame a
build uses: the table shipped in the package or the release given with ``--dfe``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from sendreport.metrics.base import Measure, Polarity, Unit, metric
from sendreport.periods import Basis, Period

__all__ = ["PUBLISHED", "neighbour_mean_id", "published_id", "published_period"]

ENGLAND = "E92000001"
_SOURCE = (
    "DfE, Education, health and care plans (explore-education-statistics), {file}: the table "
    "shipped in the package (reporting year 2025, sendreport/dfe/published_ehcp_2025.csv) or "
    "the release given with --dfe"
)


@dataclass(frozen=True)
class Published:
    title: str
    unit: Unit
    polarity: Polarity
    numerator: str
    denominator: str
    basis: str
    exclusions: str
    file: str


PUBLISHED: dict[str, Published] = {
    "ehcp_20wk_pct_ex": Published(
        "EHC plans issued within 20 weeks (excluding exceptions), DfE", "%", "higher",
        "new EHC plans issued within 20 weeks, excluding exceptions (plans_issued_20_weeks_ex)",
        "new EHC plans issued, excluding exceptions (plans_issued_den_ex)",
        "calendar year, by date of issue (SEN2)", "plans with a permitted exception",
        "timeliness_20_week.csv (pc_plans_issued_20_weeks_ex, as published)",
    ),
    "ehcp_20wk_pct_inc": Published(
        "EHC plans issued within 20 weeks (including exceptions), DfE", "%", "higher",
        "new EHC plans issued within 20 weeks (plans_issued_within_20_weeks)",
        "new EHC plans issued (plans_issued_den)",
        "calendar year, by date of issue (SEN2)", "none",
        "timeliness_20_week.csv (pc_plans_issued_within_20_weeks, as published)",
    ),
    "ehcna_refusal_pct": Published(
        "Requests refused an EHC needs assessment, DfE", "%", "neutral",
        "requests received in the year decided not to assess (requests_decided_not_to_assess)",
        "requests received in the year decided to assess or not "
        "(requests_decided_to_assess + requests_decided_not_to_assess); computed from the "
        "published counts, not DfE's request_not_assess_pc (of all requests)",
        "calendar year, requests received in the year (a cohort)",
        "withdrawn and undecided requests", "requests.csv",
    ),
    "ehcna_decision_6wk_pct": Published(
        "Decisions whether to assess made within 6 weeks, DfE", "%", "higher",
        "requests decided within 6 weeks (request_outcome_six_weeks)",
        "requests decided within or after 6 weeks (request_outcome_six_weeks + "
        "request_outcome_over_6_weeks); computed from the published counts",
        "calendar year, requests received in the year (a cohort)",
        "withdrawn and undecided requests", "requests.csv (published from 2023)",
    ),
    "ehcna_requests_received": Published(
        "Requests for an EHC needs assessment received, DfE", "count", "neutral",
        "initial requests for an EHC needs assessment received (requests_received_in_year)",
        "none (a count)", "calendar year, by date received", "none", "requests.csv",
    ),
    "ehcp_caseload": Published(
        "EHC plans maintained, DfE", "count", "neutral",
        "EHC plans maintained by the LA (ehcplans)", "none (a count)",
        "January census (school census and SEN2)", "none", "caseload.csv",
    ),
    "tribunal_appeal_rate_pct": Published(
        "SEND Tribunal appeal rate, MoJ and DfE", "%", "lower",
        "SEND Tribunal appeals registered in the year",
        "total appealable decisions: refusals to assess, decisions not to issue a plan, plans "
        "maintained in January and plans ceased as needs met",
        "calendar year", "none",
        "supporting file 'SEND Tribunals and appeal rate 2014-2024.csv' (MoJ / HMCTS with DfE)",
    ),
    "tribunal_appeals": Published(
        "SEND Tribunal appeals registered, MoJ and DfE", "count", "lower",
        "SEND Tribunal appeals registered in the year", "none (a count)", "calendar year",
        "none",
        "supporting file 'SEND Tribunals and appeal rate 2014-2024.csv' (MoJ / HMCTS with DfE)",
    ),
}  # fmt: skip


def published_id(measure: str) -> str:
    return f"dfe_{measure}"


def neighbour_mean_id(measure: str) -> str:
    return f"dfe_{measure}_neighbour_mean"


def published_period(measure: str, period: Period) -> str | None:
    """The DfE period code of ``period`` for ``measure`` ("2023", or "2024-01" for a census)."""
    if measure == "ehcp_caseload":
        return f"{period.end.year}-01" if period.end.month >= 1 else None
    if period.basis is not Basis.CALENDAR_YEAR:
        return None
    return str(period.start.year)


def _value(rows: pd.DataFrame, period: Period, unit: Unit) -> Measure:
    if rows.empty or pd.isna(rows["value"].iloc[0]):
        status = "" if rows.empty else str(rows["status"].iloc[0])
        return Measure(None, period, unit, note=f"not published {status}".strip())
    row = rows.iloc[0]
    num, den = row["numerator"], row["denominator"]
    return Measure(
        float(row["value"]), period, unit,
        numerator=None if pd.isna(num) or unit != "%" else float(num),
        denominator=None if pd.isna(den) or unit != "%" else float(den),
    )  # fmt: skip


def _definition(spec: Published, *, mean: bool) -> str:
    if mean:
        return f"""
    Definition:
        numerator: none: the simple (unweighted) mean of the published values of the LA's ten
            statistical neighbours (DfE LAIT, May 2025) that have one, as LAIT does; each
            value is {spec.numerator} ÷ {spec.denominator}
        denominator: none (a mean of rates carries no pooled numerator or denominator; the
            figure's record lists the neighbours averaged)
        period basis: {spec.basis}
        exclusions: {spec.exclusions}; neighbours with no published value
        source: {_SOURCE.format(file=spec.file)}; neighbours from
            sendreport/reference/statistical_neighbours.csv
    """
    return f"""
    Definition:
        numerator: {spec.numerator}
        denominator: {spec.denominator}
        period basis: {spec.basis}
        exclusions: {spec.exclusions}
        source: {_SOURCE.format(file=spec.file)}
    """


def _published_metric(measure: str, spec: Published) -> Callable[..., Measure]:
    metric_id = published_id(measure)

    def published(benchmarks: pd.DataFrame, period: Period, *, area: str = ENGLAND) -> Measure:
        code = published_period(measure, period)
        rows = benchmarks.loc[
            (benchmarks["measure"] == measure)
            & (benchmarks["period"] == code)
            & ((benchmarks["area_code"] == area) | (benchmarks["la_code"] == area))
        ]
        return _value(rows, period, spec.unit)

    published.__name__ = published.__qualname__ = metric_id
    published.__doc__ = (
        f"{spec.title.removesuffix(', DfE')} for England, a region or an LA, as published."
        + _definition(spec, mean=False)
    )
    return metric(title=spec.title, unit=spec.unit, polarity=spec.polarity)(published)


def _neighbour_metric(measure: str, spec: Published) -> Callable[..., Measure]:
    metric_id = neighbour_mean_id(measure)

    def mean(benchmarks: pd.DataFrame, period: Period, *, la: str = "919") -> Measure:
        from sendreport.dfe.benchmarks import neighbour_mean

        rows = neighbour_mean(benchmarks, la, measure)
        rows = rows.loc[rows["period"] == published_period(measure, period)]
        return _value(rows, period, spec.unit)

    mean.__name__ = mean.__qualname__ = metric_id
    mean.__doc__ = (
        f"Mean of the statistical neighbours' published {spec.title.removesuffix(', DfE')}."
        + _definition(spec, mean=True)
    )
    title = f"{spec.title.removesuffix(', DfE')}: statistical neighbours (mean), DfE"
    return metric(title=title, unit=spec.unit, polarity=spec.polarity)(mean)


for _measure, _spec in PUBLISHED.items():
    _published_metric(_measure, _spec)
    _neighbour_metric(_measure, _spec)
