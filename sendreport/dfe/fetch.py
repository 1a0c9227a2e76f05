"""Download a DfE release from explore-education-statistics (EES) with the standard library.

EES serves releases through its content API
(``https://content.explore-education-statistics.service.gov.uk/api``):

1. ``GET {base}/publications/{publication}/releases/{release}`` (``release`` ``"latest"`` or a
   release slug such as ``"2025"``) returns the release as JSON; its ``id`` names the release
   version;
2. ``GET {base}/releases/{id}/files`` returns the release's "Download all data" zip, the same
   archive as the button on the release page: ``data/*.csv``, ``supporting-files/`` and the data
   guidance.

:func:`fetch_release` unpacks that archive into ``out_dir`` (so ``out_dir/data/*.csv`` is ready
for :func:`sendreport.dfe.release.load_release`). Network, HTTP and archive failures become a
:class:`FetchError` with a message and a hint, never a traceback.
"""

from __future__ import annotations

import http.client
import json
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path, PurePosixPath

from sendreport import __version__
from sendreport.exceptions import EXIT_FAILURE, SendReportError

__all__ = ["EES_CONTENT_API", "FetchError", "fetch_release"]

EES_CONTENT_API = "https://content.explore-education-statistics.service.gov.uk/api"
_CHUNK = 1 << 20


class FetchError(SendReportError):
    """A release could not be downloaded (network, HTTP status or a broken archive)."""

    exit_code = EXIT_FAILURE
    reason = "fetch_failed"


_OFFLINE_HINT = (
    "check the internet connection (and any proxy), or download the release by hand from "
    "explore-education-statistics ('Download all data'), unzip it and pass the folder with "
    "--dfe; without --dfe the published benchmarks shipped in the package are used"
)


def _open(url: str, timeout: float) -> http.client.HTTPResponse:
    request = urllib.request.Request(
        url, headers={"User-Agent": f"sendreport/{__version__}", "Accept": "*/*"}
    )
    try:
        return urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as err:
        hint = (
            "check the publication slug and release (e.g. 'education-health-and-care-plans', "
            "'latest' or '2025')"
            if err.code == 404
            else _OFFLINE_HINT
        )
        raise FetchError(
            f"download failed: HTTP {err.code} {err.reason} for {url}", hint=hint
        ) from None
    except urllib.error.URLError as err:
        raise FetchError(f"cannot reach {url}: {err.reason}", hint=_OFFLINE_HINT) from None
    except TimeoutError:
        raise FetchError(
            f"timed out after {timeout:g}s waiting for {url}", hint=_OFFLINE_HINT
        ) from None
    except OSError as err:
        raise FetchError(f"cannot download {url}: {err}", hint=_OFFLINE_HINT) from None


def _release_id(base_url: str, publication: str, release: str, timeout: float) -> str:
    url = (
        f"{base_url}/publications/{urllib.parse.quote(publication)}"
        f"/releases/{urllib.parse.quote(release)}"
    )
    try:
        with _open(url, timeout) as response:
            body = response.read()
        data = json.loads(body.decode("utf-8"))
    except (TimeoutError, OSError) as err:
        raise FetchError(f"download of {url} was interrupted: {err}", hint=_OFFLINE_HINT) from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise FetchError(
            f"{url} did not return the release description (JSON) that EES serves",
            hint="check --base-url points at the EES content API",
        ) from None
    release_id = data.get("id") if isinstance(data, dict) else None
    if not release_id:
        raise FetchError(f"{url} returned no release id", hint="check the publication slug")
    return str(release_id)


def _download(url: str, target: Path, timeout: float) -> None:
    try:
        with _open(url, timeout) as response, target.open("wb") as out:
            shutil.copyfileobj(response, out, _CHUNK)
    except FetchError:
        raise
    except (TimeoutError, OSError) as err:
        raise FetchError(f"download of {url} was interrupted: {err}", hint=_OFFLINE_HINT) from None


def _safe_extract(archive: Path, into: Path) -> list[Path]:
    """Unpack ``archive`` into ``into``, refusing members that would land outside it."""
    written: list[Path] = []
    try:
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                name = PurePosixPath(info.filename.replace("\\", "/"))
                if name.is_absolute() or ".." in name.parts:
                    raise FetchError(f"the release archive holds an unsafe path: {info.filename}")
                if info.is_dir():
                    continue
                target = into.joinpath(*name.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, target.open("wb") as dst:
                    shutil.copyfileobj(src, dst, _CHUNK)
                written.append(target)
    except zipfile.BadZipFile:
        raise FetchError(
            "the downloaded release is not a zip archive (EES may be down or the URL wrong)",
            hint=_OFFLINE_HINT,
        ) from None
    return written


def fetch_release(
    out_dir: Path,
    *,
    base_url: str = EES_CONTENT_API,
    publication: str = "education-health-and-care-plans",
    release: str = "latest",
    timeout: float = 30,
) -> Path:
    """Download a release's data files into ``out_dir`` (``out_dir/data/*.csv``); return it.

    Files already in ``out_dir`` are replaced only once the whole archive has arrived and
    unpacked, so a failed download never leaves a half-written release behind.
    """
    out_dir = Path(out_dir).expanduser()
    base_url = base_url.rstrip("/")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise FetchError(f"cannot create {out_dir}: {err}") from None
    release_id = _release_id(base_url, publication, release, timeout)
    files_url = f"{base_url}/releases/{urllib.parse.quote(release_id)}/files"
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".fetch-") as tmp:
        staging = Path(tmp)
        archive = staging / "release.zip"
        _download(files_url, archive, timeout)
        unpacked = staging / "release"
        _safe_extract(archive, unpacked)
        # Some archives wrap everything in one top folder; step into it.
        entries = list(unpacked.iterdir()) if unpacked.exists() else []
        single = len(entries) == 1 and entries[0].is_dir() and entries[0].name != "data"
        root = entries[0] if single else unpacked
        if not (root / "data").is_dir():
            csvs = sorted(root.glob("*.csv"))
            if not csvs:
                raise FetchError(
                    f"the archive from {files_url} holds no data/ folder or CSV files",
                    hint="check the publication and release",
                )
            (root / "data").mkdir()
            for csv_file in csvs:
                csv_file.rename(root / "data" / csv_file.name)
        for item in root.iterdir():
            destination = out_dir / item.name
            if destination.is_dir():
                shutil.rmtree(destination)
            elif destination.exists():
                destination.unlink()
            shutil.move(str(item), destination)
    return out_dir
