"""fetch_release downloads a release zip over HTTP (served locally) and unpacks data/."""

from __future__ import annotations

import io
import json
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sendreport.dfe.fetch import FetchError, fetch_release
from sendreport.dfe.release import load_release
from sendreport.exceptions import SendReportError

from .conftest import pick

RELEASE_ID = "2e60aacd-d46c-416a-af4d-9d2269506ff6"
PUBLICATION = "education-health-and-care-plans"


def _zip_release(release: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as zf:
        for path in sorted((release / "data").glob("*.csv")):
            zf.write(path, f"data/{path.name}")
        zf.write(release / "data-guidance.txt", "data-guidance/data-guidance.txt")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def ees_server(dfe_release: Path) -> Iterator[str]:
    """A stand-in for the EES content API on 127.0.0.1 with an ephemeral port."""
    archive = _zip_release(dfe_release)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == f"/api/publications/{PUBLICATION}/releases/latest":
                body, kind = json.dumps({"id": RELEASE_ID, "slug": "2025"}).encode(), "json"
            elif self.path == f"/api/releases/{RELEASE_ID}/files":
                body, kind = archive, "zip"
            elif self.path == "/api/publications/not-zip/releases/latest":
                body, kind = json.dumps({"id": "broken"}).encode(), "json"
            elif self.path == "/api/releases/broken/files":
                body, kind = b"<html>maintenance</html>", "html"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", f"application/{kind}")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.shared_data
def test_fetch_then_load(ees_server: str, tmp_path: Path) -> None:
    out = fetch_release(tmp_path / "release", base_url=ees_server, timeout=10)
    assert (out / "data" / "timeliness_20_week.csv").is_file()
    assert (out / "data-guidance" / "data-guidance.txt").is_file()
    assert not list(out.glob(".fetch-*"))  # staging removed
    tidy = load_release(out, files=["timeliness_20_week", "caseload"])
    assert pick(tidy, "ehcp_20wk_pct_ex", "2023", la="919")["value"] == 40.2
    # A second fetch replaces the first cleanly.
    fetch_release(out, base_url=ees_server, timeout=10)
    assert (out / "data" / "caseload.csv").is_file()


@pytest.mark.shared_data
def test_fetch_errors_are_messages(ees_server: str, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="HTTP 404") as err:
        fetch_release(tmp_path, base_url=ees_server, publication="no-such-thing", timeout=5)
    assert "publication slug" in str(err.value)
    with pytest.raises(FetchError, match="not a zip"):
        fetch_release(tmp_path / "x", base_url=ees_server, publication="not-zip", timeout=5)
    assert not (tmp_path / "x" / "data").exists()


def test_fetch_unreachable(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(SendReportError, match="cannot reach") as err:
        fetch_release(tmp_path, base_url=f"http://127.0.0.1:{port}/api", timeout=2)
    assert "how to fix" in str(err.value)


def test_fetch_dfe_command(
    ees_server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sendreport.cli import main

    assert main(["fetch-dfe", "--out", str(tmp_path / "rel"), "--url", ees_server]) == 0
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert any(folder.rglob("timeliness_20_week.csv"))
    # An unreachable server is a message and exit code, not a traceback.
    code = main(["fetch-dfe", "--out", str(tmp_path / "x"), "--url", "http://127.0.0.1:9/api"])
    err = capsys.readouterr().err
    assert code != 0 and err.startswith("error: ") and "Traceback" not in err
