"""A closed round takes no new data: no invitations, no imported responses."""
from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.domain.simulate import simulate_answers
from webapp.extensions import db
from webapp.models import Aggregate, Invitation, OutboxEvent, Response
from webapp.services import aggregates, answering, publication, rounds
from webapp.services.response_import import import_responses

ANSWERS = "school_code,b_samtykke,b_elevrettet,b_rolle,utnytte\nS1,ja,ja,bua,4\nS2,ja,ja,skoleassistent,3\n"


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_a_closed_round_refuses_invitations_and_imported_responses(laget, open_round, tmp_path, db_session):
    answers = tmp_path / "answers.csv"
    answers.write_text(ANSWERS, encoding="utf-8")
    assert laget("round", "close", open_round).exit_code == 0

    invited = laget("invite", "--round", open_round, "--school", "S1", "--count", "2")
    assert invited.exit_code == 1
    assert "Runden «Høst 2026» er avsluttet og tar ikke imot nye invitasjoner." in invited.output
    imported = laget("import-responses", "--round", open_round, str(answers))
    assert imported.exit_code == 1
    assert "Runden «Høst 2026» er avsluttet og tar ikke imot nye svar." in imported.output
    assert (count(db_session, Invitation), count(db_session, Response)) == (0, 0)


def test_a_round_closed_while_its_import_is_read_keeps_none_of_it(app, open_round, db_session):
    # Given an import whose file is still being read when someone else closes the round
    def lines_closing_the_round_midway():
        lines = ANSWERS.splitlines(keepends=True)
        yield from lines[:2]
        with Session(db.engine) as other:
            rounds.set_status(other, open_round, "closed")
            other.commit()
        yield from lines[2:]

    # Then the import is refused, and after the rollback nothing of it is stored
    with pytest.raises(rounds.RoundError, match="er avsluttet og tar ikke imot nye svar"):
        import_responses(db_session, rounds.get_round(db_session, open_round),
                         lines_closing_the_round_midway())
    db_session.rollback()
    assert (count(db_session, Response), count(db_session, OutboxEvent)) == (0, 0)


def published_rows(session) -> list:
    key = (Aggregate.level, Aggregate.unit_id, Aggregate.grouping)
    return session.execute(select(*key, Aggregate.respondents, Aggregate.counts)
                           .where(Aggregate.kind == "published").order_by(*key)).all()


def test_a_publication_that_read_the_round_before_its_close_leaves_the_final_figures_alone(
        app, open_round, invite, db_session):
    # Given six answers at one school, and a worker's publication that read the round while it was open
    rng = random.Random(5)
    for token in invite("S1", 6):
        link = answering.open_link(db_session, token)
        answering.store_response(db_session, link.questionnaire, link.round.id, link.invitation.school_id,
                                 simulate_answers(link.questionnaire, rng))
    db_session.commit()
    stale = rounds.get_round(db_session, open_round)
    assert stale.status == "open"

    # When the round is closed and its final figures published meanwhile
    with Session(db.engine) as other:
        aggregates.rebuild(other, rounds.set_status(other, open_round, "closed"))
        other.commit()
        final = published_rows(other)

    # Then the late publication sees the close and changes nothing (it waited for the round's lock, and
    # used to go on as if the round were open, overwriting the final figures with an open round's)
    assert publication.publish(db_session, stale) == 0
    db_session.commit()
    assert published_rows(db_session) == final
    released = select(func.count()).select_from(Aggregate).where(Aggregate.kind == "released")
    assert db_session.scalar(released) == 0
