"""National-scale steps for ``benchmarks/run.py``, each run in its own process.

``run.py`` starts every step as a child process so that the child's peak resident memory
(``ru_maxrss`` from ``os.wait4``) belongs to that step alone. Each step prints one JSON
line on stdout. Steps:

- ``generate --dfe DIR --out DIR [--limit N] [--la CODE]``: demo data for every LA the
  DfE release calibrates (``sendreport.demo.generate_demo``), concatenated into one
  ``ehcp_requests`` frame written as ``csv/ehcp_requests.csv`` (the demo's own CSV writer)
  and ``parquet/ehcp_requests.parquet``; plus a full demo folder for one LA (``la/``).
  ``--copies 2`` adds a second seed per LA (ids suffixed ``-1``) to reach a million rows.
- ``load --dir DIR``: time ``load_inputs`` on the requests file (several LAs allowed).
- ``validate --dir DIR``: time ``validate_inputs`` on the loaded requests frame.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any


def _generate_one(args: tuple[str, str, int]) -> tuple[str, Any, str | None]:
    """One LA's requests; copy ``k`` > 0 uses the next seed and suffixes its ids ``-k``."""
    code, dfe, copies = args
    import pandas as pd

    from sendreport.demo import DEFAULT_SEED, DemoCalibrationError, generate_demo

    frames = []
    try:
        for k in range(copies):
            frame = generate_demo(code, seed=DEFAULT_SEED + k, dfe_dir=Path(dfe))["ehcp_requests"]
            if k:
                frame = frame.assign(
                    request_id=frame["request_id"] + f"-{k}",
                    person_id=frame["person_id"] + f"-{k}",
                )
            frames.append(frame)
    except DemoCalibrationError as err:
        return code, None, str(err).splitlines()[0]
    return code, pd.concat(frames, ignore_index=True), None


def generate(
    dfe: Path, out: Path, limit: int | None, la: str, workers: int, copies: int
) -> dict[str, Any]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    import pandas as pd

    from sendreport import reference
    from sendreport.demo import frame_to_csv_text, write_demo

    started = time.perf_counter()
    codes = list(reference.all_la_codes())
    if limit:
        codes = codes[:limit]
    if la not in codes:
        codes.append(la)
    frames, skipped = {}, {}
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for code, frame, error in pool.map(_generate_one, [(c, str(dfe), copies) for c in codes]):
            if frame is None:
                skipped[code] = error
            else:
                frames[code] = frame
    requests = pd.concat([frames[c] for c in sorted(frames)], ignore_index=True)
    generated = time.perf_counter()
    (out / "csv").mkdir(parents=True, exist_ok=True)
    (out / "parquet").mkdir(parents=True, exist_ok=True)
    csv_path = out / "csv" / "ehcp_requests.csv"
    csv_path.write_bytes(frame_to_csv_text(requests).encode("utf-8"))
    parquet_path = out / "parquet" / "ehcp_requests.parquet"
    requests.to_parquet(parquet_path, index=False)
    write_demo(out / "la", la, dfe_dir=dfe)
    return {
        "las_tried": len(codes),
        "las_calibrated": len(frames),
        "las_skipped": len(skipped),
        "skipped": skipped,
        "copies": copies,
        "rows": len(requests),
        "rows_by_la": {c: len(f) for c, f in frames.items()},
        "csv_bytes": csv_path.stat().st_size,
        "parquet_bytes": parquet_path.stat().st_size,
        "generate_s": round(generated - started, 3),
        "write_s": round(time.perf_counter() - generated, 3),
    }


def load(directory: Path) -> dict[str, Any]:
    started = time.perf_counter()
    from sendreport.load import load_inputs

    imported = time.perf_counter()
    inputs = load_inputs(directory, datasets=["ehcp_requests"], allow_multiple_las=True)
    done = time.perf_counter()
    frame = inputs.frames["ehcp_requests"]
    return {
        "rows": len(frame),
        "las": int(frame["la_code"].nunique()),
        "format": inputs.files["ehcp_requests"].format,
        "import_s": round(imported - started, 3),
        "load_s": round(done - imported, 3),
    }


def validate(directory: Path) -> dict[str, Any]:
    from sendreport.load import load_inputs

    inputs = load_inputs(directory, datasets=["ehcp_requests"], allow_multiple_las=True)
    frame = inputs.frames["ehcp_requests"]
    las = sorted(frame["la_code"].dropna().unique().tolist())
    dates = [c for c in frame.columns if str(frame[c].dtype).startswith("datetime")]
    data_end = max(frame[c].max() for c in dates).date()
    started = time.perf_counter()
    import great_expectations  # noqa: F401  (timed apart: a one-off per process)

    from sendreport.validate import validate_inputs

    imported = time.perf_counter()
    # The committed suites, with every LA in the extract allowed (validate --all-las).
    summary = validate_inputs(
        inputs, data_end=data_end, la_code=None, results_dir=None, la_codes=las
    )
    done = time.perf_counter()
    result = summary.datasets["ehcp_requests"]
    return {
        "rows": result.rows,
        "las": len(las),
        "expectations": result.expectations,
        "passed": result.passed,
        "gx_import_s": round(imported - started, 3),
        "validate_s": round(done - imported, 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="national-scale benchmark steps")
    sub = parser.add_subparsers(dest="step", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--dfe", type=Path, required=True)
    g.add_argument("--out", type=Path, required=True)
    g.add_argument("--limit", type=int, default=None, help="only the first N LAs")
    g.add_argument("--la", default="886", help="LA to write a full demo folder for")
    g.add_argument("--workers", type=int, default=2)
    g.add_argument(
        "--copies", type=int, default=1, help="seeds per LA (ids of copy k get suffix -k)"
    )
    ld = sub.add_parser("load")
    ld.add_argument("--dir", type=Path, required=True)
    v = sub.add_parser("validate")
    v.add_argument("--dir", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.step == "generate":
        out = generate(args.dfe, args.out, args.limit, args.la, args.workers, args.copies)
    elif args.step == "load":
        out = load(args.dir)
    else:
        out = validate(args.dir)
    print(json.dumps(out, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
