"""What a metric returns, and the registry that documents every metric.

A metric is a small pure function named by its id, e.g.
``ehcp_20wk_pct_ex(requests, period) -> Measure``. Its docstring carries a
``Definition:`` block with the keys numerator, denominator, period basis, exclusions and
source; the registry parses it so the reports can print methodology notes straight from
the code that computes the figure.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, ParamSpec

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
    """

    id: str
    value: float | None
    period: Period
    unit: Unit
    numerator: float | None = None
    denominator: float | None = None
    note: str | None = None
    components: tuple[tuple[str, float], ...] = field(default=())

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
    """Register a metric function under its own name, with its docstring definition."""

    def register(func: Callable[P, Measure]) -> Callable[P, Measure]:
        summary, definition = parse_definition(func.__doc__ or "")
        missing = [k for k in DEFINITION_KEYS if k not in definition]
        if missing:
            raise TypeError(f"metric {func.__name__} lacks Definition keys: {missing}")
        REGISTRY[func.__name__] = MetricSpec(
            id=func.__name__,
            title=title,
            unit=unit,
            polarity=polarity,
            definition=definition,
            summary=summary,
            func=func,
        )
        return func

    return register
