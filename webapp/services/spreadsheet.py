"""Cells of the CSV and Excel files we write: text that a spreadsheet would run as a formula is defused.

A school or kommune called `=HYPERLINK(…)` must reach the reader as text. Following OWASP's advice on
CSV injection, text that starts with = + - @, a tab or a carriage return gets a leading single quote.
Numbers are left alone, also as text ("-12.5"), so that a negative figure stays a number.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def safe_cell(value: Any) -> Any:
    """Return the value to write into a cell: numbers as they are, formula-like text quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]
