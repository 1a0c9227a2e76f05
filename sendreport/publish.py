"""Publish a build folder atomically; keep failed builds beside, never over, good ones.

A build is assembled in a hidden staging folder next to its final place. Publishing
exchanges the two folders in one step (Linux ``renameat2(RENAME_EXCHANGE)``), so a reader,
or a kill at any moment, sees either the previous build or the new one, never neither.
Where the exchange is unavailable the folders are swapped with two renames, and the next
build puts a previous build back if a kill fell between them.

Leftovers of killed builds (``.<period>.building-<pid>-*`` staging folders whose process
is gone, ``.<period>.old-*`` folders) are cleaned by the next build of that period. A
failed build's staging folder becomes ``<period>.failed``. Folders are created with the
usual modes (0755 under the usual umask), not the 0700 of a private temp folder.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import secrets
import shutil
import signal
import sys
from pathlib import Path

from sendreport.exceptions import OutputFolderError

AT_FDCWD = -100
RENAME_EXCHANGE = 1 << 1
# Tests set this to a checkpoint name to kill the process there (see checkpoint()).
KILL_AT_ENV = "SENDREPORT_TEST_KILL_AT"
_STAGING = re.compile(r"^\.(?P<name>.+)\.(?P<kind>building|old)-(?P<pid>\d+)-[0-9a-f]+$")


def checkpoint(name: str) -> None:
    """A named point in publishing where a test can kill the build (``SIGKILL``, no cleanup)."""
    if os.environ.get(KILL_AT_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _sibling(final: Path, kind: str) -> Path:
    return final.with_name(f".{final.name}.{kind}-{os.getpid()}-{secrets.token_hex(4)}")


def make_staging(final: Path) -> Path:
    """A fresh hidden folder on the same filesystem as ``final`` (so the swap is atomic),
    named for this process so a later build can tell a live build from a dead one."""
    final.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(final)
    staging = _sibling(final, "building")
    staging.mkdir()
    return staging


def failed_path(final: Path) -> Path:
    return final.with_name(final.name + ".failed")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def clean_leftovers(final: Path) -> list[Path]:
    """Recover from a killed build of ``final``: restore a previous build that a kill left
    aside, and remove staging folders whose build process has gone. Returns what was removed."""
    removed: list[Path] = []
    if not final.parent.is_dir():
        return removed
    for path in sorted(final.parent.iterdir()):
        match = _STAGING.match(path.name)
        if not match or match["name"] != final.name or _alive(int(match["pid"])):
            continue
        if match["kind"] == "old" and not final.exists():
            os.rename(path, final)  # a kill fell between the two renames: put it back
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux ``renameat2``); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except AttributeError:  # glibc before 2.28
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):  # filesystem cannot exchange
        return False
    raise OSError(code, os.strerror(code), str(b))


def publish_folder(staging: Path, final: Path) -> None:
    """Put ``staging`` at ``final``; the previous build is removed only afterwards."""
    checkpoint("before-swap")
    if not final.exists():
        os.rename(staging, final)
    elif exchange(staging, final):
        checkpoint("after-swap")  # ``staging`` now holds the previous build
        shutil.rmtree(staging, ignore_errors=True)
    else:
        _swap_by_renames(staging, final)
    stale = failed_path(final)
    if stale.exists():  # a good build supersedes the last failure
        shutil.rmtree(stale, ignore_errors=True)


def _swap_by_renames(staging: Path, final: Path) -> None:
    old = _sibling(final, "old")
    os.rename(final, old)
    checkpoint("between-renames")  # clean_leftovers() restores ``old`` after a kill here
    try:
        os.rename(staging, final)
    except OSError:
        os.rename(old, final)  # put the last good build back
        raise
    shutil.rmtree(old, ignore_errors=True)


def keep_failed(staging: Path, final: Path) -> Path:
    """Move a failed staging folder to ``<period>.failed`` for the analyst to inspect."""
    target = failed_path(final)
    if target.exists():
        shutil.rmtree(target)
    os.rename(staging, target)
    return target


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def refuse_non_empty(folder: Path, *, force: bool, what: str) -> None:
    """Refuse to write ``what`` into a folder that already holds files, unless ``force``."""
    if folder.exists() and not folder.is_dir():
        raise OutputFolderError(f"{folder} exists and is not a folder", path=str(folder))
    if force or not folder.is_dir() or not any(folder.iterdir()):
        return
    raise OutputFolderError(
        f"{folder} is not empty; writing {what} there could overwrite real data",
        path=str(folder),
        hint="choose an empty or new folder, or pass --force to overwrite its files",
    )


WRITE_ERRORS = {
    errno.EACCES,
    errno.EPERM,
    errno.EROFS,
    errno.ENOSPC,
    errno.EDQUOT,
    errno.ENOTDIR,
}


def output_error(err: OSError, out_dir: Path) -> OutputFolderError | None:
    """A clear message for a failure to write under ``out_dir``; None for other errors."""
    if err.errno not in WRITE_ERRORS or not _under(err.filename, out_dir, err.errno):
        return None
    reason = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EROFS: "it is on a read-only filesystem",
        errno.ENOTDIR: "a file is in the way of a folder",
    }.get(err.errno, "permission denied")
    where = f" ({err.filename})" if err.filename else ""
    return OutputFolderError(
        f"cannot write to the output folder {out_dir}: {reason}{where}",
        path=str(out_dir),
        hint="pass --out with a folder you can write to and that has free space; "
        "the last good build, if any, is unchanged",
    )


def _under(filename: str | bytes | None, out_dir: Path, code: int | None) -> bool:
    """Whether the failed path lies in ``out_dir`` (a data file that cannot be read is not
    an output problem); a full or read-only disk without a path counts."""
    if filename is None:
        return code in {errno.ENOSPC, errno.EDQUOT, errno.EROFS}
    try:
        Path(os.fsdecode(filename)).resolve().relative_to(Path(out_dir).resolve())
    except ValueError:
        return False
    return True
