"""Read the older SEN2 "multipurpose" file (``sen2_mi.csv``, calendar years 2014–2022).

The file is wide: one row per area and year with every SEN2 item as a column
(``no_exc_20week_rate``, ``inreq_ehc``, ``ass_refused_ehc`` …; the 2022 release's data guidance
spells them ``NoExc20weekRate``, ``InreqEHC``, ``AssRefusedEHC``). Columns are matched through
the same alias table as the current releases, so either spelling loads. 2022 rates carry a
leading space; ``z`` marks items not collected that year.

It maps onto the measure names of :mod:`sendreport.dfe.release` (calendar year basis):

- ``ehcp_plans_issued_inc`` / ``ehcp_plans_issued_ex``: ``tot_inc_exc_ehc`` / ``tot_no_exc_ehc``
- ``ehcp_20wk_pct_inc``: ``inc_exc_20week_rate`` (numerator ``inc_exc_20week_ehc``,
  denominator ``tot_inc_exc_ehc``)
- ``ehcp_20wk_pct_ex``: ``no_exc_20week_rate`` (numerator ``no_exc_20week_ehc``, denominator
  ``tot_no_exc_ehc``)
- ``ehcp_within_20wk_inc`` / ``ehcp_within_20wk_ex``: ``inc_exc_20week_ehc`` /
  ``no_exc_20week_ehc``
- ``ehcna_requests_received``: ``inreq_ehc`` (collected from 2016)
- ``ehcna_requests_not_assess``: ``ass_refused_ehc`` (initial requests refused)
- ``ehcna_requests_assess`` / ``ehcna_requests_not_decided`` / ``ehcna_requests_withdrawn``:
  ``inreq_ehc_y`` / ``inreq_ehc_a`` / ``inreq_ehc_w`` (2022 only)
- ``ehcna_refusal_pct``: computed as in the releases, 100 × refused ÷ (assess + refused), so
  available for 2022 only
- ``ehcna_refusal_pct_of_received`` (only here): DfE's published ``ass_refused_ehc_pc``, refused
  ÷ requests received, 2016–2022; a different denominator from ``ehcna_refusal_pct``, kept
  under its own name so the two are never mixed
- ``ehcna_assess_issued``: ``new_all_ehc`` (assessed and a plan issued)
- ``ehcna_assess_not_issued``: ``ass_none_ehc``
- ``ehcp_new_plans``: ``new_all_ehc`` (the 2025 release's new plans equal it for 2019–2021; the
  2025 release revised 2022)

Caseload (EHC plans at January) is not in this file (it was in ``sen2_age_caseload.csv``), so
``ehcp_caseload`` does not come from here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sendreport.dfe.release import (
    HEADLINE_TIMELINESS,
    REQUEST_OUTCOMES,
    Count,
    PublishedPct,
    ReleaseFile,
    load_release_file,
)
from sendreport.exceptions import InputFileError

__all__ = ["SEN2_MI", "load_sen2_mi"]

SEN2_MI = ReleaseFile(
    stem="sen2_mi",
    headline=(),
    required=(
        "plans_issued_den",
        "plans_issued_den_ex",
        "plans_issued_within_20_weeks",
        "plans_issued_20_weeks_ex",
        "pc_plans_issued_within_20_weeks",
        "pc_plans_issued_20_weeks_ex",
        "requests_received_in_year",
        "requests_decided_not_to_assess",
        "assess_issued",
        "assess_not_issued",
    ),
    optional=(
        "requests_decided_to_assess",
        "requests_decision_not_made",
        "requests_withdrawn",
        "ass_refused_ehc_pc",
    ),
    measures=(
        *HEADLINE_TIMELINESS,
        *REQUEST_OUTCOMES,
        PublishedPct(
            "ehcna_refusal_pct_of_received",
            "ass_refused_ehc_pc",
            "requests_decided_not_to_assess",
            "requests_received_in_year",
        ),
        Count("ehcna_assess_issued", "assess_issued"),
        Count("ehcna_assess_not_issued", "assess_not_issued"),
        Count("ehcp_new_plans", "assess_issued"),
    ),
)


def load_sen2_mi(path: Path) -> pd.DataFrame:
    """Read ``sen2_mi.csv`` (or the folder holding it) into the tidy frame."""
    path = Path(path).expanduser()
    if path.is_dir():
        path = path / "sen2_mi.csv"
    if not path.is_file():
        raise InputFileError(
            f"SEN2 file not found: {path}",
            path=str(path),
            hint="pass sen2_mi.csv from the DfE 'Education, health and care plans' 2022 release",
        )
    return load_release_file(path, SEN2_MI)
