"""Charts: the palette is seaborn's colour-blind palette; alt text comes from the data."""

from __future__ import annotations

import pandas as pd

from sendreport import charts


def test_palette_is_seaborns_colorblind_palette() -> None:
    import seaborn as sns

    assert list(charts.PALETTE) == sns.color_palette("colorblind").as_hex()


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
