"""Naming a kommune: by its four-digit kommunenummer, or by a name only one kommune has.

Kommune names repeat across fylker (Herøy is in Nordland and in Møre og Romsdal), so every place
where a user names a kommune (the JSON API, `round create`, `export-aggregates`, `user create`)
resolves it here, and an ambiguous name is refused with the candidates rather than guessed.
"""
from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from webapp.domain.inputs import control_character
from webapp.models import Fylke, Kommune

NUMBER = re.compile(r"[0-9]{4}")  # ASCII digits: \d would take ١٨١٨ too


class KommuneNotFound(LookupError):
    """No kommune has that number or name; the message says which."""


class AmbiguousKommune(LookupError):
    """Several kommuner have that name; the message lists them, `candidates` holds them."""

    def __init__(self, name: str, candidates: list[Kommune]):
        self.candidates = candidates
        listed = "; ".join(describe(k) for k in candidates)
        message = _("«%(name)s» is the name of %(count)d kommuner: %(candidates)s. Give the kommunenummer "
                    "instead.", name=name, count=len(candidates), candidates=listed)
        if any(k.number is None for k in candidates):
            message += " " + _("A kommune without a number gets one from `laget import-org` with a "
                               "kommunenummer column.")
        super().__init__(message)


def describe(kommune: Kommune) -> str:
    """«Herøy (Nordland, 1818)»: the name, its fylke and its number, when known."""
    if kommune.number is None:
        return _("%(name)s (%(fylke)s, no kommunenummer)", name=kommune.name, fylke=kommune.fylke.name)
    return f"{kommune.name} ({kommune.fylke.name}, {kommune.number})"


def as_dict(kommune: Kommune) -> dict[str, str | None]:
    return {"name": kommune.name, "fylke": kommune.fylke.name, "number": kommune.number}


def resolve_kommune(session: Session, given: str) -> Kommune:
    """Return the kommune with this number, or the only one with this name; raise a LookupError."""
    given = given.strip()
    if control_character(given):  # no name holds one, and PostgreSQL refuses NUL in a comparison
        raise KommuneNotFound(_("There is no kommune called «%(name)s».", name=given))
    if NUMBER.fullmatch(given):
        found = session.scalar(select(Kommune).where(Kommune.number == given))
        if found is None:
            raise KommuneNotFound(_("No kommune has the kommunenummer %(number)s.", number=given))
        return found
    matches = session.scalars(select(Kommune).join(Fylke).where(Kommune.name == given)
                              .options(joinedload(Kommune.fylke)).order_by(Fylke.name)).all()
    if not matches:
        raise KommuneNotFound(_("There is no kommune called «%(name)s».", name=given))
    if len(matches) > 1:
        raise AmbiguousKommune(given, list(matches))
    return matches[0]
