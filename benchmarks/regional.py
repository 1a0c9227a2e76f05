"""Regional and projected national builds: per-LA cost on Dask against single-LA builds.

    .venv/bin/python benchmarks/regional.py                  # East of England, 11 LAs
    .venv/bin/python benchmarks/regional.py --la 857,884,201 --report newsletter  # smoke

Side by side in one run, on the same demo data (``demo-data --la REGION --dfe``) and the
same quarter:

1. **single**: every LA (or ``--singles N`` of them) built on its own, one after another,
   as a user would script it (``sendreport build --la N --jobs 2 --force``: a new process, imports,
   validation and a worker pool per LA), half before the region runs and half after;
2. **region, 1 worker** and **region, 2 workers**: ``sendreport build --la LIST --jobs W
   --force`` on a local Dask cluster of warm workers.

Per-LA cost is wall time / LAs, and CPU time (user + system of the whole process tree) /
LAs, which a shared machine's load barely moves. Peak memory per worker comes from ``run.json`` (the
worker process; kernels are separate processes). The time for all 153 LAs × 1 quarter is
extrapolated for N workers from the measured per-LA cost on one worker and the measured
1 → 2 worker speed-up (the parallel efficiency), assuming one core per worker.
Writes a Markdown section to ``--output`` (default: print only).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import PERIOD, REPO, VENV_BIN, machine, run

SENDREPORT = VENV_BIN / "sendreport"
DEFAULT_DFE = REPO.parent / "shared" / "data" / "dfe" / "ehcp-2025"
ALL_LAS = 153
FALLBACK_EFFICIENCY = 0.72


def build_cmd(las: str, data: Path, out: Path, jobs: int, reports: str | None) -> list[Any]:
    cmd = [SENDREPORT, "build", "--la", las, "--period", PERIOD, "--data", data, "--out", out]
    cmd += ["--jobs", str(jobs), "--force", "--quiet"]
    return cmd + (["--report", reports] if reports else [])


def measure_single(
    codes: list[str], data: Path, out: Path, reports: str | None
) -> dict[str, tuple[float, float]]:
    """Each LA built on its own: ``{la: (wall seconds, CPU seconds)}``."""
    times = {}
    for la in codes:
        result = run(build_cmd(la, data / la, out, 2, reports))
        times[la] = (result.seconds, result.cpu_seconds)
        print(
            f"  single {la}: {result.seconds:.1f}s, {result.cpu_seconds:.1f} CPU-s", file=sys.stderr
        )
    return times


def measure_region(
    codes: list[str], data: Path, out: Path, jobs: int, reports: str | None
) -> dict[str, Any]:
    result = run(build_cmd(",".join(codes), data, out, jobs, reports))
    summary = json.loads((out / "run.json").read_text())
    workers = [row.get("peak_rss_mb") or 0.0 for row in summary["las"]]
    print(
        f"  region, {jobs} worker(s): {result.seconds:.1f}s, {result.cpu_seconds:.1f} CPU-s",
        file=sys.stderr,
    )
    return {
        "seconds": result.seconds,
        "cpu_seconds": result.cpu_seconds,
        "worker_peak_mb": max(workers),
        "failed": summary["failed"],
    }


def project(per_la_1: float, efficiency: float, workers: int) -> float:
    """Hours for 153 LAs × 1 quarter on ``workers`` workers at the measured efficiency."""
    speedup = 1 + (workers - 1) * efficiency
    return ALL_LAS * per_la_1 / speedup / 3600


def report(
    codes: list[str],
    singles: dict[str, tuple[float, float]],
    r1: dict,
    r2: dict,
    reports: str | None,
    load_at_start: tuple[float, float, float],
) -> str:
    n = len(codes)
    per_single = sum(w for w, _ in singles.values()) / len(singles)
    cpu_single = sum(c for _, c in singles.values()) / len(singles)
    per_1, per_2 = r1["seconds"] / n, r2["seconds"] / n
    measured = r1["seconds"] / r2["seconds"] - 1
    # A second worker slower than one means the machine's load changed mid-run: project
    # with the backfill's measured 1 → 2 jobs efficiency instead (BENCHMARKS.md, 0.72).
    efficiency = measured if 0 < measured <= 1 else FALLBACK_EFFICIENCY
    info = machine()

    def row(name: str, wall: float, per_la: float, cpu_la: float, peak: str) -> str:
        return (
            f"| {name} | {wall:.0f} s | {per_la:.1f} s | {per_la / per_single:.2f}× | "
            f"{cpu_la:.1f} s | {cpu_la / cpu_single:.2f}× | {peak} |"
        )

    measured_singles = ", ".join(
        f"{la} {w:.0f} s / {c:.0f} CPU-s" for la, (w, c) in singles.items()
    )
    lines = [
        f"## Regional and national builds ({n} LAs × 1 quarter, {PERIOD})",
        "",
        f"Measured side by side in one run on {info.get('cores', '?')} cores (load average "
        f"{load_at_start[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end); the "
        "machine was shared with other sessions, so wall times are noisy. CPU time (user + "
        "system of the whole process tree: CLI, Dask workers, kernels, fork servers) is the "
        "cost that load barely moves. Reports: "
        f"{reports or 'all'}; editions reader and audit; HTML, PDF, Word and the spreadsheet. "
        f"LAs: {', '.join(codes)}.",
        "",
        "| How | Wall time | Per LA (wall) | vs single | CPU per LA | vs single | "
        "Peak memory per worker |",
        "|---|---:|---:|---:|---:|---:|---:|",
        row(
            f"Single-LA builds (`--jobs 2` each; {len(singles)} of the {n} LAs: {measured_singles})",
            per_single * n,
            per_single,
            cpu_single,
            "n/a",
        ),
        row(
            "Region on Dask, 1 worker",
            r1["seconds"],
            per_1,
            r1["cpu_seconds"] / n,
            f"{r1['worker_peak_mb']:.0f} MB",
        ),
        row(
            "Region on Dask, 2 workers",
            r2["seconds"],
            per_2,
            r2["cpu_seconds"] / n,
            f"{r2['worker_peak_mb']:.0f} MB",
        ),
        "",
        f"1 → 2 workers: {r1['seconds'] / r2['seconds']:.2f}× faster (parallel efficiency "
        f"{measured:.0%} of the second worker, on 2 shared cores); the projection uses "
        f"{efficiency:.0%}.",
        "",
        "Projected time for all 153 LAs × 1 quarter (per-LA cost on one warm worker, the "
        "measured efficiency, one core per worker):",
        "",
        "| Workers | Projected time |",
        "|---:|---:|",
        *[f"| {w} | {project(per_1, efficiency, w):.2f} h |" for w in (1, 2, 4, 8, 16, 32)],
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--la", default="E12000006", help="region code or LA list")
    parser.add_argument("--report", default=None, help="only these reports (smoke runs)")
    parser.add_argument(
        "--singles", type=int, default=0, help="LAs also built one by one (0: every LA)"
    )
    parser.add_argument("--dfe", type=Path, default=DEFAULT_DFE)
    parser.add_argument("--output", type=Path, default=None, help="write the section here")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from sendreport.many import select_las

    codes = list(select_las(args.la).codes)
    load_at_start = os.getloadavg()
    # Every LA by default: LAs differ several-fold in size, so a sample of small ones would
    # flatter the single builds against a region holding the large ones.
    count = args.singles or len(codes)
    sample = codes[:: max(1, len(codes) // count)][:count]
    with tempfile.TemporaryDirectory(prefix="sendreport-regional-") as tmp:
        root = Path(tmp)
        data = root / "data"
        run([SENDREPORT, "demo-data", "--la", ",".join(codes), "--dfe", args.dfe, "--out", data])
        print(f"demo data for {len(codes)} LAs written", file=sys.stderr)
        # Singles bracket the region runs (half before, half after) so a change in the
        # machine's load during the run falls on both sides of the comparison.
        half = len(sample) // 2
        singles = measure_single(sample[:half], data, root / "single", args.report)
        r2 = measure_region(codes, data, root / "region2", 2, args.report)
        r1 = measure_region(codes, data, root / "region1", 1, args.report)
        singles |= measure_single(sample[half:], data, root / "single", args.report)
    text = report(codes, singles, r1, r2, args.report, load_at_start)
    print(text)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
