"""HTML fragments every audience shares: numbers as a reader reads them, accessible tables and
charts, methodology blocks and the "data as at" rule.

Neutral ground between the notebook API (:mod:`sendreport.present`, which displays these
fragments from a report's cells) and the page renderer (:mod:`sendreport.render`, which adds
the audit appendices): neither imports the other. Every function returns markup built from
escaped text; nothing here displays, records a figure or reads a file.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from sendreport.contract import DATASETS

AUDIT_ONLY = "audit-only"
"""The output tag of a cell output only the audit edition shows (derivation tables)."""


# ---- numbers --------------------------------------------------------------------------------
def format_value(value: float | None, unit: str, *, note: str | None = None) -> str:
    """A value as a reader sees it: ``42.5%``, ``1,306``, ``18.3 weeks``."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return note or "not available"
    if unit == "%":
        return f"{value:.1f}%"
    if unit == "pp":
        return f"{value:+.1f} percentage points"
    if unit == "weeks":
        return f"{value:.1f} weeks"
    if unit == "ratio":
        return f"{value:.1f}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def number_words(n: int) -> str:
    """A small count as a sentence writes it: "no", "one" … "ten"; larger ones as digits."""
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


@dataclass(frozen=True)
class Markup:
    """A table cell that is already HTML; ``numeric`` right-aligns it."""

    html: str
    numeric: bool = False


def num(text: str, note: str | None = None) -> Markup:
    """A right-aligned number cell, optionally with a small note under it (its basis)."""
    inner = html.escape(text)
    if note:
        inner += f'<br><span class="basis">{html.escape(note)}</span>'
    return Markup(inner, numeric=True)


RAG_WORDS = {"green": "Green", "amber": "Amber", "red": "Red"}


def rag_markup(rating: str | None) -> Markup:
    """A RAG rating as a word with its class (never colour alone): ``rag rag-red``."""
    if rating is None or (isinstance(rating, float) and pd.isna(rating)) or rating is pd.NA:
        return Markup('<span class="rag rag-none">No rating</span>')
    word = RAG_WORDS.get(str(rating), str(rating).capitalize())
    return Markup(f'<span class="rag rag-{html.escape(str(rating))}">{word}</span>')


def render_table(
    df: pd.DataFrame, caption: str, *, row_header: bool = True, css_class: str = "data"
) -> str:
    esc = html.escape
    head = "".join(f'<th scope="col">{esc(str(c))}</th>' for c in df.columns)
    body_rows = []
    for row in df.itertuples(index=False):
        cells = []
        for i, value in enumerate(row):
            if isinstance(value, Markup):  # already HTML (e.g. a RAG label)
                inner, numeric = value.html, value.numeric
            else:
                text = (
                    ""
                    if value is None or (isinstance(value, float) and pd.isna(value))
                    else str(value)
                )
                inner = esc(text)
                numeric = isinstance(value, int | float) and not isinstance(value, bool)
            cls = ' class="num"' if numeric else ""
            if i == 0 and row_header:
                cells.append(f'<th scope="row">{inner}</th>')
            else:
                cells.append(f"<td{cls}>{inner}</td>")
        body_rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<table class="{css_class}"><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body_rows)}</tbody></table>"
    )


def render_chart(figure: Any, *, alt: str, caption: str) -> str:
    """A chart as inline PNGs with alt text, caption and its data table (see
    sendreport.charts.render_chart_html)."""
    from sendreport.charts import render_chart_html

    return render_chart_html(figure, alt=alt, caption=caption)


# ---- methodology ------------------------------------------------------------------------------
def reader_source(source: str) -> str:
    """A definition's source as parents read it: without the dataset's file name in brackets
    ("the early help case system (families_first)" reads "the early help case system"), which
    is for analysts and may be another council's programme name."""
    found = re.fullmatch(r"(.*?)\s*\(([a-z_]+)\)", source.strip(), flags=re.S)
    return found.group(1) if found and found.group(2) in DATASETS else source


def methodology_brief_html(metric_ids: Iterable[str], title_of: Callable[[str], str]) -> str:
    """One plain line per registered metric (for parents and carers): its title, what it
    counts and where the data comes from, as ``title_of`` (the council's words) names it."""
    from sendreport.metrics.base import REGISTRY

    items = []
    for metric_id in metric_ids:
        spec = REGISTRY.get(metric_id)
        if spec is None:
            continue
        source = reader_source(spec.definition.get("source", ""))
        items.append(
            f"<li><strong>{html.escape(title_of(metric_id))}</strong>: "
            f"{html.escape(spec.summary.rstrip('.'))}. Source: {html.escape(source)}.</li>"
        )
    return f'<ul class="methodology-brief">{"".join(items)}</ul>'


def methodology_html(metric_ids: Iterable[str], title_of: Callable[[str], str]) -> str:
    """Each registered metric's full definition, straight from its docstring: numerator,
    denominator, period basis, exclusions and source under its title and id."""
    from sendreport.metrics.base import REGISTRY

    parts = ['<dl class="methodology">']
    for metric_id in metric_ids:
        spec = REGISTRY.get(metric_id)
        if spec is None:
            continue
        parts.append(f"<dt>{html.escape(title_of(metric_id))} <code>{spec.id}</code></dt><dd><dl>")
        for key, text in spec.definition.items():
            parts.append(f"<dt>{html.escape(key.capitalize())}</dt><dd>{html.escape(text)}</dd>")
        parts.append("</dl></dd>")
    parts.append("</dl>")
    return "".join(parts)


# ---- data as at -------------------------------------------------------------------------------
def data_as_at(frames: Mapping[str, pd.DataFrame], stated: date | None = None) -> date:
    """The day a report's data is "as at": ``stated`` when the build is told it
    (``--data-end``), else the last month end of the caseload, the series every council
    supplies. The build checks no record is dated after it (sendreport.build.data_range)."""
    if stated is not None:
        return stated
    return frames["ehcp_caseload"]["month_end"].max().date()


def day_words(day: date) -> str:
    """A day as every page writes it: ``30 September 2026``."""
    return f"{day:%-d %B %Y}"
