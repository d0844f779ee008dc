"""Answering the questionnaire from a personal link."""
from flask import Blueprint

bp = Blueprint("respond", __name__, url_prefix="/s")

from webapp.web.respond import views  # noqa: E402,F401  (registers the routes)
