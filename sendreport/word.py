"""Reader edition → Word (``.docx``) for committee papers.

Committee-management systems take Word documents. pandoc (shipped inside the
``pypandoc-binary`` wheel; run with ``--sandbox``, so it reads and fetches nothing but the
HTML it is given) turns the reader HTML into Word with real heading styles, Word tables
whose header rows repeat, and the charts as pictures carrying their alt text. python-docx
then adds what a paper needs around that: the running title (and the demo marking) in the
page header, page numbers in the footer, and the document properties. The package is
re-zipped with fixed timestamps, so the same inputs give the same bytes.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from datetime import datetime
from pathlib import Path

# Word stores times to the second; any fixed instant will do for reproducibility.
FIXED_TIME = datetime(2000, 1, 1)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# Page furniture that makes sense on screen but not in a Word paper.
_SCREEN_ONLY = (
    re.compile(r'<a class="skip-link"[^>]*>.*?</a>', re.S),
    re.compile(r"<title>.*?</title>", re.S),
    re.compile(r"<style>.*?</style>", re.S),
    # pandoc reads only the inside of <main> when there is one: unwrapped, the Word edition
    # keeps the demo banner, the masthead (LA, period, data as at) and the colophon too.
    re.compile(r"<main\b[^>]*>|</main>"),
    # A chart's phone-width picture: pandoc takes the <img> and ignores <source>, but would
    # still parse its base64 PNG (a fifth of pandoc's time on a report with charts).
    re.compile(r"<source\b[^>]*>"),
)


def strip_screen_furniture(page_html: str) -> str:
    """The reader page without its skip link, ``<title>``, styles and the charts'
    phone-width pictures.

    The document title goes into the Word properties instead of a duplicate title
    paragraph above the report's own heading."""
    for pattern in _SCREEN_ONLY:
        page_html = pattern.sub("", page_html)
    return page_html


def convert_html_to_docx(page_html: str) -> bytes:
    """pandoc's HTML → docx conversion, sandboxed (no file or network access)."""
    import tempfile

    import pypandoc

    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "out.docx"
        env_epoch = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = "0"
        try:
            pypandoc.convert_text(
                page_html,
                "docx",
                format="html",
                outputfile=str(target),
                extra_args=["--sandbox"],
            )
        finally:
            if env_epoch is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = env_epoch
        return target.read_bytes()


def _add_page_number(paragraph) -> None:  # type: ignore[no-untyped-def]
    """A ``PAGE`` field: Word fills in the number on every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def add_page_furniture(document, *, running: str, marking: str | None) -> None:  # type: ignore[no-untyped-def]
    """Running title (and the demo marking) in the header; page numbers in the footer."""
    for section in document.sections:
        header = section.header.paragraphs[0]
        header.text = f"{marking} · {running}" if marking else running
        footer = section.footer.paragraphs[0]
        footer.text = "Page "
        _add_page_number(footer)


def set_properties(document, *, title: str, author: str, language: str) -> None:  # type: ignore[no-untyped-def]
    props = document.core_properties
    props.title = title
    props.author = author
    props.language = language
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    props.revision = 1
    props.last_modified_by = "sendreport"


def rezip_deterministically(data: bytes) -> bytes:
    """The same package with every member stamped at one fixed time, in a fixed order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = source.namelist()
        # [Content_Types].xml first, as Word expects; the rest in their original order.
        for name in sorted(names, key=lambda n: n != "[Content_Types].xml"):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name))
    return out.getvalue()


def write_docx(
    page_html: str,
    target: Path,
    *,
    title: str,
    author: str,
    running: str,
    marking: str | None = None,
    language: str = "en-GB",
) -> None:
    """Write the Word edition of one reader page to ``target``."""
    import docx

    converted = convert_html_to_docx(strip_screen_furniture(page_html))
    document = docx.Document(io.BytesIO(converted))
    add_page_furniture(document, running=running, marking=marking)
    set_properties(document, title=title, author=author, language=language)
    buffer = io.BytesIO()
    document.save(buffer)
    target.write_bytes(rezip_deterministically(buffer.getvalue()))
