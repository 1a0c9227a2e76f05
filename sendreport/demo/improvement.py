"""Demo Priority Action and Improvement Plan: five areas, their actions, quarterly updates.

Five improvement areas modelled on an English council's SEND improvement plan; actions,
owners, dates and progress words are illustrative, written as a newsletter would put them
for parents and carers. Local names (health trusts, service names) come from the demo
council's words (:mod:`sendreport.demo.profiles`), and every figure an update quotes is
computed from that LA's own demo data (:func:`plan_facts`), never copied from another LA. One row per action per quarter, 2023-24-Q1 to 2024-25-Q4, each
update dated at the quarter end; statuses move from not started through on track (with
some at risk or off track on the way) to complete.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from sendreport.demo.profiles import BASELINE, DemoCouncil
from sendreport.metrics.base import Measure
from sendreport.periods import Period
from sendreport.profile import DEFAULT_THRESHOLD

UPDATE_QUARTERS = Period.parse_range("2023-24-Q1..2024-25-Q4")
STATUS_CODES = {
    "n": "not_started",
    "o": "on_track",
    "r": "at_risk",
    "f": "off_track",
    "c": "complete",
}

AREAS = {
    1: "Health support that is the same across the whole {place}",
    2: "Better quality education, health and care plans",
    3: "The right school place at the right time",
    4: "Shorter waits for autism, ADHD, mental health, audiology and speech and language services",
    5: "Listening to parents and carers and acting on concerns early",
}


@dataclass(frozen=True)
class Action:
    action_id: str
    action: str
    owner: str
    due: date
    statuses: str  # one letter per quarter, see STATUS_CODES
    steps: tuple[str, str, str]  # early, middle, late progress
    done: str
    risk: str  # why it is behind, used when at risk or off track


A = Action
ACTIONS: tuple[Action, ...] = (
    A("1.1", "Agree one health offer for children with SEND across every part of {area}",
      "Designated Clinical Officer, Integrated Care Board", date(2024, 9, 30), "oooooccc",
      ("Health partners have mapped what is offered in each district and found the gaps.",
       "A single offer has been drafted with parents and carers and is out for comment.",
       "The offer has been agreed by the health and care partnership board."),
      "The same health offer now applies across {area} and is published on the Local Offer.",
      "agreement across the health trusts is taking longer than planned"),
    A("1.2", "Put a named health contact in every special school",
      "Head of Children's Community Nursing", date(2024, 12, 31), "noorrooc",
      ("Recruitment to the new health contact roles has begun.",
       "Half of special schools now have a named health contact.",
       "All but two special schools have a named health contact."),
      "Every special school now has a named health contact parents can reach.",
      "recruitment of nurses has been slower than hoped"),
    A("1.3", "Give health advice for EHC needs assessments within six weeks",
      "Designated Clinical Officer, Integrated Care Board", date(2024, 6, 30), "oorooccc",
      ("Health services now track every request for advice each week.",
       "Three in four health advices now arrive within six weeks.",
       "Nine in ten health advices now arrive within six weeks."),
      "Health advice is now given within six weeks for almost every assessment.",
      "a rise in requests in the autumn term stretched community paediatrics"),
    A("1.4", "Train GPs and health visitors to spot SEND needs early",
      "Integrated Care Board Primary Care Lead", date(2025, 3, 31), "nnoooooo",
      ("A training module has been written with the Parent Carer Forum.",
       "Over 200 GPs and health visitors have completed the training.",
       "Training is now part of induction for new health visitors."),
      "Early identification training is now part of everyday practice.",
      "training places have been hard to fill"),
    A("2.1", "Check the quality of a sample of new EHC plans every month",
      "Head of SEND Quality Assurance", date(2023, 12, 31), "oocccccc",
      ("A monthly audit of new plans has started, with parents on the panel.",
       "Audit findings are shared with every case officer each month.",
       "The audit now covers plans from every locality team."),
      "Monthly audits are embedded: two in three audited plans were rated good or better.",
      "there were not enough trained auditors"),
    A("2.2", "Rewrite the EHC plan template with families so plans are clearer",
      "Head of SEND Statutory Services", date(2024, 6, 30), "ooorrccc",
      ("Parents and young people have said what a good plan looks like.",
       "The new template is being tested by two locality teams.",
       "The new template is in use for all new plans."),
      "All new plans now use the clearer template written with families.",
      "changes to the case management system are needed first"),
    A("2.3", "Recruit and train extra SEND case officers",
      "Head of SEND Statutory Services", date(2024, 3, 31), "oooocccc",
      ("A recruitment campaign has started for new case officers.",
       "{appointed_sep_2023} case officers had been appointed by September 2023 and training has begun.",
       "{appointed} case officers have now been appointed; {in_training} are in training and {trained} are trained."),
      "The recruitment programme is complete; caseloads are falling towards the target.",
      "some posts needed to be advertised again"),
    A("2.4", "Clear the backlog of overdue EHC needs assessments",
      "Director of Education", date(2024, 9, 30), "orffoooc",
      ("A recovery team is working through the oldest assessments first.",
       "{plans_q4} final plans were issued in January to March 2024.",
       "The number of assessments open over 20 weeks is falling month by month."),
      "The historic backlog has been cleared; new plans are now mostly issued within 20 weeks.",
      "educational psychology advice is still delayed"),
    A("3.1", "Open new special school places, including satellite classes",
      "Head of School Place Planning", date(2024, 9, 30), "oooooocc",
      ("Sites have been agreed for two new special free schools and four satellites.",
       "Building work has started on the new places.",
       "The new places are ready for September 2024."),
      "Special school places rose to {places} in September 2024.",
      "building work has been delayed"),
    A("3.2", "Find a school place for every child who has waited over a year",
      "Head of SEND Placements", date(2024, 3, 31), "orrocccc",
      ("Every child waiting over a year has a named officer and a weekly review.",
       "Interim education is in place for every child waiting over a year.",
       "Fewer than {over_year_ceiling} children have now waited over a year for a place."),
      "Children waiting over a year for a place are now reviewed weekly and most are placed.",
      "too few specialist places are free mid-year"),
    A("3.3", "Set up specialist resource bases in mainstream schools",
      "Head of Inclusion", date(2025, 3, 31), "nnooooro",
      ("Schools have been invited to host resource bases.",
       "Eight schools have been chosen and staff recruitment has started.",
       "Six resource bases are open and taking pupils."),
      "All planned resource bases are open.",
      "two host schools need building adaptations first"),
    A("4.1", "Cut the wait for a speech and language therapy assessment",
      "{community_trust}", date(2024, 3, 31), "oooocccc",
      ("Extra therapists and a new triage clinic have been funded.",
       "The waiting list is falling fast as the triage clinic sees children sooner.",
       "The waiting list {slt_change} between September 2023 and February 2024."),
      "Waits for speech and language assessments are now short and kept under review.",
      "therapist vacancies remain hard to fill"),
    A("4.2", "Reduce waits for {camhs_short} support",
      "{mental_health_trust}", date(2024, 6, 30), "oroocccc",
      ("A waiting list review is contacting every family on the list.",
       "Extra clinics on Saturdays are seeing children sooner.",
       "The {camhs_short} waiting list has {camhs_change} since September 2023."),
      "{camhs_short} waits are now within the agreed standard for most children.",
      "more urgent referrals came in over the winter"),
    A("4.3", "Shorten waits for autism and ADHD assessments",
      "Integrated Care Board Children's Commissioner", date(2025, 3, 31), "offrroor",
      ("A new assessment pathway shared by health and education is being designed.",
       "Additional assessment capacity has been bought from independent providers.",
       "The number waiting has stopped rising and is starting to fall."),
      "Autism and ADHD assessment waits are falling.",
      "demand keeps rising faster than assessments can be offered"),
    A("4.4", "Bring audiology waiting times back within six weeks",
      "Paediatric Audiology Service Lead", date(2024, 12, 31), "rroooocc",
      ("An external review of paediatric audiology has been completed.",
       "Extra clinic sessions have been added and long waits are being cleared.",
       "Nearly all children are now seen within six weeks."),
      "Audiology waits are back within six weeks.",
      "specialist audiologists are in short supply nationally"),
    A("5.1", "Answer parents' complaints and concerns within 20 working days",
      "Head of SEND Customer Services", date(2024, 3, 31), "rroocccc",
      ("A new team now logs and tracks every concern raised by parents.",
       "Four in five concerns are now answered within 20 working days.",
       "Nine in ten concerns are now answered within 20 working days."),
      "Concerns are answered within 20 working days and the team checks families are satisfied.",
      "the number of concerns rose sharply in the summer"),
    A("5.2", "Give every family a named SEND contact they can call",
      "Head of SEND Statutory Services", date(2024, 9, 30), "nooooocc",
      ("Families are being told the name of their case officer in every letter.",
       "A phone line staffed by case officers is open every weekday.",
       "Nearly every family now has a named contact."),
      "Every family now has a named contact and a direct phone number.",
      "new case officers were still being trained"),
    A("5.3", "Set up {early_help_assessments} for children with emerging needs",
      "{early_help_head}", date(2024, 3, 31), "oooocccc",
      ("{early_help_workers} have been trained to support children with emerging SEND.",
       "More early help assessments are being completed each month.",
       "{ff_assessments} {early_help_assessments} covering {ff_children} children were completed in January to March 2024."),
      "Early help for emerging needs is now part of the {early_help} offer.",
      "staffing gaps in two districts slowed progress"),
    A("5.4", "Co-produce the Local Offer website with parents and young people",
      "SEND Partnership Manager with the Parent Carer Forum", date(2025, 3, 31), "nnoorooo",
      ("Parents have tested the current website and said what is missing.",
       "A new, simpler website has been designed with parents and young people.",
       "The new website is live and families are giving feedback."),
      "The new Local Offer website is live.",
      "the website supplier changed"),
)  # fmt: skip


def progress_text(
    action: Action, i: int, words: Mapping[str, str], quarters: list[Period] = UPDATE_QUARTERS
) -> str:
    """Plain-English update for quarter ``i`` (0-based) of an action."""
    codes = action.statuses
    status = STATUS_CODES[codes[i]]
    if status == "not_started":
        start = codes.find("o") if "o" in codes else len(codes) - 1
        return f"Not started yet: work is planned to begin in {quarters[max(start, i)].span}."
    if status == "complete":
        return action.done.format_map(words)
    # Progress through the steps as the quarters pass in this action's active spell.
    active = [k for k, c in enumerate(codes) if c in "orf"]
    pos = active.index(i) if i in active else 0
    step = action.steps[min(2, pos * 3 // max(1, len(active)))].format_map(words)
    if status in ("at_risk", "off_track"):
        return f"{step} This is behind plan because {action.risk}; extra support has been agreed."
    return step


def extend_statuses(statuses: str, extra: int) -> str:
    """Statuses for ``extra`` quarters after 2024-25-Q4: the last one for a quarter more,
    then complete (every action of the demo plan finishes)."""
    return statuses + "".join(statuses[-1] if k == 0 else "c" for k in range(extra))


def _change(measure: Measure, past: str) -> str:
    """ "fell by 78%" / "rose by 4%" (``past`` "fell"/"fallen" picks the tense)."""
    if measure.value is None:
        return "changed"
    size = f"{abs(measure.value):.0f}%"
    down = {"fell": "fell", "fallen": "fallen"}[past]
    up = {"fell": "rose", "fallen": "risen"}[past]
    return f"{down if measure.value < 0 else up} by {size}"


def plan_facts(frames: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """The figures the demo updates quote, computed from this LA's own demo data."""
    from sendreport import metrics as m

    q4 = Period.parse("2023-24-Q4")
    workforce, waits = frames["workforce"], frames["service_waits"]

    def count(measure: Measure) -> str:  # quoted words follow the small-number rule too
        n = int(measure.value or 0)
        return f"fewer than {DEFAULT_THRESHOLD}" if 0 < n < DEFAULT_THRESHOLD else f"{n:,}"

    def staff(measure: Measure) -> str:  # staff, not children: always shown
        return f"{int(measure.value or 0):,}"

    over_year = int(m.placement_waits_over_1yr(frames["placement_waits"], q4).value or 0)
    places = frames["school_places"]["special_school_places"]
    return {
        "plans_q4": count(m.ehcp_plans_issued(frames["ehcp_requests"], q4)),
        "appointed_sep_2023": staff(
            m.case_officer_appointments(workforce, Period.parse("2023-24-Q2"))
        ),
        "appointed": staff(m.case_officer_appointments(workforce, q4)),
        "in_training": staff(m.case_officers_in_training(workforce, q4)),
        "trained": staff(m.case_officers_trained(workforce, q4)),
        "over_year_ceiling": f"{(over_year // 10 + 1) * 10:,}",
        "slt_change": _change(
            m.slt_waiting_change_pct(waits, Period.month(2024, 2), baseline=BASELINE), "fell"
        ),
        "camhs_change": _change(m.camhs_waiting_change_pct(waits, q4, baseline=BASELINE), "fallen"),
        "ff_assessments": count(m.families_first_assessments(frames["families_first"], q4)),
        "ff_children": count(m.families_first_children(frames["families_first"], q4)),
        "places": f"{int(places.iloc[min(6, len(places) - 1)]):,}",  # September 2024
    }


def council_words(council: DemoCouncil) -> dict[str, str]:
    """The local names the demo actions use."""
    plain = council.early_help.lower() == "early help"
    assessments = "early help assessments" if plain else f"{council.early_help} assessments"
    return {
        "area": council.short_name,
        "place": council.place,
        "community_trust": council.community_trust,
        "mental_health_trust": council.mental_health_trust,
        "camhs_short": council.camhs_short,
        "early_help": council.early_help,
        "early_help_head": council.early_help_head,
        "early_help_assessments": assessments,
        "early_help_workers": "Early help workers" if plain else f"{council.early_help} workers",
    }


def generate_improvement_plan(
    code: str, council: DemoCouncil, frames: Mapping[str, pd.DataFrame], end: date | None = None
) -> pd.DataFrame:
    """One row per action per quarterly update, in action then quarter order (updates
    after 2024-25-Q4 up to ``end`` when it is later)."""
    words = {**council_words(council), **plan_facts(frames)}
    quarters = list(UPDATE_QUARTERS)
    while end is not None and quarters[-1].next_quarter().end <= end:
        quarters.append(quarters[-1].next_quarter())
    rows = []
    for base in ACTIONS:
        action = replace(base, statuses=extend_statuses(base.statuses, len(quarters) - 8))
        area_id = int(action.action_id.split(".")[0])
        for i, q in enumerate(quarters):
            rows.append(
                {
                    "area_id": area_id,
                    "area_title": AREAS[area_id].format_map(words),
                    "action_id": action.action_id,
                    "action": action.action.format_map(words),
                    "owner": action.owner.format_map(words),
                    "due_date": action.due,
                    "update_quarter": q.label,
                    "update_date": q.end,
                    "status": STATUS_CODES[action.statuses[i]],
                    "progress_update": progress_text(action, i, words, quarters),
                }
            )
    frame = pd.DataFrame(rows)
    out = pd.DataFrame({"la_code": pd.Series([code] * len(frame), dtype="str")})
    for col in ("area_title", "action_id", "action", "owner", "update_quarter", "status",
                "progress_update"):  # fmt: skip
        out[col] = frame[col].astype("str")
    out["area_id"] = pd.array(frame["area_id"], dtype="Int64")
    for col in ("due_date", "update_date"):
        out[col] = pd.to_datetime(frame[col]).dt.as_unit("us")
    return out[
        ["la_code", "area_id", "area_title", "action_id", "action", "owner", "due_date",
         "update_quarter", "update_date", "status", "progress_update"]
    ]  # fmt: skip
