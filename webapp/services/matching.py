"""Gaps and ranked course matches per school and kommune, recomputed from published figures.

`recompute` is what the `matching` worker runs after a publication (through the outbox) and what a
rebuild runs: it recomputes the units whose published figures changed since their gaps were stored,
and every unit when the course catalogue changed. It is idempotent: run twice, it changes nothing.
"""
from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from webapp.domain import matching
from webapp.models import Aggregate, CourseMatch, MatchState, Round, UnitGap
from webapp.services import vocabulary
from webapp.services.aggregates import codebook_of
from webapp.services.gaps import BY, UnitGaps, from_figures
from webapp.services.results import unit_figures
from webapp.services.round_units import lock_matching
from webapp.services.rounds import now

log = logging.getLogger(__name__)
LEVELS = ("school", "kommune")
STORED = 60  # matches kept per unit: the page filters within them
# Bumped when the ranking itself changes (2: courses read who needs what as the planner does), so that a
# stored ranking made the old way is made again, as after a change of the catalogue
RANKING_VERSION = 2


@dataclass(frozen=True)
class Recomputed:
    units: int
    matches: int


def catalogue_version(courses: Sequence) -> str:
    """A digest of what ranking reads of the catalogue: a change means every unit is ranked again."""
    parts = [(c.code, list(c.areas), list(c.yrkesgrupper), c.format, c.fee_nok, c.funding_share, c.active)
             for c in sorted(courses, key=lambda c: c.code)]
    return hashlib.sha256(json.dumps([RANKING_VERSION, parts], sort_keys=True).encode()).hexdigest()


def wishes(surveys_dir: Path) -> dict[str, str]:
    """Course format → the `onsket_format` option that asks for it."""
    return {f.code: f.wish for f in vocabulary.load(surveys_dir).formats if f.wish}


def unit_needs(result: UnitGaps) -> matching.UnitNeeds:
    groups = {g: result.gaps[g] for g in result.groups[1:] if result.gaps.get(g)}
    return matching.UnitNeeds(result.gaps.get("all", {}), groups, result.formats)


def _published(session: Session, found: Round) -> dict[tuple[str, int], datetime]:
    rows = session.execute(select(Aggregate.level, Aggregate.unit_id, Aggregate.computed_at).where(
        Aggregate.round_id == found.id, Aggregate.kind == "published", Aggregate.grouping == "all",
        Aggregate.level.in_(LEVELS)))
    return {(level, unit_id): at for level, unit_id, at in rows}


def _stored(session: Session, found: Round) -> dict[tuple[str, int], tuple[datetime, str]]:
    rows = session.execute(select(MatchState.level, MatchState.unit_id, MatchState.figures_at,
                                  MatchState.catalogue).where(MatchState.round_id == found.id))
    return {(level, unit_id): (at, catalogue) for level, unit_id, at, catalogue in rows}


def recompute(session: Session, found: Round, courses: Sequence, surveys_dir: Path, force: bool = False,
              at: datetime | None = None) -> Recomputed:
    """Store the gaps and matches of every school and kommune whose published figures changed (all of
    them when `force` or when the catalogue changed since the last run). `courses`: the catalogue."""
    at = at or now()
    lock_matching(session, found)  # before the stored states are read: another recompute may be running
    questionnaire, _codebook = codebook_of(session, found)
    version = catalogue_version(courses)
    published, stored = _published(session, found), _stored(session, found)
    targets = [u for u, when in published.items() if force or stored.get(u) != (when, version)]
    gone = [u for u in stored if u not in published]  # figures no longer published: nothing may stay
    active = [c for c in courses if c.active]
    formats = wishes(surveys_dir)
    gap_rows, match_rows = [], []
    for level, unit_id in targets:
        result = from_figures(questionnaire, unit_figures(session, found, level, unit_id, "", BY))
        when = published[(level, unit_id)]
        for group, by_area in result.gaps.items():
            gap_rows.extend({"round_id": found.id, "level": level, "unit_id": unit_id, "grp": group,
                             "area": g.area, "n": g.n, "need": g.need, "share": g.share, "low": g.low,
                             "high": g.high, "score": g.score, "strength": g.strength, "reach": g.reach,
                             "figures_at": when} for g in by_area.values())
        ranked = matching.rank(active, unit_needs(result), formats, STORED)
        match_rows.extend({"round_id": found.id, "level": level, "unit_id": unit_id, "course_code": m.course,
                           "rank": k + 1, "score": m.score, "detail": m.as_json(), "computed_at": at}
                          for k, m in enumerate(ranked))
    states = [{"round_id": found.id, "level": level, "unit_id": unit_id, "catalogue": version,
               "figures_at": published[(level, unit_id)], "computed_at": at} for level, unit_id in targets]
    _replace(session, found, targets + gone, gap_rows, match_rows, states)
    session.flush()
    if targets:
        log.info("round %s: gaps and matches of %d units recomputed", found.id, len(targets))
    return Recomputed(len(targets), len(match_rows))


def recompute_round(session: Session, found: Round, surveys_dir: Path, force: bool = False) -> Recomputed:
    """`recompute` against the catalogue's active courses (what the worker, a rebuild and the demo run)."""
    from webapp.services.courses import active_courses

    return recompute(session, found, active_courses(session), surveys_dir, force)


def _replace(session: Session, found: Round, targets: list[tuple[str, int]], gap_rows: list[dict],
             match_rows: list[dict], states: list[dict]) -> None:
    for level in LEVELS:
        ids = [unit_id for lv, unit_id in targets if lv == level]
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for model in (UnitGap, CourseMatch, MatchState):
                session.execute(delete(model).where(model.round_id == found.id, model.level == level,
                                                    model.unit_id.in_(chunk)))
    if gap_rows:
        session.execute(UnitGap.__table__.insert(), gap_rows)
    if match_rows:
        session.execute(CourseMatch.__table__.insert(), match_rows)
    if states:
        session.execute(MatchState.__table__.insert(), states)


def stored_matches(session: Session, found: Round, level: str, unit_id: int) -> list[CourseMatch]:
    return list(session.scalars(select(CourseMatch).where(
        CourseMatch.round_id == found.id, CourseMatch.level == level, CourseMatch.unit_id == unit_id)
        .order_by(CourseMatch.rank)))


def stored_gaps(session: Session, found: Round, level: str, unit_id: int) -> list[UnitGap]:
    return list(session.scalars(select(UnitGap).where(
        UnitGap.round_id == found.id, UnitGap.level == level, UnitGap.unit_id == unit_id)
        .order_by(UnitGap.grp, UnitGap.area)))
