"""Targets and the scorecard's rating counts, as the reports state them.

Every registered metric ``<id>`` has a target figure ``<id>_target``: the value the council set
in its targets dataset that applies at the period end. The scorecard's counts of measures rated
green, amber and red are figures too. Import this module after every metric module, so each
metric gets its target.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from sendreport.metrics._common import count_measure
from sendreport.metrics.base import REGISTRY, Measure, metric
from sendreport.metrics.scorecard import target_for
from sendreport.periods import Period

__all__ = ["register_targets", "scorecard_rating_count"]


def _lower_first(title: str) -> str:
    """``title`` as it reads mid-sentence; acronyms (EHC, SEND, CAMHS) keep their capitals."""
    first = title.split(" ", 1)[0]
    return title if first.isupper() or first[1:2].isupper() else title[:1].lower() + title[1:]


def _target_metric(metric_id: str) -> Callable[..., Measure]:
    spec = REGISTRY[metric_id]
    target_id = f"{metric_id}_target"

    def target(targets: pd.DataFrame, period: Period) -> Measure:
        found = target_for(targets, metric_id, period)
        if found is None:
            return Measure(None, period, spec.unit, note="no target set")
        value, day, _ = found
        return Measure(float(value), Period.snapshot(day), spec.unit)

    target.__name__ = target.__qualname__ = target_id
    target.__doc__ = f"""The council's target for {_lower_first(spec.title)}, as it applies at the period end.

    Definition:
        numerator: target_value of the targets row for metric_id {metric_id} with the
            earliest target_date on or after the period end (the latest when all are earlier)
        denominator: none (a level in the unit of {metric_id}: {spec.unit})
        period basis: the target date (a snapshot; it may be after the period)
        exclusions: targets for other metrics or other LAs
        source: the council's targets (targets)
    """
    return metric(title=f"Target: {spec.title}", unit=spec.unit, polarity=spec.polarity)(target)


def register_targets() -> None:
    """Register ``<id>_target`` for every local metric registered so far (idempotent)."""
    for metric_id in list(REGISTRY):
        published = metric_id.startswith(("dfe_", "scorecard_")) or metric_id.endswith("_cy")
        if published or metric_id.endswith("_target") or f"{metric_id}_target" in REGISTRY:
            continue  # DfE's figures and the scorecard's own counts have no local target
        _target_metric(metric_id)


def scorecard_rating_count(scorecard: pd.DataFrame, rating: str | None) -> int:
    """Scorecard rows rated ``rating`` (None: rated at all)."""
    rated = scorecard["rag"].notna() if "rag" in scorecard else pd.Series(dtype=bool)
    if rating is None:
        return int(rated.sum())
    return int((scorecard["rag"] == rating).fillna(False).sum())


def _rating_metric(rating: str | None) -> Callable[..., Measure]:
    word = rating or "rated"
    metric_id = f"scorecard_{word}_count"
    which = f"rated {rating}" if rating else "with a RAG rating (green, amber or red)"

    def count(scorecard: pd.DataFrame, period: Period) -> Measure:
        return count_measure(period, scorecard_rating_count(scorecard, rating))

    count.__name__ = count.__qualname__ = metric_id
    count.__doc__ = f"""Scorecard measures {which} for the period.

    Definition:
        numerator: rows of the performance scorecard {which}; a measure is rated only when
            it has a target (see the RAG rule in sendreport.metrics.scorecard)
        denominator: none (a count)
        period basis: the report's quarter
        exclusions: measures without a target or without a value
        source: the scorecard built from the quarter's metrics and the targets (targets)
    """
    title = f"Scorecard measures {which}"
    return metric(title=title, unit="count", polarity="neutral")(count)


RATING_COUNTS = {r: _rating_metric(r) for r in (None, "green", "amber", "red")}
