"""Unlinkability is a property of the migrated schema: nothing ties a response to its invitation."""
from __future__ import annotations

import random

from sqlalchemy import inspect, select

from webapp.domain.simulate import simulate_answers
from webapp.models import Answer, Invitation, Response
from webapp.services import answering, pool

ANONYMOUS = ("response", "answer", "response_pool")


def test_no_key_id_or_fine_timestamp_links_responses_to_invitations(app, db_session):
    inspector = inspect(db_session.get_bind())
    invitation_columns = {c["name"] for c in inspector.get_columns("invitation")}
    for table in ANONYMOUS:
        columns = {c["name"]: c for c in inspector.get_columns(table)}
        # no foreign key to invitation, in either direction
        assert all(fk["referred_table"] != "invitation" for fk in inspector.get_foreign_keys(table))
        # the only columns shared with invitation are the round and the school
        shared = set(columns) & invitation_columns - {"id"}
        assert shared <= {"round_id", "school_id"}, shared
        # no timestamp finer than the day
        for column in columns.values():
            assert "TIME" not in str(column["type"]).upper(), (table, column["name"])
        # no serial ordering on the anonymous side
        assert not any(c.get("autoincrement") is True for c in columns.values())
    assert all(fk["referred_table"] not in ANONYMOUS for fk in inspector.get_foreign_keys("invitation"))
    response_key = inspector.get_pk_constraint("response")["constrained_columns"]
    assert response_key == ["id"] and str(inspect(Response).columns["id"].type).startswith("VARCHAR")


def test_stored_responses_carry_random_ids_and_only_the_day(app, db_session, invite, questionnaire):
    tokens = invite("S1", 5)
    for n, token in enumerate(tokens):
        link = answering.open_link(db_session, token)
        for section in link.questionnaire.sections:
            answering.save_page(db_session, link, section.key,
                                simulate_answers(questionnaire, random.Random(n)))
        assert answering.submit(db_session, link).stored
    db_session.commit()
    assert pool.due_units(db_session) == [(link.round.id, link.invitation.school_id)]
    assert pool.move_unit(db_session, link.round.id, link.invitation.school_id) == 5
    db_session.commit()
    ids = [r.id for r in db_session.scalars(select(Response))]
    invitation_ids = {str(i.id) for i in db_session.scalars(select(Invitation))}
    assert len(set(ids)) == 5 and not set(ids) & invitation_ids
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids)
    assert sorted(ids) != ids or sorted(ids, reverse=True) != ids  # not issued in order
    invitations = db_session.scalars(select(Invitation)).all()
    assert all(i.sealed_draft is None and i.state == "responded" for i in invitations)
    assert {a.response_id for a in db_session.scalars(select(Answer))} == set(ids)
