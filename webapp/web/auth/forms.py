"""The log-in and password forms: shape only; the users service decides whether a password is right."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from webapp.domain.inputs import control_character
from webapp.services.users import MIN_PASSWORD_LENGTH, email_control_message


def _no_control_character(form: FlaskForm, field) -> None:  # noqa: ANN001
    """Refuse control characters here: PostgreSQL refuses NUL even in the query that looks the address up."""
    found = control_character(field.data or "")
    if found is not None:
        raise ValidationError(email_control_message(found))


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[
        DataRequired(message=_l("Write your e-mail address.")), _no_control_character])
    password = PasswordField(_l("Password"), validators=[DataRequired(message=_l("Write your password."))])


class PasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"),
                                     validators=[DataRequired(message=_l("Write your current password."))])
    new_password = PasswordField(_l("New password"), validators=[
        DataRequired(message=_l("Write a new password.")),
        Length(min=MIN_PASSWORD_LENGTH, message=_l("The password must have at least 10 characters."))])
    new_password_again = PasswordField(_l("New password again"), validators=[
        DataRequired(message=_l("Write the new password again.")),
        EqualTo("new_password", message=_l("The two new passwords are not the same."))])
