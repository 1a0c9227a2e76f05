"""Generate the Great Expectations suites and ``docs/data.md`` from the data contract.

The suites in ``expectations/<dataset>.json`` are committed, reviewable JSON; this module
writes them from :mod:`sendreport.contract` plus the cross-column rules below, and a test
checks the committed files are current. Regenerate after changing the contract::

    .venv/bin/python -m sendreport.suites

Runtime parameters (GX "suite parameters"; filled in by :mod:`sendreport.validate`):

- ``{"$PARAMETER": "data_end"}``: the last day the build's data covers; no date may be later
- ``{"$PARAMETER": "plan_end"}``: a year after ``data_end``; the latest a planned date may be
- ``{"$PARAMETER": "la_codes"}``: a one-element list, the build's LA code
- ``{"$PARAMETER": "metric_ids"}``: the metric registry's ids (targets name one of them)

Helper columns: pandas has no built-in expectation for "is a month end" or "at most eight
times another column", and GX's ``unexpected_rows_query`` works only for SQL sources. The
suite's ``meta.helper_columns`` therefore names small derived columns (e.g.
``month_end__is_month_end``) that ``validate.py`` adds to a copy of the frame before
validating; the rule itself stays here, in the JSON. This module must not import GX.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sendreport.contract import DATASETS, REQUIRED_DATASETS, Column, Dataset

SUITE_FORMAT_VERSION = 1

# One "type" check per kind. `expect_column_values_to_be_of_type` matches the pandas 3
# string dtype as "str"; nullable integers/floats need the extension dtype names.
_TYPE_CHECKS: dict[str, tuple[str, dict[str, Any]]] = {
    "text": ("expect_column_values_to_be_of_type", {"type_": "str"}),
    "category": ("expect_column_values_to_be_of_type", {"type_": "str"}),
    "date": ("expect_column_values_to_be_of_type", {"type_": "datetime64"}),
    "int": ("expect_column_values_to_be_in_type_list", {"type_list": ["Int64Dtype"]}),
    "flag": ("expect_column_values_to_be_in_type_list", {"type_list": ["Int64Dtype"]}),
    "float": ("expect_column_values_to_be_in_type_list", {"type_list": ["Float64Dtype"]}),
}
_KIND_WORDS = {
    "text": "text",
    "date": "date (YYYY-MM-DD)",
    "int": "whole number",
    "float": "number",
    "flag": "0 or 1",
    "category": "one of a list",
}
_PATTERNS = {
    ("school_places", "academic_year"): (r"^\d{4}/\d{2}$", "written like 2024/25"),
    ("families_first", "quarter"): (r"^\d{4}-\d{2}-Q[1-4]$", "written like 2023-24-Q4"),
    ("improvement_plan", "update_quarter"): (r"^\d{4}-\d{2}-Q[1-4]$", "written like 2023-24-Q4"),
    ("commentary", "period"): (r"^\d{4}-\d{2}-Q[1-4]$", "written like 2024-25-Q2"),
    ("commentary", "subject"): (
        r"^(?:[a-z][a-z0-9_]*|area:[0-9]+)$",
        "a metric id like ehcp_20wk_pct_ex, summary, or area:N",
    ),
    ("la_code", "la_code"): (r"^\d{3}$", "three digits, e.g. 919"),
}


def _expectation(
    kind: str, kwargs: dict[str, Any], rule: str, *, severity: str = "critical"
) -> dict[str, Any]:
    return {"type": kind, "kwargs": kwargs, "meta": {"rule": rule}, "severity": severity}


def _type_expectation(col: Column) -> dict[str, Any]:
    """The check that a column holds values of its contract kind."""
    check, kwargs = _TYPE_CHECKS[col.kind]
    return _expectation(
        check,
        {"column": col.name, **kwargs},
        f"{col.name} holds {_KIND_WORDS[col.kind]} values",
    )


def _value_range_expectations(col: Column) -> list[dict[str, Any]]:
    """Allowed categories, 0/1 flags and number minimums for one column."""
    out = []
    if col.kind == "category" and col.allowed:
        out.append(
            _expectation(
                "expect_column_values_to_be_in_set",
                {"column": col.name, "value_set": list(col.allowed)},
                f"{col.name} is one of: {', '.join(col.allowed)}",
            )
        )
    if col.kind == "flag":
        out.append(
            _expectation(
                "expect_column_values_to_be_in_set",
                {"column": col.name, "value_set": [0, 1]},
                f"{col.name} is 0 or 1",
            )
        )
    elif col.kind in ("int", "float") and col.minimum is not None:
        out.append(
            _expectation(
                "expect_column_values_to_be_between",
                {"column": col.name, "min_value": col.minimum},
                f"{col.name} is never negative"
                if col.minimum == 0
                else f"{col.name} is at least {col.minimum}",
            )
        )
    return out


def _column_pattern(ds: Dataset, col: Column) -> tuple[str, str] | None:
    """The regex a text column matches and its words, when the contract sets one."""
    return _PATTERNS.get((ds.name, col.name)) or _PATTERNS.get((col.name, col.name))


def _date_limit_expectations(ds: Dataset, col: Column) -> list[dict[str, Any]]:
    """No date after the end of the data (planned dates: at most a year after it)."""
    if col.name in ds.planned:
        limit, words = "plan_end", "is no more than a year after the end of the data (planned)"
    elif col.name in ds.dated_by:
        limit, words = "data_end", "is not after the end of the data"
    else:
        return []
    return [
        _expectation(
            "expect_column_values_to_be_between",
            {"column": col.name, "max_value": {"$PARAMETER": limit}},
            f"{col.name} {words}",
        )
    ]


def _column_expectations(ds: Dataset, col: Column) -> list[dict[str, Any]]:
    """Every single-column rule for ``col``: type, presence, values, pattern, date limit."""
    out = [_type_expectation(col)]
    if not col.nullable:
        out.append(
            _expectation(
                "expect_column_values_to_not_be_null",
                {"column": col.name},
                f"{col.name} is never empty",
            )
        )
    out += _value_range_expectations(col)
    pattern = _column_pattern(ds, col)
    if pattern:
        out.append(
            _expectation(
                "expect_column_values_to_match_regex",
                {"column": col.name, "regex": pattern[0]},
                f"{col.name} is {pattern[1]}",
            )
        )
    return out + _date_limit_expectations(ds, col)


def _a_at_least_b(column_a: str, column_b: str, why: str) -> dict[str, Any]:
    """``column_a >= column_b`` on every row where both are filled in."""
    return _expectation(
        "expect_column_pair_values_a_to_be_greater_than_b",
        {
            "column_A": column_a,
            "column_B": column_b,
            "or_equal": True,
            "ignore_row_if": "either_value_is_missing",
        },
        why,
    )


def _null_when(column: str, condition: str, rule: str, *, null: bool = True) -> dict[str, Any]:
    """``column`` is empty (or, with ``null=False``, filled in) on rows matching ``condition``."""
    kind = "expect_column_values_to_be_null" if null else "expect_column_values_to_not_be_null"
    kwargs = {"column": column, "row_condition": condition, "condition_parser": "pandas"}
    return _expectation(kind, kwargs, rule)


def _request_date_order() -> list[dict[str, Any]]:
    """A request's dates never run backwards: received, decision, assessment, plan."""
    out = [
        _a_at_least_b(later, "received_date", f"{later} is not before received_date")
        for later in ("request_outcome_date", "assessment_outcome_date", "plan_issued_date")
    ]
    # The steps happen in order: decision, then assessment outcome, then the plan.
    out.append(
        _a_at_least_b(
            "assessment_outcome_date",
            "request_outcome_date",
            "assessment_outcome_date is not before request_outcome_date",
        )
    )
    out.append(
        _a_at_least_b(
            "plan_issued_date",
            "assessment_outcome_date",
            "plan_issued_date is not before assessment_outcome_date",
        )
    )
    return out


def _request_expectations() -> list[dict[str, Any]]:
    """``ehcp_requests``: dates in order, and each outcome's date and next step present
    exactly when the outcome says so."""
    return [
        *_request_date_order(),
        _null_when(
            "request_outcome_date",
            'request_outcome in ["assess", "not_assess"]',
            "a decided request (assess, not_assess) has its request_outcome_date",
            null=False,
        ),
        _null_when(
            "request_outcome_date",
            'request_outcome == "pending"',
            "a pending request has no request_outcome_date",
        ),
        _null_when(
            "assessment_outcome_date",
            'assessment_outcome in ["issue", "not_issue", "withdrawn"]',
            "an assessment outcome other than pending has its assessment_outcome_date",
            null=False,
        ),
        _null_when(
            "plan_issued_date",
            'assessment_outcome != "issue"',
            "plan_issued_date is filled in only when assessment_outcome is 'issue'",
        ),
        _null_when(
            "assessment_outcome",
            'request_outcome != "assess"',
            "assessment_outcome is filled in only when request_outcome is 'assess'",
        ),
    ]


def _families_first_expectations() -> list[dict[str, Any]]:
    """``families_first``: a sane family size, and quarter labels that match their dates."""
    return [
        _a_at_least_b(
            "assessments_completed__times_8",
            "children_covered",
            "children_covered ≤ assessments_completed × 8 (a sane family size)",
        ),
        *_quarter_label_expectations("quarter", "quarter_end", exact=True),
    ]


def _improvement_plan_expectations() -> list[dict[str, Any]]:
    """``improvement_plan``: area numbers in range, update dates inside their quarter."""
    return [
        _expectation(
            "expect_column_values_to_be_between",
            {"column": "area_id", "min_value": 1, "max_value": 99},
            "area_id is an improvement area, 1 to 99",
        ),
        *_quarter_label_expectations("update_quarter", "update_date", exact=False),
    ]


def _targets_expectations() -> list[dict[str, Any]]:
    """``targets``: each names a registered metric and agrees with its direction."""
    return [
        _expectation(
            "expect_column_values_to_be_in_set",
            {"column": "metric_id", "value_set": {"$PARAMETER": "metric_ids"}},
            "metric_id is a metric of the registry (docs/metrics.md)",
        ),
        _expectation(
            "expect_column_pair_values_to_be_equal",
            {
                "column_A": "polarity",
                "column_B": "metric_id__polarity",
                "ignore_row_if": "either_value_is_missing",
            },
            "polarity agrees with the metric's own direction (docs/metrics.md)",
        ),
    ]


def _cross_column_expectations(ds: Dataset) -> list[dict[str, Any]]:
    """Rules that tie columns together, from the contract's notes."""
    if ds.name == "ehcp_requests":
        return _request_expectations()
    if ds.name == "service_waits":
        return [
            _a_at_least_b("waiting", "waiting_over_18_weeks", "waiting_over_18_weeks ≤ waiting")
        ]
    if ds.name == "cla_stability":
        return [
            _a_at_least_b(
                "children_looked_after",
                "three_plus_placements",
                "three_plus_placements ≤ children_looked_after",
            )
        ]
    if ds.name == "families_first":
        return _families_first_expectations()
    if ds.name == "improvement_plan":
        return _improvement_plan_expectations()
    if ds.name == "targets":
        return _targets_expectations()
    return []


def _quarter_label_expectations(label: str, day: str, *, exact: bool) -> list[dict[str, Any]]:
    """A quarter label (``2023-24-Q4``) names a real quarter and agrees with its date: the
    date is the quarter's last day (``exact``) or falls inside the quarter."""
    start, end = f"{label}__start", f"{label}__end"
    out = [
        _expectation(
            "expect_column_values_to_not_be_null",
            {"column": end},
            f"{label} is a real financial-year quarter (consecutive years, Q1 to Q4)",
        )
    ]
    if exact:
        out.append(
            _expectation(
                "expect_column_pair_values_to_be_equal",
                {"column_A": day, "column_B": end, "ignore_row_if": "either_value_is_missing"},
                f"{day} is the last day of the quarter {label} names",
            )
        )
        return out
    for column_a, column_b, words in ((day, start, "before"), (end, day, "after")):
        out.append(
            _a_at_least_b(column_a, column_b, f"{day} is not {words} the quarter {label} names")
        )
    return out


def helper_columns(ds: Dataset) -> dict[str, dict[str, Any]]:
    """Derived columns validate.py adds before validating (see the module docstring)."""
    helpers: dict[str, dict[str, Any]] = {}
    for col in ds.month_end_columns:
        helpers[f"{col}__is_month_end"] = {"function": "is_month_end", "column": col}
    for rule in ds.date_rules:
        helpers[f"{rule.column}__day"] = {
            "function": "strftime",
            "column": rule.column,
            "format": rule.format,
        }
    if ds.name == "families_first":
        helpers["assessments_completed__times_8"] = {
            "function": "multiply",
            "column": "assessments_completed",
            "by": 8,
        }
    labels = {"families_first": "quarter", "improvement_plan": "update_quarter"}
    if ds.name in labels:
        for edge in ("start", "end"):
            helpers[f"{labels[ds.name]}__{edge}"] = {
                "function": f"quarter_{edge}",
                "column": labels[ds.name],
            }
    if len(ds.key) == 1 and ds.column(ds.key[0]).kind == "text":
        # "R0001", "r0001" and "R 0001 " are one request typed three ways.
        helpers[f"{ds.key[0]}__normalised"] = {"function": "normalise_id", "column": ds.key[0]}
    if ds.name == "targets":
        helpers["metric_id__polarity"] = {"function": "metric_polarity", "column": "metric_id"}
    return helpers


def _uniqueness_expectation(ds: Dataset, helpers: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Each key (or key combination) appears once; a text id ignoring case and spaces."""
    if len(ds.key) > 1:
        return _expectation(
            "expect_compound_columns_to_be_unique",
            {"column_list": list(ds.key)},
            f"each combination of {', '.join(ds.key)} appears once",
        )
    key = ds.key[0]
    normalised = f"{key}__normalised" in helpers
    return _expectation(
        "expect_column_values_to_be_unique",
        {"column": f"{key}__normalised" if normalised else key},
        f"each {key} appears once" + (" (ignoring case and spaces)" if normalised else ""),
    )


def _helper_expectations(ds: Dataset, helpers: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Rules read through helper columns: month ends and allowed days of dates."""
    out = [
        _expectation(
            "expect_column_values_to_be_in_set",
            {"column": helper, "value_set": [True]},
            f"{spec['column']} is the last day of a month",
        )
        for helper, spec in helpers.items()
        if spec["function"] == "is_month_end"
    ]
    out += [
        _expectation(
            "expect_column_values_to_be_in_set",
            {"column": f"{rule.column}__day", "value_set": list(rule.allowed)},
            f"{rule.column} is {rule.words}",
        )
        for rule in ds.date_rules
    ]
    return out


def _suite_meta(ds: Dataset, helpers: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A suite's ``meta``: its format, origin, helper columns and runtime parameters."""
    return {
        "sendreport_suite_format": SUITE_FORMAT_VERSION,
        "description": f"{ds.title}: generated from sendreport/contract.py by "
        "sendreport/suites.py; edit those, not this file",
        "helper_columns": helpers,
        "parameters": {
            "data_end": "last day covered by the build's data (ISO date)",
            **(
                {"plan_end": "last day planning data may cover: a year after data_end"}
                if ds.planned
                else {}
            ),
            "la_codes": "list holding the build's LA code",
            "metric_ids": "the metric ids of the registry (sendreport.metrics)",
        },
    }


def build_suite(dataset: str | Dataset) -> dict[str, Any]:
    """The suite for one dataset as a plain dict (``ExpectationSuite(**suite)`` loads it)."""
    ds = DATASETS[dataset] if isinstance(dataset, str) else dataset
    helpers = helper_columns(ds)
    expectations = [
        _expectation(
            "expect_table_columns_to_match_set",
            # The helper columns are present because validate.py adds them.
            {"column_set": [c.name for c in ds.columns] + list(helpers), "exact_match": True},
            f"the columns are exactly: {', '.join(c.name for c in ds.columns)}",
        )
    ]
    for col in ds.columns:
        expectations += _column_expectations(ds, col)
    expectations.append(_uniqueness_expectation(ds, helpers))
    # One LA per build. A row-level in-set check (rather than distinct-values-equal-set)
    # names the offending rows and lets a dataset be empty where the contract allows.
    expectations.append(
        _expectation(
            "expect_column_values_to_be_in_set",
            {"column": "la_code", "value_set": {"$PARAMETER": "la_codes"}},
            "la_code is the build's LA code (one LA per build)",
        )
    )
    expectations += _helper_expectations(ds, helpers)
    expectations += _cross_column_expectations(ds)
    return {"name": ds.name, "meta": _suite_meta(ds, helpers), "expectations": expectations}


def suite_json(dataset: str | Dataset) -> str:
    """Pretty-printed, stable JSON text for a suite (what is committed)."""
    return json.dumps(build_suite(dataset), indent=2, ensure_ascii=False) + "\n"


def write_suites(directory: Path) -> list[Path]:
    """Write ``<directory>/<dataset>.json`` for every dataset in the contract."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in DATASETS:
        path = directory / f"{name}.json"
        path.write_text(suite_json(name), encoding="utf-8")
        written.append(path)
    return written


# --- docs/data.md ---------------------------------------------------------------------


def _allowed_words(ds: Dataset, col: Column) -> str:
    parts = []
    if col.allowed:
        parts.append(", ".join(f"`{a}`" for a in col.allowed))
    if col.kind == "flag":
        parts.append("`0`, `1`")
    elif col.kind in ("int", "float") and col.minimum is not None:
        parts.append(f"≥ {col.minimum:g}")
    pattern = _column_pattern(ds, col)
    if pattern:
        parts.append(pattern[1])
    if col.name in ds.month_end_columns:
        parts.append("a month end")
    parts += [rule.words for rule in ds.date_rules if rule.column == col.name]
    if col.name in ds.planned:
        parts.append("up to a year after the end of the data (later dates are planned)")
    elif col.name in ds.dated_by:
        parts.append("not after the end of the data")
    if col.name == "area_id":
        parts.append("1 to 99")
    parts.append("may be empty" if col.nullable else "never empty")
    return "; ".join(parts)


def _data_md_preamble() -> list[str]:
    """The opening of ``docs/data.md``: file formats and the rules every file follows."""
    from sendreport.load import EMPTY_ALLOWED, SUPPRESSION_MARKERS

    return [
        "# Input data",
        "",
        "<!-- Generated by `python -m sendreport.suites` from sendreport/contract.py; "
        "do not edit by hand. -->",
        "",
        "A build reads one file per dataset from its data folder: `<dataset>.csv` (UTF-8, "
        "comma-separated; a byte-order mark is fine), `<dataset>.parquet` or "
        "`<dataset>.xlsx` (first sheet, header in row 1; formula cells are read as the "
        "results Excel or LibreOffice saved with them, and a workbook whose formulas have no "
        "calculated results, such as one written by a script, is refused naming the cells). "
        "Exactly one file per dataset.",
        "",
        "The data a council already holds can be used as it is: SEN2 returns (`*.xml`) "
        "instead of `ehcp_requests`, its own exports described by a `mapping.toml`, or "
        "tables in a database: see [sources.md](sources.md).",
        "",
        "Rules for every file:",
        "",
        "- Dates are ISO dates, `YYYY-MM-DD` (e.g. `2024-03-31`); empty where a date may "
        "be missing.",
        "- Counts are whole numbers. Publication markers ("
        + ", ".join(f"`{m}`" for m in sorted(SUPPRESSION_MARKERS))
        + ") are refused: the extract must hold real counts.",
        "- Only empty cells are missing values (`NA` and `NULL` are not).",
        "- `la_code` is text and every row holds the build's LA code (one LA per build).",
        "- Column names must be unique. Unknown extra columns are ignored with a warning; "
        "optional columns may be left out.",
        "- No date is after the end of the data (the build's `data_end`).",
        "- A file that is 0 bytes is always an error. A file with a header and no rows is a "
        "valid empty dataset only for: "
        + ", ".join(f"`{n}`" for n in sorted(EMPTY_ALLOWED))
        + "; for every other dataset it is an error.",
        "",
        "Column kinds: text (kept as text, so `919` stays `919`), date, whole number, "
        "number, flag (0 or 1), category (one of a list).",
        "",
        "The Great Expectations suites in `expectations/` check these rules; they are "
        "generated from the same contract.",
        "",
        "Only "
        + " and ".join(f"`{n}`" for n in REQUIRED_DATASETS)
        + " are required. Every other dataset is optional: leave its file out and the "
        "reports leave out its sections and scorecard rows, and say once what the council "
        "does not report. The folder may also hold `council.toml`, the council profile "
        "(see [profile.md](profile.md)).",
        "",
    ]


def _dataset_section(ds: Dataset) -> list[str]:
    """One dataset's section of ``docs/data.md``: facts, column table, cross-column rules."""
    from sendreport.load import EMPTY_ALLOWED

    lines = [
        f"## `{ds.name}` — {ds.title}",
        "",
        ds.description,
        "",
        f"- File: `{ds.name}.csv` (or `.parquet`, `.xlsx`)",
        f"- Usual source: {ds.usual_source}",
        f"- One row per: {', '.join(ds.key)} (unique)",
        f"- Required: {'yes' if ds.name in REQUIRED_DATASETS else 'no (optional dataset)'}",
        f"- Header-only file allowed: {'yes' if ds.name in EMPTY_ALLOWED else 'no'}",
        "",
        "| Column | Type | Required | Meaning | Allowed values |",
        "|---|---|---|---|---|",
    ]
    for col in ds.columns:
        lines.append(
            f"| `{col.name}` | {_KIND_WORDS[col.kind]} | "
            f"{'yes' if col.required else 'optional'} | {col.description} | "
            f"{_allowed_words(ds, col)} |"
        )
    rules = list(ds.notes)
    if ds.month_end_columns:
        rules.append(f"{', '.join(ds.month_end_columns)}: always the last day of a month.")
    rules += [f"{rule.column}: always {rule.words}." for rule in ds.date_rules]
    if rules:
        lines += ["", "Rules across columns:", ""]
        lines += [f"- {rule}" for rule in rules]
    lines.append("")
    return lines


def render_data_md() -> str:
    """The text of ``docs/data.md``: every dataset and column, from the contract."""
    lines = _data_md_preamble()
    for ds in DATASETS.values():
        lines += _dataset_section(ds)
    return "\n".join(lines)


def main() -> None:
    """Regenerate ``expectations/*.json`` and ``docs/data.md`` in the repository."""
    from sendreport.resources import REPO_ROOT

    for path in write_suites(REPO_ROOT / "expectations"):
        print(path.relative_to(REPO_ROOT))
    docs = REPO_ROOT / "docs" / "data.md"
    docs.write_text(render_data_md(), encoding="utf-8")
    print(docs.relative_to(REPO_ROOT))


if __name__ == "__main__":
    main()
