"""INSERT … ON CONFLICT for the dialects we run on (SQLite and PostgreSQL)."""
from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session


def upsert(session: Session, model: type, values: dict[str, Any], keys: list[str],
           update: dict[str, Any]) -> None:
    """Insert a row, or apply `update` to the row with the same natural key."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(model).values(**values).on_conflict_do_update(index_elements=keys, set_=update))
