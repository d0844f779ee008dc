"""Run every actor inside a Flask app context with a fresh database session."""
from __future__ import annotations

import threading

import dramatiq
from flask import Flask

from webapp.extensions import db


class AppContextMiddleware(dramatiq.Middleware):
    def __init__(self, app: Flask):
        self.app = app
        self._local = threading.local()

    def before_process_message(self, broker, message) -> None:  # noqa: ANN001
        context = self.app.app_context()
        context.push()
        self._local.context = context

    def after_process_message(self, broker, message, *, result=None, exception=None) -> None:  # noqa: ANN001
        context = getattr(self._local, "context", None)
        if context is None:
            return
        db.session.remove()
        context.pop()
        self._local.context = None

    after_skip_message = after_process_message
