"""Faults that must never lose published work (issue #12): pooled failures, notebooks that
stop early, narrower rebuilds, tampered or damaged build folders, unwritable output
folders, interrupted builds."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sendreport import build as build_module
from sendreport.build import is_up_to_date
from sendreport.cli import main
from sendreport.exceptions import VerificationMismatch
from sendreport.manifest import read_manifest
from sendreport.verify import verify_build
from tests.e2e.conftest import assert_untouched, build_argv, run_build
from tests.handmade import write_notebook

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("e2e")]
REPO = Path(__file__).resolve().parents[2]


def test_pooled_failure_names_notebook_and_cell(demo_build, published, tmp_path, capsys):
    out, folder, hashes = published
    notebooks = tmp_path / "nb"
    write_notebook(notebooks, "fine", "total = 1 + 1")
    write_notebook(notebooks, "broken", "x = 1", "raise KeyError('no such column')")
    code = run_build(demo_build, out, "--notebooks", str(notebooks), "--jobs", "2")
    err = capsys.readouterr().err
    assert code == 1, err
    assert "notebook broken failed in cell 3 (id 'work2')" in err
    assert "KeyError" in err and "internal error" not in err and "BrokenProcessPool" not in err
    assert_untouched(folder, hashes)


def test_notebook_that_exits_early_is_not_published(demo_build, published, tmp_path, capsys):
    out, folder, hashes = published
    notebooks = tmp_path / "nb"
    write_notebook(notebooks, "short", "import sys\nsys.exit()", "never = True")
    code = run_build(demo_build, out, "--notebooks", str(notebooks))
    err = capsys.readouterr().err
    assert code == 1
    assert "notebook short failed in cell 2 (id 'work')" in err
    assert "stopped before its last cell" in err
    assert_untouched(folder, hashes)


def test_narrower_rebuild_keeps_the_other_reports(demo_build, published, tmp_path) -> None:
    out, folder, hashes = published
    before = {r["report"] for r in json.loads((folder / "figures.json").read_text())}
    assert run_build(demo_build, out, "--report", "newsletter", "--format", "html") == 0
    notebooks = tmp_path / "nb"
    write_notebook(notebooks, "extra", "total = 1 + 1")
    assert run_build(demo_build, out, "--notebooks", str(notebooks), "--edition", "reader") == 0
    for report in ("performance", "timeliness"):
        for name in (f"{report}.html", f"{report}.pdf", f"audit/{report}.ipynb"):
            assert (folder / name).read_bytes() and hashes[name] == _hash(folder / name)
    assert (folder / "newsletter.html").is_file() and (folder / "extra.html").is_file()
    figures = {r["report"] for r in json.loads((folder / "figures.json").read_text())}
    assert figures == before
    manifest = read_manifest(folder)
    assert manifest["parameters"]["reports"] == ["extra", *sorted(before)]
    assert set(manifest["carried_over"]) == set(before)
    assert is_up_to_date(folder, manifest["build_key"]), "the merged folder is consistent"


def _hash(path: Path) -> str:
    from sendreport.fingerprint import sha256_file

    return sha256_file(path)


def test_up_to_date_needs_the_outputs_on_disk(published) -> None:
    _, folder, _ = published
    key = read_manifest(folder)["build_key"]
    assert is_up_to_date(folder, key)
    (folder / "extra.html").write_text("<p>added</p>")
    assert not is_up_to_date(folder, key)
    (folder / "extra.html").unlink()
    pdf = next(folder.glob("*.pdf"))
    pdf.write_bytes(pdf.read_bytes() + b"%")
    assert not is_up_to_date(folder, key)


@pytest.mark.parametrize("tamper", ["add", "delete", "manifest"])
def test_verify_fails_on_a_tampered_folder(published, tamper: str) -> None:
    _, folder, _ = published
    if tamper == "add":
        (folder / "audit" / "notes.html").write_text("added later")
        expected = "audit/notes.html: added since the build"
    elif tamper == "delete":
        (folder / "validation" / "summary.json").unlink()
        expected = "validation/summary.json: missing"
    else:
        manifest = json.loads((folder / "manifest.json").read_text())
        manifest["data_as_at"] = "2099-01-01"
        (folder / "manifest.json").write_text(json.dumps(manifest))
        expected = "manifest.json: edited since the build"
    with pytest.raises(VerificationMismatch) as caught:
        verify_build(folder)
    assert expected in str(caught.value)


def test_unwritable_out_is_a_message(demo_build, published, monkeypatch, capsys) -> None:
    out, folder, hashes = published

    def read_only(final: Path) -> Path:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(final.parent))

    monkeypatch.setattr(build_module, "make_staging", read_only)
    code = run_build(demo_build, out)
    err = capsys.readouterr().err
    assert code == 2
    assert f"cannot write to the output folder {out}: it is on a read-only filesystem" in err
    assert "internal error" not in err
    assert_untouched(folder, hashes)


def test_invalid_data_is_reported_even_when_out_is_unwritable(
    demo_build, tmp_path, monkeypatch, capsys
) -> None:
    import shutil

    from sendreport import validate

    data = tmp_path / "data"
    shutil.copytree(demo_build.data_dir, data)
    requests = data / "ehcp_requests.csv"
    lines = requests.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(lines[1].split(",")[0], "", 1)  # a request with no id
    requests.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(validate, "_write_results", full)
    code = main(build_argv(demo_build, tmp_path / "out", data=data))
    err = capsys.readouterr().err
    assert code == 2
    assert "validation failed" in err and "ehcp_requests" in err


def test_demo_data_refuses_a_folder_with_files(tmp_path, capsys) -> None:
    real = tmp_path / "ehcp_requests.csv"
    real.write_text("real data\n")
    assert main(["demo-data", "--out", str(tmp_path)]) == 2
    assert "not empty" in capsys.readouterr().err
    assert real.read_text() == "real data\n"
    assert main(["demo-data", "--out", str(tmp_path), "--force"]) == 0
    assert real.read_text() != "real data\n"


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["term", "kill"])
def test_interrupted_build_leaves_the_last_good_build(demo_build, published, tmp_path, how):
    out, folder, hashes = published
    notebooks = tmp_path / "nb"
    write_notebook(notebooks, "slow", "import time\ntime.sleep(120)")
    write_notebook(notebooks, "slower", "import time\ntime.sleep(120)")
    argv = build_argv(demo_build, out, "--notebooks", str(notebooks), "--jobs", "2")
    child = subprocess.Popen([sys.executable, "-m", "sendreport", *argv], cwd=REPO)
    try:
        kernels = _wait_for_kernels(child.pid, count=2)
        os.kill(child.pid, how)
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode != 0
    _wait_until_gone(kernels)
    assert_untouched(folder, hashes)
    if how == signal.SIGTERM:  # cleaned up on the way out
        assert not [p for p in folder.parent.iterdir() if ".building-" in p.name]
    # The next build of the period clears whatever a kill -9 left behind.
    write_notebook(notebooks, "slow", "total = 1")
    write_notebook(notebooks, "slower", "total = 2")
    assert run_build(demo_build, out, "--notebooks", str(notebooks)) == 0
    assert sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(".")) == []


def _descendants(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    found = [int(c) for c in children.read_text().split()] if children.exists() else []
    return found + [d for c in found for d in _descendants(c)]


def _is_kernel(pid: int) -> bool:
    """A kernel launched afresh (its command line) or forked by the fork server (its name)."""
    try:
        name = Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return False
    return b"ipykernel" in _cmdline(pid) or name == "ipykernel"


def _wait_for_kernels(pid: int, count: int, timeout: float = 240) -> list[int]:
    """Every process under ``pid`` once ``count`` kernels are running."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        procs = _descendants(pid)
        kernels = [p for p in procs if _is_kernel(p)]
        if len(kernels) >= count:
            time.sleep(2)  # inside the sleeping cell
            return _descendants(pid)
        time.sleep(0.5)
    raise AssertionError("the kernels never started")


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _wait_until_gone(pids: list[int], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = [p for p in pids if _cmdline(p)]
        if not alive:
            return
        time.sleep(0.5)
    raise AssertionError(f"processes outlived the build: {alive}")
