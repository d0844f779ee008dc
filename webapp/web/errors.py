"""Error pages in the user's language; never a stack trace."""
from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


def register_error_pages(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def show_http_error(error: HTTPException):
        return render_template("errors/http.html", code=error.code), error.code

    @app.errorhandler(CSRFError)
    def show_csrf_error(error: CSRFError):
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(Exception)
    def show_server_error(error: Exception):
        log.exception("unhandled error: %s", type(error).__name__)
        return render_template("errors/http.html", code=500), 500
