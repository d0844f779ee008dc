"""After a broker outage the figures heal by themselves, and soon: messages Redis accepted and then lost
are sent again, and a backlog becomes one recompute per school (real Redis, real worker processes)."""
from __future__ import annotations

import time

import redis

from tests.figures import admin_counts, figures, import_responses, outbox_rows, stored
from tests.processes import dramatiq_worker, wait_until
from webapp.models import OutboxEvent

RESEND_AFTER = 3  # seconds; 60 in production
NO_RECONCILIATION = {"RECONCILE_MINUTES": "600"}  # the scheduled rebuild must not be what heals


def all_sent(db_session) -> bool:  # noqa: ANN001
    db_session.expire_all()
    waiting = db_session.query(OutboxEvent).filter(OutboxEvent.sent_at.is_(None)).count()
    db_session.rollback()
    return waiting == 0


def test_figures_converge_after_redis_lost_the_messages_it_had_accepted(app, database_url, redis_server,
                                                                         open_round, db_session):
    # Given a relay that hands the events of fifteen stored responses to Redis, and no worker yet that
    # consumes them (this process only relays: it listens to a queue nobody uses)
    relay_only = dramatiq_worker(database_url, redis_server.url, queues=["unused"],
                                 RESEND_AFTER=str(RESEND_AFTER), **NO_RECONCILIATION).start()
    try:
        import_responses(db_session, open_round, {"S1": 10, "S2": 5}, b_rolle="miljoarbeider")
        wait_until(lambda: all_sent(db_session), timeout=30, what="the relay to send the events")
        queued = redis.Redis.from_url(redis_server.url).hlen("dramatiq:aggregation.msgs")
        assert queued == 2, relay_only.output()[-3000:]  # one message per school
    finally:
        relay_only.stop()
    # When Redis dies without persistence, and comes back empty
    redis_server.stop()
    redis_server.start()
    assert redis.Redis.from_url(redis_server.url).hlen("dramatiq:aggregation.msgs") == 0
    worker = dramatiq_worker(database_url, redis_server.url, RESEND_AFTER=str(RESEND_AFTER),
                             **NO_RECONCILIATION).start()
    try:
        started = time.monotonic()
        # Then the live and published figures and the admin counts come right within RESEND_AFTER and
        # a few seconds (the worker's start-up included), with no reconciliation run
        expected = {"S1": 10, "S2": 5}

        def converged() -> bool:
            return (figures(db_session, "live") == figures(db_session, "published") == expected
                    and admin_counts(db_session) == stored(db_session) == expected
                    and outbox_rows(db_session) == 0)
        wait_until(converged, timeout=RESEND_AFTER + 15, interval=0.25, what="the figures to converge")
        elapsed = time.monotonic() - started
        assert "reconcil" not in worker.output()
        assert worker.alive(), worker.output()[-3000:]
        print(f"converged {elapsed:.1f} s after the worker started")
    finally:
        worker.stop()


def test_a_backlog_of_1500_events_becomes_one_recompute_per_school(app, database_url, redis_server,
                                                                   open_round, db_session):
    # Given a running worker, and 1,500 responses at three schools stored while Redis is down
    worker = dramatiq_worker(database_url, redis_server.url, RESEND_AFTER="60", **NO_RECONCILIATION).start()
    try:
        wait_until(lambda: "Worker process is ready" in worker.output(), timeout=30,
                   what="the worker to start")
        redis_server.stop()
        import_responses(db_session, open_round, {"S1": 500, "S2": 500, "S3": 500})
        wait_until(lambda: "outbox relay: broker or database unavailable" in worker.output(), timeout=20,
                   what="the relay to notice that Redis is down")
        assert outbox_rows(db_session) == 1500
        # When Redis comes back
        redis_server.start()
        expected = {"S1": 500, "S2": 500, "S3": 500}
        wait_until(lambda: figures(db_session, "live") == expected and outbox_rows(db_session) == 0,
                   timeout=60, interval=0.25, what="the figures after the outage")
        # Then the worker recomputed each school once; the publications asked for while one ran were
        # one message after it (two threads: between one and three in all, never one per event)
        output = worker.output()
        assert output.count("refreshed school") == 3, output[-3000:]
        assert 1 <= output.count("published round") <= 3, output[-3000:]
        assert admin_counts(db_session) == expected
        assert set(figures(db_session, "published")) == set(expected)
    finally:
        worker.stop()
