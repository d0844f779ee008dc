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
