"""The substitute cost per hour an administrator sets for a kommune (docs/planning.md, «The cost of a
participant»): its plans use it unless a plan gives its own."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from webapp.domain import planning
from webapp.models import Fylke, Kommune
from webapp.services.planning import kroner


class RateRefused(ValueError):
    """A value that cannot be a kommune's substitute cost per hour; the message says why."""


def refusal(problem: str) -> str:
    """The message for a domain problem code (planning.kommune_rate_problem), in the current locale."""
    messages = {
        "rate_not_positive": lambda: _("The substitute cost per hour must be more than 0 kroner."),
        "rate_too_high": lambda: _("The substitute cost per hour can be at most %(most)s kroner.",
                                   most=kroner(planning.KOMMUNE_RATE_MAX)),
        "rate_not_whole": lambda: _("Give the substitute cost per hour in whole kroner."),
    }
    return messages[problem]()


def set_kommune_rate(session: Session, kommune: Kommune, nok: float | None) -> None:
    """Set the kommune's substitute cost per hour in whole kroner, or (None) go back to the default."""
    if nok is not None:
        problem = planning.kommune_rate_problem(nok)
        if problem:
            raise RateRefused(refusal(problem))
    kommune.substitute_rate_nok = None if nok is None else int(nok)
    session.flush()


def kommuner(session: Session) -> list[Kommune]:
    """Every kommune, by fylke and name, with its fylke loaded."""
    return list(session.scalars(select(Kommune).join(Fylke).options(joinedload(Kommune.fylke))
                                .order_by(Fylke.name, Kommune.name)))
