"""Competence need per competence area (the matching vocabulary): need from the pupil groups, wishes."""
from __future__ import annotations

from flask_babel import gettext as _

from webapp.figures import charts
from webapp.services.panels.common import Context, Panel, n_range, pct


def build(ctx: Context) -> Panel | None:
    """Need from A2 where an area has a need item, wishes from H (the wishes item, or a format's option)."""
    groups, wishes = ctx.config.pupil_groups, ctx.config.wishes
    if groups is None or wishes is None:
        return None
    wished = ctx.unit.figure(wishes)
    labels, need, wish, rows = [], [], [], []
    for area in ctx.questionnaire.areas:
        behov = [key for key, option in area.fed_by if key.startswith(groups.need.prefix)]
        formats = [(key, option) for key, option in area.fed_by if option is not None]
        need_figure = ctx.unit.figure(behov[0]) if behov else None
        need_value = pct(need_figure.share(groups.need.codes)) if need_figure else None
        if formats:
            key, option = formats[0]
            wish_value = pct(ctx.unit.figure(key).share((option,)))
        else:
            wish_value = pct(wished.share((area.code,)))
        labels.append(ctx.t(area.label))
        need.append(need_value)
        wish.append(wish_value)
        rows.append([labels[-1], "–" if need_value is None else need_value,
                     "–" if wish_value is None else wish_value])
    series = [charts.Series(_("Need more competence"), need), charts.Series(_("Want to learn more"), wish)]
    return Panel("kompetanseomrader", _("Competence need per area"),
                 _("Need for more competence with a pupil group, and wishes for what to learn, "
                   "per competence area"),
                 n_range([wished.n]), charts.share_bars(labels, series),
                 [_("Competence area"), _("Need more (%)"), _("Want to learn (%)")], rows,
                 [_("«Need more competence»: share of those who work with the pupil group who need more to a "
                    "large or very large extent; areas without such a question show only wishes. «Want to "
                    "learn more»: share who chose the area among their (at most three) wishes.")])
