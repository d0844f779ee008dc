"""Error pages in the user's language; never a stack trace."""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from flask import Flask, Response, render_template
from flask_babel import force_locale
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from webapp.web.security_headers import HEADERS

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


class LastResortErrorPage:
    """WSGI middleware: the 500 page for an exception that escapes Flask's error handlers.

    Those see what the view and its hooks raise, not what a teardown raises (a database connection
    that died before the session's rollback) once the response is built; gunicorn would answer that
    with its bare English page and a log line holding the whole path. The pages are rendered when the
    app is made, for an anonymous reader, so that sending one needs neither the database nor a request.
    """

    def __init__(self, app: Flask, languages: Iterable[str], choose: Callable[[], str]):
        self.app, self.wsgi_app, self.choose = app, app.wsgi_app, choose
        self.pages = {code: _render_server_error(app, code).encode("utf-8") for code in languages}

    def __call__(self, environ, start_response):  # noqa: ANN001  (WSGI)
        # The app's status and headers are held until it has returned: gunicorn would add the error
        # page's headers to them instead of replacing them.
        held: list = []

        def hold(status: str, headers: list, exc_info=None):  # noqa: ANN001
            held[:] = [status, headers, exc_info]
            return _no_write

        try:
            body = self.wsgi_app(environ, hold)
        except Exception as error:
            if self._propagate():  # tests and the debugger see the exception, as Flask lets them
                raise
            log.error("request failed after its response was made (%s): error page instead",
                      type(error).__name__)
            page = self.pages.get(self._language(environ)) or next(iter(self.pages.values()))
            start_response("500 INTERNAL SERVER ERROR", [
                ("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(page))),
                ("Cache-Control", "no-store"), *HEADERS.items()])
            return [page]
        start_response(*held)
        return body

    def _propagate(self) -> bool:
        propagate = self.app.config["PROPAGATE_EXCEPTIONS"]
        return self.app.testing or self.app.debug if propagate is None else propagate

    def _language(self, environ) -> str | None:  # noqa: ANN001
        try:
            with self.app.request_context(environ):
                return self.choose()
        except Exception:  # a broken cookie or header: the default language's page
            return None


def _no_write(data: bytes) -> None:
    raise NotImplementedError("Flask returns its body; it never writes through start_response")


def _render_server_error(app: Flask, language: str) -> str:
    with app.test_request_context("/"), force_locale(language):
        return render_template("errors/http.html", code=500)
