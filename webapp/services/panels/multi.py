"""A multi-choice item: the share who ticked each option, next to the national figure."""
from __future__ import annotations

from flask_babel import gettext as _

from webapp.domain.questionnaire import Item
from webapp.figures import charts
from webapp.services import reference
from webapp.services.panels.common import Context, Panel, n_range, pct


def build_item(ctx: Context, item: Item) -> Panel:
    figure = ctx.unit.figure(item.key)
    categories = [ctx.t(o.label) for o in item.options]
    values = [pct(figure.share((o.code,))) for o in item.options]
    series = [charts.Series(ctx.unit_label, values, [figure.n] * len(values))]
    national = [reference.share(ctx.reference, item.key, (o.code,)) for o in item.options]
    if any(national):
        series.append(charts.Series(_("National (NIFU 2023:15)"),
                                    [r.values["all"] if r else None for r in national], marker=True))
    rows = [[c, "–" if v is None else v, "–" if r is None else r.values["all"]]
            for c, v, r in zip(categories, values, national)]
    notes = sorted({_("National figure: %(where)s", where=reference.where_text(r.where, ctx.locale))
                    for r in national if r})
    return Panel(item.key, _("Share who ticked each option"), ctx.t(item.text), n_range([figure.n]),
                 charts.share_bars(categories, series),
                 [_("Option"), ctx.unit_label, _("National (NIFU 2023:15)")], rows, notes)
