"""A closed round takes no new data: no invitations, no imported responses."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.extensions import db
from webapp.models import Invitation, OutboxEvent, Response
from webapp.services import rounds
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
