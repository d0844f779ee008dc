"""The embedded worker: consumes in the web process (laget serve), no separate process needed."""
from __future__ import annotations

from dramatiq import Worker
from flask import Flask

from workers import IDLE_POLL_MS
from workers.broker import broker
from workers.context import AppContextMiddleware
from workers.relay import RelayMiddleware
from workers.scheduler import SchedulerMiddleware


def start_embedded_worker(app: Flask, threads: int = 3) -> Worker:
    """Start a worker on every queue (aggregation, matching, planning) and the outbox relay as threads of
    this process; three threads, so that a plan being solved leaves two for the figures."""
    from workers import actors  # noqa: F401  (declares the actors on the broker)

    broker.add_middleware(AppContextMiddleware(app))
    broker.add_middleware(RelayMiddleware(app))
    broker.add_middleware(SchedulerMiddleware(app))
    worker = Worker(broker, worker_threads=threads, worker_timeout=IDLE_POLL_MS)
    worker.start()
    return worker
