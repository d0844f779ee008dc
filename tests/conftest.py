"""Shared fixtures: one app per test session on SQLite or PostgreSQL (LAGET_TEST_DB), tables emptied per
test."""
from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from webapp.config import PROJECT_ROOT, Settings

TEST_DB = os.environ.get("LAGET_TEST_DB", "sqlite")
PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PG_TEST_NAME = os.environ.get("TEST_POSTGRES_DB", "laget_test")
ADMIN_PASSWORD = "correct horse battery"
SECRET = "test-secret-key-0123456789abcdef"
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"


def pytest_report_header(config) -> str:  # noqa: ANN001
    return f"laget test database: {TEST_DB}"


def pytest_sessionstart(session) -> None:  # noqa: ANN001
    """Compile the UI catalogs, so a bare `pytest` sees the same Norwegian texts as `make test`."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in (PROJECT_ROOT / "webapp" / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source, mo.open("wb") as target:
                write_mo(target, read_po(source))


def _postgres_url() -> str:
    """Create (if needed) and empty the test database; fail clearly when PostgreSQL is not there."""
    try:
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": PG_TEST_NAME})
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{PG_TEST_NAME}"'))
        admin.dispose()
    except Exception as exc:  # report any connection problem as a clear failure
        pytest.exit(f"PostgreSQL is not reachable at {PG_ADMIN_URL} ({exc.__class__.__name__}). "
                    "Start it (see README) or run with LAGET_TEST_DB=sqlite.", returncode=3)
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_TEST_NAME}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:  # noqa: ANN001
    if TEST_DB == "postgresql":
        return _postgres_url()
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'laget-test.sqlite'}"


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return Settings(secret_key=SECRET, database_url=database_url, testing=True,
                    base_url="http://laget.test")


@pytest.fixture(scope="session")
def app(settings: Settings):
    """The one application of the test session, migrated with Alembic like production."""
    from flask_migrate import upgrade

    from webapp import create_app

    application = create_app(settings)
    with application.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
    return application


@pytest.fixture(autouse=True)
def _empty_tables(request):  # noqa: ANN001
    """Empty every table, and forget the log-in attempts counted, after each test that used the app."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    from webapp.extensions import db, limiter

    limiter.reset()

    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as conn:
            if db.engine.dialect.name == "postgresql":
                conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    conn.execute(text(f"DELETE FROM {table}"))


@pytest.fixture()
def db_session(app):
    from webapp.extensions import db

    with app.app_context():
        yield db.session
        db.session.remove()


@pytest.fixture()
def client(app):
    return app.test_client()


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


ORG_CSV = """kommune,fylke,school_code,school_name,skoleslag
Fjordvik,Vestland,S1,Breivika skole,grunnskole
Fjordvik,Vestland,S2,Haugen skole,grunnskole
Elvdal,Vestland,S3,Elvdal vgs,vgs
"""


@pytest.fixture()
def open_round(app, settings):
    """An open round of the default questionnaire for three schools; returns its name."""
    from webapp.extensions import db
    from webapp.services import org, rounds

    with app.app_context():
        org.import_org(db.session, ORG_CSV)
        rounds.create_round(db.session, settings.surveys_dir, "kompetanse-og-anerkjennelse", "Høst 2026")
        rounds.set_status(db.session, "Høst 2026", "open")
        db.session.commit()
    return "Høst 2026"


@pytest.fixture()
def invite(app, open_round):
    """Create invitations: invite('S1', 2) -> list of tokens."""
    from webapp.extensions import db
    from webapp.services import rounds

    def make(school: str = "S1", count: int = 1) -> list[str]:
        with app.app_context():
            found = rounds.get_round(db.session, open_round)
            tokens = rounds.create_invitations(db.session, found, school, count)
            db.session.commit()
            return tokens
    return make


@pytest.fixture()
def laget(app, monkeypatch, settings):
    """Invoke `laget …` in-process against the test database: laget(*args, input=None) -> click's result."""
    from click.testing import CliRunner

    from webapp.cli import cli

    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SECRET_KEY", settings.secret_key)
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):  # noqa: A002  (click's name)
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)
    return invoke


def publish_closed_round(settings, org_csv: str, name: str, answers: dict[str, int], seed: int,
                         fixed: dict | None = None) -> int:
    """Import `org_csv`, answer `answers[code]` times at each school (simulated answers, with `fixed`
    over them), close and publish the round and add the administrator admin@example.org (password
    ADMIN_PASSWORD); inside an app context. Returns the round's id."""
    import random

    from webapp.domain.simulate import simulate_answers
    from webapp.extensions import db
    from webapp.services import aggregates, answering, org, rounds
    from webapp.services.users import create_user

    rng = random.Random(seed)
    org.import_org(db.session, org_csv)
    found = rounds.create_round(db.session, settings.surveys_dir, "kompetanse-og-anerkjennelse", name)
    rounds.set_status(db.session, name, "open")
    for code, count in answers.items():
        for token in rounds.create_invitations(db.session, found, code, count):
            link = answering.open_link(db.session, token)
            answering.store_response(db.session, link.questionnaire, found.id, link.invitation.school_id,
                                     {**simulate_answers(link.questionnaire, rng), **(fixed or {})})
    rounds.set_status(db.session, name, "closed")
    aggregates.rebuild(db.session, found)
    create_user(db.session, "admin@example.org", ADMIN_PASSWORD, "admin")
    db.session.commit()
    return found.id


@pytest.fixture(scope="session")
def questionnaire():
    from webapp.domain.questionnaire import parse_definition
    from webapp.services.surveys import read_file

    path = PROJECT_ROOT / "surveys" / "kompetanse-og-anerkjennelse" / "v1.yaml"
    return parse_definition(read_file(path).data)


def sqlite_files(database_url: str) -> bytes:
    """The bytes of a SQLite database and its write-ahead log, read by another process: closing a file
    of the database in this one would drop the POSIX locks that this process's connections hold."""
    path = database_url.removeprefix("sqlite:///")
    return subprocess.run(["cat", path, path + "-wal"], capture_output=True, check=True).stdout


def scratch_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="laget-"))
