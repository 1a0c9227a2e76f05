"""A tiny valid input set (LA 919, April 2021–March 2024) and helpers to break it."""

from __future__ import annotations

import copy
import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from sendreport.contract import ASSESSMENT_OUTCOMES, DATASETS, SERVICES, WAIT_BANDS
from sendreport.exceptions import EXIT_INVALID, ProblemRecord, ValidationFailed

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


# --- one validation of many independent faults ------------------------------------------
# Great Expectations costs about a CPU-second to validate a failing dataset (two for
# ehcp_requests), the rows almost nothing. So the rule tests share one validation of one
# folder holding every fault below, each in its own row (or an edited copy of a row, with
# its own ids) so no fault hides or adds to another; each test then asserts on the problems
# that name its fault's row. tests/gate/test_broken_set.py checks the whole list of
# problems, so a fault that starts breaking an unintended rule is seen there.

SCRIPT = '<script>alert("docs")</script><img src=x onerror=alert(2)>'


@dataclass(frozen=True)
class Fault:
    """One change to the valid rows: ``change`` applied to row ``row`` of ``dataset``, or
    (``copy``) to a copy of it appended at the end with its own ids."""

    dataset: str
    row: int
    change: dict[str, str]
    copy: bool = False


FAULTS: dict[str, Fault] = {
    # Row indexes of ehcp_requests: 0 assess/issue, 1 assess/not_issue, 2 not_assess,
    # 3 assess/pending, 4 withdrawn, 5 pending (then the pattern repeats).
    "plan_before_received": Fault("ehcp_requests", 0, {"plan_issued_date": "2021-01-05"}, True),
    "plan_without_issue": Fault("ehcp_requests", 1, {"plan_issued_date": "2021-12-01"}, True),
    "assessed_without_assess": Fault("ehcp_requests", 2, {"assessment_outcome": "issue"}, True),
    "duplicate_request_id": Fault("ehcp_requests", 5, {"request_id": "R0001"}),
    "decided_without_date": Fault("ehcp_requests", 0, {"request_outcome_date": ""}, True),
    "not_assess_without_date": Fault("ehcp_requests", 2, {"request_outcome_date": ""}, True),
    "pending_with_date": Fault("ehcp_requests", 5, {"request_outcome_date": "2022-11-01"}, True),
    "assessed_without_date": Fault("ehcp_requests", 1, {"assessment_outcome_date": ""}, True),
    "assessed_before_decided": Fault(
        "ehcp_requests", 0, {"assessment_outcome_date": "2021-04-20"}, True
    ),
    "plan_before_assessed": Fault("ehcp_requests", 0, {"plan_issued_date": "2021-07-10"}, True),
    "request_id_case_and_spaces": Fault("ehcp_requests", 6, {"request_id": " r0001 "}, True),
    "negative_count": Fault("placement_waits", 7, {"children": "-3"}),
    "month_end_not_a_month_end": Fault("workforce", 2, {"month_end": "2021-06-15"}),
    "compound_key_duplicate": Fault("service_waits", 1, {"service": SERVICES[0]}),  # row 0's
    "over_18_weeks_above_waiting": Fault("service_waits", 6, {"waiting_over_18_weeks": "999"}),
    "placements_above_children": Fault("cla_stability", 0, {"three_plus_placements": "5000"}),
    "covered_above_assessments": Fault("families_first", 0, {"children_covered": "99999"}),
    "quarter_end_of_another_quarter": Fault("families_first", 3, {"quarter_end": "2022-06-30"}),
    "quarter_not_a_financial_year": Fault("families_first", 6, {"quarter": "2021-23-Q1"}),
    "update_after_the_quarter": Fault("improvement_plan", 0, {"update_date": "2024-04-15"}),
    "update_before_the_quarter": Fault("improvement_plan", 1, {"update_date": "2023-12-31"}),
    "markup_in_a_failing_value": Fault("improvement_plan", 2, {"status": SCRIPT}),
    "unknown_metric": Fault("targets", 0, {"metric_id": "ehcp_20wk_pct_typo"}, True),
    "polarity_against_the_metric": Fault(
        "targets", 0, {"polarity": "lower", "target_date": "2026-03-31"}, True
    ),
    "other_la": Fault("targets", 0, {"la_code": "920"}),
    # The data ends March 2024: places planned for September 2024 are planning data.
    "places_for_next_september": Fault(
        "school_places", 2, {"academic_year": "2024/25", "as_at_date": "2024-09-01"}, True
    ),
    "places_two_years_ahead": Fault(
        "school_places", 2, {"academic_year": "2025/26", "as_at_date": "2025-09-01"}, True
    ),
}


@dataclass(frozen=True)
class BrokenSet:
    """The one validation of every fault in :data:`FAULTS`: its problems, each fault's
    spreadsheet row (counting the header as row 1), and where it wrote results."""

    data_dir: Path
    results_dir: Path
    problems: tuple[ProblemRecord, ...]
    shown: dict[str, int]
    text: str  # the error's message, as the command line prints it

    def naming(self, fault: str) -> list[ProblemRecord]:
        """Copies of the problems of the fault's dataset whose samples show the fault's row."""
        dataset, row = FAULTS[fault].dataset, self.shown[fault]
        return [
            copy.deepcopy(p)
            for p in self.problems
            if p.dataset == dataset and row in [s.get("row") for s in p.samples]
        ]


def _break_rows(rows: dict[str, Rows]) -> dict[str, int]:
    """Apply :data:`FAULTS` to ``rows``: edits in place first, then the edited copies
    (so a copy shares its dataset's in-place changes, e.g. another LA for every target)."""
    shown = {}
    for key, fault in FAULTS.items():
        if not fault.copy:
            rows[fault.dataset][fault.row].update(fault.change)
            shown[key] = fault.row + 2
    for number, (key, fault) in enumerate(FAULTS.items(), start=1):
        if fault.copy:
            table = rows[fault.dataset]
            own = {"request_id": f"R9{number:03d}", "person_id": f"P9{number:03d}"}
            copied = table[fault.row] | (own if fault.dataset == "ehcp_requests" else {})
            table.append(copied | fault.change)
            shown[key] = len(table) + 1
    return shown


@pytest.fixture(scope="session")
def broken_set(tmp_path_factory) -> BrokenSet:
    """Every fault validated once, with results and Data Docs written (read, never change:
    :meth:`BrokenSet.naming` hands out copies)."""
    from sendreport.load import load_inputs
    from sendreport.validate import validate_inputs

    folder = tmp_path_factory.mktemp("broken")
    data_dir, results_dir = folder / "data", folder / "results"
    data_dir.mkdir()
    rows = valid_rows()
    shown = _break_rows(rows)
    for name, table in rows.items():
        write_rows(data_dir, name, table)
    with pytest.raises(ValidationFailed) as info:
        validate_inputs(
            load_inputs(data_dir), data_end=DATA_END, la_code=LA, results_dir=results_dir
        )
    err = info.value
    assert err.exit_code == EXIT_INVALID and err.results_dir == str(results_dir)
    return BrokenSet(data_dir, results_dir, tuple(err.problems), shown, str(err))
