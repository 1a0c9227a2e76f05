"""Datasets from a real PostgreSQL through mapping.toml: the same table as contract form."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from sendreport.cli import main
from sendreport.demo import write_demo
from sendreport.load import load_inputs
from sendreport.metrics import compute
from sendreport.periods import Period
from tests.inputs.conftest import Postgres, free_port

# One PostgreSQL server (initdb, start, the demo loaded) for the module, on one pytest-xdist
# worker under --dist loadgroup (make test, make test-fast), not one a worker.
pytestmark = pytest.mark.xdist_group("postgres")

ENV = "SENDREPORT_TEST_DB_SECRET"
WORDS = {"assess": "Yes", "not_assess": "No", "withdrawn": "Withdrawn", "pending": "Open"}


@pytest.fixture(scope="module")
def demo(demo_frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return demo_frames


@pytest.fixture(scope="module")
def loaded_db(postgres: Postgres, demo) -> Postgres:
    """The demo requests in a warehouse's own shape, and the caseload as it is."""
    import sqlalchemy as sa

    engine = sa.create_engine(postgres.url(password=True))
    requests = demo["ehcp_requests"].rename(
        columns={"request_id": "case_ref", "received_date": "date_received"}
    )
    requests["request_outcome"] = requests["request_outcome"].map(WORDS)
    with engine.begin() as connection:
        connection.execute(sa.text("create schema if not exists send"))
    requests.to_sql("requests", engine, schema="send", index=False, if_exists="replace")
    demo["ehcp_caseload"].to_sql(
        "caseload", engine, schema="send", index=False, if_exists="replace"
    )
    engine.dispose()
    return postgres


def mapping_text(db: Postgres, *, port: int | None = None) -> str:
    url = db.url().replace(f":{db.port}/", f":{port or db.port}/")
    return f"""
[ehcp_requests]
url = "{url}"
credentials_env = "{ENV}"
query = "select * from send.requests where la_code = '919' order by case_ref"

[ehcp_requests.columns]
request_id = "case_ref"
received_date = "date_received"

[ehcp_requests.values.request_outcome]
"Yes" = "assess"
"No" = "not_assess"
"Withdrawn" = "withdrawn"
"Open" = "pending"

[ehcp_caseload]
url = "{url}"
credentials_env = "{ENV}"
table = "send.caseload"
"""


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's other datasets as CSV files, written once: each test copies them."""
    folder = tmp_path_factory.mktemp("demo")
    write_demo(folder, la_code="919")
    (folder / "ehcp_requests.csv").unlink()
    (folder / "ehcp_caseload.csv").unlink()
    return folder


@pytest.fixture()
def folder(tmp_path: Path, demo_folder: Path, loaded_db: Postgres, monkeypatch) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(demo_folder, folder)
    (folder / "mapping.toml").write_text(mapping_text(loaded_db))
    monkeypatch.setenv(ENV, loaded_db.password)
    return folder


def test_database_datasets_equal_contract_form(folder: Path, demo, loaded_db) -> None:
    loaded = load_inputs(folder, datasets=["ehcp_requests", "ehcp_caseload"])
    for name in ("ehcp_requests", "ehcp_caseload"):
        want, got = demo[name].reset_index(drop=True), loaded.frames[name]
        for col in want.columns:
            a, b = want[col], got[col]
            if a.dtype.kind == "M":
                a, b = a.astype("datetime64[ns]"), b.astype("datetime64[ns]")
            assert (
                a.astype(object).where(a.notna(), None).tolist()
                == b.astype(object).where(b.notna(), None).tolist()
            ), f"{name}.{col}"
    assert (
        "database query at postgresql+psycopg://reporting@127.0.0.1"
        in loaded.origins["ehcp_requests"]
    )
    for period in Period.parse_range("2022-23-Q1..2024-25-Q4"):
        for metric_id in ("ehcp_20wk_pct_ex", "ehcna_refusal_pct", "ehcp_overdue_open"):
            want = compute(metric_id, {"ehcp_requests": demo["ehcp_requests"]}, period)
            got = compute(metric_id, {"ehcp_requests": loaded.frames["ehcp_requests"]}, period)
            assert (got.value, got.components) == (want.value, want.components)


@pytest.mark.slow
def test_validate_from_the_database(folder: Path, capsys, loaded_db) -> None:
    assert main(["validate", "--data", str(folder), "--la", "919"]) == 0, capsys.readouterr().err
    captured = capsys.readouterr()
    assert re.search(r"valid: \d+ datasets passed", captured.out), captured.out
    assert loaded_db.password not in captured.out + captured.err


def test_unreachable_database_names_the_host_and_no_secret(
    folder: Path, loaded_db: Postgres, capsys
) -> None:
    port = free_port()  # nothing listens there
    (folder / "mapping.toml").write_text(mapping_text(loaded_db, port=port))
    assert main(["inspect", "--data", str(folder), "--dataset", "ehcp_requests"]) == 2
    out = capsys.readouterr().out
    assert f"cannot reach the database at 127.0.0.1:{port}" in out
    assert loaded_db.password not in out


def test_password_in_the_url_is_refused(folder: Path, loaded_db: Postgres, capsys) -> None:
    text = mapping_text(loaded_db).replace(loaded_db.url(), loaded_db.url(password=True))
    (folder / "mapping.toml").write_text(text)
    assert main(["inspect", "--data", str(folder), "--dataset", "ehcp_requests"]) == 2
    out = capsys.readouterr().out
    assert "credentials must not be written in mapping.toml" in out
    assert loaded_db.password not in out


def test_missing_credentials_variable(folder: Path, monkeypatch, capsys) -> None:
    monkeypatch.delenv(ENV)
    assert main(["inspect", "--data", str(folder), "--dataset", "ehcp_caseload"]) == 2
    assert f"environment variable {ENV}" in capsys.readouterr().out


def test_wrong_password_names_the_host_only(folder: Path, monkeypatch, capsys, loaded_db) -> None:
    monkeypatch.setenv(ENV, "not-the-password")
    assert main(["inspect", "--data", str(folder), "--dataset", "ehcp_caseload"]) == 2
    out = capsys.readouterr().out
    assert f"127.0.0.1:{loaded_db.port}" in out and "not-the-password" not in out


def test_a_database_build_is_never_up_to_date(folder: Path) -> None:
    from sendreport.build import BuildOptions, plan_build

    options = BuildOptions(
        periods=(Period.parse("2023-24-Q4"),), la="919", data_dir=folder, out_dir=folder / "out"
    )
    assert plan_build(options)[1]["database"] != plan_build(options)[1]["database"]


def test_snapshot_is_keyed_by_the_rows_read(tmp_path: Path) -> None:
    """The warehouse changed, the folder did not: the notebooks must not get old rows."""
    from sendreport.build import write_snapshot_cached
    from sendreport.load import FileInfo, Inputs

    frame = pd.DataFrame({"a": [1]})
    files = {"mapping.toml": {"size": 1, "sha256": "same"}}
    snapshots = []
    for rows_digest in ("before", "after"):
        info = FileInfo(path="db", size=1, sha256=rows_digest, rows=1, format="database")
        loaded = Inputs(frames={"ehcp_caseload": frame}, files={"ehcp_caseload": info})
        snapshots.append(write_snapshot_cached(loaded, files, tmp_path))
    assert snapshots[0] != snapshots[1]
