"""A fork server for notebook kernels: pay Python's start-up and imports once, not per kernel.

A fresh ``python -m ipykernel_launcher`` spends seconds importing IPython, pandas,
matplotlib and sendreport before a report's first cell can run, and every report notebook
pays that again. The fork server is one process that imports all of it once, then forks a
ready interpreter for each kernel the build asks for (the way multiprocessing's
``forkserver`` and Android's zygote work). A forked kernel is an ordinary ipykernel talking
to nbclient over its connection file; only its start differs.

The build starts the server before it loads and validates the data, so the imports
overlap that work; pool workers and Dask workers find it through the
``SENDREPORT_FORKSERVER`` environment variable (set to the socket path) and ask it for
kernels over a Unix socket in a private folder. Anything unexpected (no server, a dead
server, an unusual kernel command) falls back to launching the kernel the usual way, and
``SENDREPORT_FORKSERVER=off`` turns the server off.

Lifetimes are tied so nothing outlives a build: the server ends when the process that
started it closes its stdin (or dies), and each kernel ends when the server ends.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import importlib
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENV_VAR = "SENDREPORT_FORKSERVER"
OFF = "off"
# What report notebooks import; the server imports it once so kernels start warm.
PRELOAD = (
    "ipykernel.kernelapp",
    "numpy",
    "pandas",
    "matplotlib",
    "matplotlib.pyplot",
    "matplotlib.backends.backend_agg",  # what a chart's savefig draws with
    "pyarrow.parquet",  # open_report reads the build's Parquet snapshot
    "sendreport.load",
    "sendreport.present",
    "sendreport.charts",
    "sendreport.metrics",
    "sendreport.disclosure",
)
CONNECT_TIMEOUT_S = 120.0  # the first kernel waits while the server is still importing
BIND_TIMEOUT_S = 10.0  # a server just started binds its socket before it imports
MAX_REQUEST_BYTES = 1 << 20


@dataclass(frozen=True)
class KernelRequest:
    """One kernel to fork: its ipykernel arguments, environment and working folder."""

    args: tuple[str, ...]
    env: dict[str, str]
    cwd: str

    def to_line(self) -> bytes:
        body = {"args": list(self.args), "env": self.env, "cwd": self.cwd}
        return json.dumps(body).encode() + b"\n"

    @classmethod
    def from_line(cls, line: bytes) -> KernelRequest:
        body = json.loads(line)
        return cls(tuple(map(str, body["args"])), dict(body["env"]), str(body["cwd"]))


# --- the client side: the build, its pool workers and Dask workers ------------------------
@dataclass
class ForkServer:
    """A running fork server this process started (and must stop)."""

    process: subprocess.Popen
    socket_path: Path
    folder: Path

    @classmethod
    def start(cls, env: dict[str, str] | None = None, *, tie_to_thread: bool = True) -> ForkServer:
        """Start a server; it imports in the background while the caller goes on.

        It ends when this process closes the server's stdin or dies; ``tie_to_thread``
        also ends it with the calling thread (Linux's parent-death signal follows the
        thread), which suits a build but not a worker warmed up from a passing thread."""
        from sendreport.pool import die_with_parent

        preexec = functools.partial(die_with_parent, os.getpid()) if tie_to_thread else None
        folder = Path(tempfile.mkdtemp(prefix="sendreport-forkserver-"))
        socket_path = folder / "s"
        process = subprocess.Popen(
            [sys.executable, "-m", "sendreport.forkserver", str(socket_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
            cwd=folder,
            preexec_fn=preexec,
        )
        return cls(process, socket_path, folder)

    def stop(self) -> None:
        """End the server (and any kernel it forked that is still running)."""
        with contextlib.suppress(OSError):
            if self.process.stdin:
                self.process.stdin.close()
        # It may still be importing (not yet watching stdin): end it now rather than wait.
        with contextlib.suppress(OSError):
            self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def current_socket() -> Path | None:
    """The socket of the fork server this process may use, if any."""
    value = os.environ.get(ENV_VAR, "")
    if not value or value == OFF:
        return None
    return Path(value)


@contextlib.contextmanager
def serving_kernels(env: dict[str, str] | None = None) -> Iterator[Path | None]:
    """Run a fork server for the duration of the block, unless one is already serving this
    process (a Dask worker's) or the user turned it off; yields the socket in use."""
    if os.environ.get(ENV_VAR) == OFF:
        yield None
        return
    existing = current_socket()
    if existing is not None and existing.parent.is_dir():  # its socket may still be binding
        yield existing
        return
    server = ForkServer.start(env)
    previous = os.environ.get(ENV_VAR)
    os.environ[ENV_VAR] = str(server.socket_path)
    try:
        yield server.socket_path
    finally:
        _restore_env(previous)
        server.stop()


_PROCESS_SERVER: list[ForkServer] = []  # a long-lived worker's own server, kept alive here


def serve_this_process(env: dict[str, str] | None = None) -> Path | None:
    """Give a long-lived process (a Dask worker) a fork server for every build it runs:
    its own, started now and ended when the process exits, unless it has one, its parent
    shares one (a local cluster's workers inherit the socket of the build's server), or
    the user turned it off."""
    if os.environ.get(ENV_VAR) == OFF:
        return None
    if _PROCESS_SERVER and _PROCESS_SERVER[0].process.poll() is None:
        return _PROCESS_SERVER[0].socket_path
    inherited = current_socket()
    if not _PROCESS_SERVER and inherited is not None and inherited.parent.is_dir():
        return inherited
    server = ForkServer.start(env, tie_to_thread=False)
    _PROCESS_SERVER[:] = [server]
    atexit.register(server.stop)
    os.environ[ENV_VAR] = str(server.socket_path)
    return server.socket_path


def _restore_env(previous: str | None) -> None:
    if previous is None:
        os.environ.pop(ENV_VAR, None)
    else:
        os.environ[ENV_VAR] = previous


def kernel_args(kernel_cmd: list[str]) -> tuple[str, ...] | None:
    """ipykernel's arguments if ``kernel_cmd`` is the standard ``python -m ipykernel_launcher``
    command of this interpreter (the only kind the server can fork); otherwise None."""
    if len(kernel_cmd) < 3 or kernel_cmd[1:3] != ["-m", "ipykernel_launcher"]:
        return None
    if os.path.realpath(kernel_cmd[0]) != os.path.realpath(sys.executable):
        return None
    return tuple(kernel_cmd[3:])


def request_kernel(socket_path: Path, request: KernelRequest) -> int:
    """Ask the server at ``socket_path`` for a kernel; return the kernel's process id.

    Raises OSError when the server cannot be reached or refuses (the caller then launches
    the kernel itself)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(CONNECT_TIMEOUT_S)
        connect_to_server(conn, socket_path)
        conn.sendall(request.to_line())
        reply = _read_line(conn)
    try:
        return int(json.loads(reply)["pid"])
    except (ValueError, KeyError, TypeError) as err:
        raise OSError(f"the kernel fork server refused the request: {reply[:200]!r}") from err


def connect_to_server(conn: socket.socket, socket_path: Path) -> None:
    """Connect, waiting briefly for a server that has just started to bind its socket (a
    refused connection means the server is gone: no waiting for that)."""
    deadline = time.monotonic() + BIND_TIMEOUT_S
    while True:
        try:
            conn.connect(str(socket_path))
            return
        except FileNotFoundError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _read_line(conn: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
        if len(data) > MAX_REQUEST_BYTES:
            raise OSError("message from the kernel fork server too long")
    return data


class ForkedKernel:
    """A kernel the server forked, with the parts of :class:`subprocess.Popen` that
    jupyter_client's provisioner uses. The kernel is the server's child, not ours, so
    liveness is probed with signal 0 (the server reaps its children as they end)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = -1  # ended; its exit status went to the server
            except PermissionError:
                self.returncode = -1  # the id now belongs to someone else's process
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0)
            time.sleep(0.05)
        return -1 if self.returncode is None else self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


# --- the server side ----------------------------------------------------------------------
def serve(socket_path: Path) -> None:
    """Bind, import what kernels need, then fork one kernel per request until stdin closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ^C is the build's to handle, not ours
    signal.signal(signal.SIGCHLD, reap_kernels)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(socket_path))  # bound first: early clients queue while we import
    listener.listen(64)
    preload()
    while True:
        readable, _, _ = select.select([listener, sys.stdin.fileno()], [], [])
        if sys.stdin.fileno() in readable and not os.read(sys.stdin.fileno(), 4096):
            return  # the process that started us has finished with us (or died)
        if listener in readable:
            conn, _ = listener.accept()
            with conn:
                answer(conn, listener)


def reap_kernels(signum: int = signal.SIGCHLD, frame: Any = None) -> None:
    """Collect every kernel that has ended, at once: a kernel left a zombie would still
    answer the client's liveness probe, and a reaped one's CPU time counts towards the
    build's (so `time` and the benchmarks see the kernels' work)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def preload() -> None:
    """Import what report kernels import, so forked kernels start with it loaded."""
    for name in PRELOAD:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def answer(conn: socket.socket, listener: socket.socket) -> None:
    """Fork a kernel for the request on ``conn`` and reply with its process id."""
    try:
        request = KernelRequest.from_line(_read_line(conn))
    except (OSError, ValueError, KeyError, TypeError) as err:
        conn.sendall(json.dumps({"error": type(err).__name__}).encode() + b"\n")
        return
    pid = os.fork()
    if pid == 0:
        become_kernel(request, [conn, listener])
    conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")


def become_kernel(request: KernelRequest, inherited: list[socket.socket]) -> None:
    """In the forked child: turn into an ipykernel as ``python -m ipykernel_launcher``
    started in ``request.cwd`` with ``request.env`` would be. Never returns."""
    from sendreport.pool import die_with_parent

    code = 1
    try:
        server_pid = os.getppid()
        for sock in inherited:
            sock.close()
        os.setsid()  # its own process group, as jupyter_client's launcher gives a kernel
        _name_process("ipykernel")  # what ps and top show for it (not the server's name)
        die_with_parent(server_pid)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        _redirect_stdio()
        os.chdir(request.cwd)
        os.environ.clear()
        os.environ.update({**request.env, "JPY_PARENT_PID": str(server_pid)})
        sys.path[0] = request.cwd  # as `python -m` puts the working folder first
        # ipykernel reads JPY_PARENT_PID when imported (here: in the server), so say it again.
        parent = f"--IPKernelApp.parent_handle={server_pid}"
        sys.argv = ["ipykernel_launcher", *request.args, parent]
        code = _run_kernel()
    finally:
        os._exit(code)


def _name_process(name: str) -> None:
    """Set this process's name (Linux ``comm``, 15 bytes); nothing elsewhere."""
    with contextlib.suppress(OSError):
        Path("/proc/self/comm").write_text(name[:15])


def _redirect_stdio() -> None:
    """No terminal input; output at the file level goes where the build's errors go."""
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(2, 1)
    os.close(devnull)


def _run_kernel() -> int:
    from ipykernel.kernelapp import launch_new_instance

    try:
        launch_new_instance()
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else 0
    return 0


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
