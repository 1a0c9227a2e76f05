"""The national index over built councils: ranks, spreads, DfE comparisons, links, safety."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from sendreport.many import LaOutcome
from sendreport.national_index import (
    NOT_FOR_ACCOUNTABILITY,
    build_index,
    load_dfe_table,
    rank_of,
    write_index,
)

PERIOD = "2023-24-Q4"


def fake_build(out: Path, la: str, pct: float, plans: int) -> None:
    folder = out / la / PERIOD
    folder.mkdir(parents=True)
    figures = [
        {"id": "ehcp_20wk_pct_ex", "period": PERIOD, "value": pct},
        {"id": "ehcp_20wk_pct_ex", "period": "2023-24", "value": 1.0},  # another period
        {"id": "ehcp_plans_issued", "period": PERIOD, "value": plans},
    ]
    (folder / "figures.json").write_text(json.dumps(figures))
    (folder / "manifest.json").write_text("{}")
    (folder / "newsletter.html").write_text("<p>report</p>")
    (folder / "newsletter.pdf").write_bytes(b"%PDF")


@pytest.fixture()
def out(tmp_path: Path) -> Path:
    fake_build(tmp_path, "919", 40.0, 300)
    fake_build(tmp_path, "884", 76.1, 71)
    fake_build(tmp_path, "882", 40.0, 50)
    return tmp_path


def test_rank_is_highest_first_and_marks_ties() -> None:
    assert rank_of(76.1, [40.0, 76.1, 40.0]) == "1 of 3"
    assert rank_of(40.0, [40.0, 76.1, 40.0]) == "=2 of 3"


def test_index_ranks_councils_and_shows_spread(out: Path) -> None:
    failed = LaOutcome("873", "failed", 2, "invalid_data", "ehcp_requests.csv: bad date\nmore")
    index = build_index(out, PERIOD, [failed], None)
    rows = {row["la"]: row for row in index["councils"]}
    assert set(rows) == {"919", "884", "882", "873"}
    assert rows["884"]["rank"] == "1 of 3" and rows["919"]["rank"] == "=2 of 3"
    assert rows["873"]["status"] == "failed" and rows["873"]["reason"].endswith("bad date")
    spread = index["quarter_spread"]
    assert (spread["median"], spread["highest_la"], spread["lowest"]) == (40.0, "884", 40.0)
    assert [link["href"] for link in rows["919"]["reports"]] == [
        "919/2023-24-Q4/newsletter.html",
        "919/2023-24-Q4/newsletter.pdf",
    ]
    assert index["statement"] == NOT_FOR_ACCOUNTABILITY


def test_dfe_comparisons_from_the_shipped_table(out: Path) -> None:
    index = build_index(out, PERIOD, (), load_dfe_table(None))
    dfe = {row["la"]: row["dfe"] for row in index["councils"]}["919"]
    assert dfe["year"] == index["dfe_year"]
    assert dfe["england"] is not None and dfe["region"] is not None
    assert re.fullmatch(r"=?\d+ of \d+", dfe["rank"])


@pytest.mark.shared_data
def test_dfe_ranks_among_every_la_in_the_release(out: Path, dfe_release: Path) -> None:
    index = build_index(out, PERIOD, (), load_dfe_table(dfe_release))
    assert index["dfe_spread"]["count"] >= 150
    dfe = {row["la"]: row["dfe"] for row in index["councils"]}["884"]
    assert dfe["rank"].endswith(f"of {index['dfe_spread']['count']}")
    assert dfe["neighbours"] is not None


def test_page_is_self_contained_escaped_and_says_ranks_are_not_for_accountability(
    out: Path,
) -> None:
    table = pd.DataFrame(
        {
            "measure": ["ehcp_20wk_pct_ex"] * 2,
            "period": ["2024", "2024"],
            "level": ["la", "national"],
            "la_code": ["919", None],
            "area_code": ["E10000015", "E92000001"],
            "value": [40.2, 46.4],
        }
    )
    index = build_index(out, PERIOD, [LaOutcome("873", "failed", 1, "x", "<script>x</script>")])
    index_with_dfe = build_index(out, PERIOD, (), table)
    write_index(out, index_with_dfe)
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "Content-Security-Policy" in page
    assert "default-src &#x27;none&#x27;" in page and "<script" not in page
    assert "not for accountability" in page
    assert 'href="919/2023-24-Q4/newsletter.pdf"' in page
    assert json.loads((out / "index.json").read_text())["period"] == PERIOD
    write_index(out, index)
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in page and "<script" not in page


def test_demo_councils_are_marked(out: Path) -> None:
    (out / "884" / PERIOD / "manifest.json").write_text('{"demo": true}')
    index = build_index(out, PERIOD)
    assert {row["la"]: row["demo"] for row in index["councils"]} == {
        "919": False,
        "884": True,
        "882": False,
    }
    page = write_index(out, index).read_text()
    rows = {la: re.search(rf"<tr><th scope=\"row\">[^<]*\({la}\).*?</tr>", page).group(0)
            for la in ("884", "919")}  # fmt: skip
    assert "Demo data" in rows["884"] and "Demo data" not in rows["919"]
    assert "made up by <code>sendreport demo-data</code>" in page
    (out / "884" / PERIOD / "manifest.json").write_text("{}")
    assert "Demo data" not in write_index(out, build_index(out, PERIOD)).read_text()
