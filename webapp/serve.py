"""The embedded server: gunicorn with one process of threads, plus the in-process worker."""
from __future__ import annotations

import logging

from gunicorn.app.base import BaseApplication

from webapp import gunicorn_conf
from webapp.config import Settings

log = logging.getLogger(__name__)


class EmbeddedServer(BaseApplication):
    """Serve the app on localhost; the Dramatiq worker and outbox relay run as threads of it."""

    def __init__(self, settings: Settings, host: str, port: int, threads: int = 8):
        self.settings, self.host, self.port, self.threads = settings, host, port, threads
        super().__init__()

    def load_config(self) -> None:
        for name, value in vars(gunicorn_conf).items():  # what `-c python:webapp.gunicorn_conf` sets
            if name in self.cfg.settings:
                self.cfg.set(name, value)
        self.cfg.set("bind", f"{self.host}:{self.port}")
        self.cfg.set("workers", 1)
        self.cfg.set("worker_class", "gthread")
        self.cfg.set("threads", self.threads)
        self.cfg.set("post_worker_init", _start_worker)

    def load(self):
        from webapp import create_app

        app = create_app(self.settings)
        self.app = app
        return app


def _start_worker(worker) -> None:  # noqa: ANN001  (gunicorn's worker)
    """Start the in-process Dramatiq worker and outbox relay next to the web threads."""
    from workers.embedded import start_embedded_worker

    start_embedded_worker(worker.app.app)
    log.info("in-process worker and outbox relay started")
