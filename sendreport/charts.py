"""Charts for the reports, each returned with alt text generated from its data.

Every function returns ``(figure, alt)``. The alt text says what the chart shows and its
key values (first, last, highest, lowest, reference lines), so a screen-reader user gets
the same message as a sighted reader; it is never "Image". The figure also carries its data
(:func:`chart_data`), which the reports print as a table beside the chart and the
spreadsheet lists. Colours come from seaborn's colour-blind-safe palette, darkened where
needed to reach 3:1 against white; lines also differ by marker and dash, bars by hatching,
so that colour is never the only cue. Legends sit outside the plot, so they cover no data.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd

# seaborn's "colorblind" palette (Okabe–Ito family), as hex, with the colours under 3:1
# against white (WCAG 1.4.11) darkened in the same hue (orange #de8f05, brown #ca9161, grey
# #949494) and the pale ones (pink, yellow, sky blue) left out. Importing seaborn here would
# pull in SciPy and add about four seconds to every report kernel, so the colours are
# carried as data; tests/test_charts.py checks them against seaborn's and the 3:1 rule.
PALETTE = (
    "#0173b2",
    "#a66a00",
    "#029e73",
    "#d55e00",
    "#cc78bc",
    "#8c6239",
    "#6f6f6f",
)
BACKGROUND = "#ffffff"
# Text sizes in points. Charts are drawn 7 in wide for print and wide screens and redrawn
# 3.6 in wide for phones (see render_chart_html), so text stays at least about 10 px on a
# 320 px screen.
TEXT_PT = 10
TITLE_PT = 12
STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": TEXT_PT,
    "axes.edgecolor": "#0b0c0c",
    "axes.facecolor": "white",
    "figure.facecolor": "white",
    "axes.grid": False,
    "svg.hashsalt": "sendreport",
}
INK = "#0b0c0c"
MUTED = "#4b4f54"
MARKERS = ("o", "s", "^", "D", "v", "P")
DASHES = ("-", "--", "-.", ":")
HATCHES = ("", "//", "..", "xx", "\\\\")
DATA_ATTR = "sendreport_data"


@dataclass(frozen=True)
class ChartData:
    """The numbers a chart draws: one row per category (x label), one column per series."""

    title: str
    unit: str
    frame: pd.DataFrame
    index_label: str = "Period"


def attach_data(fig: plt.Figure, data: ChartData) -> None:
    """Keep the chart's numbers on the figure, for its data table and the spreadsheet."""
    setattr(fig, DATA_ATTR, data)


def chart_data(fig: Any) -> ChartData | None:
    """The numbers behind a chart made by this module (None for any other figure)."""
    return getattr(fig, DATA_ATTR, None)


def place_legends(fig: plt.Figure, columns: int = 1) -> None:
    """Move every legend below its plot, clear of the tick labels: it covers no data.
    ``columns``: at most this many entries side by side (one on a phone)."""
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is None:
            continue
        handles, labels = legend.legend_handles, [t.get_text() for t in legend.get_texts()]
        legend.remove()
        bottom = ax.get_tightbbox(renderer).y0
        y = ax.transAxes.inverted().transform((0, bottom))[1]
        ax.legend(
            handles,
            labels,
            loc="upper left",
            bbox_to_anchor=(0, y - 0.02),
            frameon=False,
            fontsize=TEXT_PT,
            ncols=max(1, min(columns, len(labels))),
        )


def thin_ticks(fig: plt.Figure, labels: Sequence[str], every: int) -> None:
    """Label every ``every``-th point of the first axes only, counting back from the last, so
    month names never overlap and the latest month is always labelled."""
    ax = fig.axes[0]
    ax.set_xticks(range(len(labels) - 1, -1, -every))
    ax.set_xticklabels(list(labels)[::-1][::every], rotation=0)


def week_bins(weeks: pd.Series, width: int = 4, at_least: int = 60) -> list[int]:
    """Histogram band edges ``width`` weeks apart from 0, reaching past the longest wait and
    at least to ``at_least`` weeks, so the 20- and 52-week marks always show."""
    longest = float(weeks.max()) if len(weeks) else 0.0
    top = max(at_least, int(math.ceil(longest / width) * width) + width)
    return list(range(0, top + 1, width))


@dataclass(frozen=True)
class ReferenceLine:
    label: str
    value: float
    dashes: str = "--"


# What a chart's data table (and the spreadsheet) says for a point with no value to show.
MISSING = "no value"


def _fmt(value: float, unit: str) -> str:
    if pd.isna(value):
        return MISSING
    if unit == "%":
        return f"{value:.1f}%"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _style(ax: plt.Axes, title: str, y_label: str) -> None:
    ax.set_title(title, loc="left", fontsize=TITLE_PT, color=INK, fontweight="bold", wrap=True)
    ax.set_ylabel(y_label, color=INK, fontsize=TEXT_PT)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(colors=INK, labelsize=TEXT_PT)
    ax.grid(axis="y", color="#d8d8d8", linewidth=0.6)
    ax.set_axisbelow(True)


def _figure(width: float = 7.0, height: float = 3.2) -> tuple[plt.Figure, plt.Axes]:
    plt.rcParams.update(STYLE)
    fig, ax = plt.subplots(figsize=(width, height), dpi=100)
    return fig, ax


def describe_series(labels: Sequence[str], values: Sequence[float], unit: str) -> str:
    """ "from X in A to Y in B; highest H in C, lowest L in D" for alt text."""
    points = [(lab, v) for lab, v in zip(labels, values, strict=True) if not pd.isna(v)]
    if not points:
        return "no values to show"
    first, last = points[0], points[-1]
    high = max(points, key=lambda p: p[1])
    low = min(points, key=lambda p: p[1])
    text = f"from {_fmt(first[1], unit)} in {first[0]} to {_fmt(last[1], unit)} in {last[0]}"
    if len(points) > 2:
        text += (
            f"; highest {_fmt(high[1], unit)} in {high[0]}, lowest {_fmt(low[1], unit)} in {low[0]}"
        )
    return text


def line_chart(
    series: dict[str, pd.Series],
    *,
    title: str,
    y_label: str,
    unit: str,
    references: Sequence[ReferenceLine] = (),
    y_from_zero: bool = True,
) -> tuple[plt.Figure, str]:
    """One or more lines over the same ordered labels (the series index)."""
    fig, ax = _figure()
    parts = []
    for i, (name, s) in enumerate(series.items()):
        labels = [str(x) for x in s.index]
        ax.plot(
            labels,
            s.to_numpy(dtype=float, na_value=float("nan")),
            color=PALETTE[i % len(PALETTE)],
            marker=MARKERS[i % len(MARKERS)],
            linestyle=DASHES[i % len(DASHES)],
            linewidth=2,
            markersize=4,
            label=name,
        )
        parts.append(
            f"{name} {describe_series(labels, list(s.to_numpy(dtype=float, na_value=float('nan'))), unit)}"
        )
    for j, ref in enumerate(references):
        ax.axhline(
            ref.value,
            color=MUTED if j == 0 else PALETTE[(j + 3) % len(PALETTE)],
            linestyle=ref.dashes,
            linewidth=1.5,
            label=f"{ref.label} ({_fmt(ref.value, unit)})",
        )
        parts.append(f"{ref.label} line at {_fmt(ref.value, unit)}")
    _style(ax, title, y_label)
    if y_from_zero:
        ax.set_ylim(bottom=0)
    labels_all = [str(x) for x in next(iter(series.values())).index] if series else []
    if len(labels_all) > 8:
        step = max(1, len(labels_all) // 8)
        ax.set_xticks(range(0, len(labels_all), step))
        ax.set_xticklabels(labels_all[::step], rotation=0)
    ax.legend(frameon=False, fontsize=TEXT_PT)
    fig.tight_layout()
    place_legends(fig)
    frame = pd.DataFrame({name: s.astype("Float64") for name, s in series.items()})
    frame.index = [str(x) for x in frame.index]
    for ref in references:
        frame[f"{ref.label} (reference line)"] = ref.value
    attach_data(fig, ChartData(title, unit, frame))
    alt = f"Line chart: {title}. " + ". ".join(parts) + "."
    return fig, alt


def bar_chart(
    values: pd.Series,
    *,
    title: str,
    y_label: str,
    unit: str,
    highlight_last: bool = True,
    references: Sequence[ReferenceLine] = (),
) -> tuple[plt.Figure, str]:
    """Bars over ordered labels; the latest bar is highlighted."""
    fig, ax = _figure()
    labels = [str(x) for x in values.index]
    heights = values.to_numpy(dtype=float, na_value=float("nan"))
    colours = [PALETTE[0]] * len(labels)
    if highlight_last and labels:
        colours[-1] = PALETTE[1]
    bars = ax.bar(labels, heights, color=colours, edgecolor=INK, linewidth=0.5)
    if highlight_last and labels:
        bars[-1].set_hatch("//")  # the latest bar differs by pattern as well as colour
    ax.bar_label(
        bars, labels=[_fmt(v, unit) for v in heights], fontsize=TEXT_PT - 1, color=INK, padding=2
    )
    parts = [describe_series(labels, list(heights), unit)]
    for ref in references:
        ax.axhline(
            ref.value,
            color=MUTED,
            linestyle=ref.dashes,
            linewidth=1.5,
            label=f"{ref.label} ({_fmt(ref.value, unit)})",
        )
        parts.append(f"{ref.label} line at {_fmt(ref.value, unit)}")
    if references:
        ax.legend(frameon=False, fontsize=TEXT_PT)
    _style(ax, title, y_label)
    if len(labels) > 8:
        ax.tick_params(axis="x", labelrotation=45)
    fig.tight_layout()
    place_legends(fig)
    frame = pd.DataFrame({y_label: values.astype("Float64").to_numpy()}, index=labels)
    for ref in references:
        frame[f"{ref.label} (reference line)"] = ref.value
    attach_data(fig, ChartData(title, unit, frame))
    alt = f"Bar chart: {title}, " + "; ".join(parts) + "."
    return fig, alt


def stacked_bar_chart(
    frame: pd.DataFrame, *, title: str, y_label: str, unit: str = "count"
) -> tuple[plt.Figure, str]:
    """Columns stacked over the index (e.g. backlog by age band over months)."""
    fig, ax = _figure()
    labels = [str(x) for x in frame.index]
    bottom = pd.Series(0.0, index=frame.index)
    for i, column in enumerate(frame.columns):
        ax.bar(
            labels,
            frame[column].astype(float),
            bottom=bottom,
            color=PALETTE[i % len(PALETTE)],
            label=str(column),
            hatch=HATCHES[i % len(HATCHES)],
            edgecolor="white",
        )
        bottom = bottom + frame[column].astype(float)
    _style(ax, title, y_label)
    ax.legend(frameon=False, fontsize=TEXT_PT)
    if len(labels) > 8:
        ax.tick_params(axis="x", labelrotation=45)
    fig.tight_layout()
    place_legends(fig)
    data = frame.astype("Float64")
    data.index = labels
    data.columns = [str(c) for c in data.columns]
    # A bar with a hidden (suppressed) part has no total to state.
    data["Total"] = data.sum(axis=1, min_count=len(frame.columns))
    attach_data(fig, ChartData(title, unit, data))
    total = frame.astype(float).sum(axis=1, min_count=len(frame.columns))
    last = frame.iloc[-1] if len(frame) else pd.Series(dtype=float)
    breakdown = ", ".join(f"{c} {_fmt(v, unit)}" for c, v in last.items())
    alt = (
        f"Stacked bar chart: {title}. Total {describe_series(labels, list(total), unit)}. "
        f"Latest ({labels[-1] if labels else 'none'}): {breakdown}."
    )
    return fig, alt


def _histogram_data(
    data: pd.Series,
    edges: list[float],
    title: str,
    x_label: str,
    hidden: Sequence[bool] = (),
) -> ChartData:
    """Counts per bin as matplotlib draws them: [lo, hi) except the last, [lo, hi]. A bin
    in ``hidden`` (suppressed, not drawn) has no value in the table either."""
    import numpy as np

    counts, _ = np.histogram(data.to_numpy(dtype=float), bins=edges)
    counts = counts.astype(float)
    for i, hide in enumerate(hidden):
        if hide:
            counts[i] = float("nan")
    pairs = list(itertools.pairwise(edges))
    rows = [
        f"{_fmt(lo, 'count')} to {'' if i == len(pairs) - 1 else 'under '}{_fmt(hi, 'count')}"
        for i, (lo, hi) in enumerate(pairs)
    ]
    frame = pd.DataFrame({"Number of plans": pd.array(counts, dtype="Float64")}, index=rows)
    return ChartData(title, "count", frame, index_label=x_label)


def histogram(
    values: pd.Series,
    *,
    title: str,
    x_label: str,
    bins: Sequence[float],
    marker: float | None = None,
    marker_label: str = "",
    suppress_below: int = 0,
) -> tuple[plt.Figure, str]:
    """Distribution of a quantity (e.g. weeks from request to plan) with an optional marker.

    ``suppress_below``: bands holding 1 to ``suppress_below`` − 1 values are not drawn, and
    one more band is left out when only one is, since the bands add up to a stated total.
    """
    import numpy as np

    from sendreport.disclosure import suppress_group

    fig, ax = _figure()
    data = values.dropna().astype(float)
    counts, edges = np.histogram(data, bins=list(bins))
    hidden = suppress_group(list(counts), suppress_below) if suppress_below > 1 else []
    shown = np.where(hidden, 0, counts) if hidden else counts
    ax.bar(
        edges[:-1], shown, width=np.diff(edges), align="edge", color=PALETTE[0], edgecolor="white"
    )
    if marker is not None:
        ax.axvline(marker, color=INK, linestyle="--", linewidth=1.5, label=marker_label)
        ax.legend(frameon=False, fontsize=TEXT_PT)
    _style(ax, title, "Number of plans")
    ax.set_xlabel(x_label, color=INK)
    fig.tight_layout()
    place_legends(fig)
    attach_data(fig, _histogram_data(data, list(bins), title, x_label, hidden))
    if data.empty:
        alt = f"Histogram: {title}. No plans to show."
    else:
        within = (data <= marker).mean() * 100 if marker is not None else None
        alt = f"Histogram: {title}. {len(data):,} plans; median {data.median():.1f}"
        if any(hidden):  # single values at the extremes would identify a child's case
            alt += f" {x_label.lower()}"
        else:
            alt += f", shortest {data.min():.1f}, longest {data.max():.1f} {x_label.lower()}"
        if within is not None:
            alt += f"; {within:.1f}% at or below the {marker_label or 'marker'}"
        if any(hidden):
            alt += f"; {sum(hidden)} bands with fewer than {suppress_below} plans are not shown"
        alt += "."
    return fig, alt


# ---- rendering ---------------------------------------------------------------------------
WIDE_DPI = 200  # sharp in print and on wide screens
NARROW_DPI = 150  # a phone at 2x pixel density shows the 3.6 in version at about 1:1
NARROW_SIZE = (3.6, 3.8)
NARROW_MEDIA = "(max-width: 40em)"


def png_bytes(fig: plt.Figure, dpi: int) -> bytes:
    """PNG without a timestamp or Software tag, so the bytes are deterministic."""
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def narrow_png(fig: plt.Figure) -> bytes:
    """The same chart redrawn 3.6 in wide for phones: slanted tick labels, legend below."""
    fig.set_size_inches(*NARROW_SIZE)
    for ax in fig.axes:
        ticks = ax.get_xticklabels()
        labels = [t.get_text() for t in ticks if t.get_text()]
        if len(labels) > 4 or max((len(t) for t in labels), default=0) > 8:
            for tick in ticks:
                tick.set_text(tick.get_text().replace("\n", " "))
            ax.set_xticks(ax.get_xticks(), [t.get_text() for t in ticks])
            ax.tick_params(axis="x", labelrotation=45)
            for label in ax.get_xticklabels():
                label.set_horizontalalignment("right")
                label.set_rotation_mode("anchor")
    fig.tight_layout()
    place_legends(fig)
    return png_bytes(fig, NARROW_DPI)


def data_table_html(data: ChartData, caption: str) -> str:
    """The chart's numbers as a captioned table with header cells, inside <details>."""
    import html

    esc = html.escape
    head = f'<th scope="col">{esc(data.index_label)}</th>' + "".join(
        f'<th scope="col">{esc(str(c))}</th>' for c in data.frame.columns
    )
    rows = []
    for label, values in zip(data.frame.index, data.frame.itertuples(index=False), strict=True):
        cells = "".join(f'<td class="num">{esc(_fmt(v, data.unit))}</td>' for v in values)
        rows.append(f'<tr><th scope="row">{esc(str(label).replace(chr(10), " "))}</th>{cells}</tr>')
    return (
        '<details class="chart-data"><summary>Show the data in this chart as a table</summary>'
        f'<table class="data compact"><caption>Data for the chart: {esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></details>"
    )


def render_chart_html(fig: plt.Figure, *, alt: str, caption: str) -> str:
    """A chart as inline PNGs (a phone-width version and a print-width one) with alt text,
    its caption, and its data as a table.

    PNG rather than SVG: WeasyPrint spends most of a report's PDF time parsing chart SVG
    paths. WeasyPrint (print) ignores ``<source>`` and uses the wide ``<img>``.
    """
    import base64
    import html

    data = chart_data(fig)
    place_legends(fig, columns=2)
    wide = base64.b64encode(png_bytes(fig, WIDE_DPI)).decode("ascii")
    narrow = base64.b64encode(narrow_png(fig)).decode("ascii")
    plt.close(fig)
    table = data_table_html(data, caption) if data is not None else ""
    return (
        '<figure class="chart"><picture>'
        f'<source media="{NARROW_MEDIA}" srcset="data:image/png;base64,{narrow}">'
        f'<img src="data:image/png;base64,{wide}" alt="{html.escape(alt, quote=True)}">'
        f"</picture><figcaption>{html.escape(caption)}</figcaption></figure>{table}"
    )
