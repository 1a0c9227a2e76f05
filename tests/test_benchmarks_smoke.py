"""The benchmark harness stays runnable. No timings are asserted here (see BENCHMARKS.md)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "benchmarks"


def test_run_py_help() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "--runs" in done.stdout and "--quick" in done.stdout


def test_naive_validation_script_loads_suites_without_gx() -> None:
    spec = importlib.util.spec_from_file_location(
        "naive_validate_ge", BENCH / "naive" / "validate_ge.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    suites = module.load_suites(REPO / "expectations")
    assert "ehcp_requests" in suites
    types = module.column_types(suites["ehcp_requests"])
    assert types["la_code"] == "str" and types["received_date"].startswith("datetime")
    # Great Expectations is imported inside main() only.
    assert "great_expectations" not in vars(module)
