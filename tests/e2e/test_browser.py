"""Every HTML page a build or publish writes, in a real browser: each reader and audit
edition of the shared demo build, the site index ``publish --site`` writes
(sendreport.site) and the national index of a many-council build (sendreport.national_index,
``<out>/index.html``). GX Data Docs, written only when validation fails, are Great
Expectations' own pages and are not tested here (docs/accessibility.md).

axe-core runs in Debian's chromium (driven by puppeteer-core, which downloads nothing) at
1280 px and at 320 px: no violation of the WCAG 2.x A/AA or best-practice rules, and at
320 px nothing pokes past the viewport outside a scroll region (WCAG 1.4.10). ``make test``
installs chromium (apt) and the npm packages (tests/browser/package-lock.json); where they
are missing the test skips, except in CI (``CI=true``), where it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from sendreport.approve import approve_build
from sendreport.many import LaOutcome
from sendreport.national_index import build_index, load_dfe_table, write_index
from sendreport.site import publish_site
from tests.conftest import REPO_ROOT
from tests.e2e.conftest import DEMO_LA, DEMO_PERIOD, DemoBuild

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("e2e")]

BROWSER_DIR = REPO_ROOT / "tests" / "browser"
WIDTHS = (1280, 320)


def chromium_path() -> str | None:
    found = os.environ.get("SENDREPORT_CHROMIUM") or shutil.which("chromium")
    return found if found and Path(found).exists() else None


def require_browser() -> tuple[str, str]:
    """(chromium, node), or skip, or in CI fail, naming what is missing and how to get it."""
    chromium, node = chromium_path(), shutil.which("node")
    missing = []
    if chromium is None:
        missing.append("chromium (apt-get install chromium)")
    if node is None:
        missing.append("node (apt-get install nodejs npm)")
    if not (BROWSER_DIR / "node_modules" / "axe-core").is_dir():
        missing.append("axe-core and puppeteer-core (make browser-deps)")
    if missing:
        message = "browser tests need " + "; ".join(missing)
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return chromium, node  # type: ignore[return-value]


def published_indexes(demo_build: DemoBuild, work: Path) -> list[Path]:
    """The site index of the approved, published demo build, and the national index of a
    many-council run over a copy of it: two councils built (the demo's figures filed under
    a second LA code as well) and one failed, with DfE's comparisons."""
    out = work / "out"
    shutil.copytree(demo_build.out_dir, out)
    folder = out / DEMO_LA / DEMO_PERIOD
    approve_build(folder, by="A. Approver", role="approver")
    publish_site([folder], work / "site")
    shutil.copytree(folder, out / "884" / DEMO_PERIOD)
    failed = LaOutcome("873", "failed", 2, "invalid_data", "ehcp_requests.csv: row 3: bad date")
    index = build_index(out, DEMO_PERIOD, [failed], load_dfe_table(None))
    return [work / "site" / "index.html", write_index(out, index)]


@pytest.fixture(scope="module")
def browser_results(demo_build: DemoBuild, tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    chromium, node = require_browser()
    work = tmp_path_factory.mktemp("browser")
    files = sorted(str(p) for p in demo_build.folder.glob("*.html"))
    files += sorted(str(p) for p in (demo_build.folder / "audit").glob("*.html"))
    files += [str(p) for p in published_indexes(demo_build, work)]
    request = work / "request.json"
    shots = os.environ.get("SENDREPORT_SCREENSHOTS", "")
    request.write_text(
        json.dumps({"chromium": chromium, "files": files, "widths": WIDTHS, "screenshots": shots})
    )
    run = subprocess.run(
        [node, str(BROWSER_DIR / "axe.mjs"), str(request)],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=BROWSER_DIR,
    )
    assert run.returncode == 0, f"axe run failed: {run.stderr[-2000:]}"
    results = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    assert len(results) == len(files) * len(WIDTHS)
    return results


def test_every_published_page_is_checked(browser_results: list[dict]) -> None:
    checked = {
        Path(r["file"]).relative_to(Path(r["file"]).parents[1]).as_posix() for r in browser_results
    }
    assert {"site/index.html", "out/index.html"} <= checked
    assert {f"{DEMO_PERIOD}/{name}.html" for name in ("newsletter", "performance")} <= checked


def test_axe_finds_no_violations(browser_results: list[dict]) -> None:
    found = [
        f"{Path(r['file']).parent.name}/{Path(r['file']).name} at {r['width']} px: "
        f"{v['id']} ({v['help']}) on {v['nodes']}"
        for r in browser_results
        for v in r["violations"]
    ]
    assert found == []


def test_nothing_overflows_at_320_px(browser_results: list[dict]) -> None:
    found = [
        f"{Path(r['file']).name}: page {r['overflow']['scrollWidth']} px wide; "
        f"{r['overflow']['elements']}"
        for r in browser_results
        if r["width"] == 320
        and (
            r["overflow"]["scrollWidth"] > r["overflow"]["clientWidth"] or r["overflow"]["elements"]
        )
    ]
    assert found == []


def test_table_captions_fit_the_phone_screen(browser_results: list[dict]) -> None:
    """A wide table scrolls sideways in its region; its caption stays within the screen."""
    found = [
        f"{Path(r['file']).name}: {r['overflow']['captions']}"
        for r in browser_results
        if r["width"] == 320 and r["overflow"]["captions"]
    ]
    assert found == []
