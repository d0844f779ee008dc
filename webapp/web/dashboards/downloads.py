"""What a downloaded panel says about itself: a file name with round, unit and date; a title block."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from webapp.domain.dates import shown_day
from webapp.services.results import UnitFigures


def level_name(level: str) -> str:
    return {"school": _("school"), "kommune": _("kommune"), "fylke": _("fylke"),
            "round": _("whole round")}[level]


def figures_date(unit: UnitFigures) -> date:
    """The day the figures were published, or today for a unit with none yet."""
    return unit.published_at.date() if unit.published_at else date.today()


def download_name(unit: UnitFigures, panel_key: str, fmt: str) -> str:
    """Return e.g. «laget-Høst 2026-Nesset 1–10-skole-sammenligning-2026-12-03.csv» (the round once at
    the round level); the header encodes it for any client."""
    names = [unit.round_name] if unit.level == "round" else [unit.round_name, unit.unit_name]
    return "-".join(["laget", *names, panel_key, figures_date(unit).isoformat()]) + f".{fmt}"


def title_block(unit: UnitFigures) -> list[tuple[str, str]]:
    """The lines above an Excel table: which round and unit, the figures' date, the privacy threshold."""
    published = shown_day(unit.published_at) or "–"
    return [
        (_("Round"), unit.round_name),
        (_("Unit"), f"{unit.unit_name} ({level_name(unit.level)})"),
        (_("Figures published"), published),
        (_("Downloaded"), shown_day(date.today())),
        (_("Privacy threshold"),
         _("No figure rests on the answers of fewer than %(n)d people.", n=unit.threshold)),
    ]
