"""Numbers on pages in the reader's locale: «64,9» and «1 234» in bokmål and nynorsk, «64.9» in English.

Downloads for people write their numbers with services.spreadsheet (the same decimal comma); the
command line and the JSON API keep the dot.
"""
from __future__ import annotations

from numbers import Number
from typing import Any

from flask_babel import format_decimal

PATTERNS = {0: "#,##0", 1: "#,##0.0", 2: "#,##0.00"}


def number(value: Any, digits: int | None = None) -> Any:
    """A number formatted for the page's locale (`digits` fixes the decimals); anything else as it is."""
    if isinstance(value, bool) or not isinstance(value, Number):
        return value
    if digits is None:
        return format_decimal(value)
    return format_decimal(round(value, digits), format=PATTERNS[digits])
