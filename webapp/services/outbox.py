"""The transactional outbox: events stored with the data, relayed to the broker later, kept until done.

An event names the work it asks for with a key: "school:<round>:<school>" (recompute a school's
figures), "publish:<round>" (release what is due in a round), "match:<round>" (recompute the gaps
and course matches of what a publication changed) or "plan:<run>" (work out a course budget plan).
Every event of a key asks for the same work, so the relay sends one message per key, carrying the
highest event id of the key (`upto`); the actor, in the transaction that does the work, deletes the
key's events up to that id. Events that arrive meanwhile make the next message. While a message is in
flight (sent less than `resend_after` seconds ago) nothing more is sent for its key; after that it is
sent again, since a broker that dies without persistence loses the messages it had accepted.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select, text, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from webapp.models import OutboxEvent
from webapp.services.rounds import now

RESPONSE_STORED = "response.stored"
PUBLICATION_DUE = "publication.due"
MATCHING_DUE = "matching.due"
PLAN_DUE = "plan.due"
RELAY_LOCK = 6_000_000  # PostgreSQL advisory lock of the relay pass (round locks are 7_000_000 + id)

Send = Callable[[str, dict[str, Any], int], None]


def school_key(round_id: int, school_id: int) -> str:
    return f"school:{round_id}:{school_id}"


def publish_key(round_id: int) -> str:
    return f"publish:{round_id}"


def match_key(round_id: int) -> str:
    return f"match:{round_id}"


def plan_key(run_id: int) -> str:
    return f"plan:{run_id}"


def key_of(topic: str, payload: dict[str, Any]) -> str:
    """The work an event asks for; events with the same key are done by one message."""
    if topic == RESPONSE_STORED:
        return school_key(payload["round_id"], payload["school_id"])
    if topic == PUBLICATION_DUE:
        return publish_key(payload["round_id"])
    if topic == MATCHING_DUE:
        return match_key(payload["round_id"])
    if topic == PLAN_DUE:
        return plan_key(payload["run_id"])
    raise ValueError(f"unknown outbox topic {topic!r}")


def event_row(topic: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The columns of a new event, for inserts in bulk."""
    return {"topic": topic, "key": key_of(topic, payload), "payload": payload, "created_at": now(),
            "sent_at": None, "attempts": 0}


def add_event(session: Session, topic: str, payload: dict[str, Any]) -> None:
    """Record an event in the caller's transaction."""
    session.add(OutboxEvent(**event_row(topic, payload)))


def claim(session: Session, key: str, upto: int) -> int:
    """Delete the events of `key` up to `upto` as the first statement of the transaction that does
    their work; return how many (none: an earlier message has done it).

    First, so that it takes only events already committed (ids are not committed in order), whose data
    the work then reads; events that commit later stay for the next message. A rollback keeps them all.
    """
    return session.execute(delete(OutboxEvent).where(OutboxEvent.key == key, OutboxEvent.id <= upto)).rowcount


def _take_relay_lock(session: Session) -> bool:
    """One relay pass at a time, over every worker process, so no two send the same key.

    PostgreSQL: a transaction-level advisory lock, skipped (not waited for) when another pass holds it,
    as FOR UPDATE SKIP LOCKED did. SQLite: take the database's write lock before reading, with a no-op
    write (pysqlite begins at the first write), so a second relay reads only after the first commits;
    where SQLite refuses the lock outright, the pass is skipped.
    """
    if session.get_bind().dialect.name == "postgresql":
        return bool(session.scalar(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": RELAY_LOCK}))
    try:
        session.execute(update(OutboxEvent).where(OutboxEvent.id < 0).values(attempts=OutboxEvent.attempts))
    except OperationalError as exc:
        # SQLite may refuse the write lock at once rather than wait (a pass that read before another
        # pass committed): that pass holds the relay, so this one is skipped, as on PostgreSQL
        if "locked" not in str(exc.orig):
            raise
        session.rollback()
        return False
    return True


def due_keys(session: Session, cutoff: datetime, limit: int) -> list[tuple[str, int]]:
    """Keys with events to send and none in flight since `cutoff`, oldest first, with their highest id."""
    waiting = or_(OutboxEvent.sent_at.is_(None), OutboxEvent.sent_at < cutoff)
    in_flight = select(OutboxEvent.key).where(OutboxEvent.sent_at >= cutoff)
    rows = session.execute(
        select(OutboxEvent.key, func.max(OutboxEvent.id)).where(waiting, OutboxEvent.key.not_in(in_flight))
        .group_by(OutboxEvent.key).order_by(func.min(OutboxEvent.id)).limit(limit)).all()
    return [(key, upto) for key, upto in rows]


def relay_batch(session: Session, send: Send, resend_after: float = 60.0, limit: int = 100,
                at: datetime | None = None) -> tuple[int, Exception | None]:
    """Send one message per key with events due (see the module's docstring); mark its events sent.

    Stops at the first failure and leaves that key and the rest for the next pass, so a dead broker
    delays events but never loses one. Returns how many messages were sent and the failure, if any;
    the caller commits in both cases.
    """
    at = at or now()
    cutoff = at - timedelta(seconds=resend_after)
    # An idle pass only reads; the lock is for a pass with something to send, which then reads again
    if not due_keys(session, cutoff, 1) or not _take_relay_lock(session):
        return 0, None
    sent = 0
    for key, upto in due_keys(session, cutoff, limit):
        topic, payload = session.execute(select(OutboxEvent.topic, OutboxEvent.payload)
                                         .where(OutboxEvent.id == upto)).one()
        # Marked before the send: a worker that gets the message at once then waits for this pass to
        # commit (milliseconds), rather than this pass for the worker's recompute
        mark = update(OutboxEvent).where(OutboxEvent.key == key, OutboxEvent.id <= upto)
        session.execute(mark.values(sent_at=at, attempts=OutboxEvent.attempts + 1))
        try:
            send(topic, payload, upto)
        except Exception as exc:  # any broker failure: the key is due again at the next pass
            session.execute(mark.values(sent_at=None))
            return sent, exc
        sent += 1
    return sent, None


def pending_count(session: Session) -> int:
    """Stored responses whose figures are not refreshed yet."""
    return session.scalar(select(func.count()).select_from(OutboxEvent)
                          .where(OutboxEvent.topic == RESPONSE_STORED)) or 0
