"""`laget user …`: accounts for administrators, tillitsvalgte and school leaders."""
from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from webapp.cli_common import fail
from webapp.extensions import db
from webapp.services.kommuner import describe
from webapp.services.users import UserError, create_user, list_users, set_password


@click.group("user")
def user_group() -> None:
    """Accounts for administrators, tillitsvalgte and school leaders."""


@user_group.command("create")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(["admin", "tillitsvalgt", "skoleleder"]), required=True)
@click.option("--kommune", help="What a tillitsvalgt sees: kommunenummer or kommune name.")
@click.option("--school", metavar="CODE[,CODE…]",
              help="What a skoleleder (or a tillitsvalgt without --kommune) sees: school codes.")
@click.password_option()
@with_appcontext
def create_user_command(email: str, role: str, kommune: str | None, school: str | None,
                        password: str) -> None:
    """Create an account; a tillitsvalgt needs --kommune or --school, a skoleleder --school."""
    if (role == "tillitsvalgt" and not (kommune or school)) or (role == "skoleleder" and not school):
        fail(_("A tillitsvalgt needs --kommune (or --school) and a skoleleder --school: without it the "
               "account sees nothing."))
    try:
        create_user(db.session, email, password, role, kommune, school)
    except UserError as exc:
        fail(str(exc))
    db.session.commit()
    click.echo(f"Created {role} account.")


@user_group.command("password")
@click.option("--email", required=True)
@click.option("--password-stdin", is_flag=True, help="Read the new password from the first line of stdin.")
@with_appcontext
def set_password_command(email: str, password_stdin: bool) -> None:
    """Give an account a new password; every session of the account ends."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    try:
        set_password(db.session, email, password)
    except UserError as exc:
        db.session.rollback()
        fail(str(exc))
    db.session.commit()
    click.echo("Changed the password; every session of the account has ended.")


@user_group.command("list")
@with_appcontext
def list_users_command() -> None:
    """Every account with its role and what it may see."""
    for user, kommune, schools in list_users(db.session):
        listed = ", ".join(f"{s.code} {s.name}" for s in schools)
        if user.role == "admin":
            scope = _("everything")
        elif kommune is not None:
            scope = _("kommune %(kommune)s", kommune=describe(kommune))
        elif len(schools) == 1:
            scope = _("school %(schools)s", schools=listed)
        elif schools:
            scope = _("schools %(schools)s", schools=listed)
        else:
            scope = _("nothing (no kommune or school set)")
        click.echo(f"{user.email:<40} {user.role:<13} {scope}")
