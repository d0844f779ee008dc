"""Course budget plans: a plan asked for (worked out by a worker) and a plan saved under a name.

Both hold a snapshot of the plan as the planning service returned it (services/planning.run_plan), so a
saved plan reads the same after the figures or the catalogue have moved on.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db

RUN_STATUSES = ("queued", "running", "done", "refused", "failed")


class PlanRun(db.Model):
    """A plan someone asked for: the request, and, once the worker is done, the plan or why there is none."""

    __tablename__ = "plan_run"
    __table_args__ = (
        CheckConstraint("level IN ('school', 'kommune')", name="level"),
        CheckConstraint("status IN ('queued', 'running', 'done', 'refused', 'failed')", name="status"),
        Index("ix_plan_run_unit", "round_id", "level", "unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(10))
    unit_id: Mapped[int] = mapped_column(Integer)
    request: Mapped[dict[str, Any]] = mapped_column(JSON)  # services.planning.PlanRequest.as_json()
    status: Mapped[str] = mapped_column(String(10), default="queued")
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the snapshot of run_plan
    refusal_code: Mapped[str | None] = mapped_column(String(40))  # domain.planning.PlanRefused.code
    refusal_params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)


class SavedPlan(db.Model):
    """A plan its maker saved under a name, for the budget meeting; the unit's tillitsvalgt may read it."""

    __tablename__ = "saved_plan"
    __table_args__ = (
        CheckConstraint("level IN ('school', 'kommune')", name="level"),
        UniqueConstraint("round_id", "level", "unit_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(10))
    unit_id: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    saved_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    saved_at: Mapped[datetime] = mapped_column(DateTime)
