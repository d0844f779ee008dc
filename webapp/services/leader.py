"""The short leader questionnaire: saving a school's answers, and the leader side of the perception gap.

A leader's answers are the school management's signed statements about the school, so at the school
they are shown as they are — but only beside a staff figure that is published there (docs/privacy.md,
«Leader answers»). Above the school, leader shares are counted once, in the transaction of the round's
final publication, in blocks of at least k leaders per kommune (domain/leader.py), and stored; the
pages only read the stored figures.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from webapp.domain.breakdowns import group_values
from webapp.domain.codebook import Codebook
from webapp.domain.dashboard_config import PerceptionGap
from webapp.domain.layout import Layout
from webapp.domain.leader import LEADER_ITEMS, Cell, LeaderShare, Statement, kommune_blocks, unit_shares
from webapp.domain.slots import row_ns
from webapp.models import Aggregate, LeaderAnswer, LeaderShareRow, Round, RoundSchool, User
from webapp.services import dashboard_config
from webapp.services.rounds import now
from webapp.services.surveys import questionnaire_of


class LeaderRefused(Exception):
    """The answers cannot be saved; the message says why, in the user's language."""


@dataclass(frozen=True)
class GroupAnswer:
    """A leader's answers about one group: not at the school, or yes/no (None: not answered) per item."""

    present: bool
    answers: dict[str, bool | None] = field(default_factory=dict)


@dataclass(frozen=True)
class SavedAnswers:
    groups: dict[str, GroupAnswer]
    answered_by: str | None  # the account's e-mail; None when the account is gone (or the demo's)
    answered_at: datetime


def may_answer(user: User, school_id: int) -> bool:
    """Only a school leader of the school answers for it; a tillitsvalgt or an administrator never."""
    return user.role == "skoleleder" and school_id in user.school_ids


def saved_answers(session: Session, round_id: int, school_id: int) -> SavedAnswers | None:
    rows = session.scalars(select(LeaderAnswer).where(LeaderAnswer.round_id == round_id,
                                                      LeaderAnswer.school_id == school_id)).all()
    if not rows:
        return None
    who = session.get(User, rows[0].answered_by_id) if rows[0].answered_by_id else None
    groups = {r.yrkesgruppe: GroupAnswer(r.present, {item: getattr(r, item) for item in LEADER_ITEMS})
              for r in rows}
    return SavedAnswers(groups, who.email if who else None, rows[0].answered_at)


def save_answers(session: Session, user: User | None, found: Round, school_id: int,
                 groups: dict[str, GroupAnswer]) -> None:
    """Replace the school's answers in the round by `groups` (the last save wins), as `user` (None: the
    demo's loader); LeaderRefused when they may not, or the round is not open."""
    if user is not None and not may_answer(user, school_id):
        raise LeaderRefused(_("Only a leader of this school can answer for it."))
    if session.get(RoundSchool, (found.id, school_id)) is None:
        raise LeaderRefused(_("The school is not part of this round."))
    # Read under the shared lock the close takes exclusively, so a save racing the close is refused
    status = session.scalar(select(Round.status).where(Round.id == found.id).with_for_update(read=True))
    if status != "open":
        raise LeaderRefused(_("The round is closed: the answers can no longer be changed.")
                            if status == "closed" else _("The round has not opened yet."))
    known = group_values(questionnaire_of(session, found.survey_version_id), "yrkesgruppe")
    unknown = sorted(set(groups) - set(known))
    if unknown:
        raise LeaderRefused(_("Unknown occupational group: %(groups)s", groups=", ".join(unknown)))
    session.execute(delete(LeaderAnswer).where(LeaderAnswer.round_id == found.id,
                                               LeaderAnswer.school_id == school_id))
    at = now()
    for group, answer in groups.items():
        values = {item: (answer.answers.get(item) if answer.present else None) for item in LEADER_ITEMS}
        session.add(LeaderAnswer(round_id=found.id, school_id=school_id, yrkesgruppe=group,
                                 present=answer.present, answered_by_id=user.id if user else None,
                                 answered_at=at, **values))
    session.flush()


@dataclass(frozen=True)
class LeaderSide:
    """What the perception gap may show of the leaders for one unit.

    At a school, `statements` holds the leader's yes/no per (leader item, group), all of them (the
    panel shows only those beside a published staff figure), and `absent` the groups marked as not at
    the school. Above, `shares` holds the stored blocks' sums per (leader item, group or "all"), and
    only once they are counted (`counted`: at the final publication); `closed` tells a closed round
    waiting for its final figures from an open one."""

    level: str
    statements: dict[Cell, bool] = field(default_factory=dict)
    absent: frozenset[str] = frozenset()
    answered_at: datetime | None = None
    closed: bool = False
    counted: bool = False
    shares: dict[Cell, LeaderShare] = field(default_factory=dict)


def leader_side(session: Session, found: Round, level: str, unit_id: int) -> LeaderSide:
    """At a school, its leader's answers; above, the leader figures stored at the final publication,
    read as they were stored (nothing is counted on reading: see `count_final`)."""
    if level == "school":
        saved = saved_answers(session, found.id, unit_id)
        if saved is None:
            return LeaderSide(level)
        return LeaderSide(level, {(item, g): yes for g, a in saved.groups.items() if a.present
                                  for item, yes in a.answers.items() if yes is not None},
                          frozenset(g for g, a in saved.groups.items() if not a.present), saved.answered_at)
    if found.leaders_counted_at is None:
        return LeaderSide(level, closed=found.status == "closed")
    rows = session.execute(select(LeaderShareRow.statement, LeaderShareRow.grp, LeaderShareRow.yes,
                                  LeaderShareRow.n).where(LeaderShareRow.round_id == found.id,
                                                          LeaderShareRow.level == level,
                                                          LeaderShareRow.unit_id == unit_id))
    return LeaderSide(level, closed=True, counted=True,
                      shares={(r.statement, r.grp): LeaderShare(r.yes, r.n) for r in rows})


def count_final(session: Session, found: Round, units: Layout, codebook: Codebook,
                surveys_dir: Path, at: datetime) -> int:
    """Count the leader figures above the school and store them, once: called by the final publication
    (services/publication.py) in its transaction, from the answers (frozen since the close), the school
    staff figures it has just published and the round's kommuner as it used them. Nothing recounts them:
    a share read in the close window, or after an organisation import moved a school, would differ from
    this one by one school's answers (docs/privacy.md, «Leader answers»). Return how many rows."""
    questionnaire = questionnaire_of(session, found.survey_version_id)
    gap = dashboard_config.load(surveys_dir, questionnaire.slug).perception_gap
    session.execute(delete(LeaderShareRow).where(LeaderShareRow.round_id == found.id))
    rows = []
    if gap is not None:
        statements = counted_statements(session, found, gap, codebook)
        blocks = kommune_blocks(statements, units.kommune_of, found.privacy_threshold)
        for level, ids in (("kommune", units.kommuner), ("fylke", units.fylker), ("round", [0])):
            for unit_id in ids:
                kommuner = [k for k in units.kommuner if _holds(units, level, unit_id, k)]
                rows.extend({"round_id": found.id, "level": level, "unit_id": unit_id, "statement": item,
                             "grp": group, "yes": share.yes, "n": share.n}
                            for (item, group), share in unit_shares(blocks, kommuner).items())
    if rows:
        session.execute(insert(LeaderShareRow), rows)
    found.leaders_counted_at = at
    session.flush()
    return len(rows)


def _holds(units: Layout, level: str, unit_id: int, kommune: int) -> bool:
    return (level == "round" or (level == "kommune" and kommune == unit_id)
            or (level == "fylke" and units.fylke_of[kommune] == unit_id))


def counted_statements(session: Session, found: Round, gap: PerceptionGap,
                       codebook: Codebook) -> list[Statement]:
    """Every leader's yes/no that sits beside a published staff figure at its own school: the answers a
    reader of the school's page sees, and the only ones the levels above count."""
    staff_of = {pair.leader: pair.staff for pair in gap.pairs}
    published = _published_staff(session, found, gap, codebook)
    out = []
    for row in session.scalars(select(LeaderAnswer).where(LeaderAnswer.round_id == found.id,
                                                          LeaderAnswer.present.is_(True))):
        for item, staff in staff_of.items():
            yes = getattr(row, item)
            if yes is not None and (row.school_id, row.yrkesgruppe, staff) in published:
                out.append(Statement(row.school_id, row.yrkesgruppe, item, bool(yes)))
    return out


def _published_staff(session: Session, found: Round, gap: PerceptionGap,
                     codebook: Codebook) -> set[tuple[int, str, str]]:
    """(school, group, staff item) of every published staff figure of the mirrored items at a school."""
    questionnaire = questionnaire_of(session, found.survey_version_id)
    values = group_values(questionnaire, gap.by)
    columns = {i.key: j for j, i in enumerate(codebook.items)}
    out = set()
    # populate_existing: the final publication has just rewritten these rows with Core statements
    for row in session.scalars(select(Aggregate).where(
            Aggregate.round_id == found.id, Aggregate.kind == "published", Aggregate.level == "school",
            Aggregate.grouping == gap.by).execution_options(populate_existing=True)):
        ns = row_ns(codebook, row)
        for k, group in enumerate(values):
            out.update((row.unit_id, group, pair.staff) for pair in gap.pairs
                       if pair.staff in columns and ns[k][columns[pair.staff] + 1])
    return out


def statement_texts() -> dict[str, str]:
    """The leader questionnaire's statements (instrument.md), in the page's language."""
    return {"leder_plan": _("The school has made a plan for how this group's competence can be used"),
            "leder_roller": _("The group's roles and tasks are clear"),
            "leder_felles": _("The group regularly takes part in joint competence development with teachers")}


def statement_labels() -> dict[str, str]:
    """The statements in a few words, for a chart's categories and a table's rows."""
    return {"leder_plan": _("Plan for using their competence"),
            "leder_roller": _("Roles and tasks clear"),
            "leder_felles": _("Joint competence development with teachers")}
