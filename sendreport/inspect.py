"""``sendreport inspect``: where each dataset comes from and its first rows as the contract
sees them, so an analyst can check a mapping or a set of SEN2 returns before a build."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sendreport.contract import DATASETS
from sendreport.exceptions import SendReportError


def inspect_dataset(data_dir: Path, name: str, rows: int) -> tuple[str, bool]:
    """The text shown for one dataset, and whether it could be read."""
    from sendreport.load import load_inputs

    title = f"{name} — {DATASETS[name].title}"
    try:
        loaded = load_inputs(data_dir, datasets=[name])
    except SendReportError as err:
        return f"{title}\n  cannot be read:\n    " + str(err).replace("\n", "\n    "), False
    frame = loaded.frames[name]
    lines = [title, f"  from: {loaded.origins.get(name, '?')}", f"  rows: {len(frame)}"]
    lines += [f"  warning: {w}" for w in loaded.warnings]
    if len(frame):
        with pd.option_context("display.width", 160, "display.max_columns", None):
            shown = frame.head(rows).to_string(index=False, na_rep="")
        lines += ["  " + line for line in shown.splitlines()]
    return "\n".join(lines), True


def inspect_data(
    data_dir: Path, *, datasets: list[str] | None = None, rows: int = 5
) -> tuple[str, bool]:
    """The report for every dataset (default all); ok is False when any cannot be read."""
    names = datasets or list(DATASETS)
    parts, ok = [], True
    for name in names:
        text, read = inspect_dataset(Path(data_dir), name, rows)
        parts.append(text)
        ok = ok and read
    return "\n\n".join(parts) + "\n", ok
