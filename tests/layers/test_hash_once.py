"""Each input file is hashed once per build: the plan's digests reach load, the
validation key and the snapshot key (issue 13, "each input hashed once")."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from sendreport import build, fingerprint, load, manifest
from sendreport.build import BuildOptions, Progress, plan, prepare_inputs
from sendreport.periods import Period
from tests.gate.conftest import make_valid_dataset_dir


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The gate's small valid input set (every dataset, LA 919)."""
    return make_valid_dataset_dir(tmp_path_factory.mktemp("inputs"))


def count_hashing(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Count every call of the hashing helpers: file paths, and ``<bytes>`` for bytes."""
    calls: Counter[str] = Counter()
    real_file, real_bytes = fingerprint.sha256_file, fingerprint.sha256_bytes

    def counted_file(path: Path, *args: Any) -> str:
        calls[Path(path).name] += 1
        return real_file(path, *args)

    def counted_bytes(raw: bytes) -> str:
        calls["<bytes>"] += 1
        return real_bytes(raw)

    for module in (fingerprint, manifest):
        monkeypatch.setattr(module, "sha256_file", counted_file)
    monkeypatch.setattr(load, "sha256_bytes", counted_bytes)
    return calls


def test_plan_and_prepare_hash_each_input_once(
    demo_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = count_hashing(monkeypatch)
    # Validation itself is Great Expectations' work, tested elsewhere; not a hashing step.
    monkeypatch.setattr(build, "_validate", lambda *args, **kwargs: {"passed": True})
    options = BuildOptions((Period.parse("2023-24-Q4"),), "919", demo_folder, tmp_path / "out")
    the_plan = plan(options)
    prepared = prepare_inputs(the_plan, Progress(quiet=True))
    inputs = sorted(p.name for p in demo_folder.iterdir() if p.is_file())
    assert {name: calls[name] for name in inputs} == dict.fromkeys(inputs, 1)
    assert calls["<bytes>"] == 0
    assert prepared.snapshot.is_dir()


def test_loaded_digests_are_the_plans(demo_folder: Path) -> None:
    planned = fingerprint.input_digests(manifest.input_files(demo_folder))
    given = load.load_inputs(demo_folder, digests=planned)
    hashed = load.load_inputs(demo_folder)  # no digests given: the bytes read are hashed
    for name, info in hashed.files.items():
        assert info.sha256 == planned[Path(info.path).name]
        assert given.files[name].sha256 == info.sha256
