"""Local narrative figures the Hertfordshire demo reproduces (January–March 2024).

These are the figures of Hertfordshire's published SEND improvement narrative for the
quarter January–March 2024 (2023-24-Q4), as quoted in the project brief. They shape the
demo's local trackers and the within-year timing of its plans; they never override a DfE
calendar-year count (where the two could conflict, DfE wins: see :func:`check_plan_shape`).

Plans: 669 final EHC plans issued in January–March 2024, 20-week timeliness 42.5% on that
quarter's plans (excluding exceptions), and 32% more plans in 2023-24 than in 2022-23.
DfE publishes 1,585 / 1,363 / 1,781 plans for calendar years 2022 / 2023 / 2024, so the
financial years follow from how many plans fall in January–March 2022 and 2023:

    FY22-23 = (1,585 − Q1₂₀₂₂) + Q1₂₀₂₃      FY23-24 = (1,363 − Q1₂₀₂₃) + 669

With Q1₂₀₂₂ = 480 and Q1₂₀₂₃ = 247: FY22-23 = 1,352, FY23-24 = 1,785, +32.0%. The 42.5%
is 272 of 640 plans without an exception (29 of the 669 have one); the rest of 2024 then
carries 685 of 1,059 (64.7%), so calendar 2024 stays at DfE's 957 of 1,699 (56.3%).
"""

from __future__ import annotations

from dataclasses import dataclass, field

NARRATIVE_SOURCE = (
    "Hertfordshire County Council, SEND improvement narrative for January–March 2024 "
    "(figures as quoted in the sendreport project brief)"
)


@dataclass(frozen=True)
class PlanShape:
    """Plans fixed for some quarters: (year, calendar quarter) -> plans, and cells.

    ``cells`` maps (year, quarter) to counts by (exception flag, band) with band 0 = within
    20 weeks, 1 = after 20 weeks within 52, 2 = after 52 weeks.
    """

    quarter_plans: dict[tuple[int, int], int] = field(default_factory=dict)
    cells: dict[tuple[int, int], dict[tuple[int, int], int]] = field(default_factory=dict)
    # Quarters in which historic (long-open) cases were cleared: longer waits sampled.
    clearance_quarters: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class LocalNarrative:
    """Figures the local trackers hit (Hertfordshire values; scaled for other LAs)."""

    plans_q4_2023_24: int = 669
    timeliness_q4_2023_24_pct: float = 42.5
    fy_plan_growth_pct: float = 32.0
    families_first_assessments_q4: int = 218
    families_first_children_q4: int = 513
    special_school_places_2018: int = 2350
    special_school_places_2024: int = 3054
    placement_waits_over_1yr_mar_2024: int = 64  # "fewer than 70"
    slt_waiting_change_pct: float = -78.0  # September 2023 to February 2024
    camhs_waiting_change_pct: float = -52.0  # September 2023 to March 2024
    case_officer_appointments: int = 111  # at March 2024
    case_officers_in_training: int = 34
    case_officers_trained: int = 48
    ehcp_20wk_target_pct: float = 60.0  # for calendar 2024


HERTFORDSHIRE = LocalNarrative()

PLAN_SHAPES: dict[str, PlanShape] = {
    "919": PlanShape(
        quarter_plans={(2022, 1): 480, (2023, 1): 247, (2024, 1): 669},
        cells={
            (2024, 1): {(0, 0): 272, (0, 1): 338, (0, 2): 30, (1, 0): 8, (1, 1): 18, (1, 2): 3},
        },
        clearance_quarters=((2024, 1),),
    )
}
