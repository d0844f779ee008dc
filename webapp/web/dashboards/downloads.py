"""What a downloaded panel says about itself: a file name with round, unit and date."""
from __future__ import annotations

from datetime import date

from webapp.services.results import UnitFigures


def figures_date(unit: UnitFigures) -> date:
    """The day the figures were published, or today for a unit with none yet."""
    return unit.published_at.date() if unit.published_at else date.today()


def download_name(unit: UnitFigures, panel_key: str, fmt: str) -> str:
    """Return e.g. «laget-Høst 2026-Nesset 1–10-skole-sammenligning-2026-12-03.csv» (the round once at
    the round level); the header encodes it for any client."""
    names = [unit.round_name] if unit.level == "round" else [unit.round_name, unit.unit_name]
    return "-".join(["laget", *names, panel_key, figures_date(unit).isoformat()]) + f".{fmt}"

