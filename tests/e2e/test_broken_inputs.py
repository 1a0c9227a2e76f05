"""Each broken input, through `sendreport build`: exit 2, a message that says what and
where, and the last good build byte-for-byte unchanged."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sendreport.cli import main
from sendreport.metrics import FIXED_IDS
from tests.e2e.conftest import DEMO_PERIOD, DemoBuild, assert_untouched

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("e2e")]


def test_every_fixed_metric_id_is_published(demo_build: DemoBuild) -> None:
    published = {f["id"] for f in demo_build.figures}
    assert [i for i in FIXED_IDS if i not in published] == []


def test_benchmarks_are_published_under_their_area_codes(demo_build: DemoBuild) -> None:
    england = [f for f in demo_build.figures if f["area"] == "E92000001"]
    assert england and all(f["basis"] == "calendar year" for f in england)
    assert any(f["id"] == "dfe_ehcp_20wk_pct_ex" and f["display"] == "50.3%" for f in england)


def _rewrite(name: str, change: Callable[[str], str]) -> Callable[[Path], None]:
    def apply(data: Path) -> None:
        path = data / f"{name}.csv"
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")

    return apply


def _set_cell(column: str, value: str, row: int = 1) -> Callable[[str], str]:
    def change(text: str) -> str:
        lines = text.splitlines()
        header = lines[0].split(",")
        cells = lines[row].split(",")
        cells[header.index(column)] = value
        lines[row] = ",".join(cells)
        return "\n".join(lines) + "\n"

    return change


def _missing(data: Path) -> None:
    (data / "ehcp_caseload.csv").unlink()  # required (others are optional, see test_councils)


def _empty(data: Path) -> None:
    (data / "families_first.csv").write_bytes(b"")


def _wrong_type(data: Path) -> None:
    (data / "school_places.csv").write_bytes(b"PK\x03\x04" + b"\x00" * 64)


def _not_utf8(data: Path) -> None:
    path = data / "improvement_plan.csv"
    path.write_bytes(path.read_bytes().replace(b"progress", b"progr\xe8s", 1))


def _plan_before_request(data: Path) -> None:
    path = data / "ehcp_requests.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    for i, line in enumerate(lines[1:], start=1):
        cells = line.split(",")
        if cells[header.index("plan_issued_date")]:
            cells[header.index("received_date")] = "2025-03-30"
            lines[i] = ",".join(cells)
            break
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


CASES = {
    "missing file": (_missing, ["ehcp_caseload"]),
    "empty file": (_empty, ["families_first", "empty"]),
    "wrong file type": (_wrong_type, ["school_places"]),
    "not UTF-8": (_not_utf8, ["improvement_plan", "UTF-8"]),
    "unparseable date": (
        _rewrite("ehcp_requests", _set_cell("received_date", "31/02/2024")),
        ["ehcp_requests", "received_date", "31/02/2024"],
    ),
    "suppression marker": (
        _rewrite("service_waits", _set_cell("waiting", "c")),
        ["service_waits", "waiting", "'c'"],
    ),
    "duplicated header": (
        _rewrite("targets", lambda t: t.replace("polarity", "metric_id", 1)),
        ["targets", "metric_id"],
    ),
    "second LA": (
        _rewrite("ehcp_caseload", _set_cell("la_code", "884", row=3)),
        ["ehcp_caseload", "la_code", "884"],
    ),
    "plan before request": (_plan_before_request, ["ehcp_requests", "received_date"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_input_is_reported_and_nothing_published_is_lost(
    case: str,
    demo_build: DemoBuild,
    published: tuple[Path, Path, dict[str, str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out, folder, hashes = published
    data = tmp_path / "data"
    shutil.copytree(demo_build.data_dir, data)
    breaker, words = CASES[case]
    breaker(data)
    code = main(
        [
            "build",
            "--period",
            DEMO_PERIOD,
            "--la",
            "919",
            "--data",
            str(data),
            "--out",
            str(out),
            "--quiet",
            "--force",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("error: ")
    for word in words:
        assert word in err, f"{word!r} not in message:\n{err}"
    assert "Traceback" not in err
    assert_untouched(folder, hashes)


def test_validate_command_reports_all_problems_at_once(
    demo_build: DemoBuild, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_build.data_dir, data)
    _missing(data)
    _rewrite("service_waits", _set_cell("waiting", "x"))(data)
    code = main(["validate", "--data", str(data), "--la", "919"])
    err = capsys.readouterr().err
    assert code == 2
    assert "ehcp_caseload" in err and "service_waits" in err


def test_extra_column_is_a_warning_not_a_failure(
    demo_build: DemoBuild, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_build.data_dir, data)
    _rewrite(
        "targets",
        lambda t: (
            t.replace("polarity", "polarity,notes", 1)
            .replace("\n", ",\n")
            .replace("polarity,notes,", "polarity,notes", 1)
        ),
    )(data)
    code = main(["validate", "--data", str(data), "--la", "919"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "warning" in captured.err and "notes" in captured.err


def test_multi_la_extract_validates_only_when_asked(
    demo_build: DemoBuild, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_build.data_dir, data)
    _rewrite("ehcp_caseload", _set_cell("la_code", "884", row=3))(data)
    assert main(["validate", "--data", str(data)]) == 2
    assert "884" in capsys.readouterr().err
    assert main(["validate", "--data", str(data), "--all-las"]) == 0
    assert "for 2 LAs" in capsys.readouterr().out
    _rewrite("ehcp_caseload", _set_cell("la_code", "999", row=4))(data)
    assert main(["validate", "--data", str(data), "--all-las"]) == 2
    assert "999" in capsys.readouterr().err


def test_relative_paths_as_a_user_types_them(
    demo_build: DemoBuild,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`--data` and `--out` relative to the working folder, as in the README."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(demo_build.data_dir, tmp_path / "extract")
    _plan_before_request(tmp_path / "extract")
    code = main(["build", "--data", "extract", "--out", "outputs", "--quiet"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "internal error" not in err
    failed = tmp_path / "outputs" / "919" / f"{DEMO_PERIOD}.failed" / "validation"
    assert (failed / "validation_results.json").is_file()
    assert any(failed.rglob("index.html")), "Data Docs written"


def test_fixed_day_rules_name_the_rows(
    demo_build: DemoBuild, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_build.data_dir, data)
    _rewrite("cla_stability", _set_cell("year_end", "2023-04-30"))(data)
    _rewrite("school_places", _set_cell("as_at_date", "2019-01-01"))(data)
    code = main(["validate", "--data", str(data), "--la", "919"])
    err = capsys.readouterr().err
    assert code == 2
    assert "year_end is 31 March" in err and "2023-04-30" in err
    assert "as_at_date is a date in September" in err and "2019-01-01" in err


def test_contract_problems_name_the_file(
    demo_build: DemoBuild, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_build.data_dir, data)
    _plan_before_request(data)
    assert main(["validate", "--data", str(data), "--la", "919"]) == 2
    assert f"ehcp_requests ({data / 'ehcp_requests.csv'})" in capsys.readouterr().err
