"""Survey rounds: create, open, close, invite, and follow response rates."""
from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.domain.inputs import character_code, control_character
from webapp.models import Invitation, Kommune, Response, Round, RoundSchool, School
from webapp.services import surveys
from webapp.services.kommuner import resolve_kommune

log = logging.getLogger(__name__)
TOKEN_BYTES = 24  # 192 random bits


class RoundError(RuntimeError):
    """A round operation cannot be done; the message says why, in the user's language."""


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def hash_token(token: str) -> str:
    """Return the stored form of an invitation token."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def get_round(session: Session, name: str) -> Round:
    found = session.scalar(select(Round).filter_by(name=name))
    if found is None:
        raise RoundError(_("There is no round called «%(name)s».", name=name))
    return found


def create_round(session: Session, surveys_dir: Path, survey: str, name: str,
                 school_codes: list[str] | None = None, kommune: str | None = None,
                 privacy_threshold: int = 5) -> Round:
    """Create a draft round of the newest version of `survey` for the chosen schools."""
    if (found := control_character(name)) is not None:
        raise RoundError(_("The round's name contains the control character %(code)s; remove it.",
                           code=character_code(found)))
    if session.scalar(select(Round.id).filter_by(name=name)) is not None:
        raise RoundError(_("A round called «%(name)s» already exists.", name=name))
    try:
        version = surveys.publish(session, surveys.find_file(surveys_dir, survey))
    except surveys.PublishError as exc:
        raise RoundError(str(exc)) from None
    schools = _select_schools(session, school_codes, kommune)
    new_round = Round(name=name, survey_version_id=version.id, status="draft",
                      privacy_threshold=privacy_threshold, created_at=now())
    session.add(new_round)
    session.flush()
    session.add_all(RoundSchool(round_id=new_round.id, school_id=s.id) for s in schools)
    session.flush()
    log.info("round %s created for %d schools", new_round.id, len(schools))
    return new_round


def _select_schools(session: Session, codes: list[str] | None, kommune: str | None) -> list[School]:
    if codes:
        found = {s.code: s for s in session.scalars(select(School).where(School.code.in_(codes)))}
        missing = [c for c in codes if c not in found]
        if missing:
            raise RoundError(_("Unknown school code(s): %(codes)s.", codes=", ".join(missing)))
        return [found[c] for c in codes]
    query = select(School).order_by(School.code)
    if kommune:
        try:
            query = query.where(School.kommune_id == resolve_kommune(session, kommune).id)
        except LookupError as exc:  # unknown, or a name several kommuner have
            raise RoundError(str(exc)) from None
    schools = list(session.scalars(query))
    if not schools:
        raise RoundError(_("No schools found for the kommune «%(name)s».", name=kommune) if kommune
                         else _("There are no schools yet; import them with `laget import-org`."))
    return schools


def set_status(session: Session, name: str, status: str) -> Round:
    """Open a draft round, or close an open one (then commit, and call pool.vacuum)."""
    from webapp.services import pool  # pool stores through answering, which imports this module

    target = get_round(session, name)
    # A closed round is final: its last answers were published as far as they can be (or held back),
    # and answers added after that could be read off by comparison with the final figures.
    allowed = {"open": ("draft",), "closed": ("open",)}[status]
    if target.status not in allowed:
        raise RoundError(_("The round «%(name)s» is %(status)s.", name=name, status=target.status))
    target.status = status
    if status == "open":
        target.opened_at = now()
    else:
        target.closed_at = now()
        pool.close_round(session, target)
    return target


def create_invitations(session: Session, target: Round, school_code: str, count: int) -> list[str]:
    """Create `count` personal invitations; return their tokens (stored only as hashes)."""
    if count < 1 or count > 10_000:
        raise RoundError(_("The number of invitations must be between 1 and 10000."))
    if target.status == "closed":
        raise RoundError(_("The round «%(name)s» is closed; it takes no new invitations.", name=target.name))
    school = session.scalar(
        select(School).join(RoundSchool, RoundSchool.school_id == School.id)
        .where(RoundSchool.round_id == target.id, School.code == school_code))
    if school is None:
        raise RoundError(_("The school %(code)s is not part of the round «%(name)s».",
                           code=school_code, name=target.name))
    tokens = [secrets.token_urlsafe(TOKEN_BYTES) for _n in range(count)]
    session.add_all(Invitation(round_id=target.id, school_id=school.id, token_hash=hash_token(t),
                               state="open", created_on=date.today(), draft_page=0) for t in tokens)
    session.flush()
    return tokens


@dataclass(frozen=True)
class SchoolStatus:
    school_id: int
    code: str
    name: str
    kommune: str
    invitations: int
    responses: int
    stored: int

    @property
    def response_rate(self) -> float | None:
        return round(100 * self.responses / self.invitations, 1) if self.invitations else None


def round_status(session: Session, target: Round) -> list[SchoolStatus]:
    """Invitations, responses (used invitations) and stored responses per school of the round.

    Responses are counted from the used invitations: a response waiting in the pool counts at once.
    Stored ones are counted from `response` itself (its round and school index), so no copy of the
    count can fall behind. Below k a page may say only "under k" of either (docs/privacy.md).
    """
    def count(column, *where) -> dict[int, int]:
        return dict(session.execute(select(column, func.count()).where(*where).group_by(column)).all())
    invitations = invitation_counts(session, target)
    responses = count(Invitation.school_id, Invitation.round_id == target.id, Invitation.state == "responded")
    stored = count(Response.school_id, Response.round_id == target.id)
    rows = session.execute(
        select(School, Kommune.name).join(RoundSchool, RoundSchool.school_id == School.id)
        .join(Kommune).where(RoundSchool.round_id == target.id).order_by(Kommune.name, School.name)).all()
    return [SchoolStatus(
        school_id=school.id, code=school.code, name=school.name, kommune=kommune_name,
        invitations=invitations.get(school.id, 0), responses=responses.get(school.id, 0),
        stored=stored.get(school.id, 0),
    ) for school, kommune_name in rows]


def invitation_counts(session: Session, target: Round) -> dict[int, int]:
    """How many personal links were made, per school of the round."""
    return dict(session.execute(select(Invitation.school_id, func.count()).where(
        Invitation.round_id == target.id).group_by(Invitation.school_id)).all())


def invitation_count(session: Session, target: Round, school_ids: list[int]) -> int:
    """How many personal links were made for these schools of the round."""
    if not school_ids:
        return 0
    return session.scalar(select(func.count()).select_from(Invitation).where(
        Invitation.round_id == target.id, Invitation.school_id.in_(school_ids))) or 0
