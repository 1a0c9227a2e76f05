"""The shipped quarterly workflow: a schedule that fires once a quarter, steps that exist."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import yaml

from tests.conftest import REPO_ROOT

WORKFLOW = REPO_ROOT / ".github" / "workflows" / "quarterly.yml"
SCRIPT = REPO_ROOT / ".ci" / "quarterly"


def load_workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def expand(field: str, low: int, high: int) -> set[int] | None:
    """Values a cron field allows; None for `*` (unrestricted)."""
    if field == "*":
        return None
    values: set[int] = set()
    for part in field.split(","):
        part, _, step = part.partition("/")
        first, _, last = part.partition("-")
        start = low if first == "*" else int(first)
        stop = high if first == "*" else int(last or first)
        values |= set(range(start, stop + 1, int(step or 1)))
    return values


def runs_in_year(cron: str, year: int) -> list[date]:
    """Days of ``year`` the cron line fires on, one entry per firing (POSIX rule: when both
    day-of-month and day-of-week are restricted, a day matching either fires)."""
    minute, hour, dom, month, dow = cron.split()
    per_day = len(expand(minute, 0, 59) or range(60)) * len(expand(hour, 0, 23) or range(24))
    doms, months, dows = expand(dom, 1, 31), expand(month, 1, 12), expand(dow, 0, 7)
    dows = None if dows is None else {d % 7 for d in dows}
    fired = []
    day = date(year, 1, 1)
    while day.year == year:
        by_dom = doms is None or day.day in doms
        by_dow = dows is None or (day.isoweekday() % 7) in dows
        both = doms is not None and dows is not None
        if (months is None or day.month in months) and (
            (by_dom or by_dow) if both else (by_dom and by_dow)
        ):
            fired += [day] * per_day
        day += timedelta(days=1)
    return fired


def test_cron_counter_knows_that_day_fields_are_ored():
    # The line this workflow used to ship fired on every weekday of each quarter month.
    assert len(runs_in_year("0 6 2-6 1,4,7,10 1-5", 2025)) > 80


@pytest.mark.parametrize("year", range(2025, 2032))
def test_schedule_fires_four_to_eight_times_a_year_just_after_quarter_ends(year):
    crons = [entry["cron"] for entry in load_workflow()["on"]["schedule"]]
    fired = [day for cron in crons for day in runs_in_year(cron, year)]
    assert 4 <= len(fired) <= 8
    assert {day.month for day in fired} == {1, 4, 7, 10}
    assert all(day.day <= 10 for day in fired)  # the first working days after the quarter


def test_manual_dispatch_takes_a_period_and_publishing_waits_for_reviewers():
    workflow = load_workflow()
    assert "period" in workflow["on"]["workflow_dispatch"]["inputs"]
    publish = workflow["jobs"]["publish"]
    assert publish["needs"] == "build" and publish["environment"] == "quarterly-publication"
    assert "vars.SENDREPORT_DATA_DIR" in workflow["env"]["SENDREPORT_DATA_DIR"]


def test_every_step_is_a_step_of_the_dry_run_script():
    """The workflow runs .ci/quarterly's steps, so `make quarterly-dry-run` tests them."""
    script = SCRIPT.read_text()
    known = set(re.search(r"^\s+(period \| .+?)\) load_state", script, re.M).group(1).split(" | "))
    used = []
    for job in load_workflow()["jobs"].values():
        for step in job["steps"]:
            used += re.findall(r"\.ci/quarterly (\S+)", step.get("run", ""))
    assert set(used) <= known
    assert {"period", "fetch", "validate", "build", "verify", "summary", "approve", "publish"} == (
        set(used)
    )
    dry_run = script[script.index("dry_run() {") :]
    for step in used:
        assert f"step_{step}" in dry_run, step
