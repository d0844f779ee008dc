"""Logging in and out, and changing one's own password."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded
from flask_login import current_user, login_required, login_user, logout_user

from webapp.domain.inputs import whole_number
from webapp.extensions import db, login_manager
from webapp.models import User
from webapp.services import users
from webapp.web.auth.forms import LoginForm, PasswordForm
from webapp.web.auth.limits import account_logged_in, account_tried, give_back_attempt, limit_password_guesses

bp = Blueprint("auth", __name__)


@bp.record_once
def _prepare_unknown_account_hash(state) -> None:  # noqa: ANN001
    """Make the stand-in hash now, so that not even the first unknown e-mail takes longer."""
    users.unknown_account_hash()


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """Return the session's user while the session's version is still the user's."""
    user_part, _sep, version_part = session_id.partition(":")
    user_id, version = whole_number(user_part), whole_number(version_part)
    if user_id is None or version is None:
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.session_version == version else None


@bp.errorhandler(RateLimitExceeded)
def show_refusal(error: RateLimitExceeded):
    """Answer with the page the limit's on_breach made (the form and why it was refused)."""
    return error.get_response()


def _login_page(refusal: str | None = None) -> str:
    return render_template("auth/login.html", form=LoginForm(), refusal=refusal)


def _local(target: str) -> bool:
    """Whether `next` stays on this site: a path, not `//host`, and not `/\\host`, which browsers read
    as `//host`."""
    return (target.startswith("/") and not target.startswith("//") and "\\" not in target
            and not any(ord(c) < 32 for c in target) and not urlsplit(target).netloc)


@bp.route("/login", methods=["GET", "POST"])
@limit_password_guesses(account_tried, _login_page)
def log_in():
    form = LoginForm()
    if form.validate_on_submit():
        user = users.authenticate(db.session, form.email.data, form.password.data)
        if user is not None:
            give_back_attempt()
            login_user(user)
            target = request.args.get("next", "")
            home = url_for("admin.show_overview" if user.role == "admin" else "home.go_home")
            return redirect(target if _local(target) else home)
        form.password.errors.append(_("The e-mail address or the password is wrong."))
    return render_template("auth/login.html", form=form), 200 if not form.errors else 422


@bp.post("/logout")
def log_out():
    """Log out here and end every other session of the user, including copies of this one's cookie."""
    if current_user.is_authenticated:
        users.end_sessions(db.session, current_user._get_current_object())
        db.session.commit()
    logout_user()
    flash(_("You are logged out."))
    return redirect(url_for("home.show_landing"))


def _password_page(refusal: str | None = None) -> str:
    return render_template("auth/password.html", form=PasswordForm(), refusal=refusal)


@bp.route("/konto/passord", methods=["GET", "POST"])
@login_required
@limit_password_guesses(account_logged_in, _password_page)
def change_password():
    """Let users change their own password; their other sessions end, this one goes on."""
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            users.change_password(db.session, user, form.current_password.data, form.new_password.data)
        except users.WrongPassword as exc:
            db.session.rollback()
            form.current_password.errors.append(str(exc))
        except users.UserError as exc:
            db.session.rollback()
            form.new_password.errors.append(str(exc))
        else:
            db.session.commit()
            give_back_attempt()
            login_user(user)  # this session carries the new version
            flash(_("Your password is changed, and you are logged out everywhere else."))
            return redirect(url_for("auth.change_password"))
    return render_template("auth/password.html", form=form), 200 if not form.errors else 422
