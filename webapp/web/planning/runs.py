"""A plan asked for: its progress, then the plan; pin or drop a course and run it again, compare another
budget, save it under a name."""
from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from webapp.domain.planning import OTHER
from webapp.extensions import db
from webapp.models import Course, PlanRun
from webapp.services import plan_runs, plan_view, planning, vocabulary
from webapp.services.planning import PlanRequest
from webapp.web.planning import bp, run_or_404, unit_args
from webapp.web.planning.forms import BudgetForm, SaveForm, parse_number
from webapp.web.templating import current_language


def view_of(snapshot: dict[str, Any]) -> plan_view.PlanView:
    """The snapshot with labels in the reader's language, and the titles of pinned and dropped courses."""
    codes = [*(snapshot["request"].get("pins") or []), *(snapshot["request"].get("excludes") or [])]
    titles = dict(db.session.execute(select(Course.code, Course.title).where(Course.code.in_(codes))).all())
    words, locale = vocabulary.load(current_app.config["LAGET"].surveys_dir), current_language()

    def area_label(code: str) -> str:
        return words.area(code).text(locale) if code in words.area_codes else code

    def group_label(code: str) -> str:
        known = code == OTHER or code in words.yrkesgruppe_codes
        return planning.group_label(code, words, locale) if known else code

    return plan_view.plan_view(snapshot, group_label, area_label, plan_view.course_titles(codes, titles))


def request_titles(req: PlanRequest) -> dict[str, str]:
    codes = [*req.pins, *req.excludes]
    return dict(db.session.execute(select(Course.code, Course.title).where(Course.code.in_(codes))).all())


def _render_run(run: PlanRun, unit, save_form: SaveForm | None = None,  # noqa: ANN001
                budget_form: BudgetForm | None = None, status: int = 200):
    refusal = plan_runs.refusal_of(run)
    req = PlanRequest.from_json(run.request)
    return render_template(
        "planning/run.html", run=run, unit=unit, args=unit_args(unit), req=req, titles=request_titles(req),
        view=view_of(run.result) if run.status == "done" and run.result else None,
        refusal=planning.refusal_message(refusal) if refusal else None,
        save_form=save_form or SaveForm(), budget_form=budget_form or BudgetForm(),
        waiting=run.status in plan_runs.WAITING), status


@bp.get("/plan/<int:run_id>")
@login_required
def show_run(run_id: int):
    run, unit = run_or_404(run_id)
    return _render_run(run, unit)


@bp.post("/plan/<int:run_id>/endre")
@login_required
def change_run(run_id: int):
    """Pin, unpin, drop or take back a course, and ask for the plan again with that change."""
    run, unit = run_or_404(run_id)
    return _run_changed(PlanRequest.from_json(run.request))


def _run_changed(req: PlanRequest):
    course, change = request.form.get("course", ""), request.form.get("change", "")
    if not course or change not in plan_runs.CHANGES:
        abort(400)
    again = plan_runs.request_plan(db.session, plan_runs.with_change(req, course, change), current_user.id)
    db.session.commit()
    return redirect(url_for("planning.show_run", run_id=again.id))


@bp.post("/plan/<int:run_id>/sammenlign")
@login_required
def compare_budget(run_id: int):
    """Ask for the same plan with another budget, and show the two side by side."""
    run, unit = run_or_404(run_id)
    form = BudgetForm()
    if not form.validate_on_submit():
        return _render_run(run, unit, budget_form=form, status=422)
    budget = int(parse_number(form.budget.data) or 0)
    again = plan_runs.with_budget(PlanRequest.from_json(run.request), budget)
    other = plan_runs.request_plan(db.session, again, current_user.id)
    db.session.commit()
    return redirect(url_for("planning.show_comparison", first=run.id, second=other.id))


@bp.get("/sammenlign/<int:first>/<int:second>")
@login_required
def show_comparison(first: int, second: int):
    one, unit = run_or_404(first)
    two, other_unit = run_or_404(second)
    if (one.round_id, one.level, one.unit_id) != (two.round_id, two.level, two.unit_id):
        abort(404)
    comparison = None
    if one.status == two.status == "done" and one.result and two.result:
        comparison = plan_view.compare(view_of(one.result), view_of(two.result))
    refused = (plan_runs.refusal_of(one), plan_runs.refusal_of(two))
    refusals = [planning.refusal_message(r) for r in refused if r]
    return render_template("planning/compare.html", unit=unit, args=unit_args(unit), first=one, second=two,
                           comparison=comparison, refusals=refusals,
                           waiting=one.status in plan_runs.WAITING or two.status in plan_runs.WAITING)


@bp.post("/plan/<int:run_id>/lagre")
@login_required
def save_run(run_id: int):
    run, unit = run_or_404(run_id)
    if run.status != "done":
        abort(404)
    form = SaveForm()
    if form.validate_on_submit():
        try:
            saved = plan_runs.save_plan(db.session, run, form.name.data or "", current_user.id)
        except (plan_runs.PlanNameTaken, IntegrityError):  # the latter: the same name saved a moment ago
            db.session.rollback()
            form.name.errors = [_("This unit already has a saved plan with that name. Choose another.")]
        else:
            try:
                db.session.commit()
            except IntegrityError:  # a double click: the first save holds the name
                db.session.rollback()
                form.name.errors = [_("This unit already has a saved plan with that name. Choose another.")]
                return _render_run(run, unit, save_form=form, status=422)
            flash(_("The plan is saved as «%(name)s».", name=saved.name))
            return redirect(url_for("planning.show_saved", saved_id=saved.id))
    return _render_run(run, unit, save_form=form, status=422)
