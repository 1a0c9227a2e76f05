"""The kernel fork server: kernels forked warm behave as kernels launched the usual way.

One server per module (it costs one interpreter's imports); each test runs a hand-made
notebook through :func:`sendreport.execute.execute_notebook`, which asks the server for its
kernel when ``SENDREPORT_FORKSERVER`` names one.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from sendreport import forkserver
from sendreport.exceptions import NotebookError
from sendreport.execute import execute_notebook
from sendreport.report import STABLE_ENV
from tests.handmade import write_notebook

PARAMETERS = {"period": "2023-24-Q4", "la": "919", "data_dir": "/d", "benchmarks_path": "/b.pq"}
PROBE = """
import json, os, sys
print(json.dumps({
    "ppid": os.getppid(),
    "cwd": os.getcwd(),
    "path0": sys.path[0],
    "pandas_loaded": "pandas" in sys.modules,
    "marker": os.environ.get("SENDREPORT_TEST_MARKER"),
    "hashseed": os.environ.get("PYTHONHASHSEED"),
    "own_group": os.getpgid(0) == os.getpid(),
    "name": open("/proc/self/comm").read().strip(),
}))
"""


@pytest.fixture(scope="module")
def server() -> Iterator[forkserver.ForkServer]:
    started = forkserver.ForkServer.start(STABLE_ENV)
    yield started
    started.stop()


@pytest.fixture()
def using(server: forkserver.ForkServer, monkeypatch: pytest.MonkeyPatch) -> forkserver.ForkServer:
    monkeypatch.setenv(forkserver.ENV_VAR, str(server.socket_path))
    return server


def probe(tmp_path: Path) -> dict:
    """Run the probe notebook in ``tmp_path/work`` and return what the kernel saw."""
    work = tmp_path / "work"
    work.mkdir()
    path = write_notebook(tmp_path / "nb", "probe", PROBE)
    out = tmp_path / "probe.ipynb"
    execute_notebook(path, out, PARAMETERS, timeout_s=120, cwd=work)
    cell = nbformat.read(out, as_version=4).cells[-1]
    return json.loads(cell.outputs[0]["text"])


@pytest.mark.slow  # runs a kernel
def test_forked_kernel_is_the_servers_child_and_starts_warm(
    using: forkserver.ForkServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {**STABLE_ENV, "SENDREPORT_TEST_MARKER": "from-the-build"}.items():
        monkeypatch.setenv(name, value)
    seen = probe(tmp_path)
    assert seen["ppid"] == using.process.pid  # forked by the server, not launched
    assert seen["pandas_loaded"]  # imported once in the server, before the first cell
    # ... and otherwise as `python -m ipykernel_launcher` in the build's folder would be:
    assert seen["cwd"] == str(tmp_path / "work") == seen["path0"]
    assert seen["marker"] == "from-the-build"  # the environment the build passes
    assert seen["hashseed"] == STABLE_ENV["PYTHONHASHSEED"]
    assert seen["own_group"]  # a process group of its own, like a launched kernel
    assert seen["name"] == "ipykernel"  # as ps and top list it


@pytest.mark.slow  # runs a kernel
def test_without_a_server_kernels_launch_as_usual(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(forkserver.ENV_VAR, forkserver.OFF)
    seen = probe(tmp_path)
    assert seen["ppid"] == os.getpid()


@pytest.mark.slow  # runs a kernel
def test_a_server_that_is_gone_falls_back_to_launching(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = forkserver.ForkServer.start(STABLE_ENV)
    gone.stop()
    monkeypatch.setenv(forkserver.ENV_VAR, str(gone.socket_path))
    seen = probe(tmp_path)
    assert seen["ppid"] == os.getpid()


@pytest.mark.slow  # runs a kernel
def test_a_failing_cell_in_a_forked_kernel_is_located(
    using: forkserver.ForkServer, tmp_path: Path
) -> None:
    path = write_notebook(tmp_path / "nb", "broken", "x = 1", "raise ValueError('no plans')")
    with pytest.raises(NotebookError) as caught:
        execute_notebook(path, tmp_path / "broken.ipynb", PARAMETERS, timeout_s=120)
    assert (caught.value.cell_id, caught.value.ename) == ("work2", "ValueError")


@pytest.mark.slow  # runs a kernel
def test_a_timeout_kills_the_forked_kernel(using: forkserver.ForkServer, tmp_path: Path) -> None:
    path = write_notebook(
        tmp_path / "nb", "slow", "import os\nprint(os.getpid())", "while True: pass"
    )
    out = tmp_path / "slow.ipynb"
    with pytest.raises(NotebookError, match="still running after"):
        execute_notebook(path, out, PARAMETERS, timeout_s=3)
    cells = nbformat.read(out, as_version=4).cells
    pid = int(next(c for c in cells if c.id == "work").outputs[0]["text"])
    assert forkserver.ForkedKernel(pid).wait(timeout=10) is not None  # ended, not left behind


def test_the_server_ends_when_its_owner_stops_it() -> None:
    server = forkserver.ForkServer.start(STABLE_ENV)
    server.stop()
    assert server.process.returncode is not None
    assert not server.folder.exists()


def test_serving_kernels_sets_and_restores_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(forkserver.ENV_VAR, raising=False)
    with forkserver.serving_kernels(STABLE_ENV) as socket_path:
        assert os.environ[forkserver.ENV_VAR] == str(socket_path)
        with forkserver.serving_kernels(STABLE_ENV) as inner:
            assert inner == socket_path  # nested builds share the server
    assert forkserver.ENV_VAR not in os.environ
    monkeypatch.setenv(forkserver.ENV_VAR, forkserver.OFF)
    with forkserver.serving_kernels(STABLE_ENV) as none:
        assert none is None


def test_only_this_interpreters_ipykernel_command_is_forked() -> None:
    python = sys.executable
    assert forkserver.kernel_args([python, "-m", "ipykernel_launcher", "-f", "c.json"]) == (
        "-f",
        "c.json",
    )
    assert forkserver.kernel_args(["/usr/bin/other-python", "-m", "ipykernel_launcher"]) is None
    assert forkserver.kernel_args([python, "-m", "something_else", "-f", "c.json"]) is None


@pytest.mark.slow  # waits for the server's imports
def test_a_malformed_request_is_refused(server: forkserver.ForkServer) -> None:
    import socket

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(120)
        forkserver.connect_to_server(conn, server.socket_path)
        conn.sendall(b"not json\n")
        reply = conn.recv(4096)
    assert b"error" in reply and b"pid" not in reply


def test_a_worker_gets_one_server_for_all_its_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(forkserver.ENV_VAR, raising=False)
    first = forkserver.serve_this_process(STABLE_ENV)
    try:
        assert first is not None and os.environ[forkserver.ENV_VAR] == str(first)
        assert forkserver.serve_this_process(STABLE_ENV) == first
        with forkserver.serving_kernels(STABLE_ENV) as in_build:
            assert in_build == first  # a build on the worker uses the worker's server
    finally:
        forkserver._PROCESS_SERVER.pop().stop()


def test_a_local_clusters_worker_uses_the_server_it_inherits(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A local cluster's workers inherit the build's server socket: no server of their own
    (its imports would be paid once per worker)."""
    inherited = tmp_path / "s"
    monkeypatch.setenv(forkserver.ENV_VAR, str(inherited))
    monkeypatch.setattr(forkserver, "_PROCESS_SERVER", [])
    assert forkserver.serve_this_process(STABLE_ENV) == inherited
    assert forkserver._PROCESS_SERVER == []
