"""Wiring for create_app: configuration, extensions, blueprints, error pages."""
from __future__ import annotations

import logging
from datetime import timedelta

from flask import Flask, current_app, has_request_context, request, session
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.middleware.proxy_fix import ProxyFix

from webapp import logscrub
from webapp.config import PROJECT_ROOT, Settings
from webapp.extensions import babel, csrf, db, limiter, login_manager, migrate

LANGUAGES = ("nb", "nn", "en")
log = logging.getLogger(__name__)


def configure(app: Flask, settings: Settings) -> None:
    """Apply settings and bind extensions and blueprints to `app`."""
    logscrub.install()
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SQLALCHEMY_DATABASE_URI=settings.database_url,
        SQLALCHEMY_ENGINE_OPTIONS=_engine_options(settings.database_url),
        LAGET=settings,
        TESTING=settings.testing,
        BABEL_DEFAULT_LOCALE=settings.default_locale,
        BABEL_TRANSLATION_DIRECTORIES=str(PROJECT_ROOT / "webapp" / "translations"),
        WTF_CSRF_TIME_LIMIT=int(timedelta(hours=12).total_seconds()),
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        REMEMBER_COOKIE_SECURE=settings.session_cookie_secure,
        **_rate_limit_config(settings),
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        SEND_FILE_MAX_AGE_DEFAULT=timedelta(hours=1),
    )
    db.init_app(app)
    app.teardown_appcontext(end_session)  # registered after Flask-SQLAlchemy's, so it runs first
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.log_in"
    login_manager.login_message = None
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    if settings.trusted_proxy_count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxy_count)  # type: ignore[method-assign]
    _register_blueprints(app)
    logging.getLogger("webapp").setLevel(logging.INFO)
    from webapp.web.errors import LastResortErrorPage

    app.wsgi_app = LastResortErrorPage(app, LANGUAGES, select_locale)  # type: ignore[method-assign]


def select_locale() -> str:
    """Pick the UI language: ?lang=, then the session, then the browser, then bokmål (also the CLI's)."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        session["lang"] = chosen
        return chosen
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    best = request.accept_languages.best_match(("nb", "no", "nn", "en"))
    return "nb" if best in (None, "no") else best


def _rate_limit_config(settings: Settings) -> dict[str, object]:
    """Flask-Limiter's storage: Redis when there is one (shared by every web process), else memory.

    Should Redis go away, each process counts in its own memory until it is back, so logging in keeps
    working and stays limited.
    """
    if settings.redis_url is None:
        return {"RATELIMIT_STORAGE_URI": "memory://", "RATELIMIT_STRATEGY": "moving-window"}
    return {"RATELIMIT_STORAGE_URI": settings.redis_url, "RATELIMIT_STRATEGY": "moving-window",
            "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
            "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True}


def _engine_options(url: str) -> dict[str, object]:
    """Engine options; SQL parameters (answers, token hashes) are kept out of error messages."""
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30}, "hide_parameters": True}
    # pool_pre_ping costs a SELECT 1 per request, but without it every pooled connection of every
    # worker that a database restart or a network cut left dead fails one reader's request.
    return {"pool_pre_ping": True, "pool_recycle": 300, "pool_size": 5, "max_overflow": 5,
            "hide_parameters": True}


def end_session(_error: BaseException | None) -> None:
    """Close the context's database session; a connection that cannot roll back is dropped, not raised.

    Raised here, after the response is made, the error would reach gunicorn instead of our error page.
    """
    try:
        db.session.remove()
    except SQLAlchemyError as error:
        log.error("database session could not be closed (%s); its connection is dropped",
                  type(error).__name__)
        db.session().invalidate()
        db.session.remove()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:  # noqa: ANN001
    """Enforce foreign keys, allow concurrent readers and overwrite deleted rows on SQLite."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # Deleted pool rows and drafts are zeroed in the file instead of left in free space.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def _register_blueprints(app: Flask) -> None:
    from webapp.web.admin import bp as admin_bp
    from webapp.web.admin.courses import bp as courses_bp
    from webapp.web.admin.kommuner import bp as kommuner_bp
    from webapp.web.api import bp as api_bp
    from webapp.web.auth import bp as auth_bp
    from webapp.web.dashboards import bp as dashboards_bp
    from webapp.web.errors import refuse_unsendable_headers, register_error_pages
    from webapp.web.health import bp as health_bp
    from webapp.web.home import bp as home_bp
    from webapp.web.leader import bp as leader_bp
    from webapp.web.planning import bp as planning_bp
    from webapp.web.respond import bp as respond_bp
    from webapp.web import static_files
    from webapp.web.security_headers import add_security_headers
    from webapp.web.templating import register_template_helpers

    static_files.register(app)
    app.register_blueprint(respond_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(courses_bp)
    app.register_blueprint(kommuner_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(dashboards_bp)
    app.register_blueprint(leader_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(planning_bp)
    register_error_pages(app)
    register_template_helpers(app)
    app.after_request(add_security_headers)
    app.after_request(refuse_unsendable_headers)  # registered last, runs first: its page gets the headers too
