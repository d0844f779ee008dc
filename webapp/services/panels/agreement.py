"""A block of agree/disagree statements: every option from disagree to agree, and the share agreeing."""
from __future__ import annotations

from flask_babel import gettext as _

from webapp.domain.questionnaire import Item, Matrix
from webapp.figures import charts
from webapp.services import reference
from webapp.services.panels.common import Context, Panel, item_label, n_range, pct


def titles() -> dict[str, str]:
    """The titles a dashboard file may give a block by key (questions.titles), in the page's language."""
    return {"hindrances": _("How far they agree that these hinder their professional development (%)"),
            "job_statements": _("How far they agree with statements about their job (%)")}


def title(ctx: Context, key: str) -> str:
    """Say what is agreed with, not only «Agreement»."""
    named = titles().get(ctx.config.titles.get(key, ""))
    return named or _("How far they agree with each statement (%)")


def build_block(ctx: Context, key: str, items: list[Item], stem, codes: tuple[str, ...],
                matrix: Matrix | None) -> Panel:
    options = [ctx.t(o.label) for o in items[0].options]
    categories, percents, ns, rows = [], [], [], []
    for item in items:
        figure = ctx.unit.figure(item.key)
        label = item_label(ctx, item, matrix) + (" *" if item.reverse else "")
        categories.append(label)
        shares = figure.percent()
        percents.append([shares[c] for c in item.codes] if shares else None)
        ns.append(figure.n)
        national = reference.share(ctx.reference, item.key, codes)
        rows.append([label, *([shares[c] for c in item.codes] if shares else ["–"] * len(item.codes)),
                     pct(figure.share(codes)) if shares else "–", figure.n if figure.n is not None else "–",
                     national.values["all"] if national else "–"])
    notes = ([_("* negatively worded: agreeing is not a good sign here.")] if any(i.reverse for i in items)
             else [])
    header = [_("Statement"), *options, _("Agree in all (%)"), "n", _("National (NIFU 2023:15)")]
    return Panel(key, title(ctx, key), ctx.t(stem), n_range(ns),
                 charts.diverging_bars(categories, options, percents, ns), header, rows, notes)
