"""Response counts per school, recomputed from the stored responses."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.models import Response, SchoolStats
from webapp.services.rounds import now
from webapp.services.upsert import upsert


def recompute_school_count(session: Session, round_id: int, school_id: int) -> int:
    """Replace the school's response count with a fresh count; safe to repeat."""
    count = session.scalar(select(func.count()).select_from(Response)
                           .where(Response.round_id == round_id, Response.school_id == school_id)) or 0
    refreshed = now()
    upsert(session, SchoolStats, {"round_id": round_id, "school_id": school_id, "responses": count,
                                  "refreshed_at": refreshed},
           ["round_id", "school_id"], {"responses": count, "refreshed_at": refreshed})
    return count
