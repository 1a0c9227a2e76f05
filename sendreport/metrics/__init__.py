"""Every reported number as one small pure function, registered under its id.

Importing this package imports every metric module, so :data:`REGISTRY` is full. Each
entry's docstring Definition block (numerator, denominator, period basis, exclusions,
source) is what the reports print as its methodology note.
"""

from __future__ import annotations

import inspect
from typing import Any

from sendreport.exceptions import ParameterError
from sendreport.metrics import calendar_year, caseload, ehcp, local, requests, scorecard
from sendreport.metrics.base import DEFINITION_KEYS, REGISTRY, Measure, MetricSpec, metric
from sendreport.metrics.calendar_year import AGGREGATE_KEYS, dfe_calendar_year_aggregates
from sendreport.metrics.local import improvement_actions_by_status
from sendreport.metrics.requests import ehcp_overdue_age_profile
from sendreport.metrics.scorecard import (
    build_scorecard,
    direction_of_travel,
    rag,
    scorecard_row,
    target_for,
)

__all__ = [
    "AGGREGATE_KEYS",
    "DEFINITION_KEYS",
    "REGISTRY",
    "Measure",
    "MetricSpec",
    "build_scorecard",
    "calendar_year",
    "caseload",
    "compute",
    "dfe_calendar_year_aggregates",
    "direction_of_travel",
    "ehcp",
    "ehcp_overdue_age_profile",
    "improvement_actions_by_status",
    "local",
    "metric",
    "rag",
    "requests",
    "scorecard",
    "scorecard_row",
    "target_for",
]


def compute(metric_id: str, /, **arguments: Any) -> Measure:
    """Compute a registered metric by id: ``compute("ehcp_20wk_pct_ex", requests=df,
    period=p)``. Frames may also be passed under their contract names (``ehcp_requests``,
    ``ehcp_caseload``); arguments the metric does not take are ignored, so one dict of all
    frames can be passed to every metric."""
    if metric_id not in REGISTRY:
        raise ParameterError(f"unknown metric {metric_id!r}", accepted=", ".join(sorted(REGISTRY)))
    if "period" not in arguments:
        raise ParameterError(f"metric {metric_id} needs a period", parameter="period")
    kwargs, missing = scorecard.resolve_frames(metric_id, arguments)
    if missing:
        raise ParameterError(f"metric {metric_id} needs the {missing} dataset", parameter=missing)
    func = REGISTRY[metric_id].func
    for name, param in inspect.signature(func).parameters.items():
        if param.kind is inspect.Parameter.KEYWORD_ONLY and name in arguments:
            kwargs[name] = arguments[name]
    return func(period=arguments["period"], **kwargs)
