"""Periodic work inside a worker process: reconcile open rounds every RECONCILE_MINUTES (default 30),
and delete the drafts nobody has continued for DRAFT_RETENTION_DAYS, daily."""
from __future__ import annotations

import logging
import os
import threading

import dramatiq
from flask import Flask
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Round
from webapp.services import answering, pool
from workers import actors

log = logging.getLogger(__name__)
DAY = 24 * 60 * 60


def enqueue_reconciliations(app: Flask) -> int:
    """Send one reconcile_round message per open round, and per closed round whose final figures are
    not published yet (its publish_round message was lost, or an upgrade deleted figures made under an
    earlier rule) or whose leader figures are not counted yet (finally published before they were
    stored); returns how many."""
    with app.app_context():
        try:
            ids = list(db.session.scalars(select(Round.id).where(
                (Round.status == "open")
                | ((Round.status == "closed") & (Round.final_published_at.is_(None)
                                                 | Round.leaders_counted_at.is_(None))))))
        finally:
            db.session.remove()
    for round_id in ids:
        actors.reconcile_round.send(round_id)
    return len(ids)


def delete_stale_drafts(app: Flask) -> int:
    """Delete the drafts of links nobody has continued for the retention period; returns how many."""
    with app.app_context():
        try:
            deleted = answering.delete_stale_drafts(db.session, app.config["LAGET"].draft_retention_days)
            db.session.commit()
            if deleted:
                pool.vacuum(db.engine)  # their old row versions go too
        finally:
            db.session.remove()
    return deleted


class SchedulerMiddleware(dramatiq.Middleware):
    """Start the timers when a worker boots; every process schedules, and doing either twice is harmless."""

    def __init__(self, app: Flask, minutes: float | None = None):
        self.app = app
        if minutes is None:
            minutes = float(os.environ.get("RECONCILE_MINUTES", "30"))
        self.interval = 60 * minutes
        self._stop = threading.Event()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                log.info("scheduled reconciliation of %d open round(s)", enqueue_reconciliations(self.app))
            except Exception as exc:  # broker or database away: try again next time
                log.warning("could not schedule reconciliation (%s)", type(exc).__name__)

    def _delete_drafts_daily(self) -> None:
        while True:
            try:
                log.info("deleted %d stale draft(s)", delete_stale_drafts(self.app))
            except Exception as exc:  # database away: try again tomorrow
                log.warning("could not delete stale drafts (%s)", type(exc).__name__)
            if self._stop.wait(DAY):
                return

    def after_worker_boot(self, broker, worker) -> None:  # noqa: ANN001
        threading.Thread(target=self._run, name="reconcile-scheduler", daemon=True).start()
        threading.Thread(target=self._delete_drafts_daily, name="draft-deleter", daemon=True).start()

    def before_worker_shutdown(self, broker, worker) -> None:  # noqa: ANN001
        self._stop.set()
