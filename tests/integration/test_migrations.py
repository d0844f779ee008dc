"""The migrations make the schema the models describe, and the outbox migration carries data both ways."""
from __future__ import annotations

import json

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from webapp.config import PROJECT_ROOT, Settings
from webapp.extensions import db

MIGRATIONS = str(PROJECT_ROOT / "migrations")


def test_the_migrated_database_is_what_the_models_say(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_the_outbox_migration_keys_waiting_events_and_goes_back_to_school_stats(tmp_path, settings):
    from webapp import create_app

    scratch = create_app(Settings(secret_key=settings.secret_key, database_url=f"sqlite:///{tmp_path}/m.sqlite",
                                  testing=True))
    with scratch.app_context():
        # Given an event waiting in the outbox before the migration
        upgrade(directory=MIGRATIONS, revision="4b8e1f6a2c93")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO outbox_event (topic, payload, created_at, attempts) VALUES "
                              "('response.stored', :p, CURRENT_TIMESTAMP, 0)"),
                         {"p": json.dumps({"round_id": 3, "school_id": 4})})
        # When it runs, Then the event gets its key and waits to be sent
        upgrade(directory=MIGRATIONS, revision="4b7e1f2a9c83")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT key, sent_at FROM outbox_event")).all() == [("school:3:4", None)]
        # and back down, the event is there for the old relay, and school_stats is back
        downgrade(directory=MIGRATIONS, revision="4b8e1f6a2c93")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT topic FROM outbox_event")).scalars().all() == ["response.stored"]
            assert conn.execute(text("SELECT count(*) FROM school_stats")).scalar() == 0
        upgrade(directory=MIGRATIONS)
        db.engine.dispose()


def test_the_kommune_rate_migration_adds_an_empty_checked_rate_and_goes_back(tmp_path, settings):
    from sqlalchemy.exc import IntegrityError

    from webapp import create_app

    scratch = create_app(Settings(secret_key=settings.secret_key, database_url=f"sqlite:///{tmp_path}/r.sqlite",
                                  testing=True))
    with scratch.app_context():
        # Given a kommune before the migration
        upgrade(directory=MIGRATIONS, revision="b2e4d6f8a0c1")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO fylke (id, name) VALUES (1, 'Vestland')"))
            conn.execute(text("INSERT INTO kommune (id, name, fylke_id) VALUES (1, 'Fjordvik', 1)"))
        # When it runs, Then the kommune has no rate of its own, and a rate out of range is refused
        upgrade(directory=MIGRATIONS, revision="c4d5e6f7a8b9")
        with db.engine.begin() as conn:
            assert conn.execute(text("SELECT substitute_rate_nok FROM kommune")).scalar() is None
            conn.execute(text("UPDATE kommune SET substitute_rate_nok = 350"))
        for bad in (0, 2001):
            try:
                with db.engine.begin() as conn:
                    conn.execute(text("UPDATE kommune SET substitute_rate_nok = :v"), {"v": bad})
            except IntegrityError:
                pass
            else:
                raise AssertionError(f"a rate of {bad} was stored")
        # and back down, the kommune is kept without the column
        downgrade(directory=MIGRATIONS, revision="b2e4d6f8a0c1")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT name FROM kommune")).scalars().all() == ["Fjordvik"]
            columns = [row[1] for row in conn.execute(text("PRAGMA table_info(kommune)"))]
            assert "substitute_rate_nok" not in columns
        upgrade(directory=MIGRATIONS)
        db.engine.dispose()
