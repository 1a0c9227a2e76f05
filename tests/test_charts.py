"""Charts: a colour-blind-safe palette at 3:1 or more, alt text and data tables from the data,
legends that cover no data, text readable on a phone."""

from __future__ import annotations

import pandas as pd

from sendreport import charts


def contrast(a: str, b: str = "#ffffff") -> float:
    """WCAG 2.x contrast ratio of two hex colours."""

    def luminance(hex_colour: str) -> float:
        rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_palette_is_seaborns_colorblind_palette_at_3_to_1() -> None:
    import seaborn as sns

    seaborn = sns.color_palette("colorblind").as_hex()
    darkened = {"#de8f05": "#a66a00", "#ca9161": "#8c6239", "#949494": "#6f6f6f"}
    pale = {"#fbafe4", "#ece133", "#56b4e9"}  # under 3:1 in any darkening that keeps the hue
    expected = [darkened.get(c, c) for c in seaborn if c not in pale]
    assert list(charts.PALETTE) == expected
    for colour in (*charts.PALETTE, charts.INK, charts.MUTED):
        assert contrast(colour, charts.BACKGROUND) >= 3.0, colour
    assert contrast("#de8f05") < 3.0 and contrast("#ca9161") < 3.0  # why they were replaced


def _legend_overlaps_data(fig) -> bool:
    """Whether any legend's box meets the plot area (where the data are drawn)."""
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is not None and legend.get_window_extent(renderer).overlaps(
            ax.get_window_extent(renderer)
        ):
            return True
    return False


def test_legends_cover_no_data_and_stacked_bars_carry_their_data() -> None:
    frame = pd.DataFrame(
        {"20-30 weeks": [40.0, 55.0, 60.0], "30-52 weeks": [30.0, 20.0, 10.0], "52+": [5.0, 4, 3]},
        index=["Jan 2024", "Feb 2024", "Mar 2024"],
    )
    fig, _alt = charts.stacked_bar_chart(frame, title="Backlog by age", y_label="Requests")
    assert not _legend_overlaps_data(fig)
    data = charts.chart_data(fig)
    assert data is not None and list(data.frame.columns)[-1] == "Total"
    assert data.frame.loc["Jan 2024", "Total"] == 75.0
    html = charts.render_chart_html(fig, alt="Stacked bar chart", caption="Backlog by age")
    assert '<details class="chart-data">' in html and '<th scope="row">Mar 2024</th>' in html
    assert html.count("data:image/png;base64,") == 2  # a phone version and a print version


def test_line_chart_data_includes_reference_lines_and_text_is_large_enough() -> None:
    series = pd.Series([30.0, None, 42.5], index=["Jan 2024", "Feb 2024", "Mar 2024"])
    fig, _ = charts.line_chart(
        {"Herts": series.astype("Float64")},
        title="Within 20 weeks",
        y_label="%",
        unit="%",
        references=[charts.ReferenceLine("Target", 60.0)],
    )
    assert not _legend_overlaps_data(fig)
    data = charts.chart_data(fig)
    assert list(data.frame.columns) == ["Herts", "Target (reference line)"]
    table = charts.data_table_html(data, "Within 20 weeks")
    assert "no value" in table and "60.0%" in table
    sizes = [t.get_fontsize() for t in fig.findobj(lambda a: hasattr(a, "get_fontsize"))]
    assert min(sizes) >= charts.TEXT_PT - 1
    # 10 pt on a 3.6 in wide chart shown 288 px wide on a 320 px phone is about 11 px.
    shown = 288 / (charts.NARROW_SIZE[0] * 96)
    assert charts.TEXT_PT * 96 / 72 * shown >= 11.0


def test_histogram_data_matches_matplotlib_bins() -> None:
    fig, _ = charts.histogram(
        pd.Series([1.0, 5.0, 10.0, 20.0, 20.0]),
        title="Weeks",
        x_label="Weeks from request",
        bins=[0, 10, 20],
        marker=20,
        marker_label="20-week limit",
    )
    data = charts.chart_data(fig)
    assert list(data.frame.index) == ["0 to under 10", "10 to 20"]
    assert list(data.frame["Number of plans"]) == [2.0, 3.0]
    assert not _legend_overlaps_data(fig)


def test_line_chart_alt_text_states_key_values() -> None:
    series = pd.Series([30.0, 45.5, 42.5], index=["Jan 2024", "Feb 2024", "Mar 2024"])
    _fig, alt = charts.line_chart(
        {"Hertfordshire": series},
        title="Plans within 20 weeks",
        y_label="%",
        unit="%",
        references=[charts.ReferenceLine("Target", 60.0)],
    )
    assert alt.startswith("Line chart: Plans within 20 weeks.")
    assert "from 30.0% in Jan 2024 to 42.5% in Mar 2024" in alt
    assert "highest 45.5% in Feb 2024" in alt
    assert "Target line at 60.0%" in alt


def test_bar_and_histogram_alt_text() -> None:
    _, alt = charts.bar_chart(
        pd.Series([247, 669], index=["Q4 2022-23", "Q4 2023-24"]),
        title="Plans issued",
        y_label="Plans",
        unit="count",
    )
    assert "from 247 in Q4 2022-23 to 669 in Q4 2023-24" in alt
    _, alt = charts.histogram(
        pd.Series([10.0, 19.0, 30.0, 60.0]),
        title="Weeks to plan",
        x_label="Weeks",
        bins=range(0, 70, 10),
        marker=20,
        marker_label="20 weeks",
    )
    assert "4 plans; median 24.5" in alt and "50.0% at or below the 20 weeks" in alt


def test_suppressed_histogram_bins_have_no_value_in_the_data_table() -> None:
    data = charts._histogram_data(
        pd.Series([1.0, 12.0, 13.0]), [0, 10, 20], "Weeks", "Weeks", hidden=[True, False]
    )
    assert pd.isna(data.frame.iloc[0, 0]) and data.frame.iloc[1, 0] == 2
    assert f'<td class="num">{charts.MISSING}</td>' in charts.data_table_html(data, "Weeks")
