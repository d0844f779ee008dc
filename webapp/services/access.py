"""Who may see which unit's figures."""
from __future__ import annotations

from sqlalchemy.orm import Session

from webapp.domain.layout import Layout
from webapp.models import User


def may_see(session: Session, user: User, units: Layout, level: str, unit_id: int) -> bool:
    """Administrators see everything; a tillitsvalgt their kommune and its schools; a leader their school.

    Both may also see the levels above their own, for comparison (those groups are larger still).
    """
    if user.role == "admin":
        return True
    if user.role == "skoleleder" and user.school_id is not None:
        own_kommune = units.kommune_of.get(user.school_id)
        allowed_school = level == "school" and unit_id == user.school_id
        return allowed_school or _above(units, level, unit_id, own_kommune)
    if user.role == "tillitsvalgt" and user.kommune_id is not None:
        if level == "school":
            return units.kommune_of.get(unit_id) == user.kommune_id
        return (level == "kommune" and unit_id == user.kommune_id) or _above(units, level, unit_id, user.kommune_id)
    return False


def _above(units: Layout, level: str, unit_id: int, kommune_id: int | None) -> bool:
    if kommune_id is None:
        return False
    if level == "kommune":
        return unit_id == kommune_id
    if level == "fylke":
        return units.fylke_of.get(kommune_id) == unit_id
    return level == "round"


def home_units(session: Session, user: User) -> list[tuple[str, int]]:
    """The units a user's dashboard list starts from."""
    if user.role == "skoleleder" and user.school_id:
        return [("school", user.school_id)]
    if user.role == "tillitsvalgt" and user.kommune_id:
        return [("kommune", user.kommune_id)]
    return [("round", 0)]



