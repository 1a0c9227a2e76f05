"""Executed notebook → self-contained HTML (reader and audit editions) → PDF.

Both editions come from the same executed notebook. The *reader* edition hides all code,
stream output and outputs tagged ``audit-only``; the *audit* edition shows the code and
the derivation tables, and ends with the figure register and the validation summary.

nbconvert's ``basic`` template gives the body only (no scripts fetched from other hosts);
this module wraps it in an accessible page: ``lang="en-GB"``, skip link, one ``h1`` from
the notebook, print CSS for A4 with running title, period and page numbers.
"""

from __future__ import annotations

import functools
import hashlib
import html
import itertools
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from sendreport import __version__
from sendreport.figures import FIGURE_MIME
from sendreport.fragments import AUDIT_ONLY
from sendreport.resources import templates_dir
from sendreport.sanitise import CONTENT_SECURITY_POLICY, clean_html, pdf_url_fetcher
from sendreport.tables import TABLE_MIME

Edition = Literal["reader", "audit"]


@functools.cache
def _exporter(edition: Edition) -> Any:
    """One exporter per edition and process: its Jinja environment keeps the compiled
    templates, which otherwise cost about a second per render."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(template_name="basic")
    exporter.exclude_anchor_links = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    remover = TagRemovePreprocessor(enabled=True)
    if edition == "reader":
        exporter.exclude_input = True
        remover.remove_cell_tags = {AUDIT_ONLY, "parameters", "injected-parameters"}
        remover.remove_single_output_tags = {AUDIT_ONLY}
        exporter.register_preprocessor(_drop_streams, enabled=True)
    else:
        exporter.register_preprocessor(_label_figure_cells, enabled=True)
    exporter.register_preprocessor(remover, enabled=True)
    exporter.register_preprocessor(_drop_figure_records, enabled=True)
    return exporter


PRIVATE_MIME_PREFIX = "application/vnd.sendreport."


def _is_record_only(output: Any) -> bool:
    """An output that only records something for the build (a figure, commentary shown in
    a table, a warning): nothing in it is for display."""
    data = output.get("data", {})
    return bool({FIGURE_MIME, TABLE_MIME} & data.keys()) or (
        bool(data) and all(k.startswith(PRIVATE_MIME_PREFIX) for k in data)
    )


def _drop_figure_records(nb: Any, resources: dict) -> tuple[Any, dict]:
    """Figure, table, commentary and warning records are for the build (figures.json, the
    spreadsheet, commentary.json, the analyst's warnings), not for display."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not _is_record_only(o)]
    return nb, resources


def _label_figure_cells(nb: Any, resources: dict) -> tuple[Any, dict]:
    """Audit edition: under each cell that states figures, its number as the figure register
    and figures.json name it ("Cell 7 (glance)") and the ids it recorded, so a reviewer walks
    from a register row to the code."""
    from nbformat.v4 import new_output

    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        ids: list[str] = []
        for output in cell.outputs:
            payload = output.get("data", {}).get(FIGURE_MIME)
            records = payload if isinstance(payload, list) else [payload] if payload else []
            ids += [str(r.get("id")) for r in records if isinstance(r, dict)]
        if not ids:
            continue
        names = ", ".join(f"<code>{html.escape(i)}</code>" for i in dict.fromkeys(ids))
        text = (
            f'<p class="cell-ref">Cell {index} ({html.escape(str(cell.get("id") or "-"))}) '
            f"states: {names}</p>"
        )
        cell.outputs.insert(0, new_output("display_data", data={"text/html": text}))
    return nb, resources


def _drop_streams(nb: Any, resources: dict) -> tuple[Any, dict]:
    """Readers never see warnings or prints; the audit edition keeps them."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if o.get("output_type") != "stream"]
    return nb, resources


def render_body(nb: Any, edition: Edition) -> str:
    import copy

    body, _ = _exporter(edition).from_notebook_node(copy.deepcopy(nb))
    return body


def _highlight_css() -> str:
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(style="default").get_style_defs(".highlight")


_DEMO_BANNER = (
    '<p class="demo-banner" role="note"><strong>Demo data.</strong> Every figure in this '
    "report was made up by <code>sendreport demo-data</code>; none is the council's.</p>"
)


def _page_css(edition: Edition) -> str:
    """The page's style sheet: the report's CSS, with code highlighting in the audit edition."""
    css = (templates_dir() / "report.css").read_text(encoding="utf-8")
    if edition == "audit":
        css += "\n" + _highlight_css()
    return css


def _page_head(
    *, title: str, la_name: str, period_text: str, edition_label: str, css: str, running: str
) -> str:
    """The page's ``<head>``: policy, title, description and style with its running header."""
    esc = html.escape
    return f"""<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} – {esc(la_name)}, {esc(period_text)}</title>
<meta name="author" content="{esc(la_name, quote=True)}">
<meta name="description" content="{esc(title, quote=True)} for {esc(la_name, quote=True)}, {esc(period_text, quote=True)}. {edition_label}.">
<meta name="generator" content="sendreport {__version__}">
<style>
{css}
@page {{ @top-right {{ content: "{running}"; font-size: 8.5pt; color: #4b4f54; }} }}
</style>
</head>"""


def render_page(
    body: str,
    *,
    edition: Edition,
    title: str,
    la_name: str,
    period_text: str,
    data_as_at: str,
    appendix: Sequence[str] = (),
    demo: bool = False,
) -> str:
    """Wrap an nbconvert body in the sendreport page shell.

    ``demo`` marks every page as demo data: a banner atop the HTML and the PDF's running
    header, so made-up figures can never pass for a council's."""
    running = _css_string(f"{'DEMO DATA · ' if demo else ''}{la_name} · {period_text}")
    edition_label = "Reader edition" if edition == "reader" else "Audit edition (code shown)"
    head = _page_head(
        title=title,
        la_name=la_name,
        period_text=period_text,
        edition_label=edition_label,
        css=_page_css(edition),
        running=running,
    )
    esc = html.escape
    return f"""<!DOCTYPE html>
<html lang="en-GB">
{head}
<body class="edition-{edition}">
<a class="skip-link" href="#main">Skip to main content</a>
<header class="masthead">
{_DEMO_BANNER if demo else ""}
<p class="org">{esc(la_name)}</p>
<p>{esc(period_text)} · {edition_label} · Data as at {esc(data_as_at)}</p>
</header>
<main id="main">
{label_tables(clean_html(body) + "".join(clean_html(part) for part in appendix))}
</main>
<footer class="colophon">
<p>Produced with sendreport {__version__} from validated data. Every figure is listed in
figures.json with the notebook cell that produced it; manifest.json records the inputs,
their checksums and the code version.</p>
</footer>
</body>
</html>
"""


_TABLE = re.compile(
    r"<table\b(?P<attrs>[^>]*)>\s*<caption>(?P<caption>.*?)</caption>(?P<rest>.*?)</table>", re.S
)


def _plain_text(fragment: str) -> str:
    """The text of an HTML fragment: tags dropped, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]*>", " ", fragment))).strip()


# A table of up to about this many lines of text (a third of an A4 page) is kept whole in
# the PDF; a longer one may run over a page break. WeasyPrint handles a table that must not
# break but is taller than a page badly: it leaves its caption alone on an empty page. So
# the estimate errs long: a table wrongly thought long merely may break between rows.
KEEP_WHOLE_LINES = 20
_LINE_CHARS = 90  # characters of table text across a line of an A4 page


def _estimated_lines(table_html: str) -> int:
    """Lines of text a table takes, each column given an equal share of the line."""
    total = 0
    for row in re.findall(r"<tr\b.*?</tr>", table_html, re.S):
        cells = [_plain_text(cell) for cell in re.findall(r"<t[hd]\b.*?</t[hd]>", row, re.S)]
        width = max(1, _LINE_CHARS // max(1, len(cells)))
        total += max([1] + [-(-len(cell) // width) for cell in cells])
    return total


def _region_class(table_html: str) -> str:
    """``table-region``, plus ``table-long`` when the table may run over a page break."""
    long = _estimated_lines(table_html) > KEEP_WHOLE_LINES
    return "table-region table-long" if long else "table-region"


def _continued_attr(caption: str, table_html: str) -> str:
    """``data-continued``, the running head's name for the table on the pages it continues
    on; none for a table without body rows, whose last row could not clear it."""
    body_rows = re.search(r"<tr\b", re.sub(r"<thead\b.*?</thead>", "", table_html, flags=re.S))
    if not body_rows:
        return ""
    return f' data-continued="{html.escape(f"{_plain_text(caption)} (continued)", quote=True)}"'


def label_tables(body: str) -> str:
    """Wrap every captioned table in a focusable scroll region labelled by its caption.

    At 320 px a wide table scrolls inside its own region instead of pushing the page
    sideways (WCAG 1.4.10); keyboard users can focus the region to scroll it. A caption that
    repeats an earlier one gets a number, so every region's name is unique. In print, a
    short table stays whole with its caption; a long one may break between rows, repeats its
    header row on each page and names itself atop each continuation page (``data-continued``
    feeds the running head: see report.css).
    """
    seen: dict[str, int] = {}
    count = itertools.count(1)

    def wrap(match: re.Match[str]) -> str:
        n = next(count)
        caption = match["caption"]
        key = re.sub(r"\s+", " ", caption).strip().lower()
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            caption = f"{caption} ({seen[key]})"
        return (
            f'<div class="{_region_class(match["rest"])}" role="region" tabindex="0" '
            f'aria-labelledby="table-{n}">'
            f"<table{match['attrs']}{_continued_attr(caption, match['rest'])}>"
            f'<caption id="table-{n}">{caption}</caption>'
            f"{match['rest']}</table></div>"
        )

    return _TABLE.sub(wrap, body)


def _css_string(text: str) -> str:
    """``text`` inside a CSS "string" in a <style> element: quotes, backslashes, < > & and
    control characters become CSS hex escapes, so a council name can neither end the string
    nor the <style> element (``</style><script>``), and still reads exactly as typed."""
    return "".join(
        f"\\{ord(ch):x} " if ch in '"\\<>&' or ord(ch) < 0x20 or ord(ch) == 0x7F else ch
        for ch in text
    )


def _register_area(figure: dict[str, Any]) -> str:
    """The area code; for a statistical-neighbour mean, the neighbours it averages."""
    neighbours = (figure.get("extra") or {}).get("neighbours")
    if not neighbours:
        return str(figure["area"])
    return f"{figure['area']}: mean of {', '.join(neighbours)}"


def figure_register_html(figures: Sequence[dict[str, Any]], report: str) -> str:
    """Audit appendix: every published figure of this report and the cell that made it."""
    import pandas as pd

    from sendreport.fragments import render_table

    rows = [
        {
            "Figure id": f["id"],
            "Label": f["label"],
            "Value": f["display"],
            "Period": f"{f['period']} ({f['basis']})",
            "Area": _register_area(f),
            "Role": f.get("role", ""),
            "Numerator": "" if f.get("numerator") is None else f"{f['numerator']:,.0f}",
            "Denominator": "" if f.get("denominator") is None else f"{f['denominator']:,.0f}",
            "Cell": f"{f['cell_index']} ({f.get('cell_id') or '-'})",
            "Source": ", ".join(f["source"]),
        }
        for f in figures
        if f["report"] == report
    ]
    table = render_table(pd.DataFrame(rows), f"Figure register: {len(rows)} figures")
    return (
        '<section class="appendix" aria-labelledby="register">'
        '<h2 id="register">Figure register</h2>'
        "<p>Every number this report states, with the cell of the executed notebook "
        "(audit/&lt;report&gt;.ipynb) that computed it. The same records are in figures.json."
        f"</p>{table}</section>"
    )


def validation_summary_html(summary: dict[str, Any]) -> str:
    import pandas as pd

    from sendreport.fragments import render_table

    rows = []
    for name, info in sorted(summary.get("datasets", {}).items()):
        rows.append(
            {
                "Dataset": name,
                "Rows": f"{info.get('rows', 0):,}",
                "Expectations": info.get("expectations", ""),
                "Passed": info.get("passed", ""),
                "Suite SHA-256": str(info.get("suite_sha256", ""))[:12],
            }
        )
    table = render_table(pd.DataFrame(rows), "Great Expectations validation of the inputs")
    return (
        '<section class="appendix" aria-labelledby="validation">'
        '<h2 id="validation">Validation summary</h2>'
        "<p>The inputs passed every expectation of the data contract before any figure was "
        f"computed.</p>{table}</section>"
    )


def write_pdf(page_html: str, target: Path, *, base_url: Path | None = None) -> None:
    """Tagged PDF/UA-1 with a content-derived identifier: same HTML, same bytes.

    WeasyPrint builds the structure tree from the HTML (headings, lists, tables with
    header cells, images as Figure with their alt text), takes the language from
    ``<html lang>`` and the XMP title from ``<title>``, sets DisplayDocTitle, and keeps the
    running heads and page numbers out of the structure tree.

    fontTools stamps embedded font subsets with the current time unless
    SOURCE_DATE_EPOCH is set, so it is pinned here for byte-identical PDFs.
    """
    import os

    from weasyprint import HTML

    os.environ["SOURCE_DATE_EPOCH"] = "0"

    identifier = hashlib.sha256(page_html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    # Nothing from the network or the disk: data: URIs and the package's templates only.
    HTML(
        string=page_html,
        base_url=str(base_url) if base_url else None,
        url_fetcher=pdf_url_fetcher(),
    ).write_pdf(
        str(target),
        pdf_identifier=identifier,
        uncompressed_pdf=False,
        attachments=[],
        pdf_variant="pdf/ua-1",
    )
