"""The organisation: import fylker, kommuner and schools from CSV.

A kommune is identified by its kommunenummer when the file has one (optional column
`kommunenummer`), otherwise by its fylke and name: names repeat across fylker (Herøy).
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.models import Fylke, Kommune, School
from webapp.models.org import SKOLESLAG
from webapp.services.csv_import import CsvRow, ImportFailed, ImportProblem, read_rows
from webapp.services.kommuner import describe

log = logging.getLogger(__name__)
ORG_COLUMNS = ("kommune", "fylke", "school_code", "school_name", "skoleslag")
OPTIONAL_COLUMNS = ("kommunenummer",)
KOMMUNENUMMER = re.compile(r"[0-9]{4}")  # ASCII digits: \d would take ١٨١٨ too
# The database column each value goes to: longer values are refused with their line and column.
STORED_IN = {"kommune": Kommune.name, "fylke": Fylke.name, "school_code": School.code,
             "school_name": School.name}


@dataclass(frozen=True)
class OrgImportResult:
    created: int
    updated: int


@dataclass
class _Seen:
    """What earlier lines of the file said: school codes, and kommunenummer ↔ (fylke, kommune)."""

    codes: dict[str, int] = field(default_factory=dict)
    numbers: dict[str, tuple[tuple[str, str], int]] = field(default_factory=dict)
    kommuner: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)


def import_org(session: Session, source: str | Iterable[str]) -> OrgImportResult:
    """Create or update every school of the CSV text or lines, or raise ImportFailed (caller rolls back)."""
    rows, problems, seen = [], [], _Seen()
    for row in read_rows(source, ORG_COLUMNS, OPTIONAL_COLUMNS):
        row_problems = _check_row(row, seen)
        problems.extend(row_problems)
        if not row_problems:
            rows.append(row)
    if problems:
        raise ImportFailed(problems)
    if not rows:
        raise ImportFailed([ImportProblem(2, None, None, _("the file has no schools"))])
    created = updated = 0
    for row in rows:
        values = row.values
        number = seen.kommuner.get((values["fylke"], values["kommune"]), (None, 0))[0]
        kommune = _kommune(session, row, number, problems)
        school = session.scalar(select(School).filter_by(code=values["school_code"]))
        if school is None:
            school = School(code=values["school_code"])
            session.add(school)
            created += 1
        else:
            updated += 1
        school.name, school.skoleslag, school.kommune = values["school_name"], values["skoleslag"], kommune
    if problems:
        raise ImportFailed(problems)
    session.flush()
    log.info("organisation import: %d schools created, %d updated", created, updated)
    return OrgImportResult(created, updated)


def _check_row(row: CsvRow, seen: _Seen) -> list[ImportProblem]:
    if row.unreadable:
        return list(row.unreadable)
    problems = [row.problem(c, _("must not be empty")) for c in ORG_COLUMNS if not row.values[c]]
    if row.values["skoleslag"] and row.values["skoleslag"] not in SKOLESLAG:
        problems.append(row.problem("skoleslag", _(
            "«%(value)s» is not a school type; use grunnskole or vgs", value=row.values["skoleslag"])))
    problems.extend(p for c, stored in STORED_IN.items() if (p := row.too_long(c, stored.type.length)))
    problems.extend(p for c in row.header if (p := row.not_one_line(c)))
    code = row.values["school_code"]
    if code in seen.codes:
        problems.append(row.problem("school_code", _(
            "the school code %(code)s is also on line %(other)d", code=code, other=seen.codes[code])))
    elif code:
        seen.codes[code] = row.line
    if row.values.get("kommunenummer"):
        problems.extend(_check_number(row, seen))
    return problems


def _check_number(row: CsvRow, seen: _Seen) -> list[ImportProblem]:
    """The number is four digits, and names the same kommune on every line of the file."""
    number, kommune = row.values["kommunenummer"], (row.values["fylke"], row.values["kommune"])
    if not KOMMUNENUMMER.fullmatch(number):
        return [row.problem("kommunenummer", _(
            "«%(value)s» is not a kommunenummer; use its four digits, e.g. 1818", value=number))]
    if number in seen.numbers and seen.numbers[number][0] != kommune:
        (fylke, name), line = seen.numbers[number]
        return [row.problem("kommunenummer", _(
            "the kommunenummer %(number)s is %(name)s (%(fylke)s) on line %(line)d",
            number=number, name=name, fylke=fylke, line=line))]
    if kommune in seen.kommuner and seen.kommuner[kommune][0] != number:
        other, line = seen.kommuner[kommune]
        return [row.problem("kommunenummer", _(
            "%(name)s (%(fylke)s) has the kommunenummer %(other)s on line %(line)d",
            name=kommune[1], fylke=kommune[0], other=other, line=line))]
    seen.numbers.setdefault(number, (kommune, row.line))
    seen.kommuner.setdefault(kommune, (number, row.line))
    return []


def _kommune(session: Session, row: CsvRow, number: str | None, problems: list[ImportProblem]) -> Kommune:
    """Find or create the row's kommune; a number already stored for another kommune is a problem."""
    fylke_name, kommune_name = row.values["fylke"], row.values["kommune"]
    fylke = session.scalar(select(Fylke).filter_by(name=fylke_name))
    if fylke is None:
        fylke = Fylke(name=fylke_name)
        session.add(fylke)
        session.flush()
    kommune = session.scalar(select(Kommune).filter_by(fylke_id=fylke.id, name=kommune_name))
    numbered = session.scalar(select(Kommune).filter_by(number=number)) if number else None
    if numbered is not None and numbered is not kommune:
        problems.append(row.problem("kommunenummer", _(
            "the kommunenummer %(number)s already belongs to %(kommune)s", number=number,
            kommune=describe(numbered))))
    elif kommune is not None and number and kommune.number not in (None, number):
        problems.append(row.problem("kommunenummer", _(
            "%(kommune)s already has another kommunenummer", kommune=describe(kommune))))
    if kommune is None:
        kommune = Kommune(name=kommune_name, fylke=fylke)
        session.add(kommune)
    if number and not problems:
        kommune.number = number
    session.flush()
    return kommune
