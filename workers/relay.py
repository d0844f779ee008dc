"""The outbox relay: turns committed outbox rows into Dramatiq messages."""
from __future__ import annotations

import logging
import threading
from typing import Any

import dramatiq
from flask import Flask

from webapp.extensions import db
from webapp.services import outbox
from workers import actors
from workers.mover import PoolMover

log = logging.getLogger(__name__)


def send_event(topic: str, payload: dict[str, Any], upto: int) -> None:
    """Enqueue the actor that does the work of an outbox topic, for its events up to `upto`."""
    if topic == outbox.RESPONSE_STORED:
        actors.aggregate_school.send(payload["round_id"], payload["school_id"], upto)
    elif topic == outbox.PUBLICATION_DUE:
        actors.publish_round.send(payload["round_id"], upto)
    elif topic == outbox.MATCHING_DUE:
        actors.match_round.send(payload["round_id"], upto)
    elif topic == outbox.PLAN_DUE:
        actors.make_plan.send(payload["run_id"], upto)
    else:
        log.warning("dropping outbox event with unknown topic %s", topic)


class OutboxRelay:
    """A thread that relays pending outbox events every `interval` seconds, backing off while the broker
    is down, and sends again what was sent `resend_after` seconds ago and is not done (settings).
    It runs the pool mover first, so the events of a batch the mover stores go out in the same pass.
    """

    def __init__(self, app: Flask, interval: float = 0.2, max_backoff: float = 5.0):
        self.app, self.interval, self.max_backoff = app, interval, max_backoff
        self.resend_after = app.config["LAGET"].resend_after
        self.mover = PoolMover(app)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def relay_once(self) -> tuple[int, Exception | None]:
        with self.app.app_context():
            try:
                sent, failure = outbox.relay_batch(db.session, send_event, self.resend_after)
                db.session.commit()
            finally:
                db.session.remove()
        return sent, failure

    def run(self) -> None:
        delay = self.interval
        while not self._stop.is_set():
            try:
                self.mover.run_due()
            except Exception as exc:  # the database is away; the pool waits for the next pass
                log.warning("pool mover: database unavailable (%s)", type(exc).__name__)
            try:
                sent, failure = self.relay_once()
            except Exception as exc:  # the database itself is away; try again later
                sent, failure = 0, exc
            if failure is not None:
                log.warning("outbox relay: broker or database unavailable (%s); retrying in %.1f s",
                            type(failure).__name__, delay)
                delay = min(delay * 2, self.max_backoff)
            else:
                delay = self.interval
            if sent == 0 or failure is not None:
                self._stop.wait(delay)

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="outbox-relay", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)


class RelayMiddleware(dramatiq.Middleware):
    """Start the relay when a worker process boots, stop it when it shuts down."""

    def __init__(self, app: Flask):
        self.relay = OutboxRelay(app)

    def after_worker_boot(self, broker, worker) -> None:  # noqa: ANN001
        self.relay.start()

    def before_worker_shutdown(self, broker, worker) -> None:  # noqa: ANN001
        self.relay.stop()
