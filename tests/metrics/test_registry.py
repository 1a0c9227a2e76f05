"""Every registry entry is documented, and the ids figures.json relies on exist."""

from __future__ import annotations

import inspect
import typing

import pytest

from sendreport.metrics import FIXED_IDS, REGISTRY
from sendreport.metrics.base import DEFINITION_KEYS, Polarity, Unit

EXPECTED_IDS = (
    *FIXED_IDS,
    "ehcp_plans_issued_cy",
    "ehcp_20wk_pct_ex_cy",
    "ehcp_20wk_pct_inc_cy",
    "ehcna_requests_received_cy",
    "ehcna_refusal_pct_cy",
    "slt_waiting",
    "slt_waiting_change_pct",
    "camhs_waiting",
    "camhs_waiting_change_pct",
    "special_school_places",
    "placement_waits_over_1yr",
    "families_first_assessments",
    "families_first_children",
    "cla_3plus_placements_pct",
    "case_officer_appointments",
    "case_officers_in_training",
    "case_officers_trained",
    "case_officer_average_caseload",
)


def test_fixed_ids_exist() -> None:
    missing = [m for m in EXPECTED_IDS if m not in REGISTRY]
    assert not missing


@pytest.mark.parametrize("metric_id", sorted(REGISTRY))
def test_entry_is_documented(metric_id: str) -> None:
    spec = REGISTRY[metric_id]
    assert spec.id == metric_id == spec.func.__name__
    assert set(DEFINITION_KEYS) <= set(spec.definition)
    assert all(spec.definition[k].strip() for k in DEFINITION_KEYS)
    assert spec.unit in typing.get_args(Unit)
    assert spec.polarity in typing.get_args(Polarity)
    assert spec.title and spec.summary
    params = list(inspect.signature(spec.func).parameters)
    assert "period" in params


def test_helpers_are_not_registered() -> None:
    for helper in ("ehcp_overdue_age_profile", "improvement_actions_by_status", "service_waiting"):
        assert helper not in REGISTRY


def test_docs_metrics_md_is_current() -> None:
    from sendreport.metrics.catalogue import CATALOGUE, render_catalogue

    assert CATALOGUE.read_text(encoding="utf-8") == render_catalogue(), (
        f"{CATALOGUE} is stale: run `python -m sendreport.metrics.catalogue`"
    )


def test_summaries_are_plain_english() -> None:
    """The summary line is what parents read under 'How these figures are worked out'
    (``rep.methodology(brief=True)``): it names the measure in words, never its metric id."""
    ids = {m for m in REGISTRY if "_" in m}
    leaks = {
        m: spec.summary
        for m, spec in REGISTRY.items()
        if any(token.strip("().,:;") in ids for token in spec.summary.split())
    }
    assert not leaks
