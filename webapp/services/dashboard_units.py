"""What a dashboard lists besides its panels: the response rate, and the units below in the reader's scope."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.models import User
from webapp.services import access, results, rounds
from webapp.services.dashboard import LEVEL_MODELS, DashboardPage


@dataclass(frozen=True)
class ResponseRate:
    invited: int
    answered: int | None
    rate: int | None


@dataclass(frozen=True)
class UnitRow:
    """A unit below the one shown, as the dashboard lists it: its published n and response rate."""

    name: str
    level: str
    unit_id: int
    answered: int | None
    invited: int

    @property
    def rate(self) -> int | None:
        return round(100 * self.answered / self.invited) if self.invited and self.answered else None


@dataclass(frozen=True)
class UnitLists:
    status: ResponseRate
    children_level: str  # "" when the unit has none
    children: list[UnitRow]
    schools: list[UnitRow]  # every school below, for the school search; empty where children are schools
    children_total: int = 0  # the units one level below, also those outside the reader's scope
    sees_every_school: bool = True  # whether the reader may see every school the unit's figures count


def unit_lists(session: Session, page: DashboardPage, user: User) -> UnitLists:
    """The page's response rate, the units one level below, and every school below that the user may see."""
    invited = rounds.invitation_counts(session, page.round)  # per school, for both unit lists
    child_level, child_ids = page.units.children(page.level, page.unit_id) or ("", [])
    schools = [s for s in page.units.schools if page.units.holds(page.level, page.unit_id, s)]
    every = all(access.may_see(session, user, page.units, "school", s) for s in schools)
    return UnitLists(response_rate(session, page), child_level,
                     _children(session, page, user, invited), _schools_below(session, page, user, invited),
                     len(child_ids), every)


def response_rate(session: Session, page: DashboardPage) -> ResponseRate:
    """Invitations, and the answers in the published figures — never the live count, which would
    move the moment a colleague presses Send."""
    invited = rounds.invitation_count(session, page.round, [s for s in page.units.schools
                                                            if page.units.holds(page.level, page.unit_id, s)])
    answered = page.unit.respondents.get("all")
    return ResponseRate(invited, answered, round(100 * answered / invited) if invited and answered else None)


def _children(session: Session, page: DashboardPage, user: User, invited: dict[int, int]) -> list[UnitRow]:
    """The units one level below, in the reader's scope, with the answers in their published figures."""
    below = page.units.children(page.level, page.unit_id)
    if below is None:
        return []
    child_level, ids = below
    visible = [i for i in ids if access.may_see(session, user, page.units, child_level, i)]
    return _unit_rows(session, page, child_level, visible, invited)


def _schools_below(session: Session, page: DashboardPage, user: User,
                   invited: dict[int, int]) -> list[UnitRow]:
    """Every school in the unit that the reader may see: the list the school search filters."""
    if page.level in ("school", "kommune"):
        return []  # a kommune's schools are its children already
    ids = [s for s in page.units.schools if page.units.holds(page.level, page.unit_id, s)
           and access.may_see(session, user, page.units, "school", s)]
    return _unit_rows(session, page, "school", ids, invited)


def _unit_rows(session: Session, page: DashboardPage, level: str, ids: list[int],
               per_school: dict[int, int]) -> list[UnitRow]:
    model = LEVEL_MODELS[level]
    names = {u.id: u.name for u in session.scalars(select(model).where(model.id.in_(ids)))}
    answered = results.published_respondents(session, page.round, level, ids)
    units = page.units
    invited = {i: sum(n for s, n in per_school.items() if units.holds(level, i, s)) for i in ids}
    rows = [UnitRow(names[i], level, i, answered[i], invited[i]) for i in ids]
    return sorted(rows, key=lambda row: row.name)
