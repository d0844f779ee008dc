"""The organisation: import fylker, kommuner and schools from CSV."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.models import Fylke, Kommune, School
from webapp.models.org import SKOLESLAG
from webapp.services.csv_import import CsvRow, ImportFailed, ImportProblem, read_rows, width_problem

log = logging.getLogger(__name__)
ORG_COLUMNS = ("kommune", "fylke", "school_code", "school_name", "skoleslag")


@dataclass(frozen=True)
class OrgImportResult:
    created: int
    updated: int


def import_org(session: Session, text: str) -> OrgImportResult:
    """Create or update every school of the CSV, or nothing at all (raises ImportFailed)."""
    rows, problems, seen = [], [], {}
    for row in read_rows(text, ORG_COLUMNS):
        row_problems = _check_row(row, seen)
        problems.extend(row_problems)
        if not row_problems:
            rows.append(row.values)
    if problems:
        raise ImportFailed(problems)
    if not rows:
        raise ImportFailed([ImportProblem(2, None, None, _("the file has no schools"))])
    created = updated = 0
    for values in rows:
        kommune = _kommune(session, values["fylke"], values["kommune"])
        school = session.scalar(select(School).filter_by(code=values["school_code"]))
        if school is None:
            school = School(code=values["school_code"])
            session.add(school)
            created += 1
        else:
            updated += 1
        school.name, school.skoleslag, school.kommune = values["school_name"], values["skoleslag"], kommune
    session.flush()
    log.info("organisation import: %d schools created, %d updated", created, updated)
    return OrgImportResult(created, updated)


def _check_row(row: CsvRow, seen: dict[str, int]) -> list[ImportProblem]:
    width = width_problem(row)
    if width is not None:
        return [width]
    problems = [row.problem(c, _("must not be empty")) for c in ORG_COLUMNS if not row.values[c]]
    if row.values["skoleslag"] and row.values["skoleslag"] not in SKOLESLAG:
        problems.append(row.problem("skoleslag", _(
            "«%(value)s» is not a school type; use grunnskole or vgs", value=row.values["skoleslag"])))
    code = row.values["school_code"]
    if len(code) > 40:
        problems.append(row.problem("school_code", _("at most 40 characters")))
    if code in seen:
        problems.append(row.problem("school_code", _(
            "the school code %(code)s is also on line %(other)d", code=code, other=seen[code])))
    elif code:
        seen[code] = row.line
    return problems


def _kommune(session: Session, fylke_name: str, kommune_name: str) -> Kommune:
    fylke = session.scalar(select(Fylke).filter_by(name=fylke_name))
    if fylke is None:
        fylke = Fylke(name=fylke_name)
        session.add(fylke)
        session.flush()
    kommune = session.scalar(select(Kommune).filter_by(fylke_id=fylke.id, name=kommune_name))
    if kommune is None:
        kommune = Kommune(name=kommune_name, fylke=fylke)
        session.add(kommune)
        session.flush()
    return kommune
