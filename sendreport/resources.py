"""Where the package's non-Python resources live.

In a repository checkout (editable install) the notebooks and suites are read from the
top-level ``notebooks/`` and ``expectations/`` folders, so a reviewer edits exactly the
files that run. A wheel carries copies inside the package (``sendreport/_notebooks``,
``sendreport/_expectations``; see ``pyproject.toml``).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


def notebooks_dir() -> Path:
    return _first_existing(REPO_ROOT / "notebooks", PACKAGE_DIR / "_notebooks")


def expectations_dir() -> Path:
    return _first_existing(REPO_ROOT / "expectations", PACKAGE_DIR / "_expectations")


def templates_dir() -> Path:
    return PACKAGE_DIR / "templates"
