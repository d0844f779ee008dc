"""Dates read one way on every page: «07.12.2026», never ISO, never a long form."""
from __future__ import annotations

import re
from datetime import date, datetime

from webapp.config import PROJECT_ROOT
from webapp.domain.dates import shown_day


def test_a_day_and_a_moment_read_as_day_month_year():
    assert shown_day(date(2026, 12, 7)) == "07.12.2026"
    assert shown_day(datetime(2026, 3, 1, 23, 59)) == "01.03.2026"
    assert shown_day(None) == ""


def test_no_template_writes_a_date_its_own_way():
    """Every template shows a date through the `day` filter, so no page has ISO dates or another form."""
    own_ways = re.compile(r"\.isoformat\(\)|strftime\(|format_date\(|format_datetime\(")
    offenders = [str(path.relative_to(PROJECT_ROOT))
                 for path in (PROJECT_ROOT / "webapp" / "templates").rglob("*.html")
                 if own_ways.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
