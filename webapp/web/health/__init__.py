"""Liveness and readiness for load balancers and compose."""
from flask import Blueprint, jsonify
from sqlalchemy import text

from webapp.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Answer 200 when the database answers, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means not ready
        return jsonify(status="database unavailable"), 503
    return jsonify(status="ok")

