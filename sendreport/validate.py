"""The Great Expectations gate: bad data never reaches a report.

``validate_inputs`` runs each dataset's suite (``expectations/<dataset>.json``) against the
frames :mod:`sendreport.load` produced, in one ephemeral GX context per call. Every failure
in every dataset becomes a :class:`~sendreport.exceptions.ProblemRecord`; if any is an
error, the full results (JSON) and GX Data Docs (HTML) are written to ``results_dir`` and
:class:`~sendreport.exceptions.ValidationFailed` is raised with all of them at once.

Runtime parameters: the suites hold ``{"$PARAMETER": "data_end"}`` and
``{"$PARAMETER": "la_codes"}``; they are filled per call through GX's
``expectation_parameters``, so one committed suite serves every LA and quarter.

Helper columns: rules pandas GX cannot express directly ("is a month end", "at most eight
times another column") are written in the suite against derived columns listed in the
suite's ``meta.helper_columns``; :func:`add_helper_columns` derives them on a copy of the
frame just before validation.

Great Expectations is imported lazily, inside this module's functions only, because it
takes seconds to import and most of the package (notebooks included) never needs it.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import logging
import os
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from sendreport.contract import DATASETS
from sendreport.exceptions import ProblemRecord, SendReportError, ValidationFailed
from sendreport.load import MAX_SAMPLES, Inputs
from sendreport.resources import expectations_dir

if TYPE_CHECKING:
    from great_expectations.core import ExpectationSuiteValidationResult

RESULTS_FILE = "validation_results.json"
DATA_DOCS_DIR = "data_docs"
_SITE_NAME = "sendreport"


@dataclass
class DatasetSummary:
    """How one dataset fared: what was checked and which suite file checked it."""

    rows: int
    expectations: int
    passed: int
    suite: str
    suite_sha256: str


@dataclass
class ValidationSummary:
    """Outcome of a passing validation. Deterministic: no timestamps, no run ids."""

    data_end: str
    la_code: str
    great_expectations_version: str
    datasets: dict[str, DatasetSummary] = field(default_factory=dict)
    warnings: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict with sorted keys."""
        return json.loads(json.dumps(asdict(self), sort_keys=True))

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True) + "\n"


# --- GX plumbing ----------------------------------------------------------------------


@contextlib.contextmanager
def _quiet_gx() -> Iterator[Any]:
    """Import GX with analytics, progress bars, logging and warnings turned off."""
    os.environ["GX_ANALYTICS_ENABLED"] = "false"  # before import: no network calls
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import great_expectations as gx

        yield gx


def _new_context(gx: Any) -> Any:
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    # Without this GX draws tqdm "Calculating Metrics" bars on stderr for every batch.
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    return context


# --- suites and helper columns --------------------------------------------------------


def load_suite_json(dataset: str, suites_dir: Path | None = None) -> tuple[dict, Path]:
    """Read ``<suites_dir>/<dataset>.json``; a missing or broken suite is an install error."""
    path = Path(suites_dir or expectations_dir()) / f"{dataset}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8")), path
    except FileNotFoundError:
        raise SendReportError(
            f"no expectation suite for dataset {dataset!r}: {path} is missing",
            hint="run `python -m sendreport.suites` to regenerate the suites",
        ) from None
    except json.JSONDecodeError as err:
        raise SendReportError(
            f"expectation suite {path} is not valid JSON: {err}",
            hint="run `python -m sendreport.suites` to regenerate the suites",
        ) from None


def add_helper_columns(frame: pd.DataFrame, helpers: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """Return ``frame`` plus the derived columns a suite's ``meta.helper_columns`` names."""
    extra: dict[str, pd.Series] = {}
    for name, spec in helpers.items():
        source = frame[spec["column"]]
        if spec["function"] == "is_month_end":
            # NA where the date is missing, so GX skips it rather than counting a failure.
            flags = source.dt.is_month_end.astype("boolean")
            extra[name] = flags.mask(source.isna())
        elif spec["function"] == "strftime":
            extra[name] = source.dt.strftime(spec["format"]).astype("string").mask(source.isna())
        elif spec["function"] == "multiply":
            extra[name] = source * spec["by"]
        elif spec["function"] in ("quarter_start", "quarter_end"):
            extra[name] = _quarter_edges(source, spec["function"].removeprefix("quarter_"))
        elif spec["function"] == "normalise_id":
            # NA stays NA, so the not-null rule (not this one) reports an empty id.
            extra[name] = source.str.replace(r"\s+", "", regex=True).str.casefold()
        elif spec["function"] == "metric_polarity":
            extra[name] = _registered_polarity(source)
        else:
            raise SendReportError(f"unknown helper column function {spec['function']!r}")
    return frame.assign(**extra) if extra else frame


def _quarter_edges(labels: pd.Series, edge: str) -> pd.Series:
    """First or last day of each ``2023-24-Q4`` label; NaT where it names no real quarter."""
    from sendreport.exceptions import ParameterError
    from sendreport.periods import Period

    days: dict[str, pd.Timestamp] = {}
    for label in labels.dropna().unique():
        try:
            period = Period.parse(str(label))
        except ParameterError:
            continue
        days[label] = pd.Timestamp(period.start if edge == "start" else period.end)
    return labels.map(days).astype("datetime64[ns]")


def _registered_polarity(metric_ids: pd.Series) -> pd.Series:
    """Each metric's own better direction; NA for neutral or unknown metrics (any target
    direction is allowed for a neutral measure; unknown ids fail their own rule)."""
    from sendreport.metrics import REGISTRY

    known = {i: s.polarity for i, s in REGISTRY.items() if s.polarity != "neutral"}
    return metric_ids.map(known).astype("string")


def metric_ids() -> list[str]:
    """The ids a target may name (the ``metric_ids`` suite parameter)."""
    from sendreport.metrics import REGISTRY

    return sorted(REGISTRY)


def _infer_la_code(inputs: Inputs) -> str | None:
    """The build's LA when none is given: the commonest la_code of the first non-empty dataset."""
    for name in DATASETS:
        frame = inputs.frames.get(name)
        if frame is not None and "la_code" in frame and frame["la_code"].notna().any():
            return str(frame["la_code"].value_counts().index[0])
    return None


def check_data_is_for(inputs: Inputs, la_code: str) -> None:
    """Raise a parameter error when every dataset is wholly another LA's: a wrong ``--la``
    (or ``--data``) is one mistake, not one broken rule per dataset."""
    from sendreport.exceptions import ParameterError
    from sendreport.reference import la_name

    found = {
        str(code)
        for frame in inputs.frames.values()
        if "la_code" in frame
        for code in frame["la_code"].dropna().unique()
    }
    if len(found) != 1 or la_code in found:
        return
    other = found.pop()
    raise ParameterError(
        f"the data is for LA {other} ({la_name(other)}), not LA {la_code} ({la_name(la_code)})",
        parameter="--la",
        accepted=f"--la {other} for this data",
        hint=f"pass --la {other}, or --data with LA {la_code}'s own folder",
    )


def escape_text_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell and column name HTML-escaped, types unchanged.

    Escaping is one-to-one and leaves the contract's own values (categories, patterns,
    column names) as they are, so exactly the same rows pass and fail."""
    out = frame.rename(columns=lambda c: html.escape(str(c)) if isinstance(c, str) else c)
    for position in range(out.shape[1]):
        column = out.iloc[:, position]
        if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
            escaped = column.map(lambda v: html.escape(v) if isinstance(v, str) else v)
            out.isetitem(position, escaped.astype(column.dtype))
    return out


# --- turning results into problems ----------------------------------------------------


def _plain(value: Any) -> Any:
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _offending_columns(kwargs: dict[str, Any], helpers: dict, frame: pd.DataFrame) -> list[str]:
    cols: list[str] = []
    for key in ("column", "column_A", "column_B"):
        if kwargs.get(key):
            cols.append(kwargs[key])
    cols += list(kwargs.get("column_list") or [])
    condition = kwargs.get("row_condition")
    if condition:
        # GX 1.x keeps a pandas row_condition as {"pass_through_filter": "...", ...}.
        text = condition if isinstance(condition, str) else json.dumps(condition, default=str)
        cols += [c for c in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text) if c in frame]
    # Show the real column, not the derived helper an analyst never sees.
    shown = []
    for col in cols:
        shown.append(helpers[col]["column"] if col in helpers else col)
    return list(dict.fromkeys(shown))


def _samples(
    frame: pd.DataFrame, indices: list[Any], key: tuple[str, ...], columns: list[str]
) -> list[dict[str, Any]]:
    wanted = [c for c in dict.fromkeys([*key, *columns]) if c in frame.columns]
    out = []
    for index in indices[:MAX_SAMPLES]:
        if not isinstance(index, (int,)) and not hasattr(index, "__index__"):
            continue
        row = frame.loc[index, wanted]
        sample: dict[str, Any] = {"row": int(index) + 2}  # as a spreadsheet shows it
        sample.update({c: _plain(row[c]) for c in wanted})
        out.append(sample)
    return out


def _describe_failure(kind: str, kwargs: dict, result: dict, parameters: dict) -> str:
    """Extra words for failures without failing rows (and the parameter values used)."""
    words = []
    limit = kwargs.get("max_value")
    if isinstance(limit, dict) or (limit is not None and not isinstance(limit, (int, float))):
        # a date limit: data_end or plan_end (substituted by GX, or still a placeholder)
        basis = parameters.get("data_end_basis")
        ends = parameters["data_end"].date().isoformat()
        words.append(f"the data ends {ends}" + (f", {basis}" if basis else ""))
        plan_end = parameters.get("plan_end")
        named = isinstance(limit, dict) and limit.get("$PARAMETER") == "plan_end"
        if plan_end is not None and (named or str(limit)[:10] == str(plan_end.date())):
            words.append(f"planned dates may run to {plan_end.date().isoformat()}")
    if kind == "expect_table_columns_to_match_set":
        expected = list(kwargs.get("column_set") or [])
        found = [str(c) for c in result.get("observed_value") or []]
        missing = [c for c in expected if c not in found]
        unexpected = [c for c in found if c not in expected]
        if missing:
            words.append(f"missing: {', '.join(missing)}")
        if unexpected:
            words.append(f"not in the contract: {', '.join(unexpected)}")
    elif kind in ("expect_column_values_to_be_of_type", "expect_column_values_to_be_in_type_list"):
        words.append(f"found type {result.get('observed_value')}")
    if kind == "expect_column_values_to_be_in_set" and kwargs.get("column") == "la_code":
        words.append(f"the build is for LA {parameters['la_codes'][0]}")
    return "; ".join(words)


def _problems_from_result(
    dataset: str,
    frame: pd.DataFrame,
    suite_json: dict,
    result: ExpectationSuiteValidationResult,
    parameters: dict,
) -> list[ProblemRecord]:
    ds = DATASETS[dataset]
    helpers = suite_json.get("meta", {}).get("helper_columns", {})
    problems = []
    for er in result.results:
        if er.success:
            continue
        config = er.expectation_config
        kwargs = dict(config.kwargs)
        res = er.result or {}
        rule = (config.meta or {}).get("rule", config.type)
        columns = _offending_columns(kwargs, helpers, frame)
        indices = res.get("unexpected_index_list") or res.get("partial_unexpected_index_list") or []
        count = res.get("unexpected_count")
        if count is None:
            count = len(frame) if "type" in config.type else 0
        message = f"rule: {rule}"
        extra = _describe_failure(config.type, kwargs, res, parameters)
        if extra:
            message += f" ({extra})"
        info = er.exception_info or {}
        if info.get("raised_exception"):
            message += f"\n    the check itself failed: {info.get('exception_message')}"
        severity = (
            "warning" if str(getattr(config, "severity", "")).endswith("warning") else "error"
        )
        problems.append(
            ProblemRecord(
                dataset=dataset,
                column=", ".join(columns),
                expectation=config.type,
                failing_count=int(count),
                samples=_samples(frame, list(indices), ds.key, columns),
                message=message,
                severity=severity,
            )
        )
    return problems


# --- writing results on failure -------------------------------------------------------


def _write_results(
    context: Any, results_dir: Path, results: dict[str, Any], parameters: dict
) -> None:
    """Full results JSON (sorted keys) and a GX Data Docs filesystem site."""
    results_dir.mkdir(parents=True, exist_ok=True)
    payload = {
        "parameters": {
            "data_end": parameters["data_end"].date().isoformat(),
            "la_codes": parameters["la_codes"],
        },
        "datasets": {name: result.to_json_dict() for name, result in results.items()},
    }
    (results_dir / RESULTS_FILE).write_text(
        json.dumps(payload, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8"
    )
    # The ValidationDefinition runs stored their results in the context; render them.
    context.add_data_docs_site(
        _SITE_NAME,
        {
            "class_name": "SiteBuilder",
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(results_dir / DATA_DOCS_DIR),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    context.build_data_docs(site_names=[_SITE_NAME])
    from sendreport.datadocs import make_data_docs_offline  # lxml: only when docs are written

    failed = frozenset(name for name, result in results.items() if not result.success)
    make_data_docs_offline(results_dir / DATA_DOCS_DIR, failed)


# --- the gate -------------------------------------------------------------------------


def validate_inputs(
    inputs: Inputs,
    *,
    data_end: date,
    la_code: str | None,
    results_dir: Path | None,
    suites_dir: Path | None = None,
    la_codes: Sequence[str] | None = None,
    data_end_basis: str | None = None,
) -> ValidationSummary:
    """Validate every frame in ``inputs`` against its suite; raise if any rule is broken.

    ``data_end`` is the last day the data may cover; ``la_code`` the build's LA (``None``:
    the LA of the first dataset, so all datasets must at least agree). On failure writes
    ``results_dir/validation_results.json`` and ``results_dir/data_docs/index.html`` (when
    ``results_dir`` is given) and raises :class:`ValidationFailed` listing every problem.
    ``la_codes`` replaces the one-LA rule with a list of allowed LAs, for regional or
    national extracts (``sendreport validate --all-las``). ``data_end_basis`` says where
    ``data_end`` came from (stated or derived); messages that name the end say it too.
    """
    la, allowed = _allowed_las(inputs, la_code, la_codes)
    parameters = _suite_parameters(data_end, allowed)
    names = _validation_order(inputs)
    suite_files = {n: load_suite_json(n, suites_dir) for n in names}

    with _quiet_gx() as gx:
        from great_expectations.core.run_identifier import RunIdentifier

        context = _new_context(gx)
        run = _SuiteRun(
            gx=gx,
            context=context,
            source=context.data_sources.add_pandas("sendreport"),
            run_id=RunIdentifier(run_name="sendreport-validate"),
            parameters=parameters,
        )
        summary = ValidationSummary(
            data_end=parameters["data_end"].date().isoformat(),
            la_code=la,
            great_expectations_version=gx.__version__,
        )
        problems: list[ProblemRecord] = []
        results: dict[str, Any] = {}
        words = {"data_end_basis": data_end_basis}  # for messages; not a GX parameter
        for name in names:
            suite_json, suite_path = suite_files[name]
            frame = inputs.frames[name]
            if not isinstance(frame.index, pd.RangeIndex):
                frame = frame.reset_index(drop=True)
            results[name] = result = run.validate(name, frame, suite_json)
            found = _problems_from_result(name, frame, suite_json, result, parameters | words)
            _locate_problems(inputs, name, found)
            problems += found
            summary.datasets[name] = _dataset_summary(frame, result, suite_path)
        _raise_on_errors(context, problems, results, results_dir, parameters)
    summary.warnings = [asdict(p) for p in problems]
    return summary


def _allowed_las(
    inputs: Inputs, la_code: str | None, la_codes: Sequence[str] | None
) -> tuple[str, list[str]]:
    """The LA words for the summary and the LA codes every row may hold; checks first that
    the data is for ``la_code`` when one LA is expected."""
    if la_code and not la_codes:
        check_data_is_for(inputs, la_code)
    if la_codes:  # a regional or national extract: every listed LA is allowed
        allowed = sorted(set(la_codes))
        return ",".join(allowed), allowed
    la = la_code or _infer_la_code(inputs) or ""
    return la, [la]


def _suite_parameters(data_end: date, allowed: list[str]) -> dict[str, Any]:
    """The suites' runtime parameters (``{"$PARAMETER": ...}``) for one validation."""
    return {
        "data_end": pd.Timestamp(data_end),
        # Planning data (e.g. places for the next September) may run a year past the data.
        "plan_end": pd.Timestamp(data_end) + pd.DateOffset(years=1),
        "la_codes": allowed,
        "metric_ids": metric_ids(),
    }


def _validation_order(inputs: Inputs) -> list[str]:
    """The datasets to validate: the contract's order, then any others by name."""
    return [n for n in DATASETS if n in inputs.frames] + sorted(
        n for n in inputs.frames if n not in DATASETS
    )


@dataclass
class _SuiteRun:
    """One GX context's means of validating frames against suites in one run."""

    gx: Any
    context: Any
    source: Any
    run_id: Any
    parameters: dict[str, Any]

    def validate(self, name: str, frame: pd.DataFrame, suite_json: dict) -> Any:
        """Validate ``frame`` against ``suite_json``: pass/fail alone, then in full on failure."""
        from great_expectations.core import ExpectationSuite

        helpers = suite_json.get("meta", {}).get("helper_columns", {})
        checked = add_helper_columns(frame, helpers)
        batch_definition = self.source.add_dataframe_asset(
            name
        ).add_batch_definition_whole_dataframe("whole")
        suite = self.context.suites.add(ExpectationSuite(**json.loads(json.dumps(suite_json))))
        # A ValidationDefinition (not batch.validate) reads the frame once — GX
        # fingerprints every batch it builds, seconds for a million rows — and stores
        # the result where Data Docs can find it.
        definition = self.context.validation_definitions.add(
            self.gx.ValidationDefinition(name=name, data=batch_definition, suite=suite)
        )
        run = {
            "batch_parameters": {"dataframe": checked},
            "expectation_parameters": self.parameters,
            "run_id": self.run_id,
        }
        # Pass/fail alone first: collecting failing rows costs whole-frame filters even
        # when nothing fails (about 40% of the time on a million rows). Only a dataset
        # that fails is validated again in full, for its samples, results and Data Docs.
        result = definition.run(result_format="BOOLEAN_ONLY", **run)
        if not all(r.success for r in result.results):
            # GX Data Docs put failing values into HTML as they are: validate a copy
            # whose text is HTML-escaped (same rows fail) so the pages show it as text.
            run["batch_parameters"] = {"dataframe": escape_text_cells(checked)}
            result = definition.run(result_format="COMPLETE", **run)
        return result


def _locate_problems(inputs: Inputs, name: str, found: list[ProblemRecord]) -> None:
    """Give each problem its file's path, and the source's rows and columns (SEN2, mapping)."""
    if name in inputs.files:
        for problem in found:
            problem.path = str(inputs.files[name].path)
    if name in inputs.provenance:
        for problem in found:
            inputs.provenance[name].relabel_problem(problem)


def _dataset_summary(frame: pd.DataFrame, result: Any, suite_path: Path) -> DatasetSummary:
    """How one dataset fared, with the suite file that checked it and its SHA-256."""
    return DatasetSummary(
        rows=len(frame),
        expectations=len(result.results),
        passed=sum(1 for r in result.results if r.success),
        suite=suite_path.name,
        suite_sha256=hashlib.sha256(suite_path.read_bytes()).hexdigest(),
    )


def _raise_on_errors(
    context: Any,
    problems: list[ProblemRecord],
    results: dict[str, Any],
    results_dir: Path | None,
    parameters: dict[str, Any],
) -> None:
    """Raise :class:`ValidationFailed` when any problem is an error, after writing the full
    results and Data Docs to ``results_dir`` (when given and writable)."""
    if not any(p.severity == "error" for p in problems):
        return
    if results_dir is not None:
        # GX Data Docs sites need an absolute folder; users pass relative ones.
        try:
            _write_results(context, Path(results_dir).resolve(), results, parameters)
        except OSError:  # a read-only or full folder must not hide the problems
            results_dir = None
    raise ValidationFailed(
        problems,
        results_dir=str(results_dir) if results_dir is not None else None,
        hint="correct the rows shown in the source system or file, export again and "
        "rerun; docs/data.md describes every column and rule",
    )
