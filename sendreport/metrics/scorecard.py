"""The scorecard: each metric beside its target, a RAG rating and its direction of travel.

**RAG rule** (one rule for every metric; printed in the reports' methodology):

- **Green**: the figure is on or better than its target ("better" follows the metric's
  polarity: higher or lower is better).
- **Amber**: not green, but within 10% of the target (relative: the gap is no more than
  a tenth of the target's size), *or* improved on the same period last year.
- **Red**: otherwise.
- **No rating**: when there is no target, no figure, or the metric has no better
  direction (neutral polarity).

Figures and targets are compared as published, rounded to one decimal place, so a figure
printed as 40.2% against a target of 40.2% is green.

**Direction of travel** compares the figure with the same period a year earlier (which
avoids reading seasonal swings between quarters as progress): *improving* or *worsening*
according to polarity, *no change* when the difference is within 1% of last year's figure
or less than 0.05 (half the last published decimal place), and none when either figure
is missing or the metric has no better direction.

**Targets**: the target applying to a period is the one with the earliest target date
on or after the period end; when every target date has passed, the latest.

**Benchmarks** (optional): England, region and statistical-neighbour values from the DfE
release for the latest published period, with that period's basis stated beside them,
e.g. "calendar year 2023, DfE": DfE figures are calendar-year and are never presented as
if they covered the local quarter.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Literal

import pandas as pd

from sendreport.dfe._tidy import BenchmarkLevel
from sendreport.exceptions import ParameterError
from sendreport.metrics.base import REGISTRY, compute, metric_arguments
from sendreport.periods import Basis, Period

Rag = Literal["green", "amber", "red"]
Direction = Literal["improving", "worsening", "no change"]

AMBER_BAND = 0.10  # within 10% of the target, relative
DIRECTION_RELATIVE_TOLERANCE = 0.01  # 1% of last year's figure
DIRECTION_ABSOLUTE_TOLERANCE = 0.05  # half the last published decimal place
COMPARE_DECIMALS = 1

SCORECARD_COLUMNS = (
    "metric_id",
    "title",
    "unit",
    "polarity",
    "value",
    "previous_quarter",
    "same_quarter_last_year",
    "target",
    "target_date",
    "rag",
    "direction",
    "note",
)
# The basis, then one column per benchmark level: england, region, neighbours, la (the LA's
# own figure as DfE published it, beside the scorecard's locally computed value).
BENCHMARK_COLUMNS = ("benchmark_basis", *(level.value for level in BenchmarkLevel))

# Benchmark measures tried for each metric, first found wins (matched case-insensitively):
# sendreport.dfe's measure names (which reuse our ids), our calendar-year id, DfE's variable.
BENCHMARK_MEASURES: dict[str, tuple[str, ...]] = {
    "ehcp_20wk_pct_ex": ("ehcp_20wk_pct_ex", "ehcp_20wk_pct_ex_cy", "pc_plans_issued_20_weeks_ex"),
    "ehcp_20wk_pct_ex_ytd": ("ehcp_20wk_pct_ex", "ehcp_20wk_pct_ex_cy"),
    "ehcp_20wk_pct_inc": (
        "ehcp_20wk_pct_inc",
        "ehcp_20wk_pct_inc_cy",
        "pc_plans_issued_within_20_weeks",
    ),
    "ehcp_plans_issued": ("ehcp_plans_issued_inc", "ehcp_plans_issued_cy", "plans_issued_den"),
    "ehcna_requests_received": (
        "ehcna_requests_received",
        "ehcna_requests_received_cy",
        "requests_received_in_year",
    ),
    "ehcna_refusal_pct": ("ehcna_refusal_pct", "ehcna_refusal_pct_cy"),
    "ehcna_decision_6wk_pct": ("ehcna_decision_6wk_pct", "ehcna_decision_6wk_pct_cy"),
    "ehcp_caseload": ("ehcp_caseload", "ehcplans"),
}
for _cy in (
    "ehcp_20wk_pct_ex",
    "ehcp_20wk_pct_inc",
    "ehcna_requests_received",
    "ehcna_refusal_pct",
    "ehcna_decision_6wk_pct",
):
    BENCHMARK_MEASURES[f"{_cy}_cy"] = BENCHMARK_MEASURES[_cy]
BENCHMARK_MEASURES["ehcp_plans_issued_cy"] = BENCHMARK_MEASURES["ehcp_plans_issued"]


# --- rules ----------------------------------------------------------------------------------
def _missing(x: float | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def direction_of_travel(
    value: float | None, previous: float | None, polarity: str
) -> Direction | None:
    """Improving, worsening or no change from ``previous`` to ``value`` (see module doc)."""
    if _missing(value) or _missing(previous) or polarity not in ("higher", "lower"):
        return None
    change = float(value) - float(previous)  # type: ignore[arg-type]
    tolerance = max(
        DIRECTION_RELATIVE_TOLERANCE * abs(float(previous)), DIRECTION_ABSOLUTE_TOLERANCE
    )  # type: ignore[arg-type]
    if abs(change) <= tolerance:
        return "no change"
    better = change > 0 if polarity == "higher" else change < 0
    return "improving" if better else "worsening"


def rag(
    value: float | None,
    target: float | None,
    polarity: str,
    previous: float | None = None,
    *,
    amber_band: float = AMBER_BAND,
) -> Rag | None:
    """Red, amber or green against ``target`` by the rule in the module docstring.

    ``previous`` is the same period a year earlier; improving on it lifts red to amber.
    ``amber_band`` is the relative band around the target (the council profile may set it).
    """
    if _missing(value) or _missing(target) or polarity not in ("higher", "lower"):
        return None
    v = round(float(value), COMPARE_DECIMALS)  # type: ignore[arg-type]
    t = round(float(target), COMPARE_DECIMALS)  # type: ignore[arg-type]
    on_target = v >= t if polarity == "higher" else v <= t
    if on_target:
        return "green"
    near = abs(v - t) <= amber_band * abs(t) + 1e-9
    if near or direction_of_travel(value, previous, polarity) == "improving":
        return "amber"
    return "red"


def target_for(
    targets: pd.DataFrame | None,
    metric_id: str,
    period: Period,
    *,
    la_code: str | None = None,
) -> tuple[float, date, str] | None:
    """The target applying at the period end: (target value, target date, polarity).

    The earliest target_date on or after the period end; when all are earlier, the
    latest. None when the metric has no target (or ``targets`` is None or empty).
    """
    if targets is None or targets.empty:
        return None
    mask = targets["metric_id"].isin([metric_id]).to_numpy(dtype=bool)
    if la_code is not None and "la_code" in targets:
        mask = mask & targets["la_code"].isin([la_code]).to_numpy(dtype=bool)
    rows = targets.loc[mask & targets["target_date"].notna().to_numpy(dtype=bool)]
    if rows.empty:
        return None
    days = rows["target_date"].dt.floor("D")
    end = pd.Timestamp(period.end)
    ahead = rows.loc[(days >= end).to_numpy(dtype=bool)]
    pick = (
        ahead.loc[ahead["target_date"].dt.floor("D").idxmin()]
        if not ahead.empty
        else rows.loc[days.idxmax()]
    )
    return (
        float(pick["target_value"]),
        pd.Timestamp(pick["target_date"]).date(),
        str(pick["polarity"]),
    )


# --- computing rows -------------------------------------------------------------------------
def scorecard_row(
    metric_id: str,
    frames: Mapping[str, Any],
    period: Period,
    *,
    targets: pd.DataFrame | None = None,
    la_code: str | None = None,
    amber_band: float = AMBER_BAND,
) -> dict[str, Any]:
    """One scorecard row: the figure, last quarter, a year ago, target, RAG and direction."""
    if metric_id not in REGISTRY:
        raise ParameterError(f"unknown metric {metric_id!r}", accepted=", ".join(sorted(REGISTRY)))
    spec = REGISTRY[metric_id]
    _, missing = metric_arguments(metric_id, frames)
    prev_q = period.previous_quarter() if period.basis is Basis.FY_QUARTER else None
    now = compute(metric_id, frames, period)
    before = compute(metric_id, frames, prev_q)
    year_ago = compute(metric_id, frames, period.same_period_last_year())
    if targets is None:
        targets = frames.get("targets")
    target = target_for(targets, metric_id, period, la_code=la_code)
    polarity = target[2] if target else spec.polarity
    value = now.value if now else None
    last_year = year_ago.value if year_ago else None
    note = now.note if now else None
    if missing:
        note = f"the {missing} dataset was not supplied"
    return {
        "metric_id": metric_id,
        "title": spec.title,
        "unit": spec.unit,
        "polarity": polarity,
        "value": value,
        "previous_quarter": before.value if before else None,
        "same_quarter_last_year": last_year,
        "target": target[0] if target else None,
        "target_date": target[1] if target else None,
        "rag": rag(
            value, target[0] if target else None, polarity, last_year, amber_band=amber_band
        ),
        "direction": direction_of_travel(value, last_year, polarity),
        "note": note,
    }


def build_scorecard(
    frames: Mapping[str, Any],
    period: Period,
    metric_ids: Sequence[str],
    *,
    targets: pd.DataFrame | None = None,
    benchmarks: pd.DataFrame | None = None,
    la_code: str | None = None,
    region_code: str | None = None,
    neighbour_codes: Sequence[str] | None = None,
    amber_band: float = AMBER_BAND,
) -> pd.DataFrame:
    """The scorecard for ``period``: one row per metric id, in the order given.

    ``frames`` maps contract dataset names to frames (``ehcp_requests``, ``ehcp_caseload``,
    ``service_waits``, ``targets`` …), the names of the metrics' parameters. ``benchmarks`` is
    the tidy DfE frame of :mod:`sendreport.dfe`; when given, the columns of
    :data:`BENCHMARK_COLUMNS` are added (benchmark_basis, england, region, neighbours, la).
    """
    rows = [
        scorecard_row(m, frames, period, targets=targets, la_code=la_code, amber_band=amber_band)
        for m in metric_ids
    ]
    table = pd.DataFrame(rows, columns=list(SCORECARD_COLUMNS))
    if benchmarks is not None:
        extra = pd.DataFrame(
            [
                attach_benchmarks(
                    benchmarks,
                    m,
                    la_code=la_code,
                    region_code=region_code,
                    neighbour_codes=neighbour_codes,
                )
                for m in metric_ids
            ],
            columns=list(BENCHMARK_COLUMNS),
        )
        table = pd.concat([table, extra], axis=1)
    for column in ("metric_id", "title", "unit", "polarity", "rag", "direction", "note"):
        table[column] = table[column].astype("string")
    for column in ("value", "previous_quarter", "same_quarter_last_year", "target"):
        table[column] = pd.to_numeric(table[column]).astype("Float64")
    return table


# --- benchmarks -----------------------------------------------------------------------------
def select_benchmark_rows(benchmarks: pd.DataFrame, metric_id: str) -> pd.DataFrame:
    """Rows of the tidy benchmark frame for ``metric_id``'s first matching measure."""
    measures = benchmarks["measure"].astype("string").str.lower()
    for candidate in BENCHMARK_MEASURES.get(metric_id, (f"{metric_id}_cy", metric_id)):
        mask = (measures == candidate.lower()).fillna(False).to_numpy(dtype=bool)
        if mask.any():
            return benchmarks.loc[mask]
    return benchmarks.iloc[0:0]


def latest_benchmark_rows(benchmarks: pd.DataFrame, metric_id: str) -> pd.DataFrame:
    """The rows of ``metric_id``'s benchmark measure for its latest published period."""
    rows = select_benchmark_rows(benchmarks, metric_id)
    if rows.empty:
        return rows
    period = rows["period"].astype("string")
    return rows.loc[(period == period.max()).fillna(False).to_numpy(dtype=bool)]


def benchmark_basis(rows: pd.DataFrame) -> str:
    """The basis, period and publisher of benchmark rows: "calendar year 2023, DfE"."""
    bases = rows["period_basis"].astype("string").dropna() if "period_basis" in rows else ()
    basis = str(bases.iloc[0]) if len(bases) else ""
    source = "DfE"
    if "source" in rows and rows["source"].notna().any():
        source = str(rows["source"].dropna().iloc[0]).split(",")[0].strip() or "DfE"
    return f"{basis} {rows['period'].astype('string').max()}, {source}".strip()


def _first_value(values: pd.Series, mask: pd.Series) -> float | None:
    picked = values.loc[mask.fillna(False).to_numpy(dtype=bool)].dropna()
    return float(picked.iloc[0]) if not picked.empty else None


def _code_is(rows: pd.DataFrame, column: str, code: str | None) -> pd.Series:
    if code is None or column not in rows:
        return pd.Series(False, index=rows.index)
    return (rows[column].astype("string") == code).fillna(False)


def _only_value(values: pd.Series, mask: pd.Series) -> float | None:
    """The value of the one row ``mask`` selects; None when it selects none or several."""
    return _first_value(values, mask) if mask.fillna(False).sum() == 1 else None


def neighbours_value(
    rows: pd.DataFrame,
    values: pd.Series,
    levels: pd.Series,
    la_code: str | None,
    neighbour_codes: Sequence[str] | None,
) -> float | None:
    """The statistical-neighbour value: the LA's own neighbour row (area ``SN:<la_code>``)
    when the frame has one; else the unweighted mean of ``neighbour_codes``' values."""
    sn_rows = levels == BenchmarkLevel.NEIGHBOURS
    if la_code is not None and sn_rows.sum() > 1:
        mine = _code_is(rows, "la_code", la_code) | _code_is(rows, "area_code", f"SN:{la_code}")
        sn_rows = sn_rows & mine
    sn = _only_value(values, sn_rows)
    if sn is None and neighbour_codes:
        # The LAIT convention, as sendreport.dfe.benchmarks: the unweighted mean.
        peers = (levels == BenchmarkLevel.LA) & rows["la_code"].astype("string").isin(
            list(neighbour_codes)
        )
        peer_values = values.loc[peers.fillna(False).to_numpy(dtype=bool)].dropna()
        sn = float(peer_values.mean()) if not peer_values.empty else None
    return sn


def attach_benchmarks(
    benchmarks: pd.DataFrame,
    metric_id: str,
    *,
    la_code: str | None = None,
    region_code: str | None = None,
    neighbour_codes: Sequence[str] | None = None,
) -> dict[str, Any]:
    """England, region, statistical-neighbour and the LA's own published value for the
    latest published period, with its basis ("calendar year 2023, DfE").

    Keys are ``benchmark_basis`` and the :class:`BenchmarkLevel` values (england, region,
    neighbours, la). Accepts the whole tidy frame or the rows of
    ``sendreport.dfe.benchmarks.benchmarks_for``. The region is the row with ``region_code``
    (or the only regional row there is). The statistical-neighbour value is the frame's
    neighbour row for the LA (area_code ``SN:<la_code>``) when it has one; otherwise, given
    ``neighbour_codes``, the unweighted mean of the neighbours' values (DfE LAIT's
    convention). A figure that cannot be chosen without guessing is left empty.
    """
    rows = latest_benchmark_rows(benchmarks, metric_id)
    if rows.empty:
        return dict.fromkeys(BENCHMARK_COLUMNS)
    levels = rows["level"].map(BenchmarkLevel.parse)
    values = pd.to_numeric(rows["value"], errors="coerce")
    region_rows = levels == BenchmarkLevel.REGION
    if region_code is not None:
        region_rows = region_rows & _code_is(rows, "area_code", region_code)
    la_rows = (levels == BenchmarkLevel.LA) & _code_is(rows, "la_code", la_code)
    found = {
        BenchmarkLevel.ENGLAND: _first_value(values, levels == BenchmarkLevel.ENGLAND),
        BenchmarkLevel.REGION: _only_value(values, region_rows),
        BenchmarkLevel.NEIGHBOURS: neighbours_value(rows, values, levels, la_code, neighbour_codes),
        BenchmarkLevel.LA: _first_value(values, la_rows),
    }
    return {"benchmark_basis": benchmark_basis(rows)} | {k.value: v for k, v in found.items()}
