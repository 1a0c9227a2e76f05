"""A tiny valid input set (LA 919, April 2021–March 2024) and helpers to break it."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from sendreport.contract import ASSESSMENT_OUTCOMES, DATASETS, SERVICES, WAIT_BANDS

LA = "919"
DATA_END = date(2024, 3, 31)
Rows = list[dict[str, str]]


def _month_ends() -> list[str]:
    """Month ends April 2021 to March 2024."""
    out = []
    for i in range(36):
        year, month = 2021 + (3 + i) // 12, (3 + i) % 12 + 1
        nxt = date(year + month // 12, month % 12 + 1, 1)
        out.append(date.fromordinal(nxt.toordinal() - 1).isoformat())
    return out


def _requests() -> Rows:
    rows = []
    outcomes = [
        ("assess", "issue"),
        ("assess", "not_issue"),
        ("not_assess", ""),
        ("assess", "pending"),
        ("withdrawn", ""),
        ("pending", ""),
    ]
    for i in range(12):
        received = date(2021 + i // 4, [4, 7, 10, 1][i % 4], 10 + i)
        if received.month == 1:
            received = received.replace(year=received.year + 1)
        request, assessment = outcomes[i % len(outcomes)]
        decided = "" if request == "pending" else date.fromordinal(received.toordinal() + 40)
        assessed = date.fromordinal(received.toordinal() + 100) if assessment else ""
        if assessment == "pending":
            assessed = ""
        plan = date.fromordinal(received.toordinal() + 130) if assessment == "issue" else ""
        assert assessment in ("", *ASSESSMENT_OUTCOMES)
        rows.append(
            {
                "request_id": f"R{i + 1:04d}",
                "person_id": f"P{i + 1:04d}",
                "la_code": LA,
                "received_date": received.isoformat(),
                "request_outcome": request,
                "request_outcome_date": str(decided),
                "assessment_outcome": assessment,
                "assessment_outcome_date": str(assessed),
                "plan_issued_date": str(plan),
                "week20_exception": "1" if i == 3 else "0",
                "primary_need": ["ASD", "SEMH", "SLCN"][i % 3],
                "age_at_request": str(4 + i),
            }
        )
    return rows


def valid_rows() -> dict[str, Rows]:
    """Rows for every dataset in the contract, valid for LA 919 up to 31 March 2024."""
    months = _month_ends()
    quarter_ends = [m for m in months if m[5:7] in ("06", "09", "12", "03")]
    quarters = []
    for qe in quarter_ends:
        year, month = int(qe[:4]), int(qe[5:7])
        fy = year if month >= 4 else year - 1
        q = {6: 1, 9: 2, 12: 3, 3: 4}[month]
        quarters.append((f"{fy}-{(fy + 1) % 100:02d}-Q{q}", qe))
    return {
        "ehcp_requests": _requests(),
        "ehcp_caseload": [
            {
                "la_code": LA,
                "month_end": m,
                "ehc_plans": str(10000 + 50 * i),
                "sen_support_pupils": "25000" if m[5:7] == "01" else "",
            }
            for i, m in enumerate(months)
        ],
        "service_waits": [
            {
                "la_code": LA,
                "month_end": m,
                "service": s,
                "waiting": str(100 + i),
                "waiting_over_18_weeks": str(20 + i // 2),
            }
            for i, m in enumerate(months)
            for s in SERVICES
        ],
        "school_places": [
            {
                "la_code": LA,
                "academic_year": f"{y}/{(y + 1) % 100:02d}",
                "as_at_date": f"{y}-09-01",
                "special_school_places": str(3000 + 100 * (y - 2021)),
            }
            for y in (2021, 2022, 2023)
        ],
        "placement_waits": [
            {"la_code": LA, "month_end": m, "wait_band": b, "children": str(5 + j)}
            for m in months
            for j, b in enumerate(WAIT_BANDS)
        ],
        "workforce": [
            {
                "la_code": LA,
                "month_end": m,
                "case_officer_appointments": str(i),
                "in_training": str(i % 5),
                "trained": str(i // 2),
                "average_caseload": f"{180 - i * 0.5:.1f}",
            }
            for i, m in enumerate(months)
        ],
        "families_first": [
            {
                "la_code": LA,
                "quarter": q,
                "quarter_end": qe,
                "assessments_completed": str(400 + i),
                "children_covered": str(900 + i),
            }
            for i, (q, qe) in enumerate(quarters)
        ],
        "cla_stability": [
            {
                "la_code": LA,
                "year_end": f"{y}-03-31",
                "children_looked_after": str(1000 + y - 2022),
                "three_plus_placements": str(90 + y - 2022),
            }
            for y in (2022, 2023, 2024)
        ],
        "improvement_plan": [
            {
                "la_code": LA,
                "area_id": str(area),
                "area_title": f"Area {area}",
                "action_id": f"{area}.1",
                "action": "Do the thing",
                "owner": "Head of SEND",
                "due_date": "2024-09-30",
                "update_quarter": "2023-24-Q4",
                "update_date": "2024-03-28",
                "status": "on_track",
                "progress_update": "We have started.",
            }
            for area in range(1, 6)
        ],
        "targets": [
            {
                "la_code": LA,
                "metric_id": "ehcp_20wk_pct_ex",
                "target_value": "60",
                "target_date": "2025-03-31",
                "polarity": "higher",
            }
        ],
        "commentary": [
            {
                "la_code": LA,
                "period": "2023-24-Q4",
                "subject": "ehcp_20wk_pct_ex",
                "commentary": "Timeliness rose as two posts were filled.",
                "author": "A. Officer",
                "role": "Head of SEND",
                "action": "",
            }
        ],
    }


def write_rows(
    data_dir: Path, dataset: str, rows: Rows, header: list[str] | None = None, **kw
) -> Path:
    """Write rows as ``<dataset>.csv`` (UTF-8, comma-separated)."""
    if header is None:
        header = list(rows[0]) if rows else DATASETS[dataset].required_columns
    path = data_dir / f"{dataset}.csv"
    with path.open("w", newline="", encoding=kw.get("encoding", "utf-8")) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(h, "") for h in header])
    return path


def read_rows(data_dir: Path, dataset: str) -> Rows:
    with (data_dir / f"{dataset}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def make_valid_dataset_dir(tmp_path: Path) -> Path:
    """A folder holding a valid CSV for every dataset (LA 919, April 2021–March 2024)."""
    data_dir = tmp_path / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    for name, rows in valid_rows().items():
        write_rows(data_dir, name, rows)
    return data_dir


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return make_valid_dataset_dir(tmp_path)


@pytest.fixture
def edit_rows(data_dir: Path) -> Callable[[str, Callable[[Rows], None]], Path]:
    """Edit one dataset's rows in place: ``edit_rows("ehcp_requests", lambda rows: ...)``."""

    def edit(dataset: str, change: Callable[[Rows], None]) -> Path:
        rows = read_rows(data_dir, dataset)
        change(rows)
        return write_rows(data_dir, dataset, rows)

    return edit
