"""Statistical neighbours from the DfE LAIT workbook (``sn_may_2025.xlsx``).

The sheet "LA SN Groups" has two rows of column letters/numbers, then a header row
(``LA num, LA Name, LA number, GOInd, GOReg, SN1, SNP, SN2, SNP, … SN10, SNP``) and one row per
LA. ``SNn`` is the DfE number of the n-th closest neighbour and the ``SNP`` after it says how
close ("Very close" …). Pre-2019/2021/2023 authorities appear as well ("Dorset (Pre LG)",
Northamptonshire, Cumbria); they are returned too, so older data can still be compared.

The package carries the same lists for current LAs in
``sendreport/reference/statistical_neighbours.csv``; a test keeps the two in step.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from sendreport.exceptions import InputFileError, ReleaseNotRecognised

__all__ = ["load_statistical_neighbours"]

_NEIGHBOUR_COLUMNS = tuple(f"sn{n}" for n in range(1, 11))


def _code(value: object) -> str | None:
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    return text[:-2] if text.endswith(".0") else text


def load_statistical_neighbours(path: Path) -> dict[str, list[str]]:
    """``{la_code: [10 neighbour la_codes, closest first]}`` from the LAIT workbook."""
    from openpyxl import load_workbook  # imported here: only this loader needs it

    path = Path(path).expanduser()
    if not path.is_file():
        raise InputFileError(
            f"statistical neighbours workbook not found: {path}",
            path=str(path),
            hint="download the statistical neighbours workbook from the DfE Local Authority "
            "Interactive Tool (LAIT)",
        )
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as err:
        raise InputFileError(
            f"cannot open {path.name} as an Excel workbook: {err}", path=str(path)
        ) from None
    try:
        sheet = book["LA SN Groups"] if "LA SN Groups" in book.sheetnames else book.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
    finally:
        book.close()

    header_at = None
    for i, row in enumerate(rows[:10]):
        names = [str(c).strip().lower() if c is not None else "" for c in row]
        if "la num" in names and "sn1" in names:
            header_at, header = i, names
            break
    if header_at is None:
        found = [str(c) for c in (rows[2] if len(rows) > 2 else rows[0] if rows else ())]
        raise ReleaseNotRecognised(str(path), ["LA num", "LA Name", "SN1", "…", "SN10"], found)
    missing = [c.upper() for c in _NEIGHBOUR_COLUMNS if c not in header]
    if missing:
        raise ReleaseNotRecognised(str(path), missing, [str(c) for c in rows[header_at]])
    code_at = header.index("la num")
    positions = [header.index(c) for c in _NEIGHBOUR_COLUMNS]

    neighbours: dict[str, list[str]] = {}
    for row in rows[header_at + 1 :]:
        code = _code(row[code_at]) if len(row) > code_at else None
        if code is None:
            continue
        found_codes = [_code(row[p]) for p in positions]
        neighbours[code] = [c for c in found_codes if c is not None]
    if not neighbours:
        raise InputFileError(f"{path.name} lists no local authorities", path=str(path))
    return neighbours
