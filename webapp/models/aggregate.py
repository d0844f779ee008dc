"""Figures precomputed by workers; pages only read them."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db

LEVELS = ("school", "kommune", "fylke", "round")


class Aggregate(db.Model):
    """Counts of every item for one unit and one breakdown: `live` (always current), `released` (a
    school's answers let out so far, in blocks of at least k) or `published` (what readers see).

    `counts` holds int32 values, for each group in `groups` and each item of the codebook, the
    respondents who did not answer followed by one count per option. Pages read only `published`
    rows (services/publication.py).
    """

    __tablename__ = "aggregate"
    __table_args__ = (
        CheckConstraint("level IN ('school', 'kommune', 'fylke', 'round')", name="level"),
        CheckConstraint("kind IN ('live', 'released', 'published')", name="kind"),
    )

    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    level: Mapped[str] = mapped_column(String(10), primary_key=True)
    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grouping: Mapped[str] = mapped_column(String(20), primary_key=True)
    respondents: Mapped[int] = mapped_column(Integer)
    groups: Mapped[list[Any]] = mapped_column(JSON)
    group_respondents: Mapped[list[Any]] = mapped_column(JSON)
    counts: Mapped[bytes] = mapped_column(LargeBinary)
    # n of each group for the respondents and every item (int32, groups × (1 + items)), kept with the
    # counts so the round-wide suppression reads a few kB per row instead of every count; null on rows
    # written before it existed (then it is worked out from `counts`).
    item_n: Mapped[bytes | None] = mapped_column(LargeBinary)
    computed_at: Mapped[datetime] = mapped_column(DateTime)
