"""Import responses from CSV as if they had been submitted: validated, skip rules enforced, all or none.

The file is streamed: each row is validated, and while no row has failed, queued as plain rows for a
bulk insert every 20,000 answers, inside the caller's one transaction. A problem on the last
line still keeps nothing, because the caller then rolls back. What is written per row is exactly what
answering.store_response writes for a submit: the response, its answer rows and an outbox event.
"""
from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from webapp.domain.answers import derive, validate_response
from webapp.domain.codebook import Codebook
from webapp.domain.inputs import whole_number
from webapp.domain.questionnaire import Item, Questionnaire
from webapp.models import Answer, OutboxEvent, Response, Round, RoundSchool, School
from webapp.services import outbox, surveys
from webapp.services.csv_import import CsvRow, ImportFailed, ImportProblem, read_rows
from webapp.services.messages import answer_error_message
from webapp.services.rounds import RoundError, now

log = logging.getLogger(__name__)
CHUNK_ANSWERS = 20_000  # answer rows per bulk INSERT: a few megabytes
ANSWER_COLUMNS = ("response_id", "item_key", "position", "value")  # the order of _BulkWriter's tuples


def import_responses(session: Session, found: Round, source: str | Iterable[str]) -> int:
    """Store every row of the CSV text or lines as a response; raise ImportFailed naming line and
    column (the caller rolls back), or RoundError when the round is closed."""
    _refuse_closed(session, found)
    questionnaire = surveys.questionnaire_of(session, found.survey_version_id)
    schools = dict(session.execute(select(School.code, School.id).join(
        RoundSchool, RoundSchool.school_id == School.id).where(RoundSchool.round_id == found.id)).all())
    writer = _BulkWriter(session, questionnaire, found.id)
    problems: list[ImportProblem] = []
    for row in read_rows(source, ["school_code"], list(questionnaire.items)):
        if row.unreadable:
            problems.extend(row.unreadable)
            continue
        school_id = schools.get(row.values["school_code"])
        if school_id is None:
            problems.append(row.problem("school_code", _(
                "the school %(code)s is not part of the round «%(name)s»", code=row.values["school_code"],
                name=found.name)))
        answers, row_problems = _answers(questionnaire, row)
        problems.extend(row_problems)
        if school_id is not None and not problems:  # after the first problem nothing more is written
            writer.add(school_id, answers)
    if problems:
        raise ImportFailed(problems)
    if not writer.count:
        raise ImportFailed([ImportProblem(2, None, None, _("the file has no responses"))])
    writer.flush()
    _refuse_closed(session, found, lock=True)
    log.info("imported %d responses into round %s", writer.count, found.id)
    return writer.count


def _refuse_closed(session: Session, found: Round, lock: bool = False) -> None:
    """A closed round takes no new responses.

    Checked again at the end with the round's row locked: a round closed while its import was read
    refuses it, and a close that comes later waits for this transaction, so its final figures count it.
    """
    query = select(Round.status).where(Round.id == found.id)
    status = session.scalar(query.with_for_update(read=True)) if lock else found.status
    if status == "closed":
        raise RoundError(_("The round «%(name)s» is closed; it takes no new responses.", name=found.name))


class _BulkWriter:
    """Rows for Response, Answer and OutboxEvent, inserted in chunks (plain rows, no ORM objects)."""

    def __init__(self, session: Session, questionnaire: Questionnaire, round_id: int):
        self.session, self.questionnaire, self.round_id = session, questionnaire, round_id
        self.codebook = Codebook.of(questionnaire)
        self.today = date.today()
        self.responses: list[dict[str, Any]] = []
        self.answers: list[tuple[str, str, int, str]] = []
        self.events: list[dict[str, Any]] = []
        self.count = 0

    def add(self, school_id: int, answers: dict[str, Any]) -> None:
        derived = derive(self.questionnaire, answers)
        response_id = uuid.uuid4().hex
        self.responses.append({
            "id": response_id, "round_id": self.round_id, "school_id": school_id, "stored_on": self.today,
            "yrkesgruppe": derived.get("yrkesgruppe"), "skoleslag": derived.get("skoleslag"),
            "ufaglaert": derived.get("ufaglaert"), "b_trinn": answers.get("b_trinn"),
            "vector": self.codebook.encode(answers)})
        for key, value in answers.items():
            values = value if isinstance(value, list) else [value]
            self.answers.extend((response_id, key, i, str(v)) for i, v in enumerate(values))
        self.events.append({"topic": outbox.RESPONSE_STORED, "payload": {"round_id": self.round_id,
                            "school_id": school_id}, "created_at": now(), "attempts": 0})
        self.count += 1
        if len(self.answers) >= CHUNK_ANSWERS:
            self.flush()

    def flush(self) -> None:
        if self.responses:
            self.session.execute(insert(Response.__table__), self.responses)
            self._insert_answers()
            self.session.execute(insert(OutboxEvent.__table__), self.events)
        for rows in (self.responses, self.answers, self.events):
            rows.clear()

    def _insert_answers(self) -> None:
        """The answer rows, about 90 per full response, as tuples straight to the driver.

        PostgreSQL gets them through COPY, SQLite through executemany (the two dialects we run on);
        going through SQLAlchemy's parameter handling cost three times the client CPU on PostgreSQL.
        """
        table, columns = Answer.__tablename__, ", ".join(ANSWER_COLUMNS)
        connection = self.session.connection()
        if connection.dialect.name != "postgresql":
            connection.exec_driver_sql(f"INSERT INTO {table} ({columns}) VALUES (?, ?, ?, ?)", self.answers)
            return
        with connection.connection.cursor() as cursor:
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in self.answers:
                    copy.write_row(row)


def _answers(questionnaire: Questionnaire, row: CsvRow) -> tuple[dict[str, Any], list[ImportProblem]]:
    raw, problems = {}, []
    for key, cell in row.values.items():
        if key == "school_code" or cell == "":
            continue
        item = questionnaire.items[key]
        try:
            raw[key] = _value(item, cell)
        except ValueError:
            problems.append(row.problem(key, _("«%(value)s» is not a whole number", value=cell)))
    if problems:
        return {}, problems
    answers, errors = validate_response(questionnaire, raw, strict=True)
    for error in errors:
        column = (error.key if error.key in row.header
                  else "b_samtykke" if "b_samtykke" in row.header else "school_code")
        message = answer_error_message(error, questionnaire.items.get(error.key))
        problems.append(row.problem(column, message))
    return answers, problems


def _value(item: Item, cell: str) -> Any:
    if item.type == "multi":
        return [part.strip() for part in cell.split("|") if part.strip()]
    if item.type == "integer":
        number = whole_number(cell)  # the answering page's rule: ASCII digits, not ² or ٣
        if number is None:
            raise ValueError(cell)
        return number
    return cell
