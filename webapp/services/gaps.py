"""A unit's gaps per competence area, read from its published figures (results.unit_figures) only."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from webapp.domain import gaps, needs
from webapp.domain.gaps import Counts, Gap
from webapp.domain.questionnaire import Questionnaire
from webapp.models import Round
from webapp.services.aggregates import codebook_of
from webapp.services.results import ALL, Figure, UnitFigures, unit_figures

BY = "yrkesgruppe"


@dataclass(frozen=True)
class UnitGaps:
    level: str
    unit_id: int
    unit_name: str
    groups: tuple[str, ...]                 # "all", then the breakdown's groups (when asked for)
    gaps: dict[str, dict[str, Gap]]         # group → area → gap; a group with no published figures: {}
    formats: Counts | None                  # onsket_format of the whole unit
    published_at: datetime | None

    def suppressed(self, group: str) -> bool:
        return not self.gaps.get(group)


def counts(figure: Figure) -> Counts | None:
    return None if figure.n is None or figure.counts is None else Counts(figure.n, dict(figure.counts))


def _feeders(questionnaire: Questionnaire, area: str) -> tuple[str | None, str | None]:
    """The area's A2 item (`behov_<group>`) and the A1 item of the same pupil group, when it has them."""
    found = next(a for a in questionnaire.areas if a.code == area)
    behov = next((key for key, option in found.fed_by if key.startswith("behov_") and option is None), None)
    if behov is None:
        return None, None
    arbeid = "arbeid_" + behov.removeprefix("behov_")
    return behov, arbeid if arbeid in questionnaire.items else None


def from_figures(questionnaire: Questionnaire, figures: UnitFigures) -> UnitGaps:
    """The gaps of every group in `figures` (groups without published figures get none)."""
    by_group: dict[str, dict[str, Gap]] = {}
    for group in figures.groups:
        out: dict[str, Gap] = {}
        for area in questionnaire.areas:
            behov, arbeid = _feeders(questionnaire, area.code)
            data = gaps.AreaInput(
                area.code, counts(figures.figure(needs.flag_key(area.code), group)),
                counts(figures.figure(behov, group)) if behov else None,
                counts(figures.figure(arbeid, group)) if arbeid else None)
            found = gaps.gap(data, group)
            if found is not None:
                out[area.code] = found
        by_group[group] = out
    wish = counts(figures.figure("onsket_format")) if ("onsket_format", ALL) in figures.figures else None
    return UnitGaps(figures.level, figures.unit_id, figures.unit_name, figures.groups, by_group, wish,
                    figures.published_at)


def unit_gaps(session: Session, found: Round, level: str, unit_id: int, unit_name: str,
              by: str = ALL) -> UnitGaps:
    """The unit's published gaps, overall and (with `by="yrkesgruppe"`) per yrkesgruppe."""
    questionnaire, _codebook = codebook_of(session, found)
    return from_figures(questionnaire, unit_figures(session, found, level, unit_id, unit_name, by))


def contract(found: Round, result: UnitGaps, by: str) -> dict:
    """The `laget gaps` JSON contract: one entry per area and group; a hidden group says so, no numbers."""
    areas: list[dict] = []
    for group in result.groups:
        if result.suppressed(group):
            areas.append({"group": group, "suppressed": True})
            continue
        for gap in result.gaps[group].values():
            areas.append({"area": gap.area, "group": group, "n": gap.n, "need": gap.need, "share": gap.share,
                          "low": gap.low, "high": gap.high, "score": gap.score})
    # The day only, as every output: the time of a release would say whose answers filled it.
    published_on = result.published_at.date().isoformat() if result.published_at else None
    return {"round": found.name, "unit": {"level": result.level, "name": result.unit_name},
            "by": by if by != ALL else None, "published_on": published_on, "areas": areas}
