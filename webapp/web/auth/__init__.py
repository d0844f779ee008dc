"""Logging in and out."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded
from flask_login import login_user, logout_user

from webapp.extensions import db, login_manager
from webapp.models import User
from webapp.services import users
from webapp.web.auth.forms import LoginForm
from webapp.web.auth.limits import account_tried, limit_password_guesses

bp = Blueprint("auth", __name__)


@bp.record_once
def _prepare_unknown_account_hash(state) -> None:  # noqa: ANN001
    """Make the stand-in hash now, so that not even the first unknown e-mail takes longer."""
    users.unknown_account_hash()


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


@bp.errorhandler(RateLimitExceeded)
def show_refusal(error: RateLimitExceeded):
    """Answer with the page the limit's on_breach made (the form and why it was refused)."""
    return error.get_response()


def _login_page(refusal: str | None = None) -> str:
    return render_template("auth/login.html", form=LoginForm(), refusal=refusal)


@bp.route("/login", methods=["GET", "POST"])
@limit_password_guesses(account_tried, _login_page)
def log_in():
    form = LoginForm()
    if form.validate_on_submit():
        user = users.authenticate(db.session, form.email.data, form.password.data)
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
