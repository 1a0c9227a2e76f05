"""Officer commentary: what officers say about a measure or a section, as data.

The performance report to a committee is mostly officers' words around the figures. A
council keeps them in the optional ``commentary`` dataset (see docs/data.md): one row per
LA, quarter and subject, where the subject is a metric id (``ehcp_20wk_pct_ex``) or a
section (``summary``, ``area:2`` for improvement area 2). Notebooks show a subject's
commentary beside its figures and record it, like figures, under a private MIME type on
the cell that showed it; the build collects those records into ``commentary.json`` so
``sendreport diff`` can say which commentary changed. Commentary is text: escaped like all
data, never read as Markdown or HTML.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

COMMENTARY_MIME = "application/vnd.sendreport.commentary+json"
WARNING_MIME = "application/vnd.sendreport.warning+json"
SECTION_SUBJECTS = ("summary",)
AREA_PREFIX = "area:"


@dataclass(frozen=True)
class Commentary:
    """One subject's commentary for one quarter."""

    subject: str
    text: str
    author: str
    role: str
    action: str | None = None

    def attribution(self) -> str:
        return f"{self.author}, {self.role}"


def _clean(value: Any) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def find_commentary(frame: pd.DataFrame | None, period: str, subject: str) -> Commentary | None:
    """The commentary for ``subject`` in quarter ``period`` (a label like 2024-25-Q2)."""
    if frame is None or frame.empty:
        return None
    rows = frame.loc[(frame["period"] == period) & (frame["subject"] == subject)]
    if rows.empty:
        return None
    row = rows.iloc[0]
    return Commentary(
        subject=subject,
        text=str(row["commentary"]),
        author=str(row["author"]),
        role=str(row["role"]),
        action=_clean(row.get("action")) if "action" in row else None,
    )


def missing_commentary(
    frame: pd.DataFrame | None, period: str, subjects: Iterable[str]
) -> list[str]:
    """The subjects (e.g. measures rated red) that have no commentary for ``period``."""
    return [s for s in subjects if find_commentary(frame, period, s) is None]


def commentary_html(note: Commentary, *, heading: str | None = None) -> str:
    """The commentary as a note beside its figures, every word escaped."""
    esc = html.escape
    parts = ['<div class="commentary" role="note">']
    parts.append(f'<p class="commentary-label">{esc(heading or "Officer commentary")}</p>')
    parts.append(f"<p>{esc(note.text)}</p>")
    if note.action:
        parts.append(
            f'<p class="commentary-action"><strong>Action:</strong> {esc(note.action)}</p>'
        )
    parts.append(f'<p class="commentary-by">{esc(note.attribution())}</p></div>')
    return "".join(parts)


def commentary_payload(note: Commentary, *, report: str, period: str) -> dict[str, Any]:
    return {"report": report, "period": period, **asdict(note)}


def _payloads(notebook: Mapping[str, Any], mime: str) -> Iterable[dict[str, Any]]:
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs", []):
            payload = output.get("data", {}).get(mime)
            if payload is None:
                continue
            if isinstance(payload, str):
                payload = json.loads(payload)
            yield from payload if isinstance(payload, list) else [payload]


def collect_commentary(notebook: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every commentary record shown in an executed notebook, once per subject."""
    seen: set[tuple[str, str]] = set()
    out = []
    for record in _payloads(notebook, COMMENTARY_MIME):
        key = (record["report"], record["subject"])
        if key not in seen:
            seen.add(key)
            out.append(record)
    return out


def collect_warnings(notebook: Mapping[str, Any]) -> list[str]:
    """Warnings a notebook raised for the analyst (e.g. red measures without commentary)."""
    return [str(record["message"]) for record in _payloads(notebook, WARNING_MIME)]


def write_commentary(records: Sequence[Mapping[str, Any]], target: Path) -> None:
    ordered = sorted(records, key=lambda r: (r["report"], r["subject"]))
    target.write_text(json.dumps(ordered, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def read_commentary(folder: Path) -> dict[tuple[str, str], dict[str, Any]]:
    path = folder / "commentary.json"
    if not path.is_file():
        return {}
    return {(r["report"], r["subject"]): r for r in json.loads(path.read_text(encoding="utf-8"))}


@dataclass(frozen=True)
class CommentaryChange:
    report: str
    subject: str
    change: str  # "added" | "removed" | "changed"
    before: str | None
    after: str | None


def diff_commentary(folder_a: Path, folder_b: Path) -> list[CommentaryChange]:
    """Which commentary was added, removed or reworded between two builds."""
    a, b = read_commentary(folder_a), read_commentary(folder_b)
    changes = []
    for key in sorted(a.keys() | b.keys()):
        before, after = a.get(key), b.get(key)
        words = [
            None if r is None else " ".join(filter(None, (r["text"], r.get("action"))))
            for r in (before, after)
        ]
        if words[0] == words[1]:
            continue
        kind = "added" if before is None else "removed" if after is None else "changed"
        changes.append(CommentaryChange(key[0], key[1], kind, words[0], words[1]))
    return changes


def format_commentary_diff(changes: Sequence[CommentaryChange]) -> str:
    lines = [f"{len(changes)} commentary change(s):"]
    for c in changes:
        lines.append(f"- {c.report}: {c.subject}: {c.change}")
        if c.before:
            lines.append(f"    A: {c.before}")
        if c.after:
            lines.append(f"    B: {c.after}")
    return "\n".join(lines)
