"""Aggregates per school, kommune, fylke and round: full rebuilds, per-school refreshes, publication.

Live rows always follow the answers. Pages, exports and the API read only *published* rows, which a
unit gets anew when its respondents have grown by at least the round's privacy threshold since the
last publication, once a day, or when the round closes — so one new answer cannot be read off by
comparing two page views.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import and_, bindparam, literal, select, text, tuple_
from sqlalchemy.orm import Session

from webapp.domain import aggregation
from webapp.domain.breakdowns import GROUPINGS, group_index, group_values
from webapp.domain.codebook import Codebook
from webapp.domain.disclosure import suppress
from webapp.domain.questionnaire import Questionnaire
from webapp.models import Aggregate, Answer, Kommune, Response, Round, RoundSchool, School
from webapp.models.aggregate import LEVELS
from webapp.services import surveys
from webapp.services.rounds import now

log = logging.getLogger(__name__)
PUBLISH_AT_LEAST_EVERY = timedelta(days=1)


@dataclass(frozen=True)
class Layout:
    """The round's units: schools with their kommune and fylke."""

    schools: tuple[int, ...]
    kommune_of: dict[int, int]
    fylke_of: dict[int, int]

    def parent(self, level: str, unit_id: int) -> tuple[str, int] | None:
        if level == "school":
            return "kommune", self.kommune_of[unit_id]
        if level == "kommune":
            return "fylke", self.fylke_of[unit_id]
        if level == "fylke":
            return "round", 0
        return None

    def has(self, level: str, unit_id: int) -> bool:
        """Whether the unit takes part in the round (the round itself always does)."""
        if level == "round":
            return True
        if level == "school":
            return unit_id in self.kommune_of
        return unit_id in (self.kommune_of.values() if level == "kommune" else self.fylke_of.values())

    def holds(self, level: str, unit_id: int, school_id: int) -> bool:
        """Whether the school is (in) the unit."""
        if level == "round":
            return True
        if level == "school":
            return school_id == unit_id
        kommune = self.kommune_of[school_id]
        return kommune == unit_id if level == "kommune" else self.fylke_of[kommune] == unit_id

    def children(self, level: str, unit_id: int) -> tuple[str, list[int]] | None:
        if level == "round":
            return "fylke", sorted(set(self.fylke_of.values()))
        if level == "fylke":
            return "kommune", sorted(k for k, f in self.fylke_of.items() if f == unit_id)
        if level == "kommune":
            return "school", [s for s in self.schools if self.kommune_of[s] == unit_id]
        return None


def lock_round(session: Session, found: Round) -> None:
    """Serialise writers of one round's aggregates until the transaction ends, before anything is read.

    PostgreSQL: an advisory lock per round. SQLite: take the database's write lock now with a no-op
    write (pysqlite starts a transaction only at the first write), so that what is read next cannot
    be overtaken by another thread's commit — otherwise two publications could both find a unit due
    and the second would publish it after a single new answer.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": 7_000_000 + found.id})
    else:
        session.execute(text("UPDATE round SET status = status WHERE id = :id"), {"id": found.id})


def layout(session: Session, round_id: int) -> Layout:
    rows = session.execute(
        select(School.id, School.kommune_id, Kommune.fylke_id).join(RoundSchool, RoundSchool.school_id == School.id)
        .join(Kommune, Kommune.id == School.kommune_id).where(RoundSchool.round_id == round_id)
        .order_by(School.id)).all()
    return Layout(tuple(r[0] for r in rows), {r[0]: r[1] for r in rows}, {r[1]: r[2] for r in rows})


def codebook_of(session: Session, found: Round) -> tuple[Questionnaire, Codebook]:
    questionnaire = surveys.questionnaire_of(session, found.survey_version_id)
    return questionnaire, Codebook.of(questionnaire)


def slot_columns(codebook: Codebook) -> tuple[np.ndarray, np.ndarray]:
    """Which (item, slot) pairs are stored: the missing slot and one per option of each item."""
    if id(codebook) not in _SLOT_LAYOUTS:
        _SLOT_LAYOUTS[id(codebook)] = _build_slot_columns(codebook)
    return _SLOT_LAYOUTS[id(codebook)]


# Keyed by the codebook's identity: Codebook.of keeps one per published version for the process.
_SLOT_LAYOUTS: dict[int, tuple[np.ndarray, np.ndarray]] = {}
_N_LAYOUTS: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}


def _build_slot_columns(codebook: Codebook) -> tuple[np.ndarray, np.ndarray]:
    items, slots = [], []
    for column, item in enumerate(codebook.items):
        width = len(aggregation.option_codes(item)) + 1
        items.extend([column] * width)
        slots.extend(range(width))
    return np.array(items), np.array(slots)


def _responses(session: Session, codebook: Codebook, round_id: int, school_ids: list[int] | None = None):
    table = Response.__table__  # table columns: plain rows, a third faster than through the mapper
    query = select(table.c.id, table.c.school_id, table.c.yrkesgruppe, table.c.skoleslag, table.c.ufaglaert,
                   table.c.b_trinn, table.c.vector).where(table.c.round_id == round_id)
    if school_ids is not None:
        query = query.where(table.c.school_id.in_(school_ids))
    rows = session.execute(query).all()
    blobs = [r.vector if r.vector is not None else _encode_from_answers(session, codebook, r.id) for r in rows]
    return rows, codebook.matrix(blobs)


def _encode_from_answers(session: Session, codebook: Codebook, response_id: str) -> bytes:
    """Encode a response stored before vectors existed, from its answer rows (and keep the result)."""
    answers: dict[str, object] = {}
    kinds = {item.key: item.type for item in codebook.items}
    for row in session.scalars(select(Answer).where(Answer.response_id == response_id).order_by(Answer.position)):
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


def _to_rows(codebook: Codebook, questionnaire: Questionnaire, round_id: int, level: str,
             unit_ids: list[int], tallies: dict[str, aggregation.Tally], at: datetime) -> list[dict]:
    items, slots = slot_columns(codebook)
    rows = []
    for grouping, t in tallies.items():
        values = list(group_values(questionnaire, grouping))
        total = tallies["all"].respondents[:, 0]
        for u, unit_id in enumerate(unit_ids):
            stored = t.counts[u][:, items, slots]
            rows.append({
                "round_id": round_id, "kind": "live", "level": level, "unit_id": unit_id, "grouping": grouping,
                "respondents": int(total[u]), "groups": values,
                "group_respondents": [int(x) for x in t.respondents[u]],
                "counts": stored.astype("<i4").tobytes(), "computed_at": at,
                "item_n": item_ns(codebook, stored, t.respondents[u]).astype("<i4").tobytes()})
    return rows


def _from_rows(codebook: Codebook, rows: list[Aggregate], n_groups: int) -> aggregation.Tally:
    """Rebuild a one-unit tally from stored rows' sums (for rolling children up into a parent)."""
    items, slots = slot_columns(codebook)
    counts = np.zeros((1, n_groups, codebook.width, aggregation.SLOTS), dtype=np.int64)
    respondents = np.zeros((1, n_groups), dtype=np.int64)
    for row in rows:
        stored = np.frombuffer(row.counts, dtype="<i4").reshape(n_groups, len(items))
        counts[0][:, items, slots] += stored
        respondents[0] += np.array(row.group_respondents, dtype=np.int64)
    return aggregation.Tally(respondents, counts)


@dataclass(frozen=True)
class RebuildResult:
    responses: int
    rows: int
    published_units: int


def rebuild(session: Session, found: Round, at: datetime | None = None) -> RebuildResult:
    """Recompute every live aggregate of a round from its responses, then apply the publication rule."""
    at = at or now()
    lock_round(session, found)
    questionnaire, codebook = codebook_of(session, found)
    units = layout(session, found.id)
    rows, cells = _responses(session, codebook, found.id)
    by_school = school_tallies(questionnaire, codebook, units.schools, rows, cells)
    kommuner = sorted(set(units.kommune_of.values()))
    fylker = sorted(set(units.fylke_of.values()))
    k_index = np.array([kommuner.index(units.kommune_of[s]) for s in units.schools], dtype=np.int64)
    f_index = np.array([fylker.index(units.fylke_of[k]) for k in kommuner], dtype=np.int64)
    by_kommune = {g: aggregation.roll_up(t, k_index, len(kommuner)) for g, t in by_school.items()}
    by_fylke = {g: aggregation.roll_up(t, f_index, len(fylker)) for g, t in by_kommune.items()}
    by_round = {g: aggregation.roll_up(t, np.zeros(len(fylker), dtype=np.int64), 1) for g, t in by_fylke.items()}
    new_rows = []
    for level, ids, tallies in (("school", list(units.schools), by_school), ("kommune", kommuner, by_kommune),
                                ("fylke", fylker, by_fylke), ("round", [0], by_round)):
        new_rows.extend(_to_rows(codebook, questionnaire, found.id, level, ids, tallies, at))
    session.execute(Aggregate.__table__.delete().where(Aggregate.round_id == found.id, Aggregate.kind == "live"))
    if new_rows:
        session.execute(Aggregate.__table__.insert(), new_rows)
    published = publish(session, found, at=at)
    if not published:  # re-decide the masks anyway: a new rule or an upgraded database may need them
        apply_suppression(session, found)
    log.info("rebuilt round %s: %d responses, %d aggregate rows", found.id, len(rows), len(new_rows))
    return RebuildResult(len(rows), len(new_rows), published)


def reconcile(session: Session, found: Round, at: datetime | None = None) -> int:
    """Rebuild the round from its answers and report how many live rows the incremental updates
    had wrong (they should be none); the rebuild also publishes units whose day has come."""
    def snapshot() -> dict:
        rows = session.scalars(select(Aggregate).where(Aggregate.round_id == found.id, Aggregate.kind == "live",
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


def refresh_school(session: Session, found: Round, school_id: int,
                   at: datetime | None = None) -> list[tuple[str, int]]:
    """Recompute one school's live figures from its responses; move its kommune, fylke and the round
    by the difference. Return the units whose publication is now due (publishing them is `publish`'s
    job: round-wide, so the worker runs it as a message of its own, see workers/actors.py).

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
        return []
    units = Layout((school_id,), {school_id: place.kommune_id}, {place.kommune_id: place.fylke_id})
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
    delta = {g: new_school[g] - _from_rows(codebook, [old[("school", school_id, g)]], sizes[g]) if had_school
             else new_school[g] for g in GROUPINGS}
    session.execute(table.delete().where(table.c.round_id == found.id, table.c.kind == "live",
                                         tuple_(table.c.level, table.c.unit_id).in_(chain)))
    pending = _to_rows(codebook, questionnaire, found.id, "school", [school_id], new_school, at)
    whole: Layout | None = None  # the round's layout, only if a parent must be summed from its children
    for level, unit_id in chain[1:]:
        if had_school and all((level, unit_id, g) in old for g in GROUPINGS):
            tallies = {g: _from_rows(codebook, [old[(level, unit_id, g)]], sizes[g]) + delta[g] for g in GROUPINGS}
        else:  # no complete row to move by the difference: sum the children, written first
            session.execute(table.insert(), pending)
            pending = []
            whole = whole or layout(session, found.id)
            tallies = _children_sum(session, codebook, found, whole, level, unit_id, sizes)
        pending.extend(_to_rows(codebook, questionnaire, found.id, level, [unit_id], tallies, at))
    session.execute(table.insert(), pending)  # the whole chain in one statement
    return due_units(session, found, units=chain, at=at, structure=units)


def _children_sum(session: Session, codebook: Codebook, found: Round, units: Layout, level: str, unit_id: int,
                  sizes: dict[str, int]) -> dict[str, aggregation.Tally]:
    """A parent's tallies as the sum of its children's live rows."""
    child_level, child_ids = units.children(level, unit_id)
    stored = session.scalars(select(Aggregate).where(
        Aggregate.round_id == found.id, Aggregate.kind == "live", Aggregate.level == child_level,
        Aggregate.unit_id.in_(child_ids))).all()
    return {g: _from_rows(codebook, [r for r in stored if r.grouping == g], sizes[g]) for g in GROUPINGS}


def due_units(session: Session, found: Round, units: list[tuple[str, int]] | None = None,
              at: datetime | None = None, structure: Layout | None = None) -> list[tuple[str, int]]:
    """The units (of `units`, or of the round) whose figures may be shown anew, with their parents."""
    at = at or now()
    table = Aggregate.__table__
    query = select(table.c.kind, table.c.level, table.c.unit_id, table.c.respondents, table.c.computed_at).where(
        table.c.round_id == found.id, table.c.grouping == "all")  # plain rows: no ORM objects to build
    if units is not None:
        # The given units and everything above them (a parent is published with its child).
        structure = structure or layout(session, found.id)
        wanted = set(units)
        for unit in units:
            while unit[0] != "round" and (unit := structure.parent(*unit)) is not None:
                wanted.add(unit)
        query = query.where(table.c.kind.in_(("live", "published")),  # lets the primary key find them
                            tuple_(table.c.level, table.c.unit_id).in_(sorted(wanted)))
    current = {(a.kind, a.level, a.unit_id): a for a in session.execute(query)}
    keys = units or [(level, unit_id) for kind, level, unit_id in current if kind == "live"]
    structure = structure or layout(session, found.id)
    chosen: list[tuple[str, int]] = []
    for level, unit_id in keys:
        live, shown = current.get(("live", level, unit_id)), current.get(("published", level, unit_id))
        if live is not None and _may_publish(live, shown, found, at):
            chosen.append((level, unit_id))
            # A parent is published with its child, so it is never older than any of its children.
            while (up := structure.parent(*chosen[-1]) if chosen[-1][0] != "round" else None) is not None:
                chosen.append(up)
    return [u for u in dict.fromkeys(chosen) if ("live", *u) in current]


def publish(session: Session, found: Round, units: list[tuple[str, int]] | None = None,
            at: datetime | None = None, structure: Layout | None = None) -> int:
    """Copy live figures to published ones for units whose figures may be shown anew, then decide the
    round's suppression; return how many units were published."""
    at = at or now()
    table = Aggregate.__table__
    lock_round(session, found)
    chosen = due_units(session, found, units, at, structure)
    published = len(chosen)
    if chosen:
        which = tuple_(table.c.level, table.c.unit_id).in_(chosen)
        session.execute(table.delete().where(table.c.round_id == found.id, table.c.kind == "published", which))
        copied = select(table.c.round_id, literal("published"), table.c.level, table.c.unit_id, table.c.grouping,
                        table.c.respondents, table.c.groups, table.c.group_respondents, table.c.counts,
                        table.c.item_n, literal(at)).where(table.c.round_id == found.id, table.c.kind == "live",
                                                           which)
        session.execute(table.insert().from_select(
            ["round_id", "kind", "level", "unit_id", "grouping", "respondents", "groups", "group_respondents",
             "counts", "item_n", "computed_at"], copied))
        session.expire_all()
    if published:
        apply_suppression(session, found)
    return published


def item_ns(codebook: Codebook, counts: np.ndarray, group_respondents: list[int]) -> np.ndarray:
    """n per group (rows) for the respondents (column 0) and every item (columns 1…): answered,
    without missing and `na` answers."""
    missing, na_slots, na_items = _n_layout(codebook)
    respondents = np.asarray(group_respondents, dtype=np.int64)
    out = np.empty((len(respondents), codebook.width + 1), dtype=np.int64)
    out[:, 0] = respondents
    answered = respondents[:, None] - counts[:, missing]
    np.subtract.at(answered, (slice(None), na_items), counts[:, na_slots])
    out[:, 1:] = answered
    return out


def item_offsets(codebook: Codebook) -> np.ndarray:
    """Where each item's stored slots start (its missing slot; its options follow)."""
    return _n_layout(codebook)[0]


def _n_layout(codebook: Codebook) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each item's first stored slot, and the stored slots of `na` options with their items."""
    if id(codebook) not in _N_LAYOUTS:
        items, _slots = slot_columns(codebook)
        missing = np.array([int(np.argmax(items == j)) for j in range(codebook.width)])
        na_slots, na_items = [], []
        for j, item in enumerate(codebook.items):
            if item.type != "integer":
                for k, option in enumerate(item.options):
                    if option.na:
                        na_slots.append(missing[j] + 1 + k)
                        na_items.append(j)
        _N_LAYOUTS[id(codebook)] = (missing, np.array(na_slots, dtype=np.int64), np.array(na_items, dtype=np.int64))
    return _N_LAYOUTS[id(codebook)]


def decode_counts(codebook: Codebook, row: Aggregate) -> np.ndarray:
    width = len(slot_columns(codebook)[0])
    return np.frombuffer(row.counts, dtype="<i4").reshape(len(row.groups), width).astype(np.int64)


def row_ns(codebook: Codebook, row) -> np.ndarray:
    """A stored row's n per group (rows) for the respondents and every item (columns), as item_ns."""
    if row.item_n is not None:
        return np.frombuffer(row.item_n, dtype="<i4").reshape(len(row.group_respondents), codebook.width + 1).astype(np.int64)
    return item_ns(codebook, decode_counts(codebook, row), row.group_respondents)


def apply_suppression(session: Session, found: Round) -> None:
    """Decide the hidden cells of every published figure of the round at once, and store the masks
    that changed."""
    _questionnaire, codebook = codebook_of(session, found)
    structure = layout(session, found.id)
    table = Aggregate.__table__
    published = and_(table.c.round_id == found.id, table.c.kind == "published")
    rows = session.execute(select(table.c.level, table.c.unit_id, table.c.grouping, table.c.group_respondents,
                                  table.c.item_n, table.c.hidden).where(published)).all()
    by_key = {(r.level, r.unit_id, r.grouping): r for r in rows}
    ns = {key: row_ns(codebook, r) for key, r in by_key.items() if r.item_n is not None}
    if len(ns) < len(by_key):
        ns.update(_backfill_item_n(session, codebook, table, published))
    units = sorted({(r.level, r.unit_id) for r in rows}, key=lambda u: (LEVELS.index(u[0]), u[1]))
    index = {u: i for i, u in enumerate(units)}
    parent = np.array([index.get(structure.parent(*u), -1) if u[0] != "round" else -1 for u in units])
    width = codebook.width + 1
    total_hidden = np.zeros((len(units), width), dtype=bool)  # the units' totals, shared by every breakdown
    masks: dict[str, np.ndarray] = {}
    for _round in range(10):
        before = total_hidden.copy()
        for grouping in GROUPINGS:
            masks[grouping] = _suppress_grouping(ns, units, parent, grouping, width, found.privacy_threshold,
                                                 total_hidden)
            total_hidden |= masks[grouping][:, 0, :]
        if np.array_equal(before, total_hidden):
            break
    changed = []
    for grouping, mask in masks.items():
        for u, (level, unit_id) in enumerate(units):
            row = by_key.get((level, unit_id, grouping))
            if row is not None:
                stored = (mask[u, :1] | total_hidden[u][None, :]) if grouping == "all" else mask[u, 1:]
                hidden = stored.astype(np.uint8).tobytes()
                if hidden != row.hidden:
                    changed.append({"b_level": level, "b_unit": unit_id, "b_grouping": grouping, "b_hidden": hidden})
    if changed:
        session.execute(table.update().where(
            published, table.c.level == bindparam("b_level"), table.c.unit_id == bindparam("b_unit"),
            table.c.grouping == bindparam("b_grouping")).values(hidden=bindparam("b_hidden")), changed)
        session.expire_all()  # ORM objects loaded before would show the old masks


def _backfill_item_n(session: Session, codebook: Codebook, table, which) -> dict:
    """Work out item_n for rows written before it existed, store it, and return it by row."""
    older = session.execute(select(table.c.level, table.c.unit_id, table.c.grouping, table.c.groups,
                                   table.c.group_respondents, table.c.counts, table.c.item_n)
                            .where(which, table.c.item_n.is_(None))).all()
    ns = {(r.level, r.unit_id, r.grouping): row_ns(codebook, r) for r in older}
    if ns:
        session.execute(table.update().where(
            which, table.c.level == bindparam("b_level"), table.c.unit_id == bindparam("b_unit"),
            table.c.grouping == bindparam("b_grouping")).values(item_n=bindparam("b_item_n")),
            [{"b_level": level, "b_unit": unit, "b_grouping": grouping, "b_item_n": n.astype("<i4").tobytes()}
             for (level, unit, grouping), n in ns.items()])
    return ns


def _suppress_grouping(ns, units, parent, grouping, width, threshold, total_hidden) -> np.ndarray:
    """Masks (units × columns × items) for one breakdown; column 0 is each unit's total."""
    sample = next((ns[(lv, u, grouping)] for lv, u in units if (lv, u, grouping) in ns), None)
    groups = 0 if grouping == "all" or sample is None else sample.shape[0]
    n = np.zeros((len(units), 1 + groups, width), dtype=np.int64)
    for u, (level, unit_id) in enumerate(units):
        if (level, unit_id, "all") in ns:
            n[u, 0] = ns[(level, unit_id, "all")][0]
        if groups and (level, unit_id, grouping) in ns:
            n[u, 1:] = ns[(level, unit_id, grouping)]
    forced = np.zeros((len(units), 1 + groups, 1), dtype=bool)
    forced[:, 0, 0] = total_hidden[:, 0]
    respondents = suppress(n[:, :, :1], parent, threshold, forced)  # respondents first …
    forced_items = respondents[:, :, :1] | np.pad(total_hidden[:, None, 1:], ((0, 0), (0, groups), (0, 0)))
    items = suppress(n[:, :, 1:], parent, threshold, forced_items)  # … then every item at once
    return np.concatenate([respondents, items], axis=2)


def _may_publish(live: Aggregate, shown: Aggregate | None, found: Round, at: datetime) -> bool:
    if shown is None:
        return True
    if live.respondents == shown.respondents:
        return False
    if found.status == "closed":  # everything may be shown once answering has ended
        return True
    threshold = found.privacy_threshold
    return (live.respondents - shown.respondents >= threshold
            or (shown.respondents < threshold <= live.respondents)
            or at - shown.computed_at >= PUBLISH_AT_LEAST_EVERY)
