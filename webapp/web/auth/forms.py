"""The log-in form: shape only; the users service decides whether a password is right."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"),
                       validators=[DataRequired(message=_l("Write your e-mail address."))])
    password = PasswordField(_l("Password"), validators=[DataRequired(message=_l("Write your password."))])
