"""Demo officer commentary: the shape a council's commentary takes, with no figures in it.

Commentary in the demo carries no numbers, so it can never contradict the figures the
reports compute; it names no council, service or board. Some measures are deliberately
left without commentary so a demo build shows the warning a committee paper would need.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from sendreport.periods import Period

DEMO_AUTHOR = "Demo officer"
DEMO_ROLE = "Head of SEND services (demo data)"

# (subject, commentary, action): written once, used for every quarter.
DEMO_NOTES: tuple[tuple[str, str, str | None], ...] = (
    (
        "summary",
        "This is demo commentary. The quarter's figures are discussed measure by measure below; "
        "the exceptions section covers every measure rated red.",
        None,
    ),
    (
        "ehcp_20wk_pct_ex",
        "Timeliness depends on advice from education, health and care arriving within six "
        "weeks. Cases at risk of passing 20 weeks are reviewed each week by the team manager.",
        "Weekly case review of every assessment past week 14; extra educational psychology "
        "capacity commissioned for the backlog.",
    ),
    (
        "ehcp_overdue_open",
        "The backlog of assessments open past 20 weeks is being worked through oldest first, "
        "so timeliness for new plans may dip while older cases are finished.",
        "A dedicated backlog team until the number open past 20 weeks is back within target.",
    ),
    (
        "ehcna_decision_6wk_pct",
        "Decisions whether to assess are taken at a weekly panel, so almost all fall within "
        "six weeks of the request.",
        None,
    ),
)


def generate_commentary(la_code: str, *, start: date, end: date) -> pd.DataFrame:
    """One row per demo subject for every financial-year quarter from ``start`` to ``end``."""
    quarter = Period.quarter(start.year if start.month >= 4 else start.year - 1, 1)
    rows = []
    while quarter.end <= end:
        if quarter.start >= start:
            for subject, text, action in DEMO_NOTES:
                rows.append(
                    {
                        "la_code": la_code,
                        "period": quarter.label,
                        "subject": subject,
                        "commentary": text,
                        "author": DEMO_AUTHOR,
                        "role": DEMO_ROLE,
                        "action": action,
                    }
                )
        quarter = quarter.next_quarter()
    return pd.DataFrame(
        rows, columns=["la_code", "period", "subject", "commentary", "author", "role", "action"]
    )
