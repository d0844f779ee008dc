"""The dashboard of one unit in one round: its published figures, the level above, and its panels.

Pages and downloads both start here, so a downloaded table holds exactly the numbers its page shows.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.dashboard_config import DashboardConfig
from webapp.domain.layout import Layout
from webapp.domain.questionnaire import Questionnaire
from webapp.models import Fylke, Kommune, Round, School, SurveyVersion, User
from webapp.services import access, dashboard_config, free_text, leader, reference, results
from webapp.services.aggregates import codebook_of
from webapp.services.panels import Context, Panel, build_panels
from webapp.services.results import UnitFigures
from webapp.services.round_units import layout

LEVEL_MODELS = {"school": School, "kommune": Kommune, "fylke": Fylke}


class DashboardNotFound(LookupError):
    """No such round or unit, or one outside the user's scope: callers answer both alike."""


@dataclass
class DashboardPage:
    round: Round
    level: str
    unit_id: int
    units: Layout
    questionnaire: Questionnaire
    unit: UnitFigures
    parent: UnitFigures | None
    parent_ref: tuple[str, int] | None
    source: str  # the national figures' citation, or ""
    free_texts: list[str] | None  # administrators only
    panels: list[Panel]
    config: DashboardConfig  # the questionnaire's dashboard file

    def panel(self, key: str) -> Panel | None:
        """The panel `key` when it has something to show (a hidden one offers no file either)."""
        return next((p for p in self.panels if p.key == key and p.shown), None)


def dashboard_page(session: Session, found: Round | None, level: str, unit_id: int, locale: str, user: User,
                   surveys_dir: Path) -> DashboardPage:
    """Everything one unit's dashboard shows; DashboardNotFound when the user may not open it."""
    units = layout(session, found.id) if found is not None else None
    if found is None or units is None or not access.may_open(session, user, found, units, level, unit_id):
        raise DashboardNotFound(f"{level} {unit_id}")  # out of scope answers like missing
    questionnaire, codebook = codebook_of(session, found)
    config = dashboard_config.load(surveys_dir, questionnaire.slug)
    name = unit_name(session, found, level, unit_id)
    unit = results.unit_figures(session, found, level, unit_id, name)
    grouping = config.pupil_groups.by if config.pupil_groups else None
    by_group = results.unit_figures(session, found, level, unit_id, name, grouping) if grouping else None
    parent_ref = units.parent(level, unit_id) if level != "round" else None
    parent = None
    if parent_ref is not None:
        parent_level, parent_id = parent_ref
        parent = results.unit_figures(session, found, parent_level, parent_id,
                                      unit_name(session, found, parent_level, parent_id))
    source, reference_figures = reference.load(surveys_dir, questionnaire.slug)
    leaders = leader.leader_side(session, found, level, unit_id) if config.perception_gap else None
    ctx = Context(questionnaire, config, locale, unit, parent, by_group, reference_figures, name,
                  parent.unit_name if parent else None, history(session, user, found, level, unit_id, unit),
                  leaders, reference.leader_ranges(surveys_dir, questionnaire.slug))
    texts = free_text.free_texts(session, found, units, level, unit_id) if user.role == "admin" else None
    return DashboardPage(found, level, unit_id, units, questionnaire, unit, parent, parent_ref, source, texts,
                         build_panels(ctx), config)


def unit_name(session: Session, found: Round, level: str, unit_id: int) -> str:
    return found.name if level == "round" else session.get(LEVEL_MODELS[level], unit_id).name


def history(session: Session, user: User, found: Round, level: str, unit_id: int,
            current: UnitFigures) -> list[tuple[str, UnitFigures]]:
    """The same unit's published figures in every round of the same questionnaire, oldest first."""
    slug = found.survey_version.slug
    rounds = session.scalars(select(Round).join(SurveyVersion).where(
        SurveyVersion.slug == slug, Round.status != "draft").order_by(Round.created_at)).all()
    out = []
    for other in rounds:
        if other.id == found.id:  # this round's figures are already read
            out.append((other.name, current))
            continue
        if not access.may_open(session, user, other, layout(session, other.id), level, unit_id):
            continue  # nor does a trend name rounds outside the user's scope
        figures = results.unit_figures(session, other, level, unit_id, current.unit_name)
        if figures.respondents.get("all") is not None:
            out.append((other.name, figures))
    return out
