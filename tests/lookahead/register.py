"""Checks every stated figure must pass: registered, defined in docs/metrics.md, and a ratio
that equals its own numerator ÷ denominator where it records them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from sendreport.metrics import REGISTRY
from sendreport.resources import REPO_ROOT

# DfE prints its rates to one decimal place; the counts beside them are exact.
PUBLISHED_ROUNDING = 0.05 + 1e-9


@cache
def catalogue_ids() -> frozenset[str]:
    text = (REPO_ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")
    return frozenset(re.findall(r"^### `([a-z0-9_]+)`", text, flags=re.M))


def undefined_figures(records: Iterable[dict]) -> list[str]:
    """Figure ids not registered or not in docs/metrics.md."""
    return sorted(
        {r["id"] for r in records if r["id"] not in REGISTRY or r["id"] not in catalogue_ids()}
    )


def inconsistent_ratios(records: Iterable[dict]) -> list[str]:
    """Percentages whose value is not 100 × numerator ÷ denominator."""
    bad = []
    for r in records:
        num, den, value = r.get("numerator"), r.get("denominator"), r.get("value")
        if r["unit"] != "%" or None in (num, den, value) or den == 0:
            continue
        tolerance = PUBLISHED_ROUNDING if r["id"].startswith("dfe_") else 1e-6
        if abs(value - 100.0 * num / den) > tolerance:
            bad.append(f"{r['report']} {r['id']} {r['period']} {r['area']}: {value} ≠ {num}/{den}")
    return bad
