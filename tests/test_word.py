"""The Word edition: headings, tables with header rows, described pictures, same bytes."""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path

import docx
import pytest

from sendreport.word import strip_screen_furniture, write_docx

# A 1×1 PNG: enough for Word to hold a picture.
PIXEL = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
).decode()

PAGE = f"""<!DOCTYPE html><html lang="en-GB"><head><title>Duplicate title</title>
<style>body {{ color: red }}</style></head><body>
<a class="skip-link" href="#main">Skip to main content</a>
<main id="main"><h1>SEND performance report</h1><p>Intro &lt;script&gt; text.</p>
<h2>Scorecard</h2>
<table><caption>Performance against target</caption>
<thead><tr><th scope="col">Measure</th><th scope="col">Value</th></tr></thead>
<tbody><tr><td>Plans in 20 weeks</td><td>42.5%</td></tr></tbody></table>
<h3>Plans issued within 20 weeks</h3>
<img src="data:image/png;base64,{PIXEL}" alt="Line chart: plans in 20 weeks, 30% to 45%.">
<img src="file:///etc/hostname" alt="a local file must not be read">
</main></body></html>"""


@pytest.fixture()
def written(tmp_path: Path) -> Path:
    target = tmp_path / "performance.docx"
    write_docx(
        PAGE,
        target,
        title="SEND performance report – Testshire",
        author="Testshire",
        running="SEND performance report · Testshire · January–March 2024",
        marking="Demo data",
    )
    return target


def test_headings_in_order(written: Path) -> None:
    document = docx.Document(str(written))
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings == [
        ("Heading 1", "SEND performance report"),
        ("Heading 2", "Scorecard"),
        ("Heading 3", "Plans issued within 20 weeks"),
    ]
    texts = [p.text for p in document.paragraphs]
    assert "Skip to main content" not in texts
    assert "Duplicate title" not in texts
    assert "Intro <script> text." in texts


def test_tables_have_header_rows(written: Path) -> None:
    document = docx.Document(str(written))
    assert len(document.tables) == 1
    first_row = document.tables[0].rows[0]
    assert [c.text for c in first_row.cells] == ["Measure", "Value"]
    flags = first_row._tr.xpath("./w:trPr/w:tblHeader")
    assert flags, "the header row must be marked to repeat"


def test_every_picture_has_a_description(written: Path) -> None:
    document = docx.Document(str(written))
    descriptions = [p.get("descr") for p in document.element.body.iter() if p.tag.endswith("docPr")]
    assert descriptions == ["Line chart: plans in 20 weeks, 30% to 45%."]


def test_running_title_marking_and_properties(written: Path) -> None:
    document = docx.Document(str(written))
    header = document.sections[0].header.paragraphs[0].text
    assert header == "Demo data · SEND performance report · Testshire · January–March 2024"
    assert "PAGE" in document.sections[0].footer._element.xml
    props = document.core_properties
    assert props.title == "SEND performance report – Testshire"
    assert props.language == "en-GB"


def test_same_inputs_same_bytes(written: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.docx"
    write_docx(
        PAGE,
        again,
        title="SEND performance report – Testshire",
        author="Testshire",
        running="SEND performance report · Testshire · January–March 2024",
        marking="Demo data",
    )
    assert again.read_bytes() == written.read_bytes()
    with zipfile.ZipFile(io.BytesIO(again.read_bytes())) as package:
        assert package.namelist()[0] == "[Content_Types].xml"
        assert {i.date_time for i in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_screen_furniture_removed() -> None:
    stripped = strip_screen_furniture(PAGE)
    assert "skip-link" not in stripped
    assert "<style>" not in stripped
    assert "<title>" not in stripped


def test_phone_width_pictures_are_dropped_without_changing_the_word_bytes() -> None:
    """pandoc ignores ``<source>``: leaving out the charts' phone-width pictures (their
    base64 costs pandoc parsing time) gives the same document."""
    from sendreport.word import convert_html_to_docx

    source = f'<source media="(max-width: 40em)" srcset="data:image/png;base64,{PIXEL}">'
    picture = PAGE.replace("<img src=", f"<picture>{source}<img src=", 1).replace(
        'to 45%.">', 'to 45%."></picture>', 1
    )
    assert "<picture><source" in picture and "</picture>" in picture
    stripped = strip_screen_furniture(picture)
    assert "<source" not in stripped and "<picture><img" in stripped
    with_source = stripped.replace("<picture><img", f"<picture>{source}<img")
    assert convert_html_to_docx(stripped) == convert_html_to_docx(with_source)


DEMO_PAGE = PAGE.replace(
    '<main id="main">',
    '<p class="demo-banner" role="note"><strong>Demo data.</strong> None is real.</p>'
    '<header class="masthead"><p class="org">Testshire</p><p>Data as at 31 March 2024</p>'
    '</header><main id="main">',
)


def test_demo_build_is_marked_in_the_word_edition(tmp_path: Path) -> None:
    """pandoc reads only <main>: the banner and masthead outside it must still reach Word, and
    a demo build's running header says DEMO DATA (as its HTML and PDF do)."""
    from types import SimpleNamespace

    from sendreport.report import write_word_edition

    task = SimpleNamespace(
        staging=tmp_path,
        report="performance",
        title="SEND performance report",
        la_name="Testshire",
        period_text="January–March 2024",
        demo=True,
    )
    write_word_edition(DEMO_PAGE, task)  # type: ignore[arg-type]
    document = docx.Document(str(tmp_path / "performance.docx"))
    texts = [p.text for p in document.paragraphs]
    assert "Demo data. None is real." in texts
    assert "Data as at 31 March 2024" in texts
    assert document.sections[0].header.paragraphs[0].text.startswith("DEMO DATA · ")
