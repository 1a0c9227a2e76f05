"""The committed suites and docs/data.md are generated from the contract and are current."""

from __future__ import annotations

import json

import pytest

from sendreport.contract import DATASETS
from sendreport.resources import REPO_ROOT, expectations_dir
from sendreport.suites import build_suite, render_data_md, suite_json
from tests.conftest import GREAT_EXPECTATIONS

# Validating tests share one test process (make test-fast: Great Expectations imported once).
pytestmark = GREAT_EXPECTATIONS

REGENERATE = "run `.venv/bin/python -m sendreport.suites` and commit the result"


@pytest.mark.parametrize("name", list(DATASETS))
def test_committed_suite_is_current(name: str) -> None:
    path = expectations_dir() / f"{name}.json"
    assert path.is_file(), f"{path} is missing: {REGENERATE}"
    assert path.read_text(encoding="utf-8") == suite_json(name), f"{path} is stale: {REGENERATE}"


def test_no_stray_suites() -> None:
    names = {p.stem for p in expectations_dir().glob("*.json")}
    assert names == set(DATASETS)
    assert not (expectations_dir() / ".keep").exists()


def test_docs_data_md_is_current() -> None:
    path = REPO_ROOT / "docs" / "data.md"
    assert path.read_text(encoding="utf-8") == render_data_md(), f"{path} is stale: {REGENERATE}"


def test_docs_cover_every_column() -> None:
    text = render_data_md()
    for ds in DATASETS.values():
        assert f"## `{ds.name}`" in text
        for col in ds.columns:
            assert f"| `{col.name}` |" in text


def test_suites_use_runtime_parameters() -> None:
    requests = json.dumps(build_suite("ehcp_requests"))
    assert '{"$PARAMETER": "data_end"}' in requests
    assert '{"$PARAMETER": "la_codes"}' in requests


def test_suites_load_as_gx_suites() -> None:
    from great_expectations.core import ExpectationSuite

    for name in DATASETS:
        suite = ExpectationSuite(**build_suite(name))
        assert suite.name == name and len(suite.expectations) > 5
