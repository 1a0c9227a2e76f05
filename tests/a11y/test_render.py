"""Page shell: tables in labelled scroll regions with unique captions; a tagged PDF/UA-1."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from sendreport import charts
from sendreport.fragments import render_chart, render_table
from sendreport.render import label_tables, render_page, write_pdf
from tests.a11y.pdfua import pdfua_problems, tagged_text


def reader_page(body: str) -> str:
    """``body`` in the reader edition's page shell, for a made-up report."""
    return render_page(
        body,
        edition="reader",
        title="SEND report",
        la_name="Herefordshire",
        period_text="January to March 2024",
        data_as_at="31 March 2024",
    )


def test_tables_sit_in_focusable_regions_named_by_unique_captions() -> None:
    table = render_table(pd.DataFrame({"Measure": ["Plans"], "Value": [3]}), "Derivation")
    body = label_tables(table + "<p>text</p>" + table)
    assert body.count('role="region" tabindex="0"') == 2
    assert '<caption id="table-1">Derivation</caption>' in body
    assert '<caption id="table-2">Derivation (2)</caption>' in body
    assert 'aria-labelledby="table-2"' in body


def page() -> str:
    fig, alt = charts.bar_chart(
        pd.Series([3.0, 5.0], index=["Q1", "Q2"]), title="Plans", y_label="Plans", unit="count"
    )
    body = "<h1>Report</h1>" + render_chart(fig, alt=alt, caption="Plans by quarter")
    body += render_table(pd.DataFrame({"Measure": ["Plans"], "Value": [3]}), "Scorecard")
    return reader_page(body)


def test_pdf_is_tagged_pdf_ua_and_reproducible(tmp_path: Path) -> None:
    html = page()
    write_pdf(html, tmp_path / "a.pdf")
    write_pdf(html, tmp_path / "b.pdf")
    problems, tags = pdfua_problems(tmp_path / "a.pdf")
    assert problems == []
    assert tags["/Figure"] == 1 and tags["/Table"] == 1 and tags["/TH"] == 3
    digest = [hashlib.sha256((tmp_path / n).read_bytes()).hexdigest() for n in ("a.pdf", "b.pdf")]
    assert digest[0] == digest[1]


def long_table_page() -> str:
    """A page whose 70-row table runs over two page breaks, then a short table."""
    rows = pd.DataFrame(
        {
            "Area": [f"Area {i}" for i in range(70)],
            "Plans": list(range(70)),
            "Within 20 weeks": [f"{i % 100}%" for i in range(70)],
        }
    )
    short = pd.DataFrame({"Measure": list("ABCDEF"), "Value": [1, 2, 3, 4, 5, 6]})
    body = "<h1>Report</h1>" + "<p>Introduction.</p>" * 8
    body += render_table(rows, "Plans by area & <school>", css_class="compact")
    body += "<p>Between the tables.</p>" * 20 + render_table(short, "Short table")
    return reader_page(body)


def test_long_tables_may_break_and_short_ones_stay_whole() -> None:
    body = label_tables(long_table_page())
    assert body.count('class="table-region table-long"') == 1
    assert body.count('class="table-region"') == 1
    assert 'data-continued="Plans by area &amp; &lt;school&gt; (continued)"' in body
    empty = label_tables(render_table(pd.DataFrame({"Measure": []}), "No rows"))
    assert "data-continued" not in empty  # no last row would clear the running head


def test_split_table_repeats_header_and_caption_without_tagging_them_twice(
    tmp_path: Path,
) -> None:
    from pypdf import PdfReader

    target = tmp_path / "long.pdf"
    write_pdf(long_table_page(), target)
    pages = [page.extract_text() for page in PdfReader(str(target)).pages]
    caption = "Plans by area & <school>"
    first = next(i for i, text in enumerate(pages) if "Area 0\n" in text or "Area 0 " in text)
    assert caption in pages[first] and f"{caption} (continued)" not in pages[first]
    for page in pages[first + 1 : first + 3]:  # the two continuation pages
        assert f"{caption} (continued)" in page.replace("\n", " ")
        assert "Area Plans Within 20 weeks" in page
    after = next(i for i, text in enumerate(pages) if "Area 69" in text)
    assert not any("(continued)" in text for text in pages[after + 1 :])
    short = next(i for i, text in enumerate(pages) if "Short table" in text)
    assert "F 6" in pages[short]  # a short table is not split from its caption

    assert pdfua_problems(target)[0] == []
    runs = [run for page in tagged_text(target) for run in page]
    captions = [text for where, text in runs if where and "/Caption" in where]
    assert captions.count(caption) == 1 and "Short table" in captions
    assert not [text for where, text in runs if where and "continued" in text]
    continuation = tagged_text(target)[first + 1]
    header = [where for where, text in continuation if text == "Within 20 weeks"]
    assert header and all("/THead" in where for where in header)
