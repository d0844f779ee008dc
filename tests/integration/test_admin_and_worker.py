"""The admin page, the outbox relay and the aggregation actor (called directly, as the worker does)."""
from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token
from webapp.domain.simulate import simulate_answers
from webapp.extensions import db
from webapp.models import Aggregate, OutboxEvent, Response
from webapp.services import answering, outbox, rounds
from webapp.services.users import create_user


@pytest.fixture()
def admin_client(app, client):
    with app.app_context():
        create_user(db.session, "Admin@Example.org", "correct horse battery", "admin")
        db.session.commit()
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"csrf_token": csrf_token(page), "email": "admin@example.org",
                                           "password": "correct horse battery"})
    assert response.status_code == 302
    return client


def store(app, token: str, seed: int) -> None:
    with app.app_context():
        link = answering.open_link(db.session, token)
        answering.store_response(db.session, link.questionnaire, link.round.id, link.invitation.school_id,
                                 simulate_answers(link.questionnaire, random.Random(seed)))
        db.session.commit()


def test_admin_pages_need_an_admin_login(client):
    assert client.get("/admin/").status_code == 302
    page = client.get("/login").get_data(as_text=True)
    wrong = client.post("/login", data={"csrf_token": csrf_token(page), "email": "x@example.org",
                                        "password": "nope"})
    assert wrong.status_code == 422
    assert "E-postadressen eller passordet er feil" in wrong.get_data(as_text=True)


def test_relayed_events_move_the_workers_figures(app, invite, open_round):
    from workers import actors

    tokens = invite("S2", 4)
    store(app, tokens[0], 1)
    store(app, tokens[1], 2)

    # Given two stored responses, When the relay hands their events to the actor …
    sent = []
    with app.app_context():
        count, failure = outbox.relay_batch(db.session, lambda _t, body, upto: sent.append((body, upto)))
        db.session.commit()
        # … one message stands for both, and the events wait until the work is done
        assert (count, failure) == (1, None)
        assert db.session.scalar(select(func.count()).select_from(OutboxEvent)) == 2
    for payload, upto in sent + sent:  # delivered twice: the second finds its work done
        with app.app_context():
            actors.aggregate_school.fn(payload["round_id"], payload["school_id"], upto)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxEvent)) == 0
        live = db.session.scalars(select(Aggregate).filter_by(kind="live", level="school", grouping="all"))
        assert live.one().respondents == 2
        status = rounds.round_status(db.session, rounds.get_round(db.session, open_round))
        assert {r.code: r.stored for r in status} == {"S1": 0, "S2": 2, "S3": 0}


def test_the_admin_page_counts_a_response_as_soon_as_it_is_sent(app, admin_client, invite, db_session):
    def send(tokens: list[str]) -> None:
        for seed, token in enumerate(tokens):
            link = answering.open_link(db_session, token)
            for section in link.questionnaire.sections:
                answering.save_page(db_session, link, section.key, simulate_answers(link.questionnaire,
                                                                                    random.Random(seed)))
            assert answering.submit(db_session, link).stored
        db_session.commit()

    def row() -> str:
        round_page = admin_client.get("/admin/runder/1").get_data(as_text=True)
        assert 'data-school="S2"' in round_page
        return round_page.split('data-school="S2"', 1)[1].split("</tr>", 1)[0]

    # Given two people at a school of eight who sent their answers, which wait in the pool …
    tokens = invite("S2", 8)
    send(tokens[:2])
    assert db_session.scalar(select(func.count()).select_from(Response)) == 0
    # … Then the admin page says at once that the school has answers, but only that they are under 5
    assert 'data-label="Invitasjoner">8</td>' in row() and 'data-label="Svar mottatt">under 5</td>' in row()
    assert "25 %" not in row()
    # … and once 6 have sent theirs, it shows 6 of 8 (still before any of them is in the figures)
    send(tokens[2:6])
    assert 'data-label="Svar mottatt">6</td>' in row() and "75 %" in row()


def test_a_broker_failure_keeps_the_event_for_the_next_pass(app, invite):
    store(app, invite("S1")[0], 3)

    def broker_down(topic, payload, upto):
        raise ConnectionError("broker unavailable")
    with app.app_context():
        count, failure = outbox.relay_batch(db.session, broker_down)
        db.session.commit()
        assert count == 0 and isinstance(failure, ConnectionError)
        event = db.session.scalars(select(OutboxEvent)).one()
        assert event.attempts == 1 and event.sent_at is None and event.payload["school_id"] > 0


def test_healthz(client, app):
    assert client.get("/healthz").get_json() == {"status": "ok"}
