"""Column names across DfE releases: one canonical name and every spelling seen since 2014.

DfE renames columns between releases, e.g. the 20-week rate excluding exceptions was
``NoExc20weekRate`` (SEN2 guidance, 2014–2021), ``no_exc_20week_rate`` (sen2_mi.csv, 2022),
``PC_plans_issued_20_weeks_ex`` (2023–2025 releases) and ``pc_plans_issued_20_weeks_ex`` (every
column lower case from the 2026 release). Lookups are case-insensitive, so an alias is written
once in lower case and matches every capitalisation.

The canonical key is the 2025 release's name, lower-cased.
"""

from __future__ import annotations

GEOGRAPHY: dict[str, tuple[str, ...]] = {
    "time_period": ("year",),
    "time_identifier": (),
    "geographic_level": (),
    "country_code": (),
    "country_name": (),
    "region_code": (),
    "region_name": (),
    "new_la_code": ("la_code_ons", "ons_la_code"),
    "old_la_code": ("la_code", "la_number"),
    "la_name": (),
}

BREAKDOWN: dict[str, tuple[str, ...]] = {
    "breakdown_topic": (),
    "breakdown": (),
}

MEASURE_COLUMNS: dict[str, tuple[str, ...]] = {
    # 20-week timeliness (counts of plans issued and the rate within 20 weeks)
    "plans_issued_den": ("tot_inc_exc_ehc", "totincexcehc"),
    "plans_issued_den_ex": ("tot_no_exc_ehc", "totnoexcehc"),
    "plans_issued_within_20_weeks": ("inc_exc_20week_ehc", "incexc20weekehc"),
    "plans_issued_20_weeks_ex": ("no_exc_20week_ehc", "noexc20weekehc"),
    "pc_plans_issued_within_20_weeks": ("inc_exc_20week_rate", "incexc20weekrate"),
    "pc_plans_issued_20_weeks_ex": ("no_exc_20week_rate", "noexc20weekrate"),
    "plans_issued_gt20weeks_ltyear": (),
    "plans_issued_gt20weeks_ltyear_ex": (),
    "plans_issued_gt_1_year": (),
    "plans_issued_gt_1_year_ex": (),
    # requests for an EHC needs assessment
    "requests_received_in_year": ("inreq_ehc", "inreqehc"),
    "requests_decided_to_assess": ("inreq_ehc_y", "inreqehc_y"),
    "requests_decided_not_to_assess": ("ass_refused_ehc", "assrefusedehc"),
    "requests_decision_not_made": ("inreq_ehc_a", "inreqehc_a"),
    "requests_withdrawn": ("inreq_ehc_w", "inreqehc_w"),
    "request_outcome_six_weeks": ("request_outcome_6_weeks",),
    "request_outcome_over_6_weeks": ("request_outcome_over_six_weeks",),
    # refusals as DfE published them before 2023: refused ÷ requests received
    "ass_refused_ehc_pc": ("assrefusedehc_pc",),
    # assessments
    "assess_issued": ("new_all_ehc", "newallehc"),
    "assess_not_issued": ("ass_none_ehc", "assnoneehc"),
    # new plans and caseload
    "new_ehc_plans": (),
    "ehcplans": ("total_ehc", "ehc_plans"),
}

ALIASES: dict[str, tuple[str, ...]] = {**GEOGRAPHY, **BREAKDOWN, **MEASURE_COLUMNS}
