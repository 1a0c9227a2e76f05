"""Write SEN2 person-level returns from requests in contract form, as an LA's system would.

The return for collection year N reports calendar year N−1 (its period). A request is in
it when it was received by the period end and was not closed before the period began; a
plan issued before the period keeps its request in the return (H/H, dated by
NamedPlan/StartDate). Outcomes decided before the period are H, after its end A; W carries
no date.

:func:`as_sen2_sees` turns contract rows into what SEN2 can carry (a withdrawal is known
to the calendar year it happened in; nothing after the last period end is known), so the
test can compare the derived table's figures with the same records in contract form.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd

Identity = dict[str, str]  # upn | uln | forename, surname; always birth


def as_sen2_sees(requests: pd.DataFrame, as_at: date) -> pd.DataFrame:
    """The records as SEN2 can carry them at ``as_at`` (a 31 December)."""
    out = requests.copy()
    end = pd.Timestamp(as_at)
    for outcome, when in (
        ("request_outcome", "request_outcome_date"),
        ("assessment_outcome", "assessment_outcome_date"),
    ):
        withdrawn = out[outcome].eq("withdrawn").fillna(False).astype(bool)
        dates = out.loc[withdrawn, when]
        out.loc[withdrawn, when] = pd.to_datetime(dates.dt.year.astype(str) + "-12-31").astype(
            out[when].dtype
        )
    # In SEN2 an assessment outcome of Y is dated by the plan's issue: a decision to issue
    # with no plan yet is still A.
    issue = out["assessment_outcome"].eq("issue").fillna(False).astype(bool)
    out.loc[issue, "assessment_outcome_date"] = out.loc[issue, "plan_issued_date"]
    no_plan = issue & out["plan_issued_date"].isna()
    out.loc[no_plan, "assessment_outcome"] = "pending"
    later = out["request_outcome_date"] > end
    out.loc[later, ["request_outcome", "request_outcome_date"]] = ["pending", pd.NaT]
    out.loc[later, ["assessment_outcome", "assessment_outcome_date", "plan_issued_date"]] = [
        None,
        pd.NaT,
        pd.NaT,
    ]
    later = out["assessment_outcome_date"] > end
    out.loc[later, ["assessment_outcome", "assessment_outcome_date", "plan_issued_date"]] = [
        "pending",
        pd.NaT,
        pd.NaT,
    ]
    return out


def _closed_before(row: dict, start: pd.Timestamp) -> bool:
    for outcome, when, closing in (
        ("request_outcome", "request_outcome_date", ("not_assess", "withdrawn")),
        ("assessment_outcome", "assessment_outcome_date", ("not_issue", "withdrawn")),
    ):
        if row[outcome] in closing and pd.notna(row[when]) and row[when] < start:
            return True
    return False


def _code(outcome, when, start, end, codes: dict[str, str]) -> tuple[str, str | None]:
    if outcome in (None, "pending") or pd.isna(when) or when > end:
        return "A", None
    if when < start:
        return "H", None
    code = codes[outcome]
    return code, (None if code == "W" else when.date().isoformat())


def _flag(value) -> str:
    """The record's flag as SEN2 writes it (1 or 0; unrecorded is 0)."""
    return "1" if pd.notna(value) and str(value).strip() in ("1", "1.0", "True") else "0"


REQUEST_CODES = {"assess": "Y", "not_assess": "N", "withdrawn": "W"}
ASSESSMENT_CODES = {"issue": "Y", "not_issue": "N", "withdrawn": "W"}


def request_xml(row: dict, start: pd.Timestamp, end: pd.Timestamp, tag) -> str:
    code, when = _code(
        row["request_outcome"], row["request_outcome_date"], start, end, REQUEST_CODES
    )
    parts = [
        f"<{tag('ReceivedDate')}>{row['received_date'].date().isoformat()}</{tag('ReceivedDate')}>"
    ]
    parts.append(f"<{tag('RYA')}>0</{tag('RYA')}>")
    if when:
        parts.append(f"<{tag('RequestOutcomeDate')}>{when}</{tag('RequestOutcomeDate')}>")
    parts.append(f"<{tag('RequestOutcome')}>{code}</{tag('RequestOutcome')}>")
    for element, column in (
        ("RequestMediation", "mediation"),
        ("RequestTribunal", "tribunal_appeal"),
    ):
        parts.append(f"<{tag(element)}>{_flag(row.get(column))}</{tag(element)}>")
    if code in "YH" and row["request_outcome"] == "assess":
        parts.append(assessment_xml(row, start, end, tag))
    return f"<{tag('Requests')}>{''.join(parts)}</{tag('Requests')}>"


def assessment_xml(row: dict, start: pd.Timestamp, end: pd.Timestamp, tag) -> str:
    code, when = _code(
        row["assessment_outcome"], row["assessment_outcome_date"], start, end, ASSESSMENT_CODES
    )
    parts = [f"<{tag('AssessmentOutcome')}>{code}</{tag('AssessmentOutcome')}>"]
    if when:
        parts.append(f"<{tag('AssessmentOutcomeDate')}>{when}</{tag('AssessmentOutcomeDate')}>")
    parts.append(f"<{tag('Week20')}>{int(row['week20_exception'] or 0)}</{tag('Week20')}>")
    plan = row["plan_issued_date"]
    if pd.notna(plan) and plan <= end:
        parts.append(
            f"<{tag('NamedPlan')}><{tag('StartDate')}>{plan.date().isoformat()}</{tag('StartDate')}>"
            f"<{tag('PlanDetail')}><{tag('SENSetting')}>OTH</{tag('SENSetting')}></{tag('PlanDetail')}>"
            f"</{tag('NamedPlan')}>"
        )
    return f"<{tag('Assessment')}>{''.join(parts)}</{tag('Assessment')}>"


def person_xml(identity: Identity, requests: list[str], year: int, tag) -> str:
    fields = []
    for name, key in (("Surname", "surname"), ("Forename", "forename")):
        if key in identity:
            fields.append(f"<{tag(name)}>{escape(identity[key])}</{tag(name)}>")
    fields.append(f"<{tag('PersonBirthDate')}>{identity['birth']}</{tag('PersonBirthDate')}>")
    sex = "GenderCurrent" if year == 2023 else "Sex"
    fields.append(f"<{tag(sex)}>1</{tag(sex)}>")
    if "upn" in identity:
        fields.append(f"<{tag('UPN')}>{identity['upn']}</{tag('UPN')}>")
    elif "uln" in identity:
        fields.append(
            f"<{tag('UniqueLearnerNumber')}>{identity['uln']}</{tag('UniqueLearnerNumber')}>"
        )
    else:
        fields.append(f"<{tag('UPNunknown')}>UN1</{tag('UPNunknown')}>")
    return f"<{tag('Person')}>{''.join(fields)}{''.join(requests)}</{tag('Person')}>\n"


def write_return(
    requests: pd.DataFrame,
    identities: dict[str, Identity],
    year: int,
    path: Path,
    *,
    la_code: str,
    tag: Callable[[str], str] = str,
    namespace: str | None = None,
    extra_persons: str = "",
) -> Path:
    """Write the return for collection ``year`` (period: calendar year ``year − 1``)."""
    start, end = pd.Timestamp(year - 1, 1, 1), pd.Timestamp(year - 1, 12, 31)
    by_person: dict[str, list[dict]] = {}
    for row in requests.sort_values("received_date").to_dict("records"):
        if row["received_date"] <= end and not _closed_before(row, start):
            by_person.setdefault(row["person_id"], []).append(row)
    persons = [
        person_xml(identities[pid], [request_xml(r, start, end, tag) for r in rows], year, tag)
        for pid, rows in sorted(by_person.items())
    ]
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    header = (
        f"<{tag('Header')}><{tag('CollectionDetails')}><{tag('Collection')}>SEN2"
        f"</{tag('Collection')}><{tag('Year')}>{year}</{tag('Year')}><{tag('ReferenceDate')}>"
        f"{year}-01-18</{tag('ReferenceDate')}></{tag('CollectionDetails')}><{tag('Source')}>"
        f"<{tag('SourceLevel')}>L</{tag('SourceLevel')}><{tag('LEA')}>{la_code}</{tag('LEA')}>"
        f"</{tag('Source')}></{tag('Header')}>\n"
    )
    text = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<{tag("Message")}{xmlns}>\n{header}'
        f"<{tag('Persons')}>\n{''.join(persons)}{extra_persons}</{tag('Persons')}>\n</{tag('Message')}>\n"
    )
    path.write_text(text, encoding="utf-8")
    return path


def make_identities(person_ids: list[str], *, unknown_every: int = 7, uln_every: int = 11):
    """A made-up identity per person: mostly UPNs, some ULNs, some UPN-unknown names."""
    identities = {}
    for i, pid in enumerate(sorted(person_ids)):
        birth = date(2006 + i % 14, 1 + i % 12, 1 + i % 28).isoformat()
        if i % unknown_every == 3:
            identities[pid] = {
                "forename": f"Zorbina{i}",
                "surname": f"Quillfeather{i}",
                "birth": birth,
            }
        elif i % uln_every == 5:
            identities[pid] = {"uln": f"{9100000000 + i}", "birth": birth}
        else:
            identities[pid] = {"upn": f"Q{919:03d}{i:09d}", "birth": birth}
    return identities
