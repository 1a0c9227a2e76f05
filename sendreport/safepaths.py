"""Where sendreport may write: never a system folder, never through a predictable name.

An output folder is replaced wholesale when a build is published, so ``--out /`` or
``--out /etc`` must be refused before anything is written. The internal-error log goes to
a private file created exclusively (``mkstemp``: mode 0600, a fresh random name), so a link
planted at a well-known path in a shared temporary folder cannot redirect it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from sendreport.exceptions import ParameterError

# Folders that are the system's, whole trees of them.
_SYSTEM_TREES = (
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/proc",
    "/run",
    "/sbin",
    "/sys",
    "/usr",
)
# Shared roots: a folder inside them is fine, the root itself is not.
_SHARED_ROOTS = ("/", "/home", "/media", "/mnt", "/opt", "/root", "/srv", "/tmp", "/var")


def system_folder(path: Path) -> str | None:
    """The system folder ``path`` is or lies in, or ``None`` when it is an ordinary one."""
    resolved = Path(os.path.abspath(path)).resolve()
    if str(resolved) in _SHARED_ROOTS or resolved == Path.home().resolve():
        return str(resolved)
    for tree in _SYSTEM_TREES:
        if resolved == Path(tree) or resolved.is_relative_to(tree):
            return tree
    return None


def check_out_dir(path: Path, option: str = "--out") -> None:
    """Refuse (exit 2) an output folder that is, or lies in, a system folder."""
    found = system_folder(path)
    if found is not None:
        raise ParameterError(
            f"{option} {path} is the system folder {found}; sendreport will not write there",
            parameter=option,
            hint=f"pass {option} a folder of its own, e.g. {option} outputs",
        )


def write_error_log(text: str) -> Path:
    """Write ``text`` to a new private file (0600, unpredictable name) and return its path."""
    handle, name = tempfile.mkstemp(prefix="sendreport-internal-error-", suffix=".log")
    with os.fdopen(handle, "w", encoding="utf-8") as log:
        log.write(text)
    return Path(name)


__all__ = ["check_out_dir", "system_folder", "write_error_log"]
