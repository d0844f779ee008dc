"""Reading XLSX imports like CSV ones: the first sheet's first row is the header, then one row per line.

Cells become the text a CSV would hold: a date is its ISO date, a whole number has no «.0», a formula
gives the value Excel saved with it. The rows come back as CsvRow, so an import checks both the same way.
"""
from __future__ import annotations

import zipfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import IO, Any

from flask_babel import gettext as _
from openpyxl import load_workbook

from webapp.domain.inputs import control_character
from webapp.services.csv_import import CsvRow, ImportFailed, ImportProblem, header_problems


def read_xlsx_rows(source: IO[bytes], required: Sequence[str],
                   optional: Sequence[str] = ()) -> Iterator[CsvRow]:
    """Yield the data rows of the workbook's first sheet; raise ImportFailed when it cannot be read or
    its header is wrong."""
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        raise ImportFailed([ImportProblem(1, None, None, _(
            "the file cannot be read as an Excel workbook (.xlsx)"))]) from None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        first = next(rows, None)
        if first is None or not any(cell_text(c) for c in first):
            raise ImportFailed([ImportProblem(1, None, None, _("the file is empty"))])
        header = tuple(cell_text(c) for c in _trimmed(first))
        problems = header_problems(header, required, optional)
        if problems:
            raise ImportFailed(problems)
        for line, cells in enumerate(rows, start=2):
            texts = [cell_text(c) for c in cells]
            if any(texts):
                yield _row(line, header, texts)
    finally:
        workbook.close()


def cell_text(value: Any) -> str:
    """The text a CSV cell would hold for this spreadsheet value."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _trimmed(cells: Sequence[Any]) -> Sequence[Any]:
    """The cells without the empty ones at the end (a sheet's rows are as wide as its widest)."""
    end = len(cells)
    while end and cell_text(cells[end - 1]) == "":
        end -= 1
    return cells[:end]


def _row(line: int, header: tuple[str, ...], texts: list[str]) -> CsvRow:
    if any(texts[len(header):]):
        return CsvRow(line, {}, header, (ImportProblem(line, None, None, _(
            "expected %(expected)d columns, found %(found)s", expected=len(header),
            found=len(_trimmed(texts)))),))
    texts = (texts + [""] * len(header))[:len(header)]
    row = CsvRow(line, dict(zip(header, texts)), header)
    controls = [row.control_problem(name, found) for name, text in row.values.items()
                if (found := control_character(text, lines=True))]
    return CsvRow(line, row.values, header, tuple(controls)) if controls else row
