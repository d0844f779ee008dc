"""Dashboards for a school, a kommune and the round; every figure with its question, n, table and CSV."""
from __future__ import annotations

import os
from dataclasses import dataclass

import plotly
from flask import Blueprint, Response, abort, current_app, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Round, School
from webapp.services import access, dashboard, results, rounds
from webapp.services.aggregates import layout
from webapp.services.dashboard import LEVEL_MODELS
from webapp.web import content_disposition
from webapp.web.dashboards import downloads
from webapp.web.templating import current_language

bp = Blueprint("dashboards", __name__, url_prefix="/resultater")
LEVEL_SLUGS = {"skole": "school", "kommune": "kommune", "fylke": "fylke"}


@bp.get("/plotly.min.js")
def plotly_js():
    """plotly.js from the installed package: no CDN, cached for a long time."""
    path = os.path.join(os.path.dirname(plotly.__file__), "package_data", "plotly.min.js")
    return send_file(path, mimetype="text/javascript", max_age=30 * 24 * 3600)


@bp.get("/")
@login_required
def list_rounds():
    rounds = access.visible_rounds(db.session, current_user)
    home = access.home_units(db.session, current_user)
    layouts = {r.id: layout(db.session, r.id) for r in rounds}
    entries = [(r, level, unit_id) for r in rounds for level, unit_id in home
               if access.may_open(db.session, current_user, r, layouts[r.id], level, unit_id)]
    # An account with several schools sees each school's name next to the round's.
    names = {unit_id: db.session.get(School, unit_id).name for level, unit_id in home if level == "school"}
    return render_template("dashboards/rounds.html", rounds=rounds, entries=entries,
                           names=names if len(home) > 1 else {}, link=unit_url)


def unit_url(round_id: int, level: str, unit_id: int) -> str:
    if level == "round":
        return url_for("dashboards.show_round", round_id=round_id)
    slug = next(s for s, lvl in LEVEL_SLUGS.items() if lvl == level)
    return url_for("dashboards.show_unit", round_id=round_id, level_slug=slug, unit_id=unit_id)


@bp.get("/<int:round_id>/")
@login_required
def show_round(round_id: int):
    return _render(round_id, "round", 0)


@bp.get("/<int:round_id>/<level_slug>/<int:unit_id>")
@login_required
def show_unit(round_id: int, level_slug: str, unit_id: int):
    if level_slug not in LEVEL_SLUGS:
        abort(404)
    return _render(round_id, LEVEL_SLUGS[level_slug], unit_id)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/<int:round_id>/<level_slug>/<int:unit_id>/<panel_key>.<any(csv, xlsx):fmt>")
@login_required
def download_panel(round_id: int, level_slug: str, unit_id: int, panel_key: str, fmt: str):
    """A panel's table (the same suppressed numbers as the page) as CSV or Excel."""
    level = "round" if level_slug == "runde" else LEVEL_SLUGS.get(level_slug) or abort(404)
    page = _page(round_id, level, unit_id)
    panel = page.panel(panel_key) or abort(404)
    if fmt == "csv":  # CSV stays bare for machines; the sheet names its round, unit, date and threshold
        body, mimetype = ("\ufeff" + panel.csv()).encode(), "text/csv"
    else:
        body, mimetype = panel.xlsx(downloads.title_block(page.unit)), XLSX
    name = downloads.download_name(page.unit, panel.key, fmt)
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": content_disposition.attachment(name)})


def _page(round_id: int, level: str, unit_id: int) -> dashboard.DashboardPage:
    try:
        return dashboard.dashboard_page(db.session, db.session.get(Round, round_id), level, unit_id,
                                        current_language(), current_user,
                                        current_app.config["LAGET"].surveys_dir)
    except dashboard.DashboardNotFound:
        abort(404)  # out of scope answers like missing: nobody can probe which units exist


def _render(round_id: int, level: str, unit_id: int):
    page = _page(round_id, level, unit_id)
    status = _response_rate(page.round, level, unit_id, page.units, page.unit)
    invited = rounds.invitation_counts(db.session, page.round)  # per school, for both unit lists
    children = _children(page.round, level, unit_id, page.units, invited)
    schools = _schools_below(page.round, level, unit_id, page.units, invited)
    slug = "runde" if level == "round" else next(s for s, lvl in LEVEL_SLUGS.items() if lvl == level)
    return render_template("dashboards/unit.html", panels=page.panels, status=status, children=children,
                           schools=schools, level_slug=slug, unit_id=unit_id, link=unit_url,
                           children_level=(page.units.children(level, unit_id) or ("", []))[0],
                           round=page.round, level=level, unit=page.unit, parent=page.parent,
                           parent_ref=page.parent_ref, questionnaire=page.questionnaire, source=page.source,
                           units=page.units, free_texts=page.free_texts)


def _response_rate(found: Round, level: str, unit_id: int, units, unit: results.UnitFigures) -> dict:
    """Invitations, and the answers in the published figures — never the live count, which would
    move the moment a colleague presses Send."""
    invited = rounds.invitation_count(db.session, found,
                                      [s for s in units.schools if units.holds(level, unit_id, s)])
    answered = unit.respondents.get("all")
    return {"invited": invited, "answered": answered,
            "rate": round(100 * answered / invited) if invited and answered else None}


@dataclass(frozen=True)
class UnitRow:
    """A unit below the one shown, as the dashboard lists it: its published n and response rate."""

    name: str
    url: str
    answered: int | None
    invited: int

    @property
    def rate(self) -> int | None:
        return round(100 * self.answered / self.invited) if self.invited and self.answered else None


def _children(found: Round, level: str, unit_id: int, units, invited: dict[int, int]) -> list[UnitRow]:
    """The units one level below, in the reader's scope, with the answers in their published figures."""
    below = units.children(level, unit_id)
    if below is None:
        return []
    child_level, ids = below
    visible = [i for i in ids if access.may_see(db.session, current_user, units, child_level, i)]
    return _unit_rows(found, child_level, visible, units, invited)


def _schools_below(found: Round, level: str, unit_id: int, units, invited: dict[int, int]) -> list[UnitRow]:
    """Every school in the unit that the reader may see: the list the school search filters."""
    if level in ("school", "kommune"):
        return []  # a kommune's schools are its children already
    ids = [s for s in units.schools if units.holds(level, unit_id, s)
           and access.may_see(db.session, current_user, units, "school", s)]
    return _unit_rows(found, "school", ids, units, invited)


def _unit_rows(found: Round, level: str, ids: list[int], units, per_school: dict[int, int]) -> list[UnitRow]:
    model = LEVEL_MODELS[level]
    names = {u.id: u.name for u in db.session.scalars(select(model).where(model.id.in_(ids)))}
    answered = results.published_respondents(db.session, found, level, ids)
    invited = {i: sum(n for s, n in per_school.items() if units.holds(level, i, s)) for i in ids}
    return sorted((UnitRow(names[i], unit_url(found.id, level, i), answered[i], invited[i]) for i in ids),
                  key=lambda row: row.name)


__all__ = ["bp", "_"]
