"""«Kompetansebehov»: the gap per competence area (docs/gaps.md), overall and per yrkesgruppe.

Built from the unit's published figures only (services/gaps.py), like every panel: an area or a group
without published answers has no bar and no cell.
"""
from __future__ import annotations

from flask_babel import gettext as _

from webapp.domain.gaps import Gap
from webapp.domain.questionnaire import Area
from webapp.figures import charts, gap_chart
from webapp.services import gaps
from webapp.services.panels.common import Context, Panel, dash_note, group_names, n_range
from webapp.services.spreadsheet import decimal_text


def _unit_gaps(ctx: Context) -> gaps.UnitGaps:
    figures = ctx.by_group if ctx.by_group is not None and ctx.by_group.grouping == gaps.BY else ctx.unit
    return gaps.from_figures(ctx.questionnaire, figures)


def build(ctx: Context) -> list[Panel] | None:
    if not ctx.questionnaire.areas:
        return None
    result = _unit_gaps(ctx)
    return [overall(ctx, result), by_group(ctx, result)]


def kinds() -> dict[bool, str]:
    """The chart's two series: the need asked about a pupil group (True), or a wish (False)."""
    return {True: _("Need more competence with the pupil group"), False: _("Want to learn more (wishes)")}


def _asked_as_need(area: Area) -> bool:
    """An area fed by a pupil-group item (option None) counts need; one fed by a wish or a wished
    format, or by `onsket_omrade` alone, counts wishes (domain/needs.py)."""
    return any(option is None for _key, option in area.fed_by)


def overall(ctx: Context, result: gaps.UnitGaps) -> Panel:
    """Every area of the questionnaire: the published ones, largest gap first, then those hidden here."""
    found = result.gaps.get("all", {})
    ordered = sorted(found.values(), key=lambda g: (-g.score, g.area))
    hidden = [a for a in ctx.questionnaire.areas if a.code not in found]
    areas = {a.code: a for a in ctx.questionnaire.areas}
    names = [ctx.t(areas[g.area].label) for g in ordered] + [ctx.t(a.label) for a in hidden]
    blank: list[None] = [None] * len(hidden)
    figure = gap_chart.gap_bars(names, [g.share for g in ordered] + blank, [g.low for g in ordered] + blank,
                                [g.high for g in ordered] + blank, [g.n for g in ordered] + blank,
                                [kinds()[_asked_as_need(areas[a])] for a in [g.area for g in ordered]
                                 + [a.code for a in hidden]])
    rows = [[name, g.need, g.n, g.share, _interval(g, ctx.locale), g.score]
            for name, g in zip(names, ordered)] + [[name] + ["–"] * 5 for name in names[len(ordered):]]
    notes = [_("Need more: for an area about a pupil group, answered «to a large» or «very large "
               "extent» about that group; for the trade certificate, ticked that format; for the other "
               "areas, chose the area among their wishes. n: those who answered that question. The line "
               "on each bar shows how uncertain the share is. The gap score (0–100) weighs the share by "
               "how strongly they need it and how much they work with the pupil group.")]
    notes += [_("%(area)s: too few answers to its question here to be shown.", area=ctx.t(a.label))
              for a in hidden]
    return Panel("kompetansebehov", _("Competence needs"),
                 _("Share who need more competence in each area, with its uncertainty, largest gap first"),
                 n_range([g.n for g in ordered]), figure,
                 [_("Competence area"), _("Need more"), "n", _("Share (%)"), _("Interval (95 %)"),
                  _("Gap score")], rows, notes, shown=bool(ordered))


def by_group(ctx: Context, result: gaps.UnitGaps) -> Panel:
    groups = [g for g in result.groups[1:] if not result.suppressed(g)]
    names = group_names(ctx, gaps.BY) if groups else {}
    overall_gaps = result.gaps.get("all", {})
    areas = sorted(overall_gaps.values(), key=lambda g: (-g.score, g.area))
    labels = {a.code: ctx.t(a.label) for a in ctx.questionnaire.areas}
    values: list[list[float | None]] = []
    ns: list[list[int | None]] = []
    for area in areas:
        cells: list[Gap | None] = [result.gaps[g].get(area.area) for g in groups]
        values.append([c.share if c else None for c in cells])
        ns.append([c.n if c else None for c in cells])
    rows = [[labels[a.area], *["–" if v is None else v for v in row]] for a, row in zip(areas, values)]
    columns = [names[g] for g in groups]
    return Panel("kompetansebehov_yrkesgruppe", _("Competence needs by occupational group (%)"),
                 _("Share who need more competence in each area, in each occupational group with enough "
                   "answers to be shown"),
                 n_range([n for row in ns for n in row]),
                 charts.heatmap([labels[a.area] for a in areas], columns, values, ns) if groups and areas
                 else {"data": [], "layout": {}},
                 [_("Competence area"), *columns], rows,
                 dash_note(values),
                 shown=bool(groups) and any(v is not None for row in values for v in row))


def _interval(gap: Gap, locale: str) -> str:
    return f"{decimal_text(gap.low, locale, 1)}–{decimal_text(gap.high, locale, 1)}"
