"""Demo Priority Action and Improvement Plan: five areas, their actions, quarterly updates.

The five improvement areas are those of Hertfordshire's SEND improvement plan; actions,
owners, dates and progress words are illustrative, written as a newsletter would put them
for parents and carers. One row per action per quarter, 2023-24-Q1 to 2024-25-Q4, each
update dated at the quarter end; statuses move from not started through on track (with
some at risk or off track on the way) to complete.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from sendreport.periods import Period

UPDATE_QUARTERS = Period.parse_range("2023-24-Q1..2024-25-Q4")
STATUS_CODES = {
    "n": "not_started",
    "o": "on_track",
    "r": "at_risk",
    "f": "off_track",
    "c": "complete",
}

AREAS = {
    1: "Health support that is the same across the whole county",
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
       "Over 60 case officers have been appointed and training has begun.",
       "111 case officers have now been appointed; 34 are in training and 48 are trained."),
      "The recruitment programme is complete; caseloads are falling towards the target.",
      "some posts needed to be advertised again"),
    A("2.4", "Clear the backlog of overdue EHC needs assessments",
      "Director of Education", date(2024, 9, 30), "orffoooc",
      ("A recovery team is working through the oldest assessments first.",
       "669 final plans were issued in January to March 2024, the most in any quarter.",
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
       "Fewer than 70 children have now waited over a year for a place."),
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
      "Hertfordshire Community NHS Trust", date(2024, 3, 31), "oooocccc",
      ("Extra therapists and a new triage clinic have been funded.",
       "The waiting list is falling fast as the triage clinic sees children sooner.",
       "The waiting list fell by 78% between September 2023 and February 2024."),
      "Waits for speech and language assessments are now short and kept under review.",
      "therapist vacancies remain hard to fill"),
    A("4.2", "Reduce waits for PALMS and CAMHS support",
      "Hertfordshire Partnership University NHS Foundation Trust", date(2024, 6, 30), "oroocccc",
      ("A waiting list review is contacting every family on the list.",
       "Extra clinics on Saturdays are seeing children sooner.",
       "The PALMS waiting list is down 52% since September 2023."),
      "PALMS and CAMHS waits are now within the agreed standard for most children.",
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
    A("5.3", "Set up Families First early help assessments for children with emerging needs",
      "Head of Families First", date(2024, 3, 31), "oooocccc",
      ("Families First workers have been trained to support children with emerging SEND.",
       "More early help assessments are being completed each month.",
       "218 Families First assessments covering 513 children were completed in January to March 2024."),
      "Early help for emerging needs is now part of the Families First offer.",
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
    action: Action, i: int, area: str, places: int, quarters: list[Period] = UPDATE_QUARTERS
) -> str:
    """Plain-English update for quarter ``i`` (0-based) of an action."""
    codes = action.statuses
    status = STATUS_CODES[codes[i]]
    fmt = {"area": area, "places": f"{places:,}"}
    if status == "not_started":
        start = codes.find("o") if "o" in codes else len(codes) - 1
        return f"Not started yet: work is planned to begin in {quarters[max(start, i)].span}."
    if status == "complete":
        return action.done.format(**fmt)
    # Progress through the steps as the quarters pass in this action's active spell.
    active = [k for k, c in enumerate(codes) if c in "orf"]
    pos = active.index(i) if i in active else 0
    step = action.steps[min(2, pos * 3 // max(1, len(active)))].format(**fmt)
    if status in ("at_risk", "off_track"):
        return f"{step} This is behind plan because {action.risk}; extra support has been agreed."
    return step


def extend_statuses(statuses: str, extra: int) -> str:
    """Statuses for ``extra`` quarters after 2024-25-Q4: the last one for a quarter more,
    then complete (every action of the demo plan finishes)."""
    return statuses + "".join(statuses[-1] if k == 0 else "c" for k in range(extra))


def generate_improvement_plan(
    code: str, area_name: str, places: int, end: date | None = None
) -> pd.DataFrame:
    """One row per action per quarterly update, in action then quarter order (updates
    after 2024-25-Q4 up to ``end`` when it is later)."""
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
                    "area_title": AREAS[area_id],
                    "action_id": action.action_id,
                    "action": action.action.format(area=area_name),
                    "owner": action.owner,
                    "due_date": action.due,
                    "update_quarter": q.label,
                    "update_date": q.end,
                    "status": STATUS_CODES[action.statuses[i]],
                    "progress_update": progress_text(action, i, area_name, places, quarters),
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
