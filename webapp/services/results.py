"""Published figures for one unit and breakdown, with small groups suppressed — what every output reads.

Pages, CSV/XLSX/JSON exports, the API and the CLI all get their numbers from `unit_figures`, so the
privacy rules hold everywhere by construction.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain import aggregation
from webapp.domain.breakdowns import group_values
from webapp.domain.disclosure import ALL, hidden_cells
from webapp.domain.questionnaire import Item
from webapp.models import Aggregate, Fylke, Kommune, Round, School
from webapp.services.aggregates import _slot_columns, codebook_of, layout

RESPONDENTS = "_respondents"


class UnitNotFound(LookupError):
    """No such school, kommune or fylke in the round; the message says which."""


@dataclass(frozen=True)
class Figure:
    """One item in one group: n and counts per option code, or suppressed (no numbers at all)."""

    item: str
    group: str
    n: int | None
    counts: dict[str, int] | None

    @property
    def suppressed(self) -> bool:
        return self.n is None

    def percent(self) -> dict[str, float] | None:
        if self.counts is None or self.n is None:
            return None
        return {c: round(100 * v / self.n, 1) if self.n else 0.0 for c, v in self.counts.items()}

    def share(self, codes: tuple[str, ...]) -> float | None:
        if self.counts is None or not self.n:
            return None
        return sum(self.counts.get(c, 0) for c in codes) / self.n


@dataclass(frozen=True)
class UnitFigures:
    round_id: int
    round_name: str
    level: str
    unit_id: int
    unit_name: str
    grouping: str
    groups: tuple[str, ...]
    respondents: dict[str, int | None]
    figures: dict[tuple[str, str], Figure]
    published_at: datetime | None
    threshold: int

    def figure(self, item: str, group: str = ALL) -> Figure:
        return self.figures[(item, group)]


def find_unit(session: Session, found: Round, level: str, key: str | None) -> tuple[int, str]:
    """Resolve a school code, kommune name or fylke name to its id and display name."""
    if level == "round":
        return 0, found.name
    model, column = {"school": (School, School.code), "kommune": (Kommune, Kommune.name),
                     "fylke": (Fylke, Fylke.name)}[level]
    unit = session.scalar(select(model).where(column == key))
    units = layout(session, found.id)
    present = {"school": set(units.schools), "kommune": set(units.kommune_of.values()),
               "fylke": set(units.fylke_of.values())}[level]
    if unit is None or unit.id not in present:
        raise UnitNotFound(_("«%(key)s» is not a %(level)s of the round «%(name)s».",
                             key=key, level=level, name=found.name))
    return unit.id, unit.name


def _item_ns(items: list[Item], offsets: list[int], row_counts: np.ndarray,
             group_respondents: list[int]) -> dict[str, np.ndarray]:
    """n answered per group for every item (missing and `na` excluded), plus respondents."""
    ns = {RESPONDENTS: np.array(group_respondents, dtype=np.int64)}
    for item, offset in zip(items, offsets):
        na_slots = [offset + 1 + k for k, o in enumerate(item.options) if o.na] if item.type != "integer" else []
        ns[item.key] = ns[RESPONDENTS] - row_counts[:, offset] - row_counts[:, na_slots].sum(axis=1)
    return ns


def unit_figures(session: Session, found: Round, level: str, unit_id: int, unit_name: str,
                 grouping: str = ALL) -> UnitFigures:
    """Return the published figures of one unit by one breakdown, with suppression applied."""
    questionnaire, codebook = codebook_of(session, found)
    units = layout(session, found.id)
    parent = units.parent(level, unit_id) if level != "round" else None
    siblings = units.children(*parent)[1] if parent else [unit_id]
    sibling_level = level
    wanted = {grouping, ALL}
    rows = session.scalars(select(Aggregate).where(
        Aggregate.round_id == found.id, Aggregate.kind == "published", Aggregate.grouping.in_(wanted),
        ((Aggregate.level == sibling_level) & Aggregate.unit_id.in_(siblings))
        | ((Aggregate.level == (parent[0] if parent else "-")) & (Aggregate.unit_id == (parent[1] if parent else -1)))
    )).all()
    items = list(codebook.items)
    item_cols, _slots = _slot_columns(codebook)
    offsets = [int(np.argmax(item_cols == j)) for j in range(len(items))]
    values = list(group_values(questionnaire, grouping))
    ns: dict[tuple[str, int, str], dict[str, np.ndarray]] = {}
    counts: dict[tuple[str, int, str], np.ndarray] = {}
    published_at = None
    for row in rows:
        matrix = np.frombuffer(row.counts, dtype="<i4").reshape(len(row.groups), len(item_cols)).astype(np.int64)
        ns[(row.level, row.unit_id, row.grouping)] = _item_ns(items, offsets, matrix, row.group_respondents)
        counts[(row.level, row.unit_id, row.grouping)] = matrix
        if row.level == level and row.unit_id == unit_id:
            published_at = row.computed_at
    shown_groups = [ALL] + ([g for g in values] if grouping != ALL else [])
    figures: dict[tuple[str, str], Figure] = {}
    respondents: dict[str, int | None] = {}
    hidden_groups: set[tuple[int, str]] = set()  # (unit, group) whose respondents are hidden
    for key in [RESPONDENTS] + [i.key for i in items]:
        table = {}
        for sibling in siblings:
            total = ns.get((level, sibling, ALL))
            if total is None:
                continue
            table[(sibling, ALL)] = int(total[key][0])
            by_group = ns.get((level, sibling, grouping))
            if grouping != ALL and by_group is not None:
                table.update({(sibling, g): int(by_group[key][k]) for k, g in enumerate(values)})
        parent_figures = None
        if parent:
            parent_all, parent_by = ns.get((parent[0], parent[1], ALL)), ns.get((parent[0], parent[1], grouping))
            if parent_all is not None:
                parent_figures = {ALL: int(parent_all[key][0])}
                if grouping != ALL and parent_by is not None:
                    parent_figures.update({g: int(parent_by[key][k]) for k, g in enumerate(values)})
        hidden = hidden_cells(table, parent_figures, found.privacy_threshold, hidden_groups)
        if key == RESPONDENTS:
            hidden_groups = hidden
        for group in shown_groups:
            n = table.get((unit_id, group))
            visible = n is not None and (unit_id, group) not in hidden
            if key == RESPONDENTS:
                respondents[group] = n if visible else None
                continue
            figures[(key, group)] = _figure(items, offsets, counts, level, unit_id, grouping, values, key, group,
                                            n if visible else None)
    return UnitFigures(found.id, found.name, level, unit_id, unit_name, grouping, tuple(shown_groups),
                       respondents, figures, published_at, found.privacy_threshold)


def _figure(items, offsets, counts, level, unit_id, grouping, values, key, group, n) -> Figure:
    if n is None:
        return Figure(key, group, None, None)
    j = next(i for i, item in enumerate(items) if item.key == key)
    item, offset = items[j], offsets[j]
    matrix = counts[(level, unit_id, ALL if group == ALL else grouping)]
    row = matrix[0 if group == ALL else values.index(group)]
    codes = aggregation.option_codes(item)
    by_code = {code: int(row[offset + 1 + k]) for k, code in enumerate(codes)}
    for option in item.options:
        if option.na and item.type != "integer":
            by_code.pop(option.code, None)
    return Figure(key, group, n, by_code)
