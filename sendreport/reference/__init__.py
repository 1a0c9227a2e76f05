"""Small reference tables typed into the package: local authorities and statistical neighbours.

The tables are CSV files beside this module, each naming its source in a header comment:

- ``local_authorities.csv``: every current English LA in the DfE files (3-digit DfE number,
  name, ONS code, region code and name), from the DfE EHC plans 2025 release.
- ``former_local_authorities.csv``: LAs abolished or merged since 2019 (Cumbria,
  Northamptonshire, Bournemouth, Poole, pre-2019 Dorset), so older files still join.
- ``statistical_neighbours.csv``: each LA's ten statistical neighbours in rank order, from the
  DfE LAIT statistical neighbour workbook of May 2025.

The accessors use the standard library only (no pandas) because the CLI calls them to reject an
unknown LA before anything heavy is imported. Codes may be given as ``"919"``, ``919`` or
``" 919 "``; unknown codes raise :class:`UnknownLocalAuthority` naming close matches.
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sendreport.exceptions import ParameterError

HERE = Path(__file__).resolve().parent
LOCAL_AUTHORITIES_CSV = HERE / "local_authorities.csv"
FORMER_LOCAL_AUTHORITIES_CSV = HERE / "former_local_authorities.csv"
STATISTICAL_NEIGHBOURS_CSV = HERE / "statistical_neighbours.csv"

__all__ = [
    "LocalAuthority",
    "UnknownLocalAuthority",
    "all_la_codes",
    "find_la_by_name",
    "is_known_la",
    "la_name",
    "local_authority",
    "normalise_la_name",
    "ons_code",
    "region_code",
    "region_of",
    "statistical_neighbours",
]


class UnknownLocalAuthority(ParameterError):
    """An LA code that is not a current English local authority."""

    def __init__(self, code: object) -> None:
        text = str(code).strip()
        close = difflib.get_close_matches(text, all_la_codes(), n=3, cutoff=0.6)
        hint = f"did you mean {' or '.join(close)}?" if close else None
        super().__init__(
            f"unknown local authority code {text!r}",
            accepted="a 3-digit DfE local authority number, e.g. 919 (Hertfordshire)",
            parameter="la",
            hint=hint,
        )
        self.code = text


@dataclass(frozen=True)
class LocalAuthority:
    la_code: str
    la_name: str
    ons_code: str
    region_code: str
    region_name: str
    current: bool = True


def _read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a reference CSV, skipping its ``#`` source comments."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines))


def _read_authorities(path: Path, *, current: bool) -> dict[str, LocalAuthority]:
    return {
        row["la_code"]: LocalAuthority(
            row["la_code"],
            row["la_name"],
            row["ons_code"],
            row["region_code"],
            row["region_name"],
            current=current,
        )
        for row in _read_rows(path)
    }


@cache
def _authorities() -> dict[str, LocalAuthority]:
    return _read_authorities(LOCAL_AUTHORITIES_CSV, current=True)


@cache
def _former_authorities() -> dict[str, LocalAuthority]:
    return _read_authorities(FORMER_LOCAL_AUTHORITIES_CSV, current=False)


@cache
def _neighbours() -> dict[str, tuple[str, ...]]:
    ranked: dict[str, list[tuple[int, str]]] = {}
    for row in _read_rows(STATISTICAL_NEIGHBOURS_CSV):
        ranked.setdefault(row["la_code"], []).append((int(row["rank"]), row["neighbour_la_code"]))
    return {code: tuple(n for _, n in sorted(pairs)) for code, pairs in ranked.items()}


def _key(code: object) -> str:
    text = str(code).strip()
    # Spreadsheets often hand over 919.0; accept it rather than reject a real LA.
    return text[:-2] if text.endswith(".0") else text


def local_authority(code: object) -> LocalAuthority:
    """The current LA with DfE number ``code``; raises :class:`UnknownLocalAuthority`."""
    try:
        return _authorities()[_key(code)]
    except KeyError:
        raise UnknownLocalAuthority(code) from None


def is_known_la(code: object) -> bool:
    """True when ``code`` is the DfE number of a current English LA."""
    return _key(code) in _authorities()


def la_name(code: object) -> str:
    """The LA's name as DfE publishes it (``"Herefordshire, County of"`` for 884)."""
    return local_authority(code).la_name


def la_display_name(code: object) -> str:
    """The name as it reads in a sentence: "Herefordshire", not the register's
    "Herefordshire, County of"; "Bristol", not "Bristol, City of"."""
    name = la_name(code)
    for suffix in (", County of", ", City of"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def ons_code(code: object) -> str:
    """The LA's 9-character ONS code (Hertfordshire 919 → ``E10000015``)."""
    return local_authority(code).ons_code


def region_of(code: object) -> str:
    """The name of the LA's region (``"East of England"`` for 919)."""
    return local_authority(code).region_name


def region_code(code: object) -> str:
    """The ONS code of the LA's region (``"E12000006"`` for 919)."""
    return local_authority(code).region_code


def statistical_neighbours(code: object) -> list[str]:
    """The LA's ten statistical neighbours (DfE numbers), closest first."""
    return list(_neighbours().get(local_authority(code).la_code, ()))


def all_la_codes() -> list[str]:
    """DfE numbers of every current LA, sorted."""
    return sorted(_authorities())


_NAME_NOISE = re.compile(r"\b(city of|county of|county|borough|council|the)\b")


def normalise_la_name(name: str) -> str:
    """A matching key for LA names spelt differently across publications.

    ``"Bristol, City of"``, ``"City of Bristol"`` and ``"Bristol"`` all become ``"bristol"``;
    ``"Bedford Borough"`` becomes ``"bedford"``; ``&`` and ``and`` are the same.
    """
    text = name.lower().replace("&", " and ")
    text = _NAME_NOISE.sub(" ", text)
    return re.sub(r"[^a-z0-9]+", "", text)


@cache
def _by_name() -> dict[str, LocalAuthority]:
    table: dict[str, LocalAuthority] = {}
    for la in _former_authorities().values():
        table[normalise_la_name(la.la_name)] = la
    for la in _authorities().values():  # current LAs win over former ones of the same name
        table[normalise_la_name(la.la_name)] = la
    # The City of London's key would be empty after removing "city of".
    table["cityoflondon"] = table["london"] = _authorities()["201"]
    return table


def find_la_by_name(name: str) -> LocalAuthority | None:
    """The LA (current or former) whose name matches ``name`` loosely, or ``None``."""
    return _by_name().get(normalise_la_name(name))
