"""Many-LA command-line mistakes fail once, with exit 2, before any cluster starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from sendreport.cli import main


def test_scheduler_with_one_la_is_exit_2(tmp_path: Path, capsys) -> None:
    assert main(["build", "--la", "919", "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert "--scheduler runs many LAs" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "does not exist"),
        (["--report", "nonsense"], "unknown report nonsense"),
    ],
)
def test_many_la_mistakes_fail_before_a_cluster(
    tmp_path: Path, capsys, extra: list[str], message: str
) -> None:
    data = tmp_path / "data"
    if extra:
        data.mkdir()
    argv = ["build", "--la", "E12000006", "--data", str(data), "--out", str(tmp_path / "o")]
    assert main([*argv, *extra]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "o" / "run.json").exists()
