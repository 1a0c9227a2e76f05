"""The parents' definitions name where a figure comes from in words, not by dataset file."""

from __future__ import annotations

import pytest

from sendreport.contract import DATASETS
from sendreport.fragments import reader_source
from sendreport.metrics import REGISTRY


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("the early help case system (families_first)", "the early help case system"),
        ("NHS CAMHS provider return (service_waits)", "NHS CAMHS provider return"),
        (
            "EHCP requests extract (case management system; the data that feeds SEN2)",
            "EHCP requests extract (case management system; the data that feeds SEN2)",
        ),
        ("a return (not_a_dataset)", "a return (not_a_dataset)"),
        ("", ""),
    ],
)
def test_reader_source(source: str, expected: str) -> None:
    assert reader_source(source) == expected


def test_no_reader_source_names_a_dataset() -> None:
    """Dataset names such as families_first are one council's programme; readers never see them."""
    leaks = {
        m: reader_source(spec.definition.get("source", ""))
        for m, spec in REGISTRY.items()
        if any(f"({name})" in reader_source(spec.definition.get("source", "")) for name in DATASETS)
    }
    assert not leaks
