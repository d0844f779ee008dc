"""Periodic work inside a worker process: reconcile open rounds every RECONCILE_MINUTES (default 30)."""
from __future__ import annotations

import logging
import os
import threading

import dramatiq
from flask import Flask
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Round
from workers import actors

log = logging.getLogger(__name__)


def enqueue_reconciliations(app: Flask) -> int:
    """Send one reconcile_round message per open round; returns how many."""
    with app.app_context():
        try:
            ids = list(db.session.scalars(select(Round.id).where(Round.status == "open")))
        finally:
            db.session.remove()
    for round_id in ids:
        actors.reconcile_round.send(round_id)
    return len(ids)


class SchedulerMiddleware(dramatiq.Middleware):
    """Start the timer when a worker boots; every process schedules, and reconciling twice is harmless."""

    def __init__(self, app: Flask, minutes: float | None = None):
        self.app = app
        self.interval = 60 * (minutes if minutes is not None else float(os.environ.get("RECONCILE_MINUTES", "30")))
        self._stop = threading.Event()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                log.info("scheduled reconciliation of %d open round(s)", enqueue_reconciliations(self.app))
            except Exception as exc:  # broker or database away: try again next time
                log.warning("could not schedule reconciliation (%s)", type(exc).__name__)

    def after_worker_boot(self, broker, worker) -> None:  # noqa: ANN001
        threading.Thread(target=self._run, name="reconcile-scheduler", daemon=True).start()

    def before_worker_shutdown(self, broker, worker) -> None:  # noqa: ANN001
        self._stop.set()
