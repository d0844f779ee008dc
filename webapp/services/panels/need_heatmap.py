"""Need for more competence per pupil group and occupational group, as a heatmap."""
from __future__ import annotations

from flask_babel import gettext as _

from webapp.domain.breakdowns import group_values
from webapp.figures import charts
from webapp.services.panels.common import Context, Panel, dash_note, group_names, n_range, pct, pupil_groups


def build(ctx: Context) -> Panel | None:
    groups, config = pupil_groups(ctx), ctx.config.pupil_groups
    need_section = ctx.questionnaire.section(config.need.section) if config else None
    if not groups or config is None or ctx.by_group is None or need_section is None:
        return None
    columns = list(group_values(ctx.questionnaire, config.by))
    names = group_names(ctx, config.by)
    values, ns = [], []
    for _label, _a, behov in groups:
        figures = [ctx.by_group.figure(behov, y) for y in columns]
        values.append([pct(f.share(config.need.codes)) for f in figures])
        ns.append([f.n for f in figures])
    rows = [[label, *["–" if v is None else v for v in row]] for (label, _a, _b), row in zip(groups, values)]
    return Panel("behov_yrkesgruppe", _("Need for more competence by occupational group (%)"),
                 ctx.t(need_section.elements[0].text),
                 n_range([n for row in ns for n in row]),
                 charts.heatmap([label for label, _a, _b in groups], [names[y] for y in columns], values, ns),
                 [_("Pupil group"), *[names[y] for y in columns]], rows,
                 dash_note(values),
                 shown=any(v is not None for row in values for v in row))
