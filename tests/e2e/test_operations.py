"""Quarterly operations on real builds: sign-off, the published site, kept inputs, dry run.

The sign-off and site tests reuse the session's demo build (a private copy each); the dry
run is the scheduled workflow's script end to end on demo data up to the last quarter.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sendreport.approve import approve_build
from sendreport.cli import main
from sendreport.periods import latest_completed_quarter
from tests.conftest import REPO_ROOT
from tests.e2e.conftest import DEMO_PERIOD

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("e2e")]

INTERNAL = ("audit", "figures.json", "manifest.json", "approval.json", "validation", "inputs")


def site_files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def test_approve_then_publish_lists_the_build_and_keeps_internal_files_out(
    published, tmp_path: Path, capsys
):
    _, folder, _ = published
    site = tmp_path / "site"
    assert main(["approve", str(folder), "--by", "A. Analyst", "--role", "analyst"]) == 0
    assert main(["approve", str(folder), "--by", "B. Chair", "--role", "approver"]) == 0
    args = ["publish", str(folder), "--site", str(site), "--require", "analyst,approver"]
    assert main(args) == 0
    files = site_files(site)
    quarter = f"919/{DEMO_PERIOD}/"
    assert {f"{quarter}{r}.{ext}" for r in ("newsletter", "performance", "timeliness")
            for ext in ("html", "pdf")} <= set(files)  # fmt: skip
    assert not [f for f in files if any(part in INTERNAL for part in f.split("/"))]
    assert not [f for f in files if f.endswith((".ipynb", ".parquet", ".csv"))]
    index = json.loads((site / "index.json").read_text())["quarters"]
    assert [(q["la"], q["period"]) for q in index] == [("919", DEMO_PERIOD)]
    assert {f["id"] for f in index[0]["headline"]} >= {"ehcp_plans_issued", "ehcp_20wk_pct_ex"}
    page = (site / "index.html").read_text()
    assert "January–March 2024" in page and "669" in page
    for ref in re.findall(r'href="([^"]+)"', page):
        assert ref == "#main" or (site / ref).is_file(), ref


def test_approval_does_not_make_the_build_out_of_date(published, demo_build, capsys):
    out, folder, _ = published
    approve_build(folder, by="B. Chair", role="approver")
    args = ["build", "--period", DEMO_PERIOD, "--la", "919", "--data", str(demo_build.data_dir)]
    assert main([*args, "--out", str(out)]) == 0
    assert "up to date" in capsys.readouterr().err
    assert (folder / "approval.json").is_file()


def test_publish_refuses_a_report_edited_after_approval(published, tmp_path: Path, capsys):
    _, folder, _ = published
    approve_build(folder, by="B. Chair", role="approver")
    with open(folder / "newsletter.html", "a") as handle:
        handle.write("<p>an unapproved line</p>")
    assert main(["publish", str(folder), "--site", str(tmp_path / "site")]) == 2
    err = capsys.readouterr().err
    assert "newsletter.html: changed since approval" in err
    assert not (tmp_path / "site").exists()


@pytest.fixture(scope="module")
def dry_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`.ci/quarterly dry-run` (what `make quarterly-dry-run` runs), in a scratch folder."""
    root = tmp_path_factory.mktemp("quarterly")
    env = os.environ | {
        "DRY_RUN_DIR": str(root),
        "SENDREPORT": str(Path(sys.executable).with_name("sendreport")),
    }
    env.pop("GITHUB_STEP_SUMMARY", None)
    env.pop("GITHUB_OUTPUT", None)
    done = subprocess.run(
        [str(REPO_ROOT / ".ci" / "quarterly"), "dry-run"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return root


def test_dry_run_publishes_the_last_complete_quarter(dry_run: Path):
    period = latest_completed_quarter().label
    state = dict(line.split("=", 1) for line in (dry_run / "state.env").read_text().splitlines())
    assert state["PERIOD"] == period and Path(state["BUILD"]).name == period
    assert not Path(state["DATA_DIR"]).exists()  # verified from the kept inputs alone
    index = json.loads((dry_run / "site" / "index.json").read_text())["quarters"]
    assert [q["period"] for q in index] == [period]
    assert not [f for f in site_files(dry_run / "site") if "inputs" in f or "audit" in f]
    summary = (dry_run / "summary.md").read_text()
    assert f"({period})" in summary and "| Figure | Value |" in summary
    assert "percentage points" in summary and "sendreport diff" in summary
    approval = json.loads((Path(state["BUILD"]) / "approval.json").read_text())
    assert approval["approvals"][0]["role"] == "approver"


def test_kept_inputs_are_checked_before_reexecuting(dry_run: Path, capsys):
    state = dict(line.split("=", 1) for line in (dry_run / "state.env").read_text().splitlines())
    build = Path(state["BUILD"])
    kept = build / "inputs" / "ehcp_requests.parquet"
    assert json.loads((build / "manifest.json").read_text())["kept_inputs"]
    kept.write_bytes(kept.read_bytes() + b"\0")
    assert main(["verify", str(build), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "kept inputs differ" in err and "ehcp_requests.parquet" in err
