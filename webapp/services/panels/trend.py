"""Key indicators of this unit across the rounds of the same questionnaire."""
from __future__ import annotations

from flask_babel import gettext as _

from webapp.figures import charts
from webapp.services.panels.common import Context, Panel, n_range, pct


def build(ctx: Context) -> Panel | None:
    """The dashboard file's trend indicators in each round (two rounds or more)."""
    history = ctx.history
    if len(history) < 2:
        return None
    labels = [name for name, _f in history]
    series, rows = [], []
    for indicator in ctx.config.trend:
        key, codes = indicator.item, indicator.codes
        item = ctx.questionnaire.items.get(key)
        if item is None:
            continue
        name = ctx.t(item.text).rstrip("?")
        if item.type == "multi":
            name = ", ".join(ctx.t(item.option(c).label) for c in codes)
        figures = [f.figure(key) for _n, f in history]
        values = [pct(f.share(codes)) for f in figures]
        series.append(charts.Series(name, values, [f.n for f in figures]))
        rows.append([name, *["–" if v is None else v for v in values]])
    return Panel("utvikling_over_tid", _("Over time"),
                 _("The same indicators in each round of this survey (%)"),
                 n_range([f.respondents.get("all") for _n, f in history]), charts.trend_lines(labels, series),
                 [_("Indicator"), *labels], rows)
