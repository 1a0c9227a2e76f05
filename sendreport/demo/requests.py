"""Person-level demo requests for EHC needs assessments, calibrated to DfE calendar years.

How the calibration works (plans first, then the requests around them):

1. **Plan slots.** For each calendar year 2021–2024 the published plans issued are split
   into six cells (exception flag × band: within 20 weeks, 20–52 weeks, over 52 weeks);
   each plan gets an issue date (a weekday, months weighted by season, some quarters
   fixed by the local narrative) and a request-to-plan time sampled inside its band, so
   ``received_date = plan_issued_date − days``. A few months of 2025 are extrapolated.
   DfE's timeliness counts therefore hold by construction.
2. **Request cohorts.** The requests received in each calendar year are the plan-bearing
   requests whose receipt falls in the year plus "filler" requests, dated so the months
   follow a school-year seasonality, up to DfE's requests received. Fillers take the
   outcomes the published counts still need (decided to assess without a plan yet or
   without one at all, not to assess, withdrawn, still undecided), so the cohort's
   outcome counts hold by construction too.
3. **Decision times.** Exactly the target number of decisions take more than 42 days;
   every date respects the order received ≤ decision ≤ assessment outcome ≤ plan and the
   end of the data (31 March 2025).

Definitions are those of :func:`sendreport.metrics.calendar_year.dfe_calendar_year_aggregates`
with outcomes as recorded (``as_at=None``): a request DfE counted as "decision not made"
is still pending at the end of the data. Calendar years 2022–2024 are held exactly;
2021 is only partly inside the data (April 2021 onward): requests received before April
2021 appear only when still open on 1 April 2021 (as in a case-management extract of
open and new cases), so 2021 counts are not DfE's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd

from sendreport.demo.calibration import CalendarYearTargets, calibration_targets, round_half_up
from sendreport.demo.narrative import PLAN_SHAPES, PlanShape
from sendreport.exceptions import SendReportError

WINDOW_START = date(2021, 4, 1)
DATA_END = date(2025, 3, 31)
CALIBRATED_YEARS = (2022, 2023, 2024)
FIRST_COHORT = 2021  # the first calendar year generated in full (then trimmed to April)

_EPOCH = np.datetime64("1970-01-01", "D")

# Requests received by month (school terms: August low, spring and autumn high).
REQUEST_SEASON = np.array([1.0, 0.95, 1.15, 0.8, 1.05, 1.15, 1.1, 0.5, 0.9, 1.15, 1.2, 0.85])
# Plans issued by month (holidays low).
PLAN_SEASON = np.array([1.0, 1.0, 1.1, 0.9, 1.0, 1.05, 1.15, 0.8, 0.95, 1.05, 1.05, 0.85])

# Days from request to plan, by band (bands of dfe_calendar_year_aggregates: ≤ 140,
# 141–364, ≥ 365). The middle band stops at 359 and the last starts at 372 so a one-day
# difference in anyone's 52-week rule cannot move a plan between bands.
BAND_DAYS = ((84, 140), (141, 359), (372, 700))
MIN_DECISION_TO_PLAN = 28  # assessment and drafting take at least four weeks
MAX_ATTEMPTS = 20

# SEN2 primary need of new EHC plans, England 2024 (DfE, "Education, health and care
# plans" 2025, sen_need_newplans.csv, national "All EHC plans"); unknown need left empty.
NEED_CODES = ("ASD", "SLCN", "SEMH", "MLD", "PD", "SPLD", "SLD", "OTH", "HI", "PMLD", "VI", "MSI")
NEED_COUNTS = np.array([26856, 27058, 25640, 7359, 2266, 2222, 1224, 1168, 705, 623, 457, 177])
NEED_UNKNOWN = 1808
# Age at request, England 2024 (requests.csv, "Child or young persons age"): ages 0–2 and
# 20+ are published together and split here (0: 10%, 1: 25%, 2: 65%; 20–25 tapering).
AGE_COUNTS = np.array(
    [279, 698, 1815, 18244, 17499, 10761, 9946, 9653, 10241, 12004, 14602, 9129, 8700, 9314,
     8341, 6971, 3413, 1538, 647, 300, 130, 95, 70, 50, 30, 18],
    dtype=float,
)  # fmt: skip
# Mediation and tribunal appeals, per request, England 2024 (requests.csv): about 6.8%
# and 3.0%; by outcome they are far likelier after a refusal.
MEDIATION_RATE = {"not_assess": 0.12, "not_issue": 0.15, "issue": 0.04, "other": 0.01}
TRIBUNAL_RATE = {"not_assess": 0.06, "not_issue": 0.10, "issue": 0.02, "other": 0.0}


class DemoCalibrationError(SendReportError):
    """The published figures cannot be met by the demo generator (it says which)."""


# --- dates as whole days since 1970 ---------------------------------------------------------
def to_days(d: date) -> int:
    return int((np.datetime64(d, "D") - _EPOCH).astype(np.int64))


def year_of(days: np.ndarray) -> np.ndarray:
    return (days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970).astype(
        np.int64
    )


def month_of(days: np.ndarray) -> np.ndarray:
    """Month number 1–12."""
    m = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return m % 12 + 1


def sample_weekdays(rng: np.random.Generator, year: int, months: np.ndarray) -> np.ndarray:
    """A random weekday in each given month of ``year`` (days since 1970)."""
    starts = np.array(
        [to_days(date(year, int(m), 1)) for m in range(1, 13)] + [to_days(date(year + 1, 1, 1))]
    )
    first, nxt = starts[months - 1], starts[months]
    day = first + np.floor(rng.random(months.size) * (nxt - first)).astype(np.int64)
    weekday = (day + 3) % 7  # Monday = 0 (1 January 1970 was a Thursday)
    # Move weekends to the nearest weekday inside the month.
    sat, sun = weekday == 5, weekday == 6
    day = np.where(sat, np.where(day - 1 >= first, day - 1, day + 2), day)
    day = np.where(sun, np.where(day + 1 < nxt, day + 1, day - 2), day)
    return day


def split_by_weights(rng: np.random.Generator, total: int, weights: np.ndarray) -> np.ndarray:
    """``total`` split over the weights at random, summing exactly."""
    if total <= 0:
        return np.zeros(weights.size, dtype=np.int64)
    return rng.multinomial(total, weights / weights.sum()).astype(np.int64)


def beta_between(
    rng: np.random.Generator, lo, hi, a: float, b: float, size: int | None = None
) -> np.ndarray:
    """Whole numbers in [lo, hi] shaped by a Beta(a, b)."""
    lo, hi = np.asarray(lo), np.asarray(hi)
    n = np.broadcast(lo, hi).size if size is None else size
    x = rng.beta(a, b, size=n)
    return np.minimum(hi, lo + np.floor(x * (hi - lo + 1)).astype(np.int64))


# --- 1. plan slots --------------------------------------------------------------------------
CELLS = ((0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2))
_CELL_EXC = np.array([c[0] for c in CELLS], dtype=np.int8)
_CELL_BAND = np.array([c[1] for c in CELLS], dtype=np.int8)


def _cells_array(cells: dict[tuple[int, int], int]) -> np.ndarray:
    return np.array([int(cells.get(c, 0)) for c in CELLS], dtype=np.int64)


def usable_shape(shape: PlanShape | None, targets: dict[int, CalendarYearTargets]) -> PlanShape:
    """The narrative's fixed quarters that the DfE years allow (DfE calendar years win)."""
    if shape is None:
        return PlanShape()
    quarters, cells = {}, {}
    for (year, q), n in shape.quarter_plans.items():
        if year not in targets or not 0 <= n <= targets[year].plans_issued_den:
            continue
        fixed = shape.cells.get((year, q))
        if fixed is not None:
            year_cells = _cells_array(targets[year].plan_cells())
            arr = _cells_array(fixed)
            if arr.sum() != n or np.any(arr > year_cells):
                continue
            cells[(year, q)] = fixed
        quarters[(year, q)] = n
    return PlanShape(quarters, cells, shape.clearance_quarters)


def _segment_slots(
    rng: np.random.Generator, year: int, months: np.ndarray, cell_counts: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = int(cell_counts.sum())
    per_month = split_by_weights(rng, n, PLAN_SEASON[months - 1])
    month = np.repeat(months, per_month)
    days = np.sort(sample_weekdays(rng, year, month))
    labels = rng.permutation(np.repeat(np.arange(len(CELLS)), cell_counts))
    return days, _CELL_EXC[labels], _CELL_BAND[labels]


def build_plan_slots(
    rng: np.random.Generator,
    targets: dict[int, CalendarYearTargets],
    shape: PlanShape,
    extra_q1: np.ndarray,
) -> pd.DataFrame:
    """One row per plan issued 2021 – March 2025: issue day, exception flag, band."""
    parts = []
    for year in range(FIRST_COHORT, DATA_END.year):
        year_cells = _cells_array(targets[year].plan_cells())
        rest_cells = year_cells.copy()
        rest_months = list(range(1, 13))
        for q in (1, 2, 3, 4):
            if (year, q) not in shape.quarter_plans:
                continue
            n = shape.quarter_plans[(year, q)]
            fixed = shape.cells.get((year, q))
            q_cells = (
                _cells_array(fixed)
                if fixed is not None
                else rng.multivariate_hypergeometric(rest_cells, n).astype(np.int64)
            )
            rest_cells -= q_cells
            q_months = np.arange(3 * q - 2, 3 * q + 1)
            rest_months = [m for m in rest_months if m not in q_months]
            parts.append((year, q, *_segment_slots(rng, year, q_months, q_cells)))
        parts.append((year, 0, *_segment_slots(rng, year, np.array(rest_months), rest_cells)))
    parts.append((DATA_END.year, 1, *_segment_slots(rng, DATA_END.year, np.arange(1, 4), extra_q1)))
    frames = [
        pd.DataFrame({"p": d, "exc": e, "band": b, "year": y, "quarter": q})
        for y, q, d, e, b in parts
    ]
    slots = pd.concat(frames, ignore_index=True)
    # Year × 10 + quarter of each plan's issue day, matched against the clearance quarters.
    key = slots["year"].to_numpy() * 10 + (month_of(slots["p"].to_numpy()) - 1) // 3 + 1
    cleared = [y * 10 + q for y, q in shape.clearance_quarters]
    slots["clearance"] = np.isin(key, np.array(cleared, dtype=np.int64))
    return slots


def sample_plan_days(rng: np.random.Generator, band: np.ndarray, clearance: np.ndarray):
    """Days from request to plan inside each band; longer when historic cases are cleared."""
    n = band.size
    days = np.empty(n, dtype=np.int64)
    b0, b1, b2 = band == 0, band == 1, band == 2
    days[b0] = beta_between(rng, BAND_DAYS[0][0], BAND_DAYS[0][1], 3.0, 1.3, int(b0.sum()))
    scale = np.where(clearance, 110.0, 55.0)[b1]
    days[b1] = np.minimum(
        BAND_DAYS[1][1], BAND_DAYS[1][0] + rng.exponential(scale).astype(np.int64)
    )
    days[b2] = np.minimum(
        BAND_DAYS[2][1], BAND_DAYS[2][0] + rng.exponential(60.0, b2.sum()).astype(np.int64)
    )
    return days


def move_off_weekends(r: np.ndarray, p: np.ndarray, band: np.ndarray) -> np.ndarray:
    """Receipt days moved off weekends to the Friday before or the Monday after, whichever
    keeps the plan inside its band (bands are far wider than two days)."""
    weekday = (r + 3) % 7
    back = r + np.where(weekday == 5, -1, np.where(weekday == 6, -2, 0))
    fwd = r + np.where(weekday == 5, 2, np.where(weekday == 6, 1, 0))
    lo = np.array([b[0] for b in BAND_DAYS])[band]
    hi = np.array([b[1] for b in BAND_DAYS])[band]
    year = year_of(r)
    # Never across a year end: the cohorts' sizes are already fixed.
    back_ok = (p - back <= hi) & (year_of(back) == year)
    fwd_ok = (p - fwd >= lo) & (year_of(fwd) == year)
    return np.where(back_ok, back, np.where(fwd_ok, fwd, r))


class _Receipts:
    """Receipt days and their calendar years, moved one request at a time; the requests
    per year are kept up to date as they move (recounting them per move is slow for big LAs).
    """

    def __init__(self, r: np.ndarray, years: np.ndarray, capacity: dict[int, int]) -> None:
        self.r, self.years, self.capacity = r, years, capacity
        self.counts = Counter(years.tolist())

    def room(self, year: int) -> float:
        """Requests ``year`` can still take (unlimited for years DfE does not fix)."""
        cap = self.capacity.get(year)
        return np.inf if cap is None else cap - self.counts[year]

    def move(self, i: int, day: int, to_year: int) -> None:
        """Request ``i`` now received on ``day``, in ``to_year``."""
        self.counts[int(self.years[i])] -= 1
        self.counts[to_year] += 1
        self.r[i], self.years[i] = day, to_year


def rebalance_cohorts(
    rng: np.random.Generator,
    slots: pd.DataFrame,
    capacity: dict[int, int],
    *,
    move_plans: bool = False,
) -> dict[int, int]:
    """Move plan requests out of years whose 'decided to assess' count is already full.

    A plan's request must be one of its cohort's assessed requests; where a year would get
    more plan requests than DfE's requests decided to assess, some receipt dates move,
    still inside their band: to the next year if it has room, else to the year before
    (latest year first, so overflow runs down to 2021, which DfE does not fix). In place.

    Without ``move_plans`` a year still over capacity raises (the caller draws again).
    With it, plans of that year also move to its first months (same calendar year, same
    band, so DfE's timeliness counts still hold) so their requests fall in the year
    before; what still does not fit is returned as ``{year: plan requests over}``.
    """
    r = slots["r"].to_numpy().copy()
    p = slots["p"].to_numpy().copy()
    band = slots["band"].to_numpy()
    free = slots["quarter"].to_numpy() == 0  # not in a quarter the narrative fixes
    lo_days = np.array([b[0] for b in BAND_DAYS])[band]
    hi_days = np.array([b[1] for b in BAND_DAYS])[band]
    receipts = _Receipts(r, year_of(r), capacity)
    years, room, move = receipts.years, receipts.room, receipts.move
    over: dict[int, int] = {}
    for year in sorted(capacity, reverse=True):
        excess = -room(year)
        if excess <= 0:
            continue
        # Every request that can go forward into a year with room does so first.
        for other in (year + 1, year - 1):
            first, last = to_days(date(other, 1, 1)), to_days(date(other, 12, 31))
            for i in rng.permutation(np.flatnonzero(years == year)):
                if excess <= 0 or (other > year and room(other) <= 0):
                    break
                lo = max(p[i] - hi_days[i], first)
                hi = min(p[i] - lo_days[i], last)
                if lo <= hi:
                    move(i, lo + int(rng.integers(0, hi - lo + 1)), other)
                    excess -= 1
        if excess > 0 and move_plans:
            movable = (years == year) & (year_of(p) == year) & (band < 2) & free
            for i in rng.permutation(np.flatnonzero(movable))[: int(excess)]:
                p[i], day = _early_plan_day(rng, year, int(lo_days[i]), int(hi_days[i]))
                move(i, day, year - 1)
                excess -= 1
        if excess > 0:
            over[year] = _left_over(year, int(excess), capacity[year], move_plans)
    slots["r"] = r
    slots["p"] = p
    return over


def _left_over(year: int, excess: int, capacity: int, move_plans: bool) -> int:
    """Plan requests that fit nowhere: returned when plans may move, else an error (the
    caller draws again)."""
    if not move_plans:
        raise DemoCalibrationError(
            f"{year}: DfE's plans need more assessed requests received in the year "
            f"than the {capacity} DfE published as decided to assess",
            hint="check the release figures for this LA",
        )
    return excess


def _early_plan_day(rng: np.random.Generator, year: int, lo: int, hi: int) -> tuple[int, int]:
    """A weekday plan early in ``year`` and its request in the year before, ``lo``–``hi``
    days apart (the plan keeps its calendar year and its band)."""
    start = to_days(date(year, 1, 1))
    plan = start + int(rng.integers(0, hi - lo + 1))
    weekday = (plan + 3) % 7  # Monday = 0
    plan += {5: 2, 6: 1}.get(int(weekday), 0)
    latest = min(plan - lo, start - 1)
    return plan, plan - hi + int(rng.integers(0, latest - (plan - hi) + 1))


def lift_assessed(t: CalendarYearTargets, extra: int) -> tuple[CalendarYearTargets, str]:
    """Targets with ``extra`` more requests decided to assess, the same requests received.

    The last resort where DfE's plans need more assessed requests than it published: the
    extra come from undecided, then withdrawn, then refused requests; decisions within six
    weeks grow by any newly decided. Returns the targets and a note of the change.
    """
    pending, withdrawn, refused = (
        t.requests_decision_not_made,
        t.requests_withdrawn,
        t.requests_decided_not_to_assess,
    )
    if extra > pending + withdrawn + refused:
        raise DemoCalibrationError(
            f"{t.year}: DfE's plans need {extra} more assessed requests than the "
            f"{t.requests_received_in_year} requests received allow",
            hint="check the release figures for this LA",
        )
    from_pending = min(extra, pending)
    from_withdrawn = min(extra - from_pending, withdrawn)
    from_refused = extra - from_pending - from_withdrawn
    newly_decided = from_pending + from_withdrawn
    lifted = replace(
        t,
        requests_decided_to_assess=t.requests_decided_to_assess + extra,
        requests_decision_not_made=pending - from_pending,
        requests_withdrawn=withdrawn - from_withdrawn,
        requests_decided_not_to_assess=refused - from_refused,
        request_outcome_six_weeks=t.request_outcome_six_weeks + newly_decided,
        filled=tuple(
            dict.fromkeys(
                (
                    *t.filled,
                    "requests_decided_to_assess",
                    "requests_decision_not_made",
                    "requests_withdrawn",
                    "requests_decided_not_to_assess",
                    "request_outcome_six_weeks",
                )
            )
        ),
    )
    note = (
        f"{t.year}: the plans DfE counts need {extra} more requests decided to assess than "
        f"the targets held ({t.requests_decided_to_assess}); the demo uses "
        f"{lifted.requests_decided_to_assess}, taking {from_pending} undecided, "
        f"{from_withdrawn} withdrawn and {from_refused} refused requests"
    )
    return lifted, note


# --- 2./3. cohorts ----------------------------------------------------------------------------
def cohort_counts(
    t: CalendarYearTargets | None, received: int, n_plans: int, rates: dict[str, float]
) -> dict[str, int]:
    """Outcome counts for a cohort: the targets, or rates for a year DfE does not fix."""
    if t is not None:
        return {
            "assess": t.requests_decided_to_assess,
            "not_assess": t.requests_decided_not_to_assess,
            "withdrawn": t.requests_withdrawn,
            "pending": t.requests_decision_not_made,
            "over_6wk": t.request_outcome_over_6_weeks,
        }
    nd = round_half_up(received * rates["pending"])
    wd = round_half_up(received * rates["withdrawn"])
    na = round_half_up(received * rates["not_assess"])
    assess = received - nd - wd - na
    if assess < n_plans:  # room for the plans first: fewer undecided, then fewer refusals
        short = n_plans - assess
        cut = min(short, nd)
        nd, short = nd - cut, short - cut
        na -= short
        assess = n_plans
    return {"assess": assess, "not_assess": na, "withdrawn": wd, "pending": nd, "over_6wk": -1}


def _filler_receipts(
    rng: np.random.Generator, year: int, months: np.ndarray, received: int, plans: pd.DataFrame
) -> np.ndarray:
    """Receipt days of the requests that did not lead to a plan: school-year seasonality
    for the whole cohort, less the months the plan requests already fill."""
    target = split_by_weights(rng, received, REQUEST_SEASON[months - 1])
    have = np.bincount(month_of(plans["r"].to_numpy()) - months[0], minlength=months.size)[
        : months.size
    ]
    fill = target - have
    deficit = int(-fill[fill < 0].sum())
    fill[fill < 0] = 0
    for _ in range(deficit):
        fill[int(np.argmax(fill))] -= 1
    return sample_weekdays(rng, year, np.repeat(months, fill))


def _filler_outcomes(
    rng: np.random.Generator,
    year: int,
    r_fill: np.ndarray,
    counts: dict[str, int],
    n_plan: int,
    late_weight: float,
) -> np.ndarray:
    """Request outcomes of the fillers, adding up to the year's counts.

    Requests DfE counted as undecided stay pending to the end of the data: in the last
    calibrated year they are the year's last arrivals (awaiting a decision); in earlier
    years they lean to its first months (long-stuck cases)."""
    n_fill = r_fill.size
    outcome = np.full(n_fill, "", dtype=object)
    late = (r_fill - to_days(date(year, 1, 1))) / 365.0
    keys = late_weight * late + rng.gumbel(size=n_fill)  # Gumbel top-k: weighted, no replacement
    order = np.argsort(-keys, kind="stable")
    nd = counts["pending"]
    outcome[order[:nd]] = "pending"
    rest = rng.permutation(order[nd:])
    n_wd, n_na = counts["withdrawn"], counts["not_assess"]
    outcome[rest[:n_wd]] = "withdrawn"
    outcome[rest[n_wd : n_wd + n_na]] = "not_assess"
    outcome[rest[n_wd + n_na :]] = "assess"
    if np.count_nonzero(outcome == "assess") != counts["assess"] - n_plan:
        raise DemoCalibrationError(f"{year}: request outcomes do not add up")
    return outcome


def _decision_days(
    rng: np.random.Generator,
    year: int,
    cohort: dict[str, np.ndarray],
    over_n: int,
    over_6wk_rate: float,
    end: int,
) -> np.ndarray:
    """Decision (or withdrawal) day of each request, -1 when none: exactly ``over_n``
    decisions after 42 days (``over_n < 0``: the rate's share of them)."""
    r, p, is_plan, outcome = cohort["r"], cohort["p"], cohort["is_plan"], cohort["outcome"]
    # In the last, partial year a decision may fall after the end: it is then pending.
    open_ended = year >= DATA_END.year
    decided = np.isin(outcome, ("assess", "not_assess"))
    cap = np.where(is_plan, p - r - MIN_DECISION_TO_PLAN, 10_000 if open_ended else end - r)
    idx = np.flatnonzero(decided)
    if over_n < 0:
        over_n = round_half_up(idx.size * over_6wk_rate)
    eligible = idx[cap[idx] >= 43]
    if eligible.size < over_n:
        raise DemoCalibrationError(f"{year}: too few requests can be decided after six weeks")
    over = np.zeros(r.size, dtype=bool)
    over[rng.choice(eligible, size=over_n, replace=False)] = True
    lag = np.full(r.size, -1, dtype=np.int64)
    within = decided & ~over
    hi = np.minimum(42, cap[within])
    lo = np.minimum(12, hi)
    lag[within] = beta_between(rng, lo, hi, 4.0, 1.6)
    lag[over] = np.minimum(cap[over], 43 + rng.exponential(21.0, over.sum()).astype(np.int64))
    wd = outcome == "withdrawn"
    wd_cap = 10_000 if open_ended else end - r[wd]
    lag[wd] = np.minimum(wd_cap, 7 + rng.exponential(35.0, wd.sum()).astype(np.int64))
    return np.where(lag >= 0, r + lag, -1)


def _assessment_outcomes(
    rng: np.random.Generator, year: int, cohort: dict[str, np.ndarray], end: int
) -> tuple[np.ndarray, np.ndarray]:
    """Assessment outcome and its day for each request ('' and -1 when not assessed)."""
    r, p, is_plan, d = cohort["r"], cohort["p"], cohort["is_plan"], cohort["d"]
    decided = np.isin(cohort["outcome"], ("assess", "not_assess"))
    # Plans: 'issue' one to three weeks before the final plan.
    a_out = np.full(r.size, "", dtype=object)
    a_day = np.full(r.size, -1, dtype=np.int64)
    a_out[is_plan] = "issue"
    a_day[is_plan] = p[is_plan] - rng.integers(7, 22, int(is_plan.sum()))
    # Assessed without a plan: not issued or withdrawn after an assessment of ~13 weeks;
    # cases of 2023 or earlier still open in late 2024 were closed in the 2024 clearance.
    fa = decided & ~is_plan & (cohort["outcome"] == "assess")
    lag2 = np.exp(rng.normal(np.log(80.0), 0.45, fa.sum())).astype(np.int64) + 14
    day = d[fa] + lag2
    if year <= 2023:
        clear_lo, clear_hi = to_days(date(2024, 1, 8)), to_days(date(2024, 9, 30))
        stuck = day > clear_hi
        lo_c = np.maximum(clear_lo, d[fa][stuck] + 28)
        day[stuck] = lo_c + np.floor(rng.random(stuck.sum()) * (clear_hi - lo_c + 1)).astype(
            np.int64
        )
    kind = np.where(rng.random(fa.sum()) < 0.7, "not_issue", "withdrawn")
    open_at_end = day > end
    a_out[fa] = np.where(open_at_end, "pending", kind)
    a_day[fa] = np.where(open_at_end, -1, day)
    return a_out, a_day


def generate_cohort(
    rng: np.random.Generator,
    year: int,
    months: np.ndarray,
    received: int,
    counts: dict[str, int],
    over_6wk_rate: float,
    plans: pd.DataFrame,
    late_weight: float = 0.5,
) -> pd.DataFrame:
    """All requests received in one calendar year (or its first months)."""
    end = to_days(DATA_END)
    n_plan = len(plans)
    r_fill = _filler_receipts(rng, year, months, received, plans)
    n_fill = r_fill.size
    filler_outcome = _filler_outcomes(rng, year, r_fill, counts, n_plan, late_weight)
    cohort = {
        "r": np.concatenate([plans["r"].to_numpy(), r_fill]),
        "p": np.concatenate([plans["p"].to_numpy(), np.full(n_fill, -1)]),
        "is_plan": np.arange(n_plan + n_fill) < n_plan,
        "outcome": np.concatenate([np.full(n_plan, "assess", dtype=object), filler_outcome]),
        "exc": np.concatenate([plans["exc"].to_numpy(), np.zeros(n_fill, dtype=np.int8)]),
    }
    cohort["d"] = _decision_days(rng, year, cohort, counts["over_6wk"], over_6wk_rate, end)
    cohort["a_out"], cohort["a_day"] = _assessment_outcomes(rng, year, cohort, end)
    # A decision after the end of the data has not happened yet (only the latest months).
    late_decision = cohort["d"] > end
    if late_decision.any():
        cohort["outcome"][late_decision] = "pending"
        cohort["d"][late_decision] = -1
        cohort["a_out"][late_decision] = ""
        cohort["a_day"][late_decision] = -1
    columns = ("r", "outcome", "d", "a_out", "a_day", "p", "exc")
    return pd.DataFrame({name: cohort[name] for name in columns})


def early_plan_requests(rng: np.random.Generator, plans: pd.DataFrame) -> pd.DataFrame:
    """Requests received before 2021 whose plans fall in the data (decided to assess)."""
    r, p = plans["r"].to_numpy(), plans["p"].to_numpy()
    cap = p - r - MIN_DECISION_TO_PLAN
    hi = np.minimum(42, cap)
    d = r + beta_between(rng, np.minimum(12, hi), hi, 4.0, 1.6)
    return pd.DataFrame(
        {
            "r": r,
            "outcome": "assess",
            "d": d,
            "a_out": "issue",
            "a_day": p - rng.integers(7, 22, r.size),
            "p": p,
            "exc": plans["exc"].to_numpy(),
        }
    )


def extrapolate_q1(targets: dict[int, CalendarYearTargets]) -> tuple[int, np.ndarray, int]:
    """January–March 2025 (no DfE figures yet): requests and plans at 2024's pace."""
    t = targets[DATA_END.year - 1]
    growth = t.requests_received_in_year / max(1, targets[t.year - 1].requests_received_in_year)
    growth = min(max(growth, 0.95), 1.15)
    q1_share = REQUEST_SEASON[:3].sum() / REQUEST_SEASON.sum()
    received = round_half_up(t.requests_received_in_year * growth * q1_share)
    plans = round_half_up(t.plans_issued_den * 0.25 * 1.05)
    cells = _cells_array(t.plan_cells()).astype(float)
    cells = cells / cells.sum() if cells.sum() else np.full(6, 1 / 6)
    # Largest remainders, so the cells add up to the plans exactly (no randomness needed).
    raw = cells * plans
    out = np.floor(raw).astype(np.int64)
    out[np.argsort(-(raw - out), kind="stable")[: plans - out.sum()]] += 1
    return received, out, plans


def cohort_rates(targets: dict[int, CalendarYearTargets], year: int) -> dict[str, float]:
    t = targets[year]
    n = max(1, t.requests_received_in_year)
    return {
        "pending": t.requests_decision_not_made / n,
        "withdrawn": t.requests_withdrawn / n,
        "not_assess": t.requests_decided_not_to_assess / n,
        "over": t.request_outcome_over_6_weeks
        / max(1, t.request_outcome_six_weeks + t.request_outcome_over_6_weeks),
    }


# --- public -----------------------------------------------------------------------------------
def _require_years(code: str, targets: dict[int, CalendarYearTargets]) -> None:
    """Refuse targets that miss a calendar year the demo requests need."""
    missing = [y for y in range(FIRST_COHORT, DATA_END.year) if y not in targets]
    if missing:
        raise DemoCalibrationError(
            f"no DfE figures for calendar year(s) {', '.join(map(str, missing))} for LA {code}",
            hint="use an 'Education, health and care plans' release covering 2021–2024",
        )


def _draw_plan_slots(
    rng: np.random.Generator,
    targets: dict[int, CalendarYearTargets],
    shape: PlanShape,
    q1_cells: np.ndarray,
    notes: list[str] | None,
) -> pd.DataFrame:
    """Plans with their receipt days, fitted to the years' assessment capacity.

    Where DfE's assessments barely cover its plans (small LAs that plan for nearly every
    assessment) a draw can fail to fit; draw again from the same stream (still seeded).
    The last draw may move plans and lift ``targets`` in place (inconsistent DfE figures).
    """
    capacity = {y: targets[y].requests_decided_to_assess for y in CALIBRATED_YEARS if y in targets}
    for attempt in range(MAX_ATTEMPTS + 1):
        slots = build_plan_slots(rng, targets, shape, q1_cells)
        slots["r"] = slots["p"].to_numpy() - sample_plan_days(
            rng, slots["band"].to_numpy(), slots["clearance"].to_numpy()
        )
        try:
            over = rebalance_cohorts(rng, slots, capacity, move_plans=attempt == MAX_ATTEMPTS)
        except DemoCalibrationError:
            continue
        for year, extra in sorted(over.items()):
            targets[year], note = lift_assessed(targets[year], extra)
            if notes is not None:
                notes.append(note)
        break
    slots["r"] = move_off_weekends(
        slots["r"].to_numpy(), slots["p"].to_numpy(), slots["band"].to_numpy()
    )
    return slots


def _year_cohort(
    rng: np.random.Generator,
    year: int,
    plans: pd.DataFrame,
    targets: dict[int, CalendarYearTargets],
    q1_received: int,
) -> pd.DataFrame:
    """One calendar year's requests: DfE's counts where calibrated, else enough for its plans."""
    if year == DATA_END.year:
        months, received = np.arange(1, 4), q1_received
        t, rates = None, cohort_rates(targets, year - 1)
    else:
        months, received = np.arange(1, 13), targets[year].requests_received_in_year
        t = targets[year] if year in CALIBRATED_YEARS else None
        rates = cohort_rates(targets, year)
    if t is None:
        # A year DfE does not fix here: enough requests for its plans and some refusals.
        received = max(received, round_half_up(len(plans) / max(0.5, 1 - rates["not_assess"])))
    counts = cohort_counts(t, received, len(plans), rates)
    late_weight = 25.0 if year >= max(CALIBRATED_YEARS) else -3.0
    return generate_cohort(rng, year, months, received, counts, rates["over"], plans, late_weight)


def _in_extract_window(raw: pd.DataFrame) -> pd.DataFrame:
    """What an extract from April 2021 holds: new requests and those still open then."""
    start = to_days(WINDOW_START)
    last_event = raw[["d", "a_day", "p"]].max(axis=1).to_numpy()
    still_open = (raw["outcome"].to_numpy() == "pending") | (raw["a_out"].to_numpy() == "pending")
    keep = (raw["r"].to_numpy() >= start) | (last_event >= start) | still_open
    return raw.loc[keep].reset_index(drop=True)


def generate_requests(
    la_code: str,
    *,
    seed: int,
    targets: dict[int, CalendarYearTargets] | None = None,
    shape: PlanShape | None = None,
    notes: list[str] | None = None,
) -> pd.DataFrame:
    """Person-level ``ehcp_requests`` for one LA, April 2021 to March 2025.

    ``targets`` are :func:`sendreport.demo.calibration.calibration_targets` (by default
    the built-in ones for ``la_code``); calendar
    years 2022–2024 of :func:`dfe_calendar_year_aggregates` equal them exactly (outcomes
    as recorded). ``shape`` fixes some quarters' plans (default: the LA's narrative in
    :mod:`sendreport.demo.narrative`, if any). Same seed, same frame.

    Where DfE's figures are inconsistent (more plans than assessed requests can carry),
    plans move to the first months of their year and, as a last resort, the year's
    requests decided to assess grow (requests received and timeliness counts never
    change); each such change is appended to ``notes``.
    """
    code = str(la_code).strip()
    if targets is None:
        targets = calibration_targets(code)
    _require_years(code, targets)
    rng = np.random.default_rng([int(seed), int(code) if code.isdigit() else 0, 1])
    shape = usable_shape(PLAN_SHAPES.get(code) if shape is None else shape, targets)
    q1_received, q1_cells, _ = extrapolate_q1(targets)
    targets = dict(targets)
    slots = _draw_plan_slots(rng, targets, shape, q1_cells, notes)
    cohort_year = year_of(slots["r"].to_numpy())
    frames = [early_plan_requests(rng, slots.loc[cohort_year < FIRST_COHORT])]
    for year in range(FIRST_COHORT, DATA_END.year + 1):
        plans = slots.loc[cohort_year == year]
        frames.append(_year_cohort(rng, year, plans, targets, q1_received))
    raw = _in_extract_window(pd.concat(frames, ignore_index=True))
    return finish_requests(rng, code, raw)


def _dates(days: np.ndarray) -> pd.Series:
    """Days since 1970 as datetime64[us]; negative means no date (NaT)."""
    values = days.astype("datetime64[D]").astype("datetime64[us]")
    values[days < 0] = np.datetime64("NaT")
    return pd.Series(values)


def _text(values, *, missing: np.ndarray | None = None) -> pd.Series:
    s = pd.Series(np.asarray(values, dtype=object), dtype="str")
    return s.mask(pd.Series(missing)) if missing is not None else s


def finish_requests(rng: np.random.Generator, code: str, raw: pd.DataFrame) -> pd.DataFrame:
    """Order, identify and describe the requests; typed as the data contract says."""
    n = len(raw)
    # Stable order: by date received, ties in a random (seeded) order.
    order = np.lexsort((rng.random(n), raw["r"].to_numpy()))
    raw = raw.iloc[order].reset_index(drop=True)
    outcome = raw["outcome"].to_numpy().astype(str)
    a_out = raw["a_out"].to_numpy().astype(str)

    need_p = np.append(NEED_COUNTS, NEED_UNKNOWN).astype(float)
    need_idx = rng.choice(need_p.size, size=n, p=need_p / need_p.sum())
    need = np.array([*NEED_CODES, ""], dtype=object)[need_idx]
    # Requests that never reached an assessment often have no recorded primary need.
    no_need = (need == "") | ((outcome != "assess") & (rng.random(n) < 0.35))
    age = rng.choice(AGE_COUNTS.size, size=n, p=AGE_COUNTS / AGE_COUNTS.sum())

    group = np.select(
        [outcome == "not_assess", a_out == "not_issue", a_out == "issue"],
        ["not_assess", "not_issue", "issue"],
        "other",
    )
    med_p = np.array([MEDIATION_RATE[g] for g in group])
    trib_p = np.array([TRIBUNAL_RATE[g] for g in group])
    mediation = (rng.random(n) < med_p).astype(np.int64)
    tribunal = (rng.random(n) < trib_p).astype(np.int64)

    person = rng.choice(900_000, size=n, replace=False) + 100_000
    frame = pd.DataFrame(
        {
            "request_id": _text([f"{code}-R{i + 1:06d}" for i in range(n)]),
            "person_id": _text([f"{code}-P{v:06d}" for v in person]),
            "la_code": _text(np.full(n, code, dtype=object)),
            "received_date": _dates(raw["r"].to_numpy()),
            "request_outcome": _text(outcome),
            "request_outcome_date": _dates(raw["d"].to_numpy()),
            "assessment_outcome": _text(a_out, missing=a_out == ""),
            "assessment_outcome_date": _dates(raw["a_day"].to_numpy()),
            "plan_issued_date": _dates(raw["p"].to_numpy()),
            "week20_exception": pd.array(raw["exc"].to_numpy().astype(np.int64), dtype="Int64"),
            "primary_need": _text(need, missing=no_need),
            "age_at_request": pd.array(age.astype(np.int64), dtype="Int64"),
            "mediation": pd.array(mediation, dtype="Int64"),
            "tribunal_appeal": pd.array(tribunal, dtype="Int64"),
        }
    )
    return frame
