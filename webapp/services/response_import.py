"""Import responses from CSV as if they had been submitted: validated, skip rules enforced, all or none."""
from __future__ import annotations

import logging
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.answers import validate_response
from webapp.domain.questionnaire import Item, Questionnaire
from webapp.models import Round, RoundSchool, School
from webapp.services import surveys
from webapp.services.answering import store_response
from webapp.services.csv_import import CsvRow, ImportFailed, ImportProblem, read_rows
from webapp.services.messages import answer_error_message

log = logging.getLogger(__name__)


def import_responses(session: Session, found: Round, text: str) -> int:
    """Store every row as a response, or nothing (raises ImportFailed naming line and column)."""
    questionnaire = surveys.questionnaire_of(session, found.survey_version_id)
    schools = dict(session.execute(select(School.code, School.id).join(RoundSchool, RoundSchool.school_id == School.id)
                                   .where(RoundSchool.round_id == found.id)).all())
    optional = [key for key in questionnaire.items]
    accepted: list[tuple[int, dict[str, Any]]] = []
    problems: list[ImportProblem] = []
    for row in read_rows(text, ["school_code"], optional):
        if row.unreadable:
            problems.extend(row.unreadable)
            continue
        school_id = schools.get(row.values["school_code"])
        if school_id is None:
            problems.append(row.problem("school_code", _("the school %(code)s is not part of the round «%(name)s»",
                                                        code=row.values["school_code"], name=found.name)))
        answers, row_problems = _answers(questionnaire, row)
        problems.extend(row_problems)
        if school_id is not None and not row_problems:
            accepted.append((school_id, answers))
    if problems:
        raise ImportFailed(problems)
    if not accepted:
        raise ImportFailed([ImportProblem(2, None, None, _("the file has no responses"))])
    for school_id, answers in accepted:
        store_response(session, questionnaire, found.id, school_id, answers)
    session.flush()
    log.info("imported %d responses into round %s", len(accepted), found.id)
    return len(accepted)


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
        column = error.key if error.key in row.header else ("b_samtykke" if "b_samtykke" in row.header else "school_code")
        message = answer_error_message(error, questionnaire.items.get(error.key))
        problems.append(row.problem(column, message))
    return answers, problems


def _value(item: Item, cell: str) -> Any:
    if item.type == "multi":
        return [part.strip() for part in cell.split("|") if part.strip()]
    if item.type == "integer":
        return int(cell)
    return cell
