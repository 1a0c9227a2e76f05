"""Page shell: tables in labelled scroll regions with unique captions; a tagged PDF/UA-1."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from sendreport import charts
from sendreport.present import render_chart, render_table
from sendreport.render import label_tables, render_page, write_pdf
from tests.a11y.pdfua import pdfua_problems


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
    return render_page(
        body,
        edition="reader",
        title="SEND report",
        la_name="Herefordshire",
        period_text="January to March 2024",
        data_as_at="31 March 2024",
    )


def test_pdf_is_tagged_pdf_ua_and_reproducible(tmp_path: Path) -> None:
    html = page()
    write_pdf(html, tmp_path / "a.pdf")
    write_pdf(html, tmp_path / "b.pdf")
    problems, tags = pdfua_problems(tmp_path / "a.pdf")
    assert problems == []
    assert tags["/Figure"] == 1 and tags["/Table"] == 1 and tags["/TH"] == 3
    digest = [hashlib.sha256((tmp_path / n).read_bytes()).hexdigest() for n in ("a.pdf", "b.pdf")]
    assert digest[0] == digest[1]
