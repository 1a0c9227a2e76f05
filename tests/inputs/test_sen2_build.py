"""A real build from SEN2 returns: same figures as contract form, no personal data out."""

from __future__ import annotations

import inspect
import json
from datetime import date
from pathlib import Path

import pytest

from sendreport.cli import main
from sendreport.demo import write_demo
from sendreport.load import read_dataset
from sendreport.metrics import REGISTRY, compute
from sendreport.periods import Period
from tests.inputs.sen2_writer import as_sen2_sees, make_identities, write_return

PERIOD = "2024-25-Q3"  # October–December 2024: the last quarter the returns cover


@pytest.mark.slow
def test_build_from_sen2_returns(tmp_path: Path, capsys) -> None:
    data = tmp_path / "data"
    write_demo(data, la_code="919")
    contract = read_dataset(data / "ehcp_requests.csv", "ehcp_requests")
    (data / "ehcp_requests.csv").unlink()
    truth = as_sen2_sees(contract[contract["received_date"] <= "2024-12-31"], date(2024, 12, 31))
    identities = make_identities(list(truth["person_id"].unique()))
    for year in (2023, 2024, 2025):
        write_return(truth, identities, year, data / f"SEN2_{year}.xml", la_code="919")

    out = tmp_path / "out"
    code = main(
        [
            "build",
            "--period",
            PERIOD,
            "--la",
            "919",
            "--data",
            str(data),
            "--out",
            str(out),
            "--format",
            "html",
            "--quiet",
        ]
    )
    assert code == 0, capsys.readouterr().err
    folder = out / "919" / PERIOD
    figures = json.loads((folder / "figures.json").read_text())
    period = Period.parse(PERIOD)
    checked = 0
    for figure in figures:
        spec = REGISTRY.get(figure.get("metric_id") or figure.get("id"))
        if spec is None or figure.get("period") != PERIOD:
            continue
        params = inspect.signature(spec.func).parameters
        positional = {n for n, p in params.items() if p.kind is not p.KEYWORD_ONLY}
        if positional != {"ehcp_requests", "period"}:
            continue
        want = compute(spec.id, {"ehcp_requests": truth}, period)
        assert figure["value"] == pytest.approx(want.value), spec.id
        checked += 1
    assert checked >= 5

    # Personal data never leaves the input: no name, UPN, ULN or birth date in any output.
    secrets = set()
    for identity in identities.values():
        secrets |= {v for k, v in identity.items() if k != "birth"}
    births = {identity["birth"] for identity in identities.values()}
    for path in out.rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", errors="replace")
            leaked = [s for s in secrets if s in text]
            assert not leaked, f"{path} holds {leaked[:3]}"
            if path.suffix in (".json", ".html", ".ipynb"):
                assert not [b for b in births if f'"{b}"' in text], path
