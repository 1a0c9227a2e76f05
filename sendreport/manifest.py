"""manifest.json: what went into a build and what came out, for audit and ``verify``.

The manifest is the one place that holds run-specific facts (timings, versions, git state).
Everything a reader sees is byte-stable; the build key (a digest of inputs, parameters,
notebooks, suites, templates and package code) decides whether a build is up to date.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

from sendreport import __version__
from sendreport.fingerprint import digest_files, fingerprint, input_digests, sha256_file
from sendreport.periods import Period
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
    """Whether a published build is up to date: inputs, parameters and code."""
    return fingerprint({"inputs": input_digests(inputs), "parameters": parameters, "code": code})


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
    """SHA-256 of every file in a build folder except the manifest itself."""
    return {
        str(p.relative_to(folder)): sha256_file(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and str(p.relative_to(folder)) != MANIFEST
    }


def build_manifest(
    *,
    key: str,
    parameters: dict[str, Any],
    period: Period,
    la: dict[str, Any],
    data_end: date,
    inputs: dict[str, dict[str, Any]],
    code: dict[str, Any],
    validation: dict[str, Any],
    folder: Path,
    timings: dict[str, Any],
) -> dict[str, Any]:
    """The record of one period's build, its outputs hashed from ``folder`` as they are."""
    return {
        "build_key": key,
        "parameters": parameters,
        "period": {
            "code": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "basis": period.basis.value,
        },
        "la": la,
        "data_as_at": data_end.isoformat(),
        "inputs": inputs,
        "code": code,
        "validation": validation,
        "environment": environment(),
        "git": git_state(),
        "outputs": output_hashes(folder),
        "timings": timings,
    }


def seal(manifest: dict[str, Any]) -> str:
    """A digest of the manifest's own content (everything but the seal): an edited
    manifest no longer matches its seal."""
    return fingerprint({k: v for k, v in manifest.items() if k != "seal"})


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    """Write ``manifest.json`` sealed, byte-stable, with the usual file mode."""
    sealed = {**manifest, "seal": seal(manifest)}
    path = folder / MANIFEST
    tmp = path.with_name(f".{MANIFEST}.{os.getpid()}")
    tmp.write_text(json.dumps(sealed, indent=2, sort_keys=True) + "\n")
    os.replace(tmp, path)


def read_manifest(folder: Path) -> dict[str, Any] | None:
    path = folder / MANIFEST
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


# Files a build folder may gain after the build without changing it: the sign-off record
# (sendreport.approve.APPROVAL), which covers the build rather than being part of it.
SIDECARS = frozenset({"approval.json"})


def check_outputs(folder: Path, manifest: dict[str, Any]) -> list[str]:
    """Differences between a build folder on disk and its manifest: an edited manifest,
    recorded files missing or changed, and files the build did not write."""
    problems = []
    if "seal" not in manifest:
        problems.append(
            f"{MANIFEST}: has no seal (written before sendreport sealed manifests, or the "
            "seal was removed); rebuild with --force to make a sealed build"
        )
    elif manifest["seal"] != seal(manifest):
        problems.append(f"{MANIFEST}: edited since the build (its seal does not match)")
    recorded = manifest.get("outputs", {})
    present = output_hashes(folder) if folder.is_dir() else {}
    present = {k: v for k, v in present.items() if k not in SIDECARS or k in recorded}
    return problems + compare_hashes(recorded, present, "the build")


def compare_hashes(recorded: dict[str, str], current: dict[str, str], since: str) -> list[str]:
    """Files missing, changed or added since ``since`` ("the build", "approval")."""
    problems = []
    for name in sorted(recorded.keys() | current.keys()):
        if name not in current:
            problems.append(f"{name}: missing (removed since {since})")
        elif name not in recorded:
            problems.append(f"{name}: added since {since}")
        elif recorded[name] != current[name]:
            problems.append(f"{name}: changed since {since} (SHA-256 differs)")
    return problems


__all__ = [
    "MANIFEST",
    "SIDECARS",
    "build_key",
    "build_manifest",
    "check_outputs",
    "code_digest",
    "digest_files",
    "environment",
    "git_state",
    "input_files",
    "output_hashes",
    "read_manifest",
    "seal",
    "sha256_file",
    "write_manifest",
]
