"""Officer commentary in a real build: beside its measure, escaped, warned about, diffed."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sendreport.cli import main
from tests.e2e.conftest import DEMO_LA, DEMO_PERIOD, DemoBuild

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("e2e")]

HOSTILE = "<script>alert('x')</script> Backlog <b>cleared</b> by [June](javascript:alert(1))"


def test_demo_commentary_is_shown_beside_its_measure(demo_build: DemoBuild) -> None:
    soup = BeautifulSoup((demo_build.folder / "performance.html").read_text(), "html.parser")
    tables = {t.caption.get_text(" ", strip=True): t for t in soup.find_all("table")}
    table = next(
        t for c, t in tables.items() if c.startswith("Officer commentary on the scorecard")
    )
    headers = [th.get_text(" ", strip=True) for th in table.thead.find_all("th")]
    assert headers == ["Measure", "Rating", "Officer commentary"]
    row = next(tr for tr in table.tbody.find_all("tr") if "within 20 weeks" in tr.th.get_text())
    assert "Cases at risk of passing 20 weeks" in row.find_all("td")[-1].get_text()
    stray = [e for e in soup.find_all(string=True) if e.strip() in ("True", "False", "None")]
    assert not stray, "a cell's return value leaked into the reader edition"
    asides = soup.find_all("div", class_="commentary")
    assert asides and all("Demo officer" in a.get_text() for a in asides)
    records = json.loads((demo_build.folder / "commentary.json").read_text())
    subjects = {(r["report"], r["subject"]) for r in records}
    assert ("performance", "summary") in subjects
    assert ("performance", "ehcp_20wk_pct_ex") in subjects
    assert "commentary.json" in demo_build.manifest["outputs"]


def _rewrite_commentary(data_dir: Path, target: Path) -> None:
    shutil.copytree(data_dir, target)
    path = target / "commentary.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    kept = []
    for row in rows:
        if row["period"] != DEMO_PERIOD:
            kept.append(row)
        elif row["subject"] == "summary":
            kept.append({**row, "commentary": HOSTILE})
        # every measure's commentary dropped, the red one's (ehcp_overdue_open) included
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(kept)


def test_changed_commentary_is_escaped_warned_and_diffed(
    demo_build: DemoBuild, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    _rewrite_commentary(demo_build.data_dir, data)
    out = tmp_path / "out"
    argv = ["build", "--period", DEMO_PERIOD, "--la", DEMO_LA, "--data", str(data)]
    argv += ["--out", str(out), "--report", "performance", "--quiet"]
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "rated red with no officer commentary" in err and "ehcp_overdue_open" in err

    folder = out / DEMO_LA / DEMO_PERIOD
    page = (folder / "performance.html").read_text()
    soup = BeautifulSoup(page, "html.parser")
    assert not soup.find("script")
    assert not soup.find(href=lambda h: h and "javascript" in h.lower())
    assert "[June](javascript:alert(1))" in soup.get_text()  # shown as typed, not a link
    assert "&lt;script&gt;" in page and "&lt;b&gt;cleared&lt;/b&gt;" in page
    # Commentary is not a figure: the figures are the same as the demo build's.
    figures = {f["id"]: f["value"] for f in json.loads((folder / "figures.json").read_text())}
    demo = {f["id"]: f["value"] for f in demo_build.figures if f["report"] == "performance"}
    assert figures == demo

    assert main(["diff", str(demo_build.folder), str(folder), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    changed = {(c["subject"], c["change"]) for c in result["commentary"]}
    assert ("summary", "changed") in changed
    assert ("ehcp_overdue_open", "removed") in changed
