"""Derive the ``ehcp_requests`` dataset from DfE SEN2 person-level returns (XML).

Every English LA makes the statutory SEN2 return each January; since the 2023 collection it
is person-level XML. A data folder may hold one or more returns (``*.xml``) instead of an
``ehcp_requests`` file: :func:`read_sen2_returns` reads them all, merges the requests they
share and returns a frame in the contract's layout (text cells, ISO dates) that
:mod:`sendreport.load` types and checks like any other file.

Reading (XML is untrusted input): lxml with no DTD, no entity expansion and no network;
a document type declaration is refused. Element names match case-insensitively and
namespaces are ignored, because suppliers differ (``SENsetting``/``SENSetting``).

The return for collection year ``N`` (``Header/CollectionDetails/Year``) reports calendar
year ``N−1``. Codes of ``RequestOutcome`` and ``AssessmentOutcome``: ``Y`` yes, ``N`` no,
``A`` not yet decided, ``W`` withdrawn (no date), ``H`` decided before the return's period
(no date), and for assessments ``S``: plan issued after another LA's assessment.

Mapping onto the contract (docs/data.md, "SEN2 returns"):

- ``request_outcome``: Y assess, N not_assess, W withdrawn, A pending, H assess (the
  request is still live through its assessment, so the LA agreed to assess)
- ``assessment_outcome``: Y issue (``AssessmentOutcomeDate`` is the plan's issue date, so
  ``plan_issued_date`` is the same), N not_issue, W withdrawn, A pending, H issue dated by
  ``NamedPlan/StartDate``; an assessed request with no Assessment element is pending
- a W without a date is dated the last day of the period of the first return that shows
  it (the return says only that it happened by then)
- left out, and counted in a warning: requests with ``S`` (another LA's assessment, not
  this LA's timeliness) and requests whose plan was issued before any return's period with
  no ``StartDate`` to date it (nothing in the reports' periods depends on them)

Identity: there is no request id in SEN2. The person key is the UPN, else the ULN, else
forename, surname and birth date; ids are keyed hashes (HMAC-SHA-256) of it, never the
key itself. The hash key is ``SENDREPORT_ID_KEY`` when set, else derived from the bytes
of the earliest return, so ids are stable while that return stays in the folder and
cannot be recomputed by anyone without it. A request is a person plus ``ReceivedDate``.

Merging: a request in several returns keeps the concrete outcome (Y, N, W, S) and its date
from whichever return has one; a later concrete value wins; H never overwrites a known
outcome and A never overwrites H. The same request twice in one return is an error.

Messages name the file, the person by position, the element path and the line; never a
name, UPN, ULN, postcode or birth date.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from sendreport.contract import DATASETS
from sendreport.exceptions import InputFileError

DATASET = "ehcp_requests"
FIRST_PERSON_LEVEL_YEAR = 2023
KEY_ENV = "SENDREPORT_ID_KEY"
MAX_PROBLEMS_PER_FILE = 20

REQUEST_CODES = frozenset("YNAWH")
ASSESSMENT_CODES = frozenset("YNAWHS")
CONCRETE = frozenset("YNWS")
REQUEST_OUTCOMES = {
    "Y": "assess",
    "N": "not_assess",
    "W": "withdrawn",
    "A": "pending",
    "H": "assess",
}
ASSESSMENT_OUTCOMES = {
    "Y": "issue",
    "N": "not_issue",
    "W": "withdrawn",
    "A": "pending",
    "H": "issue",
}
TRUE_WORDS = frozenset({"1", "true", "y", "yes"})
FALSE_WORDS = frozenset({"0", "false", "n", "no"})
_ISO = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:T[0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")

# Every element of the person-level return (DfE SEN2 guide 2023–2026, lower case), with
# the collection years it belongs to; an element outside its years, or not listed, is a
# warning. Items marked by years are optional in earlier files.
_ALL = (FIRST_PERSON_LEVEL_YEAR, 9999)
_ELEMENT_YEARS: dict[str, tuple[int, int]] = {
    name: _ALL
    for name in [
        "message",
        "header",
        "collectiondetails",
        "collection",
        "year",
        "referencedate",
        "source",
        "sourcelevel",
        "lea",
        "softwarecode",
        "release",
        "serialno",
        "datetime",
        "persons",
        "person",
        "surname",
        "forename",
        "personbirthdate",
        "ethnicity",
        "postcode",
        "upn",
        "uniquelearnernumber",
        "upnunknown",
        "requests",
        "receiveddate",
        "rya",
        "requestoutcomedate",
        "requestoutcome",
        "requestmediation",
        "requesttribunal",
        "exported",
        "assessment",
        "assessmentoutcome",
        "assessmentoutcomedate",
        "assessmentmediation",
        "assessmenttribunal",
        "othermediation",
        "othertribunal",
        "week20",
        "namedplan",
        "startdate",
        "planres",
        "planwbp",
        "planwpb",
        "pb",
        "oa",
        "dp",
        "ceasedate",
        "ceasereason",
        "plandetail",
        "urn",
        "ukprn",
        "sensetting",
        "sensettingother",
        "placementrank",
        "senunitindicator",
        "resourcedprovisionindicator",
        "activeplans",
        "transferla",
        "res",
        "wpb",
        "reviewmeeting",
        "reviewoutcome",
        "lastreview",
        "placementdetail",
        "entrydate",
        "leavingdate",
        "senneed",
        "sentype",
        "sentyperank",
    ]
}
_ELEMENT_YEARS.update({"gendercurrent": (2023, 2023), "sex": (2024, 9999)})
_ELEMENT_YEARS.update({"requestsource": (2025, 9999)})
_DISPLAY = {
    n.lower(): n
    for n in [
        "ReceivedDate",
        "RequestOutcome",
        "RequestOutcomeDate",
        "AssessmentOutcome",
        "AssessmentOutcomeDate",
        "PersonBirthDate",
        "Week20",
        "StartDate",
        "RequestMediation",
        "RequestTribunal",
        "AssessmentMediation",
        "AssessmentTribunal",
        "OtherMediation",
        "OtherTribunal",
    ]
}

# The ehcp_requests columns, in the contract's order (the derived frame is that dataset).
COLUMNS = tuple(c.name for c in DATASETS[DATASET].columns)


@dataclass(frozen=True)
class Outcome:
    """One code from one return; ``inferred`` when the date is the period end, not given."""

    code: str
    date: str | None = None
    inferred: bool = False


@dataclass
class Occurrence:
    """One ``Requests`` element of one return, already checked and decoded."""

    key: str
    person: str
    la_code: str
    year: int
    file: str
    where: str  # element path and line: "Persons/Person[3]/Requests[1] (line 40)"
    received: str
    request: Outcome
    assessment: Outcome | None = None
    plan_start: str | None = None
    week20: int | None = None
    mediation: int | None = None
    tribunal: int | None = None
    primary_need: str | None = None
    age: int | None = None


@dataclass
class Sen2Result:
    """The derived requests (text cells, contract columns), where each row came from,
    the files read and warnings."""

    frame: pd.DataFrame
    provenance: list[str]
    files: list[Path]
    warnings: list[str] = field(default_factory=list)


class Sen2Problems(Exception):
    """The problems found in the returns (each an InputFileError naming file and line)."""

    def __init__(self, problems: list[InputFileError]) -> None:
        super().__init__(problems[0].message if problems else "")
        self.problems = problems

    def __reduce__(self):  # survives pickling (build workers)
        return (Sen2Problems, (self.problems,))


# --- finding and parsing --------------------------------------------------------------


def find_sen2_returns(data_dir: Path) -> list[Path]:
    """The ``*.xml`` files in ``data_dir`` (not hidden), sorted by name."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return []
    return sorted(
        p
        for p in data_dir.iterdir()
        if p.is_file() and p.suffix.lower() == ".xml" and not p.name.startswith(".")
    )


def _problem(path: Path, where: str, message: str, hint: str, rule: str) -> InputFileError:
    return InputFileError(
        f"SEN2 return {path.name}: {where}: {message}",
        path=str(path),
        dataset=DATASET,
        column=where.split(" (line", 1)[0],
        rule=rule,
        hint=hint,
    )


def parse_xml(path: Path) -> Any:
    """Parse one file safely: no DTD, no entities, no network; a DOCTYPE is refused."""
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    raw = path.read_bytes()
    # Refuse a DTD before parsing: entity definitions are how XML bombs work.
    if re.search(rb"<!DOCTYPE", raw[:65536], flags=re.IGNORECASE):
        raise Sen2Problems([doctype_problem(path)])
    try:
        tree = etree.ElementTree(etree.fromstring(raw, parser, base_url=None))
    except etree.XMLSyntaxError as err:
        line = getattr(err, "lineno", None) or "?"
        raise Sen2Problems(
            [
                _problem(
                    path,
                    f"line {line}",
                    f"not well-formed XML ({err.msg})",
                    "export the return again from the case management system; the file is "
                    "damaged or was edited by hand",
                    "sen2_xml",
                )
            ]
        ) from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise Sen2Problems([doctype_problem(path)])
    return tree.getroot()


def doctype_problem(path: Path) -> InputFileError:
    return _problem(
        path,
        "line 1",
        "the file declares a document type (DOCTYPE); SEN2 returns never do, and sendreport "
        "does not read DTDs or entities",
        "remove the <!DOCTYPE …> declaration or export the return again",
        "sen2_no_doctype",
    )


def normalise_tags(root: Any) -> dict[str, tuple[int, int, str]]:
    """Rename every element to its local name in lower case, so look-ups below are exact
    (and run in lxml's C code) whatever the supplier's spelling or namespace.

    Returns, per name: how often it occurs, its first line and its spelling there.
    """
    seen: dict[str, tuple[int, int, str]] = {}
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        name = tag.rsplit("}", 1)[-1]
        lower = name.lower()
        count, line, spelling = seen.get(lower, (0, element.sourceline, name))
        seen[lower] = (count + 1, line, spelling)
        element.tag = lower
    return seen


def children(element: Any, name: str) -> list[Any]:
    return list(element.iterchildren(name))


def child(element: Any, name: str) -> Any | None:
    return next(element.iterchildren(name), None)


def text_of(element: Any, name: str) -> str | None:
    """Stripped text of the first child called ``name``; None when absent or empty."""
    node = next(element.iterchildren(name), None)
    if node is None or node.text is None:
        return None
    return node.text.strip() or None


def display(name: str) -> str:
    """The DfE spelling of a (lower-case) element name, for messages."""
    return _DISPLAY.get(name, name)


# --- one return -----------------------------------------------------------------------


@dataclass
class _Reader:
    """Reads one return: collects problems and warnings instead of stopping at the first."""

    path: Path
    key: bytes
    problems: list[InputFileError] = field(default_factory=list)
    year: int = 0
    la_code: str = ""

    def fail(self, where: str, message: str, hint: str, rule: str) -> None:
        self.problems.append(_problem(self.path, where, message, hint, rule))

    def date(self, parent: Any, name: str, where: str, *, private: bool = False) -> str | None:
        value = text_of(parent, name)
        if value is None:
            return None
        match = _ISO.match(value)
        try:
            if match:
                return date.fromisoformat(match.group(1)).isoformat()
        except ValueError:
            pass
        shown = "the value" if private else repr(value[:40])
        node = child(parent, name)
        self.fail(
            f"{where}/{display(node.tag)} (line {node.sourceline})",
            f"{shown} is not a date (expected YYYY-MM-DD)",
            "correct the date in the case management system and export the return again",
            "sen2_date",
        )
        return None

    def flag(self, parent: Any, name: str, where: str) -> int | None:
        value = text_of(parent, name)
        if value is None:
            return None
        if value.lower() in TRUE_WORDS:
            return 1
        if value.lower() in FALSE_WORDS:
            return 0
        node = child(parent, name)
        self.fail(
            f"{where}/{display(node.tag)} (line {node.sourceline})",
            f"{value[:20]!r} is not a flag (expected 1 or 0)",
            "use 1 (yes) or 0 (no)",
            "sen2_flag",
        )
        return None


def read_header(reader: _Reader, root: Any) -> None:
    header = child(root, "header")
    details = child(header, "collectiondetails") if header is not None else None
    source = child(header, "source") if header is not None else None
    year = text_of(details, "year") if details is not None else None
    lea = text_of(source, "lea") if source is not None else None
    if year is None or not year.isdigit():
        reader.fail(
            f"Header/CollectionDetails/Year (line {(details if details is not None else root).sourceline})",
            "missing or not a year: sendreport needs the collection year to know which period "
            "the return covers",
            "export the whole return, header included",
            "sen2_header",
        )
    elif int(year) < FIRST_PERSON_LEVEL_YEAR:
        reader.fail(
            f"Header/CollectionDetails/Year (line {details.sourceline})",
            f"collection year {year} is before {FIRST_PERSON_LEVEL_YEAR}, when SEN2 became "
            "person-level; earlier returns hold only totals",
            f"use returns from {FIRST_PERSON_LEVEL_YEAR} onwards, or an ehcp_requests file",
            "sen2_year",
        )
    else:
        reader.year = int(year)
    if lea is None or not re.fullmatch(r"\d{3}", lea):
        reader.fail(
            f"Header/Source/LEA (line {(source if source is not None else root).sourceline})",
            "missing or not a 3-digit LA number",
            "export the whole return, header included",
            "sen2_header",
        )
    else:
        reader.la_code = lea


def person_key(reader: _Reader, person: Any, where: str) -> tuple[str | None, str | None]:
    """The hashed person id and the birth date (kept in memory only, for ages)."""
    birth = reader.date(person, "personbirthdate", where, private=True)
    upn = text_of(person, "upn")
    uln = text_of(person, "uniquelearnernumber")
    if upn:
        raw = f"UPN:{upn.upper()}"
    elif uln:
        raw = f"ULN:{uln}"
    else:
        names = [text_of(person, n) for n in ("forename", "surname")]
        if not all(names) or birth is None:
            reader.fail(
                f"{where} (line {person.sourceline})",
                "the person has no UPN, no UniqueLearnerNumber, and not all of Forename, "
                "Surname and PersonBirthDate, so their requests cannot be told apart",
                "record the UPN (or ULN), or the name and birth date, for this person",
                "sen2_identity",
            )
            return None, birth
        raw = "NAME:" + "|".join(" ".join(n.lower().split()) for n in names) + f"|{birth}"
    digest = hmac.new(reader.key, f"{reader.la_code}|{raw}".encode(), hashlib.sha256)
    return "P" + digest.hexdigest()[:20], birth


def read_outcome(reader: _Reader, parent: Any, kind: str, where: str) -> Outcome | None:
    """RequestOutcome/AssessmentOutcome with its date, checked against the codes."""
    codes = REQUEST_CODES if kind == "request" else ASSESSMENT_CODES
    element = f"{kind.capitalize()}Outcome"
    value = text_of(parent, f"{kind}outcome")
    if value is None or value.upper() not in codes:
        shown = f"{value[:10]!r} is not a code" if value else "missing"
        node = child(parent, f"{kind}outcome")
        reader.fail(
            f"{where}/{element} (line {(parent if node is None else node).sourceline})",
            f"{shown} (expected one of {', '.join(sorted(codes))})",
            "record the outcome code for this request in the case management system",
            "sen2_outcome",
        )
        return None
    code = value.upper()
    when = reader.date(parent, f"{kind}outcomedate", where)
    if code in "YN" and when is None and child(parent, f"{kind}outcomedate") is None:
        reader.fail(
            f"{where}/{element}Date (line {parent.sourceline})",
            f"missing: an outcome of {code} needs its date",
            "record the date of the decision and export the return again",
            "sen2_outcome_date",
        )
    if code in "AH":
        when = None  # no date belongs to these codes; a stray one would mislead
    if code == "W" and when is None:
        return Outcome("W", f"{reader.year - 1}-12-31", inferred=True)
    if code == "H" and kind == "request":
        # Decided before this return's period, date not given: the contract needs a date for
        # a decided request, so take the latest it can be (the day before the period). It
        # lies before every period the returns cover, so no figure for those periods moves.
        return Outcome("H", f"{reader.year - 2}-12-31", inferred=True)
    return Outcome(code, when)


def read_assessment(reader: _Reader, request: Any, occ: Occurrence, where: str) -> None:
    """Fill the assessment fields of ``occ`` from the request's ``Assessment`` element."""
    found = children(request, "assessment")
    if not found:
        return
    if len(found) > 1:
        reader.fail(
            f"{where}/Assessment (line {found[1].sourceline})",
            f"{len(found)} Assessment elements under one request; SEN2 allows one",
            "keep one assessment per request (a new request is a new Requests element)",
            "sen2_one_assessment",
        )
    node = found[0]
    at = f"{where}/Assessment"
    if occ.request.code not in "YH":
        reader.fail(
            f"{at} (line {node.sourceline})",
            f"an assessment under a request whose RequestOutcome is {occ.request.code}; only "
            "requests agreed for assessment (Y, or H) have one",
            "correct the request outcome or remove the assessment",
            "sen2_assessment_without_yes",
        )
        return
    occ.assessment = read_outcome(reader, node, "assessment", at)
    occ.week20 = reader.flag(node, "week20", at)
    flags = [reader.flag(node, n, at) for n in ("assessmentmediation", "othermediation")]
    occ.mediation = _any_flag([occ.mediation, *flags])
    flags = [reader.flag(node, n, at) for n in ("assessmenttribunal", "othertribunal")]
    occ.tribunal = _any_flag([occ.tribunal, *flags])
    plan = child(node, "namedplan")
    if plan is not None:
        occ.plan_start = reader.date(plan, "startdate", f"{at}/NamedPlan")


def _any_flag(values: Iterable[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None


def read_primary_need(request: Any) -> str | None:
    """SENtype ranked 1 anywhere under the request (ActivePlans/SENneed)."""
    for need in request.iter("senneed"):
        if text_of(need, "sentyperank") in ("1", "01"):
            value = text_of(need, "sentype")
            return value.upper() if value else None
    return None


def whole_years(birth: str | None, on: str) -> int | None:
    if birth is None:
        return None
    born, day = date.fromisoformat(birth), date.fromisoformat(on)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def read_requests(reader: _Reader, person: Any, number: int) -> Iterator[Occurrence]:
    where = f"Persons/Person[{number}]"
    pid, birth = person_key(reader, person, where)
    for r_number, request in enumerate(children(person, "requests"), start=1):
        at = f"{where}/Requests[{r_number}]"
        received = reader.date(request, "receiveddate", at)
        if received is None:
            if child(request, "receiveddate") is None:
                reader.fail(
                    f"{at}/ReceivedDate (line {request.sourceline})",
                    "missing: every request needs the date it was received",
                    "record the date the request was received and export the return again",
                    "sen2_received_date",
                )
            continue
        outcome = read_outcome(reader, request, "request", at)
        if pid is None or outcome is None:
            continue
        if outcome.inferred and outcome.date < received:
            outcome = replace(outcome, date=received)
        key = hmac.new(reader.key, f"{pid}|{received}".encode(), hashlib.sha256)
        occ = Occurrence(
            key="R" + key.hexdigest()[:20],
            person=pid,
            la_code=reader.la_code,
            year=reader.year,
            file=reader.path.name,
            where=f"{at} (line {request.sourceline})",
            received=received,
            request=outcome,
            mediation=reader.flag(request, "requestmediation", at),
            tribunal=reader.flag(request, "requesttribunal", at),
            primary_need=read_primary_need(request),
            age=whole_years(birth, received),
        )
        read_assessment(reader, request, occ, at)
        if occ.assessment is not None and occ.assessment.inferred:
            occ.assessment = replace(occ.assessment, date=max(occ.assessment.date, received))
        yield occ


def unknown_elements(seen: dict[str, tuple[int, int, str]], year: int, path: Path) -> list[str]:
    """Warnings for elements the return's year does not have (with count and first line)."""
    warnings = []
    for name, (count, line, spelling) in sorted(seen.items()):
        first, last = _ELEMENT_YEARS.get(name, (0, -1))
        if first <= year <= last:
            continue
        what = (
            f"is not an item of the {year} return"
            if name in _ELEMENT_YEARS
            else "is not a SEN2 item sendreport knows"
        )
        warnings.append(
            f"SEN2 return {path.name}: element {spelling!r} {what} ({count} time"
            f"{'s' if count != 1 else ''}, first at line {line}); it is ignored"
        )
    return warnings


def read_return(path: Path, key: bytes) -> tuple[int, str, list[Occurrence], list[str]]:
    """Read one return: (collection year, LA, its requests, warnings)."""
    root = parse_xml(path)
    names = normalise_tags(root)
    reader = _Reader(path, key)
    read_header(reader, root)
    if reader.problems:
        raise Sen2Problems(reader.problems)
    persons = child(root, "persons")
    people = children(persons, "person") if persons is not None else []
    occurrences: list[Occurrence] = []
    for number, person in enumerate(people, start=1):
        occurrences.extend(read_requests(reader, person, number))
    seen: dict[str, Occurrence] = {}
    for occ in occurrences:
        if occ.key in seen:
            reader.fail(
                occ.where,
                f"the same request (same person, received {occ.received}) appears twice in "
                f"one return; first at {seen[occ.key].where}",
                "remove the duplicate from the case management system and export the return again",
                "sen2_unique_request",
            )
        seen[occ.key] = occ
    if len(reader.problems) > MAX_PROBLEMS_PER_FILE:
        more = len(reader.problems) - MAX_PROBLEMS_PER_FILE
        reader.problems[MAX_PROBLEMS_PER_FILE:] = [
            _problem(
                path,
                "the rest of the file",
                f"{more} more problem(s) like those above are not listed",
                "fix the problems listed, then run again to see the rest",
                "sen2_more",
            )
        ]
    if reader.problems:
        raise Sen2Problems(reader.problems)
    return reader.year, reader.la_code, occurrences, unknown_elements(names, reader.year, path)


# --- merging returns ------------------------------------------------------------------


def merge_outcome(current: Outcome | None, new: Outcome | None) -> Outcome | None:
    """Combine what two returns (earlier, later) say about one outcome.

    A later concrete value (Y, N, W, S) wins, except that a W dated only by its return's
    period keeps the earlier, tighter date; H replaces only nothing, A or an undated H (a
    dated H keeps the earlier, tighter date); A replaces only nothing or A.
    """
    if new is None:
        return current
    if current is None:
        return new
    if new.code in CONCRETE:
        if current.code == new.code == "W" and new.inferred:
            return current
        return new
    if current.code in CONCRETE:
        return current
    if current.code == new.code == "H" and current.date is not None:
        return current  # the earlier return's period bounds the decision more tightly
    if new.code == "H" or current.code == "A":
        return new
    return current


def merge_requests(occurrences: list[Occurrence]) -> tuple[Occurrence, str]:
    """One request from its occurrences in several returns (sorted by year), and where its
    outcomes came from: the return, person, element and line of each."""
    ordered = sorted(occurrences, key=lambda o: o.year)
    merged = replace(ordered[0])
    request_from = assessment_from = f"{merged.file}, {merged.where}"
    for occ in ordered[1:]:
        here = f"{occ.file}, {occ.where}"
        request = merge_outcome(merged.request, occ.request)
        if request is not merged.request:
            merged.request, request_from = request, here
        before = merged.assessment
        merged.assessment = merge_outcome(before, occ.assessment)
        if merged.assessment is not before:
            assessment_from = here
        if merged.assessment is not before or merged.week20 is None:
            merged.week20 = occ.week20 if occ.week20 is not None else merged.week20
        merged.plan_start = occ.plan_start or merged.plan_start
        merged.mediation = _any_flag([merged.mediation, occ.mediation])
        merged.tribunal = _any_flag([merged.tribunal, occ.tribunal])
        merged.primary_need = occ.primary_need or merged.primary_need
        merged.age = occ.age if occ.age is not None else merged.age
        merged.la_code = occ.la_code
    if assessment_from == request_from or merged.assessment is None:
        return merged, request_from
    return merged, f"{request_from}; its assessment: {assessment_from}"


def contract_row(occ: Occurrence) -> dict[str, Any] | str:
    """The contract row for a merged request, or the reason it is left out."""
    request = occ.request
    if request.code == "H" and occ.assessment is None:
        occ.assessment = Outcome("A")  # decided before the period; assessment not reported
    assessment = occ.assessment
    if assessment is None and request.code == "Y":
        assessment = Outcome("A")
    plan_date = None
    if assessment is not None:
        if assessment.code == "S":
            return "another_la"
        if assessment.code == "H":
            if occ.plan_start is None:
                return "historical"
            assessment = Outcome("H", occ.plan_start)
        if assessment.code in "YH":
            plan_date = assessment.date
    request_date = request.date
    if request.inferred and request.code == "H" and assessment is not None and assessment.date:
        request_date = min(request_date, assessment.date)  # decided before it was assessed
    return {
        "request_id": occ.key,
        "person_id": occ.person,
        "la_code": occ.la_code,
        "received_date": occ.received,
        "request_outcome": REQUEST_OUTCOMES[request.code],
        "request_outcome_date": request_date,
        "assessment_outcome": ASSESSMENT_OUTCOMES[assessment.code] if assessment else None,
        "assessment_outcome_date": assessment.date if assessment else None,
        "plan_issued_date": plan_date,
        "week20_exception": "1" if occ.week20 == 1 else "0",
        "primary_need": occ.primary_need,
        "age_at_request": None if occ.age is None else str(occ.age),
        "mediation": None if occ.mediation is None else str(occ.mediation),
        "tribunal_appeal": None if occ.tribunal is None else str(occ.tribunal),
    }


def hash_key(paths: list[Path], years: dict[Path, int]) -> bytes:
    """The HMAC key for ids: SENDREPORT_ID_KEY, else a digest of the earliest return."""
    secret = os.environ.get(KEY_ENV)
    if secret:
        return hashlib.sha256(secret.encode()).digest()
    earliest = min(paths, key=lambda p: (years.get(p, 0), p.name))
    return hashlib.sha256(b"sendreport-sen2|" + earliest.read_bytes()).digest()


def peek_year(path: Path) -> int:
    """The collection year from the header, read cheaply (0 when it cannot be found)."""
    head = path.read_bytes()[:8192].decode("utf-8", errors="replace")
    match = re.search(r"<(?:\w+:)?year>\s*(\d{4})\s*<", head, flags=re.IGNORECASE)
    return int(match.group(1)) if match else 0


def check_one_return_per_year(found: dict[Path, tuple[int, str]]) -> None:
    by_year: dict[tuple[int, str], list[Path]] = {}
    for path, (year, la) in found.items():
        by_year.setdefault((year, la), []).append(path)
    problems = [
        _problem(
            paths[1],
            "Header/CollectionDetails/Year",
            f"{len(paths)} returns for collection year {year}, LA {la} "
            f"({', '.join(p.name for p in paths)})",
            "keep only the return the DfE accepted for each year (move resubmissions away)",
            "sen2_one_return_per_year",
        )
        for (year, la), paths in sorted(by_year.items())
        if len(paths) > 1
    ]
    if problems:
        raise Sen2Problems(problems)


def read_sen2_returns(paths: list[Path]) -> Sen2Result:
    """Read and merge SEN2 returns into contract rows (text cells; typed by the loader).

    Raises :class:`Sen2Problems` listing every problem in every file.
    """
    paths = sorted(Path(p) for p in paths)
    key = hash_key(paths, {p: peek_year(p) for p in paths})
    problems: list[InputFileError] = []
    warnings: list[str] = []
    found: dict[Path, tuple[int, str]] = {}
    occurrences: dict[str, list[Occurrence]] = {}
    for path in paths:
        try:
            year, la, occs, notes = read_return(path, key)
        except Sen2Problems as exc:
            problems.extend(exc.problems)
            continue
        found[path] = (year, la)
        warnings.extend(notes)
        for occ in occs:
            occurrences.setdefault(occ.key, []).append(occ)
    if problems:
        raise Sen2Problems(problems)
    check_one_return_per_year(found)
    rows, provenance, left_out = [], [], {"another_la": 0, "historical": 0}
    for occs in occurrences.values():
        merged, source = merge_requests(occs)
        row = contract_row(merged)
        if isinstance(row, str):
            left_out[row] += 1
            continue
        rows.append(row)
        provenance.append(source)
    warnings += coverage_warnings(left_out, rows, found)
    order = sorted(
        range(len(rows)), key=lambda i: (rows[i]["received_date"], rows[i]["request_id"])
    )
    frame = pd.DataFrame([rows[i] for i in order], columns=list(COLUMNS), dtype="str")
    return Sen2Result(frame, [provenance[i] for i in order], paths, warnings)


def coverage_warnings(
    left_out: dict[str, int], rows: list[dict[str, Any]], found: dict[Path, tuple[int, str]]
) -> list[str]:
    """What a reader of the figures should know about what the returns cover."""
    years = sorted({year for year, _ in found.values()})
    notes = [
        f"SEN2 returns for collection years {', '.join(map(str, years))} give "
        f"{len(rows)} requests (ehcp_requests is derived from them)"
    ]
    if left_out["another_la"]:
        notes.append(
            f"SEN2: {left_out['another_la']} request(s) whose plan followed another LA's "
            "assessment (AssessmentOutcome S) are left out: they are not this LA's requests"
        )
    if left_out["historical"]:
        notes.append(
            f"SEN2: {left_out['historical']} request(s) whose plan was issued before the "
            "returns' periods, with no NamedPlan StartDate to date it, are left out"
        )
    if years:
        start = date(years[0] - 1, 1, 1).isoformat()
        early = sum(1 for r in rows if r["received_date"] < start)
        if early:
            notes.append(
                f"SEN2: the earliest return covers requests from {start}; {early} earlier "
                "request(s) are carried because they were still live in it, so figures for periods "
                f"before {start} are incomplete"
            )
    return notes
