"""Every reported number as one small pure function, registered under its id.

Importing this package imports every metric module, so :data:`REGISTRY` is full. Each
entry's docstring Definition block (numerator, denominator, period basis, exclusions,
source) is what the reports print as its methodology note. ``compute(metric_id, frames,
period)`` computes any of them by id from frames keyed by contract dataset name.
"""

from __future__ import annotations

from sendreport.metrics import (
    breakdowns,
    calendar_year,
    caseload,
    ehcp,
    local,
    published,
    requests,
    scorecard,
    targets,
)
from sendreport.metrics.base import (
    DEFINITION_KEYS,
    REGISTRY,
    Measure,
    MetricSpec,
    compute,
    datasets_for,
    metric,
    metric_arguments,
)
from sendreport.metrics.calendar_year import (
    AGGREGATE_KEYS,
    dfe_calendar_year_aggregates,
    ehcna_decision_6wk_pct_cy,
    ehcna_refusal_pct_cy,
    ehcna_requests_received_cy,
    ehcp_20wk_pct_ex_cy,
    ehcp_20wk_pct_inc_cy,
    ehcp_plans_issued_cy,
)
from sendreport.metrics.caseload import (
    ehcp_caseload,
    ehcp_caseload_yoy_pct,
    sen_support_pupils,
)
from sendreport.metrics.ehcp import (
    ehcp_20wk_pct_ex,
    ehcp_20wk_pct_ex_ytd,
    ehcp_20wk_pct_inc,
    ehcp_plans_issued,
    ehcp_plans_issued_yoy_pct,
    ehcp_weeks_to_issue_median,
)
from sendreport.metrics.local import (
    camhs_waiting,
    camhs_waiting_change_pct,
    camhs_waiting_over_18wk,
    case_officer_appointments,
    case_officer_average_caseload,
    case_officers_in_training,
    case_officers_trained,
    cla_3plus_placements_pct,
    families_first_assessments,
    families_first_children,
    improvement_actions_by_status,
    improvement_actions_on_track_pct,
    placement_waits_over_1yr,
    slt_waiting,
    slt_waiting_change_pct,
    slt_waiting_over_18wk,
    special_school_places,
    special_school_places_planned,
)
from sendreport.metrics.requests import (
    ehcna_decision_6wk_pct,
    ehcna_refusal_pct,
    ehcna_requests_received,
    ehcp_overdue_age_profile,
    ehcp_overdue_open,
)
from sendreport.metrics.scorecard import (
    build_scorecard,
    direction_of_travel,
    rag,
    scorecard_row,
    target_for,
)

# Every metric so far gets its <id>_target (the targets module registers them last).
targets.register_targets()

# The ids figures.json is contracted to use (the metrics issue); renaming one is a breaking
# change (see CHANGELOG.md).
FIXED_IDS: tuple[str, ...] = (
    "ehcp_plans_issued",
    "ehcp_plans_issued_yoy_pct",
    "ehcp_20wk_pct_ex",
    "ehcp_20wk_pct_inc",
    "ehcp_20wk_pct_ex_ytd",
    "ehcp_weeks_to_issue_median",
    "ehcna_requests_received",
    "ehcna_refusal_pct",
    "ehcna_decision_6wk_pct",
    "ehcp_overdue_open",
    "ehcp_caseload",
    "ehcp_caseload_yoy_pct",
)

__all__ = [
    "AGGREGATE_KEYS",
    "DEFINITION_KEYS",
    "FIXED_IDS",
    "REGISTRY",
    "Measure",
    "MetricSpec",
    "breakdowns",
    "build_scorecard",
    "calendar_year",
    "camhs_waiting",
    "camhs_waiting_change_pct",
    "camhs_waiting_over_18wk",
    "case_officer_appointments",
    "case_officer_average_caseload",
    "case_officers_in_training",
    "case_officers_trained",
    "caseload",
    "cla_3plus_placements_pct",
    "compute",
    "datasets_for",
    "dfe_calendar_year_aggregates",
    "direction_of_travel",
    "ehcna_decision_6wk_pct",
    "ehcna_decision_6wk_pct_cy",
    "ehcna_refusal_pct",
    "ehcna_refusal_pct_cy",
    "ehcna_requests_received",
    "ehcna_requests_received_cy",
    "ehcp",
    "ehcp_20wk_pct_ex",
    "ehcp_20wk_pct_ex_cy",
    "ehcp_20wk_pct_ex_ytd",
    "ehcp_20wk_pct_inc",
    "ehcp_20wk_pct_inc_cy",
    "ehcp_caseload",
    "ehcp_caseload_yoy_pct",
    "ehcp_overdue_age_profile",
    "ehcp_overdue_open",
    "ehcp_plans_issued",
    "ehcp_plans_issued_cy",
    "ehcp_plans_issued_yoy_pct",
    "ehcp_weeks_to_issue_median",
    "families_first_assessments",
    "families_first_children",
    "improvement_actions_by_status",
    "improvement_actions_on_track_pct",
    "local",
    "metric",
    "metric_arguments",
    "placement_waits_over_1yr",
    "published",
    "rag",
    "requests",
    "scorecard",
    "scorecard_row",
    "sen_support_pupils",
    "slt_waiting",
    "slt_waiting_change_pct",
    "slt_waiting_over_18wk",
    "special_school_places",
    "special_school_places_planned",
    "target_for",
    "targets",
]
