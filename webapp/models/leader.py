"""The short leader questionnaire's answers (one set per round and school, the last saved wins), and the
leader figures above the school, stored once at the final publication."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db


class LeaderAnswer(db.Model):
    """A school leader's yes/no to the three statements about one yrkesgruppe at the school in one round,
    or that the group is not at the school (`present` false, no answers).

    These are the school management's signed statements, not anonymous survey answers: who saved them
    and when is kept with them. A save replaces the school's whole set (services/leader.py).
    """

    __tablename__ = "leader_answer"
    __table_args__ = (
        CheckConstraint("present OR (leder_plan IS NULL AND leder_roller IS NULL AND leder_felles IS NULL)",
                        name="absent_group_has_no_answers"),
    )

    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), primary_key=True)
    yrkesgruppe: Mapped[str] = mapped_column(String(40), primary_key=True)
    present: Mapped[bool] = mapped_column(Boolean)
    leder_plan: Mapped[bool | None] = mapped_column(Boolean)
    leder_roller: Mapped[bool | None] = mapped_column(Boolean)
    leder_felles: Mapped[bool | None] = mapped_column(Boolean)
    # Who saved the set (kept when the account is deleted: the statement stays the school's) and when
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime] = mapped_column(DateTime)


class LeaderShareRow(db.Model):
    """A leader figure above the school: of the `n` counted statements `statement` about group `grp` (or
    "all") in unit (`level`, `unit_id`), how many said yes.

    Computed once, in the transaction of the round's final publication, from the leader answers and the
    school staff figures published then, over the round's kommuner as they were then; never recomputed
    (services/leader.py, docs/privacy.md «Leader answers»). A unit with no block has no row.
    """

    __tablename__ = "leader_share"
    __table_args__ = (
        CheckConstraint("level IN ('kommune', 'fylke', 'round')", name="level"),
        CheckConstraint("yes >= 0 AND yes <= n", name="yes_of_n"),
    )

    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), primary_key=True)
    level: Mapped[str] = mapped_column(String(10), primary_key=True)
    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    statement: Mapped[str] = mapped_column(String(40), primary_key=True)
    grp: Mapped[str] = mapped_column(String(40), primary_key=True)
    yes: Mapped[int] = mapped_column(Integer)
    n: Mapped[int] = mapped_column(Integer)
