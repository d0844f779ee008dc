"""Live aggregates per school, kommune, fylke and round: full rebuilds and per-school refreshes.

Live rows always follow the answers; nobody reads them but the workers. What readers see is decided
by services/publication.py, which the refresh asks for when a school has answers to release.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from webapp.domain import aggregation
from webapp.domain import rows as row_codec
from webapp.domain.breakdowns import GROUPINGS, group_index, group_values
from webapp.domain.codebook import Codebook
from webapp.domain.layout import Layout
from webapp.domain.questionnaire import Questionnaire
from webapp.models import Aggregate, Answer, Kommune, Response, Round, RoundSchool, School
from webapp.services import publication, surveys
from webapp.services.round_units import layout, lock_round
from webapp.services.rounds import now

log = logging.getLogger(__name__)


def codebook_of(session: Session, found: Round) -> tuple[Questionnaire, Codebook]:
    questionnaire = surveys.questionnaire_of(session, found.survey_version_id)
    return questionnaire, Codebook.of(questionnaire)


def _responses(session: Session, codebook: Codebook, round_id: int, school_ids: list[int] | None = None):
    table = Response.__table__  # table columns: plain rows, a third faster than through the mapper
    query = select(table.c.id, table.c.school_id, table.c.yrkesgruppe, table.c.skoleslag, table.c.ufaglaert,
                   table.c.b_trinn, table.c.vector).where(table.c.round_id == round_id)
    if school_ids is not None:
        query = query.where(table.c.school_id.in_(school_ids))
    rows = session.execute(query).all()
    blobs = [r.vector if r.vector is not None else _encode_from_answers(session, codebook, r.id)
             for r in rows]
    return rows, codebook.matrix(blobs)


def _encode_from_answers(session: Session, codebook: Codebook, response_id: str) -> bytes:
    """Encode a response stored before vectors existed, from its answer rows (and keep the result)."""
    answers: dict[str, object] = {}
    kinds = {item.key: item.type for item in codebook.items}
    query = select(Answer).where(Answer.response_id == response_id).order_by(Answer.position)
    for row in session.scalars(query):
        kind = kinds.get(row.item_key)
        if kind == "multi":
            answers.setdefault(row.item_key, []).append(row.value)
        elif kind == "integer":
            answers[row.item_key] = int(row.value)
        elif kind is not None:
            answers[row.item_key] = row.value
    blob = codebook.encode(answers)
    session.get(Response, response_id).vector = blob
    return blob


def school_tallies(questionnaire: Questionnaire, codebook: Codebook, schools: tuple[int, ...],
                   rows, cells: np.ndarray) -> dict[str, aggregation.Tally]:
    """Tally every breakdown for the given schools from their responses."""
    position = {school: i for i, school in enumerate(schools)}
    columns = {name: [getattr(r, name) for r in rows] for name in ("school_id",) + GROUPINGS[1:]}
    unit = np.fromiter((position[s] for s in columns["school_id"]), dtype=np.int64, count=len(rows))
    encoded = aggregation.encode(codebook, cells)
    result = {}
    for grouping in GROUPINGS:
        values = group_values(questionnaire, grouping)
        members = [None] * len(rows) if grouping == "all" else columns[grouping]
        result[grouping] = aggregation.tally(codebook, encoded, unit, len(schools),
                                             group_index(values, members), len(values))
    return result


@dataclass(frozen=True)
class RebuildResult:
    responses: int
    rows: int
    published_rows: int


def rebuild(session: Session, found: Round, at: datetime | None = None) -> RebuildResult:
    """Recompute every live aggregate of a round from its responses, then bring what is published up
    to date (release due blocks of an open round; the final figures of a closed one)."""
    at = at or now()
    lock_round(session, found)
    questionnaire, codebook = codebook_of(session, found)
    units = layout(session, found.id)
    rows, cells = _responses(session, codebook, found.id)
    by_school = school_tallies(questionnaire, codebook, units.schools, rows, cells)
    kommuner, fylker = units.kommuner, units.fylker
    k_index, f_index = units.roll_up_index()
    by_kommune = {g: aggregation.roll_up(t, k_index, len(kommuner)) for g, t in by_school.items()}
    by_fylke = {g: aggregation.roll_up(t, f_index, len(fylker)) for g, t in by_kommune.items()}
    by_round = {g: aggregation.roll_up(t, np.zeros(len(fylker), dtype=np.int64), 1)
                for g, t in by_fylke.items()}
    new_rows = []
    for level, ids, tallies in (("school", list(units.schools), by_school), ("kommune", kommuner, by_kommune),
                                ("fylke", fylker, by_fylke), ("round", [0], by_round)):
        new_rows.extend(row_codec.to_rows(codebook, questionnaire, found.id, level, ids, tallies, at))
    session.execute(Aggregate.__table__.delete().where(Aggregate.round_id == found.id,
                                                       Aggregate.kind == "live"))
    if new_rows:
        session.execute(Aggregate.__table__.insert(), new_rows)
    published = publication.publish(session, found, at=at)
    log.info("rebuilt round %s: %d responses, %d aggregate rows", found.id, len(rows), len(new_rows))
    return RebuildResult(len(rows), len(new_rows), published)


def reconcile(session: Session, found: Round, at: datetime | None = None) -> int:
    """Rebuild the round from its answers and report how many live rows the incremental updates
    had wrong (they should be none); the rebuild also releases whatever is due."""
    def snapshot() -> dict:
        rows = session.scalars(select(Aggregate).where(Aggregate.round_id == found.id,
                                                       Aggregate.kind == "live",
                                                       Aggregate.respondents > 0)).all()
        return {(r.level, r.unit_id, r.grouping): (r.group_respondents, r.counts) for r in rows}
    before = snapshot()
    rebuild(session, found, at=at)
    after = snapshot()
    differing = [key for key in set(before) | set(after) if before.get(key) != after.get(key)]
    if differing:
        log.warning("reconciliation of round %s: %d aggregate rows differed from a rebuild, e.g. %s",
                    found.id, len(differing), sorted(differing)[:3])
    else:
        log.info("reconciliation of round %s: incremental figures equal a rebuild", found.id)
    return len(differing)


def refresh_school(session: Session, found: Round, school_id: int, at: datetime | None = None) -> bool:
    """Recompute one school's live figures from its responses; move its kommune, fylke and the round
    by the difference. Return whether the school now has answers to release (publishing them is
    `publication.publish`'s job: round-wide, so the worker runs it as a message of its own).

    Under the round's lock every parent equals the sum of its children, so parent − old school + new
    school keeps that true in one read and one write; a parent without a row yet is summed from its
    children instead. The scheduled reconciliation would log any drift.
    """
    at = at or now()
    lock_round(session, found)
    questionnaire, codebook = codebook_of(session, found)
    place = session.execute(
        select(School.kommune_id, Kommune.fylke_id).join(RoundSchool, RoundSchool.school_id == School.id)
        .join(Kommune, Kommune.id == School.kommune_id)
        .where(RoundSchool.round_id == found.id, School.id == school_id)).first()
    if place is None:
        return False
    chain = [("school", school_id), ("kommune", place.kommune_id), ("fylke", place.fylke_id), ("round", 0)]
    table = Aggregate.__table__
    old = {(r.level, r.unit_id, r.grouping): r for r in session.execute(
        select(table.c.level, table.c.unit_id, table.c.grouping, table.c.group_respondents, table.c.counts)
        .where(table.c.round_id == found.id, table.c.kind == "live",
               tuple_(table.c.level, table.c.unit_id).in_(chain)))}
    rows, cells = _responses(session, codebook, found.id, [school_id])
    new_school = school_tallies(questionnaire, codebook, (school_id,), rows, cells)
    sizes = {g: len(group_values(questionnaire, g)) for g in GROUPINGS}
    had_school = all(("school", school_id, g) in old for g in GROUPINGS)
    delta = {g: new_school[g] - row_codec.from_rows(codebook, [old[("school", school_id, g)]], sizes[g])
             if had_school else new_school[g] for g in GROUPINGS}
    session.execute(table.delete().where(table.c.round_id == found.id, table.c.kind == "live",
                                         tuple_(table.c.level, table.c.unit_id).in_(chain)))
    pending = row_codec.to_rows(codebook, questionnaire, found.id, "school", [school_id], new_school, at)
    whole: Layout | None = None  # the round's layout, only if a parent must be summed from its children
    for level, unit_id in chain[1:]:
        if had_school and all((level, unit_id, g) in old for g in GROUPINGS):
            tallies = {g: row_codec.from_rows(codebook, [old[(level, unit_id, g)]], sizes[g]) + delta[g]
                       for g in GROUPINGS}
        else:  # no complete row to move by the difference: sum the children, written first
            session.execute(table.insert(), pending)
            pending = []
            whole = whole or layout(session, found.id)
            tallies = _children_sum(session, codebook, found, whole, level, unit_id, sizes)
        pending.extend(row_codec.to_rows(codebook, questionnaire, found.id, level, [unit_id], tallies, at))
    session.execute(table.insert(), pending)  # the whole chain in one statement
    return publication.releasable(session, found, school_id)


def _children_sum(session: Session, codebook: Codebook, found: Round, units: Layout, level: str, unit_id: int,
                  sizes: dict[str, int]) -> dict[str, aggregation.Tally]:
    """A parent's tallies as the sum of its children's live rows."""
    child_level, child_ids = units.children(level, unit_id)
    stored = session.scalars(select(Aggregate).where(
        Aggregate.round_id == found.id, Aggregate.kind == "live", Aggregate.level == child_level,
        Aggregate.unit_id.in_(child_ids))).all()
    return {g: row_codec.from_rows(codebook, [r for r in stored if r.grouping == g], sizes[g])
            for g in GROUPINGS}
