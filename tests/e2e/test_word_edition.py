"""The Word edition of every reader report, as a committee clerk opens it."""

from __future__ import annotations

from itertools import pairwise

import docx
import pytest
from bs4 import BeautifulSoup

from tests.e2e.conftest import DemoBuild

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("e2e")]

REPORTS = ("newsletter", "performance", "timeliness")


def _html_headings(demo_build: DemoBuild, report: str) -> list[str]:
    soup = BeautifulSoup((demo_build.folder / f"{report}.html").read_text(), "html.parser")
    main = soup.find("main")
    return [h.get_text(" ", strip=True) for h in main.find_all(["h1", "h2", "h3"])]


@pytest.mark.parametrize("report", REPORTS)
def test_word_edition_matches_the_reader_edition(demo_build: DemoBuild, report: str) -> None:
    path = demo_build.folder / f"{report}.docx"
    assert path.is_file(), f"{report}.docx missing from the default build"
    document = docx.Document(str(path))
    headings = [
        " ".join(p.text.split())
        for p in document.paragraphs
        if p.style.name in ("Heading 1", "Heading 2", "Heading 3")
    ]
    assert headings == _html_headings(demo_build, report)
    for table in document.tables:
        assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader"), "header row not marked"
    pictures = [e for e in document.element.body.iter() if e.tag.endswith("}docPr")]
    soup = BeautifulSoup((demo_build.folder / f"{report}.html").read_text(), "html.parser")
    assert len(pictures) == len(soup.find("main").find_all("img"))
    assert all(p.get("descr") for p in pictures), "a picture without a description"
    assert document.core_properties.title
    assert document.sections[0].header.paragraphs[0].text


def test_word_editions_are_listed_in_the_manifest(demo_build: DemoBuild) -> None:
    outputs = demo_build.manifest["outputs"]
    assert {f"{r}.docx" for r in REPORTS} <= set(outputs)


@pytest.mark.parametrize("report", REPORTS)
def test_word_edition_is_accessible(demo_build: DemoBuild, report: str) -> None:
    """What Word's accessibility checker asks of a paper beyond the test above: the
    language set for the text (the default run language, which screen readers use), not
    only in the properties; headings from level 1 that skip no level; every table named
    by a caption just before it."""
    document = docx.Document(str(demo_build.folder / f"{report}.docx"))
    assert document.core_properties.language == "en-GB"
    defaults = document.styles.element.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val")
    assert defaults == ["en-GB"]
    levels = [
        int(p.style.name.split()[-1])
        for p in document.paragraphs
        if p.style.name.startswith("Heading ")
    ]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in pairwise(levels))
    body = list(document.element.body.iterchildren())
    for i, element in enumerate(body):
        if element.tag.endswith("}tbl"):
            style = body[i - 1].xpath("./w:pPr/w:pStyle/@w:val")
            assert style == ["TableCaption"], f"table {i} has no caption before it"
