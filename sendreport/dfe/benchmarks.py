"""Comparators for an LA's figure: England, its region and its statistical neighbours.

:func:`benchmarks_for` takes any tidy frame (a release, the SEN2 file, the tribunal sheet, the
published table) and returns, for one measure, rows in the same tidy shape:

Levels are :class:`BenchmarkLevel` (england, region, neighbours, la); the tidy frame spells
them as below (``BenchmarkLevel.tidy``).

- England (``level`` "national"),
- the LA's region (``level`` "regional"; absent where the source has no regional rows, e.g. the
  tribunal sheet),
- the statistical-neighbour mean: ``area_code`` ``"SN:<la_code>"``, ``level``
  ``"statistical neighbours"``. Its ``value`` is the simple (unweighted) mean of the neighbours'
  published values, the convention of DfE's LAIT, so a small neighbour counts as much as a large
  one. A mean of rates has no numerator or denominator, so both are empty (a pooled rate of
  summed counts would be a different figure). ``status`` is <NA>
  when all ten neighbours have a value, ``"partial"`` when only some do (the mean is of those),
  and ``"x"`` when none do,
  A frame that already holds ``SN:<la_code>`` rows (the typed-in published table) has them
  used as they are,
- optionally the LA itself (``include_la=True``).

Rows come latest period first, then England, region, neighbours, LA.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from sendreport.dfe._tidy import ENGLAND_CODE, TIDY_COLUMNS, BenchmarkLevel, finish_tidy
from sendreport.exceptions import ParameterError
from sendreport.reference import la_name, local_authority, statistical_neighbours

__all__ = [
    "SN_LEVEL",
    "BenchmarkLevel",
    "benchmarks_for",
    "neighbour_mean",
    "neighbours_with_values",
    "read_benchmarks",
]

SN_LEVEL = BenchmarkLevel.NEIGHBOURS.tidy
_ORDER = {level.tidy: i for i, level in enumerate(BenchmarkLevel)}  # England, region, SN, LA
_LA = BenchmarkLevel.LA.tidy


def read_benchmarks(dfe_dir: Path | None = None) -> pd.DataFrame:
    """Every benchmark row a build may use, in the tidy shape.

    Without ``dfe_dir``: the table shipped in the package
    (:func:`sendreport.dfe.published.published_benchmarks`). With it: the release in that folder
    (:func:`sendreport.dfe.release.load_release`) and, when the folder has it, the tribunal
    appeal-rate sheet in ``supporting-files/``. ``source`` then names the folder and file read,
    e.g. ``ehcp-2026/timeliness_20_week.csv (--dfe)``.
    """
    if dfe_dir is None:
        from sendreport.dfe.published import published_benchmarks

        return published_benchmarks()
    from sendreport.dfe.published import TRIBUNAL_FILE
    from sendreport.dfe.release import load_release
    from sendreport.dfe.tribunals import load_tribunals

    dfe_dir = Path(dfe_dir)
    parts = [load_release(dfe_dir)]
    root = dfe_dir.parent if dfe_dir.name == "data" else dfe_dir
    tribunal = root / "supporting-files" / TRIBUNAL_FILE
    if tribunal.is_file():
        parts.append(load_tribunals(tribunal))
    tidy = pd.concat(parts, ignore_index=True)
    tidy["source"] = root.name + "/" + tidy["source"].astype("str") + " (--dfe)"
    return finish_tidy(tidy)


def neighbour_mean(
    tidy: pd.DataFrame, la_code: str, measure: str, neighbours: Sequence[str] | None = None
) -> pd.DataFrame:
    """The statistical-neighbour mean of ``measure`` for each period (see module docstring)."""
    la = local_authority(la_code)
    codes = list(neighbours) if neighbours is not None else statistical_neighbours(la.la_code)
    rows = tidy[(tidy["measure"] == measure) & (tidy["level"] == _LA) & tidy["la_code"].isin(codes)]
    if rows.empty or not codes:
        return finish_tidy(pd.DataFrame(columns=list(TIDY_COLUMNS)))
    grouped = rows.groupby(["period", "period_basis"], sort=False)
    out = grouped.agg(
        value=("value", "mean"), count=("value", "count"), source=("source", "first")
    ).reset_index()
    out["status"] = pd.Series(pd.NA, index=out.index, dtype="str")
    out.loc[out["count"] < len(codes), "status"] = "partial"
    out.loc[out["count"] == 0, "status"] = "x"
    out["area_code"] = f"SN:{la.la_code}"
    out["area_name"] = f"Statistical neighbours of {la_name(la.la_code)} (mean)"
    out["level"] = SN_LEVEL
    out["la_code"] = pd.NA
    out["measure"] = measure
    return finish_tidy(out)


def neighbours_with_values(
    tidy: pd.DataFrame, la_code: str, measure: str, period: str
) -> list[tuple[str, str]]:
    """(DfE number, name) of the LA's statistical neighbours with a published ``measure`` in
    ``period``, closest first: the LAs a neighbour mean averages."""
    codes = statistical_neighbours(local_authority(la_code).la_code)
    rows = tidy[
        (tidy["measure"] == measure)
        & (tidy["level"] == _LA)
        & (tidy["period"] == period)
        & tidy["la_code"].isin(codes)
        & tidy["value"].notna()
    ]
    have = set(rows["la_code"])
    return [(c, la_name(c)) for c in codes if c in have]


def benchmarks_for(
    tidy: pd.DataFrame,
    la_code: str,
    measure: str,
    *,
    include_la: bool = False,
    neighbours: Sequence[str] | None = None,
) -> pd.DataFrame:
    """England, the LA's region and the statistical-neighbour mean for ``measure``.

    ``neighbours`` overrides the reference list (e.g. neighbours read from a newer LAIT
    workbook). Raises :class:`ParameterError` when the frame has no such measure.
    """
    la = local_authority(la_code)
    if not (tidy["measure"] == measure).any():
        known = sorted(tidy["measure"].dropna().unique())
        raise ParameterError(
            f"measure {measure!r} is not in the DfE data given",
            accepted=", ".join(known) if known else "(the data has no measures)",
            parameter="measure",
        )
    rows = tidy[tidy["measure"] == measure]
    england = rows[
        (rows["level"] == BenchmarkLevel.ENGLAND.tidy) & (rows["area_code"] == ENGLAND_CODE)
    ]
    region = rows[
        (rows["level"] == BenchmarkLevel.REGION.tidy) & (rows["area_code"] == la.region_code)
    ]
    # A frame may carry the mean already (the typed-in published table does); else compute it.
    typed_in = rows[rows["area_code"] == f"SN:{la.la_code}"]
    if typed_in.empty or neighbours is not None:
        typed_in = neighbour_mean(tidy, la.la_code, measure, neighbours)
    parts = [england, region, typed_in]
    if include_la:
        parts.append(rows[(rows["level"] == _LA) & (rows["la_code"] == la.la_code)])
    out = pd.concat([p for p in parts if not p.empty] or [rows.iloc[0:0]], ignore_index=True)
    out = out.assign(_order=out["level"].map(_ORDER).fillna(9))
    out = out.sort_values(["period", "_order"], ascending=[False, True], kind="stable")
    return finish_tidy(out.drop(columns="_order"))
