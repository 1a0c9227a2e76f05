"""Demo data for every LA in the DfE release: published requests and 20-week counts exact,
every other difference written down, no LA refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sendreport import reference
from sendreport.cli import main
from sendreport.demo.calibration import calibration_targets, deviation_notes
from sendreport.demo.requests import generate_requests
from sendreport.many import select_las
from sendreport.metrics.calendar_year import dfe_calendar_year_aggregates

YEARS = (2022, 2023, 2024)
# What the demo must reproduce exactly wherever DfE published it.
EXACT = (
    "requests_received_in_year",
    "plans_issued_den",
    "plans_issued_den_ex",
    "plans_issued_within_20_weeks",
    "plans_issued_20_weeks_ex",
)
# Published figures that do not hold together: more plans than assessments, a missing
# year, a new LA (Cumberland 942 and Westmorland and Furness 943 from April 2023).
INCONSISTENT = ("201", "204", "211", "357", "869", "888", "942")


def check_la(code: str, dfe: Path) -> list[str]:
    """Generate one LA's requests; return the exact figures that differ without a note."""
    targets = calibration_targets(code, dfe)
    notes = deviation_notes(targets)
    requests = generate_requests(code, seed=20240331, targets=targets, notes=notes)
    unexplained = []
    for year in YEARS:
        agg = dfe_calendar_year_aggregates(requests, year)
        for name in EXACT:
            published = targets[year].published.get(name)
            if published is None or agg[name] == published:
                continue
            noted = any(n.startswith(f"{year}:") and f"({published})" in n for n in notes)
            if not noted:
                unexplained.append(f"{code} {year} {name}: {agg[name]} != {published}")
        # Everything else equals the targets, which differ from DfE only where noted.
        assert agg == targets[year].as_dfe_dict() or any(
            "more requests decided to assess" in n for n in notes
        )
    return unexplained


@pytest.mark.shared_data
@pytest.mark.parametrize("code", INCONSISTENT)
def test_inconsistent_las_get_demo_data_with_notes(code: str, dfe_release: Path) -> None:
    assert check_la(code, dfe_release) == []
    assert deviation_notes(calibration_targets(code, dfe_release))


@pytest.mark.slow
@pytest.mark.shared_data
def test_every_la_in_the_release_matches_its_published_counts(dfe_release: Path) -> None:
    codes = select_las("all").codes
    assert len(codes) == 153
    problems = [p for code in codes for p in check_la(code, dfe_release)]
    assert problems == []


@pytest.mark.shared_data
def test_west_berkshire_gap_is_noted(dfe_release: Path) -> None:
    notes = deviation_notes(calibration_targets("869", dfe_release))
    (gap,) = [n for n in notes if n.startswith("2022:")]
    assert "requests received (0) is treated as missing" in gap


@pytest.mark.shared_data
def test_lancashire_bands_keep_the_published_over_a_year_count(dfe_release: Path) -> None:
    t = calibration_targets("888", dfe_release)[2024]
    assert t.plans_issued_gt_1_year == 238 and t.plans_issued_within_20_weeks == 298
    assert t.plans_issued_gt20weeks_ltYear + t.plans_issued_gt_1_year == 1720 - 298


@pytest.mark.shared_data
def test_cli_writes_one_folder_per_la_with_notes(tmp_path: Path, dfe_release: Path) -> None:
    out = tmp_path / "demo"
    # Two small new LAs (from April 2023), so the demo data is quick to make.
    args = ["demo-data", "--la", "942,943", "--dfe", str(dfe_release), "--out", str(out)]
    code = main([*args, "--jobs", "1"])
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == ["942", "943"]
    notes = (out / "942" / "demo-notes.md").read_text(encoding="utf-8")
    assert "Cumberland" in notes and re.search(r"^- 2021: DfE published no", notes, re.M)
    assert "Westmorland" in (out / "943" / "demo-notes.md").read_text(encoding="utf-8")
    assert (out / "943" / "ehcp_requests.csv").stat().st_size > 10_000


@pytest.mark.parametrize(
    ("text", "count", "many"),
    [("919", 1, False), ("919, 884", 2, True), ("E12000006", 11, True), ("all", 153, True)],
)
def test_la_selection(text: str, count: int, many: bool) -> None:
    selection = select_las(text)
    assert (len(selection.codes), selection.many) == (count, many)
    if text == "E12000006":
        assert {reference.region_of(c) for c in selection.codes} == {"East of England"}


@pytest.mark.parametrize("text", ["999", "E12000099", " , "])
def test_unknown_la_or_region_is_exit_2(text: str, tmp_path: Path, capsys) -> None:
    assert main(["demo-data", "--la", text, "--out", str(tmp_path / "x")]) == 2
    assert "error:" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


# --- without --dfe: the headline table shipped in the package -----------------------------


@pytest.mark.parametrize("code", ["383", "888", "926"])
def test_any_la_gets_demo_data_from_the_shipped_table(code: str) -> None:
    """Leeds, Lancashire (inconsistent figures) and Norfolk without a release folder: the
    published counts hold or each difference is noted."""
    targets = calibration_targets(code)
    notes = deviation_notes(targets)
    requests = generate_requests(code, seed=20240331, targets=targets, notes=notes)
    for year in YEARS:
        agg = dfe_calendar_year_aggregates(requests, year)
        for name, published in targets[year].published.items():
            if published is not None and agg[name] != published:
                assert any(n.startswith(f"{year}: {name}") for n in notes), (year, name)


def test_shipped_table_keeps_leeds_published_decisions() -> None:
    """The table publishes refused and refused + agreed (2023 on); both decisions hold and
    the unpublished withdrawn and pending counts take what is left."""
    t = calibration_targets("383")[2023]
    assert (t.requests_received_in_year, t.requests_decided_not_to_assess) == (1497, 274)
    assert t.requests_decided_to_assess == 1281 - 274
    assert t.requests_withdrawn + t.requests_decision_not_made == 1497 - 1281
    assert {"requests_withdrawn", "requests_decision_not_made"} <= set(t.filled)


@pytest.mark.shared_data
def test_shipped_table_agrees_with_the_release_for_every_la(dfe_release: Path) -> None:
    """Every count the shipped table gives equals the release's, for all 153 LAs."""
    disagree = []
    for code in select_las("all").codes:
        shipped, release = calibration_targets(code), calibration_targets(code, dfe_release)
        assert shipped.keys() == release.keys(), code
        for year in shipped:
            for name, value in shipped[year].published.items():
                if value is not None and release[year].published.get(name) != value:
                    disagree.append((code, year, name))
    assert disagree == []


def test_la_missing_from_the_shipped_table_is_refused_by_name() -> None:
    """A code the 2025 table does not hold is a parameter error naming it, never a crash."""
    from sendreport.demo.calibration import _shipped_rows
    from sendreport.exceptions import ParameterError

    with pytest.raises(ParameterError, match="no DfE figures for local authority 000"):
        _shipped_rows("000")
