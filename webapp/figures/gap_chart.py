"""The «Kompetansebehov» chart: each area's share with its 95 % interval, one coloured series per kind of
answer it comes from (need for a pupil group, or wishes), and a row saying so where an area is hidden (pure).

Each value stands in a column at the bars' base, left of where every bar starts: at the bar's end it was
read against the whisker running through it (a «67» at the whisker's end, near 90 %).
"""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from webapp.figures.charts import (DARK, MUTED, PALETTE, Spec, _bar_layout, _legend_name, _number,
                                   hidden_text)

VALUES = 30  # px: the column of values left of the bars («100» at 12 px, with room to spare)


def _hover(shares, lows, highs, ns) -> list[str]:
    return [hidden_text() if v is None else _("%(share)s %% (95 %% interval %(low)s–%(high)s %%, n = %(n)s)",
                                              share=_number(v), low=_number(lo), high=_number(hi), n=n)
            for v, lo, hi, n in zip(shares, lows, highs, ns)]


def gap_bars(categories: list[str], shares: list[float | None], lows: list[float | None],
             highs: list[float | None], ns: list[int | None], kinds: list[str]) -> Spec:
    """Shares (percent) per category with their 95 % intervals as whiskers. `kinds` names what each
    category's share counts: each kind is a series of its own colour in the legend. A hidden share
    (None) keeps its row, which says so."""
    names = list(dict.fromkeys(k for k, v in zip(kinds, shares) if v is not None)) or list(kinds[:1])
    hover = _hover(shares, lows, highs, ns)
    plus = [None if v is None or hi is None else round(hi - v, 1) for v, hi in zip(shares, highs)]
    minus = [None if v is None or lo is None else round(v - lo, 1) for v, lo in zip(shares, lows)]
    data: list[dict[str, Any]] = []
    for j, name in enumerate(names):
        mine = [k == name and v is not None for k, v in zip(kinds, shares)]

        def only(values: list, mine: list[bool] = mine) -> list:
            return [x if m else None for x, m in zip(values, mine)]

        data.append({"type": "bar", "orientation": "h", "x": only(shares), "y": categories,
                     "name": _legend_name(name), "marker": {"color": PALETTE[j % len(PALETTE)]},
                     "error_x": {"type": "data", "symmetric": False, "array": only(plus),
                                 "arrayminus": only(minus), "color": DARK, "thickness": 1.2, "width": 4},
                     "hovertext": only(hover), "hoverinfo": "text+name"})
    # One bar per row, whichever series it is in: overlaid, not grouped (no empty slot for the other).
    layout = _bar_layout(categories, names, values=VALUES, always_legend=True, barmode="overlay",
                         xaxis={"range": [0, 105]})
    layout["annotations"] += [{"x": 0, "xref": "paper", "xanchor": "right", "xshift": -4, "y": c, "yref": "y",
                               "showarrow": False, "text": _number(v), "font": {"size": 12, "color": DARK}}
                              for c, v in zip(categories, shares)]
    hidden = {"size": 12, "color": MUTED}
    layout["annotations"] += [{"x": 0, "xref": "x", "xanchor": "left", "y": c, "yref": "y",
                               "showarrow": False, "text": hidden_text(), "font": hidden}
                              for c, v in zip(categories, shares) if v is None]
    return {"data": data, "layout": layout}
