"""The outbox keeps an event until its work is done: one message per piece of work at a time, sent
again when the broker lost it. The relay and the actors are the real ones; the broker is the
in-process one of the embedded mode, whose queue the test empties to play a broker that lost messages."""
from __future__ import annotations

from datetime import timedelta

import pytest
from dramatiq import Message
from dramatiq.brokers.stub import StubBroker
from sqlalchemy import func, select

from tests.figures import admin_counts, figures, import_responses, outbox_rows, stored
from webapp.extensions import db
from webapp.models import OutboxEvent
from webapp.services import aggregates, outbox
from webapp.services.rounds import get_round, now
from workers.broker import broker
from workers.relay import send_event

RESEND_AFTER = 60


@pytest.fixture()
def queue(app):
    """The aggregation queue of the in-process broker, empty at the start."""
    assert isinstance(broker, StubBroker), "run the tests without REDIS_URL: they use the in-process broker"
    broker.flush_all()
    yield broker.queues["aggregation"]
    broker.flush_all()


def relay(app, at=None, send=send_event) -> tuple[int, Exception | None]:  # noqa: ANN001
    """One pass of the relay, committed as the relay thread does."""
    with app.app_context():
        result = outbox.relay_batch(db.session, send, RESEND_AFTER, at=at)
        db.session.commit()
    return result


def take(queue) -> list[Message]:  # noqa: ANN001
    """The messages waiting in the queue, taken off it."""
    messages = []
    while not queue.empty():
        messages.append(Message.decode(queue.get_nowait()))
    return messages


def deliver(app, messages: list[Message]) -> None:
    """Run each message's actor as a worker would (each in an app context of its own)."""
    for message in messages:
        with app.app_context():
            broker.get_actor(message.actor_name).fn(*message.args)


def match(app) -> None:
    """Relay the matching event a publication leaves and run it, as the matching worker does: the
    gaps and course matches follow every publication (docs/gaps.md)."""
    assert relay(app) == (1, None)
    matching_queue = broker.queues["matching"]
    messages = take(matching_queue)
    assert [m.actor_name for m in messages] == ["match_round"]
    deliver(app, messages)


def broker_down(topic, payload, upto):  # noqa: ANN001
    raise ConnectionError("broker unavailable")


def test_an_outage_of_1500_events_costs_one_recompute_per_school(app, open_round, db_session, queue):
    # Given 1,500 responses stored at three schools while the broker was down …
    assert import_responses(db_session, open_round, {"S1": 500, "S2": 500, "S3": 500}) == 1500
    assert relay(app, send=broker_down)[0] == 0
    assert outbox_rows(db_session) == 1500
    # … When it comes back, Then the relay sends one message per school, for all of its events
    assert relay(app) == (3, None)
    messages = take(queue)
    highest = dict(db_session.execute(select(OutboxEvent.key, func.max(OutboxEvent.id))
                                      .group_by(OutboxEvent.key)).all())
    db_session.rollback()
    assert sorted((m.actor_name, m.args[2]) for m in messages) == sorted(
        ("aggregate_school", upto) for upto in highest.values())
    # and nothing more while those are in flight
    assert relay(app) == (0, None) and queue.empty()
    # When the worker runs them, Then the schools asked for a publication, which goes out as one message
    deliver(app, messages)
    assert relay(app) == (1, None)
    publications = take(queue)
    assert [m.actor_name for m in publications] == ["publish_round"]
    deliver(app, publications)
    # and every figure is right, with nothing left to do
    assert figures(db_session, "live") == stored(db_session) == admin_counts(db_session) == \
        {"S1": 500, "S2": 500, "S3": 500}
    assert set(figures(db_session, "published")) == {"S1", "S2", "S3"}
    match(app)
    assert outbox_rows(db_session) == 0
    with app.app_context():
        assert aggregates.reconcile(db.session, get_round(db.session, open_round)) == 0


def test_messages_the_broker_lost_are_sent_again(app, open_round, db_session, queue):
    # Given five responses whose message the broker accepted, then lost
    import_responses(db_session, open_round, {"S1": 5}, b_rolle="miljoarbeider")
    assert relay(app) == (1, None)
    take(queue)
    # Then it is not sent again at once (it may only be slow) …
    assert relay(app) == (0, None)
    # … but once RESEND_AFTER has passed, it is
    later = now() + timedelta(seconds=RESEND_AFTER + 1)
    assert relay(app, at=later) == (1, None)
    deliver(app, take(queue))
    assert figures(db_session, "live") == {"S1": 5} and figures(db_session, "published") == {}
    # The publication it asked for is lost too, and sent again the same way
    assert relay(app, at=later) == (1, None)
    take(queue)
    assert relay(app, at=later) == (0, None)
    even_later = later + timedelta(seconds=RESEND_AFTER + 1)
    assert relay(app, at=even_later) == (1, None)
    deliver(app, take(queue))
    assert figures(db_session, "published") == {"S1": 5}
    match(app)
    assert outbox_rows(db_session) == 0


def test_a_message_delivered_twice_does_the_work_once(app, open_round, db_session, queue, caplog):
    import_responses(db_session, open_round, {"S2": 3})
    relay(app)
    message = take(queue)[0]
    caplog.set_level("INFO", logger="workers.actors")
    deliver(app, [message, message])
    assert figures(db_session, "live") == {"S2": 3}
    assert sum("refreshed school" in r.getMessage() for r in caplog.records) == 1


def test_events_stored_while_the_work_runs_make_the_next_message(app, open_round, db_session, queue):
    # Given a message in flight for a school's first three responses
    import_responses(db_session, open_round, {"S3": 3})
    relay(app)
    first = take(queue)
    # When two more are stored before the worker runs it
    import_responses(db_session, open_round, {"S3": 2}, seed=2)
    assert relay(app) == (0, None)
    deliver(app, first)
    # Then the work done covers only the events it was sent for; the other two make the next message
    assert outbox_rows(db_session) == 2
    assert relay(app) == (1, None)
    deliver(app, take(queue))
    assert figures(db_session, "live") == {"S3": 5}
    assert outbox_rows(db_session) == 0


def test_laget_rebuild_repairs_every_derived_number(app, open_round, db_session, queue, laget):
    from webapp.models import Aggregate, School

    # Given figures the worker kept up to date …
    import_responses(db_session, open_round, {"S1": 5, "S2": 5}, b_rolle="miljoarbeider")
    relay(app)
    deliver(app, take(queue))
    # … then damaged: three more responses whose events are gone, and one school's live figures lost
    import_responses(db_session, open_round, {"S1": 3}, seed=3, b_rolle="miljoarbeider")
    s2 = db_session.scalar(select(School.id).filter_by(code="S2"))
    db_session.execute(OutboxEvent.__table__.delete())
    db_session.execute(Aggregate.__table__.delete().where(Aggregate.kind == "live", Aggregate.unit_id == s2))
    db_session.commit()
    assert figures(db_session, "live") == {"S1": 5}
    # When the administrator runs `laget rebuild`
    result = laget("rebuild", "--round", open_round)
    assert result.exit_code == 0, result.output
    # Then every number derived from the responses is right again
    assert figures(db_session, "live") == stored(db_session) == admin_counts(db_session) == {"S1": 8, "S2": 5}
    assert figures(db_session, "live", "round") == {0: 13}
    assert figures(db_session, "published") == {"S1": 8, "S2": 5}
    with app.app_context():
        assert aggregates.reconcile(db.session, get_round(db.session, open_round)) == 0


def test_two_relays_at_once_send_a_key_once(app, open_round, db_session, queue):
    """Several worker processes each run a relay: while one is in its pass, another sends nothing twice
    (PostgreSQL: it skips the pass; SQLite: it waits for the first to commit, then finds the key sent, or,
    where SQLite refuses the write lock at once, it skips the pass)."""
    import threading

    import_responses(db_session, open_round, {"S1": 5})
    inside, release = threading.Event(), threading.Event()
    results = {}

    def slow_send(topic, payload, upto):  # noqa: ANN001
        send_event(topic, payload, upto)
        inside.set()
        release.wait(5)

    def run(name: str, send) -> None:  # noqa: ANN001
        results[name] = relay(app, send=send)
    first = threading.Thread(target=run, args=("first", slow_send))
    first.start()
    assert inside.wait(10)
    second = threading.Thread(target=run, args=("second", send_event))
    second.start()
    second.join(0.5)
    release.set()
    first.join(10)
    second.join(10)
    assert results == {"first": (1, None), "second": (0, None)}
    assert len(take(queue)) == 1
