"""Accounts for administrators, tillitsvalgte and school leaders."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from webapp.models import User
from webapp.models.user import ROLES
from webapp.services.rounds import now


class UserError(RuntimeError):
    """An account cannot be created or changed; the message says why."""


def create_user(session: Session, email: str, password: str, role: str) -> User:
    """Create an account; the e-mail address is stored lower-cased."""
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
    session.add(user)
    session.flush()
    return user


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
