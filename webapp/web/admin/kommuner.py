"""The administrator's kommuner: the substitute cost per hour each kommune's plans use."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, StringField
from wtforms.validators import ValidationError

from webapp.domain.planning import DEFAULT_SUBSTITUTE_RATE, KOMMUNE_RATE_MAX
from webapp.extensions import db
from webapp.models import Kommune
from webapp.services import substitute_rates
from webapp.web.admin import admin_required
from webapp.web.planning.forms import parse_number, plain

bp = Blueprint("kommuner", __name__, url_prefix="/admin/kommuner")


class RateForm(FlaskForm):
    """Shape only: a number or nothing; what a kommune's rate may be is the service's to say."""

    substitute_rate = StringField(
        _l("Substitute cost per hour (NOK)"),
        description=_l("In whole kroner. Leave the field empty for the default, an estimate based on the "
                       "guaranteed wage of an assistant."))

    def validate_substitute_rate(self, field: Field) -> None:
        try:
            parse_number(field.data)
        except ValueError:
            raise ValidationError(_l("Give the cost per hour as a number of kroner, e.g. 300.")) from None


@bp.get("/")
@admin_required
def list_kommuner():
    return render_template("admin/kommuner.html", kommuner=substitute_rates.kommuner(db.session),
                           default=DEFAULT_SUBSTITUTE_RATE)


@bp.route("/<int:kommune_id>", methods=["GET", "POST"])
@admin_required
def edit_rate(kommune_id: int):
    """Show the kommune's rate; a valid POST sets it (empty: the default) and goes back to the list."""
    kommune = db.session.get(Kommune, kommune_id) or abort(404)
    form = RateForm()
    if form.validate_on_submit():
        try:
            substitute_rates.set_kommune_rate(db.session, kommune, parse_number(form.substitute_rate.data))
        except substitute_rates.RateRefused as exc:
            db.session.rollback()
            form.substitute_rate.errors = [str(exc)]
        else:
            db.session.commit()
            flash(_("%(kommune)s: the substitute cost is %(amount)s kr per hour.", kommune=kommune.name,
                    amount=kommune.substitute_rate_nok) if kommune.substitute_rate_nok is not None else
                  _("%(kommune)s uses the default substitute cost again, %(amount)s kr per hour.",
                    kommune=kommune.name, amount=DEFAULT_SUBSTITUTE_RATE))
            return redirect(url_for("kommuner.list_kommuner"))
    elif not form.is_submitted():
        form.substitute_rate.data = plain(kommune.substitute_rate_nok)
    status = 422 if form.errors else 200
    return render_template("admin/kommune_rate.html", form=form, kommune=kommune,
                           most=KOMMUNE_RATE_MAX), status
