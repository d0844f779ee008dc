"""A submit pools a sealed response; the mover stores a school's responses together, at least k at a time."""
from __future__ import annotations

from sqlalchemy import func, select, text

from tests.integration.respondents import submit_as
from webapp.models import Answer, Invitation, OutboxEvent, PooledResponse, Response, Round, School
from webapp.services import pool, rounds
from workers.mover import PoolMover


def count(db_session, model) -> int:  # noqa: ANN001
    db_session.expire_all()
    return db_session.scalar(select(func.count()).select_from(model))


def free_texts(db_session) -> list[str]:  # noqa: ANN001
    return sorted(db_session.scalars(select(Answer.value).where(Answer.item_key == "fritekst")))


def test_a_submit_uses_the_link_and_pools_a_sealed_response_of_fixed_size(app, invite, db_session):
    # Given two people at a school who send very different answers
    short, long = invite("S1", 2)
    submit_as(db_session, short, 1, "Kort.")
    submit_as(db_session, long, 2, "Hemmelig fritekst " + "æ" * 1900)

    # Then both links are used and counted at once, but nothing is stored as a response yet …
    assert {i.state for i in db_session.scalars(select(Invitation))} == {"responded"}
    found = rounds.get_round(db_session, "Høst 2026")
    status = {s.code: s.responses for s in rounds.round_status(db_session, found)}
    assert status["S1"] == 2
    assert count(db_session, Response) == 0 and count(db_session, OutboxEvent) == 0

    # … and the two pooled rows are sealed: no answer in them, and the same length
    rows = db_session.execute(text("SELECT * FROM response_pool")).mappings().all()
    sealed = [bytes(r["sealed"]) for r in rows]
    assert len(sealed) == 2 and len(sealed[0]) == len(sealed[1])
    assert not any(b"Hemmelig" in s or b"fritekst" in s or b"b_rolle" in s for s in sealed)
    assert set(rows[0]) == {"id", "round_id", "school_id", "sealed"}  # no date: see test_privacy_review


def test_the_mover_waits_for_the_threshold_then_stores_the_schools_responses_together(
        app, invite, db_session):
    mover = PoolMover(app)
    tokens = invite("S1", 6)
    for n, token in enumerate(tokens[:4]):
        submit_as(db_session, token, n, f"svar {n}")
    # Four of a threshold of five: nothing moves
    assert mover.move_once() == 0 and count(db_session, PooledResponse) == 4

    submit_as(db_session, tokens[4], 4, "svar 4")
    assert mover.move_once() == 5
    assert count(db_session, PooledResponse) == 0 and count(db_session, Response) == 5
    assert free_texts(db_session) == [f"svar {n}" for n in range(5)]
    assert count(db_session, OutboxEvent) == 5  # the figures follow through the outbox as before
    assert mover.move_once() == 0 and count(db_session, Response) == 5  # exactly once

    # A sixth waits again for four more
    submit_as(db_session, tokens[5], 5, "svar 5")
    assert mover.move_once() == 0 and count(db_session, PooledResponse) == 1


def test_closing_a_round_stores_what_waits_in_the_pool_whatever_the_count(app, invite, db_session):
    submit_as(db_session, invite("S1", 1)[0], 1, "en")
    submit_as(db_session, invite("S2", 1)[0], 2, "to")
    submit_as(db_session, invite("S2", 1)[0], 3, "tre")
    rounds.set_status(db_session, "Høst 2026", "closed")
    db_session.commit()
    pool.vacuum(db_session.get_bind())
    assert count(db_session, PooledResponse) == 0 and free_texts(db_session) == ["en", "to", "tre"]
    by_school = dict(db_session.execute(
        select(School.code, func.count()).join(Response, Response.school_id == School.id)
        .group_by(School.code)).all())
    assert by_school == {"S1": 1, "S2": 2}


def test_a_straggler_in_a_closed_round_is_stored_by_the_mover(app, invite, db_session):
    token = invite("S3", 1)[0]
    submit_as(db_session, token, 1, "sent")
    # A submit that committed just after the round closed (the close did not see it)
    db_session.execute(text("UPDATE round SET status = 'closed'"))
    db_session.commit()
    assert PoolMover(app).move_once() == 1 and free_texts(db_session) == ["sent"]


def test_a_pooled_response_that_cannot_be_opened_is_kept_and_named(app, invite, db_session):
    import pytest

    tokens = invite("S1", 5)
    for n, token in enumerate(tokens):
        submit_as(db_session, token, n, f"svar {n}")
    # Given a pooled row sealed with another key (SECRET_KEY was changed while it waited)
    db_session.execute(text("UPDATE response_pool SET sealed = :other "
                            "WHERE id = (SELECT min(id) FROM response_pool)"),
                       {"other": b"\0" * 16440})
    db_session.commit()

    # Then the mover stores none of the school's batch and keeps every row …
    assert PoolMover(app).move_once() == 0
    assert count(db_session, PooledResponse) == 5 and count(db_session, Response) == 0
    # … and closing the round says what is wrong instead of losing the responses
    with pytest.raises(rounds.RoundError, match="SECRET_KEY"):
        rounds.set_status(db_session, "Høst 2026", "closed")
    db_session.rollback()
    assert count(db_session, PooledResponse) == 5
    assert db_session.scalar(select(Round.status)) == "open"
