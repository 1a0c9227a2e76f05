"""Data for another LA is one parameter mistake (exit 2), named with both LAs."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from sendreport.exceptions import EXIT_INVALID, ParameterError
from sendreport.load import Inputs
from sendreport.validate import check_data_is_for, validate_inputs


def _inputs(*codes: str) -> Inputs:
    return Inputs(frames={"ehcp_caseload": pd.DataFrame({"la_code": list(codes)})})


def test_data_for_another_la_names_both() -> None:
    with pytest.raises(ParameterError) as err:
        validate_inputs(
            _inputs("884", "884"), data_end=date(2024, 3, 31), la_code="919", results_dir=None
        )
    text = str(err.value)
    assert "884 (Herefordshire" in text and "919 (Hertfordshire)" in text
    assert "--la 884" in text and err.value.exit_code == EXIT_INVALID


def test_own_or_mixed_data_goes_on_to_the_rules() -> None:
    check_data_is_for(_inputs("919"), "919")
    check_data_is_for(_inputs("884", "919"), "919")  # mixed: the rules show the rows
    check_data_is_for(Inputs(frames={}), "919")
