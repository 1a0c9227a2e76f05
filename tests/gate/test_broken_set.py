"""The shared validation of every fault in ``tests/gate/conftest.py``'s FAULTS finds each
fault's problems and nothing else: the rule tests that read it (test_validate,
test_cross_field, test_hostile_input) can then look at one fault's row at a time."""

from __future__ import annotations

from tests.conftest import GREAT_EXPECTATIONS
from tests.gate.conftest import FAULTS, BrokenSet

# Validating tests share one test process (make test-fast: Great Expectations imported once).
pytestmark = GREAT_EXPECTATIONS

_PAIR = "expect_column_pair_values_a_to_be_greater_than_b"
_NULL = "expect_column_values_to_be_null"
_NOT_NULL = "expect_column_values_to_not_be_null"
_IN_SET = "expect_column_values_to_be_in_set"
_BETWEEN = "expect_column_values_to_be_between"

# (dataset, rule, column, failing rows): every problem the faults make, and no other.
EXPECTED = {
    ("ehcp_requests", _PAIR, "plan_issued_date, received_date", 1),
    ("ehcp_requests", _PAIR, "assessment_outcome_date, request_outcome_date", 1),
    ("ehcp_requests", _PAIR, "plan_issued_date, assessment_outcome_date", 2),
    ("ehcp_requests", _NOT_NULL, "request_outcome_date, request_outcome", 2),
    ("ehcp_requests", _NULL, "request_outcome_date, request_outcome", 1),
    ("ehcp_requests", _NULL, "assessment_outcome, request_outcome", 1),
    ("ehcp_requests", _NOT_NULL, "assessment_outcome_date, assessment_outcome", 2),
    ("ehcp_requests", _NULL, "plan_issued_date, assessment_outcome", 1),
    ("ehcp_requests", "expect_column_values_to_be_unique", "request_id", 3),
    ("service_waits", "expect_compound_columns_to_be_unique", "la_code, month_end, service", 2),
    ("service_waits", _PAIR, "waiting, waiting_over_18_weeks", 1),
    ("school_places", _BETWEEN, "as_at_date", 1),
    ("placement_waits", _BETWEEN, "children", 1),
    ("workforce", _IN_SET, "month_end", 1),
    ("families_first", _PAIR, "assessments_completed, children_covered", 1),
    ("families_first", "expect_column_pair_values_to_be_equal", "quarter_end, quarter", 1),
    ("families_first", _NOT_NULL, "quarter", 1),
    ("cla_stability", _PAIR, "children_looked_after, three_plus_placements", 1),
    ("improvement_plan", _PAIR, "update_date, update_quarter", 1),
    ("improvement_plan", _PAIR, "update_quarter, update_date", 1),
    ("improvement_plan", _BETWEEN, "update_date", 1),
    ("improvement_plan", _IN_SET, "status", 1),
    ("targets", "expect_column_pair_values_to_be_equal", "polarity, metric_id", 1),
    ("targets", _IN_SET, "la_code", 3),
    ("targets", _IN_SET, "metric_id", 1),
}


def test_the_faults_make_these_problems_and_no_others(broken_set: BrokenSet) -> None:
    found = [(p.dataset, p.expectation, p.column, p.failing_count) for p in broken_set.problems]
    assert len(found) == len(set(found)) and set(found) == EXPECTED
    assert all(p.severity == "error" and "__" not in p.column for p in broken_set.problems)


def test_every_fault_is_named_by_a_problem_except_the_allowed_one(broken_set) -> None:
    # Places planned for the next September are planning data: that row breaks no rule.
    silent = [key for key in FAULTS if not broken_set.naming(key)]
    assert silent == ["places_for_next_september"]
