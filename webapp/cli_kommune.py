"""`laget kommune rate`: the substitute cost per hour an administrator sets for a kommune's plans."""
from __future__ import annotations

import math

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from webapp.cli_common import fail
from webapp.extensions import db


@click.group("kommune")
def kommune_group() -> None:
    """Settings per kommune."""


def _kroner(text: str) -> float:
    """«350», «350,5» or «350 kr» as a number, or a clean failure."""
    cleaned = text.strip().lower().removesuffix("kr").strip().replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        value = math.nan
    if math.isnan(value):
        fail(_("Give the cost per hour as a number of kroner, e.g. 300."))
    return value


# ignore_unknown_options: «-5» is a (refused) rate, not an unknown option
@kommune_group.command("rate", context_settings={"ignore_unknown_options": True})
@click.argument("kommune")
@click.argument("nok", required=False)
@click.option("--clear", is_flag=True, help="Go back to the default (300 kr per hour).")
@with_appcontext
def rate_command(kommune: str, nok: str | None, clear: bool) -> None:
    """Set the substitute cost per hour (whole kroner, 1–2000) that KOMMUNE's plans use unless a plan gives
    its own; KOMMUNE is a kommunenummer or a name only one kommune has. Without NOK: show it."""
    from webapp.domain.planning import DEFAULT_SUBSTITUTE_RATE
    from webapp.services.kommuner import describe, resolve_kommune
    from webapp.services.substitute_rates import RateRefused, set_kommune_rate

    if clear and nok is not None:
        fail(_("Give either a cost per hour or --clear, not both."))
    try:
        found = resolve_kommune(db.session, kommune)
    except LookupError as exc:
        fail(str(exc))
    if nok is not None or clear:
        try:
            set_kommune_rate(db.session, found, None if clear else _kroner(nok or ""))
        except RateRefused as exc:
            db.session.rollback()
            fail(str(exc))
        db.session.commit()
    if found.substitute_rate_nok is None:
        click.echo(f"{describe(found)}: the default substitute cost, {DEFAULT_SUBSTITUTE_RATE} kr per hour.")
    else:
        click.echo(f"{describe(found)}: substitute cost {found.substitute_rate_nok} kr per hour.")
