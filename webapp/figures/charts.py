"""Chart builders for the dashboards: DTOs in, Plotly figure specs out (pure).

A spec is the plain `{"data": [...], "layout": {...}}` that plotly.js draws. They are built as dicts
rather than `plotly.graph_objects.Figure`s because the graph objects' validation cost about 0.9 s
per dashboard (docs/benchmarks.md); tests/unit/test_charts.py validates every builder's output
with `go.Figure` so the specs stay correct. Every chart reads at 360 px: category labels sit above
full-width bars, legends below.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from webapp.figures import palettes

PALETTE = ("#0b5cad", "#e07b00", "#6b6b6b", "#2e8540", "#8e44ad")
DARK = palettes.DARK_TEXT
MUTED = "#5b6570"  # 5.9:1 on white
FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 13, "color": "#1b1f24"}
NARROW = 600  # px: below this figure width dashboard.js draws a spec's "narrow" variant, if it has one
ROW = 58  # px per category: a label line above a bar (or a pair of bars)
LABEL_LINE = 17  # px per line of a 12.5 px category label (Plotly's line height), with room to spare
TICKS = 24  # px below the bars for the value axis's tick labels
Spec = dict[str, Any]


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | None]  # percent, None = suppressed or no data
    ns: list[int | None] = field(default_factory=list)
    marker: bool = False  # draw as reference markers (e.g. national figures), not bars


def _wrap(text: str, width: int = 40) -> str:
    """Break a long label into lines for Plotly (which does not wrap by itself)."""
    lines, line = [], ""
    for word in text.replace("/", "/ ").split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join(lines + ([line] if line else [])).replace("/ ", "/")


def hidden_text() -> str:
    """The hover text of a suppressed cell, in the page's language."""
    return _("hidden (too few answers)")


def _hover(value: float | None, n: int | None) -> str:
    if value is None:
        return hidden_text()
    return f"{value:.0f} %" + (f" (n = {n})" if n is not None else "")


def _legend_name(name: str) -> str:
    """Legend entries wrap, so a long option never runs off a phone's screen."""
    return _wrap(name, 30)


def value_axis(low: int = 0, high: int = 100, step: int = 20) -> dict[str, Any]:
    """A percent axis under the bars: ticks every `step`, each share written as a positive «40 %»."""
    values = list(range(low, high + 1, step))
    return {"showticklabels": True, "tickvals": values, "ticktext": [f"{abs(v)} %" for v in values],
            "tickfont": {"size": 11, "color": MUTED}, "ticks": ""}


def _bar_layout(categories: list[str], legend: list[str], bars_per_row: int = 1, values: int = 0,
                always_legend: bool = False, **extra: Any) -> dict[str, Any]:
    """Rows sized so each label fits in the gap above its bar; the value axis and the legend get their own
    space below. `values` px at the left are a column for the bars' values, before the bars start; the
    category labels start at the figure's left edge either way."""
    lines = max((_wrap(c).count("<br>") + 1 for c in categories), default=1)
    bar, gap = 22 * bars_per_row, LABEL_LINE * lines + 16
    row = bar + gap
    # The first label sits above its bar in the top half of its row; the margin takes what does not fit.
    first = _wrap(categories[0]).count("<br>") + 1 if categories else 1
    top = max(8, round(LABEL_LINE * first + 3 + bar / 2 - row / 2) + 8)
    shows_legend = len(legend) > 1 or (always_legend and bool(legend))
    # Room for one entry per line (a phone), each as many lines as its wrapped name.
    bottom = TICKS + (sum(6 + LABEL_LINE * (_legend_name(n).count("<br>") + 1) for n in legend) + 12
                      if shows_legend else 8)
    plot = row * len(categories)
    left = max(values, 16)  # at least half of a tick label («100 %»), centred under the axis's left end
    layout = {
        "font": FONT, "margin": {"l": 4 + left, "r": 28, "t": top, "b": bottom}, "paper_bgcolor": "white",
        "plot_bgcolor": "white", "height": top + bottom + plot, "showlegend": shows_legend,
        "bargap": gap / row, "bargroupgap": 0.05, "dragmode": False, "hoverlabel": {"font": FONT},
        # Below the value axis's tick labels
        "legend": {"orientation": "h", "yanchor": "top", "y": -TICKS / max(plot, 1), "x": 0,
                   "xanchor": "left", "traceorder": "normal"},
        "annotations": [{"x": 0, "xref": "paper", "y": c, "yref": "y", "text": _wrap(c), "showarrow": False,
                         "xanchor": "left", "xshift": -left, "yanchor": "bottom", "yshift": bar / 2 + 3,
                         "align": "left", "font": {"size": 12.5}} for c in categories],
        # An explicit range, top to bottom: autorange pads a whole row at each end when markers are drawn.
        "yaxis": {"range": [len(categories) - 0.5, -0.5], "fixedrange": True, "showticklabels": False,
                  "type": "category"},
        "xaxis": {"fixedrange": True, "gridcolor": "#e5e9ee", "zeroline": False, **value_axis()},
    }
    for key, value in extra.items():
        layout[key] = {**layout.get(key, {}), **value} if isinstance(value, dict) else value
    return layout


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def share_bars(categories: list[str], series: list[Series], always_legend: bool = False) -> Spec:
    """Horizontal bars of shares (percent) per category, each with its value at its end.

    Reference series (national figures) are diamond markers on the bars, and their values stand in a
    column of their own at the right edge, where no bar or bar value reaches.
    """
    data: list[dict[str, Any]] = []
    column: list[dict[str, Any]] = []
    for k, s in enumerate(series):
        ns = s.ns or [None] * len(categories)
        hover = [_hover(v, n) for v, n in zip(s.values, ns)]
        if s.marker:
            data.append({"type": "scatter", "x": s.values, "y": categories, "name": _legend_name(s.name),
                         "mode": "markers", "hovertext": hover, "hoverinfo": "text+name",
                         "marker": {"symbol": "diamond", "size": 11, "color": DARK,
                                    "line": {"color": "white", "width": 1}}})
            column += [{"x": 1, "xref": "paper", "xanchor": "right", "y": c, "yref": "y", "showarrow": False,
                        "text": f"◆ {_number(v)}", "font": {"size": 12, "color": DARK}}
                       for c, v in zip(categories, s.values) if v is not None]
            continue
        colour = PALETTE[k % len(PALETTE)]
        # The value inside the bar's start, where no marker at the bar's end can cover it; outside if it
        # does not fit, and a dash where the value is hidden.
        data.append({"type": "bar", "orientation": "h", "x": [v if v is not None else 0 for v in s.values],
                     "y": categories, "name": _legend_name(s.name), "marker": {"color": colour},
                     "hovertext": hover, "hoverinfo": "text+name", "text": [_number(v) for v in s.values],
                     "textposition": ["auto" if v else "outside" for v in s.values],
                     "insidetextanchor": "start", "textangle": 0, "cliponaxis": False,
                     "insidetextfont": {"color": palettes.text_colour(colour)},
                     "outsidetextfont": {"color": DARK}})
    bars = sum(1 for s in series if not s.marker)
    layout = _bar_layout(categories, [s.name for s in series], bars, always_legend=always_legend,
                         barmode="group", xaxis={"range": [0, 135 if column else 105]})
    layout["annotations"] += column
    return {"data": data, "layout": layout}


def _segment_texts(values: list[float | None], colour: str) -> dict[str, Any]:
    """The share on each segment, in white or dark text by the segment's colour; Plotly hides what does not
    fit."""
    return {"text": [_number(v) if v else "" for v in values], "textposition": "inside",
            "insidetextanchor": "middle", "textangle": 0, "constraintext": "inside",
            "textfont": {"color": palettes.text_colour(colour), "size": 12}, "hoverinfo": "text+name"}


# A segment too narrow for 10 px text shows none.
SEGMENT_TEXT = {"uniformtext": {"mode": "hide", "minsize": 10}}


def _hidden_rows(categories: list[str], percents: list[list[float] | None], x: float,
                 anchor: str) -> list[dict]:
    """Where a whole row is hidden, say so in its place instead of leaving an empty row."""
    return [{"x": x, "xref": "x", "xanchor": anchor, "y": c, "yref": "y", "text": hidden_text(),
             "showarrow": False, "font": {"size": 12, "color": MUTED}}
            for c, row in zip(categories, percents) if row is None]


def stacked_distribution(categories: list[str], option_labels: list[str], percents: list[list[float] | None],
                         ns: list[int | None], colors: list[str] | None = None) -> Spec:
    """100 % stacked horizontal bars: each category's distribution over its options, the share on each
    segment."""
    palette = colors or palettes.sequential(len(option_labels))
    data = []
    for k, label in enumerate(option_labels):
        values = [row[k] if row is not None else None for row in percents]
        data.append({"type": "bar", "orientation": "h", "x": [v if v is not None else 0 for v in values],
                     "y": categories, "name": _legend_name(label), "marker": {"color": palette[k]},
                     "hovertext": [_hover(v, n) for v, n in zip(values, ns)],
                     **_segment_texts(values, palette[k])})
    layout = _bar_layout(categories, option_labels, barmode="stack", xaxis={"range": [0, 100]},
                         **SEGMENT_TEXT)
    layout["annotations"] += _hidden_rows(categories, percents, 0, "left")
    return {"data": data, "layout": layout}


def diverging_bars(categories: list[str], option_labels: list[str], percents: list[list[float] | None],
                   ns: list[int | None]) -> Spec:
    """Agreement as diverging bars: disagreement to the left of 0, agreement to the right.

    The zero line is drawn only across the bars, so it never runs through the labels above them.
    """
    half = len(option_labels) // 2
    colours = palettes.diverging(len(option_labels))
    data = []
    for k in list(range(half - 1, -1, -1)) + list(range(half, len(option_labels))):
        sign = -1 if k < half else 1
        values = [row[k] if row is not None else None for row in percents]
        data.append({"type": "bar", "orientation": "h",
                     "x": [sign * v if v is not None else 0 for v in values],
                     "y": categories, "name": _legend_name(option_labels[k]), "legendrank": k,
                     "marker": {"color": colours[k]}, "hovertext": [_hover(v, n) for v, n in zip(values, ns)],
                     **_segment_texts(values, colours[k])})
    layout = _bar_layout(categories, option_labels, barmode="relative",
                         xaxis={"range": [-100, 100], **value_axis(-100, 100, 50)},
                         **SEGMENT_TEXT)
    layout["annotations"] += _hidden_rows(categories, percents, 0, "center")
    width = 1 - layout["bargap"]  # of a bar, in rows
    layout["shapes"] = [{"type": "line", "xref": "x", "yref": "y", "x0": 0, "x1": 0,
                         "y0": k - width / 2 - 0.04, "y1": k + width / 2 + 0.04,
                         "line": {"color": DARK, "width": 2}, "layer": "above"}
                        for k, row in enumerate(percents) if row is not None]  # none where all is hidden
    return {"data": data, "layout": layout}


def heatmap(rows: list[str], columns: list[str], values: list[list[float | None]],
            ns: list[list[int | None]]) -> Spec:
    """Shares per row × column; suppressed cells show «–». One column is drawn as bars named by it (a
    one-column heatmap is a bar chart without its lengths or its axis)."""
    if len(columns) == 1:
        return share_bars(rows, [Series(columns[0], [row[0] for row in values], [row[0] for row in ns])],
                          always_legend=True)
    return _grid(rows, columns, values, ns)


def _grid(rows: list[str], columns: list[str], values: list[list[float | None]],
          ns: list[list[int | None]]) -> Spec:
    """The heatmap of two columns or more.

    Wide screens get row labels at the left and column labels across the top. A phone has no room
    for both: its "narrow" variant puts each row's label above the row and the column labels, wrapped,
    on two alternating levels above the columns, so nothing needs rotating.
    """
    text = [[_number(v) for v in row] for row in values]
    hover = [[_hover(v, n) for v, n in zip(row, nrow)] for row, nrow in zip(values, ns)]
    trace = {"type": "heatmap", "z": values, "x": columns, "text": text, "texttemplate": "%{text}",
             "hovertext": hover, "hoverinfo": "text", "colorscale": [[0, "#f2f6fb"], [1, "#0b4f96"]],
             "zmin": 0, "zmax": 100, "xgap": 2, "ygap": 2, "showscale": False}
    base = {"font": FONT, "paper_bgcolor": "white", "plot_bgcolor": "white", "dragmode": False}
    header_lines = max((_wrap(c, 16).count("<br>") + 1 for c in columns), default=1)
    # Each row as tall as its longest wrapped label needs (15 px a line), so labels never overlap.
    row_lines = max((_wrap(r, 22).count("<br>") + 1 for r in rows), default=1)
    layout = {**base, "margin": {"l": 4, "r": 4, "t": 8, "b": 8},
              "height": 60 + 14 * header_lines + max(46, 15 * row_lines + 10) * len(rows),
              "xaxis": {"side": "top", "tickangle": 0, "tickfont": {"size": 11.5}, "fixedrange": True,
                        "automargin": True, "showgrid": False, "tickvals": columns,
                        "ticktext": [_wrap(c, 16) for c in columns]},
              "yaxis": {"tickfont": {"size": 11.5}, "autorange": "reversed", "fixedrange": True,
                        "automargin": True, "showgrid": False}}
    wide = {**trace, "y": [_wrap(r, 22) for r in rows]}

    # Narrow: a label line above each row of cells, column headers on two levels.
    label_lines = max((_wrap(r, 38).count("<br>") + 1 for r in rows), default=1)
    cell, gap = 30, 15 * label_lines + 8
    # Each level is as tall as its own tallest header: one long name does not push the other level up.
    lines = [_wrap(c, 14).count("<br>") + 1 for c in columns]
    lower, upper = (13 * max(lines[parity::2], default=0) + 4 for parity in (0, 1))
    top = lower + upper + gap + 4
    annotations = [{"x": 0, "xref": "paper", "y": k, "yref": "y", "text": _wrap(r, 38), "showarrow": False,
                    "xanchor": "left", "yanchor": "bottom", "yshift": cell / 2 + 2, "align": "left",
                    "font": {"size": 12}} for k, r in enumerate(rows)]
    annotations += [{"x": c, "xref": "x", "y": 1, "yref": "paper", "text": _wrap(c, 14), "showarrow": False,
                     "yanchor": "bottom", "yshift": gap + (lower if k % 2 else 0), "font": {"size": 10.5},
                     "align": "center"} for k, c in enumerate(columns)]
    bare = {"showticklabels": False, "showgrid": False, "zeroline": False, "ticks": "", "fixedrange": True}
    narrow_layout = {**base, "margin": {"l": 2, "r": 2, "t": top, "b": 6},
                     "height": top + 6 + (cell + gap) * len(rows),
                     "annotations": annotations,
                     "xaxis": {**bare, "type": "category"},
                     "yaxis": {**bare, "range": [len(rows) - 0.5, -0.5]}}
    narrow = {**trace, "y": list(range(len(rows))), "ygap": gap, "xgap": 3}
    return {"data": [wide], "layout": layout, "narrow": {"data": [narrow], "layout": narrow_layout}}


def trend_lines(labels: list[str], series: list[Series]) -> Spec:
    """Indicators across rounds of the same survey."""
    data = [{"type": "scatter", "x": labels, "y": s.values, "name": s.name, "mode": "lines+markers",
             "line": {"color": PALETTE[k % len(PALETTE)]}, "hoverinfo": "text+name",
             "hovertext": [_hover(v, n) for v, n in zip(s.values, s.ns or [None] * len(labels))]}
            for k, s in enumerate(series)]
    layout = {"font": FONT, "margin": {"l": 4, "r": 16, "t": 8, "b": 8}, "paper_bgcolor": "white",
              "plot_bgcolor": "white", "height": 320, "dragmode": False,
              "legend": {"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
              "yaxis": {"range": [0, 100], "title": {"text": "%"}, "fixedrange": True,
                        "gridcolor": "#e5e9ee"},
              "xaxis": {"fixedrange": True}}
    return {"data": data, "layout": layout}
