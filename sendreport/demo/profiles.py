"""The council profile ``demo-data`` writes beside the demo datasets.

Hertfordshire (919) and Herefordshire (884) get their own words, from their published
documents: Hertfordshire's SEND improvement plan, overseen by its SEND Partnership Board and
an independent Improvement Board and reported to the Children, Young People & Families
Cabinet Panel, with PALMS and Families First as local service names; Herefordshire's SEND
action plan, its SEND Partnership Group, the Children and Young People Scrutiny Committee and
Early Help. Any other LA gets a neutral profile that names it and nothing else.

Every demo profile says ``demo = true``: that is how a build knows the data is made up and
marks every page of every edition as demo.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sendreport.profile import Profile

_NEUTRAL = Profile()


@dataclass(frozen=True)
class DemoCouncil:
    """Words a demo profile and the demo improvement plan use for one council."""

    name: str
    short_name: str
    # The neutral words are the profile's own defaults (one place to change them).
    plan_name: str = _NEUTRAL.plan_name
    partnership_board: str = _NEUTRAL.partnership_board
    improvement_board: str = _NEUTRAL.improvement_board
    performance_committee: str = _NEUTRAL.performance_committee
    camhs_service: str = _NEUTRAL.camhs_service
    camhs_short: str = "CAMHS"
    speech_service: str = _NEUTRAL.speech_service
    early_help: str = _NEUTRAL.early_help_service  # as it reads mid-sentence
    early_help_head: str = "Head of Early Help"
    community_trust: str = "Community health services provider"
    mental_health_trust: str = "Children's mental health services provider"
    place: str = "area"  # "across the whole county"
    local_offer_url: str = _NEUTRAL.local_offer_url


BUILT_IN: dict[str, DemoCouncil] = {
    "919": DemoCouncil(
        name="Hertfordshire County Council",
        short_name="Hertfordshire",
        plan_name="SEND improvement plan",
        partnership_board="SEND Partnership Board",
        improvement_board="Improvement Board",
        performance_committee="Children, Young People & Families Cabinet Panel",
        camhs_service="PALMS (child and adolescent mental health)",
        camhs_short="PALMS and CAMHS",
        early_help="Families First",
        early_help_head="Head of Families First",
        community_trust="Hertfordshire Community NHS Trust",
        mental_health_trust="Hertfordshire Partnership University NHS Foundation Trust",
        place="county",
        local_offer_url="https://www.hertfordshire.gov.uk/localoffer",
    ),
    "884": DemoCouncil(
        name="Herefordshire Council",
        short_name="Herefordshire",
        plan_name="SEND action plan",
        partnership_board="SEND Partnership Group",
        performance_committee="Children and Young People Scrutiny Committee",
        camhs_service="CAMHS (child and adolescent mental health services)",
        speech_service="children's speech and language therapy",
        early_help="Early Help",
        community_trust="Wye Valley NHS Trust",
        mental_health_trust="Herefordshire and Worcestershire Health and Care NHS Trust",
        place="county",
    ),
}

# Which of the demo plan's five areas reports which figures (see demo/improvement.py).
DEMO_AREAS = {
    1: ["camhs_waiting", "camhs_waiting_change_pct"],
    2: [
        "ehcp_plans_issued",
        "ehcp_20wk_pct_ex",
        "case_officer_appointments",
        "case_officers_in_training",
        "case_officers_trained",
    ],
    3: ["special_school_places", "special_school_places_planned", "placement_waits_over_1yr"],
    4: ["slt_waiting", "slt_waiting_change_pct"],
    5: ["families_first_assessments", "families_first_children"],
}
BASELINE = "2023-09-30"  # the demo trackers' waiting-list baseline


def demo_council(code: str, la_name: str) -> DemoCouncil:
    """The built-in words for 919 and 884; neutral words naming ``la_name`` otherwise."""
    return BUILT_IN.get(code) or DemoCouncil(name=la_name, short_name=la_name)


def _q(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def demo_profile_toml(code: str, la_name: str) -> str:
    """``council.toml`` for a demo data folder: demo = true and the council's own words."""
    c = demo_council(code, la_name)
    lines = [
        "# Council profile written by `sendreport demo-data` (see docs/profile.md).",
        "# demo = true marks every page of every report as made from demo data.",
        "demo = true",
        "",
        "[council]",
        f"name = {_q(c.name)}",
        f"short_name = {_q(c.short_name)}",
        "",
        "[governance]",
        f"plan_name = {_q(c.plan_name)}",
    ]
    if c.partnership_board:
        lines.append(f"partnership_board = {_q(c.partnership_board)}")
    if c.improvement_board:
        lines.append(f"improvement_board = {_q(c.improvement_board)}")
    lines += [
        f"performance_committee = {_q(c.performance_committee)}",
        "",
        "[services]",
        f"camhs = {_q(c.camhs_service)}",
        f"speech_and_language = {_q(c.speech_service)}",
        f"early_help = {_q(c.early_help)}",
        "",
    ]
    if c.local_offer_url:
        lines += ["[links]", f"local_offer = {_q(c.local_offer_url)}", ""]
    lines += ["[waiting_lists]", f"baseline_date = {BASELINE}", ""]
    for area_id, metrics in DEMO_AREAS.items():
        listed = ", ".join(_q(m) for m in metrics)
        lines += ["[[improvement_areas]]", f"area_id = {area_id}", f"metrics = [{listed}]", ""]
    return "\n".join(lines)
