"""Charts for the reports, each returned with alt text generated from its data.

Every function returns ``(figure, alt)``. The alt text says what the chart shows and its
key values (first, last, highest, lowest, reference lines), so a screen-reader user gets
the same message as a sighted reader; it is never "Image". Colours come from seaborn's
colour-blind-safe palette, and lines also differ by marker and dash so that colour is
never the only cue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd

# seaborn's "colorblind" palette (Okabe–Ito family), as hex. Importing seaborn here would
# pull in SciPy and add about four seconds to every report kernel, so the colours are
# carried as data; tests/test_charts.py checks they still equal seaborn's.
PALETTE = (
    "#0173b2",
    "#de8f05",
    "#029e73",
    "#d55e00",
    "#cc78bc",
    "#ca9161",
    "#fbafe4",
    "#949494",
    "#ece133",
    "#56b4e9",
)
STYLE = {
    "font.family": "DejaVu Sans",
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


@dataclass(frozen=True)
class ReferenceLine:
    label: str
    value: float
    dashes: str = "--"


def _fmt(value: float, unit: str) -> str:
    if pd.isna(value):
        return "no value"
    if unit == "%":
        return f"{value:.1f}%"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _style(ax: plt.Axes, title: str, y_label: str) -> None:
    ax.set_title(title, loc="left", fontsize=11, color=INK, fontweight="bold")
    ax.set_ylabel(y_label, color=INK)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(colors=INK, labelsize=9)
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
    ax.legend(frameon=False, fontsize=8, loc="best")
    fig.tight_layout()
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
    bars = ax.bar(labels, heights, color=colours)
    ax.bar_label(bars, labels=[_fmt(v, unit) for v in heights], fontsize=8, color=INK, padding=2)
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
        ax.legend(frameon=False, fontsize=8)
    _style(ax, title, y_label)
    if len(labels) > 8:
        ax.tick_params(axis="x", labelrotation=45)
    fig.tight_layout()
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
            hatch=("", "//", "..", "xx", "\\\\")[i % 5],
            edgecolor="white",
        )
        bottom = bottom + frame[column].astype(float)
    _style(ax, title, y_label)
    ax.legend(frameon=False, fontsize=8, ncols=min(4, len(frame.columns)))
    if len(labels) > 8:
        ax.tick_params(axis="x", labelrotation=45)
    fig.tight_layout()
    total = frame.sum(axis=1)
    last = frame.iloc[-1] if len(frame) else pd.Series(dtype=float)
    breakdown = ", ".join(f"{c} {_fmt(v, unit)}" for c, v in last.items())
    alt = (
        f"Stacked bar chart: {title}. Total {describe_series(labels, list(total), unit)}. "
        f"Latest ({labels[-1] if labels else 'none'}): {breakdown}."
    )
    return fig, alt


def histogram(
    values: pd.Series,
    *,
    title: str,
    x_label: str,
    bins: Sequence[float],
    marker: float | None = None,
    marker_label: str = "",
) -> tuple[plt.Figure, str]:
    """Distribution of a quantity (e.g. weeks from request to plan) with an optional marker."""
    fig, ax = _figure()
    data = values.dropna().astype(float)
    ax.hist(data, bins=list(bins), color=PALETTE[0], edgecolor="white")
    if marker is not None:
        ax.axvline(marker, color=INK, linestyle="--", linewidth=1.5, label=marker_label)
        ax.legend(frameon=False, fontsize=8)
    _style(ax, title, "Number of plans")
    ax.set_xlabel(x_label, color=INK)
    fig.tight_layout()
    if data.empty:
        alt = f"Histogram: {title}. No plans to show."
    else:
        within = (data <= marker).mean() * 100 if marker is not None else None
        alt = (
            f"Histogram: {title}. {len(data):,} plans; median {data.median():.1f}, "
            f"shortest {data.min():.1f}, longest {data.max():.1f} {x_label.lower()}"
        )
        if within is not None:
            alt += f"; {within:.1f}% at or below the {marker_label or 'marker'}"
        alt += "."
    return fig, alt
