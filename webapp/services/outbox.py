"""The transactional outbox: events stored with the data, relayed to the broker later."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from webapp.models import OutboxEvent
from webapp.services.rounds import now

RESPONSE_STORED = "response.stored"


def add_event(session: Session, topic: str, payload: dict[str, Any]) -> None:
    """Record an event in the caller's transaction."""
    session.add(OutboxEvent(topic=topic, payload=payload, created_at=now(), attempts=0))


def relay_batch(session: Session, send: Callable[[str, dict[str, Any]], None],
                limit: int = 100) -> tuple[int, Exception | None]:
    """Send up to `limit` pending events in order; delete each one the broker accepted.

    Stops at the first failure and leaves that event and the rest for the next pass, so a dead
    broker delays events but never loses one. Returns how many were sent and the failure, if any;
    the caller commits in both cases.
    """
    query = select(OutboxEvent).order_by(OutboxEvent.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    sent = 0
    for event in session.scalars(query).all():
        try:
            send(event.topic, event.payload)
        except Exception as exc:  # any broker failure: keep the event for the next pass
            session.execute(update(OutboxEvent).where(OutboxEvent.id == event.id)
                            .values(attempts=OutboxEvent.attempts + 1))
            return sent, exc
        session.execute(delete(OutboxEvent).where(OutboxEvent.id == event.id))
        sent += 1
    return sent, None


def pending_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(OutboxEvent)) or 0
