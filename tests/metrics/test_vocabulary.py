"""One metric vocabulary: parameters named after the contract's datasets, ids stamped by the
decorator, and one ``compute(metric_id, frames, period)``."""

from __future__ import annotations

import inspect
from datetime import date

import pytest

from sendreport.contract import DATASETS
from sendreport.exceptions import ParameterError
from sendreport.metrics import REGISTRY, Measure, compute, datasets_for, metric_arguments
from sendreport.metrics.base import metric
from sendreport.metrics.ehcp import ehcp_20wk_pct_ex
from sendreport.periods import Period
from tests.metrics.builders import make_requests, plan

Q4 = Period.parse("2023-24-Q4")
# Inputs a metric may take that are not the council's datasets: DfE's published tidy frame,
# the scorecard (for its rating counts) and a waiting-list baseline date.
NOT_DATASETS = {"benchmarks", "scorecard", "baseline"}


@pytest.mark.parametrize("metric_id", sorted(REGISTRY))
def test_parameters_name_contract_datasets(metric_id: str) -> None:
    params = inspect.signature(REGISTRY[metric_id].func).parameters
    inputs = {
        name
        for name, p in params.items()
        if name != "period" and p.kind is not inspect.Parameter.KEYWORD_ONLY
    }
    assert inputs <= set(DATASETS) | NOT_DATASETS
    assert datasets_for(metric_id) == sorted(inputs & set(DATASETS))


def test_datasets_from_the_signature() -> None:
    assert datasets_for("ehcp_20wk_pct_ex") == ["ehcp_requests"]
    assert datasets_for("ehcp_caseload_yoy_pct") == ["ehcp_caseload"]
    assert datasets_for("ehcp_20wk_pct_ex_target") == ["targets"]
    assert datasets_for("dfe_ehcp_20wk_pct_ex") == []  # DfE's figures are not council data
    assert datasets_for("no_such_metric") == []


def test_decorator_stamps_the_id() -> None:
    df = make_requests([plan(date(2023, 11, 1), 100)])
    assert ehcp_20wk_pct_ex(df, Q4).id == "ehcp_20wk_pct_ex"  # positional call still works
    assert ehcp_20wk_pct_ex(ehcp_requests=df, period=Q4).id == "ehcp_20wk_pct_ex"
    assert REGISTRY["ehcp_20wk_pct_ex"].func is ehcp_20wk_pct_ex
    assert inspect.signature(ehcp_20wk_pct_ex).parameters.keys() == {"ehcp_requests", "period"}


def test_decorator_keeps_name_doc_and_module() -> None:
    spec = REGISTRY["ehcp_caseload"]
    assert spec.func.__name__ == "ehcp_caseload"
    assert spec.func.__module__ == "sendreport.metrics.caseload"
    assert "Definition:" in (spec.func.__doc__ or "")


def test_measure_id_is_keyword_only() -> None:
    assert Measure(1.0, Q4, "count").id == ""
    assert Measure(1.0, Q4, "count", id="x").id == "x"
    with pytest.raises(TypeError, match="keyword-only"):
        Measure("ehcp_caseload", 1.0, Q4, "count")  # type: ignore[arg-type]


def test_compute_by_id() -> None:
    frames = {"ehcp_requests": make_requests([plan(date(2023, 11, 1), 100)])}
    m = compute("ehcp_20wk_pct_ex", frames, Q4)
    assert m is not None and (m.id, m.value) == ("ehcp_20wk_pct_ex", 100.0)
    assert compute("ehcp_20wk_pct_ex", frames, None) is None
    assert compute("ehcp_caseload", frames, Q4) is None  # its dataset was not supplied
    assert metric_arguments("ehcp_caseload", frames) == ({}, "ehcp_caseload")
    with pytest.raises(ParameterError, match="unknown metric"):
        compute("no_such_metric", frames, Q4)


def test_compute_passes_options_a_metric_takes() -> None:
    frames = {"ehcp_requests": make_requests([plan(date(2023, 3, 1), 100)])}  # issued 9 June
    cy = Period.calendar_year(2023)
    # as_at reaches the calendar-year metric; baseline is ignored by a metric without one.
    early = compute("ehcp_plans_issued_cy", frames, cy, as_at=date(2023, 5, 31), baseline="x")
    late = compute("ehcp_plans_issued_cy", frames, cy)
    assert early is not None and late is not None
    assert (early.value, late.value) == (0.0, 1.0)


def test_unregistered_helpers_keep_their_measure() -> None:
    @metric(title="t", unit="count", polarity="neutral")
    def vocabulary_probe(targets, period):  # type: ignore[no-untyped-def]
        """Probe.

        Definition:
            numerator: n
            denominator: none
            period basis: p
            exclusions: none
            source: s (targets)
        """
        return Measure(1.0, period, "count", id="vocabulary_probe")

    try:
        m = vocabulary_probe(None, Q4)
        assert m.id == "vocabulary_probe"
        assert datasets_for("vocabulary_probe") == ["targets"]
    finally:
        REGISTRY.pop("vocabulary_probe")
