"""One way to fingerprint what a build depends on: files by SHA-256, everything else as
canonical JSON. Build keys, validation-cache keys, snapshot keys and the manifest seal all
come from :func:`fingerprint`, over input digests computed once per build."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any


def sha256_bytes(raw: bytes) -> str:
    """SHA-256 of bytes already read (a file's digest when its bytes are in memory)."""
    return hashlib.sha256(raw).hexdigest()


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    """SHA-256 of a file's bytes, read in chunks."""
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


def fingerprint(payload: Any, length: int | None = None) -> str:
    """SHA-256 of ``payload`` as canonical JSON (sorted keys), optionally shortened."""
    text = json.dumps(payload, sort_keys=True, default=str)
    digest = hashlib.sha256(text.encode()).hexdigest()
    return digest[:length] if length else digest


def input_digests(inputs: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """``{file name: sha256}`` from the per-file records of
    :func:`sendreport.manifest.input_files` (each file hashed once, there)."""
    return {name: str(info["sha256"]) for name, info in inputs.items()}
