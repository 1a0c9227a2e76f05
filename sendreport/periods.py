"""Reporting periods and their bases.

Every figure states the period it covers and the *basis* of that period, because local
quarterly figures and DfE calendar-year figures are routinely set side by side and a
reader must be able to tell them apart ("January–March 2024, local" beside "calendar
year 2023, DfE").

Quarters are financial-year quarters written ``YYYY-YY-Qn``: ``2023-24-Q1`` is
April–June 2023 and ``2023-24-Q4`` is January–March 2024. All periods are closed
intervals of whole days: ``start <= day <= end``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from sendreport.exceptions import ParameterError


class Basis(StrEnum):
    """How a period was drawn; stated next to every figure."""

    FY_QUARTER = "financial-year quarter"
    FINANCIAL_YEAR = "financial year"
    FINANCIAL_YTD = "financial year to date"
    CALENDAR_YEAR = "calendar year"
    CALENDAR_YTD = "calendar year to date"
    ROLLING_12M = "rolling 12 months"
    MONTH = "month"
    SNAPSHOT = "month-end snapshot"


_QUARTER_RE = re.compile(r"^(\d{4})-(\d{2})-Q([1-4])$")
QUARTER_FORMAT_HELP = (
    "a financial-year quarter written YYYY-YY-Qn, e.g. 2023-24-Q4 (January–March 2024); "
    "Q1 is April–June, Q2 July–September, Q3 October–December, Q4 January–March"
)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(d: date, months: int) -> date:
    """First day of the month ``months`` after ``d``'s month."""
    index = d.year * 12 + (d.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, order=True)
class Period:
    """A closed interval of days with a basis and a human label."""

    start: date
    end: date
    basis: Basis
    label: str

    # --- constructors -------------------------------------------------------------
    @classmethod
    def quarter(cls, fy_start_year: int, q: int) -> Period:
        if q not in (1, 2, 3, 4):
            raise ParameterError(f"quarter must be 1–4, got {q}", accepted=QUARTER_FORMAT_HELP)
        first_month = 4 + 3 * (q - 1)
        year = fy_start_year + (first_month - 1) // 12
        month = (first_month - 1) % 12 + 1
        start = date(year, month, 1)
        end = _month_end(year, month + 2)
        code = f"{fy_start_year}-{(fy_start_year + 1) % 100:02d}-Q{q}"
        return cls(start, end, Basis.FY_QUARTER, code)

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse ``YYYY-YY-Qn``; raises :class:`ParameterError` saying what is accepted."""
        m = _QUARTER_RE.match(text.strip()) if isinstance(text, str) else None
        if not m:
            raise ParameterError(
                f"period {text!r} is not a quarter code", accepted=QUARTER_FORMAT_HELP
            )
        first, second, q = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if (first + 1) % 100 != second:
            raise ParameterError(
                f"period {text!r}: the two years must be consecutive "
                f"(did you mean {first}-{(first + 1) % 100:02d}-Q{q}?)",
                accepted=QUARTER_FORMAT_HELP,
            )
        return cls.quarter(first, q)

    @classmethod
    def parse_range(cls, text: str) -> list[Period]:
        """Parse one quarter or an inclusive range ``2022-23-Q1..2024-25-Q4``."""
        if ".." not in text:
            return [cls.parse(text)]
        first_text, last_text = text.split("..", 1)
        first, last = cls.parse(first_text), cls.parse(last_text)
        if last.start < first.start:
            raise ParameterError(
                f"period range {text!r} runs backwards", accepted="FIRST..LAST, earliest first"
            )
        periods = [first]
        while periods[-1].start < last.start:
            periods.append(periods[-1].next_quarter())
        return periods

    @classmethod
    def calendar_year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), Basis.CALENDAR_YEAR, str(year))

    @classmethod
    def financial_year(cls, fy_start_year: int) -> Period:
        label = f"{fy_start_year}-{(fy_start_year + 1) % 100:02d}"
        return cls(
            date(fy_start_year, 4, 1), date(fy_start_year + 1, 3, 31), Basis.FINANCIAL_YEAR, label
        )

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        start = date(year, month, 1)
        return cls(start, _month_end(year, month), Basis.MONTH, start.strftime("%Y-%m"))

    @classmethod
    def snapshot(cls, day: date) -> Period:
        """A single month-end (or census) day."""
        return cls(day, day, Basis.SNAPSHOT, day.isoformat())

    # --- derived periods ----------------------------------------------------------
    @property
    def fy_start_year(self) -> int:
        return self.start.year if self.start.month >= 4 else self.start.year - 1

    @property
    def quarter_number(self) -> int:
        if self.basis is not Basis.FY_QUARTER:
            raise ValueError(f"{self.label} is not a financial-year quarter")
        return (self.start.month - 4) % 12 // 3 + 1

    def next_quarter(self) -> Period:
        q = self.quarter_number
        return Period.quarter(self.fy_start_year + (q == 4), q % 4 + 1)

    def previous_quarter(self) -> Period:
        q = self.quarter_number
        return Period.quarter(self.fy_start_year - (q == 1), (q - 2) % 4 + 1)

    def same_period_last_year(self) -> Period:
        """The same span one year earlier, with the same basis."""
        if self.basis is Basis.FY_QUARTER:
            return Period.quarter(self.fy_start_year - 1, self.quarter_number)
        if self.basis is Basis.CALENDAR_YEAR:
            return Period.calendar_year(self.start.year - 1)
        if self.basis is Basis.FINANCIAL_YEAR:
            return Period.financial_year(self.fy_start_year - 1)
        if self.basis is Basis.CALENDAR_YTD:
            return Period.calendar_ytd(_shift_year(self.end, -1))
        if self.basis is Basis.FINANCIAL_YTD:
            return Period.financial_ytd(_shift_year(self.end, -1))
        if self.basis is Basis.ROLLING_12M:
            return Period.rolling_12_months(_shift_year(self.end, -1))
        if self.basis is Basis.MONTH:
            return Period.month(self.start.year - 1, self.start.month)
        return Period.snapshot(_shift_year(self.end, -1))

    @classmethod
    def calendar_ytd(cls, end: date) -> Period:
        """1 January of ``end``'s year to ``end``."""
        label = f"{date(end.year, 1, 1):%-d %B %Y} to {end:%-d %B %Y}"
        return cls(date(end.year, 1, 1), end, Basis.CALENDAR_YTD, label)

    @classmethod
    def rolling_12_months(cls, end: date) -> Period:
        """The twelve whole months ending with ``end``'s month."""
        start = _add_months(date(end.year, end.month, 1), -11)
        label = f"{start:%B %Y} to {end:%B %Y}"
        return cls(start, end, Basis.ROLLING_12M, label)

    @classmethod
    def financial_ytd(cls, end: date) -> Period:
        """1 April of ``end``'s financial year to ``end``: the financial year *to date*.

        A Q1–Q3 report states its financial year this way, so no figure counts a day after
        the quarter; at the end of Q4 it is the whole financial year (basis "financial year").
        """
        fy = end.year if end.month >= 4 else end.year - 1
        if (end.month, end.day) == (3, 31):
            return cls.financial_year(fy)
        label = f"{fy}-{(fy + 1) % 100:02d} to {end.isoformat()}"
        return cls(date(fy, 4, 1), end, Basis.FINANCIAL_YTD, label)

    def financial_year_to_date(self) -> Period:
        """This period's financial year up to this period's end (see :meth:`financial_ytd`)."""
        return Period.financial_ytd(self.end)

    def financial_year_of(self) -> Period:
        return Period.financial_year(self.fy_start_year)

    def ytd(self) -> Period:
        """Calendar year to the end of this period (basis of ``ehcp_20wk_pct_ex_ytd``)."""
        return Period.calendar_ytd(self.end)

    def months(self) -> list[Period]:
        out, cursor = [], date(self.start.year, self.start.month, 1)
        while cursor <= self.end:
            out.append(Period.month(cursor.year, cursor.month))
            cursor = _add_months(cursor, 1)
        return out

    def quarters_back(self, n: int) -> list[Period]:
        """This quarter and the ``n - 1`` before it, oldest first."""
        out = [self]
        for _ in range(n - 1):
            out.append(out[-1].previous_quarter())
        return out[::-1]

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    # --- words --------------------------------------------------------------------
    @property
    def span(self) -> str:
        """Plain-English span, e.g. ``January–March 2024`` or ``April 2023–March 2024``."""
        if self.basis is Basis.SNAPSHOT:
            return f"{self.end:%-d %B %Y}"
        if self.basis is Basis.CALENDAR_YEAR:
            return f"calendar year {self.start.year}"
        if self.start.year == self.end.year:
            if self.start.month == self.end.month:
                return f"{self.start:%B %Y}"
            return f"{self.start:%B}–{self.end:%B %Y}"
        return f"{self.start:%B %Y}–{self.end:%B %Y}"

    @property
    def fy_words(self) -> str:
        """A financial-year period in words that say how much of the year it covers:
        "April–June 2024, the first quarter of 2024-25"; "the 2024-25 financial year
        (April 2024–March 2025)"."""
        fy = f"{self.fy_start_year}-{(self.fy_start_year + 1) % 100:02d}"
        if self.basis is Basis.FINANCIAL_YEAR:
            return f"the {fy} financial year ({self.span})"
        months = (self.end.year * 12 + self.end.month) - (self.start.year * 12 + self.start.month)
        part = {2: "the first quarter", 5: "the first half", 8: "the first three quarters"}
        share = part.get(months, f"the first {months + 1} months")
        return f"{self.span}, {share} of {fy}"

    def describe(self) -> str:
        """Span and basis together, the form printed beside a figure."""
        if self.basis is Basis.CALENDAR_YEAR:
            return self.span
        return f"{self.span} ({self.basis.value})"

    def __str__(self) -> str:
        return self.label


def _shift_year(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February in a non-leap year
        return d.replace(year=d.year + years, day=28)


def add_days(d: date, days: int) -> date:
    return d + timedelta(days=days)


def quarter_containing(day: date) -> Period:
    """The financial-year quarter that ``day`` falls in."""
    fy = day.year if day.month >= 4 else day.year - 1
    return Period.quarter(fy, (day.month - 4) % 12 // 3 + 1)


def month_periods(end: date, n: int) -> list[Period]:
    """The ``n`` calendar months ending with ``end``'s month, oldest first (a chart's x axis)."""
    last = date(end.year, end.month, 1)
    return [
        Period.month(first.year, first.month)
        for first in (_add_months(last, -back) for back in range(n - 1, -1, -1))
    ]


def month_after(day: date) -> Period:
    """The calendar month after ``day``'s month (when a quarter's update is published)."""
    first = _add_months(date(day.year, day.month, 1), 1)
    return Period.month(first.year, first.month)


def quarter_label(period: Period, sep: str = " ") -> str:
    """A financial-year quarter in a few characters: ``2023-24 Q4``; ``sep="\\n"`` gives a
    two-line axis label so eight quarters fit side by side."""
    return f"{period.label[:7]}{sep}Q{period.quarter_number}"


def latest_completed_quarter(today: date | None = None) -> Period:
    """The last quarter that has fully ended by ``today`` (default: the real today); the
    scheduled CI build reports on it."""
    return quarter_containing(today or date.today()).previous_quarter()
