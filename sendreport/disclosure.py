"""Small-number suppression: statistical disclosure control for children's data.

**Rule** (printed in every report's methodology; the threshold ``t`` is the council
profile's ``small_number_threshold``, 5 unless set):

- a count of children or cases from 1 to ``t`` − 1 is shown as "fewer than ``t``";
- a rate, change or average whose numerator or denominator is from 1 to ``t`` − 1 is shown
  as "not shown: fewer than ``t`` cases";
- where counts that add up to a total shown on the same page have exactly one value
  suppressed, the next smallest is suppressed too (secondary suppression), so no
  suppressed value can be worked out by subtraction;
- zero is shown: it discloses nothing about any one child; counts of staff, school places,
  plan actions and scorecard measures are not about children and are always shown.

Reader editions apply the rule to text, tables, charts' data and their alt text.
``figures.json`` keeps every value and marks a suppressed figure ``"suppressed": true``; the
audit editions (internal) show the values in their derivation tables and figure register.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from sendreport.metrics.base import Measure

# Units whose value is a count of children or cases; others are rates or averages.
COUNT_UNITS = frozenset({"count"})
# Figures that count staff, school places, plan actions or scorecard measures, not children:
# the rule protects children, so these are always shown.
NOT_CHILDREN = (
    "case_officer",
    "special_school_places",
    "improvement_actions",
    "scorecard_",
)


def _number(x: object) -> float | None:
    if x is None or x is pd.NA:
        return None
    try:
        f = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def is_small(count: object, threshold: int) -> bool:
    """True for a count from 1 to ``threshold`` − 1 (never for zero or a missing count)."""
    value = _number(count)
    return value is not None and 0 < value < threshold


def must_suppress(measure: Measure, threshold: int) -> bool:
    """Whether the rule hides ``measure`` in reader editions (primary suppression)."""
    if threshold <= 1 or _number(measure.value) is None or measure.id.startswith(NOT_CHILDREN):
        return False
    if measure.unit in COUNT_UNITS:
        return is_small(measure.value, threshold)
    return is_small(measure.numerator, threshold) or is_small(measure.denominator, threshold)


def suppressed_text(unit: str, threshold: int) -> str:
    """What a reader sees instead of a suppressed figure."""
    if unit in COUNT_UNITS:
        return f"fewer than {threshold}"
    return f"not shown: fewer than {threshold} cases"


def suppress_group(values: Sequence[object], threshold: int) -> list[bool]:
    """Which of ``values`` (parts of a total shown nearby) to hide: primary and secondary.

    When exactly one part is small, the smallest other non-zero part is hidden as well, so
    the total minus the shown parts never gives the hidden one.
    """
    hide = [is_small(v, threshold) for v in values]
    if threshold > 1 and sum(hide) == 1:
        others = [
            (_number(v), i) for i, v in enumerate(values) if not hide[i] and (_number(v) or 0) > 0
        ]
        if others:
            hide[min(others)[1]] = True
    return hide


def suppress_within(
    values: Sequence[object], in_group: Sequence[bool], threshold: int
) -> list[bool]:
    """Which of ``values`` to hide when those ``in_group`` are parts of a total shown nearby
    (the overdue bands of a backlog): the primary rule for every value, the secondary rule
    (:func:`suppress_group`) among the group's."""
    hide = [is_small(v, threshold) for v in values]
    members = [i for i, member in enumerate(in_group) if member]
    group = suppress_group([values[i] for i in members], threshold)
    for i, hidden in zip(members, group, strict=True):
        hide[i] = hidden
    return hide


def suppress_series(values: pd.Series, threshold: int, *, total_shown: bool = False) -> pd.Series:
    """A chart's counts with suppressed values as missing (drawn as gaps, left out of alt text).

    ``total_shown``: the values are parts of a total on the same page (secondary rule).
    """
    hide = (
        suppress_group(list(values), threshold)
        if total_shown
        else [is_small(v, threshold) for v in values]
    )
    out = values.astype("Float64").copy()
    out[pd.Series(hide, index=values.index).to_numpy(dtype=bool)] = pd.NA
    return out


def suppress_rows(frame: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Each row of a stacked chart's counts, parts of that row's total, suppressed."""
    rows = [suppress_series(row, threshold, total_shown=True) for _, row in frame.iterrows()]
    return pd.DataFrame(rows, index=frame.index, columns=frame.columns)


def rule_text(threshold: int) -> str:
    """The rule in one paragraph for the methodology of reader editions."""
    if threshold <= 1:
        return "Small numbers are shown in full: this council's profile turns suppression off."
    return (
        f"To protect children's privacy, counts of 1 to {threshold - 1} are shown as "
        f'"fewer than {threshold}", and rates whose numerator or denominator is 1 to '
        f'{threshold - 1} are shown as "not shown: fewer than {threshold} cases", in the text, '
        "tables and charts. Where a hidden count could be worked out from a total on the same "
        "page, the next smallest count is hidden too."
    )
