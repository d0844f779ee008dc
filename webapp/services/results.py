"""Published figures for one unit and breakdown, as every output shows them.

Pages, CSV exports, the JSON API and the CLI all get their numbers from `unit_figures`, which reads
only published rows (services/publication.py), so the privacy rules hold everywhere by construction.
A cell with no released answers carries no numbers.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain import aggregation
from webapp.domain.breakdowns import group_values
from webapp.domain.inputs import control_character
from webapp.domain.slots import decode_counts, row_ns, slot_layout
from webapp.models import Aggregate, Fylke, Round, School
from webapp.services.aggregates import codebook_of
from webapp.services.kommuner import KommuneNotFound, resolve_kommune
from webapp.services.round_units import layout

ALL = "all"


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
    final: bool = False  # the round is closed: these are its final figures

    def figure(self, item: str, group: str = ALL) -> Figure:
        return self.figures[(item, group)]


def find_unit(session: Session, found: Round, level: str, key: str | None) -> tuple[int, str]:
    """Resolve a school code, kommune (number or name) or fylke name to its id and display name."""
    if level == "round":
        return 0, found.name
    if control_character(key or "") is not None:  # no unit's name holds one; PostgreSQL refuses NUL
        unit = None
    elif level == "kommune":  # a number or an unambiguous name; AmbiguousKommune lists the candidates
        try:
            unit = resolve_kommune(session, key or "")
        except KommuneNotFound:
            unit = None
    else:
        model, column = {"school": (School, School.code), "fylke": (Fylke, Fylke.name)}[level]
        unit = session.scalar(select(model).where(column == key))
    if unit is None or not layout(session, found.id).has(level, unit.id):
        raise UnitNotFound(_("«%(key)s» is not a %(level)s of the round «%(name)s».",
                             key=key, level=level, name=found.name))
    return unit.id, unit.name


def unit_figures(session: Session, found: Round, level: str, unit_id: int, unit_name: str,
                 grouping: str = ALL) -> UnitFigures:
    """Return the published figures of one unit by one breakdown; a cell without released answers
    carries no numbers."""
    questionnaire, codebook = codebook_of(session, found)
    rows = {r.grouping: r for r in session.scalars(select(Aggregate).where(
        Aggregate.round_id == found.id, Aggregate.kind == "published", Aggregate.level == level,
        Aggregate.unit_id == unit_id, Aggregate.grouping.in_({ALL, grouping})))}
    values = list(group_values(questionnaire, grouping))
    shown = [ALL] + (values if grouping != ALL else [])
    offsets = slot_layout(codebook).missing
    figures: dict[tuple[str, str], Figure] = {}
    respondents: dict[str, int | None] = {}
    for group in shown:
        row = rows.get(ALL if group == ALL else grouping)
        k = 0 if group == ALL else values.index(group)
        if row is None:
            respondents[group] = None
            figures.update({(item.key, group): Figure(item.key, group, None, None)
                            for item in codebook.items})
            continue
        counts = decode_counts(codebook, row)
        ns = row_ns(codebook, row)[k]
        respondents[group] = int(ns[0]) or None
        for j, item in enumerate(codebook.items):
            if not ns[j + 1]:  # nothing released (or nobody answered): no numbers
                figures[(item.key, group)] = Figure(item.key, group, None, None)
                continue
            codes = aggregation.option_codes(item)
            by_code = {code: int(counts[k, offsets[j] + 1 + c]) for c, code in enumerate(codes)}
            for option in item.options:
                if option.na and item.type != "integer":
                    by_code.pop(option.code, None)
            figures[(item.key, group)] = Figure(item.key, group, int(ns[j + 1]), by_code)
    published_at = rows[ALL].computed_at if ALL in rows else None
    return UnitFigures(found.id, found.name, level, unit_id, unit_name, grouping, tuple(shown), respondents,
                       figures, published_at, found.privacy_threshold, found.status == "closed")


def published_respondents(session: Session, found: Round, level: str,
                          unit_ids: list[int]) -> dict[int, int | None]:
    """The number of respondents in each unit's published figures (None: none published yet)."""
    rows = session.execute(select(Aggregate.unit_id, Aggregate.respondents).where(
        Aggregate.round_id == found.id, Aggregate.kind == "published", Aggregate.level == level,
        Aggregate.grouping == ALL, Aggregate.unit_id.in_(unit_ids)))
    found_rows = {unit_id: respondents or None for unit_id, respondents in rows}
    return {unit_id: found_rows.get(unit_id) for unit_id in unit_ids}
