"""A mover that dies inside its transaction loses nothing and stores nothing twice.

Each test stops a real mover after it has inserted the responses (and, on PostgreSQL, deleted the
pool rows) but before it commits, kills it, and then lets a second mover do the whole move.
"""
from __future__ import annotations

import os
import signal
import sqlite3
import sys
import threading

import pytest
from sqlalchemy import func, select, text

from tests.conftest import SECRET, TEST_DB
from tests.integration.respondents import submit_as
from tests.processes import Service, app_env, wait_until
from webapp.extensions import db
from webapp.models import Answer, OutboxEvent, PooledResponse, Response
from workers.mover import PoolMover


def counts(app) -> tuple[int, int, int, int]:  # noqa: ANN001
    """(pooled, responses, answers, outbox events) as another connection sees them."""
    with app.app_context():
        try:
            return tuple(db.session.scalar(select(func.count()).select_from(m))  # type: ignore[return-value]
                         for m in (PooledResponse, Response, Answer, OutboxEvent))
        finally:
            db.session.remove()


def five_pooled(invite, db_session) -> None:  # noqa: ANN001
    for n, token in enumerate(invite("S1", 5)):
        submit_as(db_session, token, n, f"svar {n}")
    db_session.remove()


def then_a_second_mover_stores_everything_exactly_once(app) -> None:  # noqa: ANN001
    pooled, responses, answers, events = counts(app)
    assert (pooled, responses, answers, events) == (5, 0, 0, 0)  # nothing partial, nothing lost
    mover = PoolMover(app)
    assert mover.move_once() == 5
    pooled, responses, answers, events = counts(app)
    assert (pooled, responses, events) == (0, 5, 5) and answers > 5 * 20
    assert mover.move_once() == 0 and counts(app) == (pooled, responses, answers, events)


@pytest.mark.skipif(TEST_DB != "postgresql", reason="terminates a PostgreSQL backend")
def test_a_mover_terminated_inside_its_transaction_postgresql(app, invite, db_session):
    five_pooled(invite, db_session)
    with app.app_context():
        # Given another connection holding a lock the mover needs last: a used invitation of the school
        blocker = db.engine.connect()
        blocker.execute(text("SELECT id FROM invitation WHERE state = 'responded' LIMIT 1 FOR UPDATE"))
        probe = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        mover = threading.Thread(target=PoolMover(app).move_once, name="doomed-mover")
        mover.start()
        try:
            # When the mover has stored the responses and deleted the pool rows, and waits for that lock …
            waiting = wait_until(lambda: probe.execute(text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND query LIKE 'UPDATE invitation%'")).scalar(),
                timeout=20, what="the mover to block")
            assert counts(app)[:2] == (5, 0)  # its writes are not visible: it has not committed
            # … and its backend is terminated
            probe.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": waiting})
            mover.join(timeout=20)
            assert not mover.is_alive()
        finally:
            blocker.rollback()
            blocker.close()
            probe.close()
    then_a_second_mover_stores_everything_exactly_once(app)


# Runs a real mover in its own process; a trace callback on its SQLite connection stops it inside the
# move's write transaction (after the responses are inserted, when it comes to delete the pool rows).
CHILD = """
import sys, time
from sqlalchemy import event
from webapp import create_app
from webapp.config import Settings
from webapp.extensions import db
from workers.mover import PoolMover

app = create_app(Settings(secret_key=sys.argv[2], database_url=sys.argv[1]))

def stop_before_delete(dbapi_connection, record):
    def trace(statement):
        if statement.startswith("DELETE FROM response_pool"):
            print("inside the move", flush=True)
            time.sleep(600)
    dbapi_connection.set_trace_callback(trace)

with app.app_context():
    event.listen(db.engine, "connect", stop_before_delete)
PoolMover(app).move_once()
"""


@pytest.mark.skipif(TEST_DB != "sqlite", reason="kills a process holding SQLite's write lock")
def test_a_mover_killed_inside_its_transaction_sqlite(app, invite, db_session, database_url):
    five_pooled(invite, db_session)
    # Given a mover process stopped inside its write transaction
    child = Service("mover", [sys.executable, "-c", CHILD, database_url, SECRET],
                    app_env(database_url)).start()
    try:
        wait_until(lambda: "inside the move" in child.output() or not child.alive(), timeout=30,
                   what="the mover to reach its delete")
        assert child.alive(), child.output()
        path = database_url.removeprefix("sqlite:///")
        probe = sqlite3.connect(path, timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            probe.execute("BEGIN IMMEDIATE")  # it holds the write lock
        probe.close()
        assert counts(app)[:2] == (5, 0)
        # When it is killed outright
        os.kill(child.process.pid, signal.SIGKILL)
        child.process.wait(timeout=10)
    finally:
        child.stop()
    then_a_second_mover_stores_everything_exactly_once(app)


def test_a_batch_that_failed_is_tried_again_within_seconds_and_its_error_logged_without_answers(
        app, invite, db_session, caplog):
    # Given five sent answers at one school, one of them unreadable for now (as a dropped connection or a
    # half-restored backup leaves a batch that cannot be stored on the first try)
    for n, token in enumerate(invite("S1", 5)):
        submit_as(db_session, token, n, f"hemmelig svar {n}")
    victim = db_session.scalars(select(PooledResponse)).first()
    victim_id, sealed = victim.id, victim.sealed
    reseal = text("UPDATE response_pool SET sealed = :b WHERE id = :id")
    db_session.execute(reseal, {"b": b"\0" * 64, "id": victim_id})
    db_session.commit()
    mover = PoolMover(app)

    # When the mover fails, and the batch becomes readable again
    assert mover.move_once() == 0
    db_session.execute(reseal, {"b": sealed, "id": victim_id})
    db_session.commit()

    # Then it is tried again after seconds, not minutes, and stored whole
    assert mover.move_once() == 0  # not at once: a lasting fault would fill the log
    assert wait_until(mover.move_once, timeout=10, what="the batch to be tried again") == 5
    assert counts(app)[:2] == (0, 5)
    # … and the log names the error's type, never its text (a database error's text holds the answers)
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "workers.mover")
    assert "not stored (RoundError)" in logged and "trying again in 2 s" in logged
    assert "hemmelig" not in caplog.text and "SECRET_KEY" not in logged
