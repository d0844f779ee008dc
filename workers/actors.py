"""Actors: tiny, idempotent, ids in; each calls a service and commits."""
import dramatiq

from webapp.extensions import db
from webapp.models import Round
from webapp.services import aggregates, publication
from webapp.services.stats import recompute_school_count
from workers.broker import broker  # noqa: F401  (the broker must exist before actors)

AGGREGATION = "aggregation"


@dramatiq.actor(queue_name=AGGREGATION, max_retries=10, time_limit=60_000, min_backoff=500)
def aggregate_school(round_id: int, school_id: int) -> None:
    """Recompute a school's count and live figures and re-sum the levels above it (safe to repeat);
    when the school has a block of answers to release, ask for a publication."""
    recompute_school_count(db.session, round_id, school_id)
    found = db.session.get(Round, round_id)
    due = aggregates.refresh_school(db.session, found, school_id) if found is not None else False
    db.session.commit()
    if due:
        # Not through the outbox: if this send fails the message is retried and sends again, and a
        # lost one is made up by the next publication in the round or the scheduled reconciliation.
        publish_round.send(round_id)


@dramatiq.actor(queue_name=AGGREGATION, max_retries=10, time_limit=120_000, min_backoff=500)
def publish_round(round_id: int) -> None:
    """Release every block of answers then due in the round (or, for a closed round, bring its final
    figures up to date); safe to repeat. Round-wide, so a burst of answers costs one publication: the
    first message releases everything due, the ones queued behind it find nothing to do."""
    found = db.session.get(Round, round_id)
    if found is not None:
        publication.publish(db.session, found)
    db.session.commit()


@dramatiq.actor(queue_name=AGGREGATION, max_retries=3, time_limit=600_000)
def reconcile_round(round_id: int) -> None:
    """Rebuild an open round from its answers and log any difference from the incremental figures;
    publish the final figures of a closed round that has none yet (from a rebuild: its live figures
    may be from before an upgrade)."""
    found = db.session.get(Round, round_id)
    if found is not None and found.status == "open":
        aggregates.reconcile(db.session, found)
        db.session.commit()
    elif found is not None and found.status == "closed" and found.final_published_at is None:
        aggregates.rebuild(db.session, found)
        db.session.commit()
