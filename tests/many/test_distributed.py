"""Many-LA builds on Dask: a local cluster and a real `dask scheduler` with two `dask worker`
processes on 127.0.0.1 give the same bytes; one LA's broken data fails only that LA.

Two builds in all (shared by every test here): the local run has three good LAs and one
broken one; the scheduler run rebuilds the three good LAs on the external cluster.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from sendreport.cli import main
from sendreport.manifest import output_hashes

pytestmark = [pytest.mark.slow, pytest.mark.shared_data, pytest.mark.xdist_group("dask")]

GOOD = ("201", "857", "884")  # City of London, Rutland, Herefordshire: small, quick
BROKEN = "882"  # Southend-on-Sea, its requests file damaged
PERIOD = "2023-24-Q4"
COMMON = ["--period", PERIOD, "--report", "newsletter", "--quiet"]


@dataclass(frozen=True)
class Run:
    out: Path
    code: int
    stdout: str


@pytest.fixture(scope="module")
def data_root(tmp_path_factory: pytest.TempPathFactory, dfe_release: Path) -> Path:
    root = tmp_path_factory.mktemp("many-data")
    las = ",".join((*GOOD, BROKEN))
    argv = ["demo-data", "--la", las, "--dfe", str(dfe_release), "--out", str(root)]
    assert main([*argv, "--jobs", "1"]) == 0  # no fork from the test process
    requests = root / BROKEN / "ehcp_requests.csv"
    lines = requests.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace(",20", ",not a date 20", 1)  # a received date that is no date
    requests.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def local_run(data_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    out = tmp_path_factory.mktemp("many-local")
    las = ",".join((*GOOD, BROKEN))
    args = ["build", "--la", las, "--data", str(data_root), "--out", str(out), "--jobs", "2"]
    return _run([*args, *COMMON], out)


def _run(argv: list[str], out: Path) -> Run:
    # The CLI prints the summary table on stdout; run it in a child to capture it cleanly.
    proc = subprocess.run(
        [sys.executable, "-m", "sendreport", *argv],
        capture_output=True,
        text=True,
        timeout=1200,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    return Run(out, proc.returncode, proc.stdout + proc.stderr)


def _start(argv: list[str], log: Path) -> subprocess.Popen:
    dask = Path(sys.executable).with_name("dask")
    handle = log.open("w")
    return subprocess.Popen([str(dask), *argv], stdout=handle, stderr=subprocess.STDOUT)


@pytest.fixture(scope="module")
def scheduler_run(data_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The good LAs on a real scheduler and two workers, started here on 127.0.0.1."""
    work = tmp_path_factory.mktemp("many-cluster")
    address_file = work / "scheduler.json"
    local = ["--host", "127.0.0.1", "--no-dashboard"]
    scheduler = _start(
        ["scheduler", *local, "--port", "0", "--scheduler-file", str(address_file)],
        work / "scheduler.log",
    )
    workers: list[subprocess.Popen] = []
    try:
        deadline = time.monotonic() + 120
        while not address_file.is_file() and time.monotonic() < deadline:
            time.sleep(0.5)
        address = json.loads(address_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        for n in range(2):
            workers.append(
                _start(
                    ["worker", address, "--nthreads", "1", *local, "--name", f"w{n}"],
                    work / f"worker{n}.log",
                )
            )
        _wait_for_workers(address, 2)
        out = work / "out"
        argv = ["build", "--la", ",".join(GOOD), "--data", str(data_root), "--out", str(out)]
        return _run([*argv, "--scheduler", address, *COMMON], out)
    finally:
        for proc in [*workers, scheduler]:
            proc.terminate()
        for proc in [*workers, scheduler]:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def _wait_for_workers(address: str, n: int) -> None:
    from distributed import Client

    with Client(address, timeout="60s") as client:
        client.wait_for_workers(n, timeout=120)


def test_local_cluster_builds_the_good_las_and_fails_the_broken_one(local_run: Run) -> None:
    assert local_run.code == 2, local_run.stdout
    run = json.loads((local_run.out / "run.json").read_text())
    status = {row["la"]: (row["status"], row["exit_code"]) for row in run["las"]}
    assert status == {**{la: ("ok", 0) for la in GOOD}, BROKEN: ("failed", 2)}
    broken = next(row for row in run["las"] if row["la"] == BROKEN)
    assert "ehcp_requests" in broken["message"] and broken["reason"]
    assert (run["ok"], run["failed"], run["periods"]) == (3, 1, [PERIOD])
    for la in GOOD:
        assert (local_run.out / la / PERIOD / "newsletter.pdf").is_file()
    assert not (local_run.out / BROKEN / PERIOD).exists()  # nothing half-published


def test_national_index_lists_the_built_councils_and_the_failure(local_run: Run) -> None:
    index = json.loads((local_run.out / "index.json").read_text())
    status = {row["la"]: row["status"] for row in index["councils"]}
    assert status == {**dict.fromkeys(GOOD, "built"), BROKEN: "failed"}
    page = (local_run.out / "index.html").read_text(encoding="utf-8")
    for la in GOOD:
        assert f'href="{la}/{PERIOD}/newsletter.html"' in page
    assert "not for accountability" in page


def test_summary_table_names_each_la_and_the_exit_reason(local_run: Run) -> None:
    lines = local_run.stdout.splitlines()
    row = next(line for line in lines if line.startswith(BROKEN))
    assert "Southend" in row and "failed" in row
    assert any(line.startswith("884") and " ok" in line for line in lines)
    assert "3 of 4 LAs ok, 1 failed" in local_run.stdout
    assert "LAs 4/4 done" not in local_run.stdout  # --quiet: no progress lines


def test_external_scheduler_gives_the_same_bytes(local_run: Run, scheduler_run: Run) -> None:
    assert scheduler_run.code == 0, scheduler_run.stdout
    run = json.loads((scheduler_run.out / "run.json").read_text())
    assert run["scheduler"].startswith("tcp://127.0.0.1:") and run["workers"] == 2
    for la in GOOD:
        ours, theirs = local_run.out / la / PERIOD, scheduler_run.out / la / PERIOD
        assert output_hashes(ours) == output_hashes(theirs), la
        assert (ours / "newsletter.pdf").read_bytes() == (theirs / "newsletter.pdf").read_bytes()


def test_unreachable_scheduler_is_exit_2(data_root: Path, tmp_path: Path) -> None:
    argv = ["build", "--la", ",".join(GOOD), "--data", str(data_root), "--out", str(tmp_path)]
    run = _run([*argv, "--scheduler", "tcp://127.0.0.1:9", *COMMON], tmp_path)
    assert run.code == 2 and "cannot reach the Dask scheduler" in run.stdout


def test_local_workers_share_one_kernel_server_and_skip_the_profiler() -> None:
    """The workers of a local cluster fork kernels from the build's one server (its imports
    paid once, not per worker) and run without Dask's statistical profiler, their
    housekeeping ticking once a second."""
    from sendreport import forkserver
    from sendreport.distributed import open_client, warm_worker

    def worker_state() -> tuple[str, bool, str]:
        import dask

        profiling = dask.config.get("distributed.worker.profile.enabled")
        return (
            os.environ[forkserver.ENV_VAR],
            profiling,
            dask.config.get("distributed.admin.tick.interval"),
        )

    with open_client(2, None) as client:
        client.run(warm_worker)
        states = set(client.run(worker_state).values())
        shared = os.environ[forkserver.ENV_VAR]
    assert states == {(shared, False, "1s")}
    assert os.environ.get(forkserver.ENV_VAR) != shared  # the server ended with the cluster
