"""The response pool: submitted responses wait sealed, then are stored a school's batch at a time.

A submit claims its invitation and seals the answers into `response_pool` in one transaction, so
what that transaction shares with the invitation (PostgreSQL's xmin, the moment) ties it only to a
sealed row. The mover stores a school's pooled responses once it has at least the round's privacy
threshold of them, or when the round closes: in random order, in one transaction that deletes the
pool rows and re-stamps every responded invitation of the school. Each response then shares its
transaction id with at least k others and with all the school's used invitations, and neither its
physical position nor its neighbours say when it was sent. VACUUM afterwards removes the dead row
versions that still carry the old transaction ids.
"""
from __future__ import annotations

import logging
import random
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from webapp.domain import sealing
from webapp.models import Invitation, PooledResponse, Round
from webapp.services import answering, surveys
from webapp.services.rounds import RoundError

log = logging.getLogger(__name__)
VACUUMED_TABLES = ("response_pool", "invitation")
_shuffle = random.SystemRandom().shuffle


def due_units(session: Session) -> list[tuple[int, int]]:
    """Return the (round, school) pairs whose pooled responses may be stored now."""
    count = func.count(PooledResponse.id)
    query = (select(PooledResponse.round_id, PooledResponse.school_id)
             .join(Round, Round.id == PooledResponse.round_id)
             .group_by(PooledResponse.round_id, PooledResponse.school_id, Round.privacy_threshold,
                       Round.status)
             .having((count >= Round.privacy_threshold) | (Round.status == "closed")))
    return [(round_id, school_id) for round_id, school_id in session.execute(query)]


def move_unit(session: Session, round_id: int, school_id: int, force: bool = False) -> int:
    """Store a school's pooled responses if there are enough of them (any number with `force` or
    in a closed round); returns how many were stored. The caller commits: all or nothing."""
    found = session.get(Round, round_id)
    rows = _take(session, round_id, school_id, wait=force)
    if found is None or not rows or (len(rows) < found.privacy_threshold and found.status != "closed"
                                     and not force):
        return 0
    batch = _unseal_all(rows, round_id, school_id)
    _shuffle(batch)
    questionnaire = surveys.questionnaire_of(session, found.survey_version_id)
    for answers in batch:
        answering.store_response(session, questionnaire, round_id, school_id, answers)
    # One statement for all rows, after every insert: no delete sits next to the response it became.
    ids = [row.id for row in rows]
    deleted = session.execute(delete(PooledResponse).where(PooledResponse.id.in_(ids))
                              .execution_options(synchronize_session=False))
    if deleted.rowcount != len(ids):
        raise RuntimeError("pooled responses vanished while locked")
    session.execute(update(Invitation).where(
        Invitation.round_id == round_id, Invitation.school_id == school_id, Invitation.state == "responded")
        .values(state=Invitation.state).execution_options(synchronize_session=False))
    return len(batch)


def _take(session: Session, round_id: int, school_id: int, wait: bool) -> list[Any]:
    """Lock and read a school's pool rows, so that no other mover can store them too."""
    where = (PooledResponse.round_id == round_id, PooledResponse.school_id == school_id)
    query = select(PooledResponse.id, PooledResponse.sealed).where(*where)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=not wait)
    else:
        # SQLite: take the database's write lock before reading (pysqlite starts a transaction only
        # at the first write), or a second mover could read the same rows and store them again.
        session.execute(update(PooledResponse).where(*where).values(school_id=PooledResponse.school_id)
                        .execution_options(synchronize_session=False))
    return list(session.execute(query))


def _unseal_all(rows: list[Any], round_id: int, school_id: int) -> list[dict[str, Any]]:
    key, context = sealing.pool_key(current_app.secret_key), sealing.pool_context(round_id, school_id)
    try:
        return [sealing.unseal(key, row.sealed, context) for row in rows]
    except sealing.SealError:
        raise RoundError(_("Submitted responses waiting to be stored cannot be opened with this SECRET_KEY. "
                           "Set the key they were sealed with, and try again.")) from None


def close_round(session: Session, target: Round) -> int:
    """Store every pooled response of a closing round whatever the count, delete its drafts and send
    hashes and re-stamp all its invitations; returns how many responses were stored (caller commits,
    then calls vacuum)."""
    schools = session.scalars(select(PooledResponse.school_id).where(PooledResponse.round_id == target.id)
                              .distinct()).all()
    moved = sum(move_unit(session, target.id, school_id, force=True) for school_id in schools)
    session.execute(update(Invitation).where(Invitation.round_id == target.id)
                    .values(sealed_draft=None, draft_page=0, draft_saved_on=None, send_hash=None)
                    .execution_options(synchronize_session=False))
    return moved


def pooled_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(PooledResponse)) or 0


def vacuum(engine: Engine) -> None:
    """Remove the dead row versions of the pool and the invitations (PostgreSQL), or empty the
    write-ahead log, which keeps old page images (SQLite). Outside any transaction."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if engine.dialect.name == "postgresql":
            for table in VACUUMED_TABLES:
                connection.exec_driver_sql(f"VACUUM {table}")
        else:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").all()
