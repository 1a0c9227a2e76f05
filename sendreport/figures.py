"""Published figures: recorded in notebook cells, collected into ``figures.json``.

A notebook records each number it states by displaying a small JSON payload under a
private MIME type. nbconvert's HTML exporters ignore MIME types they do not know, so the
record is invisible in the reports, while the executed notebook keeps it on the very
cell that computed the number. After execution the build walks the cells and collects
the records, adding the cell index, cell id and execution count: every published number
is traceable to its cell, its data and its definition by construction.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sendreport.periods import Basis, Period

FIGURE_MIME = "application/vnd.sendreport.figure+json"
ENGLAND = "E92000001"


@dataclass(frozen=True)
class Figure:
    """One number a report states, with what a reviewer needs to trace it."""

    id: str
    label: str
    value: float | None
    display: str
    unit: str
    period: str
    period_start: str
    period_end: str
    basis: str
    area: str
    report: str
    source: list[str]
    numerator: float | None = None
    denominator: float | None = None
    note: str | None = None
    suppressed: bool = False  # hidden in reader editions by the small-number rule
    cell_index: int | None = None
    cell_id: str | None = None
    execution_count: int | None = None
    role: str = "current"
    extra: dict[str, Any] = field(default_factory=dict)

    def key(self) -> tuple[str, str, str, str, str]:
        """The stable identity of a figure: report, id, period, area and role (never the
        label, which may be reworded)."""
        return (self.report, self.id, self.period, self.area, self.role)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        if not data["extra"]:
            del data["extra"]
        return data


def figure_role(period: Period, report_period: Period) -> str:
    """How a figure's period stands to its report's quarter: the role in its stable key.

    ``current`` (the quarter itself, or a snapshot at its end), ``previous_quarter``,
    ``same_quarter_last_year``, ``financial_year_to_date``, ``calendar_year_to_date``,
    ``rolling_12_months``; other periods count back from the report's: ``quarter_minus_3``,
    ``month_end_minus_12``, ``month_minus_5``, ``calendar_year_minus_1`` (from the latest
    calendar year ended by the quarter end), ``january_census_minus_1``; dates after the
    quarter (targets, plans) are ``ahead``. So a figure keeps its role from quarter to
    quarter and ``diff`` lines them up.
    """
    if period == report_period:
        return "current"
    if report_period.basis is not Basis.FY_QUARTER:
        return f"{period.basis.value}:{period.label}"
    months = (report_period.end.year * 12 + report_period.end.month) - (
        period.end.year * 12 + period.end.month
    )
    if period.end > report_period.end:
        return "ahead"
    if period == report_period.previous_quarter():
        return "previous_quarter"
    if period == report_period.same_period_last_year():
        return "same_quarter_last_year"
    if period.basis in (Basis.FINANCIAL_YTD, Basis.FINANCIAL_YEAR) and months == 0:
        return "financial_year_to_date"
    if period.basis in (Basis.FINANCIAL_YTD, Basis.FINANCIAL_YEAR) and months == 12:
        return "financial_year_to_date_last_year"
    if period.basis is Basis.CALENDAR_YTD and months == 0:
        return "calendar_year_to_date"
    if period.basis is Basis.ROLLING_12M and months == 0:
        return "rolling_12_months"
    if period.basis is Basis.CALENDAR_YEAR:
        end = report_period.end
        latest = end.year if (end.month, end.day) == (12, 31) else end.year - 1
        back = latest - period.start.year
        return "latest_calendar_year" if back == 0 else f"calendar_year_minus_{back}"
    if period.basis is Basis.SNAPSHOT and period.end.month == 1 and period.end.day == 1:
        return f"january_census_minus_{report_period.end.year - period.end.year}"
    kind = {Basis.FY_QUARTER: "quarter", Basis.MONTH: "month", Basis.SNAPSHOT: "month_end"}
    step = 3 if period.basis is Basis.FY_QUARTER else 1
    if period.basis in kind:
        return "current" if months == 0 else f"{kind[period.basis]}_minus_{months // step}"
    return f"{period.basis.value}:{period.label}"


def _clean_number(x: Any) -> float | int | None:
    """JSON-safe numbers: NaN becomes null; whole floats stay floats for stable output."""
    if x is None:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    if math.isnan(f):
        return None
    return round(f, 10)


def make_payload(**fields: Any) -> dict[str, Any]:
    for name in ("value", "numerator", "denominator"):
        fields[name] = _clean_number(fields.get(name))
    fields["source"] = sorted(set(fields.get("source") or []))
    return fields


def collect_figures(notebook: Mapping[str, Any]) -> list[Figure]:
    """Every figure recorded in an executed notebook, in cell order."""
    figures: list[Figure] = []
    for index, cell in enumerate(notebook.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            payload = data.get(FIGURE_MIME)
            if payload is None:
                continue
            if isinstance(payload, str):  # some kernels stringify JSON payloads
                payload = json.loads(payload)
            records = payload if isinstance(payload, list) else [payload]
            for record in records:
                figures.append(
                    Figure(
                        **record,
                        cell_index=index,
                        cell_id=cell.get("id"),
                        execution_count=cell.get("execution_count"),
                    )
                )
    return figures


def dedupe_figures(figures: Iterable[Figure]) -> list[Figure]:
    """Keep the first record of each key (report, id, period, area, role): a figure restated in
    the same report is the same number, and its first cell is where it was derived."""
    seen: set[tuple[str, str, str, str, str]] = set()
    out: list[Figure] = []
    for fig in figures:
        if fig.key() in seen:
            continue
        seen.add(fig.key())
        out.append(fig)
    return out


def write_figures(figures: Iterable[Figure], path: Path) -> None:
    """figures.json: sorted, indented, byte-stable."""
    records = [f.to_json() for f in figures]
    records.sort(key=lambda r: (r["report"], r["id"], r["area"], r["period_start"], r["period"]))
    path.write_text(json.dumps(records, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def read_figures(path: Path) -> list[dict[str, Any]]:
    return json.loads(Path(path).read_text())
