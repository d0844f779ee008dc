"""The unit next to the level above and the national figures, for the key comparable share indicators."""
from __future__ import annotations

from flask_babel import gettext as _

from webapp.figures import charts
from webapp.services import reference
from webapp.services.panels.common import Context, Panel, n_range, pct


def build(ctx: Context) -> Panel | None:
    picked = _picked(ctx)
    if not picked:
        return None
    labels = [label for label, _u, _f in picked]
    series = [charts.Series(ctx.unit_label, [pct(u.share(f.codes)) for _l, u, f in picked],
                            [u.n for _l, u, f in picked])]
    if ctx.parent is not None:
        parents = [ctx.parent.figure(f.item) for _l, _u, f in picked]
        series.append(charts.Series(ctx.parent_label or "",
                                    [pct(p.share(f.codes)) for p, (_l, _u, f) in zip(parents, picked)],
                                    [p.n for p in parents]))
    series.append(charts.Series(_("National (NIFU 2023:15)"), [f.values["all"] for _l, _u, f in picked],
                                marker=True))
    rows = [[label, *["–" if s.values[k] is None else s.values[k] for s in series],
             reference.where_text(f.where, ctx.locale)]
            for k, (label, _u, f) in enumerate(picked)]
    return Panel("sammenligning", _("Compared with the national figures"),
                 _("Share answering as shown, next to the level above and NIFU report 2023:15"),
                 n_range([u.n for _l, u, _f in picked]), charts.share_bars(labels, series),
                 [_("Indicator"), *[s.name for s in series], _("Source")], rows)


def _picked(ctx: Context) -> list:
    """(label, the unit's figure, the national figure) of each item of the compared sections, once."""
    config, picked = ctx.config, []
    plain = [set(codes) for codes in config.plain_shares]
    for figure in ctx.reference:
        item = ctx.questionnaire.items.get(figure.item)
        if figure.group_by != "all" or item is None or item.section not in config.compared_sections:
            continue
        if ((item.type == "multi" and figure.codes != config.compared_multi_codes)
                or any(f.item == item.key for _l, _u, f in picked)):
            continue
        label = ctx.t(item.text).rstrip("?")
        if item.type == "multi" or set(figure.codes) not in plain:
            label += " (" + ", ".join(ctx.t(item.option(c).label) for c in figure.codes) + ")"
        picked.append((label, ctx.unit.figure(item.key), figure))
    return picked
