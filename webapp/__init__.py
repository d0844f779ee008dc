"""Laget: competence needs and recognition of non-teaching school staff."""
from __future__ import annotations

from flask import Flask

from webapp.config import Settings


def create_app(settings: Settings | None = None) -> Flask:
    """Build the Flask application; the only place extensions are bound."""
    from webapp import app_setup

    settings = settings or Settings.from_env()
    settings.validate()
    app = Flask(__name__, static_folder=None)  # webapp/web/static_files.py serves /static/
    app_setup.configure(app, settings)
    return app
