"""Saved plans (the tillitsvalgt reads them too), and every plan as CSV and as a page to print."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Response, abort, render_template
from flask_login import current_user, login_required

from webapp.extensions import db
from webapp.models import SavedPlan
from webapp.services import plan_runs, plan_view
from webapp.services.plan_runs import PlanUnit
from webapp.services.planning import PlanRequest
from webapp.web import content_disposition
from webapp.web.planning import bp, run_or_404, unit_args
from webapp.web.planning.runs import _run_changed, view_of
from webapp.web.templating import current_language


def saved_or_404(saved_id: int, planning: bool = False) -> tuple[SavedPlan, PlanUnit]:
    saved = db.session.get(SavedPlan, saved_id) or abort(404)
    unit = plan_runs.plan_unit(db.session, current_user, saved.round_id, saved.level, saved.unit_id, planning)
    return saved, unit or abort(404)


@bp.get("/lagret/<int:saved_id>")
@login_required
def show_saved(saved_id: int):
    saved, unit = saved_or_404(saved_id)
    return render_template("planning/saved.html", saved=saved, unit=unit, args=unit_args(unit),
                           view=view_of(saved.snapshot))


@bp.post("/lagret/<int:saved_id>/endre")
@login_required
def change_saved(saved_id: int):
    """Pin or drop a course of a saved plan: a new plan from the saved one's inputs, with that change."""
    saved, _unit = saved_or_404(saved_id, planning=True)
    return _run_changed(PlanRequest.from_json(saved.snapshot["request"]))


def _csv(snapshot: dict[str, Any], unit: PlanUnit, name: str, at: datetime) -> Response:
    body = plan_view.plan_csv(view_of(snapshot), current_language())
    file_name = "-".join(["laget", "plan", unit.round.name, unit.name, name, at.date().isoformat()]) + ".csv"
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": content_disposition.attachment(file_name)})


def _done_or_404(run_id: int) -> tuple[Any, PlanUnit]:
    """A finished plan run the user may open, or the same 404 as for one they may not."""
    run, unit = run_or_404(run_id)
    if run.status != "done" or not run.result:
        abort(404)
    return run, unit


@bp.get("/plan/<int:run_id>.csv")
@login_required
def run_csv(run_id: int):
    run, unit = _done_or_404(run_id)
    return _csv(run.result, unit, str(run.id), run.finished_at or run.created_at)


@bp.get("/lagret/<int:saved_id>.csv")
@login_required
def saved_csv(saved_id: int):
    saved, unit = saved_or_404(saved_id)
    return _csv(saved.snapshot, unit, saved.name, saved.saved_at)


@bp.get("/plan/<int:run_id>/utskrift")
@login_required
def print_run(run_id: int):
    run, unit = _done_or_404(run_id)
    return render_template("planning/print.html", unit=unit, view=view_of(run.result), name=None,
                           made=run.finished_at or run.created_at)


@bp.get("/lagret/<int:saved_id>/utskrift")
@login_required
def print_saved(saved_id: int):
    saved, unit = saved_or_404(saved_id)
    return render_template("planning/print.html", unit=unit, view=view_of(saved.snapshot), name=saved.name,
                           made=saved.saved_at)
