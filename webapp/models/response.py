"""Invitations (with their sealed drafts), the response pool and anonymous responses.

Unlinkability is a schema property: `response`, `answer` and `response_pool` share no key, id,
ordering or timestamp finer than a day with `invitation`. Responses get random ids; answers are keyed
by response and item. How the rows are written keeps system columns and row order from linking them
too (webapp.services.pool).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db

INVITATION_STATES = ("open", "responded", "refused", "out_of_scope")


class Invitation(db.Model):
    """A personal link: only the SHA-256 of its token is stored."""

    __tablename__ = "invitation"
    __table_args__ = (
        CheckConstraint("state IN ('open', 'responded', 'refused', 'out_of_scope')", name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    state: Mapped[str] = mapped_column(String(20), default="open")
    created_on: Mapped[date] = mapped_column(Date)
    # The answers so far, sealed with a key derived from the token (webapp.domain.sealing): the
    # database alone cannot read them. draft_page is the furthest page reached, draft_saved_on the
    # day of the last save (for deleting drafts nobody came back to).
    sealed_draft: Mapped[bytes | None] = mapped_column(LargeBinary)
    draft_page: Mapped[int] = mapped_column(Integer, default=0)
    draft_saved_on: Mapped[date | None] = mapped_column(Date)
    # SHA-256 of the random send id of the Send that used the link (webapp.services.answering.submit):
    # the same Send repeated is thanked, another device's is told the link is used. Cleared at the close.
    send_hash: Mapped[str | None] = mapped_column(String(64))

    @property
    def responded(self) -> bool:
        return self.state == "responded"


class Response(db.Model):
    """One submitted questionnaire, anonymous."""

    __tablename__ = "response"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    # The day the response was stored with its batch, never the day it was sent: that day, next to the
    # days invitations were used, would tie a response alone with its day to its invitation.
    stored_on: Mapped[date] = mapped_column(Date)
    yrkesgruppe: Mapped[str | None] = mapped_column(String(40))
    skoleslag: Mapped[str | None] = mapped_column(String(20))
    ufaglaert: Mapped[str | None] = mapped_column(String(10))
    b_trinn: Mapped[str | None] = mapped_column(String(20))
    # The answers encoded by webapp.domain.codebook for aggregation; the answer rows stay the record.
    vector: Mapped[bytes | None] = mapped_column(LargeBinary)

    answers: Mapped[list["Answer"]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True)


class PooledResponse(db.Model):
    """A submitted response waiting, sealed with the server's key, to be stored among others."""

    __tablename__ = "response_pool"
    __table_args__ = (Index("ix_response_pool_unit", "round_id", "school_id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    sealed: Mapped[bytes] = mapped_column(LargeBinary)


class Answer(db.Model):
    """One answered item; a multi-select item has one row per ticked option."""

    __tablename__ = "answer"
    # Free-text answers are read by item for a unit (administrators' view): no scan of every answer.
    __table_args__ = (Index("ix_answer_item_key", "item_key"),)

    response_id: Mapped[str] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), primary_key=True)
    item_key: Mapped[str] = mapped_column(String(60), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True, default=0)
    value: Mapped[str] = mapped_column(Text)

    response: Mapped[Response] = relationship(back_populates="answers")


class ScreenOutCount(db.Model):
    """How many people ended at a screening question; nothing else about them is kept."""

    __tablename__ = "screen_out_count"
    __table_args__ = (CheckConstraint("reason IN ('refused', 'out_of_scope')", name="reason"),)

    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), primary_key=True)
    reason: Mapped[str] = mapped_column(String(20), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
