"""The published site: approved reader editions and an index of every published quarter.

``sendreport publish BUILD… --site DIR`` copies each approved build's reader editions
(HTML, PDF and any spreadsheet or Word edition) to ``DIR/<la>/<period>/`` and rewrites
``DIR/index.html`` (accessible, self-contained, under a strict Content Security Policy)
and ``DIR/index.json`` (the same listing for machines). The audit edition, figures.json,
the manifest, validation results and notebooks are internal: only ``include_audit``
(an internal site) copies them. Kept input snapshots hold personal data and are never
copied.

The new site is assembled in a hidden folder beside ``DIR`` and swapped in whole, as
builds are: an interrupted publish leaves the old site or the new one.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import html
import json
import os
import re
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sendreport.approve import APPROVAL, DEFAULT_REQUIRED, check_approved
from sendreport.exceptions import ParameterError
from sendreport.figures import read_figures
from sendreport.manifest import read_manifest
from sendreport.periods import Period
from sendreport.publish import discard, make_staging, publish_folder
from sendreport.spreadsheet import SPREADSHEET_NAME

SPREADSHEET_TITLE = "Every table in the reports and the data behind each chart"
INDEX_JSON = "index.json"
INDEX_HTML = "index.html"
READER_SUFFIXES = (".html", ".pdf", ".xlsx", ".ods", ".docx")
INTERNAL_NEVER = frozenset({"inputs"})  # kept input snapshots: personal data
# The figures a quarter's index entry shows, in this order, when its build states them.
HEADLINE_IDS = (
    "ehcp_plans_issued",
    "ehcp_20wk_pct_ex",
    "ehcna_decision_6wk_pct",
    "ehcp_overdue_open",
    "ehcp_caseload",
)
FORMAT_NAMES = {".html": "web page", ".pdf": "PDF", ".xlsx": "spreadsheet", ".ods": "spreadsheet",
                ".docx": "Word document"}  # fmt: skip


def published_files(folder: Path, include_audit: bool) -> list[Path]:
    """Files of a build that go on the site, relative to the build folder."""
    if not include_audit:
        return sorted(
            p.relative_to(folder)
            for p in folder.iterdir()
            if p.is_file() and p.suffix.lower() in READER_SUFFIXES
        )
    return sorted(
        p.relative_to(folder)
        for p in folder.rglob("*")
        if p.is_file() and p.relative_to(folder).parts[0] not in INTERNAL_NEVER
    )


def report_title(path: Path) -> str:
    """The <title> of an HTML report (plain text), else its file name."""
    if path.suffix.lower() == ".html":
        match = re.search(r"<title>(.*?)</title>", path.read_text(encoding="utf-8"), re.S)
        if match:
            return " ".join(html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).split())
    return path.stem


def headline_figures(folder: Path, la: str, period: str) -> list[dict[str, Any]]:
    """The build's own-area, own-quarter figures named in :data:`HEADLINE_IDS`."""
    path = folder / "figures.json"
    if not path.is_file():
        return []
    chosen: dict[str, dict[str, Any]] = {}
    for f in read_figures(path):
        current = (f["area"], f["period"], f.get("role", "current")) == (la, period, "current")
        if f["id"] in HEADLINE_IDS and current:
            chosen.setdefault(f["id"], f)
    return [
        {k: chosen[i][k] for k in ("id", "label", "value", "display", "unit")}
        for i in HEADLINE_IDS
        if i in chosen
    ]


def describe_entry(folder: Path, include_audit: bool) -> dict[str, Any]:
    """One quarter's index entry (approval checked by the caller)."""
    manifest = read_manifest(folder) or {}
    la, period = manifest["parameters"]["la"], manifest["parameters"]["period"]
    la_name = manifest.get("la", {}).get("name", la)
    approval = json.loads((folder / APPROVAL).read_text(encoding="utf-8"))
    reports: dict[str, dict[str, Any]] = {}
    for rel in published_files(folder, include_audit):
        if len(rel.parts) == 1 and rel.suffix.lower() in READER_SUFFIXES:
            title = SPREADSHEET_TITLE if rel.name == SPREADSHEET_NAME else rel.stem.capitalize()
            entry = reports.setdefault(rel.stem, {"name": rel.stem, "title": title, "files": []})
            if rel.suffix.lower() == ".html":
                # "Title – Council, period": the page already says council and period.
                entry["title"] = report_title(folder / rel).split(f" – {la_name}")[0]
            entry["files"].append(
                {"path": f"{la}/{period}/{rel.as_posix()}", "format": rel.suffix.lower()[1:],
                 "bytes": (folder / rel).stat().st_size}
            )  # fmt: skip
    return {
        "la": la,
        "la_name": la_name,
        "period": period,
        "period_text": Period.parse(period).span,
        "data_as_at": manifest.get("data_as_at"),
        "build_key": manifest.get("build_key"),
        "approved": [{"role": a["role"], "at": a["at"]} for a in approval.get("approvals", [])],
        "reports": sorted(reports.values(), key=lambda r: r["name"]),
        "headline": headline_figures(folder, la, period),
        "internal": include_audit,
        "demo": bool(manifest.get("demo")),
    }


def with_changes(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Entries newest first per LA, each headline figure with its change since the
    previous quarter when that quarter is published too."""
    by_key = {(e["la"], e["period"]): e for e in entries}
    out = []
    for e in sorted(entries, key=lambda e: (e["la"], Period.parse(e["period"]).start)):
        prev_label = Period.parse(e["period"]).previous_quarter().label
        prev = by_key.get((e["la"], prev_label))
        prev_values = {f["id"]: f for f in prev["headline"]} if prev else {}
        headline = []
        for f in e["headline"]:
            p = prev_values.get(f["id"])
            change = (
                round(f["value"] - p["value"], 6)
                if p and f["value"] is not None and p["value"] is not None
                else None
            )
            headline.append({**f, "previous_period": prev_label if p else None, "change": change})
        out.append({**e, "headline": headline})
    out.sort(key=lambda e: (e["la"], -Period.parse(e["period"]).start.toordinal()))
    return out


def format_change(figure: dict[str, Any]) -> str:
    change = figure.get("change")
    if change is None:
        return "no previous quarter"
    if change == 0:
        return "no change"
    if figure["unit"] == "%":
        return f"{change:+.1f} percentage points"
    return f"{change:+,.0f}" if float(change).is_integer() else f"{change:+,.1f}"


STYLE = """
body{font-family:Arial,Helvetica,sans-serif;line-height:1.5;margin:0 auto;max-width:60rem;
padding:1rem;color:#0b0c0c;background:#fff}
a{color:#1d4f91}a:focus{outline:3px solid #fd0;background:#fd0;color:#0b0c0c}
table{border-collapse:collapse;margin:.5rem 0 1rem;width:100%}
caption{text-align:left;font-weight:bold;padding:.25rem 0}
th,td{border-bottom:1px solid #b1b4b6;padding:.4rem;text-align:left;vertical-align:top}
td.num{text-align:right}
.skip{position:absolute;left:-999rem}.skip:focus{left:1rem;top:1rem}
section.quarter{border-top:2px solid #0b0c0c;margin-top:1.5rem}
.demo{background:#fd0;color:#0b0c0c;border:2px solid #0b0c0c;padding:.5rem}
@media (max-width:40rem){th,td{padding:.3rem .2rem;font-size:.95rem}}
""".strip()


# A demo build's quarter says so, as its reports do: made-up figures never pass for a council's.
DEMO_NOTE = (
    '<p class="demo"><strong>Demo data.</strong> Every figure in these reports was made up by '
    "<code>sendreport demo-data</code>; none is the council's.</p>"
)


def style_hash(style: str = STYLE) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def render_quarter(entry: dict[str, Any]) -> list[str]:
    """One quarter: its reports (links with format and size) and headline figures."""
    anchor = f"la-{entry['la']}-{entry['period']}"
    lines = [f'<section class="quarter" aria-labelledby="{_e(anchor)}">',
             f'<h3 id="{_e(anchor)}">{_e(entry["period_text"])} ({_e(entry["period"])})</h3>',
             DEMO_NOTE if entry.get("demo") else "",
             "<ul>"]  # fmt: skip
    for report in entry["reports"]:
        links = ", ".join(
            f'<a href="{_e(f["path"])}">{_e(FORMAT_NAMES.get("." + f["format"], f["format"]))}'
            f'<span class="skip"> of {_e(report["title"])}</span></a> '
            f"({_e(_size(f['bytes']))})"
            for f in report["files"]
        )
        lines.append(f"<li>{_e(report['title'])}: {links}</li>")
    lines.append("</ul>")
    if entry["headline"]:
        lines += [
            "<table>",
            f"<caption>Headline figures, {_e(entry['period_text'])}</caption>",
            '<thead><tr><th scope="col">Figure</th><th scope="col">Value</th>'
            '<th scope="col">Change since the previous quarter</th></tr></thead><tbody>',
        ]
        for f in entry["headline"]:
            lines.append(
                f'<tr><th scope="row">{_e(f["label"])}</th><td class="num">{_e(f["display"])}'
                f'</td><td class="num">{_e(format_change(f))}</td></tr>'
            )
        lines.append("</tbody></table>")
    approved = "; ".join(f"{a['role']} on {a['at'][:10]}" for a in entry["approved"])
    lines += [f"<p>Data as at {_e(entry['data_as_at'])}. Approved by the {_e(approved)}.</p>",
              "</section>"]  # fmt: skip
    return lines


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{max(1, round(n / 1000))} KB"


def render_index(entries: list[dict[str, Any]]) -> str:
    """The site's index page: councils in LA order, quarters newest first."""
    csp = f"default-src 'none'; style-src '{style_hash()}'; base-uri 'none'; form-action 'none'"
    body = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Published SEND reports</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        '<a class="skip" href="#main">Skip to the reports</a>',
        '<main id="main">',
        "<h1>Published SEND reports</h1>",
    ]
    if not entries:
        body.append("<p>No reports have been published yet.</p>")
    councils: dict[str, list[dict[str, Any]]] = {}
    for e in entries:
        councils.setdefault(e["la"], []).append(e)
    for la, quarters in councils.items():
        body.append(f'<section aria-labelledby="la-{_e(la)}">')
        body.append(f'<h2 id="la-{_e(la)}">{_e(quarters[0]["la_name"])}</h2>')
        for entry in quarters:
            body += [line for line in render_quarter(entry) if line]
        body.append("</section>")
    body += ['<p><a href="index.json">This list as JSON</a></p>', "</main>", "</body>", "</html>"]
    return "\n".join(body) + "\n"


def read_index(site: Path) -> list[dict[str, Any]]:
    path = site / INDEX_JSON
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ParameterError(
            f"{path} is not readable JSON",
            parameter="--site",
            hint="restore it from a backup, or publish into an empty folder",
        ) from None
    return list(data.get("quarters", []))


def _copy_site(site: Path, staging: Path) -> None:
    """The current site into ``staging`` as hard links (cheap; files are never rewritten
    in place, only replaced)."""
    if not site.is_dir():
        return
    for item in site.iterdir():
        target = staging / item.name
        if item.is_dir():
            shutil.copytree(item, target, copy_function=os.link)
        elif item.name not in (INDEX_HTML, INDEX_JSON):
            os.link(item, target)


def check_site_dir(site: Path) -> None:
    if site.exists() and not site.is_dir():
        raise ParameterError(f"--site {site} is a file, not a folder", parameter="--site")
    if site.is_dir() and any(site.iterdir()) and not (site / INDEX_JSON).is_file():
        raise ParameterError(
            f"--site {site} holds files but no {INDEX_JSON}: it is not a sendreport site",
            parameter="--site",
            hint="publish into an empty or new folder, or an existing sendreport site",
        )


def publish_site(
    folders: Sequence[Path],
    site: Path,
    *,
    required: Sequence[str] = DEFAULT_REQUIRED,
    include_audit: bool = False,
) -> list[dict[str, Any]]:
    """Copy approved builds into ``site`` and rewrite its index; all or nothing."""
    site = Path(site)
    check_site_dir(site)
    folders = [Path(f) for f in folders]
    for folder in folders:  # every build is checked before anything is written
        check_approved(folder, required)
    site.parent.mkdir(parents=True, exist_ok=True)
    with open(site.parent / f".{site.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two publishes at once must not drop a quarter
        return _publish_locked(folders, site, include_audit)


def _publish_locked(folders: list[Path], site: Path, include_audit: bool) -> list[dict[str, Any]]:
    entries = {(e["la"], e["period"]): e for e in read_index(site)}
    staging = make_staging(site)
    try:
        _copy_site(site, staging)
        for folder in folders:
            entry = describe_entry(folder, include_audit)
            target = staging / entry["la"] / entry["period"]
            if target.exists():
                shutil.rmtree(target)
            for rel in published_files(folder, include_audit):
                (target / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(folder / rel, target / rel)
            entries[(entry["la"], entry["period"])] = entry
        listing = with_changes(list(entries.values()))
        (staging / INDEX_JSON).write_text(
            json.dumps({"schema": 1, "quarters": listing}, indent=2, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        (staging / INDEX_HTML).write_text(render_index(listing), encoding="utf-8")
        publish_folder(staging, site)
    except BaseException:
        discard(staging)
        raise
    return listing


__all__ = ["publish_site", "published_files", "render_index"]


def summary_markdown(build: Path, previous: Path | None = None) -> str:
    """A build's headline figures and their change since ``previous`` (another quarter's
    build), as Markdown for a CI job summary."""
    manifest = read_manifest(Path(build)) or {}
    la, period = manifest["parameters"]["la"], manifest["parameters"]["period"]
    entries = [{"la": la, "period": period, "headline": headline_figures(Path(build), la, period)}]
    if previous is not None:
        prev = read_manifest(Path(previous)) or {}
        p_la, p_period = prev["parameters"]["la"], prev["parameters"]["period"]
        entries.append(
            {"la": p_la, "period": p_period,
             "headline": headline_figures(Path(previous), p_la, p_period)}
        )  # fmt: skip
    current = next(e for e in with_changes(entries) if e["period"] == period)
    name = manifest.get("la", {}).get("name", la)
    lines = [
        f"## {name}: {Period.parse(period).span} ({period})",
        "",
        f"Data as at {manifest.get('data_as_at')}; build folder `{build}`.",
        "",
        "| Figure | Value | Change since the previous quarter |",
        "|---|---:|---:|",
    ]
    for f in current["headline"]:
        label = str(f["label"]).replace("|", "\\|")
        lines.append(f"| {label} | {f['display']} | {format_change(f)} |")
    return "\n".join(lines) + "\n"
