"""The built reports as a reader, a screen-reader user and an auditor meet them.

Every report (newsletter, performance, timeliness) is checked in both editions of one demo
build for Hertfordshire (919): the files exist; the HTML is accessible (language, one h1,
headings in order, captioned tables with header cells, real alt text, nothing fetched from
another host); every number a reader sees is a recorded figure; the PDF has the expected
sections and headline figure. A Herefordshire (884) build checks the reports are not tied
to one council.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.e2e.conftest import DemoBuild

REPORTS = ("newsletter", "performance", "timeliness")
EDITIONS = ("reader", "audit")
QUARTER = "2023-24-Q4"

# Sections each report's PDF must contain (checked on whitespace-normalised text).
SECTIONS = {
    "newsletter": ("This quarter at a glance", "How these figures are worked out"),
    "performance": (
        "Summary of the quarter",
        "Scorecard",
        "Comparison with England and similar areas",
        "Exceptions: measures rated red",
        "Families First",
        "Workforce",
        "Methodology",
    ),
    "timeliness": (
        "Decisions whether to assess within 6 weeks",
        "By calendar year, compared with England",
        "The backlog of requests open past 20 weeks",
        "Why clearing old cases lowers the 20-week figure",
        "Refusals and appeals",
    ),
}

pytestmark = [pytest.mark.xdist_group("e2e"), pytest.mark.slow]


# --- helpers --------------------------------------------------------------------------------
def html_path(build: DemoBuild, report: str, edition: str) -> Path:
    return build.folder / (f"{report}.html" if edition == "reader" else f"audit/{report}.html")


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def accessibility_problems(soup: BeautifulSoup) -> list[str]:
    """What a screen-reader user or an offline reader would trip over."""
    problems = []
    if soup.html is None or soup.html.get("lang") != "en-GB":
        problems.append('html lang is not "en-GB"')
    h1s = soup.find_all("h1")
    if len(h1s) != 1:
        problems.append(f"{len(h1s)} h1 elements, want exactly 1")
    levels = [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
    for before, after in itertools.pairwise(levels):
        if after > before + 1:
            problems.append(f"heading level skips from h{before} to h{after}")
    for i, table in enumerate(soup.find_all("table")):
        caption = table.find("caption")
        if caption is None or not caption.get_text(strip=True):
            problems.append(f"table {i} has no caption")
        if not table.find("th"):
            problems.append(f"table {i} has no header cells")
    for i, img in enumerate(soup.find_all("img")):
        alt = (img.get("alt") or "").strip()
        if not alt or alt.lower() in {"image", "chart", "figure", "graph"}:
            problems.append(f"img {i} has no meaningful alt text ({alt!r})")
        if not str(img.get("src", "")).startswith("data:"):
            problems.append(f"img {i} is not inline: {str(img.get('src'))[:60]}")
    # A link a reader may follow (the council's Local Offer) is not a fetch; sources are.
    for tag in soup.find_all(src=True) + soup.find_all(
        lambda t: t.has_attr("href") and t.name != "a"
    ):
        ref = str(tag.get("src") or tag.get("href"))
        if re.match(r"^(https?:)?//", ref):
            problems.append(f"<{tag.name}> refers to another host: {ref[:80]}")
    for style in soup.find_all("style"):
        if re.search(r"url\(\s*['\"]?(https?:)?//", style.get_text()):
            problems.append("CSS fetches a resource from another host")
    return problems


MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
# Text that carries numbers but no figure: dates, period codes, years, and statutory or
# definitional durations ("20 weeks", "6-week", "20 to 30 weeks", "12 months"). Only whole
# numbers count as durations, so a figure such as "22.9 weeks" is still checked.
NOT_FIGURES = (
    re.compile(rf"\b\d{{1,2}}\s+(?:{MONTHS})(?:\s+\d{{4}})?\b"),
    re.compile(rf"\b(?:{MONTHS})\s*[–-]?\s*(?:\d{{4}})?\b"),
    re.compile(r"\b\d{4}-\d{2}(?:-Q[1-4])?\b"),
    re.compile(r"\b(?:19|20)\d{2}\b"),
    re.compile(
        r"(?<![\d.,])\d{1,3}(?:\s*(?:to|–|-|and)\s*\d{1,3})?(?:-|\s+)(?:working\s+)?"
        r"(?:weeks?|days?|months?)\b"
    ),
    re.compile(r"^\s*\d+\.\s", re.M),  # numbered headings ("2. Better quality plans")
    re.compile(r"\b[Aa]ction\s+\d+(?:\.\d+)*"),  # improvement plan action ids ("Action 2.4")
    re.compile(r"\b[Qq]uarter\s+[1-4]\b"),  # "quarter 4 of the financial year"
    re.compile(r"\b(?:fewer than|counts of)\s+\d+(?:\s+to\s+\d+)?"),  # the small-number rule
)
NUMBER = re.compile(r"(?<![\w.])[+−-]?(\d[\d,]*(?:\.\d+)?)%?")


def reader_text(soup: BeautifulSoup) -> str:
    """Visible text of the report body, without definitions or the service's quoted words.

    Methodology notes (class ``methodology``) print the metric definitions (thresholds, not
    figures); ``quoted`` and ``plan-updates`` blocks reproduce the improvement-plan tracker's
    own words (``ReportContext.quote_updates``), which are data, not computed figures;
    ``chart-data`` tables repeat the points a chart draws (they are in tables.xlsx, not
    figures.json); ``commentary`` is the officers' own words (sendreport.commentary).
    """
    main = soup.find("main") or soup
    for tag in main.find_all(["script", "style", "img"]):
        tag.decompose()
    for tag in main.select(".methodology, .quoted, .plan-updates, .chart-data, .commentary"):
        tag.decompose()
    lines = []
    for block in main.find_all(
        ["h1", "h2", "h3", "h4", "p", "li", "th", "td", "caption", "figcaption", "dt", "dd"]
    ):
        if block.find(["p", "li", "table", "dl"]):
            continue  # only leaf blocks, so no text is read twice
        lines.append(block.get_text(" ", strip=True))
    return "\n".join(lines)


def figure_numbers(figures: list[dict], report: str) -> list[float]:
    """Every number a report recorded: in its display strings and its value, numerator and
    denominator."""
    out: list[float] = []
    for f in figures:
        if f["report"] != report:
            continue
        out.extend(float(m.group(1).replace(",", "")) for m in NUMBER.finditer(f["display"]))
        out.extend(
            float(f[k]) for k in ("value", "numerator", "denominator") if f.get(k) is not None
        )
    return out


def unrecorded_numbers(text: str, recorded: list[float]) -> list[str]:
    for pattern in NOT_FIGURES:
        text = pattern.sub(" ", text)
    missing = []
    for m in NUMBER.finditer(text):
        token = m.group(1)
        value = float(token.replace(",", ""))
        decimals = len(token.split(".")[1]) if "." in token else 0
        if not any(round(abs(r), decimals) == value for r in recorded):
            missing.append(m.group(0))
    return missing


def headline_display(build: DemoBuild, report: str) -> str:
    hits = [
        f["display"]
        for f in build.figures
        if f["report"] == report and f["id"] == "ehcp_plans_issued" and f["period"] == QUARTER
    ]
    assert hits, f"{report} records no plans-issued figure for {QUARTER}"
    return hits[0]


def pdf_text(path: Path) -> tuple[int, str]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return len(reader.pages), re.sub(r"\s+", " ", text)


# --- Hertfordshire (919) ----------------------------------------------------------------------
@pytest.mark.parametrize("report", REPORTS)
def test_every_edition_is_built(demo_build: DemoBuild, report: str) -> None:
    for path in (
        demo_build.folder / f"{report}.html",
        demo_build.folder / f"{report}.pdf",
        demo_build.folder / "audit" / f"{report}.html",
        demo_build.folder / "audit" / f"{report}.ipynb",
    ):
        assert path.is_file() and path.stat().st_size > 0, f"missing {path}"


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("report", REPORTS)
def test_html_is_accessible(demo_build: DemoBuild, report: str, edition: str) -> None:
    soup = soup_of(html_path(demo_build, report, edition))
    assert accessibility_problems(soup) == []
    captions = [c.get_text(" ", strip=True) for c in soup.find_all("caption")]
    assert len(captions) == len(set(captions)), "two tables share a caption"
    for table in soup.find_all("table"):  # a wide table scrolls in its own labelled region
        region = table.parent
        assert region.get("role") == "region" and region.get("tabindex") == "0"
        assert region.get("aria-labelledby") == table.caption.get("id")
    for figure in soup.select("figure.chart"):  # every chart's data as a table beside it
        details = figure.find_next_sibling()
        assert details is not None and "chart-data" in details.get("class", [])
        assert details.find("table").find("th", scope="col")


@pytest.mark.parametrize("report", REPORTS)
def test_pdf_is_tagged_pdf_ua(demo_build: DemoBuild, report: str) -> None:
    from tests.a11y.pdfua import pdfua_problems

    problems, tags = pdfua_problems(demo_build.folder / f"{report}.pdf")
    assert problems == []
    assert tags["/H1"] == 1
    figures = len(soup_of(html_path(demo_build, report, "reader")).select("figure.chart img"))
    assert tags["/Figure"] == figures
    if tags["/Table"]:
        assert tags["/TH"] and tags["/TD"] and tags["/TR"]


@pytest.mark.parametrize("report", REPORTS)
def test_a_page_says_continued_exactly_when_a_table_continues_on_it(
    demo_build: DemoBuild, report: str
) -> None:
    """A page that begins inside a table (its first tagged text is the repeated header row)
    names the table in its running head, "… (continued)"; no other page does; and the
    continued caption is never tagged, so a screen reader meets each caption once."""
    from tests.a11y.pdfua import tagged_text

    for number, runs in enumerate(tagged_text(demo_build.folder / f"{report}.pdf"), 1):
        tagged = [where for where, _ in runs if where]
        untagged = " ".join(text for where, text in runs if not where)
        continues = bool(tagged) and "/THead" in tagged[0]
        assert continues == ("(continued)" in untagged), f"{report}.pdf page {number}"
        assert not [text for where, text in runs if where and "(continued)" in text]


@pytest.mark.parametrize("report", REPORTS)
def test_reader_edition_hides_code_and_derivations(demo_build: DemoBuild, report: str) -> None:
    reader = html_path(demo_build, report, "reader").read_text(encoding="utf-8")
    audit = html_path(demo_build, report, "audit").read_text(encoding="utf-8")
    # Code is syntax-highlighted in the audit edition, so look at its text, not its markup.
    assert "open_report" not in reader
    assert "open_report(" in soup_of(html_path(demo_build, report, "audit")).get_text()
    assert "Derivation of the figures above" in audit
    assert "Derivation of the figures above" not in reader
    assert "dataframe" not in reader  # no raw pandas HTML (DataFrame._repr_html_)


@pytest.mark.parametrize("report", REPORTS)
def test_every_number_a_reader_sees_is_a_recorded_figure(
    demo_build: DemoBuild, report: str
) -> None:
    text = reader_text(soup_of(html_path(demo_build, report, "reader")))
    recorded = figure_numbers(demo_build.figures, report)
    assert recorded, f"{report} recorded no figures"
    assert unrecorded_numbers(text, recorded) == []


@pytest.mark.parametrize("report", REPORTS)
def test_pdf_has_sections_and_headline_figure(demo_build: DemoBuild, report: str) -> None:
    pages, text = pdf_text(demo_build.folder / f"{report}.pdf")
    assert pages > 0
    for heading in SECTIONS[report]:
        assert heading in text, f"{report}.pdf lacks the section {heading!r}"
    assert headline_display(demo_build, report) in text


def test_scorecard_ratings_are_words_not_colour_alone(demo_build: DemoBuild) -> None:
    soup = soup_of(html_path(demo_build, "performance", "reader"))
    ratings = soup.select("span.rag")
    assert ratings, "the scorecard shows no ratings"
    for span in ratings:
        assert span.get_text(strip=True) in {"Green", "Amber", "Red", "No rating"}
        if span.get_text(strip=True) != "No rating":
            assert f"rag-{span.get_text(strip=True).lower()}" in span["class"]


def test_every_red_measure_has_an_exception_commentary(demo_build: DemoBuild) -> None:
    soup = soup_of(html_path(demo_build, "performance", "reader"))
    red_rows = [
        span.find_parent("tr").find("th").get_text(strip=True)
        for span in soup.select("span.rag-red")
    ]
    section = soup.find("h2", string=re.compile("Exceptions"))
    assert section is not None
    commentary = [h.get_text(strip=True) for h in section.find_all_next("h3")]
    for title in red_rows:
        assert title in commentary, f"red measure {title!r} has no exception commentary"


def test_benchmarks_state_their_period_and_basis(demo_build: DemoBuild) -> None:
    text = soup_of(html_path(demo_build, "performance", "reader")).get_text(" ", strip=True)
    assert "calendar year 2023, DfE" in text
    assert "January–March 2024, local" in text


# --- Herefordshire (884) ------------------------------------------------------------------
@pytest.mark.parametrize("report", REPORTS)
def test_herefordshire_reports_render(herefordshire_build: DemoBuild, report: str) -> None:
    folder = herefordshire_build.folder
    assert (folder / f"{report}.pdf").stat().st_size > 0
    assert (folder / "audit" / f"{report}.html").is_file()
    soup = soup_of(folder / f"{report}.html")
    assert accessibility_problems(soup) == []
    assert "Herefordshire" in soup.get_text(" ", strip=True)
    pages, _ = pdf_text(folder / f"{report}.pdf")
    assert pages > 0
