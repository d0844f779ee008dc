"""A round's units as stored, and the lock that serialises writers of its figures."""
from __future__ import annotations

import time

from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from webapp.domain.layout import Layout
from webapp.models import Kommune, Round, RoundSchool, School


def lock_round(session: Session, found: Round) -> None:
    """Serialise writers of one round's aggregates until the transaction ends, before anything is read,
    and read the round's status again under the lock.

    PostgreSQL: an advisory lock per round. SQLite: take the database's write lock now with a no-op
    write (pysqlite starts a transaction only at the first write), so that what is read next cannot
    be overtaken by another thread's commit — otherwise two publications could both release the same
    block from the same old figures.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": 7_000_000 + found.id})
    else:
        session.execute(text("UPDATE round SET status = status WHERE id = :id"), {"id": found.id})
    # What was read of the round before the lock may be old: a close committed while this transaction
    # waited must be seen, or an "open" publication would overwrite the final figures
    session.flush()
    session.refresh(found, ["status", "final_published_at", "leaders_counted_at"])


def lock_matching(session: Session, found: Round) -> None:
    """Serialise recomputations of one round's gaps and course matches until the transaction ends: the
    worker and `laget rebuild` (or the demo) may run one at the same time, and each replaces the same rows.
    A lock of its own, so ranking never holds up a publication."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": 8_000_000 + found.id})
    else:
        _sqlite_write_lock(session, found.id)


def _sqlite_write_lock(session: Session, round_id: int, attempts: int = 5) -> None:
    """Take SQLite's write lock with a no-op write. When this transaction has only read so far and another
    holds the write lock, SQLite refuses at once rather than wait («database is locked»: both could not
    go on). Having written nothing, the transaction loses nothing by starting over with the write, which
    then waits its turn."""
    for attempt in range(attempts):
        try:
            session.execute(text("UPDATE round SET status = status WHERE id = :id"), {"id": round_id})
            return
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            session.rollback()
            time.sleep(0.05 * (attempt + 1))


def layout(session: Session, round_id: int) -> Layout:
    rows = session.execute(
        select(School.id, School.kommune_id, Kommune.fylke_id)
        .join(RoundSchool, RoundSchool.school_id == School.id)
        .join(Kommune, Kommune.id == School.kommune_id).where(RoundSchool.round_id == round_id)
        .order_by(School.id)).all()
    return Layout(tuple(r[0] for r in rows), {r[0]: r[1] for r in rows}, {r[1]: r[2] for r in rows})
