"""Accounts for administrators, tillitsvalgte and school leaders."""
from __future__ import annotations

import functools
import secrets

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from webapp.domain.inputs import character_code, control_character
from webapp.models import Kommune, School, User, UserSchool
from webapp.models.user import ROLES
from webapp.services.kommuner import resolve_kommune
from webapp.services.rounds import now

MIN_PASSWORD_LENGTH = 10


class UserError(RuntimeError):
    """An account cannot be created or changed; the message says why."""


class WrongPassword(UserError):
    """The password given to prove who one is does not match."""


def normalise_email(email: str) -> str:
    """Return an e-mail address as accounts store it: trimmed and lower-cased."""
    return email.strip().lower()


def email_control_message(char: str) -> str:
    """Say that an e-mail address holds a control character (no account's does)."""
    return _("The e-mail address contains the control character %(code)s; remove it.",
             code=character_code(char))


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


def create_user(session: Session, email: str, password: str, role: str, kommune: str | None = None,
                school: str | None = None) -> User:
    """Create an account; the e-mail address is stored lower-cased.

    A tillitsvalgt sees a kommune (its number or an unambiguous name) or schools, a skoleleder one or more
    schools (codes, comma-separated).
    """
    email = normalise_email(email)
    if role not in ROLES:
        raise UserError(_("Unknown role %(role)s; use one of %(roles)s.", role=role, roles=", ".join(ROLES)))
    if "@" not in email:
        raise UserError(_("That does not look like an e-mail address."))
    if (found := control_character(email)) is not None:
        raise UserError(email_control_message(found))
    _check_new_password(password)
    if _find(session, email) is not None:
        raise UserError(_("An account with that e-mail address already exists."))
    user = User(email=email, password_hash=hash_password(password), role=role, created_at=now())
    user.kommune_id, user.school_ids = _scope(session, role, kommune, school)
    session.add(user)
    session.flush()
    return user


def _scope(session: Session, role: str, kommune: str | None,
           school: str | None) -> tuple[int | None, list[int]]:
    """The (kommune id, school ids) an account of this role may see."""
    if role == "admin" and (kommune or school):
        raise UserError(_("An administrator sees everything: give no kommune or school."))
    if role == "skoleleder" and kommune:
        raise UserError(_("A skoleleder sees schools, not a kommune: give --school."))
    if kommune and school:
        raise UserError(_("Give a tillitsvalgt either a kommune or schools, not both."))
    if kommune:
        try:
            return resolve_kommune(session, kommune).id, []
        except LookupError as exc:
            raise UserError(str(exc)) from None
    if school:
        return None, _school_ids(session, school)
    return None, []


def _school_ids(session: Session, codes: str) -> list[int]:
    """The ids of comma-separated school codes; every unknown code is named."""
    wanted = list(dict.fromkeys(c.strip() for c in codes.split(",") if c.strip()))
    found = dict(session.execute(select(School.code, School.id).where(School.code.in_(wanted))).all())
    unknown = [c for c in wanted if c not in found]
    if unknown or not wanted:
        raise UserError(_("There is no school with the code %(code)s.", code=", ".join(unknown) or codes))
    return [found[c] for c in wanted]


def list_users(session: Session) -> list[tuple[User, Kommune | None, list[School]]]:
    """Every account with the kommune or schools it may see, by e-mail address."""
    schools = {s.id: s for s in session.scalars(select(School).join(UserSchool).distinct())}
    return [(user, kommune, sorted((schools[i] for i in user.school_ids), key=lambda s: s.code))
            for user, kommune in session.execute(select(User, Kommune).outerjoin(
                Kommune, Kommune.id == User.kommune_id).order_by(User.email))]


def set_password(session: Session, email: str, password: str) -> User:
    """Give an account a new password (the CLI and the demo); every session of it ends."""
    user = _find(session, email)
    if user is None:
        raise UserError(_("No account with that e-mail address."))
    _replace_password(session, user, password)
    return user


def change_password(session: Session, user: User, current: str, new: str) -> None:
    """Let a user who knows the current password choose a new one; every session of the user ends."""
    if not check_password_hash(user.password_hash, current):
        raise WrongPassword(_("The current password is wrong."))
    _replace_password(session, user, new)


def end_sessions(session: Session, user: User) -> None:
    """Raise the user's session version, so that every session made before it stops working."""
    user.session_version = User.session_version + 1  # in SQL, so two concurrent raises both count
    session.flush()


def authenticate(session: Session, email: str, password: str) -> User | None:
    """Return the user when the e-mail and password match, else None, in the same time either way."""
    user = _find(session, email)
    if user is None:
        check_password_hash(unknown_account_hash(), password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def _find(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def _check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(_("The password must have at least 10 characters."))


def _replace_password(session: Session, user: User, password: str) -> None:
    _check_new_password(password)
    user.password_hash = hash_password(password)
    end_sessions(session, user)
