"""`import-responses` streams its file and stores each row exactly as a submitted questionnaire is stored."""
from __future__ import annotations

import csv
import random

from sqlalchemy import select

from webapp.domain.answers import validate_response
from webapp.domain.simulate import simulate_answers
from webapp.models import Answer, OutboxEvent, Response, School
from webapp.services import surveys
from webapp.services.answering import store_response
from webapp.services.csv_import import open_csv
from webapp.services.response_import import import_responses
from webapp.services.rounds import get_round


def test_an_imported_row_is_stored_as_a_submit_stores_it(app, open_round, db_session, tmp_path):
    # Given one respondent's answers (multi-selects, an integer, and free text over two lines with a
    # comma, a tab, quotes and backslashes, which PostgreSQL's COPY must escape)
    found = get_round(db_session, open_round)
    questionnaire = surveys.questionnaire_of(db_session, found.survey_version_id)
    answers = next(a for seed in range(100) if "b_stillingsprosent" in (
        a := simulate_answers(questionnaire, random.Random(seed), skip_rate=0)))
    answers["fritekst"] = 'Mer kurs,\tog «veiledning» "i arbeidstiden"\nC:\\kurs\\ \\N'
    answers, errors = validate_response(questionnaire, answers)
    assert not errors and "b_stillingsprosent" in answers
    assert any(isinstance(v, list) for v in answers.values())
    school_id = db_session.scalar(select(School.id).filter_by(code="S2"))

    # When they are submitted once, and imported once from a file read as a stream
    store_response(db_session, questionnaire, found.id, school_id, answers)
    path = tmp_path / "answers.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["school_code", *answers])
        writer.writerow(["S2", *("|".join(v) if isinstance(v, list) else v for v in answers.values())])
    with open_csv(path) as lines:
        assert import_responses(db_session, found, lines) == 1
    db_session.flush()

    # Then both are stored alike: the response's columns, its answer rows and an outbox event
    def stored(response: Response) -> tuple:
        rows = db_session.execute(select(Answer.item_key, Answer.position, Answer.value)
                                  .where(Answer.response_id == response.id)).all()
        return (response.round_id, response.school_id, response.stored_on, response.yrkesgruppe,
                response.skoleslag, response.ufaglaert, response.b_trinn, response.vector, sorted(rows))

    submitted, imported = db_session.scalars(select(Response)).all()
    assert submitted.id != imported.id and len(imported.id) == 32
    assert stored(imported) == stored(submitted)
    events = db_session.scalars(select(OutboxEvent)).all()
    assert [(e.topic, e.payload, e.attempts) for e in events] == [
        ("response.stored", {"round_id": found.id, "school_id": school_id}, 0)] * 2
