"""Logging in and out."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired

from webapp.extensions import db, login_manager
from webapp.models import User
from webapp.services.users import authenticate, unknown_account_hash

bp = Blueprint("auth", __name__)


@bp.record_once
def _prepare_unknown_account_hash(state) -> None:  # noqa: ANN001
    """Make the stand-in hash now, so that not even the first unknown e-mail takes longer."""
    unknown_account_hash()


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(message=_l("Write your e-mail address."))])
    password = PasswordField(_l("Password"), validators=[DataRequired(message=_l("Write your password."))])


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


@bp.route("/login", methods=["GET", "POST"])
def log_in():
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(db.session, form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            target = request.args.get("next", "")
            safe = target.startswith("/") and not urlsplit(target).netloc and not target.startswith("//")
            return redirect(target if safe else url_for("admin.show_overview"))
        form.password.errors.append(_("The e-mail address or the password is wrong."))
    return render_template("auth/login.html", form=form), 200 if not form.errors else 422


@bp.post("/logout")
def log_out():
    logout_user()
    flash(_("You are logged out."))
    return redirect(url_for("auth.log_in"))
