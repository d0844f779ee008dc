"""Answering a questionnaire from a personal link: drafts, screening, and the anonymous submit."""
from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from webapp.domain import answers as domain
from webapp.domain import sealing
from webapp.domain.answers import AnswerError
from webapp.domain.codebook import Codebook
from webapp.domain.questionnaire import Item, Questionnaire, Section
from webapp.models import Answer, Invitation, PooledResponse, Response, Round, ScreenOutCount
from webapp.services import outbox, surveys
from webapp.services.rounds import hash_token
from webapp.services.upsert import upsert

log = logging.getLogger(__name__)
SUMMARY = "oppsummering"


class LinkProblem(Exception):
    """The link cannot be used: `reason` is unknown, used, closed, not_open or screened_out."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Link:
    """An open invitation with its draft unsealed; `draft_key` (from the token) seals it again."""

    invitation: Invitation
    round: Round
    questionnaire: Questionnaire
    draft_key: bytes = field(default=b"", repr=False)
    draft: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def answers(self) -> dict[str, Any]:
        return dict(self.draft)

    def pages(self) -> list[Section]:
        """Return the pages to ask, given the answers so far."""
        return domain.visible_sections(self.questionnaire, self.answers)

    def page_after(self, key: str) -> str:
        """Return the key of the page after `key` (or the summary)."""
        pages = [p.key for p in self.pages()]
        index = self.questionnaire.section_index(key)
        later = [p for p in pages if self.questionnaire.section_index(p) > index]
        return later[0] if later else SUMMARY

    def page_before(self, key: str) -> str | None:
        pages = [p.key for p in self.pages()]
        index = len(self.questionnaire.sections) if key == SUMMARY else self.questionnaire.section_index(key)
        earlier = [p for p in pages if self.questionnaire.section_index(p) < index]
        return earlier[-1] if earlier else None

    def resume_page(self) -> str:
        """Return the first page not yet reached (where an interrupted answer continues)."""
        reached = self.invitation.draft_page or 0
        for page in self.pages():
            if self.questionnaire.section_index(page.key) >= reached:
                return page.key
        return SUMMARY

    def end_reason(self) -> str | None:
        """Return why the answers so far would end the survey ('refused', 'out_of_scope'), if they do."""
        return domain.screen_out_reason(self.questionnaire, self.answers)

    def ending_item(self) -> Item | None:
        """Return the screening question whose answer would end the survey, if any."""
        return domain.screen_out_item(self.questionnaire, self.answers)

    def may_open(self, key: str) -> bool:
        """Pages up to the furthest one reached may be opened; later ones not yet."""
        if key == SUMMARY:
            return self.resume_page() == SUMMARY
        return self.questionnaire.section_index(key) <= (self.invitation.draft_page or 0)


def open_link(session: Session, token: str, for_update: bool = False) -> Link:
    """Resolve a token to its invitation and round; raise LinkProblem when it cannot be used."""
    if not token or len(token) > 100:
        raise LinkProblem("unknown")
    query = select(Invitation, Round).join(Round, Round.id == Invitation.round_id).where(
        Invitation.token_hash == hash_token(token))
    row = session.execute(query).first()
    if row is None:
        raise LinkProblem("unknown")
    invitation, found_round = row
    if invitation.state == "responded":
        raise LinkProblem("used")
    if invitation.state in ("refused", "out_of_scope"):
        raise LinkProblem("screened_out")
    if found_round.status == "closed":
        raise LinkProblem("closed")
    if found_round.status != "open":
        raise LinkProblem("not_open")
    key = sealing.draft_key(token)
    return Link(invitation, found_round, surveys.questionnaire_of(session, found_round.survey_version_id),
                key, _unseal_draft(invitation, key))


def _unseal_draft(invitation: Invitation, key: bytes) -> dict[str, Any]:
    if invitation.sealed_draft is None:
        return {}
    try:
        return sealing.unseal(key, invitation.sealed_draft, sealing.DRAFT_CONTEXT)
    except sealing.SealError:
        log.warning("a draft could not be unsealed; its link starts again from the first page")
        invitation.draft_page = 0
        return {}


@dataclass(frozen=True)
class PageResult:
    """Where a saved page leads; `ends_survey` holds the reason when an answer would end the survey,
    which the respondent confirms with `end_survey` (until then the link stays open)."""

    errors: list[AnswerError]
    next_page: str | None
    ends_survey: str | None = None


def save_page(session: Session, link: Link, key: str, submitted: dict[str, Any],
              going_back: bool = False, to_summary: bool = False) -> PageResult:
    """Store a page's valid answers in the draft and say where to go next.

    With `to_summary` (a page changed from the summary) the next page is the summary, unless the
    change brought in pages that were not asked before: then the first of those.
    """
    section = link.questionnaire.section(key)
    if section is None:
        raise LinkProblem("unknown")
    asked_before = {p.key for p in link.pages()}
    merged, errors = domain.apply_section(section, submitted, link.answers)
    _keep_draft(link, domain.prune_hidden(link.questionnaire, merged))
    if going_back:
        return PageResult(errors, link.page_before(key))
    if errors:
        return PageResult(errors, None)
    reason = link.end_reason()
    if reason is not None:
        return PageResult([], None, reason)
    following = link.page_after(key)
    if to_summary and link.may_open(SUMMARY):
        following = _first_new_page(link, key, asked_before)
    reached = len(link.questionnaire.sections) if following == SUMMARY else \
        link.questionnaire.section_index(following)
    link.invitation.draft_page = max(link.invitation.draft_page or 0, reached)
    return PageResult([], following)


def _first_new_page(link: Link, key: str, asked_before: set[str]) -> str:
    """Return the first page after `key` that was not asked before (or the summary)."""
    index = link.questionnaire.section_index(key)
    new = [p.key for p in link.pages()
           if p.key not in asked_before and link.questionnaire.section_index(p.key) > index]
    return new[0] if new else SUMMARY


def end_survey(session: Session, link: Link) -> str | None:
    """End the survey for a confirmed screening answer; return its reason (None: nothing to end)."""
    reason = link.end_reason()
    if reason is not None:
        _screen_out(session, link, reason)
    return reason


def _keep_draft(link: Link, answers: dict[str, Any]) -> None:
    """Seal the answers so far onto the invitation, with only the day of saving."""
    link.draft = answers
    link.invitation.sealed_draft = sealing.seal(link.draft_key, answers, sealing.DRAFT_CONTEXT)
    link.invitation.draft_saved_on = date.today()


def _screen_out(session: Session, link: Link, reason: str) -> None:
    """End politely: forget every answer, keep only a count per school."""
    link.draft = {}
    link.invitation.state, link.invitation.sealed_draft, link.invitation.draft_page = reason, None, 0
    link.invitation.draft_saved_on = None
    upsert(session, ScreenOutCount,
           {"round_id": link.round.id, "school_id": link.invitation.school_id, "reason": reason, "count": 1},
           ["round_id", "school_id", "reason"], {"count": ScreenOutCount.count + 1})


@dataclass(frozen=True)
class SubmitResult:
    """`stored`: this Send stored the answers; `sent_before`: the same Send already had (a repeat)."""

    stored: bool
    errors: list[AnswerError]
    sent_before: bool = False


def new_send_id() -> str:
    """Return a random id for one rendering of the summary's Send button."""
    return secrets.token_urlsafe(16)


def _send_hash(send_id: str | None) -> str | None:
    if not send_id or len(send_id) > 100:
        return None
    return hashlib.sha256(send_id.encode("utf-8", "replace")).hexdigest()


def sent_with(session: Session, token: str, send_id: str | None) -> bool:
    """Return whether this link was used by a Send with this send id (the same Send, repeated)."""
    if not token or len(token) > 100:
        return False
    return _sent_with(session, Invitation.token_hash == hash_token(token), send_id)


def _sent_with(session: Session, which: Any, send_id: str | None) -> bool:
    wanted = _send_hash(send_id)
    if wanted is None:
        return False
    stored = session.scalar(select(Invitation.send_hash).where(which, Invitation.state == "responded"))
    return stored is not None and hmac.compare_digest(stored, wanted)


def submit(session: Session, link: Link, send_id: str | None = None) -> SubmitResult:
    """Move the draft into the response pool, exactly once.

    The invitation is claimed with a conditional UPDATE that keeps the hash of `send_id`. A Send that
    loses the claim (on PostgreSQL it waits for the winner's commit, on SQLite for its write lock)
    then reads the winner's hash: the same Send repeated is `sent_before`, any other raises
    LinkProblem("used"). The answers go into the pool sealed, with a random id and no date; the mover
    (webapp.services.pool) stores them later among the school's others, so this transaction ties the
    invitation to nothing readable.
    """
    answers, errors = domain.validate_response(link.questionnaire, domain.prune_hidden(
        link.questionnaire, link.answers))
    if errors:
        return SubmitResult(False, errors)
    claimed = session.execute(
        update(Invitation).where(Invitation.id == link.invitation.id, Invitation.state == "open")
        .values(state="responded", sealed_draft=None, draft_page=0, draft_saved_on=None,
                send_hash=_send_hash(send_id))
        .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        if _sent_with(session, Invitation.id == link.invitation.id, send_id):
            return SubmitResult(False, [], sent_before=True)
        raise LinkProblem("used")
    # A send that began before the round closed must not land after the close: the round's row is
    # share-locked (PostgreSQL; SQLite already holds its write lock here), so a close waits for this
    # transaction and then stores this response with the rest — or this one sees the close and stops.
    status = session.scalar(select(Round.status).where(Round.id == link.round.id).with_for_update(read=True))
    if status != "open":
        raise LinkProblem("closed")  # the caller rolls back: the invitation stays unused
    pool_response(session, link.round.id, link.invitation.school_id, answers)
    return SubmitResult(True, [])


def pool_response(session: Session, round_id: int, school_id: int, answers: dict[str, Any]) -> None:
    """Seal a validated response into the pool with the server's key (caller commits)."""
    sealed = sealing.seal(sealing.pool_key(current_app.secret_key), answers,
                          sealing.pool_context(round_id, school_id))
    session.add(PooledResponse(id=uuid.uuid4().hex, round_id=round_id, school_id=school_id, sealed=sealed))


def delete_stale_drafts(session: Session, retention_days: int, today: date | None = None) -> int:
    """Forget the drafts of links nobody has continued for `retention_days`; returns how many."""
    cutoff = (today or date.today()) - timedelta(days=retention_days)
    deleted = session.execute(
        update(Invitation).where(Invitation.state == "open", Invitation.draft_saved_on < cutoff)
        .values(sealed_draft=None, draft_page=0, draft_saved_on=None)
        .execution_options(synchronize_session=False))
    return deleted.rowcount


def store_response(session: Session, questionnaire: Questionnaire, round_id: int, school_id: int,
                   answers: dict[str, Any]) -> None:
    """Insert a validated response, its answers and its outbox event (caller commits); it is dated
    the day it is stored. Free text pooled before control characters were dropped is cleaned here."""
    answers = domain.clean_answers(questionnaire, answers)
    derived = domain.derive(questionnaire, answers)
    response_id = uuid.uuid4().hex
    session.add(Response(
        id=response_id, round_id=round_id, school_id=school_id, stored_on=date.today(),
        yrkesgruppe=derived.get("yrkesgruppe"), skoleslag=derived.get("skoleslag"),
        ufaglaert=derived.get("ufaglaert"), b_trinn=answers.get("b_trinn"),
        vector=Codebook.of(questionnaire).encode(answers)))
    session.flush()
    session.execute(insert(Answer), answer_rows(response_id, answers))
    outbox.add_event(session, outbox.RESPONSE_STORED, {"round_id": round_id, "school_id": school_id})


def answer_rows(response_id: str, answers: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per answered item, one per ticked option of a multi-select (inserted in bulk)."""
    rows = []
    for key, value in answers.items():
        values = value if isinstance(value, list) else [value]
        rows.extend({"response_id": response_id, "item_key": key, "position": i, "value": str(v)}
                    for i, v in enumerate(values))
    return rows
