"""Actors: tiny, idempotent, ids in; each calls a service and commits."""
import logging

import dramatiq

from flask import current_app
from sqlalchemy.exc import DBAPIError

from webapp.domain.planning import PlanRefused
from webapp.extensions import db
from webapp.models import Round
from webapp.services import aggregates, matching, outbox, plan_runs, planning, publication
from workers.broker import broker  # noqa: F401  (the broker must exist before actors)

AGGREGATION = "aggregation"
MATCHING = "matching"
PLANNING = "planning"
log = logging.getLogger(__name__)


@dramatiq.actor(queue_name=AGGREGATION, max_retries=10, time_limit=60_000, min_backoff=500)
def aggregate_school(round_id: int, school_id: int, upto: int | None = None) -> None:
    """Recompute a school's live figures and re-sum the levels above it (safe to repeat); when the
    school has a block of answers to release, ask for a publication through the outbox. `upto`: the
    highest outbox event this message stands for (none from before the outbox kept events)."""
    if upto is not None and not outbox.claim(db.session, outbox.school_key(round_id, school_id), upto):
        db.session.commit()
        return  # a message sent again, whose work an earlier one has done
    found = db.session.get(Round, round_id)
    if found is not None and aggregates.refresh_school(db.session, found, school_id):
        outbox.add_event(db.session, outbox.PUBLICATION_DUE, {"round_id": round_id})
    db.session.commit()
    log.info("refreshed school %d of round %d", school_id, round_id)


@dramatiq.actor(queue_name=AGGREGATION, max_retries=10, time_limit=120_000, min_backoff=500)
def publish_round(round_id: int, upto: int | None = None) -> None:
    """Release every block of answers then due in the round (or, for a closed round, bring its final
    figures up to date); safe to repeat. Round-wide, so a burst of answers costs one publication: the
    relay sends one message for every publication asked for meanwhile."""
    if upto is not None and not outbox.claim(db.session, outbox.publish_key(round_id), upto):
        db.session.commit()
        return
    found = db.session.get(Round, round_id)
    if found is not None and found.status == "closed":
        # The final figures are published once and never move, so they come from all the answers (a
        # rebuild), never from live rows that messages still queued at the close have not refreshed yet
        if found.final_published_at is None:
            aggregates.rebuild(db.session, found)
    elif found is not None:
        publication.publish(db.session, found)
    db.session.commit()
    log.info("published round %d", round_id)


@dramatiq.actor(queue_name=AGGREGATION, max_retries=3, time_limit=600_000)
def reconcile_round(round_id: int) -> None:
    """Rebuild an open round from its answers and log any difference from the incremental figures;
    publish the final figures of a closed round that has none yet (from a rebuild: its live figures
    may be from before an upgrade), and count the leader figures of one finally published before they
    were stored."""
    found = db.session.get(Round, round_id)
    if found is not None and found.status == "open":
        aggregates.reconcile(db.session, found)
        db.session.commit()
    elif found is not None and found.status == "closed" and found.final_published_at is None:
        aggregates.rebuild(db.session, found)
        db.session.commit()
    elif found is not None and found.status == "closed" and found.leaders_counted_at is None:
        publication.publish(db.session, found)  # finally published before leader figures were stored
        db.session.commit()


@dramatiq.actor(queue_name=MATCHING, max_retries=10, time_limit=300_000, min_backoff=500)
def match_round(round_id: int, upto: int | None = None) -> None:
    """Recompute the gaps and course matches of the units whose published figures changed (every unit
    when the catalogue changed); safe to repeat. Its own queue, so ranking never holds up answers."""
    if upto is not None and not outbox.claim(db.session, outbox.match_key(round_id), upto):
        db.session.commit()
        return
    found = db.session.get(Round, round_id)
    if found is not None:
        matching.recompute_round(db.session, found, current_app.config["LAGET"].surveys_dir)
    db.session.commit()
    log.info("matched round %d", round_id)


@dramatiq.actor(queue_name=PLANNING, max_retries=3, time_limit=180_000, min_backoff=1000)
def make_plan(run_id: int, upto: int | None = None) -> None:
    """Work out a requested course budget plan and store it, or the planner's refusal; safe to repeat (a
    finished run is not worked out again). Its own queue, so a slow plan never holds up answers.

    Three short transactions, none held while the solver runs (on SQLite a write transaction would
    lock out every other writer for that long): mark the run running; read and solve; store the outcome
    and delete the run's outbox events. A worker that dies on the way leaves the events, so the relay
    sends the run again."""
    try:
        request = plan_runs.start_run(db.session, run_id)
    except plan_runs.RunBusy:  # another worker solves it; its events stay, so a dead one's run comes again
        db.session.rollback()
        log.info("plan run %d is being made by another worker", run_id)
        return
    db.session.commit()
    result, refusal = None, None
    if request is not None:
        try:
            result = planning.run_plan(db.session, request)
        except PlanRefused as exc:
            refusal = exc
        except DBAPIError:
            raise  # the database is away: a retry, or the relay's resend, does it later
        except Exception:  # a bug, not the input: the run says it failed instead of being sent forever
            log.exception("plan run %d failed", run_id)
        db.session.rollback()  # ends the read, so the write below starts from the newest data
    if upto is not None:
        outbox.claim(db.session, outbox.plan_key(run_id), upto)
    if request is not None:
        plan_runs.finish_run(db.session, run_id, result, refusal)
    db.session.commit()
    log.info("plan run %d done", run_id)
