"""The data contract: every dataset a build reads, column by column.

This module is the single description of the inputs. The readers (``sendreport.load``),
the Great Expectations suites (``expectations/*.json``), the demo generator
(``sendreport.demo``) and ``docs/data.md`` all follow it; a test keeps them in step.

Kinds of column:

- ``text``: free text or identifiers, kept as strings (``la_code`` stays ``"919"``)
- ``date``: ISO dates (``2024-03-31``); read as ``datetime64``
- ``int``: whole non-negative counts unless stated
- ``float``: measured quantities (e.g. average caseload)
- ``flag``: 0 or 1
- ``category``: one of ``allowed``
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ColumnKind = Literal["text", "date", "int", "float", "flag", "category"]

REQUEST_OUTCOMES = ("assess", "not_assess", "withdrawn", "pending")
ASSESSMENT_OUTCOMES = ("issue", "not_issue", "withdrawn", "pending")
SERVICES = (
    "speech_and_language",
    "camhs",
    "educational_psychology",
    "autism_assessment",
    "adhd_assessment",
    "audiology",
)
WAIT_BANDS = ("up_to_1_term", "1_to_3_terms", "over_3_terms", "over_1_year")
ACTION_STATUSES = ("complete", "on_track", "at_risk", "off_track", "not_started")
POLARITIES = ("higher", "lower")
# SEN2 primary need codes (SENtype).
PRIMARY_NEEDS = (
    "SPLD",
    "MLD",
    "SLD",
    "PMLD",
    "SEMH",
    "SLCN",
    "HI",
    "VI",
    "MSI",
    "PD",
    "ASD",
    "OTH",
    "NSA",
)


@dataclass(frozen=True)
class Column:
    name: str
    kind: ColumnKind
    description: str
    required: bool = True
    nullable: bool = False
    allowed: tuple[str, ...] | None = None
    # For int/float: lowest permitted value (counts are never negative).
    minimum: float | None = 0


@dataclass(frozen=True)
class DateRule:
    """A date column must fall on given days: ``strftime(format)`` is one of ``allowed``."""

    column: str
    format: str
    allowed: tuple[str, ...]
    words: str  # how the rule reads: "31 March"


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    usual_source: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    # Date columns that must not fall after the end of the data (the build's period end).
    dated_by: tuple[str, ...] = ()
    # Of dated_by, columns that may also hold planning data: dates up to a year after the end
    # of the data (e.g. places planned for the next September).
    planned: tuple[str, ...] = ()
    # Date columns that must be month ends.
    month_end_columns: tuple[str, ...] = ()
    # Date columns that must fall on particular days (e.g. 31 March).
    date_rules: tuple[DateRule, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def optional_columns(self) -> list[str]:
        return [c.name for c in self.columns if not c.required]

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


LA_CODE = Column(
    "la_code",
    "text",
    '3-digit DfE local authority number, as text (Hertfordshire is "919")',
)

EHCP_REQUESTS = Dataset(
    name="ehcp_requests",
    title="Requests for an EHC needs assessment",
    description=(
        "One row per initial request for an EHC needs assessment and what became of it, "
        "aligned with the DfE SEN2 person-level return (modules 2–4)."
    ),
    usual_source="The LA's SEND case management system (the extract that feeds SEN2).",
    columns=(
        Column("request_id", "text", "Unique identifier of the request"),
        Column("person_id", "text", "Identifier of the child or young person"),
        LA_CODE,
        Column("received_date", "date", "Date the LA received the request"),
        Column(
            "request_outcome",
            "category",
            "Decision whether to assess",
            allowed=REQUEST_OUTCOMES,
        ),
        Column(
            "request_outcome_date",
            "date",
            "Date of the decision (or withdrawal); empty while pending",
            nullable=True,
        ),
        Column(
            "assessment_outcome",
            "category",
            "Outcome of the assessment; empty when no assessment was agreed",
            nullable=True,
            allowed=ASSESSMENT_OUTCOMES,
        ),
        Column(
            "assessment_outcome_date",
            "date",
            "Date of the assessment outcome; empty when none",
            nullable=True,
        ),
        Column(
            "plan_issued_date",
            "date",
            "Date the final EHC plan was issued; empty when none",
            nullable=True,
        ),
        Column(
            "week20_exception",
            "flag",
            "1 when a permitted exception to the 20-week time limit applies (SEN2 Week20)",
        ),
        Column(
            "primary_need",
            "category",
            "SEN2 primary need code (SENtype)",
            required=False,
            nullable=True,
            allowed=PRIMARY_NEEDS,
        ),
        Column(
            "age_at_request",
            "int",
            "Age in whole years when the request was received",
            required=False,
            nullable=True,
        ),
        Column("mediation", "flag", "1 when mediation took place", required=False, nullable=True),
        Column(
            "tribunal_appeal",
            "flag",
            "1 when an appeal was registered with the SEND Tribunal",
            required=False,
            nullable=True,
        ),
    ),
    key=("request_id",),
    dated_by=(
        "received_date",
        "request_outcome_date",
        "assessment_outcome_date",
        "plan_issued_date",
    ),
    notes=(
        "request_outcome_date, assessment_outcome_date and plan_issued_date are never before "
        "received_date.",
        "plan_issued_date is present only when assessment_outcome is 'issue'.",
        "assessment_outcome is present only when request_outcome is 'assess'.",
        "A decided request (request_outcome 'assess' or 'not_assess') has a "
        "request_outcome_date; a 'pending' one has none; a 'withdrawn' one may have one.",
        "An assessment_outcome other than 'pending' has an assessment_outcome_date; an "
        "'issue' outcome with no plan_issued_date yet is valid (the plan is being written).",
        "The steps are in order: request_outcome_date ≤ assessment_outcome_date ≤ "
        "plan_issued_date.",
        "request_id values that differ only by case or spaces ('R0001', 'r 0001') are duplicates.",
    ),
)

EHCP_CASELOAD = Dataset(
    name="ehcp_caseload",
    title="EHC plans maintained and SEN support",
    description=(
        "EHC plans maintained by the LA at each month end; pupils on SEN support at each "
        "January school census (empty in other months)."
    ),
    usual_source="Case management system (plans); school census (SEN support).",
    columns=(
        LA_CODE,
        Column("month_end", "date", "Last day of the month the count is taken at"),
        Column("ehc_plans", "int", "EHC plans maintained by the LA at the month end"),
        Column(
            "sen_support_pupils",
            "int",
            "Pupils on SEN support at the January census; empty in other months",
            nullable=True,
        ),
    ),
    key=("la_code", "month_end"),
    dated_by=("month_end",),
    month_end_columns=("month_end",),
)

SERVICE_WAITS = Dataset(
    name="service_waits",
    title="Waiting lists by service",
    description="Children and young people waiting for each service at each month end.",
    usual_source="NHS provider and LA service returns (community health services, CAMHS).",
    columns=(
        LA_CODE,
        Column("month_end", "date", "Last day of the month the list is counted at"),
        Column("service", "category", "Service waited for", allowed=SERVICES),
        Column("waiting", "int", "Number waiting at the month end"),
        Column("waiting_over_18_weeks", "int", "Of those, number waiting more than 18 weeks"),
    ),
    key=("la_code", "month_end", "service"),
    dated_by=("month_end",),
    month_end_columns=("month_end",),
    notes=("waiting_over_18_weeks is never more than waiting.",),
)

SCHOOL_PLACES = Dataset(
    name="school_places",
    title="Special school places",
    description="Commissioned places in special schools by academic year (as at September).",
    usual_source="LA school place planning.",
    columns=(
        LA_CODE,
        Column("academic_year", "text", "Academic year written 2024/25"),
        Column(
            "as_at_date",
            "date",
            "Date the count applies to (September of the year); a September after the end of "
            "the data is planned capacity",
        ),
        Column("special_school_places", "int", "Commissioned special school places"),
    ),
    key=("la_code", "academic_year"),
    dated_by=("as_at_date",),
    planned=("as_at_date",),
    date_rules=(DateRule("as_at_date", "%m", ("09",), "a date in September"),),
)

PLACEMENT_WAITS = Dataset(
    name="placement_waits",
    title="Children waiting for a school place",
    description=(
        "Children with a final EHC plan waiting for a school place at each month end, by how "
        "long they have waited. Bands do not overlap: over_3_terms is more than three terms "
        "but no more than a year."
    ),
    usual_source="SEND placement tracker.",
    columns=(
        LA_CODE,
        Column("month_end", "date", "Last day of the month"),
        Column("wait_band", "category", "How long the child has waited", allowed=WAIT_BANDS),
        Column("children", "int", "Children waiting in the band"),
    ),
    key=("la_code", "month_end", "wait_band"),
    dated_by=("month_end",),
    month_end_columns=("month_end",),
)

WORKFORCE = Dataset(
    name="workforce",
    title="SEND case officer workforce",
    description="SEND case officer recruitment and training at each month end.",
    usual_source="HR and SEND service workforce tracker.",
    columns=(
        LA_CODE,
        Column("month_end", "date", "Last day of the month"),
        Column(
            "case_officer_appointments", "int", "Case officers appointed since the programme began"
        ),
        Column("in_training", "int", "Case officers in training"),
        Column("trained", "int", "Case officers who have completed training"),
        Column("average_caseload", "float", "Average EHC plans per case officer"),
    ),
    key=("la_code", "month_end"),
    dated_by=("month_end",),
    month_end_columns=("month_end",),
)

FAMILIES_FIRST = Dataset(
    name="families_first",
    title="Early help assessments",
    description=(
        "Early help assessments (e.g. a Families First programme) completed in each quarter "
        "and the children they covered."
    ),
    usual_source="The early help case system.",
    columns=(
        LA_CODE,
        Column("quarter", "text", "Financial-year quarter, e.g. 2023-24-Q4"),
        Column("quarter_end", "date", "Last day of the quarter"),
        Column("assessments_completed", "int", "Assessments completed in the quarter"),
        Column("children_covered", "int", "Distinct children covered by those assessments"),
    ),
    key=("la_code", "quarter"),
    dated_by=("quarter_end",),
    month_end_columns=("quarter_end",),
    notes=(
        "children_covered is at most assessments_completed × 8 (a sane family size).",
        "quarter names a real quarter and quarter_end is its last day.",
    ),
)

CLA_STABILITY = Dataset(
    name="cla_stability",
    title="Children looked after: placement stability",
    description="Children looked after at 31 March and how many had three or more placements in the year.",
    usual_source="SSDA903 return.",
    columns=(
        LA_CODE,
        Column("year_end", "date", "31 March of the year"),
        Column("children_looked_after", "int", "Children looked after at 31 March"),
        Column(
            "three_plus_placements",
            "int",
            "Of those, children with three or more placements in the year",
        ),
    ),
    key=("la_code", "year_end"),
    dated_by=("year_end",),
    date_rules=(DateRule("year_end", "%m-%d", ("03-31",), "31 March"),),
    notes=("three_plus_placements is never more than children_looked_after.",),
)

IMPROVEMENT_PLAN = Dataset(
    name="improvement_plan",
    title="Priority Action and Improvement Plan",
    description=(
        "Actions of the improvement areas (any number), one row per action per quarterly "
        "update; the progress text is the newsletter's words."
    ),
    usual_source="Improvement board action tracker.",
    columns=(
        LA_CODE,
        Column("area_id", "int", "Improvement area number (council.toml lists its figures)"),
        Column("area_title", "text", "Title of the improvement area"),
        Column("action_id", "text", "Action identifier, e.g. 2.3"),
        Column("action", "text", "What will be done"),
        Column("owner", "text", "Who is accountable"),
        Column("due_date", "date", "When the action is due"),
        Column("update_quarter", "text", "Quarter of the update, e.g. 2023-24-Q4"),
        Column("update_date", "date", "Date of the update"),
        Column("status", "category", "Status at the update", allowed=ACTION_STATUSES),
        Column("progress_update", "text", "Progress in plain English, for parents and carers"),
    ),
    key=("action_id", "update_quarter"),
    dated_by=("update_date",),
    notes=("update_quarter names a real quarter and update_date falls inside it.",),
)

TARGETS = Dataset(
    name="targets",
    title="Targets",
    description="Targets set for metrics, with the date each applies to and which way is better.",
    usual_source="Improvement plan and corporate performance framework.",
    columns=(
        LA_CODE,
        Column("metric_id", "text", "Metric id (see the metric registry)"),
        Column("target_value", "float", "Target in the metric's unit", minimum=None),
        Column("target_date", "date", "Date by which the target applies"),
        Column("polarity", "category", "Which way is better", allowed=POLARITIES),
    ),
    key=("la_code", "metric_id", "target_date"),
    notes=(
        "metric_id is a metric of the registry (docs/metrics.md); an unknown id is refused.",
        "polarity agrees with the metric's own better direction (any for a neutral metric), "
        "so no two targets for a metric pull opposite ways.",
    ),
)

COMMENTARY = Dataset(
    name="commentary",
    title="Officer commentary",
    description=(
        "What officers say about a measure or a section of a report in a quarter: shown "
        "beside the measure in the performance report (and in its exceptions section when "
        "the measure is rated red), and under an improvement area in the newsletter. Text "
        "is shown exactly as written, never read as Markdown or HTML."
    ),
    usual_source="Written each quarter by the service's officers; kept by the performance team.",
    columns=(
        LA_CODE,
        Column("period", "text", "Quarter the commentary is for, e.g. 2024-25-Q2"),
        Column(
            "subject",
            "text",
            "What it is about: a metric id from docs/metrics.md (e.g. ehcp_20wk_pct_ex), "
            "`summary` for the performance report's summary, or `area:N` for improvement area N",
        ),
        Column("commentary", "text", "The commentary, in plain English"),
        Column("author", "text", "Who wrote it"),
        Column("role", "text", "Their role, e.g. Head of SEND Statutory Services"),
        Column(
            "action",
            "text",
            "What is being done about it (optional)",
            required=False,
            nullable=True,
        ),
    ),
    key=("la_code", "period", "subject"),
    notes=("A subject that names no measure or section of the reports is shown nowhere.",),
)

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        EHCP_REQUESTS,
        EHCP_CASELOAD,
        SERVICE_WAITS,
        SCHOOL_PLACES,
        PLACEMENT_WAITS,
        WORKFORCE,
        FAMILIES_FIRST,
        CLA_STABILITY,
        IMPROVEMENT_PLAN,
        TARGETS,
        COMMENTARY,
    )
}

# Datasets every build needs; a council may leave out any other (its sections are then left
# out of the reports, which say once what the council does not report).
REQUIRED_DATASETS = ("ehcp_requests", "ehcp_caseload")
OPTIONAL_DATASETS = tuple(name for name in DATASETS if name not in REQUIRED_DATASETS)

FILE_SUFFIXES = (".csv", ".parquet", ".xlsx")
