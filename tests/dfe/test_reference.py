"""LA reference lookups used in prose and on the command line."""

from __future__ import annotations

from sendreport import reference


def test_display_names_read_well_in_sentences() -> None:
    assert reference.la_display_name("884") == "Herefordshire"
    assert reference.la_display_name("801") == "Bristol"
    assert reference.la_display_name("919") == "Hertfordshire"
