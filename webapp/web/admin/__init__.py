"""The administrator's pages: rounds and response rates per school."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Round
from webapp.services.outbox import pending_count
from webapp.services.results import published_respondents
from webapp.services.rounds import get_round, round_status

bp = Blueprint("admin", __name__, url_prefix="/admin")


def admin_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if current_user.role != "admin":
            abort(403)
        return view(*args, **kwargs)
    return wrapped


@bp.get("/")
@admin_required
def show_overview():
    rounds = db.session.scalars(select(Round).order_by(Round.created_at.desc())).all()
    return render_template("admin/overview.html", rounds=rounds)


@bp.get("/runder/<int:round_id>")
@admin_required
def show_round(round_id: int):
    found = db.session.get(Round, round_id) or abort(404)
    rows = round_status(db.session, get_round(db.session, found.name))
    # Live counts move the moment someone presses Send: below the threshold they say only "under k",
    # and the total adds up only the schools shown, so it cannot give a small school's count away.
    shown = [r for r in rows if r.responses >= found.privacy_threshold]
    totals = (sum(r.invitations for r in rows), sum(r.responses for r in shown))
    # The round dashboard's own n, so the page can tell received answers from those in the figures
    published = published_respondents(db.session, found, "round", [0])[0] if found.status != "draft" else None
    return render_template("admin/round.html", round=found, rows=rows, totals=totals,
                           threshold=found.privacy_threshold, all_shown=len(shown) == len(rows),
                           pending=pending_count(db.session), published=published)
