"""Carry published reports into a narrower rebuild, so it never drops a report.

``build --report newsletter`` (or ``--notebooks DIR``) builds some reports of a period. The
period's folder is published whole, so the reports published before and not built now are
copied from the published folder into the new one: their files (every file whose name,
before its first dot, is the report, or that sits in a folder named after it), their
figures in ``figures.json`` and their timings; ``manifest.json`` lists them under
``carried_over`` with the build they came from. A report that is built now replaces all
of its earlier files: formats or editions not asked for this time are not kept, since
they could describe other data.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from sendreport.figures import Figure, read_figures
from sendreport.manifest import read_manifest


@dataclass(frozen=True)
class Carried:
    """What a rebuild kept from the published build of the same period."""

    reports: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    timings: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)


def report_of(relative: str, reports: Sequence[str]) -> str | None:
    """The report a published file belongs to, if any (``audit/newsletter.html`` →
    ``newsletter``; ``figures.json`` → None)."""
    path = PurePosixPath(relative)
    stem = path.name.split(".", 1)[0]
    for report in sorted(reports, key=len, reverse=True):
        if stem == report or report in path.parts[:-1]:
            return report
    return None


def carry_over(final: Path, staging: Path, built: Sequence[str]) -> Carried:
    """Copy the published reports not in ``built`` from ``final`` into ``staging``."""
    manifest = read_manifest(final) if final.is_dir() else None
    if not manifest:
        return Carried()
    published = manifest.get("parameters", {}).get("reports", [])
    keep = sorted(r for r in published if r not in built)
    if not keep:
        return Carried()
    for relative in manifest.get("outputs", {}):
        if report_of(relative, published) in keep and (final / relative).is_file():
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(final / relative, target)
    figures_path = final / "figures.json"
    records = read_figures(figures_path) if figures_path.is_file() else []
    figures = [Figure(**r) for r in records if r.get("report") in keep]
    notebooks = manifest.get("timings", {}).get("notebooks", {})
    origin = {
        "build_key": manifest.get("build_key"),
        "data_as_at": manifest.get("data_as_at"),
        "inputs": {k: v.get("sha256") for k, v in manifest.get("inputs", {}).items()},
    }
    earlier = manifest.get("carried_over", {})
    provenance = {r: earlier.get(r, origin) for r in keep}
    return Carried(keep, figures, {r: notebooks[r] for r in keep if r in notebooks}, provenance)
