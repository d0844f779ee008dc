"""The front page, and where each user starts after logging in."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from webapp.extensions import db
from webapp.models import Kommune, School
from webapp.services import access
from webapp.web.dashboards import unit_url

bp = Blueprint("home", __name__)


@bp.get("/")
def show_landing():
    """Say what Laget is and offer log-in; a logged-in user goes on to their own units."""
    if current_user.is_authenticated:
        return redirect(url_for("home.go_home"))
    return render_template("home/landing.html")


@bp.get("/start")
@login_required
def go_home():
    """Send an administrator to the rounds, anyone else to their unit in the newest round with results."""
    if current_user.role == "admin":
        return redirect(url_for("admin.show_overview"))
    found = access.landing(db.session, current_user)
    if found is None:
        return render_template("home/no_results.html", unit=_own_unit_name()), 200
    round_, level, unit_id = found
    return redirect(unit_url(round_.id, level, unit_id))


def _own_unit_name() -> str | None:
    """The names of the kommune or schools the account may see, or None for an account without any."""
    if current_user.role == "tillitsvalgt" and current_user.kommune_id:
        return db.session.get(Kommune, current_user.kommune_id).name
    names = [db.session.get(School, i).name for i in current_user.school_ids]
    return ", ".join(names) or None
