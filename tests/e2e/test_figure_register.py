"""figures.json of a real build: every figure defined in docs/metrics.md, every ratio its own
numerator ÷ denominator, every figure keyed by report, id, period, area and role."""

from __future__ import annotations

import pytest

from tests.lookahead.register import inconsistent_ratios, undefined_figures

from .conftest import DemoBuild

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("e2e")]


def test_every_figure_is_defined_in_the_catalogue(demo_build: DemoBuild) -> None:
    assert not undefined_figures(demo_build.figures)


def test_every_ratio_equals_its_numerator_over_its_denominator(demo_build: DemoBuild) -> None:
    assert not inconsistent_ratios(demo_build.figures)


def test_figure_keys_are_unique_and_carry_a_role(demo_build: DemoBuild) -> None:
    keys = [(f["report"], f["id"], f["period"], f["area"], f["role"]) for f in demo_build.figures]
    assert len(keys) == len(set(keys))
    roles = {f["role"] for f in demo_build.figures}
    assert {"current", "previous_quarter", "same_quarter_last_year"} <= roles


def test_neighbour_means_name_their_neighbours(demo_build: DemoBuild) -> None:
    means = [f for f in demo_build.figures if f["id"].endswith("_neighbour_mean")]
    assert means
    for f in means:
        assert f["numerator"] is None and f["denominator"] is None
        assert len(f["extra"]["neighbours"]) >= 1
        assert any("published_ehcp_2025.csv" in s for s in f["source"])
