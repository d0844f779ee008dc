"""Dashboards for a school, a kommune and the round; every figure with its question, n, table and CSV."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.extensions import db
from webapp.models import Round, School
from webapp.services import (access, dashboard, dashboard_contents, dashboard_units, leader, plan_runs,
                             suggestions)
from webapp.services.aggregates import layout
from webapp.web import content_disposition
from webapp.web.dashboards import downloads
from webapp.web.templating import current_language

bp = Blueprint("dashboards", __name__, url_prefix="/resultater")
LEVEL_SLUGS = {"skole": "school", "kommune": "kommune", "fylke": "fylke"}


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
    if fmt == "csv":  # the table alone; the sheet names its round, unit, date and threshold above it
        body, mimetype = panel.csv(current_language()), "text/csv"
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
    lists = dashboard_units.unit_lists(db.session, page, current_user)
    courses = suggestions.suggestions(db.session, page.round, level, unit_id, current_language(),
                                      current_app.config["LAGET"].surveys_dir,
                                      request.args.get("format"), request.args.get("area"),
                                      request.args.get("alle") == "1")
    slug = "runde" if level == "round" else next(s for s, lvl in LEVEL_SLUGS.items() if lvl == level)
    locale = current_language()
    parts = dashboard_contents.parts(page, locale, courses is not None, page.free_texts is not None)
    return render_template("dashboards/unit.html", parts=parts, opens=page.config.opens(current_user.role),
                           top_gaps=dashboard_contents.top_gaps(page, locale), status=lists.status,
                           children=lists.children, schools=lists.schools,
                           children_total=lists.children_total, sees_every_school=lists.sees_every_school,
                           children_level=lists.children_level, level_slug=slug, unit_id=unit_id,
                           link=unit_url, round=page.round, level=level,
                           unit=page.unit, parent=page.parent, parent_ref=page.parent_ref,
                           questionnaire=page.questionnaire, source=page.source, units=page.units,
                           free_texts=page.free_texts, suggestions=courses,
                           leader_link=_leader_link(page, level, unit_id),
                           plans=plan_runs.plan_access(db.session, current_user, page.round, level, unit_id))


def _leader_link(page: dashboard.DashboardPage, level: str, unit_id: int) -> tuple[str, str] | None:
    """The way to the leader questionnaire, for a leader of the school: (url, text)."""
    if level != "school" or not leader.may_answer(current_user, unit_id):
        return None
    url = url_for("leader.answer_questionnaire", round_id=page.round.id, school_id=unit_id)
    if page.round.status != "open":
        return url, _("See your answers to the questions for the school leader")
    if leader.saved_answers(db.session, page.round.id, unit_id) is None:
        return url, _("Answer the short questions for the school leader (three yes/no per group)")
    return url, _("Change your answers to the questions for the school leader")


__all__ = ["bp", "_"]
