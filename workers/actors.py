"""Actors: tiny, idempotent, ids in; each calls a service and commits."""
import dramatiq

from webapp.extensions import db
from webapp.services.stats import recompute_school_count
from workers.broker import broker  # noqa: F401  (the broker must exist before actors)

AGGREGATION = "aggregation"


@dramatiq.actor(queue_name=AGGREGATION, max_retries=10, time_limit=60_000, min_backoff=500)
def aggregate_school(round_id: int, school_id: int) -> None:
    """Recompute a school's response count in a round (recompute-and-replace, safe to repeat)."""
    recompute_school_count(db.session, round_id, school_id)
    db.session.commit()
