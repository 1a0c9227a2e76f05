"""``sendreport`` command line.

Exit codes: 0 success; 1 verification mismatch, notebook or internal failure; 2 invalid
data or parameters. Errors are printed as messages; an unexpected error (a bug) is
summarised in one line and its traceback saved to a file for the bug report.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from datetime import date
from pathlib import Path

from sendreport import __version__
from sendreport.exceptions import (
    EXIT_FAILURE,
    EXIT_INVALID,
    EXIT_OK,
    ParameterError,
    SendReportError,
)
from sendreport.imports import skip_unused_imports
from sendreport.safepaths import check_out_dir, write_error_log
from sendreport.sanitise import printable

DEFAULT_PERIOD = "2023-24-Q4"
DEFAULT_LA = "919"
LA_HELP = (
    "LA number (default 919), comma list, region code (E12000006) or all; "
    "many LAs: --data/--out hold one folder per LA"
)


def _csv_choice(allowed: tuple[str, ...], what: str):
    def parse(text: str) -> tuple[str, ...]:
        values = tuple(v.strip() for v in text.split(",") if v.strip())
        bad = [v for v in values if v not in allowed]
        if bad or not values:
            raise argparse.ArgumentTypeError(
                f"unknown {what} {', '.join(bad) or repr(text)}; accepted: {', '.join(allowed)}"
            )
        return values

    return parse


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be 1 or more")
    return value


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def make_parser() -> argparse.ArgumentParser:
    """The ``sendreport`` command line: one subcommand per task, exit codes in the epilog."""
    parser = argparse.ArgumentParser(
        prog="sendreport",
        description="Regenerate a council's quarterly SEND reports from validated data.",
        epilog="Exit codes: 0 success; 1 verification mismatch or failure; 2 invalid data or "
        "parameters.",
    )
    parser.add_argument("--version", action="version", version=f"sendreport {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_build_command(sub)
    _add_validate_command(sub)
    _add_demo_data_command(sub)
    _add_verify_command(sub)
    _add_diff_command(sub)
    _add_fetch_dfe_command(sub)
    _add_open_command(sub)
    sub.add_parser("las", help="list the local authorities and their numbers")
    add_ops_commands(sub)
    _add_inspect_command(sub)
    return parser


def _add_data_end(command: argparse.ArgumentParser) -> None:
    """``--data-end``, shared by build and validate."""
    command.add_argument(
        "--data-end",
        type=_iso_date,
        default=None,
        help="last day the data covers, YYYY-MM-DD (default: the latest caseload month end)",
    )


def _add_build_command(sub: argparse._SubParsersAction) -> None:
    """``build``: what to build from where, what to make, and how to run."""
    b = sub.add_parser("build", help="validate the data and build the reports for a quarter")
    _add_build_sources(b)
    _add_build_outputs(b)
    _add_build_run_options(b)


def _add_build_sources(b: argparse.ArgumentParser) -> None:
    """``build`` options naming the quarter, the LA and where data and outputs live."""
    b.add_argument(
        "--period",
        default=DEFAULT_PERIOD,
        help="financial-year quarter YYYY-YY-Qn, or a range FIRST..LAST "
        f"(default {DEFAULT_PERIOD}: January–March 2024)",
    )
    b.add_argument("--la", default=DEFAULT_LA, help=LA_HELP)
    b.add_argument(
        "--scheduler",
        default=None,
        help="many LAs: tcp://HOST:PORT of a Dask scheduler (default: a local cluster of --jobs)",
    )
    b.add_argument(
        "--data",
        type=Path,
        default=None,
        help="folder of input datasets (default outputs/demo-data/<la>)",
    )
    b.add_argument(
        "--out", type=Path, default=Path("outputs"), help="output root (default outputs)"
    )
    b.add_argument(
        "--dfe",
        type=Path,
        default=None,
        help="DfE 'Education, health and care plans' release folder for benchmarks",
    )


def _add_build_outputs(b: argparse.ArgumentParser) -> None:
    """``build`` options choosing editions, formats, reports and notebook execution."""
    from sendreport.build import EDITIONS, FORMATS

    b.add_argument(
        "--edition",
        type=_csv_choice(EDITIONS, "edition"),
        default=EDITIONS,
        help="reader,audit (default both)",
    )
    b.add_argument(
        "--format",
        type=_csv_choice(FORMATS, "format"),
        default=FORMATS,
        help="html,pdf,docx (default all three; docx is the Word edition for committee papers)",
    )
    b.add_argument(
        "--report",
        type=lambda s: tuple(x for x in s.split(",") if x),
        default=None,
        help="only these reports (default all notebooks)",
    )
    b.add_argument(
        "--jobs",
        type=_positive_int,
        default=min(os.cpu_count() or 1, 4),
        help="notebooks run at once (default: CPU count, at most 4)",
    )
    b.add_argument(
        "--timeout",
        type=_positive_int,
        default=600,
        help="seconds a notebook cell may run (default 600)",
    )
    b.add_argument(
        "--notebooks",
        type=Path,
        default=None,
        help="folder of report notebooks to run instead of the package's own",
    )


def _add_build_run_options(b: argparse.ArgumentParser) -> None:
    """``build`` options for rebuilding, the data end, kept inputs and output style."""
    b.add_argument("--force", action="store_true", help="rebuild even when up to date")
    _add_data_end(b)
    b.add_argument(
        "--keep-inputs",
        action="store_true",
        help="store the validated inputs (Parquet) in the build folder, so `verify` needs "
        "nothing else",
    )
    b.add_argument("--quiet", action="store_true", help="no progress on stderr")
    b.add_argument("--json", action="store_true", help="print one JSON summary line on stdout")


def _add_validate_command(sub: argparse._SubParsersAction) -> None:
    """``validate``: check the input data against the contract only."""
    v = sub.add_parser("validate", help="check the input data against the contract only")
    v.add_argument("--data", type=Path, default=None)
    v.add_argument("--la", default=None, help="expected LA (default: the one in the data)")
    v.add_argument(
        "--all-las",
        action="store_true",
        help="a regional or national extract: allow every known LA instead of exactly one",
    )
    v.add_argument(
        "--out",
        type=Path,
        default=None,
        help="write full results and Data Docs here when validation fails",
    )
    _add_data_end(v)
    v.add_argument("--json", action="store_true")


def _add_demo_data_command(sub: argparse._SubParsersAction) -> None:
    """``demo-data``: write demo datasets for one or many LAs."""
    d = sub.add_parser("demo-data", help="write a complete, valid demo dataset for LAs")
    d.add_argument("--out", type=Path, required=True, help="folder (one per LA for many LAs)")
    d.add_argument("--la", default=DEFAULT_LA, help=LA_HELP)
    d.add_argument("--jobs", type=_positive_int, default=min(os.cpu_count() or 1, 4))
    d.add_argument("--seed", type=int, default=None)
    d.add_argument(
        "--force", action="store_true", help="write into a folder that already holds files"
    )
    d.add_argument(
        "--dfe", type=Path, default=None, help="calibrate to this DfE release folder (any LA in it)"
    )
    d.add_argument(
        "--until",
        type=_iso_date,
        default=None,
        help="last day of the data, YYYY-MM-DD (default: the end of the last complete quarter)",
    )


def _add_verify_command(sub: argparse._SubParsersAction) -> None:
    """``verify``: re-execute a build from its recorded inputs."""
    ver = sub.add_parser("verify", help="re-execute a build from its recorded inputs and compare")
    ver.add_argument("build_folder", type=Path)
    ver.add_argument(
        "--data", type=Path, default=None, help="the recorded inputs, moved to this folder"
    )
    ver.add_argument("--json", action="store_true")
    ver.add_argument("--quiet", action="store_true")


def _add_diff_command(sub: argparse._SubParsersAction) -> None:
    """``diff``: figures that changed between two builds."""
    df = sub.add_parser("diff", help="figures that changed between two builds")
    df.add_argument("build_a", type=Path)
    df.add_argument("build_b", type=Path)
    df.add_argument("--json", action="store_true")


def _add_fetch_dfe_command(sub: argparse._SubParsersAction) -> None:
    """``fetch-dfe``: download a DfE EHC plans release."""
    f = sub.add_parser("fetch-dfe", help="download a DfE EHC plans release (needs internet)")
    f.add_argument("--out", type=Path, required=True)
    f.add_argument("--url", default=None, help="base URL (default: explore-education-statistics)")


def _add_open_command(sub: argparse._SubParsersAction) -> None:
    """``open``: a report notebook on validated data in JupyterLab."""
    o = sub.add_parser(
        "open", help="open a report notebook on a quarter's validated data in JupyterLab"
    )
    o.add_argument("report", help="newsletter, performance or timeliness (or your own notebook)")
    o.add_argument("--period", default=DEFAULT_PERIOD, help="financial-year quarter YYYY-YY-Qn")
    o.add_argument("--la", default=DEFAULT_LA, help="3-digit DfE LA number (default 919)")
    o.add_argument("--data", type=Path, default=None, help="as for build")
    o.add_argument("--out", type=Path, default=Path("outputs"), help="as for build")
    o.add_argument("--dfe", type=Path, default=None, help="as for build")
    o.add_argument("--notebooks", type=Path, default=None, help="as for build")
    o.add_argument(
        "--no-launch", action="store_true", help="only write the notebook and print its path"
    )
    o.add_argument("--quiet", action="store_true", help="no progress on stderr")


def _add_inspect_command(sub: argparse._SubParsersAction) -> None:
    """``inspect``: where each dataset comes from and its first rows."""
    ins = sub.add_parser("inspect", help="where each dataset comes from and its first rows")
    ins.add_argument("--data", type=Path, required=True)
    ins.add_argument("--dataset", action="append", default=None, help="only this dataset")
    ins.add_argument("--rows", type=_positive_int, default=5, help="rows shown (default 5)")


def add_ops_commands(sub: argparse._SubParsersAction) -> None:
    """Sign-off, publishing and scheduling (docs/operations.md)."""
    a = sub.add_parser("approve", help="sign a build off for publication (approval.json)")
    a.add_argument("build_folder", type=Path)
    a.add_argument("--by", required=True, help="name of the person signing off")
    a.add_argument("--role", required=True, help="analyst, analytical assurer or approver")
    a.add_argument("--note", default=None, help="optional note kept with the sign-off")
    p = sub.add_parser("publish", help="copy approved builds into a static site")
    p.add_argument("build_folders", type=Path, nargs="+", metavar="BUILD")
    p.add_argument("--site", type=Path, required=True, help="the site folder")
    p.add_argument(
        "--require",
        default="approver",
        help="roles that must have approved, comma-separated (default approver)",
    )
    p.add_argument(
        "--include-audit",
        action="store_true",
        help="an internal site: also the audit edition, figures.json, manifest and notebooks",
    )
    p.add_argument("--json", action="store_true")
    q = sub.add_parser("latest-quarter", help="print the last complete quarter (YYYY-YY-Qn)")
    q.add_argument("--today", type=_iso_date, default=None, help="as if today were this date")
    q.add_argument("--before", default=None, help="the quarter before this one instead")
    s = sub.add_parser("summary", help="a build's headline figures as Markdown (CI summary)")
    s.add_argument("build_folder", type=Path)
    s.add_argument("--previous", type=Path, default=None, help="the previous quarter's build")


def _emit_json(payload: dict) -> None:
    print(json.dumps(payload, sort_keys=True))


def cmd_build(args: argparse.Namespace) -> int:
    from sendreport.build import BuildOptions, build
    from sendreport.many import select_las
    from sendreport.periods import Period
    from sendreport.progress import Progress

    periods = tuple(Period.parse_range(args.period))
    selection = select_las(args.la)
    if selection.many:
        return _build_many(args, periods, selection.codes)
    if args.scheduler:
        raise ParameterError(
            "--scheduler runs many LAs on a Dask cluster; --la names one",
            accepted="--la with a comma list, a region code or all (--data then holds one "
            "folder per LA), or no --scheduler for one LA",
            parameter="scheduler",
        )
    data = args.data or Path("outputs") / "demo-data" / args.la
    options = BuildOptions(
        periods=periods,
        la=args.la,
        data_dir=data,
        out_dir=args.out,
        editions=args.edition,
        formats=args.format,
        dfe_dir=args.dfe,
        force=args.force,
        jobs=args.jobs,
        timeout_s=args.timeout,
        reports=args.report,
        notebooks_dir=args.notebooks,
        data_end=args.data_end,
        keep_inputs=args.keep_inputs,
    )
    results = build(options, Progress(quiet=args.quiet or args.json))
    if args.json:
        _emit_json({"status": "ok", "exit_code": 0, "builds": [r.to_json() for r in results]})
        return EXIT_OK
    for result in results:
        if result.status == "up to date" and not args.quiet:
            print(f"up to date: {result.period} (use --force to rebuild)", file=sys.stderr)
        print(result.folder.resolve())
    return EXIT_OK


def _build_many(args: argparse.Namespace, periods: tuple, codes: tuple[str, ...]) -> int:
    from sendreport.build import BuildOptions
    from sendreport.distributed import ManyOptions, build_many
    from sendreport.many import format_summary
    from sendreport.progress import Progress

    data_root = args.data or Path("outputs") / "demo-data"
    template = BuildOptions(
        periods=periods,
        la=codes[0],
        data_dir=data_root / codes[0],
        out_dir=args.out,
        editions=args.edition,
        formats=args.format,
        dfe_dir=args.dfe,
        force=args.force,
        jobs=1,
        timeout_s=args.timeout,
        reports=args.report,
        notebooks_dir=args.notebooks,
        keep_inputs=args.keep_inputs,
    )
    many = ManyOptions(template, codes, data_root, jobs=args.jobs, scheduler=args.scheduler)
    summary = build_many(many, Progress(quiet=args.quiet or args.json))
    if args.json:
        _emit_json({"status": "ok" if summary.exit_code == 0 else "error", **summary.to_json()})
    else:
        print(format_summary(summary.outcomes))
        print(f"run summary: {(args.out / 'run.json').resolve()}", file=sys.stderr)
    return summary.exit_code


def cmd_validate(args: argparse.Namespace) -> int:
    from sendreport import reference
    from sendreport.build import check_data_dir, data_end_basis, data_range
    from sendreport.load import load_inputs
    from sendreport.validate import validate_inputs

    data = args.data or Path("outputs") / "demo-data" / (args.la or DEFAULT_LA)
    check_data_dir(data)
    loaded = load_inputs(data, allow_multiple_las=args.all_las)
    for warning in loaded.warnings:
        print(f"warning: {printable(warning, keep_lines=True)}", file=sys.stderr)
    _, data_end = data_range(loaded.frames, args.data_end)
    la_codes = None
    if args.all_las:
        # Known LAs only: an unknown code in the data still fails, with its rows shown.
        found = {
            str(code)
            for frame in loaded.frames.values()
            if "la_code" in frame
            for code in frame["la_code"].dropna().unique()
        }
        la_codes = sorted(code for code in found if reference.is_known_la(code))
    summary = validate_inputs(
        loaded,
        data_end=data_end,
        la_code=args.la,
        results_dir=args.out,
        la_codes=la_codes,
        data_end_basis=data_end_basis(args.data_end),
    )
    payload = summary.to_dict()
    if args.json:
        _emit_json({"status": "ok", "exit_code": 0, "validation": payload})
    else:
        datasets = payload.get("datasets", {})
        total = sum(int(d.get("expectations", 0)) for d in datasets.values())
        las = f" for {len(la_codes)} LAs" if la_codes else ""
        print(f"valid: {len(datasets)} datasets passed {total} expectations{las} ({data})")
    return EXIT_OK


def cmd_demo_data(args: argparse.Namespace) -> int:
    from sendreport.build import check_la
    from sendreport.demo import check_until, default_until, write_demo
    from sendreport.many import select_las
    from sendreport.publish import refuse_non_empty

    selection = select_las(args.la)
    if selection.many:
        for code in selection.codes:
            refuse_non_empty(args.out / code, force=args.force, what="demo datasets")
        return _demo_data_many(args, selection.codes)
    check_la(args.la)
    refuse_non_empty(args.out, force=args.force, what="demo datasets")
    until = check_until(args.until or default_until())
    kwargs = {"la_code": args.la, "dfe_dir": args.dfe, "until": until}
    if args.seed is not None:
        kwargs["seed"] = args.seed
    paths = write_demo(args.out, **kwargs)
    print(
        f"wrote {len(paths)} demo datasets for LA {args.la} to {until:%-d %B %Y}", file=sys.stderr
    )
    print(Path(args.out).resolve())
    return EXIT_OK


def _demo_data_many(args: argparse.Namespace, codes: tuple[str, ...]) -> int:
    from sendreport.demo import check_until, default_until
    from sendreport.many import format_summary, run_exit_code, write_demo_many

    until = check_until(args.until or default_until())
    outcomes = write_demo_many(
        codes, args.out, dfe_dir=args.dfe, seed=args.seed, until=until, jobs=args.jobs
    )
    if any(o.status != "ok" for o in outcomes):
        print(format_summary(outcomes), file=sys.stderr)
    noted = sum((args.out / o.la / "demo-notes.md").is_file() for o in outcomes)
    print(
        f"wrote demo datasets for {len(outcomes)} LAs ({noted} with notes on where they "
        "differ from DfE's published figures: demo-notes.md)",
        file=sys.stderr,
    )
    print(Path(args.out).resolve())
    return run_exit_code(outcomes)


def cmd_verify(args: argparse.Namespace) -> int:
    from sendreport.progress import Progress
    from sendreport.verify import verify_build

    progress = Progress(quiet=args.quiet or args.json)
    report = verify_build(args.build_folder, progress, data_dir=args.data)
    if args.json:
        _emit_json({"status": "ok", "exit_code": 0, "verify": report})
    else:
        print(
            f"verified: {report['figures']} figures and {report['files']} files match "
            f"({args.build_folder})"
        )
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from sendreport.commentary import diff_commentary, format_commentary_diff
    from sendreport.verify import diff_builds, format_diff

    changes = diff_builds(args.build_a, args.build_b)
    reworded = diff_commentary(args.build_a, args.build_b)
    if args.json:
        commentary = [asdict(c) for c in reworded]
        _emit_json({"status": "ok", "exit_code": 0, "changes": changes, "commentary": commentary})
    else:
        print(format_diff(changes, args.build_a, args.build_b))
        if reworded:
            print(format_commentary_diff(reworded))
    return EXIT_OK


def cmd_fetch_dfe(args: argparse.Namespace) -> int:
    from sendreport.dfe.fetch import fetch_release

    kwargs = {"base_url": args.url} if args.url else {}
    folder = fetch_release(args.out, **kwargs)
    print(Path(folder).resolve())
    return EXIT_OK


def cmd_open(args: argparse.Namespace) -> int:
    from sendreport.authoring import OpenRequest, open_report
    from sendreport.periods import Period
    from sendreport.progress import Progress

    request = OpenRequest(
        report=args.report,
        period=Period.parse(args.period),
        la=args.la,
        data_dir=args.data or Path("outputs") / "demo-data" / args.la,
        out_dir=args.out,
        dfe_dir=args.dfe,
        notebooks_dir=args.notebooks,
    )
    notebook = open_report(request, launch=not args.no_launch, progress=Progress(quiet=args.quiet))
    print(notebook)
    return EXIT_OK


def cmd_las(_: argparse.Namespace) -> int:
    from sendreport import reference

    for code in reference.all_la_codes():
        print(f"{code}  {reference.la_name(code)}")
    return EXIT_OK


def cmd_approve(args: argparse.Namespace) -> int:
    from sendreport.approve import approve_build, describe_approval

    record = approve_build(args.build_folder, by=args.by, role=args.role, note=args.note)
    print(f"approved {args.build_folder} ({record['build']['period']}, LA {record['build']['la']})")
    for line in describe_approval(record):
        print(f"  {line}")
    return EXIT_OK


def cmd_publish(args: argparse.Namespace) -> int:
    from sendreport.approve import parse_roles
    from sendreport.site import publish_site

    listing = publish_site(
        args.build_folders,
        args.site,
        required=parse_roles(args.require),
        include_audit=args.include_audit,
    )
    if args.json:
        _emit_json({"status": "ok", "exit_code": 0, "site": str(args.site), "quarters": listing})
    else:
        print(f"published {len(args.build_folders)} build(s); {len(listing)} quarter(s) listed")
        print((args.site / "index.html").resolve())
    return EXIT_OK


def cmd_latest_quarter(args: argparse.Namespace) -> int:
    from sendreport.periods import Period, latest_completed_quarter

    if args.before:
        print(Period.parse(args.before).previous_quarter().label)
    else:
        print(latest_completed_quarter(args.today).label)
    return EXIT_OK


def cmd_summary(args: argparse.Namespace) -> int:
    from sendreport.approve import read_build
    from sendreport.site import summary_markdown

    for folder in (args.build_folder, args.previous):
        if folder is not None:
            read_build(folder)  # a readable manifest, or exit 2 naming the folder
    print(summary_markdown(args.build_folder, args.previous), end="")
    return EXIT_OK


def cmd_inspect(args: argparse.Namespace) -> int:
    from sendreport.build import check_data_dir
    from sendreport.inspect import inspect_data

    check_data_dir(args.data)
    text, ok = inspect_data(args.data, datasets=args.dataset, rows=args.rows)
    print(text, end="")
    return EXIT_OK if ok else EXIT_INVALID


COMMANDS = {
    "build": cmd_build,
    "validate": cmd_validate,
    "demo-data": cmd_demo_data,
    "verify": cmd_verify,
    "diff": cmd_diff,
    "fetch-dfe": cmd_fetch_dfe,
    "open": cmd_open,
    "las": cmd_las,
    "approve": cmd_approve,
    "publish": cmd_publish,
    "latest-quarter": cmd_latest_quarter,
    "summary": cmd_summary,
    "inspect": cmd_inspect,
}


def main(argv: list[str] | None = None) -> int:
    skip_unused_imports()  # before anything imports jsonschema (nbformat, papermill, GX)
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse exits 2 on bad usage, 0 on --help
        return int(exit_.code or 0)
    if not args.command:
        parser.print_help()
        return EXIT_INVALID
    wants_json = getattr(args, "json", False)
    try:
        for option in ("out", "site"):  # folders sendreport writes into
            if isinstance(getattr(args, option, None), Path):
                check_out_dir(getattr(args, option), f"--{option}")
        return COMMANDS[args.command](args)
    except SendReportError as err:
        if wants_json:
            _emit_json(err.to_json())
        else:
            print(f"error: {printable(err, keep_lines=True)}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("interrupted: nothing was published", file=sys.stderr)
        return EXIT_FAILURE
    except Exception as err:  # a bug: summarise, keep the traceback for the report
        log = write_error_log(traceback.format_exc())
        detail = printable(err, limit=300)
        message = f"internal error ({type(err).__name__}: {detail}); this is a bug in sendreport."
        if wants_json:
            _emit_json(
                {
                    "status": "error",
                    "exit_code": EXIT_FAILURE,
                    "reason": "internal",
                    "message": message,
                    "traceback": str(log),
                }
            )
        else:
            print(
                f"error: {message}\n  traceback saved to {log}; nothing was published",
                file=sys.stderr,
            )
        return EXIT_FAILURE


__all__ = ["ParameterError", "main"]
