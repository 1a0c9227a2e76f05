"""An LA's build is a Dask graph of the single build's stages: prepare → reports → publish."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sendreport.build import BuildOptions
from sendreport.graph import prepare_la, publish_la, report_slots, run_la_report, submit_la
from sendreport.periods import Period


class RecordingClient:
    """Records what is submitted (function, arguments, key) instead of running it."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, tuple, str]] = []

    def submit(self, func: Any, *args: Any, key: str, pure: bool) -> str:
        assert pure is False  # every task writes files: never deduplicated or cached
        self.calls.append((func, args, key))
        return key  # the "future" is its key, so dependencies read as keys


def options(periods: int) -> BuildOptions:
    labels = ["2023-24-Q3", "2023-24-Q4"][:periods]
    return BuildOptions(
        periods=tuple(Period.parse(p) for p in labels),
        la="919",
        data_dir=Path("/data/919"),
        out_dir=Path("/out"),
    )


def test_graph_has_a_task_per_stage_and_per_report_notebook() -> None:
    client = RecordingClient()
    futures = submit_la(client, options(periods=2), notebooks=3)
    keys = [key for _, _, key in client.calls]
    assert keys == ["prepare-919", *(f"report-919-{n}" for n in range(6)), "publish-919"]
    funcs = {key: func for func, _, key in client.calls}
    assert funcs["prepare-919"] is prepare_la
    assert funcs["report-919-0"] is run_la_report
    assert funcs["publish-919"] is publish_la
    args = {key: a for _, a, key in client.calls}
    assert all(args[f"report-919-{n}"] == ("prepare-919", n) for n in range(6))
    assert args["publish-919"] == ("prepare-919", *(f"report-919-{n}" for n in range(6)))
    assert (futures.prepare, futures.publish) == ("prepare-919", "publish-919")


def test_one_report_slot_per_period_and_notebook() -> None:
    assert report_slots(options(periods=1), notebooks=3) == 3
    assert report_slots(options(periods=2), notebooks=1) == 2
