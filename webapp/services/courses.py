"""The course catalogue: import from CSV or XLSX (all or nothing), add, edit, retire, and read for matching.

Every way in goes through webapp.domain.courses.parse_course, so the import, the admin form and the demo
catalogue refuse the same things with the same words. A re-import updates a course by its code and
leaves whether it is retired as it was: retiring is the administrator's decision, not the file's.
"""
from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import IO

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.domain.courses import (
    ONGOING, OPTIONAL_COLUMNS, REQUIRED_COLUMNS, Course, CourseProblem, parse_course, parse_rows,
)
from webapp.domain.vocabulary import Vocabulary
from webapp.models import Course as CourseRow
from webapp.services.course_messages import problem_message
from webapp.services.csv_import import CsvRow, ImportFailed, ImportProblem, read_rows
from webapp.services.xlsx_import import read_xlsx_rows

log = logging.getLogger(__name__)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# The Course fields a stored row holds, set from a parsed course on import and on save.
_STORED = tuple(f.name for f in fields(Course) if f.name not in ("code", "active"))


@dataclass(frozen=True)
class CourseImportResult:
    created: int
    updated: int


class CourseInvalid(Exception):
    """The values cannot be stored; `problems` maps each column to what is wrong with it."""

    def __init__(self, problems: Mapping[str, list[str]]):
        super().__init__("; ".join(f"{c}: {m}" for c, ms in problems.items() for m in ms))
        self.problems = dict(problems)


def active_courses(session: Session) -> list[Course]:
    """Every course that is not retired, ordered by code: what matching ranks."""
    rows = session.scalars(select(CourseRow).where(CourseRow.active.is_(True)).order_by(CourseRow.code))
    return [to_course(row) for row in rows]


def all_courses(session: Session) -> list[CourseRow]:
    """The whole catalogue, retired courses included, ordered by code."""
    return list(session.scalars(select(CourseRow).order_by(CourseRow.code)))


def example_count(session: Session) -> int:
    """How many courses of the catalogue come from the demo catalogue."""
    return session.scalar(select(func.count()).select_from(CourseRow).where(CourseRow.example.is_(True))) or 0


def to_course(row: CourseRow) -> Course:
    return Course(
        code=row.code, title=row.title, provider=row.provider, description=row.description,
        areas=tuple(row.areas), yrkesgrupper=tuple(row.yrkesgrupper), format=row.format, hours=row.hours,
        credits=row.credits, fee_nok=row.fee_nok, seats=row.seats, substitute_hours=row.substitute_hours,
        start=row.start, place=row.place, url=row.url, funding_share=row.funding_share, funder=row.funder,
        active=row.active)


def course_values(course: Course) -> dict[str, str]:
    """A course as the texts of an import row (what the CSV would say, and what the admin form shows)."""
    return {
        "code": course.code, "title": course.title, "provider": course.provider,
        "areas": "|".join(course.areas), "yrkesgrupper": "|".join(course.yrkesgrupper),
        "format": course.format,
        "hours": _number(course.hours), "credits": _number(course.credits), "fee_nok": str(course.fee_nok),
        "seats": "" if course.seats is None else str(course.seats),
        "substitute_hours": _number(course.substitute_hours),
        "start": course.start.isoformat() if course.start else ONGOING, "place": course.place,
        "url": course.url,
        "funding_share": _number(course.funding_share) if course.funding_share else "",
        "funder": course.funder or "", "description": course.description}


def _number(value: float) -> str:
    return f"{value:g}"


def read_course_file(source: IO[bytes], filename: str) -> Iterator[CsvRow]:
    """The rows of an uploaded or named file: .xlsx as a workbook, anything else as CSV text."""
    if filename.lower().endswith(".xlsx"):
        return read_xlsx_rows(source, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
    lines = io.TextIOWrapper(source, encoding="utf-8-sig", errors="surrogateescape", newline="")
    return read_rows(lines, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)


def import_course_file(session: Session, path: Path, vocabulary: Vocabulary,
                       example: bool = False) -> CourseImportResult:
    """Import the courses of a CSV or XLSX file (by its extension), or raise ImportFailed."""
    with path.open("rb") as source:
        return import_courses(session, read_course_file(source, path.name), vocabulary, example)


def import_courses(session: Session, rows: Iterable[CsvRow], vocabulary: Vocabulary,
                   example: bool = False) -> CourseImportResult:
    """Create or update a course per row, or raise ImportFailed naming every problem (nothing is written).

    `example` marks the courses as the demo catalogue's; any other import clears the mark."""
    readable: dict[int, CsvRow] = {}
    problems: list[ImportProblem] = []
    for row in rows:
        if row.unreadable:
            problems.extend(row.unreadable)
        else:
            readable[row.line] = row
    parsed = parse_rows(((line, row.values) for line, row in readable.items()), vocabulary)
    for result in parsed:
        problems.extend(_import_problem(readable[result.line], p) for p in result.problems)
    if problems:
        raise ImportFailed(sorted(problems, key=lambda p: (p.line, p.column or 0)))
    if not parsed:
        raise ImportFailed([ImportProblem(2, None, None, _("the file has no courses"))])
    courses = [result.course for result in parsed if result.course is not None]
    stored = {row.code: row for row in session.scalars(
        select(CourseRow).where(CourseRow.code.in_([c.code for c in courses])))}
    for course in courses:
        row = stored.get(course.code)
        if row is None:
            row = CourseRow(code=course.code, active=True)
            session.add(row)
        _store(row, course)
        row.example = example
    session.flush()
    catalogue_changed(session)
    result = CourseImportResult(created=len(courses) - len(stored), updated=len(stored))
    log.info("course import: %d courses created, %d updated", result.created, result.updated)
    return result


def _import_problem(row: CsvRow, problem: CourseProblem) -> ImportProblem:
    message = problem_message(problem)
    if problem.column in row.header:
        return row.problem(problem.column, message)
    # An optional column the file does not have (a funding_share needs a `funder` column too).
    return ImportProblem(row.line, None, None, f"{problem.column}: {message}")


def _store(row: CourseRow, course: Course) -> None:
    for name in _STORED:
        setattr(row, name, getattr(course, name))
    row.areas, row.yrkesgrupper = list(course.areas), list(course.yrkesgrupper)


def save_course(session: Session, values: Mapping[str, str], vocabulary: Vocabulary,
                course_id: int | None = None) -> CourseRow:
    """Add a course (`course_id` None) or change one from the admin form's texts; raise CourseInvalid."""
    row = session.get(CourseRow, course_id) if course_id is not None else None
    if course_id is not None and row is None:
        raise LookupError(course_id)
    if row is not None:
        values = {**values, "code": row.code}  # the code names the course and does not change
    course, problems = parse_course(values, vocabulary)
    if row is None and course is not None and session.scalar(
            select(CourseRow.id).where(CourseRow.code == course.code)) is not None:
        problems = [CourseProblem("code", "code_taken", {"code": course.code})]
    if problems or course is None:
        found: dict[str, list[str]] = {}
        for problem in problems:
            found.setdefault(problem.column, []).append(problem_message(problem))
        raise CourseInvalid(found)
    if row is None:
        row = CourseRow(code=course.code, active=True, example=False)
        session.add(row)
    _store(row, course)
    session.flush()
    catalogue_changed(session)
    return row


def set_active(session: Session, course_id: int, active: bool) -> CourseRow:
    """Retire a course (matching skips it; it stays in the catalogue) or bring it back."""
    row = session.get(CourseRow, course_id)
    if row is None:
        raise LookupError(course_id)
    row.active = active
    session.flush()
    catalogue_changed(session)
    return row


def catalogue_changed(session: Session) -> None:
    """Ask (through the outbox, in the caller's transaction) for every round's matches to be ranked
    again: the worker finds that the catalogue's digest changed and ranks every unit."""
    from webapp.models import Round
    from webapp.services import outbox

    for round_id in session.scalars(select(Round.id).where(Round.status.in_(("open", "closed")))):
        outbox.add_event(session, outbox.MATCHING_DUE, {"round_id": round_id})
