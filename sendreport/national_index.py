"""The national index: ``<out>/index.html`` and ``index.json`` over every council built.

After a many-LA build, one page a regional lead can read: for each council built for the
quarter, its headline figures (plans issued in the quarter and the share within 20 weeks,
excluding exceptions) with its rank among the councils built, and DfE's latest published
calendar-year share within 20 weeks for the council, its region, its statistical
neighbours (the mean of those DfE publishes) and England, with the council's rank among
all LAs DfE publishes and the median, highest and lowest. Links go to each council's
reports. Rankings are context, not a verdict: the page says they are not for
accountability, as the DfE's SEND dashboard does.

The page is self-contained (no scripts, no fetched assets) under a Content Security Policy
that allows only its own inline style; every value from data is escaped.
"""

from __future__ import annotations

import html
import json
import os
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sendreport import reference
from sendreport.dfe._tidy import BenchmarkLevel
from sendreport.many import LaOutcome

INDEX_HTML = "index.html"
INDEX_JSON = "index.json"
QUARTER_MEASURES = ("ehcp_20wk_pct_ex", "ehcp_plans_issued")
DFE_MEASURE = "ehcp_20wk_pct_ex"
NOT_FOR_ACCOUNTABILITY = (
    "Rankings are not for accountability, as the DfE says of the rankings in its Local Area "
    "SEND dashboard: they show where a council sits among the others, for context only. "
    "Differences between areas have many causes, and a rank is not a judgement of a "
    "council's performance."
)


@dataclass
class Spread:
    """Median, highest and lowest of a measure across councils, with who is highest and
    lowest."""

    count: int
    median: float
    highest: float
    highest_la: str
    lowest: float
    lowest_la: str


@dataclass
class CouncilRow:
    la: str
    name: str
    region: str
    status: str
    period: str | None = None
    reports: list[dict[str, str]] = field(default_factory=list)
    pct_20wk: float | None = None
    plans_issued: float | None = None
    rank: str | None = None
    dfe: dict[str, Any] = field(default_factory=dict)
    reason: str = ""
    demo: bool = False  # built from `sendreport demo-data`: made-up figures


def rank_of(value: float, values: Sequence[float]) -> str:
    """Competition rank, highest first: "3 of 11", "=3 of 11" when shared."""
    higher = sum(v > value for v in values)
    shared = sum(v == value for v in values) > 1
    return f"{'=' if shared else ''}{higher + 1} of {len(values)}"


def spread_of(values: dict[str, float]) -> Spread | None:
    if not values:
        return None
    high = max(values, key=lambda k: (values[k], k))
    low = min(values, key=lambda k: (values[k], k))
    return Spread(
        len(values),
        round(statistics.median(values.values()), 1),
        round(values[high], 1),
        high,
        round(values[low], 1),
        low,
    )


def quarter_figures(folder: Path) -> dict[str, float]:
    """The quarter's headline values from a build's figures.json."""
    figures = json.loads((folder / "figures.json").read_text(encoding="utf-8"))
    period = folder.name
    found = {}
    for f in figures:
        wanted = f.get("id") in QUARTER_MEASURES and f.get("period") == period
        if wanted and f.get("value") is not None:
            found[f["id"]] = float(f["value"])
    return found


def report_links(out_dir: Path, folder: Path) -> list[dict[str, str]]:
    """The reader editions in a build folder, as links relative to the index."""
    links = []
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix in (".html", ".pdf", ".xlsx", ".docx"):
            links.append(
                {
                    "name": path.stem,
                    "format": path.suffix[1:],
                    "href": str(path.relative_to(out_dir)),
                }
            )
    return links


def gather_rows(out_dir: Path, period: str, outcomes: Sequence[LaOutcome]) -> list[CouncilRow]:
    """Every council with a build of ``period`` under ``out_dir`` (this run's or an
    earlier one's), and this run's failures."""
    failed = {o.la: o for o in outcomes if o.status != "ok"}
    rows = []
    for la in reference.all_la_codes():
        folder = out_dir / la / period
        built = (folder / "figures.json").is_file() and (folder / "manifest.json").is_file()
        if not built and la not in failed:
            continue
        row = CouncilRow(
            la,
            reference.la_display_name(la),
            reference.region_of(la),
            "built" if built else "failed",
            period,
        )
        if built:
            values = quarter_figures(folder)
            row.pct_20wk = values.get("ehcp_20wk_pct_ex")
            row.plans_issued = values.get("ehcp_plans_issued")
            row.reports = report_links(out_dir, folder)
            manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
            row.demo = bool(manifest.get("demo"))
        if la in failed:
            row.reason = failed[la].message.splitlines()[0] if failed[la].message else ""
            row.status = "failed" + (" (earlier build shown)" if built else "")
        rows.append(row)
    return rows


def dfe_comparisons(table: Any) -> tuple[str | None, dict[str, dict[str, Any]], Spread | None]:
    """DfE's latest calendar year of the 20-week measure: per LA its value, region,
    neighbours' mean, England and rank among all LAs; and the spread across all LAs."""
    rows = table.loc[table["measure"] == DFE_MEASURE]
    if rows.empty:
        return None, {}, None
    year = max(str(p) for p in rows["period"].astype(str) if str(p).isdigit())
    rows = rows.loc[rows["period"].astype(str) == year]
    la_values = {
        str(r.la_code): float(r.value)
        for r in rows.loc[rows["level"] == BenchmarkLevel.LA.tidy].itertuples()
        if r.value == r.value
    }
    regional = {
        str(r.area_code): float(r.value)
        for r in rows.loc[rows["level"] == BenchmarkLevel.REGION.tidy].itertuples()
        if r.value == r.value
    }
    england = rows.loc[rows["level"] == BenchmarkLevel.ENGLAND.tidy, "value"]
    england_value = float(england.iloc[0]) if len(england) else None
    per_la = {}
    for la, value in la_values.items():
        if not reference.is_known_la(la):
            continue
        near = [la_values[n] for n in reference.statistical_neighbours(la) if n in la_values]
        per_la[la] = {
            "year": year,
            "value": value,
            "region": regional.get(reference.region_code(la)),
            "neighbours": round(statistics.mean(near), 1) if near else None,
            "england": england_value,
            "rank": rank_of(value, list(la_values.values())),
        }
    return year, per_la, spread_of(la_values)


def build_index(
    out_dir: Path,
    period: str,
    outcomes: Sequence[LaOutcome] = (),
    dfe_table: Any = None,
) -> dict[str, Any]:
    """The index as data (what index.json holds and index.html shows)."""
    rows = gather_rows(out_dir, period, outcomes)
    quarter = {r.la: r.pct_20wk for r in rows if r.pct_20wk is not None}
    for row in rows:
        if row.pct_20wk is not None:
            row.rank = rank_of(row.pct_20wk, list(quarter.values()))
    year, per_la, dfe_spread = (None, {}, None)
    if dfe_table is not None:
        year, per_la, dfe_spread = dfe_comparisons(dfe_table)
    for row in rows:
        row.dfe = per_la.get(row.la, {})
    spread = spread_of(quarter)
    return {
        "period": period,
        "councils": [asdict(r) for r in rows],
        "quarter_spread": asdict(spread) if spread else None,
        "dfe_year": year,
        "dfe_spread": asdict(dfe_spread) if dfe_spread else None,
        "statement": NOT_FOR_ACCOUNTABILITY,
    }


def load_dfe_table(dfe_dir: Path | None) -> Any:
    """DfE's timeliness figures: the release when given, else the table the package ships."""
    if dfe_dir is not None:
        from sendreport.dfe.release import load_release

        return load_release(dfe_dir, files=["timeliness_20_week"])
    from sendreport.dfe.published import published_benchmarks

    return published_benchmarks()


def write_index(out_dir: Path, index: dict[str, Any]) -> Path:
    """``index.json`` and ``index.html``, each written whole (temporary file, rename)."""
    for name, text in (
        (INDEX_JSON, json.dumps(index, indent=2, sort_keys=True) + "\n"),
        (INDEX_HTML, render_national_index(index)),
    ):
        tmp = out_dir / f".{name}.{os.getpid()}"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, out_dir / name)
    return out_dir / INDEX_HTML


# On a phone (WCAG 1.4.10 reflow at 320 px) the ten-column table stacks: each council a
# block, each cell a line that says what it is (.lbl); the column headers stay for screen
# readers, off screen.
LABEL_STYLE = (
    "\n.lbl{display:none}@media (max-width:40rem){.lbl{display:inline;font-weight:bold}"
    ".councils thead{position:absolute;left:-999rem}"
    ".councils tr{display:block;border-bottom:2px solid #0b0c0c;padding:.25rem 0}"
    ".councils th,.councils td{display:block;border:0;text-align:left;padding:.1rem 0}}"
)


DEMO_COUNCILS = (
    '<p><strong>Demo data.</strong> The figures of councils marked "Demo data" were made up '
    "by <code>sendreport demo-data</code>; none is the council's.</p>"
)


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _pct(value: Any) -> str:
    return "not available" if value is None else f"{float(value):.1f}%"


def _count(value: Any) -> str:
    return "not available" if value is None else f"{round(float(value)):,}"


def _spread_text(spread: dict[str, Any] | None, what: str) -> str:
    if not spread:
        return ""
    return (
        f"<p>{_e(what)} across {spread['count']} councils: median {_pct(spread['median'])}, "
        f"highest {_pct(spread['highest'])} ({_e(_name(spread['highest_la']))}), "
        f"lowest {_pct(spread['lowest'])} ({_e(_name(spread['lowest_la']))}).</p>"
    )


def _name(la: str) -> str:
    return reference.la_display_name(la) if reference.is_known_la(la) else la


def _council_row(row: dict[str, Any], heads: list[str]) -> str:
    links = ", ".join(
        f'<a href="{_e(link["href"])}">{_e(link["name"])} ({_e(link["format"].upper())})</a>'
        for link in row["reports"]
    )
    status = _e(row["status"]) + (f": {_e(row['reason'])}" if row["reason"] else "")
    dfe = row["dfe"] or {}
    values = [
        _count(row["plans_issued"]),
        _pct(row["pct_20wk"]),
        row["rank"] or "not ranked",
        _pct(dfe.get("value")),
        _pct(dfe.get("neighbours")),
        _pct(dfe.get("region")),
        _pct(dfe.get("england")),
        dfe.get("rank", "not ranked"),
    ]
    cells = [
        f'<th scope="row">{_e(row["name"])} ({_e(row["la"])})<br><small>{_e(row["region"])}'
        "</small>" + ("<br><strong>Demo data</strong>" if row.get("demo") else "") + "</th>",
        # On a phone the table reflows into one cell a line; each says what it is.
        *[
            f'<td class="num"><span class="lbl">{_e(h)}: </span>{_e(v)}</td>'
            for h, v in zip(heads[1:-1], values, strict=True)
        ],
        f'<td><span class="lbl">{_e(heads[-1])}: </span>{links or status}</td>',
    ]
    return "<tr>" + "".join(cells) + "</tr>"


def render_national_index(index: dict[str, Any]) -> str:
    """index.html: one table over every council, the spreads and the statement on ranks."""
    from sendreport.site import STYLE, style_hash

    style = STYLE + LABEL_STYLE
    csp = (
        f"default-src 'none'; style-src '{style_hash(style)}'; base-uri 'none'; form-action 'none'"
    )
    year = index["dfe_year"] or "latest year"
    heads = ["Council", "Plans issued in the quarter", "Plans within 20 weeks (quarter)",
             "Rank (quarter, councils here)", f"DfE {year}: council", "Statistical neighbours",
             "Region", "England", f"Rank among all LAs ({year})", "Reports"]  # fmt: skip
    body = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>SEND reports by council, {_e(index['period'])}</title>",
        f"<style>{style}</style>",
        "</head>",
        "<body>",
        '<a class="skip" href="#main">Skip to the councils</a>',
        '<main id="main">',
        f"<h1>SEND reports by council, {_e(index['period'])}</h1>",
        f"<p><strong>{_e(index['statement'])}</strong></p>",
        DEMO_COUNCILS if any(row.get("demo") for row in index["councils"]) else "",
        _spread_text(index["quarter_spread"], "Plans within 20 weeks in the quarter"),
        _spread_text(index["dfe_spread"], f"DfE {year}, plans within 20 weeks"),
        "<p>Plans within 20 weeks exclude exceptions. Quarter figures come from each "
        "council's build; DfE figures are calendar years from the published release; "
        "statistical neighbours are the mean of the neighbours DfE publishes.</p>",
        '<table class="councils">',
        f"<caption>Councils built for {_e(index['period'])}</caption>",
        "<thead><tr>" + "".join(f'<th scope="col">{_e(h)}</th>' for h in heads) + "</tr></thead>",
        "<tbody>",
        *[_council_row(row, heads) for row in index["councils"]],
        "</tbody></table>",
        '<p><a href="index.json">This index as JSON</a></p>',
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(line for line in body if line) + "\n"
