"""Actors: tiny, idempotent, ids in; each calls a service and commits."""
import dramatiq

from webapp.extensions import db
from webapp.models import Round
from webapp.services import aggregates
from webapp.services.stats import recompute_school_count
from workers.broker import broker  # noqa: F401  (the broker must exist before actors)

AGGREGATION = "aggregation"


@dramatiq.actor(queue_name=AGGREGATION, max_retries=10, time_limit=60_000, min_backoff=500)
def aggregate_school(round_id: int, school_id: int) -> None:
    """Recompute a school's count and live figures and re-sum the levels above it (safe to repeat);
    when that makes a publication due, ask for one."""
    recompute_school_count(db.session, round_id, school_id)
    found = db.session.get(Round, round_id)
    due = aggregates.refresh_school(db.session, found, school_id) if found is not None else []
    db.session.commit()
    if due:
        # Not through the outbox: if this send fails the message is retried and sends again, and a
        # lost one is made up by the next due publication in the round, the daily rule or the
        # scheduled reconciliation.
        publish_round.send(round_id)


@dramatiq.actor(queue_name=AGGREGATION, max_retries=10, time_limit=120_000, min_backoff=500)
def publish_round(round_id: int) -> None:
    """Publish every unit of the round whose figures may be shown anew and decide the round's
    suppression (safe to repeat). Round-wide, so a burst of answers costs one such decision: the
    first message publishes every unit then due, the ones queued behind it find nothing to do."""
    found = db.session.get(Round, round_id)
    if found is not None:
        aggregates.publish(db.session, found)
    db.session.commit()


@dramatiq.actor(queue_name=AGGREGATION, max_retries=3, time_limit=600_000)
def reconcile_round(round_id: int) -> None:
    """Rebuild an open round from its answers and log any difference from the incremental figures."""
    found = db.session.get(Round, round_id)
    if found is not None and found.status == "open":
        aggregates.reconcile(db.session, found)
        db.session.commit()
