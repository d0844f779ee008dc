"""Accounts for administrators, tillitsvalgte and school leaders."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from webapp.models import Kommune, School, User
from webapp.models.user import ROLES
from webapp.services.kommuner import resolve_kommune
from webapp.services.rounds import now


class UserError(RuntimeError):
    """An account cannot be created or changed; the message says why."""


def create_user(session: Session, email: str, password: str, role: str, kommune: str | None = None,
                school: str | None = None) -> User:
    """Create an account; the e-mail address is stored lower-cased.

    A tillitsvalgt sees a kommune (its number or an unambiguous name), a skoleleder a school (its code).
    """
    email = email.strip().lower()
    if role not in ROLES:
        raise UserError(_("Unknown role %(role)s; use one of %(roles)s.", role=role, roles=", ".join(ROLES)))
    if "@" not in email:
        raise UserError(_("That does not look like an e-mail address."))
    if len(password) < 10:
        raise UserError(_("The password must have at least 10 characters."))
    if session.scalar(select(User.id).where(func.lower(User.email) == email)) is not None:
        raise UserError(_("An account with that e-mail address already exists."))
    user = User(email=email, password_hash=generate_password_hash(password), role=role, created_at=now())
    user.kommune_id, user.school_id = _scope(session, role, kommune, school)
    session.add(user)
    session.flush()
    return user


def _scope(session: Session, role: str, kommune: str | None,
           school: str | None) -> tuple[int | None, int | None]:
    """The (kommune id, school id) an account of this role may see."""
    if (kommune and role != "tillitsvalgt") or (school and role != "skoleleder"):
        raise UserError(_("A kommune is for a tillitsvalgt and a school for a skoleleder; an administrator "
                          "sees everything."))
    if kommune:
        try:
            return resolve_kommune(session, kommune).id, None
        except LookupError as exc:
            raise UserError(str(exc)) from None
    if school:
        school_id = session.scalar(select(School.id).where(School.code == school.strip()))
        if school_id is None:
            raise UserError(_("There is no school with the code %(code)s.", code=school))
        return None, school_id
    return None, None


def list_users(session: Session) -> list[tuple[User, Kommune | None, School | None]]:
    """Every account with the kommune or school it may see, by e-mail address."""
    return [tuple(row) for row in session.execute(
        select(User, Kommune, School).outerjoin(Kommune, Kommune.id == User.kommune_id)
        .outerjoin(School, School.id == User.school_id).order_by(User.email))]


def set_password(session: Session, email: str, password: str) -> User:
    user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise UserError(_("No account with that e-mail address."))
    if len(password) < 10:
        raise UserError(_("The password must have at least 10 characters."))
    user.password_hash = generate_password_hash(password)
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """Return the user when the e-mail and password match, else None."""
    user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None or not check_password_hash(user.password_hash, password):
        return None
    return user
