"""What a metric returns, and the registry that documents every metric.

A metric is a small pure function named by its id, e.g.
``ehcp_20wk_pct_ex(ehcp_requests, period) -> Measure``. Its parameters are named after the
contract's datasets (:data:`sendreport.contract.DATASETS`), so the datasets it reads are its
signature (:func:`datasets_for`). :func:`metric` registers it and stamps the id on what it
returns, so bodies never repeat their own name. Its docstring carries a ``Definition:`` block
with the keys numerator, denominator, period basis, exclusions and source; the registry parses
it so the reports can print methodology notes straight from the code that computes the figure.

:func:`compute` is the one way to compute a metric by id from a mapping of frames.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, ParamSpec

from sendreport.contract import DATASETS
from sendreport.exceptions import ParameterError
from sendreport.periods import Period

Unit = Literal["%", "count", "weeks", "ratio", "pp"]
Polarity = Literal["higher", "lower", "neutral"]
DEFINITION_KEYS = ("numerator", "denominator", "period basis", "exclusions", "source")


@dataclass(frozen=True)
class Measure:
    """One computed figure with the evidence behind it.

    ``value`` is ``None`` when it cannot be computed (a zero denominator); ``note`` then
    says why in words a reader understands ("no plans issued"), never 0% or an error.
    ``components`` are the labelled counts of the derivation (numerator, denominator,
    exclusions) that the audit edition shows beside the figure.
    ``id`` is keyword-only: a registered metric's :func:`metric` wrapper stamps it.
    """

    id: str = field(default="", kw_only=True)
    value: float | None
    period: Period
    unit: Unit
    numerator: float | None = None
    denominator: float | None = None
    note: str | None = None
    components: tuple[tuple[str, float], ...] = field(default=())

    def __post_init__(self) -> None:
        if isinstance(self.value, str):  # the old positional form Measure(id, value, …)
            raise TypeError(f"Measure's id is keyword-only: Measure(value, …, id={self.value!r})")

    @property
    def available(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class MetricSpec:
    id: str
    title: str
    unit: Unit
    polarity: Polarity
    definition: dict[str, str]
    summary: str
    func: Callable[..., Measure]


REGISTRY: dict[str, MetricSpec] = {}

P = ParamSpec("P")
_KEY_RE = re.compile(
    r"^\s*(numerator|denominator|period basis|exclusions|source)\s*:\s*(.*)$", re.I
)


def parse_definition(doc: str) -> tuple[str, dict[str, str]]:
    """Split a docstring into its summary line and its Definition block."""
    text = inspect.cleandoc(doc or "")
    summary = text.split("\n", 1)[0].strip()
    definition: dict[str, str] = {}
    if "Definition:" not in text:
        return summary, definition
    block = text.split("Definition:", 1)[1]
    current: str | None = None
    for line in block.splitlines():
        m = _KEY_RE.match(line)
        if m:
            current = m.group(1).lower()
            definition[current] = m.group(2).strip()
        elif current and line.strip() and line.startswith((" ", "\t")):
            definition[current] += " " + line.strip()
        elif line.strip() and not line.startswith((" ", "\t")):
            break  # end of the indented block
    return summary, definition


def metric(
    *, title: str, unit: Unit, polarity: Polarity
) -> Callable[[Callable[P, Measure]], Callable[P, Measure]]:
    """Register a metric function under its own name, with its docstring definition.

    The registered function (also what the decorator returns) is a thin wrapper that stamps
    the function's name as the ``id`` of the Measure it returns; its signature is the
    function's own (``functools.wraps``), so :func:`datasets_for` reads it.
    """

    def register(func: Callable[P, Measure]) -> Callable[P, Measure]:
        name = func.__name__
        summary, definition = parse_definition(func.__doc__ or "")
        missing = [k for k in DEFINITION_KEYS if k not in definition]
        if missing:
            raise TypeError(f"metric {name} lacks Definition keys: {missing}")

        @functools.wraps(func)
        def stamped(*args: P.args, **kwargs: P.kwargs) -> Measure:
            measure = func(*args, **kwargs)
            if isinstance(measure, Measure) and measure.id != name:
                return dataclasses.replace(measure, id=name)
            return measure

        REGISTRY[name] = MetricSpec(
            id=name,
            title=title,
            unit=unit,
            polarity=polarity,
            definition=definition,
            summary=summary,
            func=stamped,
        )
        return stamped

    return register


# --- computing by id ------------------------------------------------------------------------
@functools.cache
def parameters_of(func: Callable[..., Any]) -> Mapping[str, inspect.Parameter]:
    """A metric's parameters, read once (its signature is fixed when it is registered)."""
    return inspect.signature(func).parameters


def datasets_for(metric_id: str) -> list[str]:
    """The contract datasets a metric reads: its parameters named in ``DATASETS``, sorted."""
    spec = REGISTRY.get(metric_id)
    if spec is None:
        return []
    return sorted(p for p in parameters_of(spec.func) if p in DATASETS)


def metric_arguments(
    metric_id: str, frames: Mapping[str, Any]
) -> tuple[dict[str, Any], str | None]:
    """Arguments for a metric from ``frames`` (by parameter name); the first missing one.

    Every parameter but ``period`` and the keyword-only options is looked up by its own name;
    one left out or None is missing unless it has a default.
    """
    spec = REGISTRY.get(metric_id)
    if spec is None:
        raise ParameterError(f"unknown metric {metric_id!r}", accepted=", ".join(sorted(REGISTRY)))
    arguments: dict[str, Any] = {}
    for name, param in parameters_of(spec.func).items():
        if name == "period" or param.kind is inspect.Parameter.KEYWORD_ONLY:
            continue
        if frames.get(name) is not None:
            arguments[name] = frames[name]
        elif param.default is inspect.Parameter.empty:
            return arguments, name
    return arguments, None


def compute(
    metric_id: str, frames: Mapping[str, Any], period: Period | None, **options: Any
) -> Measure | None:
    """The metric ``metric_id`` for ``period`` from ``frames`` (dataset name → frame).

    None when ``period`` is None or a dataset the metric needs is not in ``frames``.
    ``options`` (e.g. ``baseline``, ``as_at``) reach the metric when it takes them and are
    ignored otherwise, so one call shape serves every metric. Unknown ids raise
    :class:`ParameterError`.
    """
    arguments, missing = metric_arguments(metric_id, frames)
    if period is None or missing:
        return None
    func = REGISTRY[metric_id].func
    accepted = parameters_of(func)
    arguments.update((k, v) for k, v in options.items() if k in accepted)
    return func(period=period, **arguments)
