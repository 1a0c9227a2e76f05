"""Shared fixtures: where the official data lives, and the repository root."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from sendreport.imports import skip_unused_imports

# Test processes skip what sendreport's own processes skip (sendreport.imports: seconds of
# jsonschema start-up nothing here uses).
skip_unused_imports()

REPO_ROOT = Path(__file__).resolve().parents[1]
# The official DfE, MoJ and NHS files sit beside the repository and are read in place.
SHARED_DATA = Path(os.environ.get("SENDREPORT_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))
DFE_RELEASE = SHARED_DATA / "dfe" / "ehcp-2025"

# The modules whose tests validate with Great Expectations (and those sharing their
# validations, tests/gate/conftest.py's broken_set) run on one pytest-xdist worker under
# `--dist loadgroup` (make test, make test-fast): GX costs about 5 CPU-seconds to import
# and the shared validations several more, once per worker that needs them.
GREAT_EXPECTATIONS = pytest.mark.xdist_group("great_expectations")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"official data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def demo_frames() -> dict[str, Any]:
    """The default demo data for LA 919 (``generate_demo("919")``), made once per test
    process and shared: read it, or copy a frame before changing it."""
    from sendreport.demo import generate_demo

    return generate_demo("919")


@pytest.fixture(scope="session")
def dfe_release(shared_data: Path) -> Path:
    return shared_data / "dfe" / "ehcp-2025"
