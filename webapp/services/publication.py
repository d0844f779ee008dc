"""Publication: what pages, downloads, the API and the CLI may show of a round.

Three kinds of aggregate rows take part (models/aggregate.py):

- `live`: every unit's figures from all stored answers, kept current by the workers;
- `released`: per school, per occupational group (and `_rest`, those who gave none), the answers let
  out so far — in blocks of at least k per cell (webapp/domain/release.py);
- `published`: what readers see, at every level, for the `all` and `yrkesgruppe` breakdowns.

While a round is open, published = the sums of the released blocks. When it closes, what is left is
released in blocks too, level by level (domain/release.close), once: a closed round's figures never
move again. The leader figures above the school are counted in the same transaction, once, and stored
(services/leader.count_final). docs/privacy.md has the argument.
"""
from __future__ import annotations

import logging
from datetime import datetime

import numpy as np
from flask import current_app
from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from webapp.domain.breakdowns import group_values
from webapp.domain.codebook import Codebook
from webapp.domain.layout import Layout
from webapp.domain.release import Cells, Level, Parts, close, due, release
from webapp.domain.slots import item_ns, row_counts, slot_layout
from webapp.models import Aggregate, Round
from webapp.services import leader, outbox, surveys
from webapp.services.round_units import layout, lock_round
from webapp.services.rounds import now

log = logging.getLogger(__name__)
BREAKDOWN = "yrkesgruppe"  # the one breakdown published besides the total (docs/privacy.md says why)
REST = "_rest"             # released rows: respondents without an occupational group
FEW_UNITS = 50             # up to this many units are read by id; more, by reading the level whole


def codebook_of(session: Session, found: Round) -> Codebook:
    return Codebook.of(surveys.questionnaire_of(session, found.survey_version_id))


class _Rows:
    """Reads and writes one round's aggregate rows of one kind as Cells."""

    def __init__(self, session: Session, found: Round, codebook: Codebook, groups: int):
        self.session, self.found, self.codebook, self.groups = session, found, codebook, groups
        self.width = slot_layout(codebook).width
        self.table = Aggregate.__table__

    def read(self, kind: str, level: str, unit_ids: list[int], grouping: str) -> Cells:
        n = 1 if grouping in ("all", REST) else self.groups
        cells = Cells.zeros(len(unit_ids), n, self.width)
        position = {u: i for i, u in enumerate(unit_ids)}
        t = self.table
        query = select(t.c.unit_id, t.c.group_respondents, t.c.counts).where(
            t.c.round_id == self.found.id, t.c.kind == kind, t.c.level == level, t.c.grouping == grouping)
        if len(unit_ids) <= FEW_UNITS:  # one school after its refresh: read its rows, not the round's
            query = query.where(t.c.unit_id.in_(unit_ids))
        for row in self.session.execute(query):
            if row.unit_id in position:
                i = position[row.unit_id]
                cells.respondents[i] = row.group_respondents
                cells.counts[i] = row_counts(self.codebook, row.counts, row.group_respondents)
        return cells

    def write(self, kind: str, level: str, unit_ids: list[int], grouping: str, groups: list[str],
              cells: Cells, totals: np.ndarray, at: datetime) -> int:
        """Store the units' rows where they differ from what is stored; return how many changed."""
        t = self.table
        stored = {r.unit_id: r for r in self.session.execute(
            select(t.c.unit_id, t.c.group_respondents, t.c.counts).where(
                t.c.round_id == self.found.id, t.c.kind == kind, t.c.level == level,
                t.c.grouping == grouping))}
        rows = []
        for i, unit_id in enumerate(unit_ids):
            counts = cells.counts[i].astype("<i4").tobytes()
            respondents = [int(x) for x in cells.respondents[i]]
            old = stored.get(unit_id)
            if old is not None and (old.counts, old.group_respondents) == (counts, respondents):
                continue
            rows.append({"round_id": self.found.id, "kind": kind, "level": level, "unit_id": unit_id,
                         "grouping": grouping, "respondents": int(totals[i]), "groups": groups,
                         "group_respondents": respondents, "counts": counts, "computed_at": at,
                         "item_n": item_ns(self.codebook, cells.counts[i],
                                           respondents).astype("<i4").tobytes()})
        if rows:
            changed = [(kind, level, r["unit_id"], grouping) for r in rows]
            self.session.execute(t.delete().where(
                t.c.round_id == self.found.id,
                tuple_(t.c.kind, t.c.level, t.c.unit_id, t.c.grouping).in_(changed)))
            self.session.execute(t.insert(), rows)
        return len(rows)


def _school_cells(rows: _Rows, kind: str, schools: list[int]) -> Cells:
    """Per school its groups and `_rest` as one Cells (S, groups + 1); live rest = total − groups."""
    groups = rows.read(kind, "school", schools, BREAKDOWN)
    if kind == "live":
        total = rows.read(kind, "school", schools, "all")
        rest = Cells(total.respondents - groups.respondents.sum(axis=1, keepdims=True),
                     total.counts - groups.counts.sum(axis=1, keepdims=True))
    else:
        rest = rows.read(kind, "school", schools, REST)
    return Cells(np.concatenate([groups.respondents, rest.respondents], axis=1),
                 np.concatenate([groups.counts, rest.counts], axis=1))


def releasable(session: Session, found: Round, school_id: int) -> bool:
    """Whether a school has a cell with at least k answers not yet released (the worker asks this
    after each refresh, and publishes only then)."""
    if found.status != "open":
        return False
    codebook = codebook_of(session, found)
    groups = len(group_values(surveys.questionnaire_of(session, found.survey_version_id), BREAKDOWN))
    rows = _Rows(session, found, codebook, groups)
    live, released = _school_cells(rows, "live", [school_id]), _school_cells(rows, "released", [school_id])
    return bool(due(live, released, slot_layout(codebook), found.privacy_threshold).any())


def publish(session: Session, found: Round, at: datetime | None = None) -> int:
    """Bring the round's published figures up to date: release the due blocks of an open round, or
    publish the final figures of a closed one. Safe to repeat; return how many rows changed."""
    at = at or now()
    lock_round(session, found)
    if found.status == "draft":
        return 0
    questionnaire = surveys.questionnaire_of(session, found.survey_version_id)
    codebook = Codebook.of(questionnaire)
    groups = list(group_values(questionnaire, BREAKDOWN))
    rows = _Rows(session, found, codebook, len(groups))
    units = layout(session, found.id)
    schools = list(units.schools)
    released = _school_cells(rows, "released", schools)
    changed = 0
    if found.status == "open":
        live = _school_cells(rows, "live", schools)
        released = release(live, released, slot_layout(codebook), found.privacy_threshold)
        changed += rows.write("released", "school", schools, BREAKDOWN, groups,
                              Cells(released.respondents[:, :-1], released.counts[:, :-1]),
                              released.respondents.sum(axis=1), at)
        changed += rows.write("released", "school", schools, REST, ["rest"],
                              Cells(released.respondents[:, -1:], released.counts[:, -1:]),
                              released.respondents.sum(axis=1), at)
        levels = {level: (ids, _columns(cells, len(groups)))
                  for level, (ids, cells) in _levels(units, released).items()}
        changed += _write_levels(rows, groups, levels, at)
    elif found.final_published_at is None:  # the close publishes once; a closed round's figures never move
        changed += _publish_final(rows, units, groups, released, at)
        found.final_published_at = at
        session.flush()  # before expire_all, which would drop the unflushed mark
        # The leader figures above the school, in this transaction, from the final figures just written
        # and the layout they used; stored, never counted on reading (services/leader.py)
        leader.count_final(session, found, units, codebook, current_app.config["LAGET"].surveys_dir, at)
    elif found.leaders_counted_at is None:  # finally published before leader figures were stored: once
        leader.count_final(session, found, units, codebook, current_app.config["LAGET"].surveys_dir, at)
    session.expire_all()
    if changed:
        log.info("round %s: %d published or released rows changed", found.id, changed)
        outbox.add_event(session, outbox.MATCHING_DUE, {"round_id": found.id})  # gaps follow the figures
    return changed


def _levels(units: Layout, schools: Cells) -> dict[str, tuple[list[int], Cells]]:
    """Per level: its unit ids and Cells (units, groups + rest), summed from the schools."""
    k_index, f_index = units.roll_up_index()
    kommuner = schools.roll_up(k_index, len(units.kommuner))
    fylker = kommuner.roll_up(f_index, len(units.fylker))
    whole = fylker.roll_up(np.zeros(len(units.fylker), dtype=np.int64), 1)
    return {"round": ([0], whole), "fylke": (units.fylker, fylker), "kommune": (units.kommuner, kommuner),
            "school": (list(units.schools), schools)}


def _columns(cells: Cells, groups: int) -> Cells:
    """From (units, groups + rest) to (units, 1 + groups): the unit's total first, then its groups."""
    total = cells.total()
    return Cells(np.concatenate([total.respondents, cells.respondents[:, :groups]], axis=1),
                 np.concatenate([total.counts, cells.counts[:, :groups]], axis=1))


def _write_levels(rows: _Rows, groups: list[str], levels: dict[str, tuple[list[int], Cells]],
                  at: datetime) -> int:
    """Write every level's published `all` and breakdown rows from Cells (units, 1 + groups)."""
    changed = 0
    for level, (ids, cells) in levels.items():
        totals = cells.respondents[:, 0]
        changed += rows.write("published", level, ids, "all", ["all"],
                              Cells(cells.respondents[:, :1], cells.counts[:, :1]), totals, at)
        changed += rows.write("published", level, ids, BREAKDOWN, groups,
                              Cells(cells.respondents[:, 1:], cells.counts[:, 1:]), totals, at)
    return changed


def _publish_final(rows: _Rows, units: Layout, groups: list[str], released: Cells, at: datetime) -> int:
    """The close: what is left after the last blocks is released level by level (domain/release.close)
    and every level's figures are the sums of all blocks inside it."""
    schools = list(units.schools)
    final = _school_cells(rows, "live", schools)
    slots = slot_layout(rows.codebook)
    k_index, f_index = units.roll_up_index()
    levels = [Level("school", np.arange(len(schools), dtype=np.int64), len(schools)),
              Level("kommune", k_index, len(units.kommuner)),
              Level("fylke", f_index[k_index] if len(k_index) else k_index, len(units.fylker)),
              Level("round", np.zeros(len(schools), dtype=np.int64), 1)]
    closing = close(final, released, levels, slots, rows.found.privacy_threshold)
    ids = {"school": schools, "kommune": units.kommuner, "fylke": units.fylker, "round": [0]}
    up = {"kommune": k_index, "fylke": f_index, "round": np.zeros(len(units.fylker), dtype=np.int64)}
    by_group, across = Parts.of(released, slots), Parts.of(Cells.zeros(len(schools), 1, slots.width), slots)
    levels_out = {}
    for level in ("school", "kommune", "fylke", "round"):
        if level in up:
            by_group = by_group.roll_up(up[level], len(ids[level]))
            across = across.roll_up(up[level], len(ids[level]))
        by_group = by_group + closing.by_group[level]
        across = across + closing.across[level]
        total = (by_group.total() + across).cells(slots)
        shown = by_group.cells(slots)
        levels_out[level] = (ids[level], Cells(
            np.concatenate([total.respondents, shown.respondents[:, :len(groups)]], axis=1),
            np.concatenate([total.counts, shown.counts[:, :len(groups)]], axis=1)))
    left = int(final.respondents.sum()) - int(levels_out["round"][1].respondents[0, 0])
    log.info("final publication of round %s: %d respondent(s) in groups too small to show anywhere",
             rows.found.id, left)
    return _write_levels(rows, groups, levels_out, at)
