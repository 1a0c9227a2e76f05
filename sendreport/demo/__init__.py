"""Demo data: every dataset of the data contract for one LA, calibrated to DfE figures.

A new user has no data on day one, so ``sendreport demo`` writes realistic records for an
LA that agree with what DfE published for it:

- :func:`generate_demo` returns every dataset of :data:`sendreport.contract.DATASETS`,
  typed as :mod:`sendreport.load` reads them, April 2021 to March 2025;
- :func:`write_demo` writes them as ``<dataset>.csv`` (UTF-8, ISO dates, ``\\n`` line
  endings, byte-identical for a seed);
- :func:`generate_requests` is the person-level core, calibrated so DfE's calendar-year
  counts (2022–2024) come out exactly (:mod:`sendreport.demo.requests`);
- :func:`calibration_targets` gives those counts (:mod:`sendreport.demo.calibration`).

Everything is drawn from ``numpy.random.default_rng`` seeded by ``seed`` and the LA code:
no global state, no wall clock, no dependence on set or dict ordering.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from sendreport.contract import DATASETS
from sendreport.demo.calibration import (
    PUBLISHED_NAMES,
    CalendarYearTargets,
    calibration_targets,
    caseload_januaries,
    deviation_notes,
)
from sendreport.demo.commentary import generate_commentary
from sendreport.demo.horizon import (
    EARLIEST_END,
    censor_frames,
    extend_requests,
    month_end_on_or_before,
)
from sendreport.demo.improvement import generate_improvement_plan
from sendreport.demo.narrative import HERTFORDSHIRE
from sendreport.demo.profiles import demo_council, demo_profile_toml
from sendreport.demo.requests import (
    DATA_END,
    WINDOW_START,
    DemoCalibrationError,
    generate_requests,
)
from sendreport.demo.trackers import (
    generate_caseload,
    generate_cla_stability,
    generate_families_first,
    generate_placement_waits,
    generate_school_places,
    generate_service_waits,
    generate_targets,
    generate_workforce,
    scale_for,
)
from sendreport.exceptions import ParameterError

__all__ = [
    "DEFAULT_SEED",
    "CalendarYearTargets",
    "DemoCalibrationError",
    "calibration_targets",
    "generate_demo",
    "generate_requests",
    "write_demo",
]

DEFAULT_SEED = 20240331


def lookup_la_name(code: str) -> str:
    """The LA's name from the reference table, else the built-in names, else the code."""
    try:
        from sendreport.reference import la_display_name

        return la_display_name(code)
    except (ImportError, LookupError, ValueError):
        return PUBLISHED_NAMES.get(code, f"local authority {code}")
    except Exception:  # an unknown code raises the reference module's own error
        return PUBLISHED_NAMES.get(code, f"local authority {code}")


def generate_demo(
    la_code: str = "919",
    *,
    seed: int = DEFAULT_SEED,
    dfe_dir: Path | None = None,
    notes: list[str] | None = None,
    until: date | None = None,
) -> dict[str, pd.DataFrame]:
    """Every dataset of the data contract for one LA, April 2021 to March 2025, or to the
    last month end on or before ``until`` (see :mod:`sendreport.demo.horizon`).

    Calibrated to the LA's DfE figures: from ``dfe_dir`` (an "Education, health and care
    plans" release folder) when given, else built in for 919 and 884, else the headline
    table shipped in the package (any LA in DfE's 2025 release). Same arguments,
    identical frames. Where the LA's published figures are inconsistent or missing, each
    difference from them is appended to ``notes`` (:func:`deviation_notes`).
    """
    code = str(la_code).strip()
    end = check_until(until) if until is not None else DATA_END
    horizon = max(end, DATA_END)
    targets = calibration_targets(code, dfe_dir)
    if notes is not None:
        notes.extend(deviation_notes(targets))
    januaries = caseload_januaries(code, dfe_dir)
    scale = scale_for(januaries)
    name = lookup_la_name(code)

    def rng(stream: int) -> np.random.Generator:
        # One independent stream per dataset, so changing one never shifts another.
        return np.random.default_rng([int(seed), int(code) if code.isdigit() else 0, stream])

    caseload = generate_caseload(rng(2), code, januaries, horizon)
    places = generate_school_places(code, scale, end=horizon)
    requests = generate_requests(code, seed=seed, targets=targets, notes=notes)
    if horizon > DATA_END:
        requests = extend_requests(requests, code, targets, seed=seed, end=horizon)
    frames = {
        "ehcp_requests": requests,
        "ehcp_caseload": caseload,
        "service_waits": generate_service_waits(rng(3), code, scale, end=horizon),
        "school_places": places,
        "placement_waits": generate_placement_waits(rng(4), code, scale, end=horizon),
        "workforce": generate_workforce(code, scale, caseload, end=horizon),
        "families_first": generate_families_first(rng(5), code, scale, end=horizon),
        "cla_stability": generate_cla_stability(rng(6), code, scale, end=horizon),
        "targets": generate_targets(code, scale, HERTFORDSHIRE),
        "commentary": generate_commentary(code, start=WINDOW_START, end=end),
    }
    # The plan's updates quote this LA's own figures, so it is made from the frames above.
    frames["improvement_plan"] = generate_improvement_plan(
        code, demo_council(code, name), frames, end=horizon
    )
    if until is not None:
        frames = censor_frames(frames, end)
    # Contract column order, contract datasets only.
    return {
        ds.name: frames[ds.name][[c.name for c in ds.columns]].reset_index(drop=True)
        for ds in DATASETS.values()
    }


def frame_to_csv_text(frame: pd.DataFrame) -> str:
    """A frame as CSV text: ISO dates, whole numbers without decimals, empty for missing."""
    out = {}
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_datetime64_any_dtype(s.dtype):
            text = s.dt.strftime("%Y-%m-%d")
        elif isinstance(s.dtype, pd.Int64Dtype):
            text = s.astype("str")
        elif isinstance(s.dtype, pd.Float64Dtype) or pd.api.types.is_float_dtype(s.dtype):
            text = pd.Series([repr(float(v)) if pd.notna(v) else None for v in s], dtype="str")
        else:
            text = s.astype("str")
        out[col] = text.fillna("")
    return pd.DataFrame(out).to_csv(index=False, lineterminator="\n")


def check_until(until: date) -> date:
    """The month end the demo data runs to, or :class:`ParameterError` naming the range."""
    end = month_end_on_or_before(until)
    if not EARLIEST_END <= end <= date.today():
        raise ParameterError(
            f"--until {until.isoformat()} is outside the demo data's range",
            hint=f"give a date from {EARLIEST_END.isoformat()} to today",
        )
    return end


def default_until(today: date | None = None) -> date:
    """The end of the last complete quarter before ``today``: what a scheduled build reports."""
    from sendreport.periods import latest_completed_quarter

    return latest_completed_quarter(today).end


def write_demo(
    out_dir: Path,
    la_code: str = "919",
    *,
    seed: int = DEFAULT_SEED,
    dfe_dir: Path | None = None,
    until: date | None = None,
) -> list[Path]:
    """Write ``<out_dir>/<dataset>.csv`` for every dataset and ``council.toml`` (the demo
    council's profile, marked ``demo = true``); returns the paths, contract order, profile last.

    Where the demo differs from what DfE published for the LA, ``<out_dir>/demo-notes.md``
    lists each difference (it is not one of the returned paths).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    notes: list[str] = []
    frames = generate_demo(la_code, seed=seed, dfe_dir=dfe_dir, notes=notes, until=until)
    for name, frame in frames.items():
        path = out_dir / f"{name}.csv"
        path.write_bytes(frame_to_csv_text(frame).encode("utf-8"))
        paths.append(path)
    code = str(la_code).strip()
    profile = out_dir / "council.toml"
    profile.write_bytes(demo_profile_toml(code, lookup_la_name(code)).encode("utf-8"))
    paths.append(profile)
    notes_path = out_dir / DEMO_NOTES
    if notes:
        notes_path.write_text(format_demo_notes(la_code, notes), encoding="utf-8")
    elif notes_path.exists():  # a rewrite without deviations leaves no stale notes
        notes_path.unlink()
    return paths


DEMO_NOTES = "demo-notes.md"


def format_demo_notes(la_code: str, notes: list[str]) -> str:
    """The notes as Markdown: what differs from DfE's published figures and why."""
    code = str(la_code).strip()
    lines = [
        f"# Demo data for {lookup_la_name(code)} ({code}): differences from DfE's figures",
        "",
        "The demo requests reproduce DfE's published requests received and 20-week "
        "timeliness counts for calendar years 2022-2024. Where the published figures "
        "cannot all hold together, or a year is missing, the demo differs as follows "
        "(see docs/aqa/assumptions_caveats.md):",
        "",
        *[f"- {note}" for note in notes],
        "",
    ]
    return "\n".join(lines)
