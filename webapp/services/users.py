"""Accounts for administrators, tillitsvalgte and school leaders."""
from __future__ import annotations

import functools
import secrets

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from webapp.models import User
from webapp.models.user import ROLES
from webapp.services.rounds import now


class UserError(RuntimeError):
    """An account cannot be created or changed; the message says why."""


def normalise_email(email: str) -> str:
    """Return an e-mail address as accounts store it: trimmed and lower-cased."""
    return email.strip().lower()


def hash_password(password: str) -> str:
    """Hash a password with werkzeug's default algorithm and parameters."""
    return generate_password_hash(password)


@functools.cache
def unknown_account_hash() -> str:
    """Return a hash made like every password's, checked for unknown e-mails; nobody knows its password.

    Refusing an unknown e-mail then costs the same key derivation as a wrong password, so the time a
    log-in takes does not tell whether an account exists.
    """
    return hash_password(secrets.token_urlsafe(32))


def create_user(session: Session, email: str, password: str, role: str) -> User:
    """Create an account; the e-mail address is stored lower-cased."""
    email = normalise_email(email)
    if role not in ROLES:
        raise UserError(_("Unknown role %(role)s; use one of %(roles)s.", role=role, roles=", ".join(ROLES)))
    if "@" not in email:
        raise UserError(_("That does not look like an e-mail address."))
    if len(password) < 10:
        raise UserError(_("The password must have at least 10 characters."))
    if _find(session, email) is not None:
        raise UserError(_("An account with that e-mail address already exists."))
    user = User(email=email, password_hash=hash_password(password), role=role, created_at=now())
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, email: str, password: str) -> User:
    user = _find(session, email)
    if user is None:
        raise UserError(_("No account with that e-mail address."))
    if len(password) < 10:
        raise UserError(_("The password must have at least 10 characters."))
    user.password_hash = hash_password(password)
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """Return the user when the e-mail and password match, else None, in the same time either way."""
    user = _find(session, email)
    if user is None:
        check_password_hash(unknown_account_hash(), password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def _find(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))
