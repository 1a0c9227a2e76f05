"""Publishing: atomic swap, recovery after a kill at any point, modes, refusals."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from sendreport import publish
from sendreport.exceptions import OutputFolderError

KILL_SCRIPT = """
import sys
from pathlib import Path
from sendreport import publish
from tests.layers.test_publish import build_folder
final = Path(sys.argv[1])
if sys.argv[2] == "renames":
    publish.exchange = lambda a, b: False
publish.publish_folder(build_folder(final, "new"), final)
"""
REPO = Path(__file__).resolve().parents[2]


def build_folder(final: Path, text: str) -> Path:
    staging = publish.make_staging(final)
    (staging / "audit").mkdir()
    (staging / "report.html").write_text(text)
    (staging / "audit" / "report.html").write_text(text)
    return staging


def published_text(final: Path) -> str:
    return (final / "report.html").read_text()


def test_publish_replaces_the_previous_build(tmp_path: Path) -> None:
    final = tmp_path / "919" / "2023-24-Q4"
    publish.publish_folder(build_folder(final, "old"), final)
    publish.publish_folder(build_folder(final, "new"), final)
    assert published_text(final) == "new"
    assert sorted(p.name for p in final.parent.iterdir()) == ["2023-24-Q4"]


def test_exchange_swaps_two_folders(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("a")
    (b / "x").write_text("b")
    if not publish.exchange(a, b):
        pytest.skip("this filesystem cannot exchange folders")
    assert (a / "x").read_text() == "b" and (b / "x").read_text() == "a"


def test_published_modes_are_the_usual_ones(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        final = tmp_path / "919" / "2023-24-Q4"
        publish.publish_folder(build_folder(final, "x"), final)
    finally:
        os.umask(old)
    for path in [final, *final.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o755 if path.is_dir() else 0o644), path


@pytest.mark.parametrize(
    ("how", "point"),
    [
        ("exchange", "before-swap"),
        ("exchange", "after-swap"),
        ("renames", "before-swap"),
        ("renames", "between-renames"),
    ],
)
def test_kill_at_any_point_leaves_old_or_new(tmp_path: Path, how: str, point: str) -> None:
    final = tmp_path / "919" / "2023-24-Q4"
    publish.publish_folder(build_folder(final, "old"), final)
    env = {**os.environ, publish.KILL_AT_ENV: point}
    done = subprocess.run(
        [sys.executable, "-c", KILL_SCRIPT, str(final), how], env=env, cwd=REPO, check=False
    )
    assert done.returncode == -9, "the build was killed at the checkpoint"
    # Whatever the moment, readers still see a whole build (old or new), or get it back
    # as soon as the next build starts.
    publish.clean_leftovers(final)
    assert published_text(final) in {"old", "new"}
    assert (final / "audit" / "report.html").read_text() == published_text(final)
    assert sorted(p.name for p in final.parent.iterdir()) == ["2023-24-Q4"]


def test_next_build_removes_dead_staging_but_not_live(tmp_path: Path) -> None:
    final = tmp_path / "919" / "2023-24-Q4"
    final.parent.mkdir(parents=True)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    stale = final.with_name(f".{final.name}.building-{dead.stdout.strip()}-00ff00ff")
    stale.mkdir()
    live = publish.make_staging(final)  # this process: alive
    assert not stale.exists()
    assert live.is_dir()
    other = publish.make_staging(final.with_name("2024-25-Q1"))
    assert other.is_dir(), "another period's staging is left alone"


def test_refuse_non_empty(tmp_path: Path) -> None:
    publish.refuse_non_empty(tmp_path / "new", force=False, what="demo datasets")
    publish.refuse_non_empty(tmp_path, force=False, what="demo datasets")  # empty
    (tmp_path / "ehcp_requests.csv").write_text("real data")
    with pytest.raises(OutputFolderError, match="not empty") as caught:
        publish.refuse_non_empty(tmp_path, force=False, what="demo datasets")
    assert caught.value.exit_code == 2 and "--force" in str(caught.value)
    publish.refuse_non_empty(tmp_path, force=True, what="demo datasets")


@pytest.mark.parametrize(
    ("code", "words"),
    [(errno.EROFS, "read-only"), (errno.ENOSPC, "disk is full"), (errno.EACCES, "permission")],
)
def test_output_error_names_the_folder_and_reason(tmp_path: Path, code: int, words: str) -> None:
    err = publish.output_error(OSError(code, os.strerror(code), str(tmp_path / "x")), tmp_path)
    assert err is not None and err.exit_code == 2
    assert words in str(err) and str(tmp_path) in str(err)
    assert publish.output_error(OSError(errno.ENOENT, "gone"), tmp_path) is None
    elsewhere = OSError(errno.EACCES, "denied", "/etc/shadow")
    assert publish.output_error(elsewhere, tmp_path) is None, "not an output problem"
