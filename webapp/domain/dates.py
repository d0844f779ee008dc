"""Dates as people read them: one way on every page, download header and message."""
from __future__ import annotations

from datetime import date

DAY_FORMAT = "%d.%m.%Y"


def shown_day(value: date | None) -> str:
    """Return a date (or the day of a datetime) as «07.12.2026»; an empty string for none.

    The same in bokmål, nynorsk and English, so that a date reads the same everywhere. Machine formats
    (JSON, the command line, file names) keep ISO 8601.
    """
    return value.strftime(DAY_FORMAT) if value is not None else ""
