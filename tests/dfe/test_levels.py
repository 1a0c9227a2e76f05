"""One benchmark-level vocabulary: england, region, neighbours, la."""

from __future__ import annotations

import pytest

from sendreport.dfe._tidy import LEVELS, BenchmarkLevel
from sendreport.dfe.benchmarks import SN_LEVEL, benchmarks_for
from sendreport.dfe.published import published_benchmarks
from sendreport.metrics.scorecard import BENCHMARK_COLUMNS


def test_values_and_tidy_spellings() -> None:
    assert [str(level) for level in BenchmarkLevel] == ["england", "region", "neighbours", "la"]
    assert [level.tidy for level in BenchmarkLevel] == [
        "national",
        "regional",
        "statistical neighbours",
        "la",
    ]
    assert BenchmarkLevel.NEIGHBOURS.tidy == SN_LEVEL
    assert set(LEVELS.values()) <= {level.tidy for level in BenchmarkLevel}


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("national", BenchmarkLevel.ENGLAND),
        ("England", BenchmarkLevel.ENGLAND),
        ("Regional", BenchmarkLevel.REGION),
        ("statistical neighbours", BenchmarkLevel.NEIGHBOURS),
        ("statistical_neighbours", BenchmarkLevel.NEIGHBOURS),
        ("SN", BenchmarkLevel.NEIGHBOURS),
        ("neighbours", BenchmarkLevel.NEIGHBOURS),
        ("Local authority", BenchmarkLevel.LA),
        ("la", BenchmarkLevel.LA),
        ("nhs region", None),
        (None, None),
    ],
)
def test_parse_any_spelling(text: object, level: BenchmarkLevel | None) -> None:
    assert BenchmarkLevel.parse(text) is level


def test_loaders_and_scorecard_speak_it() -> None:
    tidy = published_benchmarks()
    assert set(tidy["level"].dropna()) == {
        BenchmarkLevel.ENGLAND.tidy,
        BenchmarkLevel.REGION.tidy,
        BenchmarkLevel.LA.tidy,
    }
    rows = benchmarks_for(tidy, "919", "ehcp_20wk_pct_ex", include_la=True)
    latest = rows.loc[rows["period"] == rows["period"].max()]
    assert [BenchmarkLevel.parse(v) for v in latest["level"]] == list(BenchmarkLevel)
    assert BENCHMARK_COLUMNS[1:] == tuple(level.value for level in BenchmarkLevel)
