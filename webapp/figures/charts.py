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

PALETTE = ("#0b5cad", "#e07b00", "#6b6b6b", "#2e8540", "#8e44ad")
DIVERGING = ("#b2182b", "#ef8a62", "#67a9cf", "#2166ac")  # svært uenig → svært enig
SEQUENTIAL = ("#d7e3f1", "#a6c3e2", "#6d9ed0", "#3a78ba", "#0b4f96", "#06315e")
FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 13, "color": "#1b1f24"}
ROW = 58  # px per category: a label line above a bar (or a pair of bars)
LABEL_LINE = 17  # px per line of a 12.5 px category label (Plotly's line height), with room to spare
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
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join(lines + ([line] if line else []))


def hidden_text() -> str:
    """The hover text of a suppressed cell, in the page's language."""
    return _("hidden (too few answers)")


def _hover(value: float | None, n: int | None) -> str:
    if value is None:
        return hidden_text()
    return f"{value:.0f} %" + (f" (n = {n})" if n is not None else "")


def _bar_layout(categories: list[str], legend_entries: int, bars_per_row: int = 1, **extra: Any) -> dict[str, Any]:
    """Rows sized so each label fits in the gap above its bar; the legend gets its own space below."""
    lines = max((_wrap(c).count("<br>") + 1 for c in categories), default=1)
    bar, gap = 22 * bars_per_row, LABEL_LINE * lines + 16
    row = bar + gap
    # The first label sits above its bar in the top half of its row; the margin takes what does not fit.
    first = _wrap(categories[0]).count("<br>") + 1 if categories else 1
    top = max(8, round(LABEL_LINE * first + 3 + bar / 2 - row / 2) + 8)
    bottom = 22 * legend_entries + 12 if legend_entries > 1 else 8
    layout = {
        "font": FONT, "margin": {"l": 4, "r": 28, "t": top, "b": bottom}, "paper_bgcolor": "white",
        "plot_bgcolor": "white", "height": top + bottom + row * len(categories), "showlegend": legend_entries > 1,
        "bargap": gap / row, "bargroupgap": 0.05, "dragmode": False, "hoverlabel": {"font": FONT},
        "legend": {"orientation": "h", "yanchor": "top", "y": 0, "x": 0, "xanchor": "left", "traceorder": "normal"},
        "annotations": [{"x": 0, "xref": "paper", "y": c, "yref": "y", "text": _wrap(c), "showarrow": False,
                         "xanchor": "left", "yanchor": "bottom", "yshift": bar / 2 + 3, "align": "left",
                         "font": {"size": 12.5}} for c in categories],
        # An explicit range, top to bottom: autorange pads a whole row at each end when markers are drawn.
        "yaxis": {"range": [len(categories) - 0.5, -0.5], "fixedrange": True, "showticklabels": False,
                  "type": "category"},
        # Values are on the bars, in the hover text and in the table view: no tick labels to collide with.
        "xaxis": {"fixedrange": True, "gridcolor": "#e5e9ee", "zeroline": False, "showticklabels": False},
    }
    for key, value in extra.items():
        layout[key] = {**layout.get(key, {}), **value} if isinstance(value, dict) else value
    return layout


def share_bars(categories: list[str], series: list[Series]) -> Spec:
    """Horizontal bars of shares (percent) per category; reference series as diamond markers."""
    data = []
    for k, s in enumerate(series):
        ns = s.ns or [None] * len(categories)
        hover = [_hover(v, n) for v, n in zip(s.values, ns)]
        if s.marker:
            data.append({"type": "scatter", "x": s.values, "y": categories, "name": s.name, "mode": "markers",
                         "hovertext": hover, "hoverinfo": "text+name",
                         "marker": {"symbol": "diamond", "size": 11, "color": "#1b1f24",
                                    "line": {"color": "white", "width": 1}}})
            continue
        data.append({"type": "bar", "orientation": "h", "x": [v if v is not None else 0 for v in s.values],
                     "y": categories, "name": s.name, "marker": {"color": PALETTE[k % len(PALETTE)]},
                     "hovertext": hover, "hoverinfo": "text+name",
                     "text": [f"{v:.0f}" if v is not None else "–" for v in s.values],
                     "textposition": "outside", "cliponaxis": False})
    bars = sum(1 for s in series if not s.marker)
    # The values are printed on the bars, so the axis needs no tick labels.
    return {"data": data, "layout": _bar_layout(categories, len(series), bars, barmode="group",
                                                xaxis={"range": [0, 105]})}


def stacked_distribution(categories: list[str], option_labels: list[str], percents: list[list[float] | None],
                         ns: list[int | None], colors: tuple[str, ...] = SEQUENTIAL) -> Spec:
    """100 % stacked horizontal bars: each category's distribution over ordered options."""
    palette = _spread(colors, len(option_labels))
    data = []
    for k, label in enumerate(option_labels):
        values = [row[k] if row is not None else None for row in percents]
        data.append({"type": "bar", "orientation": "h", "x": [v if v is not None else 0 for v in values],
                     "y": categories, "name": label, "marker": {"color": palette[k]},
                     "hovertext": [_hover(v, n) for v, n in zip(values, ns)], "hoverinfo": "text+name"})
    return {"data": data, "layout": _bar_layout(categories, len(option_labels), barmode="stack",
                                                xaxis={"range": [0, 100]})}


def diverging_bars(categories: list[str], option_labels: list[str], percents: list[list[float] | None],
                   ns: list[int | None]) -> Spec:
    """Agreement as diverging bars: disagreement to the left of 0, agreement to the right."""
    half = len(option_labels) // 2
    data = []
    for k in list(range(half - 1, -1, -1)) + list(range(half, len(option_labels))):
        sign = -1 if k < half else 1
        values = [row[k] if row is not None else None for row in percents]
        colour = DIVERGING[round(k * (len(DIVERGING) - 1) / max(1, len(option_labels) - 1))]
        data.append({"type": "bar", "orientation": "h", "x": [sign * v if v is not None else 0 for v in values],
                     "y": categories, "name": option_labels[k], "legendrank": k, "marker": {"color": colour},
                     "hovertext": [_hover(v, n) for v, n in zip(values, ns)], "hoverinfo": "text+name"})
    axis = {"range": [-100, 100], "zeroline": True, "zerolinecolor": "#1b1f24", "zerolinewidth": 2}
    return {"data": data, "layout": _bar_layout(categories, len(option_labels), barmode="relative", xaxis=axis)}


def heatmap(rows: list[str], columns: list[str], values: list[list[float | None]],
            ns: list[list[int | None]]) -> Spec:
    """Shares per row × column; suppressed cells stay blank and say why."""
    text = [[f"{v:.0f}" if v is not None else "–" for v in row] for row in values]
    hover = [[_hover(v, n) for v, n in zip(row, nrow)] for row, nrow in zip(values, ns)]
    data = [{"type": "heatmap", "z": values, "x": columns, "y": [_wrap(r, 22) for r in rows], "text": text,
             "texttemplate": "%{text}", "hovertext": hover, "hoverinfo": "text",
             "colorscale": [[0, "#f2f6fb"], [1, "#0b4f96"]], "zmin": 0, "zmax": 100, "xgap": 2, "ygap": 2,
             "showscale": False}]
    layout = {"font": FONT, "margin": {"l": 4, "r": 4, "t": 8, "b": 8}, "paper_bgcolor": "white",
              "plot_bgcolor": "white", "height": 120 + 46 * len(rows), "dragmode": False,
              "xaxis": {"side": "top", "tickangle": -90, "tickfont": {"size": 11.5}, "fixedrange": True,
                        "automargin": True},
              "yaxis": {"tickfont": {"size": 11.5}, "autorange": "reversed", "fixedrange": True, "automargin": True}}
    return {"data": data, "layout": layout}


def trend_lines(labels: list[str], series: list[Series]) -> Spec:
    """Indicators across rounds of the same survey."""
    data = [{"type": "scatter", "x": labels, "y": s.values, "name": s.name, "mode": "lines+markers",
             "line": {"color": PALETTE[k % len(PALETTE)]}, "hoverinfo": "text+name",
             "hovertext": [_hover(v, n) for v, n in zip(s.values, s.ns or [None] * len(labels))]}
            for k, s in enumerate(series)]
    layout = {"font": FONT, "margin": {"l": 4, "r": 16, "t": 8, "b": 8}, "paper_bgcolor": "white",
              "plot_bgcolor": "white", "height": 320, "dragmode": False,
              "legend": {"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
              "yaxis": {"range": [0, 100], "title": {"text": "%"}, "fixedrange": True, "gridcolor": "#e5e9ee"},
              "xaxis": {"fixedrange": True}}
    return {"data": data, "layout": layout}


def _spread(colors: tuple[str, ...], count: int) -> list[str]:
    if count <= 1:
        return [colors[-1]]
    return [colors[round(k * (len(colors) - 1) / (count - 1))] for k in range(count)]
