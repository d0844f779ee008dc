"""Exports of published, suppressed figures: the JSON and CSV contracts used by outside tools."""
from __future__ import annotations

import csv
import io
from typing import Any

from webapp.services.results import UnitFigures
from webapp.services.spreadsheet import safe_row


def as_json(figures: UnitFigures, unit_key: str | None) -> dict[str, Any]:
    """The export-aggregates JSON: one entry per item and group, numbers only where not suppressed."""
    entries = []
    for (item, group), figure in figures.figures.items():
        if figure.suppressed:
            entries.append({"item": item, "group": group, "suppressed": True})
        else:
            entries.append({"item": item, "group": group, "n": figure.n, "counts": figure.counts,
                            "percent": figure.percent()})
    return {
        "round": figures.round_name,
        "unit": {"level": figures.level, "key": unit_key, "name": figures.unit_name},
        "by": figures.grouping,
        "threshold": figures.threshold,
        # the day only, as the pages: the time of a release would say whose answers filled it
        "published_on": figures.published_at.date().isoformat() if figures.published_at else None,
        "final": figures.final,
        "respondents": figures.respondents,
        "items": entries,
    }


CSV_COLUMNS = ("round", "level", "unit", "by", "item", "group", "n", "option", "count", "percent",
               "suppressed")


def as_csv(figures: UnitFigures) -> str:
    """The same data in long form: one line per item, group and option; suppressed lines have no numbers."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    head = (figures.round_name, figures.level, figures.unit_name, figures.grouping)
    for (item, group), figure in figures.figures.items():
        if figure.suppressed:
            writer.writerow(safe_row((*head, item, group, "", "", "", "", "true")))
            continue
        percent = figure.percent() or {}
        for code, count in (figure.counts or {}).items():
            writer.writerow(safe_row((*head, item, group, figure.n, code, count, percent.get(code, ""),
                                      "false")))
    return out.getvalue()
