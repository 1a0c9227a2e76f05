"""environment.yml lists exactly the dependencies of pyproject.toml, with the same ranges."""

from __future__ import annotations

import re
import tomllib

from tests.conftest import REPO_ROOT


def _normalise(requirement: str) -> str:
    return re.sub(r"\s+", "", requirement).lower()


def test_environment_yml_matches_pyproject() -> None:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_normalise(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        wanted |= {_normalise(r) for r in extra}
    pip_lines = re.findall(
        r"^\s{6}-\s+(.+?)\s*$", (REPO_ROOT / "environment.yml").read_text(), re.M
    )
    listed = {_normalise(line) for line in pip_lines if not line.startswith("-e")}
    assert listed == wanted, (
        f"only in pyproject: {sorted(wanted - listed)}; only in environment.yml: "
        f"{sorted(listed - wanted)}"
    )


def test_python_range_matches() -> None:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    text = (REPO_ROOT / "environment.yml").read_text()
    assert f"python{project['requires-python']}" in text.replace(" ", "")
