"""Demo data for the embedded mode: a municipality's schools, a round, simulated answers and a course
catalogue."""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.config import Settings
from webapp.domain.simulate import simulate_answers
from webapp.domain.breakdowns import group_values
from webapp.models import Course, Kommune, LeaderAnswer, Round, School, User
from webapp.services import (aggregates, answering, courses, leader, matching, pool, rounds, surveys,
                             vocabulary)
from webapp.services.org import import_org
from webapp.services.users import authenticate, create_user, set_password

DEMO_ROUND = "Demo høsten 2026"
DEMO_SURVEY = "kompetanse-og-anerkjennelse"
ADMIN_EMAIL = "admin@laget.example"
# Accounts to try the other roles with, the administrator's password too: the first school's leader (the
# leader questionnaire and the course budget planner) and its kommune's tillitsvalgt (saved plans)
LEADER_EMAIL = "leder@laget.example"
TILLITSVALGT_EMAIL = "tillitsvalgt@laget.example"
ORG_FILE = Path(__file__).resolve().parent.parent / "demo" / "org.csv"
COURSES_FILE = ORG_FILE.with_name("courses.csv")


@dataclass(frozen=True)
class Demo:
    links: list[str]
    admin_email: str
    admin_password: str
    round_name: str
    schools: int
    link_school: str
    leader_email: str = LEADER_EMAIL
    tillitsvalgt_email: str = TILLITSVALGT_EMAIL
    kommune: str = ""


def load_demo(session: Session, settings: Settings, admin_password: str, links: int = 3,
              seed: int = 2026) -> Demo:
    """Load the demo organisation, round and answers once; make fresh links every time.

    The administrator keeps `admin_password` (the CLI keeps it under instance/), so a browser that is
    logged in stays logged in across runs; only a password changed since is set back to it.
    """
    import_org(session, ORG_FILE.read_text(encoding="utf-8"))
    load_demo_courses(session, settings)  # before the round, so whatever ranks courses finds them
    demo_round = session.scalar(select(Round).filter_by(name=DEMO_ROUND))
    if demo_round is None:
        demo_round = rounds.create_round(session, settings.surveys_dir, DEMO_SURVEY, DEMO_ROUND)
        rounds.set_status(session, DEMO_ROUND, "open")
        _simulate_round(session, demo_round, random.Random(seed))
        aggregates.rebuild(session, demo_round)
    leader_rows = select(func.count()).select_from(LeaderAnswer).where(LeaderAnswer.round_id == demo_round.id)
    if demo_round.status == "open" and session.scalar(leader_rows) == 0:
        _leader_answers(session, demo_round, random.Random(seed))  # also for a demo from before they existed
    # Gaps and suggestions from the start (and for a demo database from before they existed); a unit
    # whose figures and catalogue are unchanged is left as it is.
    matching.recompute_round(session, demo_round, settings.surveys_dir)
    first_school = session.scalar(select(School).order_by(School.code))
    kommune = session.get(Kommune, first_school.kommune_id)
    accounts = ((ADMIN_EMAIL, "admin", {}), (LEADER_EMAIL, "skoleleder", {"school": first_school.code}),
                (TILLITSVALGT_EMAIL, "tillitsvalgt", {"kommune": kommune.name}))
    for email, role, scope in accounts:
        if session.scalar(select(User).filter_by(email=email)) is None:
            create_user(session, email, admin_password, role, **scope)
        elif authenticate(session, email, admin_password) is None:
            set_password(session, email, admin_password)
    tokens = rounds.create_invitations(session, demo_round, first_school.code, links)
    return Demo(
        links=[f"{settings.base_url}/s/{t}" for t in tokens], admin_email=ADMIN_EMAIL,
        admin_password=admin_password, round_name=DEMO_ROUND,
        schools=len(rounds.round_status(session, demo_round)), link_school=first_school.name,
        kommune=kommune.name)


def load_demo_courses(session: Session, settings: Settings) -> int:
    """Import the demo catalogue (marked as examples) into an empty catalogue; return how many it has.

    Only into an empty one: a catalogue the administrator has started on is theirs, and a rerun of the
    demo must not undo their edits."""
    if session.scalar(select(func.count()).select_from(Course)):
        return 0
    result = courses.import_course_file(session, COURSES_FILE, vocabulary.load(settings.surveys_dir),
                                        example=True)
    return result.created


# How often the demo's leaders say yes, about as NIFU 2023:15 found (Figur 4.16: 36–45 %, 73–85 %, 63–86 %)
LEADER_YES = {"leder_plan": 0.4, "leder_roller": 0.8, "leder_felles": 0.75}


def _leader_answers(session: Session, demo_round: Round, rng: random.Random) -> None:
    """Every school's leader answers the leader questionnaire: most groups present, yes about as often as
    the leaders in NIFU 2023:15."""
    groups = group_values(surveys.questionnaire_of(session, demo_round.survey_version_id), "yrkesgruppe")
    for status in rounds.round_status(session, demo_round):
        answers = {g: leader.GroupAnswer(True, {i: rng.random() < p for i, p in LEADER_YES.items()})
                   if rng.random() < 0.85 else leader.GroupAnswer(False) for g in groups}
        leader.save_answers(session, None, demo_round, status.school_id, answers)


def _simulate_round(session: Session, demo_round: Round, rng: random.Random) -> None:
    """Invite 15–60 people per school, let 40–80 % of them answer through the answering service, and
    store the pooled responses (at least 6 per school, above the threshold)."""
    for status in rounds.round_status(session, demo_round):
        invited = rng.randint(15, 60)
        tokens = rounds.create_invitations(session, demo_round, status.code, invited)
        for token in tokens[: round(invited * rng.uniform(0.4, 0.8))]:
            link = answering.open_link(session, token)
            answers = simulate_answers(link.questionnaire, rng)
            for section in link.questionnaire.sections:
                answering.save_page(session, link, section.key, answers)
            answering.submit(session, link)
    for round_id, school_id in pool.due_units(session):
        pool.move_unit(session, round_id, school_id)
    session.flush()
