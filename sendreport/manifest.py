"""manifest.json: what went into a build and what came out, for audit and ``verify``.

The manifest is the one place that holds run-specific facts (timings, versions, git state).
Everything a reader sees is byte-stable; the build key (a digest of inputs, parameters,
notebooks, suites, templates and package code) decides whether a build is up to date.
"""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from sendreport import __version__
from sendreport.resources import PACKAGE_DIR, REPO_ROOT

MANIFEST = "manifest.json"
KEY_PACKAGES = (
    "pandas",
    "numpy",
    "pyarrow",
    "great-expectations",
    "papermill",
    "nbclient",
    "nbconvert",
    "nbformat",
    "ipykernel",
    "matplotlib",
    "seaborn",
    "weasyprint",
)


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def digest_files(paths: Iterable[Path], root: Path) -> str:
    """One digest over many files, keyed by their paths relative to ``root``."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(sha256_file(path).encode())
    return digest.hexdigest()


def code_digest(notebooks_dir: Path, suites_dir: Path) -> dict[str, str]:
    """Digests of everything besides the data that shapes a build."""
    package_files = [
        p
        for p in PACKAGE_DIR.rglob("*")
        if p.is_file()
        and p.suffix in {".py", ".css", ".csv", ".json", ".j2"}
        and "__pycache__" not in p.parts
    ]
    return {
        "package_version": __version__,
        "package": digest_files(package_files, PACKAGE_DIR),
        "notebooks": digest_files(notebooks_dir.glob("*.ipynb"), notebooks_dir),
        "suites": digest_files(suites_dir.glob("*.json"), suites_dir),
    }


def input_files(data_dir: Path) -> dict[str, dict[str, Any]]:
    """Size and SHA-256 of each input file (row counts are added after loading)."""
    files = {}
    for path in sorted(p for p in data_dir.iterdir() if p.is_file() and not p.name.startswith(".")):
        files[path.name] = {"size": path.stat().st_size, "sha256": sha256_file(path)}
    return files


def build_key(
    inputs: dict[str, dict[str, Any]], parameters: dict[str, Any], code: dict[str, str]
) -> str:
    payload = {
        "inputs": {k: v["sha256"] for k, v in inputs.items()},
        "parameters": parameters,
        "code": code,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def git_state() -> dict[str, Any]:
    """Commit and dirtiness of the repository the package runs from, when there is one."""
    if not (REPO_ROOT / ".git").exists():
        return {"commit": None, "dirty": None}
    try:
        commit = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
        status = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit, "dirty": bool(status.strip())}


def environment() -> dict[str, Any]:
    versions = {}
    for name in KEY_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    from ctypes.util import find_library

    return {
        "sendreport": __version__,
        "python": platform.python_version(),
        # PDF font subsets differ in bytes with and without HarfBuzz's subsetter.
        "harfbuzz_subset": find_library("harfbuzz-subset") is not None,
        "platform": platform.platform(),
        "packages": versions,
    }


def output_hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): sha256_file(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MANIFEST
    }


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")


def read_manifest(folder: Path) -> dict[str, Any] | None:
    path = folder / MANIFEST
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None
