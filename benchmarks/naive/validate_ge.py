"""The validation step of the "naive chain": what a user writes without sendreport.

Loads every ``<dataset>.csv`` of a data folder with pandas, builds one Great Expectations
suite per ``expectations/<dataset>.json`` and validates each frame in an ephemeral context,
the way the GX 1.x documentation shows (batch definition → batch → ``batch.validate``).
It is independent of the ``sendreport`` package except for the suites' helper columns and
the metric ids (below). What it borrows, so that it validates the same data against the
same rules:

- column types: ``expect_column_values_to_be_of_type`` says which columns are text and
  which are dates, so the CSVs are read with those dtypes (``la_code`` stays ``"919"``);
- helper columns: ``meta.helper_columns`` (month ends, quarter edges, metric polarity, …)
  are derived with sendreport's own function;
- runtime parameters: ``data_end``, ``plan_end``, ``la_codes`` and ``metric_ids``.

Usage: ``python validate_ge.py --data DIR [--expectations DIR] [--la 919]``; exit 0 when
every expectation passes, 1 otherwise. Great Expectations is imported inside ``main`` so
that the suite-loading code below imports in milliseconds (the smoke test relies on it).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def load_suites(expectations_dir: Path) -> dict[str, dict[str, Any]]:
    """Every ``<dataset>.json`` suite in ``expectations_dir``, keyed by dataset name."""
    suites = {}
    for path in sorted(Path(expectations_dir).glob("*.json")):
        suite = json.loads(path.read_text(encoding="utf-8"))
        suites[suite.get("name", path.stem)] = suite
    if not suites:
        raise FileNotFoundError(f"no expectation suites (*.json) in {expectations_dir}")
    return suites


def column_types(suite: dict[str, Any]) -> dict[str, str]:
    """Column → declared type (``str``, ``datetime64``, ``Int64Dtype``, ``Float64Dtype``)
    from the suite's type checks."""
    types = {}
    for e in suite.get("expectations", []):
        kwargs = e.get("kwargs", {})
        if e.get("type") == "expect_column_values_to_be_of_type":
            types[kwargs["column"]] = kwargs["type_"]
        elif e.get("type") == "expect_column_values_to_be_in_type_list":
            types[kwargs["column"]] = kwargs["type_list"][0]
    return types


def read_csv(path: Path, suite: dict[str, Any]) -> Any:
    import pandas as pd

    types = column_types(suite)
    text = [c for c, t in types.items() if t == "str"]
    dates = [c for c, t in types.items() if t.startswith("datetime")]
    numbers = {c: t.removesuffix("Dtype") for c, t in types.items() if t.endswith("64Dtype")}
    frame = pd.read_csv(path, dtype={**dict.fromkeys(text, "str"), **numbers})
    for col in dates:
        if col in frame:
            frame[col] = pd.to_datetime(frame[col], format="%Y-%m-%d").astype("datetime64[ns]")
    return frame


def add_helpers(frame: Any, suite: dict[str, Any]) -> Any:
    """The derived columns the suite's ``meta.helper_columns`` names. Several (quarter
    edges, metric polarity) need sendreport's definitions, so this one step borrows the
    package's function rather than restate it: the same work either way."""
    from sendreport.validate import add_helper_columns

    return add_helper_columns(frame, suite.get("meta", {}).get("helper_columns", {}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="folder of <dataset>.csv")
    parser.add_argument("--expectations", type=Path, default=REPO / "expectations")
    parser.add_argument("--la", default=None, help="expected LA code (default: from the data)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    import pandas as pd

    suites = load_suites(args.expectations)
    frames = {n: read_csv(args.data / f"{n}.csv", s) for n, s in suites.items()}
    la = args.la or str(frames["ehcp_requests"]["la_code"].mode().iloc[0])
    data_end = frames["ehcp_caseload"]["month_end"].max()
    loaded = time.perf_counter()

    import great_expectations as gx

    imported = time.perf_counter()
    context = gx.get_context(mode="ephemeral")
    source = context.data_sources.add_pandas("naive")
    from sendreport.validate import metric_ids

    parameters = {
        "data_end": pd.Timestamp(data_end),
        "plan_end": pd.Timestamp(data_end) + pd.DateOffset(years=1),
        "la_codes": [la],
        "metric_ids": metric_ids(),
    }
    failed = 0
    total = 0
    for name, suite_json in suites.items():
        batch = (
            source.add_dataframe_asset(name)
            .add_batch_definition_whole_dataframe("whole")
            .get_batch(batch_parameters={"dataframe": add_helpers(frames[name], suite_json)})
        )
        suite = context.suites.add(gx.ExpectationSuite(**suite_json))
        result = batch.validate(suite, expectation_parameters=parameters)
        total += len(result.results)
        bad = [r for r in result.results if not r.success]
        failed += len(bad)
        for r in bad:
            print(f"FAILED {name}: {r.expectation_config.type} {r.expectation_config.kwargs}")
    done = time.perf_counter()
    print(
        json.dumps(
            {
                "datasets": len(suites),
                "expectations": total,
                "failed": failed,
                "load_s": round(loaded - started, 3),
                "gx_import_s": round(imported - loaded, 3),
                "validate_s": round(done - imported, 3),
            }
        )
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
