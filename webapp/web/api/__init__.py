"""JSON API for aggregates, for logged-in users, scoped to what they may see."""
from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_login import current_user, login_required

from webapp.domain.breakdowns import GROUPINGS
from webapp.extensions import csrf, db
from webapp.models import Round
from webapp.services import access, exports, kommuner, results
from webapp.services.aggregates import layout

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
# One answer for a round or unit that is missing and for one outside the caller's scope, so that
# nobody can probe which schools exist.
NOT_FOUND = {"error": "no such round or unit among those you may see"}


@bp.get("/rounds/<int:round_id>/aggregates")
@login_required
def get_aggregates(round_id: int):
    """?level=round|fylke|kommune|school&unit=<code or name>&by=<breakdown>: published, suppressed figures."""
    found, units = db.session.get(Round, round_id), layout(db.session, round_id)
    if not access.may_open(db.session, current_user, found, units, "round", 0):
        return jsonify(NOT_FOUND), 404
    level = request.args.get("level", "round")
    grouping = request.args.get("by", "all")
    if level not in ("round", "fylke", "kommune", "school") or grouping not in GROUPINGS:
        return jsonify(error="level must be round, fylke, kommune or school; by one of "
                       + ", ".join(GROUPINGS)), 400
    key = request.args.get("unit")
    try:
        unit_id, name = results.find_unit(db.session, found, level, key)
    except results.UnitNotFound:
        return jsonify(NOT_FOUND), 404
    except kommuner.AmbiguousKommune as exc:  # kommune names are public: list the candidates
        return jsonify(error=str(exc), candidates=[kommuner.as_dict(k) for k in exc.candidates]), 400
    if not access.may_open(db.session, current_user, found, units, level, unit_id):
        return jsonify(NOT_FOUND), 404
    figures = results.unit_figures(db.session, found, level, unit_id, name, grouping)
    return jsonify(exports.as_json(figures, key))
