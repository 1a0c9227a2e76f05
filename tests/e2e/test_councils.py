"""Any council, in its own words: builds for several LAs, optional datasets, suppression, demo.

Four councils are built: Hertfordshire (919) and Herefordshire (884) from the shared demo
builds, Birmingham (330) from demo data calibrated to the DfE release, with a council's own
short profile (not demo), three improvement areas and only some optional datasets, and a
Herefordshire folder holding only the two required datasets. No reader edition may name
another council, its services or its boards, and none may read "nan", "None" or "inf%".
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from sendreport.contract import OPTIONAL_DATASETS
from sendreport.demo import write_demo
from tests.e2e.conftest import DEMO_PERIOD, DemoBuild, build_folder
from tests.e2e.test_reports import (
    REPORTS,
    accessibility_problems,
    pdf_text,
    reader_text,
    soup_of,
)

pytestmark = [pytest.mark.xdist_group("e2e"), pytest.mark.slow]

# Words that belong to one council only: its name, its services and its boards.
COUNCIL_WORDS = {
    "919": ("Hertfordshire", "PALMS", "Families First", "Cabinet Panel", "cabinet panel",
            "SEND Partnership Board", "Hertfordshire Community NHS Trust"),
    "884": ("Herefordshire", "Wye Valley", "SEND Partnership Group", "SEND action plan",
            "Children and Young People Scrutiny Committee", "Worcestershire"),
    "330": ("Birmingham", "Brum Families", "Children's Overview and Scrutiny"),
}  # fmt: skip
GARBLED = re.compile(r"\bnan\b|\bNone\b|inf%|\bNaN\b|stood at no ")

BIRMINGHAM_PROFILE = """
[council]
name = "Birmingham City Council"
short_name = "Birmingham"

[governance]
plan_name = "SEND improvement programme"
performance_committee = "Children's Overview and Scrutiny Committee"

[services]
early_help = "Brum Families"

[links]
local_offer = "https://www.example.gov.uk/localoffer"
newsletter_signup = "https://www.example.gov.uk/send-news"

[disclosure]
small_number_threshold = 10

[[improvement_areas]]
area_id = 1
metrics = ["ehcna_decision_6wk_pct"]

[[improvement_areas]]
area_id = 2
metrics = ["ehcp_overdue_open", "ehcp_caseload"]

[[improvement_areas]]
area_id = 3
metrics = ["camhs_waiting", "families_first_assessments"]

[newsletter]
closing = "Questions? Ask your SENCo or the SEND team."
"""
BIRMINGHAM_DROPS = ("families_first", "workforce", "cla_stability", "targets")


@pytest.fixture(scope="session")
def birmingham_build(tmp_path_factory: pytest.TempPathFactory, dfe_release: Path) -> DemoBuild:
    """Birmingham's own profile, three improvement areas, four optional datasets left out."""
    root = tmp_path_factory.mktemp("birmingham")
    data = root / "data"
    write_demo(data, la_code="330", dfe_dir=dfe_release)
    for name in BIRMINGHAM_DROPS:
        (data / f"{name}.csv").unlink()
    plan = pd.read_csv(data / "improvement_plan.csv", dtype=str)
    plan.loc[plan["area_id"].astype(int) <= 3].to_csv(data / "improvement_plan.csv", index=False)
    (data / "council.toml").write_text(BIRMINGHAM_PROFILE, encoding="utf-8")
    return build_folder(data, root / "out", "330")


@pytest.fixture(scope="session")
def minimal_build(tmp_path_factory: pytest.TempPathFactory) -> DemoBuild:
    """Herefordshire with only the required datasets and no profile at all."""
    root = tmp_path_factory.mktemp("minimal")
    full, data = root / "full", root / "data"
    write_demo(full, la_code="884")
    data.mkdir()
    for name in ("ehcp_requests", "ehcp_caseload"):
        shutil.copy(full / f"{name}.csv", data / f"{name}.csv")
    return build_folder(data, root / "out", "884")


def reader_texts(build: DemoBuild) -> dict[str, str]:
    return {
        report: soup_of(build.folder / f"{report}.html").get_text(" ", strip=True)
        for report in REPORTS
    }


def assert_only_its_own_words(build: DemoBuild, la: str) -> None:
    for report, text in reader_texts(build).items():
        for other, words in COUNCIL_WORDS.items():
            if other == la:
                continue
            for word in words:
                assert word not in text, f"{la} {report} mentions {word!r} ({other})"
        assert not GARBLED.search(text), f"{la} {report}: {GARBLED.search(text)}"


@pytest.mark.parametrize("which", ["919", "884"])
def test_demo_councils_read_in_their_own_words(
    which: str, demo_build: DemoBuild, herefordshire_build: DemoBuild
) -> None:
    build = demo_build if which == "919" else herefordshire_build
    assert_only_its_own_words(build, which)
    texts = reader_texts(build)
    if which == "919":
        assert "PALMS" in texts["newsletter"] and "SEND Partnership Board" in texts["newsletter"]
        assert "Children, Young People & Families Cabinet Panel" in texts["performance"]
    else:
        assert "SEND action plan" in texts["newsletter"]
        assert "the Children and Young People Scrutiny Committee" in texts["performance"]
        # The demo plan quotes Herefordshire's own figures, not Hertfordshire's 669 plans.
        plans = next(
            f["display"]
            for f in build.figures
            if f["id"] == "ehcp_plans_issued" and f["period"] == DEMO_PERIOD
        )
        assert f"{plans} final plans were issued" in texts["newsletter"] + texts["performance"]
        assert "669" not in texts["newsletter"]


def test_a_council_profile_and_only_some_datasets(birmingham_build: DemoBuild) -> None:
    build = birmingham_build
    assert_only_its_own_words(build, "330")
    texts = reader_texts(build)
    news, perf = texts["newsletter"], texts["performance"]
    assert "Birmingham City Council" in news or "Birmingham City Council" in perf
    assert "the Children's Overview and Scrutiny Committee" in perf
    assert "SEND improvement programme" in news
    assert "Questions? Ask your SENCo" in news
    # Three areas, each with the measures the profile chose.
    soup = soup_of(build.folder / "newsletter.html")
    areas = [h.get_text(strip=True) for h in soup.find_all("h2") if re.match(r"\d\.", h.get_text())]
    assert [a[:2] for a in areas] == ["1.", "2.", "3."]
    assert "The plan has three areas" in news
    assert "Decisions whether to assess made within 6 weeks" in news
    assert "EHC plans maintained" in news
    assert "Brum Families" not in news  # early help figure left out: no families_first data
    # Links are the council's own.
    links = {a["href"] for a in soup.find_all("a", href=True)}
    assert "https://www.example.gov.uk/localoffer" in links
    assert "https://www.example.gov.uk/send-news" in links
    # What the council does not report is said once, and its sections are left out.
    for text in (news, perf):
        assert text.count("does not report on") == 1
    assert "early help assessments, workforce" in perf.lower() or "workforce" in perf.lower()
    for heading in ("Workforce", "Children looked after: placement stability"):
        assert heading not in [h.get_text(strip=True) for h in soup_of(
            build.folder / "performance.html").find_all("h2")]  # fmt: skip
    assert build.manifest["demo"] is False
    assert sorted(build.manifest["datasets_absent"]) == sorted(BIRMINGHAM_DROPS)
    assert build.manifest["profile"]["small_number_threshold"] == 10
    assert "council.toml" in build.manifest["inputs"]
    assert (
        "Demo data" not in news and "DEMO DATA" not in pdf_text(build.folder / "newsletter.pdf")[1]
    )


def test_every_optional_dataset_left_out(minimal_build: DemoBuild) -> None:
    build = minimal_build
    assert sorted(build.manifest["datasets_absent"]) == sorted(OPTIONAL_DATASETS)
    texts = reader_texts(build)
    for report, text in texts.items():
        assert not GARBLED.search(text), f"{report}: {GARBLED.search(text)}"
        assert "Herefordshire" in text
    for text in (texts["newsletter"], texts["performance"]):
        assert text.count("does not report on") == 1
    card = soup_of(build.folder / "performance.html")
    rows = [th.get_text(strip=True) for th in card.select("table th[scope=row]")]
    assert "Special school places" not in rows and "Children waiting for CAMHS" not in rows
    assert "New EHC plans issued" in rows
    for report in REPORTS:
        assert accessibility_problems(soup_of(build.folder / f"{report}.html")) == []


def test_small_numbers_are_suppressed_in_text_tables_and_alt_text(
    birmingham_build: DemoBuild,
) -> None:
    build = birmingham_build
    hidden = [f for f in build.figures if f["suppressed"]]
    assert hidden, "a threshold of 10 should hide some figures"
    for f in hidden:
        assert f["display"] in {"fewer than 10", "not shown: fewer than 10 cases"}
        assert f["value"] is not None  # figures.json keeps the value
    small_in_alt = re.compile(r"(?<![\d.,])[1-9] in |weeks [1-9](?![\d.])")
    for report in REPORTS:
        soup = soup_of(build.folder / f"{report}.html")
        assert "counts of 1 to 9 are shown as" in soup.get_text(" ", strip=True)  # the rule
        for img in soup.find_all("img"):
            assert not small_in_alt.search(img.get("alt", "")), img.get("alt")
    alts = " ".join(
        img.get("alt", "") for img in soup_of(build.folder / "timeliness.html").find_all("img")
    )
    assert "not shown" in alts or "no value" in alts
    timeliness = soup_of(build.folder / "timeliness.html")
    body = reader_text(timeliness)
    assert "fewer than 10" in body
    audit = (build.folder / "audit" / "timeliness.html").read_text(encoding="utf-8")
    assert "Derivation of the figures above" in audit  # the audit edition shows the values


def test_demo_data_is_marked_on_every_page(demo_build: DemoBuild) -> None:
    assert demo_build.manifest["demo"] is True
    for report in REPORTS:
        html = (demo_build.folder / f"{report}.html").read_text(encoding="utf-8")
        assert 'class="demo-banner"' in html
        audit = (demo_build.folder / "audit" / f"{report}.html").read_text(encoding="utf-8")
        assert 'class="demo-banner"' in audit
        from pypdf import PdfReader

        pages = PdfReader(str(demo_build.folder / f"{report}.pdf")).pages
        for number, page in enumerate(pages, start=1):
            assert "DEMO DATA" in (page.extract_text() or ""), f"{report}.pdf page {number}"
