"""The neutral HTML fragments shared by the notebook API and the page renderer: methodology
blocks, the "data as at" rule, and the seam itself (render never imports the notebook API)."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pandas as pd

from sendreport import fragments
from sendreport.metrics import REGISTRY

PACKAGE = Path(fragments.__file__).resolve().parent


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_render_and_fragments_do_not_import_the_notebook_api() -> None:
    for name in ("render.py", "fragments.py", "build.py"):
        assert "sendreport.present" not in imported_modules(PACKAGE / name), name


def test_methodology_blocks_come_from_the_definitions_in_the_councils_words() -> None:
    ids = ["ehcp_20wk_pct_ex", "not_a_metric", "families_first_assessments"]
    spec = REGISTRY["ehcp_20wk_pct_ex"]
    full = fragments.methodology_html(ids, lambda i: f"<{i}>")
    assert full.startswith('<dl class="methodology">') and full.endswith("</dl>")
    assert "&lt;ehcp_20wk_pct_ex&gt; <code>ehcp_20wk_pct_ex</code>" in full
    assert "not_a_metric" not in full
    assert (
        "<dt>Numerator</dt>" in full and fragments.html.escape(spec.definition["numerator"]) in full
    )
    brief = fragments.methodology_brief_html(ids, lambda i: "Early help" if "families" in i else i)
    assert brief.count("<li>") == 2 and "<strong>Early help</strong>" in brief
    assert "(families_first)" not in brief  # the reader's source names no dataset file


def test_data_as_at_is_the_stated_end_or_the_last_caseload_month_end() -> None:
    frames = {
        "ehcp_caseload": pd.DataFrame(
            {"month_end": pd.to_datetime(["2024-01-31", "2024-03-31", "2024-02-29"])}
        ),
    }
    assert fragments.data_as_at(frames) == date(2024, 3, 31)
    assert fragments.data_as_at(frames, date(2024, 4, 15)) == date(2024, 4, 15)
    assert fragments.day_words(date(2024, 4, 5)) == "5 April 2024"
