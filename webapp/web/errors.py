"""Error pages in the user's language; never a stack trace."""
from __future__ import annotations

import logging

from flask import Flask, Response, render_template
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


def refuse_unsendable_headers(response: Response) -> Response:
    """Answer with the error page when a header cannot travel as Latin-1.

    The server would otherwise fail only after the app is done, and send its own bare English
    «Internal Server Error» instead of our page in the reader's language.
    """
    for name, value in response.headers.items():
        try:
            value.encode("latin-1")
        except UnicodeEncodeError:
            log.error("response header %s cannot be sent; error page instead", name)
            return Response(render_template("errors/http.html", code=500), 500)
    return response
