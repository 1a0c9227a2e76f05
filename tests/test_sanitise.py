"""Data is text: the escaping, sanitising and fetching rules, one function at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from sendreport.fragments import render_table
from sendreport.present import _html
from sendreport.sanitise import (
    CONTENT_SECURITY_POLICY,
    FetchRefused,
    check_fetch,
    clean_html,
    escape_markdown,
    markdown_to_html,
    printable,
)

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=http://127.0.0.1:9/></iframe>",
    "<style>*{background:url(http://127.0.0.1:9/)}</style>",
    "<img src=file:///etc/passwd>",
    "[link](http://127.0.0.1:9/) ![img](file:///etc/passwd)",
    "<link rel=attachment href=file:///etc/passwd>",
    "# heading\n\n- list *emphasis* `code` <b>bold</b> &lt;",
    "1. numbered\n> quote\n---",
]


def tags_of(fragment: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """The elements of ``fragment`` with their attributes, as a browser would parse them."""
    from html.parser import HTMLParser

    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class _Parser(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, attrs))

    _Parser().feed(fragment)
    return found


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_data_renders_as_exactly_its_text(text: str) -> None:
    rendered = markdown_to_html(f"Before {escape_markdown(text)} after")
    assert tags_of(rendered) == [("p", [])], rendered
    import html

    one_line = " ".join(text.split())
    plain = html.unescape(rendered.removeprefix("<p>").strip().removesuffix("</p>"))
    assert " ".join(plain.split()) == f"Before {one_line} after"


@pytest.mark.parametrize("text", HOSTILE)
def test_unescaped_markdown_still_cannot_run_or_fetch(text: str) -> None:
    rendered = markdown_to_html(text)
    for tag, attrs in tags_of(rendered):
        assert tag not in ("script", "iframe", "img", "style", "link", "a"), rendered
        assert attrs == [], rendered


def test_report_markdown_keeps_its_own_formatting() -> None:
    rendered = markdown_to_html("## Title\n\n- **bold** item\n- *em* item")
    assert "<h2>Title</h2>" in rendered and "<strong>bold</strong>" in rendered
    assert "<em>em</em>" in rendered


def test_clean_html_keeps_report_structure_and_drops_the_rest() -> None:
    chart = "data:image/png;base64,iVBORw0KGgo="
    fragment = (
        '<section aria-labelledby="x"><h2 id="x">T</h2><table class="data"><caption>C</caption>'
        '<tr><th scope="row">a</th><td class="num" colspan="2">1</td></tr></table>'
        f'<figure class="chart"><img src="{chart}" alt="A chart"></figure>'
        '<a href="#main">skip</a><a href="https://www.gov.uk/">gov</a></section>'
    )
    cleaned = clean_html(fragment)
    for kept in ('scope="row"', 'colspan="2"', f'src="{chart}"', 'href="#main"', "gov.uk"):
        assert kept in cleaned
    hostile = (
        '<div onclick="x" style="background:url(http://h/)"><script>x</script>'
        '<a href="javascript:alert(1)">j</a><a href="data:text/html,x">d</a>'
        '<img src="file:///etc/passwd"><img src="http://127.0.0.1/x.png"><iframe></iframe>'
        "<object data=x></object><form action=http://h><input></form><svg onload=x></svg></div>"
    )
    cleaned = clean_html(hostile)
    for gone in ("onclick", "style", "script", "javascript", "data:text", "file:", "127.0.0.1"):
        assert gone not in cleaned, cleaned
    for tag in ("iframe", "object", "form", "input", "svg"):
        assert f"<{tag}" not in cleaned


def test_every_displayed_fragment_and_table_cell_is_sanitised() -> None:
    assert "<script" not in _html("<p>ok</p><script>alert(1)</script>")._repr_html_()
    import pandas as pd

    table = render_table(pd.DataFrame({"Action": ["<script>alert(1)</script>"]}), "<b>c</b>")
    assert "<script" not in table and "&lt;script&gt;" in table and "<b>" not in table


def test_csp_forbids_scripts_and_requests() -> None:
    assert "default-src 'none'" in CONTENT_SECURITY_POLICY
    assert "img-src data:" in CONTENT_SECURITY_POLICY
    assert "script-src" not in CONTENT_SECURITY_POLICY  # so default-src 'none' applies


def test_pdf_fetches_only_data_uris_and_package_assets(tmp_path: Path) -> None:
    assets = tmp_path / "templates"
    assets.mkdir()
    check_fetch("data:image/png;base64,AAAA", (assets,))
    check_fetch((assets / "report.css").as_uri(), (assets,))
    for url in (
        "file:///etc/passwd",
        (assets / ".." / "secret").as_uri(),
        "http://127.0.0.1:9/x.png",
        "https://example.org/font.woff",
        "ftp://example.org/x",
        "file://otherhost/etc/passwd",
    ):
        with pytest.raises(FetchRefused):
            check_fetch(url, (assets,))


def test_pdf_renderer_embeds_no_local_file_and_fetches_nothing(tmp_path: Path) -> None:
    from pypdf import PdfReader

    from sendreport.render import write_pdf

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    page = (
        f'<html><body><p>Hello</p><link rel="attachment" href="{secret.as_uri()}">'
        f'<a rel="attachment" href="{secret.as_uri()}">a</a><img src="{secret.as_uri()}">'
        '<img src="http://127.0.0.1:9/x.png"></body></html>'
    )
    target = tmp_path / "out.pdf"
    write_pdf(page, target, base_url=tmp_path)
    reader = PdfReader(target)
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    assert b"TOP SECRET" not in target.read_bytes()


def test_printable_shows_control_characters_as_escapes() -> None:
    text = "ok\x1b[2J\x1b]0;title\x07\r\u202eevil\x00"
    shown = printable(text)
    assert "\x1b" not in shown and "\x07" not in shown and "\r" not in shown
    assert "\u202e" not in shown and "\\x1b[2J" in shown
    assert printable("a\nb\tc", keep_lines=True) == "a\nb\tc"
    assert printable("a\nb") == "a\\nb"
    assert printable("x" * 50, limit=10) == "x" * 9 + "…"


def test_progress_lines_and_warnings_never_carry_control_characters() -> None:
    import io

    from sendreport.progress import Progress

    stream = io.StringIO()
    progress = Progress(stream=stream)
    progress.warn("unknown column 'x\x1b[31m'\n  second line")
    progress.say("loading \x07 data")
    text = stream.getvalue()
    assert "\x1b" not in text and "\x07" not in text
    assert "\\x1b[31m" in text and "\n  second line" in text


@pytest.mark.parametrize(
    "name",
    [
        '</style><script>alert(1)</script>"; } body { display: none } x { content: "',
        "Line\nbreak \\ back & <b>",
    ],
)
def test_running_header_keeps_a_hostile_name_as_text(name: str) -> None:
    """The council name in the PDF's running header (a CSS string in the page's <style>)
    cannot close the string or the <style> element, and the PDF shows it as typed."""
    from html.parser import HTMLParser

    from sendreport.render import render_page

    page = render_page(
        "<p>x</p>", edition="reader", title="T", la_name=name, period_text="P", data_as_at="D"
    )
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "<" not in style.split("@page", 1)[1] and '"; }' not in style

    starts: list[str] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag: str, attrs: object) -> None:
            starts.append(tag)

    Tags().feed(page)
    assert "script" not in starts


def test_running_header_reads_as_typed(tmp_path: Path) -> None:
    import pypdf

    from sendreport.render import render_page, write_pdf

    name = 'A "quoted" <Borough> & Co \\ Council'
    page = render_page(
        "<p>x</p>", edition="reader", title="T", la_name=name, period_text="P", data_as_at="D"
    )
    write_pdf(page, tmp_path / "x.pdf")
    text = pypdf.PdfReader(tmp_path / "x.pdf").pages[0].extract_text()
    assert f"{name} · P" in text
