"""Sign-off and the published site on small hand-made build folders (no notebooks run).

The same flow on a real build, and the quarterly dry run, are in tests/e2e/test_operations.py.
"""

from __future__ import annotations

import json
import pickle
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sendreport.approve import APPROVAL, approve_build, check_approved, parse_role, parse_roles
from sendreport.cli import main
from sendreport.exceptions import NotApproved, ParameterError
from sendreport.manifest import output_hashes, write_manifest
from sendreport.site import publish_site, render_index, style_hash, with_changes


def figure(fid: str, value: float, period: str, unit: str = "count") -> dict:
    return {"id": fid, "label": f"<b>{fid}</b>", "value": value, "display": f"{value:g}",
            "unit": unit, "period": period, "period_start": "", "period_end": "",
            "basis": "quarter", "area": "919", "report": "newsletter", "source": []}  # fmt: skip


def make_build(
    root: Path, period: str, plans: float, *, la_name: str = "Hertfordshire", roles: tuple = ()
) -> Path:
    """A build folder as `sendreport build` leaves it, with a manifest recording its files."""
    folder = root / "919" / period
    (folder / "audit").mkdir(parents=True)
    (folder / "validation").mkdir()
    (folder / "inputs").mkdir()
    (folder / "newsletter.html").write_text(
        f"<html><head><title>Newsletter &amp; update {period}</title></head></html>"
    )
    (folder / "newsletter.pdf").write_bytes(b"%PDF-1.7 demo")
    (folder / "tables.xlsx").write_bytes(b"PK demo workbook")
    (folder / "audit" / "newsletter.html").write_text("<html>audit</html>")
    (folder / "audit" / "newsletter.ipynb").write_text("{}")
    (folder / "validation" / "summary.json").write_text("{}")
    (folder / "inputs" / "ehcp_requests.parquet").write_bytes(b"PAR1 personal data")
    figures = [figure("ehcp_plans_issued", plans, period), figure("ehcp_20wk_pct_ex", 40.0 + plans / 100, period, "%")]  # fmt: skip
    (folder / "figures.json").write_text(json.dumps(figures))
    manifest = {
        "build_key": f"key-{period}",
        "parameters": {"la": "919", "period": period, "data_dir": str(root / "data")},
        "la": {"code": "919", "name": la_name},
        "data_as_at": "2024-03-31",
        "outputs": output_hashes(folder),
        "profile": {"sign_off_roles": list(roles)},
    }
    write_manifest(folder, manifest)
    return folder


@pytest.fixture()
def builds(tmp_path: Path) -> tuple[Path, Path]:
    return make_build(tmp_path, "2023-24-Q3", 500), make_build(tmp_path, "2023-24-Q4", 669)


NOW = datetime(2024, 4, 10, 9, 30, tzinfo=UTC)


def test_approval_records_who_role_when_and_every_hash(builds):
    _, q4 = builds
    approve_build(q4, by="Ann Analyst", role="analyst", now=NOW)
    record = approve_build(q4, by="Bob Chair", role="approver", note="board 9 April", now=NOW)
    assert record == json.loads((q4 / APPROVAL).read_text())
    assert [a["role"] for a in record["approvals"]] == ["analyst", "approver"]
    assert record["approvals"][1] == {
        "by": "Bob Chair", "role": "approver", "at": "2024-04-10T09:30:00Z", "note": "board 9 April"
    }  # fmt: skip
    assert "newsletter.pdf" in record["outputs"] and "audit/newsletter.ipynb" in record["outputs"]
    assert len(record["manifest_sha256"]) == 64
    assert check_approved(q4, ("analyst", "approver")) == record


def test_roles_are_the_qa_plans(builds):
    assert parse_role("Assurer") == parse_role("analytical assurer") == "analytical assurer"
    assert parse_roles("analyst, approver") == ("analyst", "approver")
    with pytest.raises(ParameterError, match="accepted: analyst, analytical assurer, approver"):
        parse_role("manager")
    with pytest.raises(ParameterError, match="different person"):
        approve_build(builds[1], by="Ann", role="analyst")
        approve_build(builds[1], by="Ann", role="approver")


def test_approve_refuses_a_build_edited_before_or_after_first_approval(builds):
    q3, q4 = builds
    (q3 / "newsletter.html").write_text("edited")
    with pytest.raises(NotApproved, match="differs from its manifest") as err:
        approve_build(q3, by="Ann", role="analyst")
    assert err.value.problems == ["newsletter.html: changed since the build (SHA-256 differs)"]
    approve_build(q4, by="Ann", role="analyst")
    (q4 / "figures.json").write_text("[]")
    with pytest.raises(NotApproved, match="differs from its manifest"):
        approve_build(q4, by="Bob", role="approver")
    # Even with the manifest rewritten to match, the first sign-off no longer holds.
    manifest = json.loads((q4 / "manifest.json").read_text())
    write_manifest(q4, manifest | {"outputs": output_hashes(q4)})
    with pytest.raises(NotApproved, match="changed after it was first approved") as err:
        approve_build(q4, by="Bob", role="approver")
    assert err.value.problems[:2] == [
        "manifest.json: changed since the first approval",
        "figures.json: changed since the first approval (SHA-256 differs)",
    ]


def test_not_approved_survives_pickling():
    err = pickle.loads(pickle.dumps(NotApproved("no", problems=["a"], hint="h")))
    assert (err.problems, err.hint, err.exit_code) == (["a"], "h", 2)


def test_publish_copies_reader_editions_only_and_lists_both_quarters(builds, tmp_path: Path):
    for folder in builds:
        approve_build(folder, by="Bob", role="approver")
    site = tmp_path / "site"
    listing = publish_site(builds, site)
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert files == [
        "919/2023-24-Q3/newsletter.html", "919/2023-24-Q3/newsletter.pdf",
        "919/2023-24-Q3/tables.xlsx",
        "919/2023-24-Q4/newsletter.html", "919/2023-24-Q4/newsletter.pdf",
        "919/2023-24-Q4/tables.xlsx",
        "index.html", "index.json",
    ]  # fmt: skip
    assert [q["period"] for q in listing] == ["2023-24-Q4", "2023-24-Q3"]  # newest first
    plans = listing[0]["headline"][0]
    assert (plans["id"], plans["change"], plans["previous_period"]) == (
        "ehcp_plans_issued", 169.0, "2023-24-Q3"
    )  # fmt: skip
    assert json.loads((site / "index.json").read_text())["quarters"] == listing
    page = (site / "index.html").read_text()
    assert page.index("January–March 2024") < page.index("October–December 2023")
    assert "+169" in page and "+1.7 percentage points" in page
    assert "Newsletter &amp; update 2023-24-Q4" in page and "<b>" not in page
    assert "Every table in the reports and the data behind each chart" in page


def test_a_demo_quarter_is_marked_on_the_site(builds, tmp_path: Path):
    demo, real = builds[1], builds[0]
    write_manifest(demo, json.loads((demo / "manifest.json").read_text()) | {"demo": True})
    for folder in builds:
        approve_build(folder, by="Bob", role="approver")
    listing = publish_site(builds, tmp_path / "site")
    assert [q["demo"] for q in listing] == [True, False]
    page = (tmp_path / "site" / "index.html").read_text()
    demo_part, real_part = page.split('id="la-919-2023-24-Q3"')
    assert "Demo data." in demo_part and "Demo data" not in real_part
    assert real.name == "2023-24-Q3"


def test_publish_with_include_audit_keeps_inputs_out(builds, tmp_path: Path):
    approve_build(builds[1], by="Bob", role="approver")
    site = tmp_path / "internal"
    publish_site([builds[1]], site, include_audit=True)
    quarter = site / "919" / "2023-24-Q4"
    names = {p.relative_to(quarter).as_posix() for p in quarter.rglob("*") if p.is_file()}
    assert {"audit/newsletter.html", "figures.json", "manifest.json"} <= names
    assert not any(n.startswith("inputs") for n in names)


def test_publish_refuses_unapproved_or_changed_builds_and_leaves_the_site(
    builds, tmp_path: Path, capsys
):
    q3, q4 = builds
    site = tmp_path / "site"
    approve_build(q4, by="Bob", role="approver")
    assert main(["publish", str(q4), "--site", str(site)]) == 0
    before = (site / "index.json").read_bytes()
    assert main(["publish", str(q3), str(q4), "--site", str(site)]) == 2
    assert "has not been approved" in capsys.readouterr().err
    (q4 / "newsletter.pdf").write_bytes(b"%PDF tampered")
    approve_build(q3, by="Bob", role="approver")
    assert main(["publish", str(q3), str(q4), "--site", str(site)]) == 2
    err = capsys.readouterr().err
    assert (
        "changed after it was approved" in err and "newsletter.pdf: changed since approval" in err
    )
    assert main(["publish", str(q3), "--site", str(site), "--require", "analyst,approver"]) == 2
    assert "no sign-off yet by the analyst" in capsys.readouterr().err
    assert (site / "index.json").read_bytes() == before
    assert not (site / "919" / "2023-24-Q3").exists()
    assert not list(tmp_path.glob(".site.building-*"))  # no staging left behind


def test_profile_sign_off_roles_are_required_by_publish(tmp_path: Path, capsys) -> None:
    """council.toml's [sign_off] required_roles, recorded in the manifest, binds publish."""
    folder = make_build(tmp_path, "2023-24-Q4", 669, roles=("analyst", "approver"))
    site = tmp_path / "site"
    approve_build(folder, by="Bob", role="approver")
    assert main(["publish", str(folder), "--site", str(site)]) == 2
    assert "no sign-off yet by the analyst" in capsys.readouterr().err
    approve_build(folder, by="Ann", role="analyst")
    assert main(["publish", str(folder), "--site", str(site)]) == 0


def test_index_escapes_text_and_fetches_nothing():
    entry = {
        "la": "919", "la_name": "<script>alert(1)</script>", "period": "2023-24-Q4",
        "period_text": "January–March 2024", "data_as_at": "2024-03-31", "approved": [],
        "reports": [{"name": "n", "title": "\"><img src=x>", "files": [
            {"path": "919/2023-24-Q4/n.html", "format": "html", "bytes": 10}]}],
        "headline": [],
    }  # fmt: skip
    page = render_index(with_changes([entry]))
    assert "<script>" not in page and "<img" not in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src &#x27;none&#x27;" in csp and style_hash() in csp
    assert page.count("<h1>") == 1 and '<html lang="en">' in page


def test_verify_reads_moved_or_kept_inputs(tmp_path: Path):
    from sendreport.exceptions import InputFileError, VerificationMismatch
    from sendreport.manifest import input_files
    from sendreport.verify import changed_inputs, choose_inputs

    build = make_build(tmp_path, "2023-24-Q4", 669)
    moved = tmp_path / "moved"
    moved.mkdir()
    (moved / "ehcp_requests.csv").write_text("request_id\n1\n")
    manifest = {
        "parameters": {"data_dir": str(tmp_path / "gone")},
        "inputs": input_files(moved),
        "kept_inputs": input_files(build / "inputs"),
    }
    assert choose_inputs(build, manifest, moved) == moved
    assert changed_inputs(manifest, moved) == []
    assert choose_inputs(build, manifest, None) == build / "inputs"
    assert choose_inputs(build, {**manifest, "kept_inputs": {}}, None) == tmp_path / "gone"
    with pytest.raises(InputFileError, match="is not a folder"):
        choose_inputs(build, manifest, tmp_path / "nowhere")
    (build / "inputs" / "ehcp_requests.parquet").write_bytes(b"edited")
    with pytest.raises(VerificationMismatch, match="kept inputs differ") as err:
        choose_inputs(build, manifest, None)
    assert "ehcp_requests.parquet: contents changed" in str(err.value)
