"""Published questionnaire versions and survey rounds."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db

ROUND_STATUSES = ("draft", "open", "closed")


class SurveyVersion(db.Model):
    """An immutable, published questionnaire definition."""

    __tablename__ = "survey_version"
    __table_args__ = (UniqueConstraint("slug", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(DateTime)


class Round(db.Model):
    """A survey version sent to a set of schools, open for a while."""

    __tablename__ = "round"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'open', 'closed')", name="status"),
        CheckConstraint("privacy_threshold >= 1", name="privacy_threshold"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    survey_version_id: Mapped[int] = mapped_column(ForeignKey("survey_version.id"))
    status: Mapped[str] = mapped_column(String(10), default="draft")
    privacy_threshold: Mapped[int] = mapped_column(Integer, default=5)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    opened_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # When the close published the final figures; after that they never move (services/publication.py).
    final_published_at: Mapped[datetime | None] = mapped_column(DateTime)
    # When the leader figures above the school were counted and stored (leader_share): in the final
    # publication's transaction, or for a round finally published before they were stored, at its next
    # publication (`laget rebuild`); never again after that (services/leader.py).
    leaders_counted_at: Mapped[datetime | None] = mapped_column(DateTime)

    survey_version: Mapped[SurveyVersion] = relationship()


class RoundSchool(db.Model):
    __tablename__ = "round_school"

    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), primary_key=True)
