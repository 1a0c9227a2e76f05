"""The assemble layer on hand-made build folders: the manifest seal and output check,
and carrying reports over into a narrower rebuild."""

from __future__ import annotations

import json
from pathlib import Path

from sendreport import manifest as mf
from sendreport.assemble import carry_over, report_of

FIGURE = {
    "id": "plans",
    "label": "Plans",
    "value": 1.0,
    "display": "1",
    "unit": "plans",
    "period": "2023-24-Q4",
    "period_start": "2024-01-01",
    "period_end": "2024-03-31",
    "basis": "quarter",
    "area": "919",
    "source": [],
}


def published_folder(root: Path, reports: list[str]) -> Path:
    folder = root / "919" / "2023-24-Q4"
    (folder / "audit").mkdir(parents=True)
    (folder / "validation").mkdir()
    (folder / "validation" / "summary.json").write_text("{}")
    for report in reports:
        (folder / f"{report}.html").write_text(f"<h1>{report}</h1>")
        (folder / f"{report}.pdf").write_bytes(b"%PDF " + report.encode())
        (folder / "audit" / f"{report}.ipynb").write_text("{}")
    figures = [{**FIGURE, "report": r} for r in reports]
    (folder / "figures.json").write_text(json.dumps(figures))
    mf.write_manifest(
        folder,
        {
            "build_key": "old-key",
            "parameters": {"reports": reports},
            "data_as_at": "2024-03-31",
            "inputs": {"ehcp_requests.csv": {"sha256": "abc"}},
            "timings": {"notebooks": {r: {"execute_s": 1.0} for r in reports}},
            "outputs": mf.output_hashes(folder),
        },
    )
    return folder


def test_seal_and_output_check(tmp_path: Path) -> None:
    folder = published_folder(tmp_path, ["newsletter"])
    recorded = mf.read_manifest(folder)
    assert mf.check_outputs(folder, recorded) == []
    (folder / "extra.txt").write_text("added")
    (folder / "newsletter.pdf").unlink()
    (folder / "newsletter.html").write_text("edited")
    problems = mf.check_outputs(folder, recorded)
    assert problems == [
        "extra.txt: added since the build",
        "newsletter.html: changed since the build (SHA-256 differs)",
        "newsletter.pdf: missing (removed since the build)",
    ]
    recorded["data_as_at"] = "2099-01-01"
    assert mf.check_outputs(folder, recorded)[0].startswith("manifest.json: edited")
    del recorded["seal"]
    assert mf.check_outputs(folder, recorded)[0].startswith("manifest.json: has no seal")


def test_report_of() -> None:
    reports = ["news", "newsletter"]
    assert report_of("newsletter.html", reports) == "newsletter"
    assert report_of("audit/news.ipynb", reports) == "news"
    assert report_of("charts/newsletter/a.png", reports) == "newsletter"
    assert report_of("figures.json", reports) is None


def test_carry_over_copies_only_reports_not_built(tmp_path: Path) -> None:
    final = published_folder(tmp_path, ["newsletter", "performance"])
    staging = tmp_path / "staging"
    (staging / "audit").mkdir(parents=True)
    carried = carry_over(final, staging, ["newsletter"])
    assert carried.reports == ["performance"]
    assert sorted(str(p.relative_to(staging)) for p in staging.rglob("*") if p.is_file()) == [
        "audit/performance.ipynb",
        "performance.html",
        "performance.pdf",
    ]
    assert [f.report for f in carried.figures] == ["performance"]
    assert carried.timings == {"performance": {"execute_s": 1.0}}
    assert carried.provenance["performance"]["build_key"] == "old-key"


def test_nothing_to_carry_from_an_empty_place(tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    staging.mkdir()
    assert carry_over(tmp_path / "nothing", staging, ["newsletter"]).reports == []
