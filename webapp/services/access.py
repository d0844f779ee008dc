"""Who may see which unit's figures."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.layout import Layout
from webapp.models import Round, User
from webapp.services.round_units import layout


def may_see(session: Session, user: User, units: Layout, level: str, unit_id: int) -> bool:
    """Administrators see everything; a tillitsvalgt their kommune and its schools; an account with schools
    (a leader, or a tillitsvalgt given schools) those schools.

    They may also see the levels above their own, for comparison (those groups are larger still).
    """
    if user.role == "admin":
        return True
    if user.role == "tillitsvalgt" and user.kommune_id is not None:
        if level == "school":
            return units.kommune_of.get(unit_id) == user.kommune_id
        return ((level == "kommune" and unit_id == user.kommune_id)
                or _above(units, level, unit_id, user.kommune_id))
    schools = user.school_ids
    if level == "school":
        return unit_id in schools
    return any(_above(units, level, unit_id, units.kommune_of.get(s)) for s in schools)


def _above(units: Layout, level: str, unit_id: int, kommune_id: int | None) -> bool:
    if kommune_id is None:
        return False
    if level == "kommune":
        return unit_id == kommune_id
    if level == "fylke":
        return units.fylke_of.get(kommune_id) == unit_id
    return level == "round" and kommune_id in units.fylke_of  # only a round their kommune takes part in


def may_open(session: Session, user: User, found: Round | None, units: Layout, level: str,
             unit_id: int) -> bool:
    """Whether the user may open a unit's results: False alike for a missing round or unit and one out of
    scope.

    Callers answer every False in the same way, so that nobody can find out which units exist beyond their
    own scope. A draft round has no results for anyone.
    """
    return (found is not None and found.status != "draft" and units.has(level, unit_id)
            and may_see(session, user, units, level, unit_id))


def visible_rounds(session: Session, user: User) -> list[Round]:
    """The rounds whose results the user may open, newest first."""
    rounds = session.scalars(
        select(Round).where(Round.status != "draft").order_by(Round.created_at.desc())).all()
    return [r for r in rounds if may_open(session, user, r, layout(session, r.id), "round", 0)]


def home_units(session: Session, user: User) -> list[tuple[str, int]]:
    """The units a user's dashboard list starts from."""
    if user.role == "tillitsvalgt" and user.kommune_id:
        return [("kommune", user.kommune_id)]
    if user.role != "admin" and user.school_ids:
        return [("school", s) for s in user.school_ids]
    return [("round", 0)]


def landing(session: Session, user: User) -> tuple[Round, str, int] | None:
    """The unit a user starts from after log-in: their own, in the newest round they may open it in.

    An account with several schools starts from the first of them that the round holds.
    """
    homes = home_units(session, user)
    for found in visible_rounds(session, user):
        units = layout(session, found.id)
        for level, unit_id in homes:
            if may_open(session, user, found, units, level, unit_id):
                return found, level, unit_id
    return None
