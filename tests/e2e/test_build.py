"""The spine, end to end: a real demo build and what it publishes."""

from __future__ import annotations

import json

import pytest
from pypdf import PdfReader

from tests.e2e.conftest import DEMO_PERIOD, DemoBuild

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("e2e")]

REPORTS = ("newsletter", "performance", "timeliness")
FIGURE_FIELDS = {
    "id",
    "value",
    "unit",
    "period",
    "area",
    "numerator",
    "denominator",
    "label",
    "source",
    "report",
    "cell_index",
    "role",
}


def test_build_folder_holds_every_edition(demo_build: DemoBuild) -> None:
    folder = demo_build.folder
    assert folder.name == DEMO_PERIOD and folder.parent.name == "919"
    for report in demo_build.reports():
        assert (folder / f"{report}.html").is_file()
        assert (folder / f"{report}.pdf").is_file()
        assert (folder / "audit" / f"{report}.html").is_file()
        assert (folder / "audit" / f"{report}.ipynb").is_file()
    assert set(demo_build.reports()) >= {"newsletter"}
    assert (folder / "validation" / "summary.json").is_file()
    # Nothing half-built is left beside the published folder.
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")]


def test_figures_json_has_the_contract_fields(demo_build: DemoBuild) -> None:
    assert demo_build.figures, "a build publishes figures"
    for record in demo_build.figures:
        assert record.keys() >= FIGURE_FIELDS, record
        assert record["report"] in demo_build.reports()
    ids = {r["id"] for r in demo_build.figures}
    assert {"ehcp_plans_issued", "ehcp_20wk_pct_ex"} <= ids


def test_headline_figures_match_the_published_narrative(demo_build: DemoBuild) -> None:
    by_key = {(r["report"], r["id"], r["period"]): r for r in demo_build.figures}
    issued = by_key[("newsletter", "ehcp_plans_issued", DEMO_PERIOD)]
    assert issued["value"] == 669
    timeliness = by_key[("newsletter", "ehcp_20wk_pct_ex", DEMO_PERIOD)]
    assert timeliness["display"] == "42.5%"
    assert timeliness["numerator"] == 272 and timeliness["denominator"] == 640


def test_reader_pdf_states_the_headline_figures(demo_build: DemoBuild) -> None:
    reader = PdfReader(demo_build.folder / "newsletter.pdf")
    assert len(reader.pages) > 0
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "SEND improvement plan" in text
    assert "669" in text and "42.5%" in text


def test_reader_edition_hides_code_and_audit_shows_it(demo_build: DemoBuild) -> None:
    reader = (demo_build.folder / "newsletter.html").read_text()
    audit = (demo_build.folder / "audit" / "newsletter.html").read_text()
    assert "open_report(" not in reader
    assert "open_report" in audit  # highlighted: name and bracket are separate spans
    assert "Figure register" in audit and "Validation summary" in audit
    assert "Derivation of the figures above" in audit
    assert "Derivation of the figures above" not in reader


def test_manifest_records_inputs_outputs_and_environment(demo_build: DemoBuild) -> None:
    manifest = demo_build.manifest
    assert manifest["period"]["code"] == DEMO_PERIOD
    assert manifest["la"] == {
        "code": "919",
        "name": "Hertfordshire",
        "council": "Hertfordshire County Council",
    }
    assert manifest["demo"] is True and manifest["profile"]["demo"] is True
    assert "council.toml" in manifest["inputs"]
    inputs = manifest["inputs"]
    assert inputs["ehcp_requests.csv"]["rows"] > 10_000
    assert len(inputs["ehcp_requests.csv"]["sha256"]) == 64
    assert "newsletter.pdf" in manifest["outputs"]
    assert manifest["environment"]["packages"]["great-expectations"]
    assert manifest["validation"]["datasets"]["ehcp_requests"]["passed"] > 0
    assert manifest["timings"]["total_s"] > 0
    assert set(manifest["code"]) >= {"package", "notebooks", "suites", "package_version"}


def test_executed_notebook_is_free_of_run_specific_metadata(demo_build: DemoBuild) -> None:
    nb = json.loads((demo_build.folder / "audit" / "newsletter.ipynb").read_text())
    text = json.dumps(nb)
    assert "start_time" not in text and "end_time" not in text
    assert str(demo_build.data_dir) not in text
    assert str(demo_build.out_dir) not in text
