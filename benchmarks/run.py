"""sendreport benchmarks: one run, one machine, side by side; writes BENCHMARKS.md.

    .venv/bin/python benchmarks/run.py            # everything (~20 min on 2 cores)
    .venv/bin/python benchmarks/run.py --quick    # smoke mode, a few minutes, not written
                                                  # to BENCHMARKS.md unless --output is given

Sections (``--only`` picks some):

1. ``full``: the Hertfordshire (919) demo quarter 2023-24-Q4, every report, both editions,
   HTML and PDF, validation: ``sendreport build --force`` against the naive chain a user
   would write (a Great Expectations script, papermill's CLI per notebook, ``jupyter
   nbconvert`` for the reader and audit editions, WeasyPrint's CLI). Runs alternate.
   ``redraft``: the drafting loop: a notebook edited, the data unchanged, ``sendreport
   build`` without ``--force`` (validation reused) against the naive chain again.
2. ``uptodate``: ``sendreport build`` with nothing changed, end to end as a subprocess.
3. ``backfill``: 12 quarters with ``--jobs 1`` and ``--jobs 2`` (``--force``).
4. ``national``: demo data for every LA the DfE release calibrates, one requests frame of
   about a million rows: ``load_inputs`` (CSV and Parquet), ``validate_inputs``, peak
   memory; and one large LA's build against the demo LA's.

Every measured command is a child process started with the venv's executables; its wall
time is measured around ``Popen`` → ``os.wait4`` and its peak memory is the child's
``ru_maxrss`` (largest single process in its tree) plus a sampled sum of proportional set
sizes (PSS) over the whole process tree (kernels and worker processes included). Scratch output goes to a temporary
folder; ``../shared/data`` is only read.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sendreport.manifest import KEY_PACKAGES

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = REPO / ".venv" / "bin"
PY = VENV_BIN / "python"
DEFAULT_DFE = REPO.parent / "shared" / "data" / "dfe" / "ehcp-2025"
PERIOD = "2023-24-Q4"
DEMO_LA = "919"
BACKFILL = "2022-23-Q1..2024-25-Q4"
# The manifest's list, plus two that explain timing differences.
PACKAGES = (*KEY_PACKAGES, "jupyter-client", "fonttools")

ANALYSIS_MARKER = "<!-- analysis: kept when run.py rewrites this file -->"

TARGETS = {
    "full_ratio": 3.0,  # naive ÷ sendreport, at least
    "uptodate_s": 1.0,  # below
    "backfill_speedup": 2.0,  # close to
    "validate_million_s": 10.0,  # below
    "peak_memory_gb": 2.0,  # below
}


# --- running and measuring children -------------------------------------------------


@dataclass
class Run:
    cmd: list[str]
    seconds: float
    returncode: int
    max_rss_mb: float  # largest single process (ru_maxrss of the child and its waited kids)
    tree_rss_mb: float  # largest sampled sum of PSS over the live process tree
    stdout: str = ""
    stderr_tail: str = ""
    cpu_seconds: float = 0.0  # user + system time of the child and its waited descendants

    def json(self) -> dict[str, Any]:
        for line in reversed(self.stdout.strip().splitlines()):
            if line.startswith("{"):
                return json.loads(line)
        raise ValueError(f"no JSON line in the output of {shlex.join(self.cmd)}")


def _tree_rss_sampler(pid: int, stop: threading.Event, peak: list[float]) -> None:
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil comes with ipykernel
        return
    try:
        root = psutil.Process(pid)
    except psutil.Error:
        return
    while not stop.wait(0.2):
        total = 0
        try:
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            break
        for proc in procs:
            with contextlib.suppress(psutil.Error, AttributeError):
                # PSS: pages shared after fork() are split between the processes that
                # share them, so the sum is the tree's real footprint.
                total += proc.memory_full_info().pss
        peak[0] = max(peak[0], total / 2**20)


def run(
    cmd: list[str | Path],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    check: bool = True,
) -> Run:
    """Run ``cmd`` to completion; wall time, peak RSS, stdout and the tail of stderr."""
    cmd = [str(c) for c in cmd]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
        stop, peak = threading.Event(), [0.0]
        sampler = threading.Thread(target=_tree_rss_sampler, args=(proc.pid, stop, peak))
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        stop.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr_tail = err.read().decode("utf-8", "replace")[-3000:]
    cpu = usage.ru_utime + usage.ru_stime
    result = Run(
        cmd, seconds, proc.returncode, usage.ru_maxrss / 1024, peak[0], stdout, stderr_tail, cpu
    )
    if check and proc.returncode != 0:
        raise RuntimeError(
            f"command failed ({proc.returncode}): {shlex.join(cmd)}\n{stderr_tail}\n{stdout[-2000:]}"
        )
    return result


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


# --- the machine ----------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = float("nan")
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = int(line.split()[1]) / 2**20
    except OSError:
        pass
    from importlib.metadata import PackageNotFoundError, version

    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit, dirty = "unknown", ""
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": mem_gb,
        "os": platform.platform(),
        "python": platform.python_version(),
        "packages": versions,
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "git": commit + (" (working tree has uncommitted changes)" if dirty else ""),
        "load_start": os.getloadavg(),
    }


# --- the two contenders for a full quarter --------------------------------------------


def sendreport_cmd(
    period: str, la: str, data: Path, out: Path, notebooks: Path, *extra: str
) -> list[str | Path]:
    return [
        VENV_BIN / "sendreport",
        "build",
        "--period",
        period,
        "--la",
        la,
        "--data",
        data,
        "--out",
        out,
        "--notebooks",
        notebooks,
        "--json",
        *extra,
    ]


def naive_commands(
    data: Path, out: Path, notebooks: Path, period: str, la: str
) -> list[tuple[str, list[str | Path]]]:
    """The chain a user writes by hand, step by step: (label, command)."""
    steps: list[tuple[str, list[str | Path]]] = [
        (
            "validate (GX script)",
            [PY, REPO / "benchmarks" / "naive" / "validate_ge.py", "--data", data, "--la", la],
        )
    ]
    for nb in sorted(notebooks.glob("*.ipynb")):
        executed = out / f"{nb.stem}.ipynb"
        steps += [
            (
                f"papermill {nb.stem}",
                [
                    VENV_BIN / "papermill",
                    nb,
                    executed,
                    "-p",
                    "period",
                    period,
                    "-p",
                    "la",
                    la,
                    "-p",
                    "data_dir",
                    data,
                    "-p",
                    "benchmarks_path",
                    "",
                ],
            ),
            (
                f"nbconvert reader {nb.stem}",
                [
                    VENV_BIN / "jupyter",
                    "nbconvert",
                    "--to",
                    "html",
                    "--no-input",
                    executed,
                    "--output",
                    f"{nb.stem}-reader",
                ],
            ),
            (
                f"nbconvert audit {nb.stem}",
                [
                    VENV_BIN / "jupyter",
                    "nbconvert",
                    "--to",
                    "html",
                    executed,
                    "--output",
                    f"{nb.stem}-audit",
                ],
            ),
            (
                f"weasyprint {nb.stem}",
                [
                    VENV_BIN / "weasyprint",
                    out / f"{nb.stem}-reader.html",
                    out / f"{nb.stem}-reader.pdf",
                ],
            ),
        ]
    return steps


def run_naive(data: Path, out: Path, notebooks: Path) -> dict[str, Any]:
    out.mkdir(parents=True)
    steps: dict[str, float] = {}
    peak_rss = 0.0
    started = time.perf_counter()
    for label, cmd in naive_commands(data, out, notebooks, PERIOD, DEMO_LA):
        r = run(cmd, cwd=out)
        steps[label] = r.seconds
        peak_rss = max(peak_rss, r.tree_rss_mb, r.max_rss_mb)
    total = time.perf_counter() - started
    pdfs = sorted(out.glob("*-reader.pdf"))
    if len(pdfs) != len(list(notebooks.glob("*.ipynb"))):
        raise RuntimeError(f"naive chain made {len(pdfs)} PDFs in {out}")
    return {"seconds": total, "steps": steps, "peak_mb": peak_rss}


def run_sendreport(
    data: Path, out: Path, notebooks: Path, period: str = PERIOD, la: str = DEMO_LA, *extra: str
) -> dict[str, Any]:
    r = run(sendreport_cmd(period, la, data, out, notebooks, "--force", *extra))
    builds = r.json()["builds"]
    if any(b["status"] != "built" for b in builds):
        raise RuntimeError(f"sendreport did not build: {builds}")
    timings, package = [], set()
    for b in builds:
        manifest = json.loads((Path(b["folder"]) / "manifest.json").read_text())
        timings.append(manifest["timings"])
        package.add(manifest["code"]["package"][:12])
    return {
        "package": sorted(package),
        "seconds": r.seconds,
        "max_rss_mb": r.max_rss_mb,
        "tree_rss_mb": r.tree_rss_mb,
        "timings": timings,
        "quarters": len(builds),
    }


# --- sections -------------------------------------------------------------------------


@dataclass
class Context:
    args: argparse.Namespace
    tmp: Path
    data: Path
    notebooks: Path
    results: dict[str, Any] = field(default_factory=dict)
    counter: int = 0

    def fresh(self, name: str) -> Path:
        self.counter += 1
        return self.tmp / f"{self.counter:03d}-{name}"


def section_full(ctx: Context) -> None:
    runs = ctx.args.runs
    sr, naive = [], []
    for i in range(runs):
        order = ("sendreport", "naive") if i % 2 == 0 else ("naive", "sendreport")
        for who in order:
            say(f"full quarter, run {i + 1}/{runs}: {who}")
            if who == "sendreport":
                out = ctx.fresh("sendreport")
                result = run_sendreport(ctx.data, out, ctx.notebooks)
                ctx.results["uptodate_out"] = out
                sr.append(result)
            else:
                naive.append(run_naive(ctx.data, ctx.fresh("naive"), ctx.notebooks))
            say(f"  {(sr if who == 'sendreport' else naive)[-1]['seconds']:.1f} s")
    ctx.results["full"] = {"sendreport": sr, "naive": naive}


def edit_notebook(notebooks: Path) -> None:
    """An analyst's redraft: one more space at the end of the newsletter's title cell."""
    path = notebooks / "newsletter.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    source = nb["cells"][0]["source"]
    nb["cells"][0]["source"] = ("".join(source) if isinstance(source, list) else source) + " "
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def section_redraft(ctx: Context) -> None:
    """Notebook edited, data unchanged: sendreport reuses the inputs' passing validation
    (no --force); the naive chain has nothing to reuse and runs everything again."""
    out = ctx.fresh("redraft")
    say("redraft: one build first to record the validation (not timed)")
    run(sendreport_cmd(PERIOD, DEMO_LA, ctx.data, out, ctx.notebooks))
    sr, naive = [], []
    for i in range(ctx.args.runs):
        order = ("sendreport", "naive") if i % 2 == 0 else ("naive", "sendreport")
        for who in order:
            say(f"redraft, run {i + 1}/{ctx.args.runs}: {who}")
            edit_notebook(ctx.notebooks)
            if who == "sendreport":
                r = run(sendreport_cmd(PERIOD, DEMO_LA, ctx.data, out, ctx.notebooks))
                status = r.json()["builds"][0]["status"]
                if status != "built":
                    raise RuntimeError(f"redraft did not rebuild: {status}")
                sr.append(r.seconds)
            else:
                naive.append(run_naive(ctx.data, ctx.fresh("naive"), ctx.notebooks)["seconds"])
            say(f"  {(sr if who == 'sendreport' else naive)[-1]:.1f} s")
    ctx.results["redraft"] = {"sendreport": sr, "naive": naive}


def section_uptodate(ctx: Context) -> None:
    out = ctx.results.get("uptodate_out")
    if out is None:
        say("up-to-date: one build first (not timed)")
        out = ctx.fresh("sendreport")
        run_sendreport(ctx.data, out, ctx.notebooks)
    cmd = sendreport_cmd(PERIOD, DEMO_LA, ctx.data, out, ctx.notebooks)
    # Untimed: rebuilds only if the package changed since that build (shared repo).
    run(cmd)
    times, statuses = [], []
    for i in range(ctx.args.uptodate_runs):
        r = run(cmd)
        times.append(r.seconds)
        statuses.append(r.json()["builds"][0]["status"])
        say(f"up-to-date run {i + 1}: {r.seconds:.3f} s ({statuses[-1]})")
    baseline = [run([PY, "-c", "pass"]).seconds for _ in range(5)]
    ctx.results["uptodate"] = {
        "seconds": times,
        "statuses": statuses,
        "python_startup_s": median(baseline),
    }


def section_backfill(ctx: Context) -> None:
    extra = []
    if ctx.args.backfill_reports:
        extra = ["--report", ctx.args.backfill_reports]
    out: dict[str, list[dict[str, Any]]] = {"1": [], "2": []}
    for i in range(ctx.args.backfill_runs):
        order = ("1", "2") if i % 2 == 0 else ("2", "1")
        for jobs in order:
            say(f"backfill {ctx.args.backfill} --jobs {jobs} (run {i + 1})")
            result = run_sendreport(
                ctx.data,
                ctx.fresh(f"backfill-j{jobs}"),
                ctx.notebooks,
                ctx.args.backfill,
                DEMO_LA,
                "--jobs",
                jobs,
                *extra,
            )
            out[jobs].append(result)
            say(f"  {result['seconds']:.1f} s for {result['quarters']} quarters")
    ctx.results["backfill"] = out


def section_national(ctx: Context) -> None:
    args = ctx.args
    nat = ctx.tmp / "national"
    say("national: generating demo data for every LA (setup, not a measured step)")
    gen_cmd = [
        PY,
        REPO / "benchmarks" / "national.py",
        "generate",
        "--dfe",
        args.dfe,
        "--out",
        nat,
        "--la",
        args.big_la,
        "--copies",
        str(args.copies),
    ]
    if args.national_limit:
        gen_cmd += ["--limit", str(args.national_limit)]
    gen = run(gen_cmd)
    info = gen.json()
    say(f"  {info['rows']:,} request rows from {info['las_calibrated']} LAs")
    step = REPO / "benchmarks" / "national.py"
    loads: dict[str, list[Run]] = {"csv": [], "parquet": []}
    validations: list[Run] = []
    for i in range(args.national_runs):
        for fmt in ("csv", "parquet"):
            loads[fmt].append(run([PY, step, "load", "--dir", nat / fmt]))
            say(f"  load {fmt} {i + 1}: {loads[fmt][-1].json()['load_s']:.2f} s")
        validations.append(run([PY, step, "validate", "--dir", nat / "parquet"]))
        say(f"  validate {i + 1}: {validations[-1].json()['validate_s']:.2f} s")
    builds, demo_builds = [], []
    for i in range(args.la_runs):
        # Side by side with the demo LA, alternating, so machine load hits both alike.
        order = ("big", "demo") if i % 2 == 0 else ("demo", "big")
        for who in order:
            if who == "big":
                say(f"national: {PERIOD} for LA {args.big_la} from its generated data ({i + 1})")
                result = run_sendreport(
                    nat / "la", ctx.fresh(f"la{args.big_la}"), ctx.notebooks, PERIOD, args.big_la
                )
                builds.append(result)
            else:
                say(f"national: {PERIOD} for the demo LA {DEMO_LA} ({i + 1})")
                result = run_sendreport(ctx.data, ctx.fresh("la919"), ctx.notebooks)
                demo_builds.append(result)
            say(f"  {result['seconds']:.1f} s")
    with (nat / "la" / "ehcp_requests.csv").open(encoding="utf-8") as f:
        la_rows = sum(1 for _ in f) - 1
    ctx.results["national"] = {
        "generate": info,
        "generate_wall_s": gen.seconds,
        "load": {
            fmt: [{**r.json(), "max_rss_mb": r.max_rss_mb} for r in rs] for fmt, rs in loads.items()
        },
        "validate": [{**r.json(), "max_rss_mb": r.max_rss_mb} for r in validations],
        "la_build": builds,
        "demo_build": demo_builds,
        "la_rows": la_rows,
    }


# --- report ---------------------------------------------------------------------------


def fmt_s(value: float) -> str:
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def stage_medians(timings: list[dict[str, Any]]) -> dict[str, float]:
    keys = ("load_s", "validate_s", "snapshot_s", "reports_s", "total_s")
    return {k: median([t[k] for t in timings if k in t]) for k in keys}


def notebook_medians(timings: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    names = sorted({n for t in timings for n in t.get("notebooks", {})})
    for name in names:
        rows = [t["notebooks"][name] for t in timings if name in t.get("notebooks", {})]
        out[name] = {
            k: median([r[k] for r in rows if k in r])
            for k in ("execute_s", "render_html_s", "render_pdf_s")
        }
    return out


def write_report(ctx: Context, info: dict[str, Any], path: Path, wall: float) -> None:
    args = ctx.args
    res = ctx.results
    lines: list[str] = []
    w = lines.append
    w("# sendreport benchmarks")
    w("")
    if args.quick:
        w("> **Quick (smoke) mode**: fewer runs and smaller scopes; not representative.")
        w("")
    w("Generated by `benchmarks/run.py` in one run on one machine; every ratio compares")
    w("contenders measured side by side, alternating, and every figure is a median.")
    w("")
    w("Reproduce (from the repository root):")
    w("")
    w("```sh")
    w("make bench            # = .venv/bin/python benchmarks/run.py")
    argv = " ".join(shlex.quote(a) for a in sys.argv[1:])
    w(f".venv/bin/python benchmarks/run.py {argv}".rstrip())
    w("```")
    w("")
    w("## Machine")
    w("")
    w(f"- CPU: {info['cpu']}, {info['cores']} cores; memory {info['memory_gb']:.1f} GB")
    w(f"- OS: {info['os']}; Python {info['python']}")
    w("- Packages: " + ", ".join(f"{k} {v}" for k, v in info["packages"].items()))
    w(f"- Date: {info['date']}; sendreport commit {info['git']}")
    load_start = ", ".join(f"{x:.2f}" for x in info["load_start"])
    load_end = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    w(f"- Load average (1, 5, 15 min) at start: {load_start}; at end: {load_end}")
    w(f"- Whole benchmark run: {wall / 60:.1f} min")
    w("")

    summary: list[tuple[str, str, str, str]] = []

    if "full" in res:
        sr = res["full"]["sendreport"]
        nv = res["full"]["naive"]
        sr_med = median([r["seconds"] for r in sr])
        nv_med = median([r["seconds"] for r in nv])
        ratio = nv_med / sr_med
        summary.append(
            (
                "Full quarter: naive ÷ sendreport",
                f"≥ {TARGETS['full_ratio']:.0f}×",
                f"{ratio:.2f}× ({fmt_s(nv_med)} ÷ {fmt_s(sr_med)})",
                verdict(ratio >= TARGETS["full_ratio"]),
            )
        )
        w("## 1. Full quarter build (919 Hertfordshire demo, 2023-24-Q4)")
        w("")
        w(
            f"{len(sr)} runs each, alternating (sendreport first in odd runs). All reports "
            "(`notebooks/*.ipynb`), reader and audit HTML, reader PDF, validation of the "
            "ten input datasets. Each run writes to a fresh folder (no snapshot or "
            "benchmark cache carried over)."
        )
        w("")
        w("| contender | median | runs | peak memory (process tree, PSS) |")
        w("|---|---|---|---|")
        w(
            f"| `sendreport build --force` (jobs {args.jobs_note}) | **{fmt_s(sr_med)}** | "
            + ", ".join(f"{r['seconds']:.1f}" for r in sr)
            + f" | {max(r['tree_rss_mb'] for r in sr):,.0f} MB |"
        )
        w(
            f"| naive chain (sequential CLIs) | **{fmt_s(nv_med)}** | "
            + ", ".join(f"{r['seconds']:.1f}" for r in nv)
            + f" | {max(r['peak_mb'] for r in nv):,.0f} MB |"
        )
        w("")
        w(f"**Ratio (naive median ÷ sendreport median): {ratio:.2f}×** (target ≥ 3×).")
        w("")
        w("sendreport's own stage timings (medians, from each build's manifest.json):")
        w("")
        st = stage_medians([r["timings"][0] for r in sr])
        w(
            "| load | validate (GX) | snapshot | notebooks + rendering (parallel) | total in-process |"
        )
        w("|---|---|---|---|---|")
        w(" | ".join(["", *(fmt_s(st[k]) for k in st), ""]).strip())
        w("")
        w("| notebook | execute (papermill) | HTML, both editions | PDF (WeasyPrint) |")
        w("|---|---|---|---|")
        for name, t in notebook_medians([r["timings"][0] for r in sr]).items():
            w(
                f"| {name} | {fmt_s(t['execute_s'])} | {fmt_s(t['render_html_s'])} | "
                f"{fmt_s(t['render_pdf_s'])} |"
            )
        w("")
        w("Naive chain, median per step:")
        w("")
        w("| step | median |")
        w("|---|---|")
        labels = list(nv[0]["steps"])
        for label in labels:
            w(f"| {label} | {fmt_s(median([r['steps'][label] for r in nv]))} |")
        w("")
        w("The naive chain's commands (paths shortened):")
        w("")
        w("```sh")
        for label, cmd in naive_commands(
            Path("DATA"), Path("OUT"), Path("notebooks"), PERIOD, DEMO_LA
        ):
            text = shlex.join(str(c) for c in cmd).replace(str(REPO) + "/", "")
            w(f"{text}   # {label}")
        w("```")
        w("")

    if "redraft" in res:
        sr_r, nv_r = res["redraft"]["sendreport"], res["redraft"]["naive"]
        ratio_r = median(nv_r) / median(sr_r)
        summary.append(
            (
                "Redraft (notebook edited, data unchanged): naive ÷ sendreport",
                "(no target; the drafting loop)",
                f"{ratio_r:.2f}× ({fmt_s(median(nv_r))} ÷ {fmt_s(median(sr_r))})",
                "measured",
            )
        )
        w("## 1b. Redraft: a notebook edited, the data unchanged")
        w("")
        w(
            f"{len(sr_r)} runs each, alternating. Before each run one notebook is edited (a "
            "space added to a title), as an analyst drafting the text would. `sendreport "
            "build` (no `--force`) rebuilds every report but reuses the inputs' passing "
            "validation, which is keyed by the input and suite checksums; the naive chain "
            "has nothing to reuse and runs every step again."
        )
        w("")
        w("| contender | median | runs |")
        w("|---|---|---|")
        w(
            f"| `sendreport build` | **{fmt_s(median(sr_r))}** | "
            + ", ".join(f"{x:.1f}" for x in sr_r)
            + " |"
        )
        w(
            f"| naive chain | **{fmt_s(median(nv_r))}** | "
            + ", ".join(f"{x:.1f}" for x in nv_r)
            + " |"
        )
        w("")
        w(f"**Ratio: {ratio_r:.2f}×.**")
        w("")

    if "uptodate" in res:
        u = res["uptodate"]
        kept = [t for t, s in zip(u["seconds"], u["statuses"], strict=True) if s == "up to date"]
        rebuilt = len(u["seconds"]) - len(kept)
        med = median(kept)
        all_up = rebuilt == 0
        summary.append(("Up-to-date rebuild", "< 1 s", fmt_s(med), verdict(med < 1)))
        w("## 2. Up-to-date rebuild (nothing changed)")
        w("")
        w(
            f"`sendreport build` without `--force`, end to end as a subprocess, "
            f"{len(u['seconds'])} runs: median **{med:.3f} s** (min {min(kept):.3f}, "
            f"max {max(kept):.3f}); "
            + (
                "every run reported `up to date`. "
                if all_up
                else f"{rebuilt} run(s) rebuilt because the package changed under the "
                "benchmark (a shared working tree) and are left out of the median. "
            )
            + f"For scale, `python -c pass` takes {u['python_startup_s']:.3f} s here. "
            "The check hashes the input files, notebooks and suites and compares the "
            "build key with the published manifest; it imports neither pandas nor GX."
        )
        w("")

    if "backfill" in res:
        b = res["backfill"]
        j1 = median([r["seconds"] for r in b["1"]])
        j2 = median([r["seconds"] for r in b["2"]])
        speed = j1 / j2
        quarters = b["1"][0]["quarters"]
        summary.append(
            (
                f"Backfill {quarters} quarters: jobs 1 ÷ jobs 2",
                "close to 2×",
                f"{speed:.2f}× ({fmt_s(j1)} → {fmt_s(j2)})",
                verdict(speed >= 1.7),
            )
        )
        w(f"## 3. Backfill: {quarters} quarters ({args.backfill})")
        w("")
        reports = args.backfill_reports or "all reports"
        w(
            f"`sendreport build --period {args.backfill} --force` ({reports}, both editions, "
            f"HTML and PDF); {len(b['1'])} run(s) per setting."
        )
        w("")
        w("| jobs | wall time | per quarter | load + validate (once) | peak memory (tree, PSS) |")
        w("|---|---|---|---|---|")
        for jobs, rs in (("1", b["1"]), ("2", b["2"])):
            t = median([r["seconds"] for r in rs])
            once = median([r["timings"][0]["load_s"] + r["timings"][0]["validate_s"] for r in rs])
            w(
                f"| {jobs} | {fmt_s(t)} | {fmt_s(t / quarters)} | {fmt_s(once)} | "
                f"{max(r['tree_rss_mb'] for r in rs):,.0f} MB |"
            )
        w("")
        w(f"**Speed-up with 2 jobs: {speed:.2f}×** (target: close to 2×; 2 cores).")
        w("")

    if "national" in res:
        n = res["national"]
        g = n["generate"]
        val_s = median([r["validate_s"] for r in n["validate"]])
        gx_s = median([r["gx_import_s"] for r in n["validate"]])
        peak = max(
            [r["max_rss_mb"] for rs in n["load"].values() for r in rs]
            + [r["max_rss_mb"] for r in n["validate"]]
        )
        rows = g["rows"]
        summary.append(
            (
                f"Validate {rows:,} request rows",
                "< 10 s",
                fmt_s(val_s) + f" (+ {fmt_s(gx_s)} GX import)",
                verdict(val_s < TARGETS["validate_million_s"]),
            )
        )
        la_peak = max((b["tree_rss_mb"] for b in n["la_build"]), default=0.0)
        summary.append(
            (
                "Peak memory (national load/validate; one-LA build tree)",
                "< 2 GB",
                f"{peak:,.0f} MB; " + (f"{la_peak:,.0f} MB" if n["la_build"] else "not run"),
                verdict(peak < 2048),
            )
        )
        w("## 4. National scale")
        w("")
        w(
            f"Demo data for every LA in the DfE release at `{args.dfe}` "
            f"(`generate_demo(la, dfe_dir=...)`): {g['las_calibrated']} of {g['las_tried']} LAs "
            f"calibrate; {g['las_skipped']} raise `DemoCalibrationError` and are skipped "
            f"({', '.join(sorted(g['skipped']))})."
        )
        one_seed = rows // max(g["copies"], 1)
        if g["copies"] > 1:
            w(
                f"One seed per LA gives about {one_seed:,} request rows, so each LA is generated "
                f"with {g['copies']} seeds (the second copy's ids suffixed `-1`) to reach "
                "the million-row scale."
            )
        w(
            f"Requests frame: **{rows:,} rows**, {g['csv_bytes'] / 1e6:.0f} MB CSV, "
            f"{g['parquet_bytes'] / 1e6:.0f} MB Parquet (generation took "
            f"{n['generate_wall_s']:.0f} s, not part of any measurement)."
        )
        w("")
        w(
            "Each step runs in its own process; medians of "
            f"{len(n['validate'])} run(s); peak = the process's `ru_maxrss`."
        )
        w("")
        w("| step | median | peak memory |")
        w("|---|---|---|")
        for fmt, label in (("csv", "CSV"), ("parquet", "Parquet")):
            rs = n["load"][fmt]
            w(
                f"| `load_inputs` {label} (allow_multiple_las=True) | "
                f"{fmt_s(median([r['load_s'] for r in rs]))} | "
                f"{max(r['max_rss_mb'] for r in rs):,.0f} MB |"
            )
        w(
            f"| `validate_inputs` ehcp_requests ({n['validate'][0]['expectations']} "
            f"expectations, all passed: {all(r['passed'] == r['expectations'] for r in n['validate'])}) | "
            f"**{fmt_s(val_s)}** | {max(r['max_rss_mb'] for r in n['validate']):,.0f} MB "
            "(incl. loading) |"
        )
        w(f"| `import great_expectations` (once per process) | {fmt_s(gx_s)} | |")
        w("")
        w(
            "`validate_inputs` runs the committed suites with every LA of the extract "
            f"allowed ({n['validate'][0]['las']} LAs; `la_codes=`, as `sendreport validate "
            "--all-las` does); the work per row is the same as a one-LA build's."
        )
        w("")
        if n["la_build"]:
            demo_med = median([r["seconds"] for r in n["demo_build"]])
            la_med = median([b["seconds"] for b in n["la_build"]])
            demo_rows = None
            demo_file = ctx.data / "ehcp_requests.csv"
            if demo_file.is_file():
                demo_rows = sum(1 for _ in demo_file.open()) - 1
            w(
                f"One large LA: `sendreport build --force` of {PERIOD} for LA {args.big_la} "
                f"from its generated data ({n['la_rows']:,} request rows"
                + (f" vs {demo_rows:,} for 919" if demo_rows else "")
                + f"): median **{fmt_s(la_med)}** against the demo LA's {fmt_s(demo_med)}, "
                f"{len(n['la_build'])} alternating run(s) each: ratio {la_med / demo_med:.2f}. "
                f"Peak memory of the build's process tree: {la_peak:,.0f} MB "
                f"(largest single process {max(b['max_rss_mb'] for b in n['la_build']):,.0f} MB)."
            )
            w("")

    w("## Targets")
    w("")
    w("| target | goal | measured (median) | |")
    w("|---|---|---|---|")
    for row in summary:
        w("| " + " | ".join(row) + " |")
    w("")
    w("## Notes")
    w("")
    w(
        "- Timings are wall-clock seconds of whole child processes (interpreter start and "
        "imports included), never of in-process calls, except the national load and "
        "validate steps, which time the call inside their process (imports reported apart)."
    )
    w(
        "- Both contenders run the same copy of the notebooks (taken at the start of the "
        "run, passed to sendreport with `--notebooks`) on the same CSV folder, written by "
        "`sendreport demo-data --la 919`."
    )
    w(
        "- The machine is shared (see the load average above): absolute times move with "
        "other work, the side-by-side ratios much less."
    )
    packages = sorted(
        {
            p
            for key in ("full", "backfill")
            for rs in (res.get(key) or {}).values()
            for r in rs
            for p in r.get("package", [])
        }
        | {p for r in (res.get("national") or {}).get("la_build", []) for p in r["package"]}
    )
    if len(packages) > 1:
        w(
            f"- The sendreport package changed while this benchmark ran (other engineers "
            f"share the working tree): builds used {len(packages)} versions "
            f"(package digests {', '.join(packages)}). Each build's digest is in its manifest."
        )
    for extra in res.get("notes", []):
        w(f"- {extra}")
    w("")
    # A hand-written analysis below the marker survives regeneration.
    if path.is_file():
        previous = path.read_text(encoding="utf-8")
        if ANALYSIS_MARKER in previous:
            lines.append(previous[previous.index(ANALYSIS_MARKER) :].rstrip("\n") + "\n")
    path.write_text("\n".join(lines), encoding="utf-8")


# --- main -----------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Measure sendreport against the naive chain and write BENCHMARKS.md.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--runs", type=int, default=3, help="full-quarter runs per contender")
    parser.add_argument("--uptodate-runs", type=int, default=10)
    parser.add_argument("--backfill", default=BACKFILL, help="quarter range for the backfill")
    parser.add_argument(
        "--backfill-reports", default=None, help="only these reports in the backfill (a,b)"
    )
    parser.add_argument("--backfill-runs", type=int, default=1, help="runs per jobs setting")
    parser.add_argument("--dfe", type=Path, default=DEFAULT_DFE, help="DfE EHCP release")
    parser.add_argument("--big-la", default="886", help="large LA for the one-LA build")
    parser.add_argument("--copies", type=int, default=2, help="demo seeds per LA (national)")
    parser.add_argument("--national-limit", type=int, default=None, help="first N LAs only")
    parser.add_argument("--national-runs", type=int, default=3, help="load/validate runs")
    parser.add_argument(
        "--la-runs", type=int, default=2, help="one-LA builds (each beside a demo-LA build)"
    )
    parser.add_argument(
        "--only",
        default="full,redraft,uptodate,backfill,national",
        help="sections to run (comma-separated)",
    )
    parser.add_argument("--quick", action="store_true", help="smoke mode: minutes, not 20")
    parser.add_argument("--output", type=Path, default=None, help="default BENCHMARKS.md")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs = 1
        args.uptodate_runs = 3
        args.backfill = "2024-25-Q3..2024-25-Q4"
        args.backfill_reports = args.backfill_reports or "newsletter"
        args.national_limit = args.national_limit or 12
        args.national_runs = 1
        args.copies = 1
        args.la_runs = 0
    if args.output is None:
        args.output = None if args.quick else REPO / "BENCHMARKS.md"
    args.jobs_note = f"default = {min(os.cpu_count() or 1, 4)}"
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sections = [s.strip() for s in args.only.split(",") if s.strip()]
    started = time.perf_counter()
    info = machine()
    tmp = Path(tempfile.mkdtemp(prefix="sendreport-bench-"))
    say(f"scratch folder {tmp}")
    try:
        notebooks = tmp / "notebooks"
        shutil.copytree(REPO / "notebooks", notebooks)
        data = tmp / "data919"
        run([VENV_BIN / "sendreport", "demo-data", "--out", data, "--la", DEMO_LA])
        # Warm the page cache for both contenders alike (not measured).
        run([PY, "-c", "import great_expectations, papermill, nbconvert, weasyprint, seaborn"])
        ctx = Context(args, tmp, data, notebooks)
        if "national" in sections and not args.dfe.is_dir():
            ctx.results.setdefault("notes", []).append(
                f"national section skipped: no DfE release at {args.dfe}"
            )
            sections.remove("national")
        for name in ("full", "redraft", "uptodate", "backfill", "national"):
            if name in sections:
                globals()[f"section_{name}"](ctx)
        wall = time.perf_counter() - started
        output = args.output or tmp / "BENCHMARKS-quick.md"
        if args.quick and args.output is None and args.keep is False:
            output = Path(tempfile.gettempdir()) / "sendreport-BENCHMARKS-quick.md"
        write_report(ctx, info, output, wall)
        (output.with_suffix(".json") if args.quick else tmp / "results.json").write_text(
            json.dumps(ctx.results, default=str, indent=1)
        )
        say(f"wrote {output} ({wall / 60:.1f} min)")
        print(output)
    finally:
        if args.keep:
            say(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
