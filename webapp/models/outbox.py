"""Events written in the same transaction as the data; the relay in workers/ sends them."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db


class OutboxEvent(db.Model):
    """One event, kept until the actor has done its work (services/outbox.py).

    Events of one `key` ("school:<round>:<school>", "publish:<round>") ask for the same work, so the
    relay sends one message for all of them; `sent_at` says when the last message for it went out.
    """

    __tablename__ = "outbox_event"
    __table_args__ = (Index("ix_outbox_event_key", "key", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(60))
    key: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
