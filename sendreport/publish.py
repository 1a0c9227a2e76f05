"""Publish a build folder atomically; keep failed builds beside, never over, good ones.

A build is assembled in a hidden staging folder next to its final place and renamed into
place only when complete, so readers never see a half-written build and the last good
build survives any failure. A failed build's staging folder becomes ``<period>.failed``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def make_staging(final: Path) -> Path:
    """A fresh hidden folder on the same filesystem as ``final`` (so rename is atomic)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{final.name}.building-", dir=final.parent))


def failed_path(final: Path) -> Path:
    return final.with_name(final.name + ".failed")


def publish_folder(staging: Path, final: Path) -> None:
    """Swap ``staging`` into ``final``; the previous build is removed only afterwards."""
    old: Path | None = None
    if final.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{final.name}.old-", dir=final.parent))
        os.rmdir(old)
        os.rename(final, old)
    try:
        os.rename(staging, final)
    except OSError:
        if old is not None:
            os.rename(old, final)  # put the last good build back
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    stale = failed_path(final)
    if stale.exists():  # a good build supersedes the last failure
        shutil.rmtree(stale, ignore_errors=True)


def keep_failed(staging: Path, final: Path) -> Path:
    """Move a failed staging folder to ``<period>.failed`` for the analyst to inspect."""
    target = failed_path(final)
    if target.exists():
        shutil.rmtree(target)
    os.rename(staging, target)
    return target


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
