"""The short leader questionnaire: a school leader answers, per yrkesgruppe, three yes/no statements for
their school in a round, and can change them while the round is open."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.extensions import db
from webapp.models import Round, School
from webapp.services import access, dashboard_config, leader
from webapp.services.panels.common import group_names_of
from webapp.services.round_units import layout
from webapp.services.surveys import questionnaire_of
from webapp.web.leader.forms import leader_form, yes_no
from webapp.web.templating import current_language

bp = Blueprint("leader", __name__, url_prefix="/leder")


@bp.route("/<int:round_id>/skole/<int:school_id>", methods=["GET", "POST"])
@login_required
def answer_questionnaire(round_id: int, school_id: int):
    found = db.session.get(Round, round_id)
    units = layout(db.session, round_id) if found is not None else None
    if found is None or units is None or not access.may_open(db.session, current_user, found, units,
                                                             "school", school_id):
        abort(404)  # out of scope answers like missing
    if not leader.may_answer(current_user, school_id):
        abort(403)  # a tillitsvalgt or an administrator who may see the school, but not answer for it
    questionnaire = questionnaire_of(db.session, found.survey_version_id)
    config = dashboard_config.load(current_app.config["LAGET"].surveys_dir, questionnaire.slug)
    if config.perception_gap is None:
        abort(404)  # this questionnaire has no leader questionnaire
    groups = group_names_of(questionnaire, config, current_language(), config.perception_gap.by)
    saved = leader.saved_answers(db.session, round_id, school_id)
    form = leader_form(groups)
    if not form.is_submitted() and saved is not None:
        for code, answer in saved.groups.items():
            if code in groups:
                form[code].form.fill(answer)
    if form.validate_on_submit():
        try:
            leader.save_answers(db.session, current_user, found, school_id, form.answers())
        except leader.LeaderRefused as refused:
            db.session.rollback()
            form.form_errors.append(str(refused))
        else:
            db.session.commit()
            flash(_("Your answers are saved. You can change them until the round closes."), "ok")
            return redirect(url_for("dashboards.show_unit", round_id=round_id, level_slug="skole",
                                    unit_id=school_id) + "#leder_og_ansatte")
    return render_template("leader/questionnaire.html", form=form, round=found,
                           school=db.session.get(School, school_id), saved=saved,
                           statements=leader.statement_texts(), yes_no=yes_no(), open=found.status == "open")
