"""Prove a build from its record (``verify``) and compare two builds (``diff``).

``verify`` rebuilds the recorded period from the recorded inputs into a scratch folder,
then compares every figure and every output file hash with the build folder. It also
says when the recorded inputs have changed since the build, which is the usual reason a
verification fails.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from sendreport.build import KEPT_INPUTS, BuildOptions, build
from sendreport.exceptions import InputFileError, VerificationMismatch
from sendreport.figures import read_figures
from sendreport.fingerprint import sha256_file
from sendreport.manifest import check_outputs, read_manifest
from sendreport.periods import Period
from sendreport.progress import Progress

FigureKey = tuple[str, str, str, str, str]


def _figure_key(record: dict[str, Any], *, with_period: bool = True) -> FigureKey:
    """A figure's stable key: report, id, area, role and (within one quarter) period. Never
    the label, so a reworded label is the same figure. Records written before roles existed
    match on the label instead."""
    period = record["period"] if with_period else ""
    role = record.get("role") or f"label:{record['label']}"
    return (record["report"], record["id"], record["area"], role, period)


def _index(records: Iterable[dict[str, Any]], *, with_period: bool = True) -> dict[FigureKey, dict]:
    return {_figure_key(r, with_period=with_period): r for r in records}


def changed_inputs(
    manifest: dict[str, Any], data_dir: Path | None = None, key: str = "inputs"
) -> list[str]:
    """Recorded input files (in ``data_dir``, default the recorded folder) that are missing
    or whose SHA-256 has changed; ``key="kept_inputs"`` checks a build's kept snapshot."""
    data_dir = Path(data_dir or manifest["parameters"]["data_dir"])
    changed = []
    for name, info in sorted(manifest.get(key, {}).items()):
        path = data_dir / name
        if not path.is_file():
            changed.append(f"{path}: missing")
        elif sha256_file(path) != info["sha256"]:
            changed.append(f"{path}: contents changed (SHA-256 differs from the build's record)")
    return changed


def compare_figures(recorded: list[dict], rebuilt: list[dict]) -> list[str]:
    old, new = _index(recorded), _index(rebuilt)
    differences = []
    for key in sorted(old.keys() | new.keys()):
        report, figure_id, area, role, period = key
        label = (new.get(key) or old.get(key) or {}).get("label", "")
        where = f"{report}: {figure_id} ({label}; {period}; area {area}; {role})"
        if key not in new:
            differences.append(f"figure {where} is no longer produced")
        elif key not in old:
            differences.append(f"figure {where} is new")
        elif (old[key]["value"], old[key]["display"]) != (new[key]["value"], new[key]["display"]):
            differences.append(
                f"figure {where}: recorded {old[key]['display']}, recomputed {new[key]['display']}"
            )
    return differences


def choose_inputs(folder: Path, manifest: dict[str, Any], data_dir: Path | None) -> Path:
    """Where to re-execute from: ``data_dir`` when given, else the build's kept snapshot
    (checked against the manifest first: an edited kept input fails at once), else the
    recorded data folder."""
    kept = folder / KEPT_INPUTS
    if data_dir is not None and not Path(data_dir).is_dir():
        raise InputFileError(
            f"--data {data_dir} is not a folder",
            path=str(data_dir),
            hint="pass the folder the build's input files were moved to",
        )
    if data_dir is None and manifest.get("kept_inputs"):
        edited = changed_inputs(manifest, kept, key="kept_inputs")
        if edited:
            raise VerificationMismatch(
                ["the build's kept inputs differ from its manifest"], inputs_changed=edited
            )
        return kept
    return Path(data_dir or manifest["parameters"]["data_dir"])


def verify_build(
    folder: Path, progress: Progress | None = None, *, data_dir: Path | None = None
) -> dict[str, Any]:
    """Check the folder against its manifest, rebuild from the recorded inputs and compare;
    raise :class:`VerificationMismatch` on any difference. Inputs come from ``data_dir``,
    the build's kept inputs or the recorded folder (:func:`choose_inputs`)."""
    progress = progress or Progress(quiet=True)
    folder = Path(folder)
    manifest = read_manifest(folder)
    if manifest is None:
        raise InputFileError(
            f"{folder} has no readable manifest.json",
            path=str(folder),
            hint="pass a build folder written by `sendreport build` (outputs/<la>/<period>)",
        )
    # The folder against its own record first (kept inputs, then every file and the
    # manifest's seal): tampering fails at once, with no need to re-execute anything.
    source = choose_inputs(folder, manifest, data_dir)
    differences = check_outputs(folder, manifest)
    if differences:
        raise VerificationMismatch(differences)
    kept = source == folder / KEPT_INPUTS
    inputs_changed = [] if kept else changed_inputs(manifest, source)
    if any(c.endswith(": missing") for c in inputs_changed):
        raise VerificationMismatch(
            ["cannot re-execute: recorded input files are missing"],
            inputs_changed=inputs_changed,
        )
    scratch = Path(tempfile.mkdtemp(prefix="sendreport-verify-"))
    try:
        params = manifest["parameters"]
        progress.say(f"re-executing {params['period']} for LA {params['la']} from {source}")
        rebuilt_folder = build(recorded_options(manifest, scratch, source), progress)[0].folder
        differences = compare_figures(
            read_figures(folder / "figures.json"), read_figures(rebuilt_folder / "figures.json")
        )
        differences += compare_outputs(manifest, read_manifest(rebuilt_folder) or {})
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if differences or inputs_changed:
        raise VerificationMismatch(differences, inputs_changed=inputs_changed)
    return {
        "folder": str(folder),
        "figures": len(read_figures(folder / "figures.json")),
        "files": len(manifest.get("outputs", {})),
    }


def recorded_options(manifest: dict[str, Any], out_dir: Path, data_dir: Path) -> BuildOptions:
    """The build options a manifest records, reading ``data_dir``, writing into ``out_dir``."""
    params = manifest["parameters"]
    return BuildOptions(
        periods=(Period.parse(params["period"]),),
        la=params["la"],
        data_dir=data_dir,
        out_dir=out_dir,
        editions=tuple(params["editions"]),
        formats=tuple(params["formats"]),
        dfe_dir=Path(params["dfe_dir"]) if params.get("dfe_dir") else None,
        force=True,
        reports=tuple(params["reports"]),
        notebooks_dir=Path(params["notebooks_dir"]) if params.get("notebooks_dir") else None,
        data_end=date.fromisoformat(params["data_end"]) if params.get("data_end") else None,
    )


def compare_outputs(recorded: dict[str, Any], rebuilt: dict[str, Any]) -> list[str]:
    """Recorded output files whose bytes re-execution does not reproduce (validation
    details other than the summary are run-specific and skipped)."""
    differences = []
    for name, digest in sorted(recorded.get("outputs", {}).items()):
        if name.startswith("validation/") and name != "validation/summary.json":
            continue
        if name.startswith(f"{KEPT_INPUTS}/"):
            continue  # the inputs themselves, checked above; a rebuild keeps none
        if rebuilt.get("outputs", {}).get(name) != digest:
            differences.append(f"file {name}: re-execution gives different bytes")
    return differences


def diff_builds(a: Path, b: Path) -> list[dict[str, Any]]:
    """Figures that differ between two builds (two quarters or two runs of one quarter).

    Figures are matched by their stable key: report, id, area and role (``current``,
    ``previous_quarter`` …; see :func:`sendreport.figures.figure_role`), and for two runs of
    the same quarter the period too. Labels are not part of the key: rewording one is no change.
    """
    records_a, records_b = (
        read_figures(Path(a) / "figures.json"),
        read_figures(Path(b) / "figures.json"),
    )
    same_period = (read_manifest(Path(a)) or {}).get("period") == (
        read_manifest(Path(b)) or {}
    ).get("period")
    old = _index(records_a, with_period=same_period)
    new = _index(records_b, with_period=same_period)
    changes = []
    for key in sorted(old.keys() | new.keys()):
        ra, rb = old.get(key), new.get(key)
        va = ra["value"] if ra else None
        vb = rb["value"] if rb else None
        if ra and rb and va == vb:
            continue
        change = None if va is None or vb is None else round(vb - va, 6)
        changes.append(
            {
                "report": key[0],
                "id": key[1],
                "area": key[2],
                "role": key[3],
                "label": (rb or ra)["label"],
                "a": ra["display"] if ra else None,
                "b": rb["display"] if rb else None,
                "a_period": ra["period"] if ra else None,
                "b_period": rb["period"] if rb else None,
                "change": change,
                "unit": (rb or ra)["unit"],
            }
        )
    return changes


def format_diff(changes: list[dict[str, Any]], a: Path, b: Path) -> str:
    if not changes:
        return f"no figures differ between {a} and {b}"
    lines = [f"{len(changes)} figure(s) differ between {a} (A) and {b} (B):"]
    for c in changes:
        if c["change"] is None:
            delta = ""
        elif c["unit"] == "%":
            delta = f" ({c['change']:+.1f} percentage points)"
        else:
            delta = f" ({c['change']:+,.1f})"
        lines.append(
            f"- {c['report']}: {c['label']} [{c['id']}, area {c['area']}]: "
            f"{c['a'] or 'absent'} → {c['b'] or 'absent'}{delta}"
        )
    return "\n".join(lines)


__all__ = ["changed_inputs", "compare_figures", "diff_builds", "format_diff", "verify_build"]
