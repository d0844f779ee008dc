"""Chart builders for the dashboards; each reads well at 360 px (horizontal bars, legends on top)."""
from __future__ import annotations

from dataclasses import dataclass, field

import plotly.graph_objects as go

PALETTE = ("#0b5cad", "#e07b00", "#6b6b6b", "#2e8540", "#8e44ad")
DIVERGING = ("#b2182b", "#ef8a62", "#67a9cf", "#2166ac")  # svært uenig → svært enig
SEQUENTIAL = ("#d7e3f1", "#a6c3e2", "#6d9ed0", "#3a78ba", "#0b4f96", "#06315e")
FONT = dict(family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif", size=13, color="#1b1f24")


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | None]  # percent, None = suppressed or no data
    ns: list[int | None] = field(default_factory=list)
    marker: bool = False  # draw as reference markers (e.g. national figures), not bars


ROW = 58  # px per category: a label line above a bar (or a pair of bars)


def _wrap(text: str, width: int = 52) -> str:
    """Break a long label into lines for Plotly (which does not wrap by itself)."""
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join(lines + ([line] if line else []))


def _layout(figure: go.Figure, categories: list[str], legend: bool = True, bars_per_row: int = 1) -> go.Figure:
    """Full-width bars with each category's label above its bar: readable on a 360 px phone."""
    extra_lines = max((_wrap(c).count("<br>") for c in categories), default=0)
    row = ROW + 14 * (bars_per_row - 1) + 17 * extra_lines
    figure.update_layout(
        font=FONT, margin=dict(l=4, r=28, t=8, b=8), paper_bgcolor="white", plot_bgcolor="white",
        height=70 + len(categories) * row, showlegend=legend, bargap=0.5, bargroupgap=0.05,
        legend=dict(orientation="h", yanchor="top", y=-0.04, x=0, xanchor="left", traceorder="normal"),
        hoverlabel=dict(font=FONT), dragmode=False,
        annotations=[dict(x=0, xref="paper", y=c, yref="y", text=_wrap(c), showarrow=False, xanchor="left",
                          yanchor="bottom", yshift=10 + 7 * bars_per_row, align="left", font=dict(size=12.5))
                     for c in categories])
    figure.update_yaxes(autorange="reversed", fixedrange=True, showticklabels=False)
    figure.update_xaxes(fixedrange=True, gridcolor="#e5e9ee", zeroline=False, side="top")
    return figure


def _hover(value: float | None, n: int | None) -> str:
    if value is None:
        return "skjult (for få svar)"
    return f"{value:.0f} %" + (f" (n = {n})" if n is not None else "")


def share_bars(categories: list[str], series: list[Series], axis_title: str = "%") -> go.Figure:
    """Horizontal bars of shares (percent) per category; reference series as diamond markers."""
    figure = go.Figure()
    for k, s in enumerate(series):
        ns = s.ns or [None] * len(categories)
        hover = [_hover(v, n) for v, n in zip(s.values, ns)]
        if s.marker:
            figure.add_trace(go.Scatter(
                x=s.values, y=categories, name=s.name, mode="markers", hovertext=hover, hoverinfo="text+name",
                marker=dict(symbol="diamond", size=11, color="#1b1f24", line=dict(color="white", width=1))))
            continue
        figure.add_trace(go.Bar(
            x=[v if v is not None else 0 for v in s.values], y=categories, orientation="h", name=s.name,
            marker_color=PALETTE[k % len(PALETTE)], hovertext=hover, hoverinfo="text+name",
            text=[f"{v:.0f}" if v is not None else "–" for v in s.values], textposition="outside",
            cliponaxis=False))
    figure.update_xaxes(range=[0, 105], title=axis_title, ticksuffix="")
    bars = sum(1 for s in series if not s.marker)
    return _layout(figure.update_layout(barmode="group"), categories, legend=len(series) > 1, bars_per_row=bars)


def stacked_distribution(categories: list[str], option_labels: list[str],
                         percents: list[list[float] | None], ns: list[int | None],
                         colors: tuple[str, ...] = SEQUENTIAL) -> go.Figure:
    """100 % stacked horizontal bars: each category's distribution over ordered options."""
    figure = go.Figure()
    palette = _spread(colors, len(option_labels))
    for k, label in enumerate(option_labels):
        values = [row[k] if row is not None else None for row in percents]
        figure.add_trace(go.Bar(
            x=[v if v is not None else 0 for v in values], y=categories, orientation="h", name=label,
            marker_color=palette[k],
            hovertext=[_hover(v, n) for v, n in zip(values, ns)], hoverinfo="text+name"))
    figure.update_layout(barmode="stack")
    figure.update_xaxes(range=[0, 100], title="%")
    return _layout(figure, categories)


def diverging_bars(categories: list[str], option_labels: list[str], percents: list[list[float] | None],
                   ns: list[int | None]) -> go.Figure:
    """Agreement as diverging bars: disagreement to the left of 0, agreement to the right."""
    figure = go.Figure()
    half = len(option_labels) // 2
    order = list(range(half - 1, -1, -1)) + list(range(half, len(option_labels)))
    for k in order:
        sign = -1 if k < half else 1
        values = [row[k] if row is not None else None for row in percents]
        figure.add_trace(go.Bar(
            x=[sign * v if v is not None else 0 for v in values], y=categories, orientation="h",
            name=option_labels[k], legendrank=k,
            marker_color=DIVERGING[round(k * (len(DIVERGING) - 1) / max(1, len(option_labels) - 1))],
            hovertext=[_hover(v, n) for v, n in zip(values, ns)], hoverinfo="text+name"))
    figure.update_layout(barmode="relative")
    figure.update_xaxes(range=[-100, 100], tickvals=[-100, -50, 0, 50, 100], ticktext=["100", "50", "0", "50", "100"],
                        zeroline=True, zerolinecolor="#1b1f24")
    return _layout(figure, categories)


def heatmap(rows: list[str], columns: list[str], values: list[list[float | None]],
            ns: list[list[int | None]]) -> go.Figure:
    """Shares per row × column; suppressed cells stay blank and say why."""
    text = [[f"{v:.0f}" if v is not None else "–" for v in row] for row in values]
    hover = [[_hover(v, n) for v, n in zip(row, nrow)] for row, nrow in zip(values, ns)]
    figure = go.Figure(go.Heatmap(
        z=values, x=columns, y=[_wrap(r, 22) for r in rows], text=text, texttemplate="%{text}", hovertext=hover, hoverinfo="text",
        colorscale=[[0, "#f2f6fb"], [1, "#0b4f96"]], zmin=0, zmax=100, xgap=2, ygap=2, showscale=False))
    figure.update_xaxes(side="top", tickangle=-90, tickfont=dict(size=11.5))
    figure.update_yaxes(tickfont=dict(size=11.5))
    figure.update_layout(font=FONT, margin=dict(l=4, r=4, t=8, b=8), paper_bgcolor="white", plot_bgcolor="white",
                         height=120 + 46 * len(rows), dragmode=False)
    figure.update_yaxes(autorange="reversed", fixedrange=True, automargin=True)
    figure.update_xaxes(fixedrange=True, automargin=True)
    return figure


def trend_lines(labels: list[str], series: list[Series]) -> go.Figure:
    """Indicators across rounds of the same survey."""
    figure = go.Figure()
    for k, s in enumerate(series):
        figure.add_trace(go.Scatter(
            x=labels, y=s.values, name=s.name, mode="lines+markers", line=dict(color=PALETTE[k % len(PALETTE)]),
            hovertext=[_hover(v, n) for v, n in zip(s.values, s.ns or [None] * len(labels))], hoverinfo="text+name"))
    figure.update_layout(font=FONT, margin=dict(l=4, r=16, t=8, b=8), paper_bgcolor="white", plot_bgcolor="white",
                         height=320, dragmode=False, legend=dict(orientation="h", yanchor="top", y=-0.15, x=0))
    figure.update_yaxes(range=[0, 100], title="%", fixedrange=True, gridcolor="#e5e9ee")
    figure.update_xaxes(fixedrange=True)
    return figure


def _spread(colors: tuple[str, ...], count: int) -> list[str]:
    if count <= 1:
        return [colors[-1]]
    return [colors[round(k * (len(colors) - 1) / (count - 1))] for k in range(count)]
