"""The course budget planner's pages: a unit's plans, the form that asks for a plan, and (runs.py,
saved.py) a plan worked out, changed, compared, saved, downloaded and printed.

Everything out of the user's scope, missing or of another unit answers the same 404 (services/plan_runs.py
says who may do what)."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from webapp.extensions import db
from webapp.models import PlanRun
from webapp.services import plan_runs
from webapp.services.courses import active_courses
from webapp.services.plan_runs import PlanUnit
from webapp.services.planning import PlanRequest, default_rate
from webapp.web.planning.forms import EXCLUDE, PIN, PlanForm, course_choices

bp = Blueprint("planning", __name__, url_prefix="/planlegging")
LEVEL_SLUGS = {"skole": "school", "kommune": "kommune"}
SLUG_OF = {level: slug for slug, level in LEVEL_SLUGS.items()}


def unit_or_404(round_id: int, level_slug: str, unit_id: int, planning: bool) -> PlanUnit:
    level = LEVEL_SLUGS.get(level_slug) or abort(404)
    return plan_runs.plan_unit(db.session, current_user, round_id, level, unit_id, planning) or abort(404)


def run_or_404(run_id: int, planning: bool = True) -> tuple[PlanRun, PlanUnit]:
    """A run and its unit, for someone who may plan there (runs are the planners' working copies)."""
    run = db.session.get(PlanRun, run_id) or abort(404)
    unit = plan_runs.plan_unit(db.session, current_user, run.round_id, run.level, run.unit_id, planning)
    return run, unit or abort(404)


def unit_args(unit: PlanUnit) -> dict[str, object]:
    return {"round_id": unit.round.id, "level_slug": SLUG_OF[unit.level], "unit_id": unit.unit_id}


@bp.get("/<int:round_id>/<level_slug>/<int:unit_id>/")
@login_required
def list_plans(round_id: int, level_slug: str, unit_id: int):
    """The unit's saved plans (and, for those who plan, the latest plans asked for)."""
    unit = unit_or_404(round_id, level_slug, unit_id, planning=False)
    kept = plan_runs.saved_plans(db.session, round_id, unit.level, unit_id)
    recent = plan_runs.recent_runs(db.session, round_id, unit.level, unit_id) if unit.may_plan else []
    schools = (plan_runs.school_plans(db.session, current_user, round_id, unit_id) if unit.level == "kommune"
               else [])
    return render_template("planning/list.html", unit=unit, saved=kept, runs=recent, schools=schools,
                           args=unit_args(unit))


@bp.route("/<int:round_id>/<level_slug>/<int:unit_id>/ny", methods=["GET", "POST"])
@login_required
def new_plan(round_id: int, level_slug: str, unit_id: int):
    """The form; a valid one stores the run and its outbox event in one transaction."""
    unit = unit_or_404(round_id, level_slug, unit_id, planning=True)
    catalogue = sorted(active_courses(db.session), key=lambda c: (c.title.lower(), c.code))
    form = PlanForm()
    default = default_rate(db.session, unit.level, unit_id)
    form.show_default(default)
    chosen: dict[str, str] = {}
    if request.method == "GET":
        start = _earlier_request(unit, request.args.get("fra", type=int))
        form.fill(start or PlanRequest(round_id, unit.level, unit_id, 0), default)
        form.budget.data = form.budget.data if start else ""
        if start:
            chosen = {**{c: PIN for c in start.pins}, **{c: EXCLUDE for c in start.excludes}}
    else:
        pins, excludes = course_choices(request.form, [c.code for c in catalogue])
        chosen = {**{c: PIN for c in pins}, **{c: EXCLUDE for c in excludes}}
        if form.validate_on_submit():
            asked = form.plan_request(round_id, unit.level, unit_id, pins, excludes, default)
            run = plan_runs.request_plan(db.session, asked, current_user.id)
            db.session.commit()
            return redirect(url_for("planning.show_run", run_id=run.id))
    status = 422 if form.errors else 200
    return render_template("planning/form.html", unit=unit, form=form, catalogue=catalogue, chosen=chosen,
                           args=unit_args(unit)), status


def _earlier_request(unit: PlanUnit, run_id: int | None) -> PlanRequest | None:
    """The request of an earlier run of the same unit, to start the form from."""
    run = db.session.get(PlanRun, run_id) if run_id else None
    if run is None or (run.round_id, run.level, run.unit_id) != (unit.round.id, unit.level, unit.unit_id):
        return None
    return PlanRequest.from_json(run.request)


from webapp.web.planning import runs, saved  # noqa: E402,F401  (the routes on bp)
