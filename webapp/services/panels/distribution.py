"""A block of items drawn as the distribution of its answers, in the colours its scale calls for."""
from __future__ import annotations

from flask_babel import gettext as _

from webapp.domain.questionnaire import Item, Matrix
from webapp.figures import charts
from webapp.services.panels.common import Context, Panel, item_label, n_range, scale_colours


def build_block(ctx: Context, key: str, items: list[Item], stem, matrix: Matrix | None) -> Panel:
    options = [o for o in items[0].options if not o.na]
    labels = [ctx.t(o.label) for o in options]
    categories, percents, ns, rows = [], [], [], []
    for item in items:
        figure = ctx.unit.figure(item.key)
        shares = figure.percent()
        categories.append(item_label(ctx, item, matrix))
        percents.append([shares[o.code] for o in options] if shares else None)
        ns.append(figure.n)
        rows.append([categories[-1], *([shares[o.code] for o in options] if shares else ["–"] * len(options)),
                     figure.n if figure.n is not None else "–"])
    question = (ctx.t(stem) if matrix is not None or len(items) == 1
                else " / ".join(ctx.t(i.text) for i in items))
    colours = scale_colours(ctx, items[0].scale, len(labels))
    return Panel(key, _("Distribution of answers (%)"), question, n_range(ns),
                 charts.stacked_distribution(categories, labels, percents, ns, colours),
                 [_("Question"), *labels, "n"], rows)
