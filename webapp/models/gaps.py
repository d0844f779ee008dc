"""Gaps per competence area and ranked course matches per unit, computed from published figures only.

Both are derived and recomputed by a worker (services/matching.py) whenever a unit's published
figures change, and by a rebuild; nothing here holds a number the published figures do not show.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db


class UnitGap(db.Model):
    """One unit's gap in one competence area, for everyone (`grp` "all") or one published yrkesgruppe."""

    __tablename__ = "unit_gap"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), primary_key=True)
    level: Mapped[str] = mapped_column(String(10), primary_key=True)
    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grp: Mapped[str] = mapped_column(String(40), primary_key=True)
    area: Mapped[str] = mapped_column(String(40), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)
    need: Mapped[int] = mapped_column(Integer)
    share: Mapped[float] = mapped_column(Float)
    low: Mapped[float] = mapped_column(Float)
    high: Mapped[float] = mapped_column(Float)
    score: Mapped[float] = mapped_column(Float)
    strength: Mapped[float | None] = mapped_column(Float)
    reach: Mapped[float | None] = mapped_column(Float)
    figures_at: Mapped[datetime] = mapped_column(DateTime)  # when the figures it comes from were published


class CourseMatch(db.Model):
    """A course ranked for a unit, with the published numbers its reason quotes (rendered per language)."""

    __tablename__ = "course_match"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), primary_key=True)
    level: Mapped[str] = mapped_column(String(10), primary_key=True)
    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)  # domain.matching.Match.as_json()
    computed_at: Mapped[datetime] = mapped_column(DateTime)


class MatchState(db.Model):
    """Per unit: the published figures and the catalogue its stored gaps and matches come from (a unit
    with too few answers for any gap has a state too, so it is not recomputed every time)."""

    __tablename__ = "match_state"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), primary_key=True)
    level: Mapped[str] = mapped_column(String(10), primary_key=True)
    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    figures_at: Mapped[datetime] = mapped_column(DateTime)
    catalogue: Mapped[str] = mapped_column(String(64))
    computed_at: Mapped[datetime] = mapped_column(DateTime)
