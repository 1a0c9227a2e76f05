"""Same inputs, same bytes; up-to-date detection; verify and diff."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from sendreport.build import BuildOptions, build
from sendreport.exceptions import VerificationMismatch
from sendreport.manifest import output_hashes
from sendreport.periods import Period
from sendreport.verify import diff_builds, format_diff, verify_build
from tests.e2e.conftest import DEMO_PERIOD, DemoBuild

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("e2e")]


def _options(data_dir: Path, out_dir: Path, **kw) -> BuildOptions:
    return BuildOptions(
        periods=(Period.parse(kw.pop("period", DEMO_PERIOD)),),
        la="919",
        data_dir=data_dir,
        out_dir=out_dir,
        **kw,
    )


def test_double_build_is_byte_identical(
    demo_build: DemoBuild, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The second build launches each kernel afresh instead of forking it warm from the
    # kernel fork server: how a kernel starts must not change a byte.
    monkeypatch.setenv("SENDREPORT_FORKSERVER", "off")
    again = build(_options(demo_build.data_dir, tmp_path / "again", jobs=2))[0].folder
    first, second = output_hashes(demo_build.folder), output_hashes(again)
    assert first.keys() == second.keys()
    differing = sorted(k for k in first if first[k] != second[k])
    assert differing == [], f"outputs differ between two builds: {differing}"


def test_unchanged_build_is_up_to_date_and_force_rebuilds(
    demo_build: DemoBuild, tmp_path: Path
) -> None:
    # Work on a copy so the shared build stays as the other tests expect it.
    out = tmp_path / "out"
    shutil.copytree(demo_build.out_dir, out)
    folder = out / "919" / DEMO_PERIOD
    before = output_hashes(folder)
    result = build(_options(demo_build.data_dir, out))[0]
    assert result.status == "up to date"
    assert output_hashes(folder) == before
    forced = build(_options(demo_build.data_dir, out, force=True, reports=None))[0]
    assert forced.status == "built"
    assert output_hashes(folder) == before  # rebuilt, and still the same bytes


def test_changed_parameters_are_not_up_to_date(demo_build: DemoBuild, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(demo_build.out_dir, out)
    result = build(_options(demo_build.data_dir, out, formats=("html",), reports=("newsletter",)))[
        0
    ]
    assert result.status == "built"
    assert not (out / "919" / DEMO_PERIOD / "newsletter.pdf").exists()


@pytest.fixture(scope="module")
def small_build(tmp_path_factory: pytest.TempPathFactory, demo_build: DemoBuild) -> Path:
    """A newsletter-only build on a private copy of the data, for verify tests."""
    root = tmp_path_factory.mktemp("verify")
    data = root / "data"
    shutil.copytree(demo_build.data_dir, data)
    return build(_options(data, root / "out", reports=("newsletter",)))[0].folder


def test_verify_passes_on_a_fresh_build(small_build: Path) -> None:
    report = verify_build(small_build)
    assert report["figures"] > 0 and report["files"] > 0


def test_verify_names_the_figure_after_an_input_edit(small_build: Path, tmp_path: Path) -> None:
    copy = tmp_path / "build"
    shutil.copytree(small_build, copy)
    data_dir = Path(
        __import__("json").loads((copy / "manifest.json").read_text())["parameters"]["data_dir"]
    )
    requests = data_dir / "ehcp_requests.csv"
    original = requests.read_bytes()
    try:
        rows = list(csv.DictReader(requests.open(encoding="utf-8")))
        # Move one plan issued in the quarter to outside 20 weeks: timeliness changes.
        for row in rows:
            if row["plan_issued_date"].startswith("2024-02") and row["week20_exception"] == "0":
                received = row["received_date"]
                if received >= "2023-10-01":
                    row["received_date"] = "2023-06-01"
                    break
        with requests.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0].keys()), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        with pytest.raises(VerificationMismatch) as caught:
            verify_build(copy)
        message = str(caught.value)
        assert "ehcp_20wk_pct_ex" in message
        assert "recorded inputs have changed" in message
        assert "ehcp_requests.csv" in message
        assert caught.value.exit_code == 1
    finally:
        requests.write_bytes(original)


def test_diff_lists_changed_figures_between_quarters(demo_build: DemoBuild, tmp_path: Path) -> None:
    other = build(
        _options(demo_build.data_dir, tmp_path / "q3", period="2023-24-Q3", reports=("newsletter",))
    )[0].folder
    changes = diff_builds(other, demo_build.folder)
    ids = {c["id"] for c in changes}
    assert "ehcp_plans_issued" in ids
    text = format_diff(changes, other, demo_build.folder)
    assert "figure(s) differ" in text and "→" in text
