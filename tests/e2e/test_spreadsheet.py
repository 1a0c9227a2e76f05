"""The accessible spreadsheet of a real demo build: every reader table and chart's data."""

from __future__ import annotations

import pytest

from tests.a11y.test_spreadsheet import workbook_problems
from tests.e2e.conftest import DemoBuild

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("e2e")]


def test_build_publishes_an_accessible_spreadsheet(demo_build: DemoBuild) -> None:
    import openpyxl
    from bs4 import BeautifulSoup

    path = demo_build.folder / "tables.xlsx"
    assert "tables.xlsx" in demo_build.manifest["outputs"]
    assert workbook_problems(path) == []
    workbook = openpyxl.load_workbook(path)
    titles = {str(workbook[name]["A1"].value) for name in workbook.sheetnames[3:]}
    for report in demo_build.reports():
        soup = BeautifulSoup((demo_build.folder / f"{report}.html").read_text(), "html.parser")
        for caption in soup.select("figure.chart figcaption"):
            assert any(caption.get_text(strip=True) in t for t in titles), caption.get_text()
    assert any(t.startswith("Table: Scorecard") for t in titles)
