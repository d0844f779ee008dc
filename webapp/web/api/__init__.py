"""JSON API for aggregates, for logged-in users, scoped to what they may see."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, request
from flask_login import current_user, login_required

from webapp.domain.breakdowns import GROUPINGS
from webapp.extensions import csrf, db
from webapp.models import Round
from webapp.services import access, exports, kommuner, results
from webapp.services.aggregates import layout

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.get("/rounds/<int:round_id>/aggregates")
@login_required
def get_aggregates(round_id: int):
    """?level=round|fylke|kommune|school&unit=<code or name>&by=<breakdown>: published, suppressed figures."""
    found = db.session.get(Round, round_id) or abort(404)
    level = request.args.get("level", "round")
    grouping = request.args.get("by", "all")
    if level not in ("round", "fylke", "kommune", "school") or grouping not in GROUPINGS:
        return jsonify(error="level must be round, fylke, kommune or school; by one of " + ", ".join(GROUPINGS)), 400
    key = request.args.get("unit")
    try:
        unit_id, name = results.find_unit(db.session, found, level, key)
    except results.UnitNotFound as exc:
        return jsonify(error=str(exc)), 404
    except kommuner.AmbiguousKommune as exc:
        return jsonify(error=str(exc), candidates=[kommuner.as_dict(k) for k in exc.candidates]), 400
    if not access.may_see(db.session, current_user, layout(db.session, found.id), level, unit_id):
        return jsonify(error="not allowed"), 403
    return jsonify(exports.as_json(results.unit_figures(db.session, found, level, unit_id, name, grouping), key))
