"""The council profile: what differs between councils, read from ``council.toml``.

A build's data folder may hold ``council.toml`` beside the datasets. It names the council,
its boards and committee, its local service names and links, which figures each improvement
area reports, the RAG amber band, the small-number threshold and optional newsletter
wording. Every key has a default, so the file may be a few lines long or absent; the
reports then speak of "the council" in neutral words and name the LA from the DfE register.

The profile is validated like a dataset: an unknown key or a value of the wrong type stops
the build (exit 2) with the key named and how to fix it. The file is one of the build's
inputs, so it is hashed into the build key and recorded in ``manifest.json``.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from sendreport.exceptions import ProfileError

PROFILE_FILE = "council.toml"
DEFAULT_THRESHOLD = 5
DEFAULT_AMBER_BAND_PCT = 10.0


@dataclass(frozen=True)
class ImprovementArea:
    """An improvement area of the council's plan and the figures its section reports.

    ``area_id`` matches ``improvement_plan.area_id``; the title comes from that data.
    """

    area_id: int
    metrics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profile:
    """A council's own words and settings; defaults are neutral and name no council."""

    name: str = ""  # "Hertfordshire County Council"; empty: the LA's name from the register
    short_name: str = ""  # "Hertfordshire"; empty: the LA's name as it reads in a sentence
    plan_name: str = "SEND improvement plan"
    partnership_board: str = ""
    improvement_board: str = ""
    performance_committee: str = "the council's scrutiny committee"
    camhs_service: str = "child and adolescent mental health services (CAMHS)"
    speech_service: str = "speech and language therapy"
    early_help_service: str = "early help"
    local_offer_url: str = ""
    newsletter_signup_url: str = ""
    waiting_list_baseline: date | None = None
    improvement_areas: tuple[ImprovementArea, ...] = ()
    amber_band_pct: float = DEFAULT_AMBER_BAND_PCT
    small_number_threshold: int = DEFAULT_THRESHOLD
    newsletter_opening: str = ""
    newsletter_closing: str = ""
    demo: bool = False
    # Roles whose sign-off `sendreport publish` requires (sendreport.approve.ROLES); empty:
    # the publish command's own default.
    sign_off_roles: tuple[str, ...] = ()
    source: str = field(default="", compare=False)  # the file read, "" for defaults

    def named_for(self, la: str) -> Profile:
        """The profile with empty names filled from the DfE register for ``la``."""
        if self.name and self.short_name:
            return self
        from sendreport import reference

        try:
            short = reference.la_display_name(la)
        except Exception:  # an LA code outside the register: the code, never a guess
            short = f"local authority {la}"
        return replace(self, name=self.name or short, short_name=self.short_name or short)

    @property
    def committee(self) -> str:
        """The committee as it reads after "to": "the Children and Young People Scrutiny
        Committee", "the council's scrutiny committee"."""
        name = self.performance_committee
        return name if name.lower().startswith("the ") else f"the {name}"

    def metrics_for(self, area_id: int) -> tuple[str, ...]:
        """The metric ids the profile lists for an improvement area (none if unlisted)."""
        for area in self.improvement_areas:
            if area.area_id == area_id:
                return area.metrics
        return ()

    def to_json(self) -> dict[str, Any]:
        """Plain JSON for the manifest."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, date):
                value = value.isoformat()
            elif f.name == "sign_off_roles":
                value = list(value)
            elif f.name == "improvement_areas":
                value = [{"area_id": a.area_id, "metrics": list(a.metrics)} for a in value]
            out[f.name] = value
        return out


# --- the schema: TOML section.key → (Profile field, what it must be) -------------------------
def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) else None


def _url(value: Any) -> str | None:
    text = _text(value)
    if text is None or (text and not text.startswith("https://")):
        return None
    return text


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _date(value: Any) -> date | None:
    return value if isinstance(value, date) and not hasattr(value, "hour") else None


def _threshold(value: Any) -> int | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 100
    return value if ok else None


def _roles(value: Any) -> tuple[str, ...] | None:
    """A list of sign-off roles, e.g. ["analyst", "approver"]."""
    from sendreport.approve import ROLE_ALIASES, ROLES

    if not isinstance(value, list) or not value:
        return None
    named = [str(r).strip().lower() for r in value]
    roles = [ROLE_ALIASES.get(r, r) for r in named]
    if any(r not in ROLES for r in roles):
        return None
    return tuple(dict.fromkeys(roles))


def _percent(value: Any) -> float | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 100
    return float(value) if ok else None


Check = Callable[[Any], Any]
TEXT = (_text, 'text in quotes, e.g. "SEND Partnership Board"')
URL = (_url, 'a web address starting https://, e.g. "https://www.example.gov.uk/localoffer"')

SCHEMA: dict[str, dict[str, tuple[str, tuple[Check, str]]]] = {
    "": {"demo": ("demo", (_bool, "true or false (without quotes)"))},
    "council": {"name": ("name", TEXT), "short_name": ("short_name", TEXT)},
    "governance": {
        "plan_name": ("plan_name", TEXT),
        "partnership_board": ("partnership_board", TEXT),
        "improvement_board": ("improvement_board", TEXT),
        "performance_committee": ("performance_committee", TEXT),
    },
    "services": {
        "camhs": ("camhs_service", TEXT),
        "speech_and_language": ("speech_service", TEXT),
        "early_help": ("early_help_service", TEXT),
    },
    "links": {
        "local_offer": ("local_offer_url", URL),
        "newsletter_signup": ("newsletter_signup_url", URL),
    },
    "waiting_lists": {
        "baseline_date": (
            "waiting_list_baseline",
            (_date, "a date without quotes, e.g. 2023-09-30"),
        ),
    },
    "ratings": {
        "amber_band_pct": ("amber_band_pct", (_percent, "a number from 0 to 100, e.g. 10")),
    },
    "disclosure": {
        "small_number_threshold": (
            "small_number_threshold",
            (_threshold, "a whole number from 1 to 100, e.g. 5 (1 turns suppression off)"),
        ),
    },
    "sign_off": {
        "required_roles": (
            "sign_off_roles",
            (_roles, 'a list of roles, e.g. ["analyst", "analytical assurer", "approver"]'),
        ),
    },
    "newsletter": {
        "opening": ("newsletter_opening", TEXT),
        "closing": ("newsletter_closing", TEXT),
    },
}
SECTIONS = [s for s in SCHEMA if s] + ["improvement_areas"]


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f"did you mean {close[0]!r}? " if close else ""


def _problem(path: Path, key: str, message: str, hint: str) -> ProfileError:
    return ProfileError(f"council profile: {message}", path=str(path), key=key, hint=hint)


def _read_section(
    path: Path, section: str, table: Mapping[str, Any], values: dict[str, Any]
) -> list[ProfileError]:
    problems = []
    schema = SCHEMA[section]
    for key, value in table.items():
        dotted = f"{section}.{key}" if section else key
        if key not in schema:
            known = sorted(schema)
            problems.append(
                _problem(
                    path,
                    dotted,
                    f"unknown key {dotted!r}",
                    f"{_suggest(key, known)}the keys of [{section or 'top level'}] are "
                    f"{', '.join(known)}; see docs/profile.md",
                )
            )
            continue
        name, (check, expected) = schema[key]
        parsed = check(value)
        if parsed is None:
            problems.append(
                _problem(
                    path,
                    dotted,
                    f"{dotted} = {value!r} is not {expected.split(',')[0]}",
                    f"write {dotted} as {expected}",
                )
            )
            continue
        values[name] = parsed
    return problems


def _read_areas(path: Path, areas: Any, values: dict[str, Any]) -> list[ProfileError]:
    from sendreport.metrics.base import REGISTRY

    hint = (
        'write each area as [[improvement_areas]] with area_id = 1 and metrics = ["metric_id", …]'
    )
    if not isinstance(areas, list) or not all(isinstance(a, dict) for a in areas):
        return [
            _problem(path, "improvement_areas", "improvement_areas is not a list of areas", hint)
        ]
    problems, parsed, seen = [], [], set()
    for n, area in enumerate(areas, start=1):
        where = f"improvement_areas[{n}]"
        extra = sorted(set(area) - {"area_id", "metrics"})
        area_id, metrics = area.get("area_id"), area.get("metrics", [])
        if extra:
            problems.append(
                _problem(path, f"{where}.{extra[0]}", f"unknown key {extra[0]!r} in {where}", hint)
            )
        if not isinstance(area_id, int) or isinstance(area_id, bool) or area_id in seen:
            problems.append(
                _problem(path, f"{where}.area_id", f"{where}.area_id = {area_id!r} is not a new whole number",
                         "give every area the area_id its actions carry in improvement_plan, once each")
            )  # fmt: skip
            continue
        if not isinstance(metrics, list) or not all(isinstance(m, str) for m in metrics):
            problems.append(
                _problem(
                    path, f"{where}.metrics", f"{where}.metrics is not a list of metric ids", hint
                )
            )
            continue
        for metric_id in metrics:
            if metric_id not in REGISTRY:
                problems.append(
                    _problem(path, f"{where}.metrics", f"{where}.metrics names unknown metric {metric_id!r}",
                             f"{_suggest(metric_id, sorted(REGISTRY))}docs/metrics.md lists every metric id")
                )  # fmt: skip
        seen.add(area_id)
        parsed.append(ImprovementArea(area_id, tuple(metrics)))
    values["improvement_areas"] = tuple(parsed)
    return problems


def parse_profile(data: Mapping[str, Any], path: Path) -> Profile:
    """A Profile from parsed TOML; every problem is collected and raised together."""
    values: dict[str, Any] = {}
    problems: list[ProfileError] = []
    top = {k: v for k, v in data.items() if not isinstance(v, dict) and k != "improvement_areas"}
    problems += _read_section(path, "", top, values)
    for section, table in data.items():
        if section == "improvement_areas":
            problems += _read_areas(path, table, values)
        elif isinstance(table, dict):
            if section not in SCHEMA or not section:
                problems.append(
                    _problem(path, section, f"unknown section [{section}]",
                             f"{_suggest(section, SECTIONS)}the sections are {', '.join(SECTIONS)}")
                )  # fmt: skip
                continue
            problems += _read_section(path, section, table, values)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ProfileError(
            "council profile: " + "; ".join(p.message.removeprefix("council profile: ") for p in problems),
            path=str(path),
            key=problems[0].key,
            hint="; ".join(dict.fromkeys(p.hint or "" for p in problems)),
        )  # fmt: skip
    return Profile(**values, source=str(path))


def load_profile(data_dir: str | Path) -> Profile:
    """The profile in ``data_dir/council.toml``, or the neutral defaults when there is none."""
    path = Path(data_dir) / PROFILE_FILE
    if not path.is_file():
        return Profile()
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        raise _problem(
            path, "", "the file is not UTF-8 text", "save council.toml as UTF-8"
        ) from None
    except tomllib.TOMLDecodeError as err:
        raise _problem(
            path, "", f"not valid TOML: {err}",
            'check the line named: text goes in double quotes, e.g. name = "Somewhere Council"',
        ) from None  # fmt: skip
    return parse_profile(data, path)


def escape_words(text: str) -> str:
    """Profile words as literal Markdown text (no markup, links or emphasis); paragraphs
    separated by a blank line stay paragraphs."""
    from sendreport.sanitise import escape_markdown

    paragraphs = [p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "\n\n".join(escape_markdown(p.strip()) for p in paragraphs)
