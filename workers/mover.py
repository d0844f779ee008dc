"""The pool mover: stores pooled responses a school's batch at a time, in the outbox relay's thread."""
from __future__ import annotations

import logging
import math
import time

from flask import Flask

from webapp.extensions import db
from webapp.services import pool

log = logging.getLogger(__name__)
# A school whose batch failed is tried again after FIRST_RETRY seconds, twice as long after each further
# failure, at most LAST_RETRY: a dropped database connection heals at the next try, while a batch that
# cannot be stored (sealed with another key) does not fill the log every second
FIRST_RETRY, LAST_RETRY = 2.0, 300.0


class PoolMover:
    """Stores the due batches every `every` seconds; vacuums after storing, at most every `vacuum_every`."""

    def __init__(self, app: Flask, every: float = 1.0, vacuum_every: float = 30.0):
        self.app, self.every, self.vacuum_every = app, every, vacuum_every
        self._next_pass = 0.0
        self._last_vacuum = -math.inf
        self._vacuum_due = False
        self._failing: dict[tuple[int, int], tuple[float, float]] = {}  # unit: (next try, its delay)

    def run_due(self) -> int:
        """Run a pass if one is due; returns how many responses were stored."""
        if time.monotonic() < self._next_pass:
            return 0
        self._next_pass = time.monotonic() + self.every
        moved = self.move_once()
        self._vacuum_due = self._vacuum_due or moved > 0
        if self._vacuum_due and time.monotonic() - self._last_vacuum >= self.vacuum_every:
            self.vacuum()
        return moved

    def move_once(self) -> int:
        """Store every due school's batch, each in a transaction of its own."""
        moved = 0
        with self.app.app_context():
            try:
                units = pool.due_units(db.session)
                db.session.commit()
                for unit in units:
                    if self._failing.get(unit, (0.0, 0.0))[0] > time.monotonic():
                        continue
                    try:
                        moved += pool.move_unit(db.session, *unit)
                        db.session.commit()
                        self._failing.pop(unit, None)
                    except Exception as exc:  # keep the pool rows; the other schools still move
                        db.session.rollback()
                        self._failed(unit, exc)
            finally:
                db.session.remove()
        return moved

    def _failed(self, unit: tuple[int, int], exc: Exception) -> None:
        delay = min(self._failing[unit][1] * 2, LAST_RETRY) if unit in self._failing else FIRST_RETRY
        self._failing[unit] = (time.monotonic() + delay, delay)
        # The type only: a database error's text carries the statement's parameters, i.e. answers
        log.warning("pool: round %d school %d not stored (%s); trying again in %.0f s",
                    unit[0], unit[1], type(exc).__name__, delay)

    def vacuum(self) -> None:
        with self.app.app_context():
            pool.vacuum(db.engine)
        self._last_vacuum, self._vacuum_due = time.monotonic(), False
