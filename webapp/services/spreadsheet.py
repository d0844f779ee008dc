"""Cells of the CSV and Excel files we write, and the one CSV dialect for people.

Formula injection: a school or kommune called `=HYPERLINK(…)` must reach the reader as text. Following
OWASP's advice on CSV injection, text that starts with = + - @, a tab or a carriage return gets a leading
single quote. Numbers are left alone, also as text ("-12.5"), so that a negative figure stays a number.

The dialect for people (`people_csv`) is what Excel set to Norwegian opens as a table: semicolons between
cells, UTF-8 with a byte order mark, and a decimal comma on bokmål and nynorsk pages (a point on English
ones). Machines (the CLI, the JSON API) keep the plain format: commas, points, no byte order mark.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from numbers import Real
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
BOM = "\ufeff"
DELIMITER = ";"
DECIMAL_COMMA = ("nb", "nn")  # the languages whose readers write 66,7


def safe_cell(value: Any) -> Any:
    """Return the value to write into a cell: numbers as they are, formula-like text quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


def decimal_text(value: float | int, locale: str, digits: int | None = None) -> str:
    """A number as its reader writes it: «66,7» in bokmål and nynorsk, «66.7» in English."""
    text = str(value) if digits is None else f"{value:.{digits}f}"
    return text.replace(".", ",") if locale in DECIMAL_COMMA else text


def _people_cell(value: Any, locale: str) -> Any:
    if isinstance(value, Real) and not isinstance(value, bool):
        return decimal_text(value, locale)
    return value


def people_csv(rows: Iterable[Sequence[Any]], locale: str) -> bytes:
    """The rows as a CSV for people (see above): every cell defused, numbers in the reader's way."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_people_cell(cell, locale) for cell in safe_row(row)])
    return (BOM + out.getvalue()).encode("utf-8")
