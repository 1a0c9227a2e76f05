"""The up-to-date check is cheap: it hashes files and compares keys, importing neither pandas
nor Great Expectations (BENCHMARKS.md, 'Up-to-date rebuild')."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_plan_build_imports_no_pandas(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "ehcp_requests.csv").write_text("request_id\nR1\n")
    code = (
        "import sys; from pathlib import Path; "
        "from sendreport.build import BuildOptions, plan_build; "
        "from sendreport.periods import Period; "
        f"plan_build(BuildOptions((Period.parse('2023-24-Q4'),), '919', Path({str(data)!r}), "
        f"Path({str(tmp_path / 'out')!r}))); "
        "heavy = [m for m in ('pandas', 'great_expectations') if m in sys.modules]; "
        "assert not heavy, heavy"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
