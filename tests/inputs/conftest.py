"""A real PostgreSQL for the database tests, started and stopped by the tests themselves.

Debian's postgresql package (``make test`` installs it): ``initdb`` and ``pg_ctl`` into a
temporary folder, listening on 127.0.0.1 on a free port, as the ``postgres`` user when the
tests run as root (PostgreSQL refuses to run as root). In CI (``CI=true``) a missing
PostgreSQL fails the tests instead of skipping them.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PASSWORD = "s3cret-for-tests-only"
USER = "reporting"


@dataclass(frozen=True)
class Postgres:
    host: str
    port: int
    user: str
    password: str
    database: str = "postgres"

    def url(self, *, password: bool = False) -> str:
        secret = f":{self.password}" if password else ""
        return f"postgresql+psycopg://{self.user}{secret}@{self.host}:{self.port}/{self.database}"


def find_postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    bin_dir = find_postgres_bin()
    if bin_dir is None:
        message = "PostgreSQL (initdb, pg_ctl) is not installed: run `make postgres`"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    root = Path(tempfile.mkdtemp(prefix="sendreport-pg-"))
    data, pwfile, log = root / "data", root / "pw", root / "log"
    pwfile.write_text(PASSWORD)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(pwfile, "postgres")
    port = free_port()

    def run(*args: str) -> None:
        command = as_server_user([str(bin_dir / args[0]), *args[1:]])
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    # --no-sync: the cluster lives for this session only (as fsync=off below).
    run(
        "initdb",
        "--no-sync",
        "-D",
        str(data),
        "-U",
        USER,
        f"--pwfile={pwfile}",
        "--auth=scram-sha-256",
        "-E",
        "UTF8",
    )
    run(
        "pg_ctl",
        "-D",
        str(data),
        "-l",
        str(log),
        "-w",
        "-t",
        "60",
        "start",
        "-o",
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off",
    )
    try:
        yield Postgres("127.0.0.1", port, USER, PASSWORD)
    finally:
        subprocess.run(
            as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)
