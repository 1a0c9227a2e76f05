"""Many councils at once: which LAs ``--la`` names, and demo data for each of them.

``--la`` takes one DfE LA number (``919``), a comma list (``919,884``), an ONS region code
(``E12000006``, every LA in the East of England) or ``all`` (every current English LA).
A selection that names more than one LA (or any region or ``all``) is a *many-LA* run:
``--data DIR`` then holds one folder per LA named by its number, and ``--out`` gets one
tree per LA, as a single build makes.

Standard library only: the CLI resolves ``--la`` before anything heavy is imported.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sendreport import reference
from sendreport.exceptions import EXIT_FAILURE, EXIT_OK, ParameterError, SendReportError

REGION_CODE = re.compile(r"^E12\d{6}$")


@dataclass(frozen=True)
class LaSelection:
    """The LAs a ``--la`` value names, in DfE number order, and whether it is a many-LA run."""

    codes: tuple[str, ...]
    many: bool
    text: str


def regions() -> dict[str, str]:
    """ONS region code → region name, for every region with a current LA."""
    found = {}
    for code in reference.all_la_codes():
        la = reference.local_authority(code)
        found[la.region_code] = la.region_name
    return dict(sorted(found.items()))


def region_las(region: str) -> list[str]:
    """DfE numbers of the current LAs in an ONS region (``E12000006``)."""
    codes = [c for c in reference.all_la_codes() if reference.region_code(c) == region]
    if not codes:
        known = "; ".join(f"{code} {name}" for code, name in regions().items())
        raise ParameterError(
            f"no local authorities in region {region!r}",
            accepted=f"an English region code: {known}",
            parameter="la",
        )
    return codes


def select_las(text: str) -> LaSelection:
    """Resolve a ``--la`` value; unknown numbers or regions raise :class:`ParameterError`."""
    items = [item.strip() for item in str(text).split(",") if item.strip()]
    if not items:
        raise ParameterError(
            "--la is empty",
            accepted="an LA number (919), a comma list (919,884), a region code (E12000006) or all",
            parameter="la",
        )
    codes: list[str] = []
    many = len(items) > 1
    for item in items:
        if item.lower() == "all":
            codes.extend(reference.all_la_codes())
            many = True
        elif REGION_CODE.match(item.upper()):
            codes.extend(region_las(item.upper()))
            many = True
        else:
            codes.append(reference.local_authority(item).la_code)
    return LaSelection(tuple(sorted(set(codes))), many, str(text))


@dataclass(frozen=True)
class LaOutcome:
    """How one LA's part of a many-LA run ended: ``status`` ok or failed, with the exit
    code and reason a single run would have given, and its message."""

    la: str
    status: str
    exit_code: int = EXIT_OK
    reason: str = ""
    message: str = ""
    seconds: float = 0.0
    folders: tuple[str, ...] = ()
    peak_rss_mb: float | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "la": self.la,
            "name": reference.la_display_name(self.la),
            "status": self.status,
            "exit_code": self.exit_code,
            "reason": self.reason,
            "message": self.message,
            "seconds": round(self.seconds, 3),
            "folders": list(self.folders),
            "peak_rss_mb": self.peak_rss_mb,
        }


def outcome_of_error(la: str, err: BaseException, seconds: float = 0.0) -> LaOutcome:
    """An error as one LA's outcome: a user error keeps its exit code and reason; anything
    else is a failure of the run (a bug), named by its type."""
    if isinstance(err, SendReportError):
        return LaOutcome(la, "failed", err.exit_code, err.reason, str(err), seconds)
    return LaOutcome(
        la, "failed", EXIT_FAILURE, "internal", f"{type(err).__name__}: {err}", seconds
    )


def run_exit_code(outcomes: Sequence[LaOutcome]) -> int:
    """2 when any LA failed on bad input or parameters, else 1 when any failed, else 0."""
    codes = {o.exit_code for o in outcomes if o.status != "ok"}
    if not codes:
        return EXIT_OK
    return 2 if 2 in codes else max(codes)


def format_summary(outcomes: Sequence[LaOutcome]) -> str:
    """A plain-text table: LA, name, status, exit reason (first line of the message)."""
    rows = [("LA", "name", "status", "exit reason")]
    for o in outcomes:
        reason = o.message.splitlines()[0] if o.message else ""
        if o.reason and o.status != "ok":
            reason = f"{o.reason}: {reason}"
        rows.append((o.la, reference.la_display_name(o.la), o.status, reason[:100]))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = [
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3]
        for row in rows
    ]
    failed = sum(o.status != "ok" for o in outcomes)
    lines.append(f"{len(outcomes) - failed} of {len(outcomes)} LAs ok, {failed} failed")
    return "\n".join(line.rstrip() for line in lines)


# --- demo data for many LAs -------------------------------------------------------------
def _demo_one(args: tuple[str, Path, Path | None, int | None, Any]) -> LaOutcome:
    from sendreport.demo import write_demo

    la, out, dfe_dir, seed, until = args
    kwargs = {"la_code": la, "dfe_dir": dfe_dir, "until": until}
    if seed is not None:
        kwargs["seed"] = seed
    try:
        write_demo(out / la, **kwargs)
    except Exception as err:  # one LA's failure is reported; the others go on
        return outcome_of_error(la, err)
    return LaOutcome(la, "ok", folders=(str(out / la),))


def write_demo_many(
    codes: Sequence[str],
    out: Path,
    *,
    dfe_dir: Path | None = None,
    seed: int | None = None,
    until: Any = None,
    jobs: int = 1,
    say: Callable[[str], None] | None = None,
) -> list[LaOutcome]:
    """Demo data for each LA in ``out/<la>/``; returns one outcome per LA, in code order."""
    say = say or (lambda message: print(message, file=sys.stderr))
    work = [(la, Path(out), dfe_dir, seed, until) for la in codes]
    outcomes: list[LaOutcome] = []
    if jobs > 1 and len(work) > 1:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            for outcome in pool.map(_demo_one, work):
                outcomes.append(outcome)
                say(f"demo data {len(outcomes)}/{len(work)}: LA {outcome.la} {outcome.status}")
    else:
        for item in work:
            outcomes.append(_demo_one(item))
            say(f"demo data {len(outcomes)}/{len(work)}: LA {item[0]} {outcomes[-1].status}")
    return outcomes
