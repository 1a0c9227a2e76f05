"""Demo local trackers: caseload, waiting lists, places, workforce, Families First, CLA, targets.

Hertfordshire's values follow its published narrative for January–March 2024 (see
:mod:`sendreport.demo.narrative`); other LAs get the same shapes scaled by their EHC plan
caseload (DfE January 2024, against Hertfordshire's 11,897). EHC plans maintained equal
DfE's January census for every January in the data; other months are interpolated.
SEN support pupils, waiting lists, places, workforce, Families First and CLA figures are
illustrative: no public source gives them monthly.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from sendreport.demo.calibration import round_half_up
from sendreport.demo.narrative import HERTFORDSHIRE, LocalNarrative
from sendreport.demo.requests import DATA_END, WINDOW_START
from sendreport.periods import Period

HERTS_CASELOAD_JAN_2024 = 11_897


def month_ends(start: date = WINDOW_START, end: date = DATA_END) -> list[date]:
    """Every month end from ``start``'s month to ``end``'s."""
    out, p = [], Period.month(start.year, start.month)
    while p.end <= end:
        out.append(p.end)
        nxt = date(p.end.year + (p.end.month == 12), p.end.month % 12 + 1, 1)
        p = Period.month(nxt.year, nxt.month)
    return out


def _ts(days: list[date]) -> pd.Series:
    return pd.Series(pd.to_datetime(days).as_unit("us"))


def _text(values) -> pd.Series:
    return pd.Series(list(values), dtype="str")


def _ints(values) -> pd.Series:
    return pd.Series(pd.array(np.asarray(values, dtype=np.int64), dtype="Int64"))


def _months_between(a: date, b: date) -> int:
    return (b.year - a.year) * 12 + (b.month - a.month)


def scale_for(januaries: dict[int, int]) -> float:
    """Size of the LA against Hertfordshire (EHC plans, January 2024)."""
    base = januaries.get(2024) or januaries[max(januaries)]
    return base / HERTS_CASELOAD_JAN_2024


def scaled(value: float, scale: float) -> int:
    return max(0, round_half_up(value * scale))


# --- EHC plans maintained -------------------------------------------------------------------
def generate_caseload(
    rng: np.random.Generator, code: str, januaries: dict[int, int], end: date = DATA_END
) -> pd.DataFrame:
    """Month-end EHC plans: DfE's January figures exactly, log-linear between them."""
    ends = month_ends(end=end)
    years = sorted(januaries)
    anchors = {date(y, 1, 31): januaries[y] for y in years}
    # Beyond the last published January, grow at the last published year's rate.
    last, prev = years[-1], years[-2]
    rate = np.log(januaries[last] / januaries[prev])
    plans = []
    for d in ends:
        if d in anchors:
            plans.append(anchors[d])
            continue
        left = max((a for a in anchors if a < d), default=None)
        right = min((a for a in anchors if a > d), default=None)
        if left is not None and right is not None:
            f = _months_between(left, d) / _months_between(left, right)
            log_v = (1 - f) * np.log(anchors[left]) + f * np.log(anchors[right])
        else:
            left = left or min(anchors)
            log_v = np.log(anchors[left]) + rate * _months_between(left, d) / 12
        plans.append(round_half_up(float(np.exp(log_v)) * (1 + rng.normal(0, 0.002))))
    # SEN support (illustrative): about 1.9 pupils per EHC plan, at the January census only.
    sen = [
        pd.NA if d.month != 1 else round_half_up(p * (1.95 - 0.03 * (d.year - 2022)))
        for d, p in zip(ends, plans, strict=True)
    ]
    return pd.DataFrame(
        {
            "la_code": _text([code] * len(ends)),
            "month_end": _ts(ends),
            "ehc_plans": _ints(plans),
            "sen_support_pupils": pd.Series(pd.array(sen, dtype="Int64")),
        }
    )


# --- waiting lists --------------------------------------------------------------------------
def _path(ends: list[date], points: dict[date, float]) -> np.ndarray:
    """Piecewise-linear values through ``points`` (held flat beyond the ends)."""
    x = np.array([d.toordinal() for d in ends], dtype=float)
    px = np.array([d.toordinal() for d in sorted(points)], dtype=float)
    py = np.array([points[d] for d in sorted(points)], dtype=float)
    return np.interp(x, px, py)


_ServiceShape = tuple[dict[date, float], dict[date, int], tuple[float, float]]


def _service_wait_shapes(scale: float, n: LocalNarrative) -> dict[str, _ServiceShape]:
    """Each service's path points, its exactly-set month ends and its long-waiter shares
    (before and after October 2023)."""
    slt_sep = scaled(1500, scale)
    slt_feb = round_half_up(slt_sep * (1 + n.slt_waiting_change_pct / 100))
    camhs_sep = scaled(750, scale)
    camhs_mar = round_half_up(camhs_sep * (1 + n.camhs_waiting_change_pct / 100))
    d = date
    return {
        "speech_and_language": (
            {d(2021, 4, 30): 0.72 * slt_sep, d(2023, 9, 30): slt_sep, d(2024, 2, 29): slt_feb,
             d(2025, 3, 31): 0.9 * slt_feb},
            {d(2023, 9, 30): slt_sep, d(2024, 2, 29): slt_feb},
            (0.45, 0.2),
        ),
        "camhs": (
            {d(2021, 4, 30): 0.8 * camhs_sep, d(2023, 9, 30): camhs_sep, d(2024, 3, 31): camhs_mar,
             d(2025, 3, 31): 0.95 * camhs_mar},
            {d(2023, 9, 30): camhs_sep, d(2024, 3, 31): camhs_mar},
            (0.5, 0.3),
        ),
        "educational_psychology": (
            {d(2021, 4, 30): scaled(260, scale), d(2023, 12, 31): scaled(520, scale),
             d(2025, 3, 31): scaled(380, scale)},
            {},
            (0.35, 0.25),
        ),
        "autism_assessment": (
            {d(2021, 4, 30): scaled(1400, scale), d(2024, 1, 31): scaled(2900, scale),
             d(2025, 3, 31): scaled(2600, scale)},
            {},
            (0.7, 0.65),
        ),
        "adhd_assessment": (
            {d(2021, 4, 30): scaled(900, scale), d(2024, 6, 30): scaled(2300, scale),
             d(2025, 3, 31): scaled(2250, scale)},
            {},
            (0.72, 0.7),
        ),
        "audiology": (
            {d(2021, 4, 30): scaled(240, scale), d(2023, 6, 30): scaled(420, scale),
             d(2025, 3, 31): scaled(210, scale)},
            {},
            (0.3, 0.15),
        ),
    }  # fmt: skip


def _service_series(
    rng: np.random.Generator, ends: list[date], shape: _ServiceShape
) -> tuple[np.ndarray, np.ndarray]:
    """Children waiting for one service at each month end, and those waiting over 18 weeks."""
    points, exact, (over_before, over_after) = shape
    values = _path(ends, points) * (1 + rng.normal(0, 0.02, len(ends)))
    waiting = np.maximum(0, np.round(values)).astype(np.int64)
    for i, month_end in enumerate(ends):
        if month_end in exact:
            waiting[i] = exact[month_end]
    # Long waiters: a larger share before the 2023-24 recovery work, smaller after.
    share = np.where(np.array([e < date(2023, 10, 1) for e in ends]), over_before, over_after) * (
        1 + rng.normal(0, 0.04, len(ends))
    )
    over = np.minimum(waiting, np.round(waiting * np.clip(share, 0, 1)).astype(np.int64))
    return waiting, over


def generate_service_waits(
    rng: np.random.Generator,
    code: str,
    scale: float,
    n: LocalNarrative = HERTFORDSHIRE,
    end: date = DATA_END,
) -> pd.DataFrame:
    """Children waiting for each service at each month end.

    Speech and language: September 2023 → February 2024 down 78%; CAMHS (PALMS):
    September 2023 → March 2024 down 52%. Those three month ends are set exactly; the rest
    of each series is a noisy path through them (held level after March 2025).
    """
    ends = month_ends(end=end)
    rows = []
    for service, shape in _service_wait_shapes(scale, n).items():
        waiting, over = _service_series(rng, ends, shape)
        rows.append(pd.DataFrame({"month_end": ends, "service": service, "w": waiting, "o": over}))
    frame = pd.concat(rows, ignore_index=True).sort_values(
        ["month_end", "service"], kind="stable", ignore_index=True
    )
    return pd.DataFrame(
        {
            "la_code": _text([code] * len(frame)),
            "month_end": _ts(list(frame["month_end"])),
            "service": _text(frame["service"]),
            "waiting": _ints(frame["w"]),
            "waiting_over_18_weeks": _ints(frame["o"]),
        }
    )


# --- places ---------------------------------------------------------------------------------
def generate_school_places(
    code: str, scale: float, n: LocalNarrative = HERTFORDSHIRE, end: date = DATA_END
):
    """Commissioned special school places, September 2018 to September 2024 (then 3% more
    each September up to ``end``)."""
    first, last = n.special_school_places_2018, n.special_school_places_2024
    # Growth accelerating as new special free schools and satellites open.
    steps = np.array([0.0, 0.11, 0.23, 0.37, 0.53, 0.73, 1.0])
    herts = np.round(first + (last - first) * steps).astype(np.int64)
    years = list(range(2018, max(2025, end.year + (end.month >= 9))))
    later = [round_half_up(last * 1.03 ** (y - 2024)) for y in years[len(herts) :]]
    places = [scaled(v, scale) if scale != 1 else int(v) for v in [*herts, *later]]
    return pd.DataFrame(
        {
            "la_code": _text([code] * len(years)),
            "academic_year": _text([f"{y}/{(y + 1) % 100:02d}" for y in years]),
            "as_at_date": _ts([date(y, 9, 1) for y in years]),
            "special_school_places": _ints(places),
        }
    )


def generate_placement_waits(
    rng: np.random.Generator,
    code: str,
    scale: float,
    n: LocalNarrative = HERTFORDSHIRE,
    end: date = DATA_END,
) -> pd.DataFrame:
    """Children with a final plan waiting for a school place, by band, at each month end."""
    ends = month_ends(end=end)
    d = date
    over_1yr = _path(
        ends,
        {d(2021, 4, 30): 40, d(2023, 6, 30): 96, d(2024, 3, 31): n.placement_waits_over_1yr_mar_2024,
         d(2025, 3, 31): 41},
    )  # fmt: skip
    bands = {
        "up_to_1_term": _path(
            ends, {d(2021, 4, 30): 180, d(2023, 9, 30): 290, d(2025, 3, 31): 230}
        ),
        "1_to_3_terms": _path(
            ends, {d(2021, 4, 30): 120, d(2023, 9, 30): 210, d(2025, 3, 31): 150}
        ),
        "over_3_terms": _path(ends, {d(2021, 4, 30): 45, d(2023, 9, 30): 90, d(2025, 3, 31): 55}),
        "over_1_year": over_1yr,
    }
    march_2024 = ends.index(d(2024, 3, 31))
    rows = []
    for band, values in bands.items():
        noisy = values * scale * (1 + rng.normal(0, 0.04, len(ends)))
        counts = np.maximum(0, np.round(noisy)).astype(np.int64)
        if band == "over_1_year":
            counts[march_2024] = scaled(n.placement_waits_over_1yr_mar_2024, scale)
        rows.append(pd.DataFrame({"month_end": ends, "wait_band": band, "children": counts}))
    frame = pd.concat(rows, ignore_index=True)
    order = {b: i for i, b in enumerate(bands)}
    frame = frame.assign(_b=frame["wait_band"].map(order)).sort_values(
        ["month_end", "_b"], kind="stable", ignore_index=True
    )
    return pd.DataFrame(
        {
            "la_code": _text([code] * len(frame)),
            "month_end": _ts(list(frame["month_end"])),
            "wait_band": _text(frame["wait_band"]),
            "children": _ints(frame["children"]),
        }
    )


# --- workforce --------------------------------------------------------------------------------
# Case officers appointed each month of the recruitment programme (April 2023 – March 2024:
# 111 in all), then a steady trickle.
APPOINTMENTS_2023_24 = (6, 8, 10, 9, 7, 12, 11, 10, 9, 8, 11, 10)
LATER_APPOINTMENTS_PER_MONTH = 3
TRAINING_MONTHS = 5


def generate_workforce(
    code: str,
    scale: float,
    caseload: pd.DataFrame,
    n: LocalNarrative = HERTFORDSHIRE,
    end: date = DATA_END,
) -> pd.DataFrame:
    """Case officer recruitment and training (programme from April 2023).

    At March 2024 (Hertfordshire): 111 appointed, 34 in training, 48 trained; the other 29
    were experienced officers who needed no training.
    """
    ends = month_ends(end=end)
    start = ends.index(date(2023, 4, 30))
    monthly = np.zeros(len(ends))
    monthly[start : start + 12] = APPOINTMENTS_2023_24
    monthly[start + 12 :] = LATER_APPOINTMENTS_PER_MONTH
    factor = n.case_officer_appointments / sum(APPOINTMENTS_2023_24)
    appointed = np.round(np.cumsum(monthly) * factor * scale).astype(np.int64)
    # Share of appointees who need the training programme, fixed by March 2024's figures.
    need_share = (
        n.case_officers_in_training + n.case_officers_trained
    ) / n.case_officer_appointments
    needs = np.round(appointed * need_share).astype(np.int64)
    march = ends.index(date(2024, 3, 31))
    lagged = np.concatenate([np.zeros(TRAINING_MONTHS, dtype=np.int64), needs[:-TRAINING_MONTHS]])
    k = n.case_officers_trained * scale / max(1, lagged[march])
    trained = np.minimum(needs, np.round(lagged * k).astype(np.int64))
    in_training = needs - trained
    plans = caseload.set_index("month_end")["ehc_plans"].astype(float)
    plans = plans.reindex(pd.to_datetime(ends).as_unit("us")).to_numpy()
    in_post = 62 * scale + 0.9 * (appointed - in_training)
    average = np.round(plans / np.maximum(in_post, 1), 1)
    return pd.DataFrame(
        {
            "la_code": _text([code] * len(ends)),
            "month_end": _ts(ends),
            "case_officer_appointments": _ints(appointed),
            "in_training": _ints(in_training),
            "trained": _ints(trained),
            "average_caseload": pd.Series(pd.array(average, dtype="Float64")),
        }
    )


# --- Families First -----------------------------------------------------------------------------
def generate_families_first(
    rng: np.random.Generator,
    code: str,
    scale: float,
    n: LocalNarrative = HERTFORDSHIRE,
    end: date = DATA_END,
) -> pd.DataFrame:
    """Families First assessments by quarter, 2021-22-Q1 to the quarter ending by ``end``
    (218 / 513 in 2023-24-Q4; level after 2024-25-Q4)."""
    quarters = Period.parse_range("2021-22-Q1..2024-25-Q4")
    while quarters[-1].next_quarter().end <= end:
        quarters.append(quarters[-1].next_quarter())
    level = np.concatenate([np.linspace(150, 235, 16), np.full(len(quarters) - 16, 235.0)])
    trend = level * np.resize([0.95, 0.85, 1.1, 1.1], len(quarters))
    assessments = np.round(trend * scale * (1 + rng.normal(0, 0.04, len(quarters)))).astype(int)
    children = np.round(assessments * rng.uniform(2.15, 2.45, len(quarters))).astype(int)
    q4 = [q.label for q in quarters].index("2023-24-Q4")
    assessments[q4] = scaled(n.families_first_assessments_q4, scale)
    children[q4] = scaled(n.families_first_children_q4, scale)
    return pd.DataFrame(
        {
            "la_code": _text([code] * len(quarters)),
            "quarter": _text([q.label for q in quarters]),
            "quarter_end": _ts([q.end for q in quarters]),
            "assessments_completed": _ints(assessments),
            "children_covered": _ints(np.minimum(children, assessments * 8)),
        }
    )


# --- children looked after ----------------------------------------------------------------------
def generate_cla_stability(
    rng: np.random.Generator, code: str, scale: float, end: date = DATA_END
) -> pd.DataFrame:
    """Children looked after at 31 March 2022–2025 (level after) and those with 3+
    placements in the year."""
    years = list(range(2022, max(2026, end.year + 1)))
    extra = len(years) - 4
    cla = np.round(np.array([1010, 1045, 1080, 1065] + [1065] * extra) * scale).astype(int)
    pct = np.array([0.102, 0.098, 0.091, 0.088] + [0.088] * extra)
    pct = pct + rng.normal(0, 0.002, len(years))
    three_plus = np.minimum(cla, np.round(cla * pct).astype(int))
    return pd.DataFrame(
        {
            "la_code": _text([code] * len(years)),
            "year_end": _ts([date(y, 3, 31) for y in years]),
            "children_looked_after": _ints(cla),
            "three_plus_placements": _ints(three_plus),
        }
    )


# --- targets -----------------------------------------------------------------------------------
def generate_targets(code: str, scale: float, n: LocalNarrative = HERTFORDSHIRE) -> pd.DataFrame:
    """Targets of the improvement plan and performance framework (metric ids of the registry)."""
    d = date
    rows = [
        ("ehcp_20wk_pct_ex", n.ehcp_20wk_target_pct, d(2024, 12, 31), "higher"),
        ("ehcp_20wk_pct_ex", 65.0, d(2025, 12, 31), "higher"),
        ("ehcna_decision_6wk_pct", 95.0, d(2024, 12, 31), "higher"),
        ("ehcp_overdue_open", float(scaled(300, scale)), d(2025, 3, 31), "lower"),
        ("slt_waiting", float(scaled(400, scale)), d(2024, 12, 31), "lower"),
        ("slt_waiting_over_18wk", float(scaled(60, scale)), d(2024, 12, 31), "lower"),
        ("camhs_waiting", float(scaled(400, scale)), d(2024, 12, 31), "lower"),
        ("camhs_waiting_over_18wk", float(scaled(100, scale)), d(2024, 12, 31), "lower"),
        ("placement_waits_over_1yr", float(scaled(50, scale)), d(2025, 3, 31), "lower"),
        ("special_school_places", float(scaled(3000, scale)), d(2024, 9, 30), "higher"),
        ("cla_3plus_placements_pct", 10.0, d(2025, 3, 31), "lower"),
        ("improvement_actions_on_track_pct", 80.0, d(2025, 3, 31), "higher"),
    ]
    return pd.DataFrame(
        {
            "la_code": _text([code] * len(rows)),
            "metric_id": _text([r[0] for r in rows]),
            "target_value": pd.Series(pd.array([r[1] for r in rows], dtype="Float64")),
            "target_date": _ts([r[2] for r in rows]),
            "polarity": _text([r[3] for r in rows]),
        }
    )
