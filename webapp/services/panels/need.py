"""Competence need per pupil group: who works with each group, and how many of them need more for it."""
from __future__ import annotations

from flask_babel import gettext as _

from webapp.figures import charts
from webapp.services.panels.common import Context, Panel, n_range, pct, pupil_groups


def build(ctx: Context) -> Panel | None:
    groups, config = pupil_groups(ctx), ctx.config.pupil_groups
    if not groups or config is None:
        return None
    works = [ctx.unit.figure(a) for _l, a, _b in groups]
    needs = [ctx.unit.figure(b) for _l, _a, b in groups]
    labels = [label for label, _a, _b in groups]
    series = [charts.Series(_("Work with the group"),
                            [pct(f.share(config.work.codes)) for f in works], [f.n for f in works]),
              charts.Series(_("Need more competence"),
                            [pct(f.share(config.need.codes)) for f in needs], [f.n for f in needs])]
    rows = [[label, s0, w.n if w.n is not None else "–", s1, n.n if n.n is not None else "–"]
            for label, s0, w, s1, n in zip(labels, series[0].values, works, series[1].values, needs)]
    rows = [[c if c is not None else "–" for c in row] for row in rows]
    return Panel("behov", _("Competence need per pupil group"),
                 _("Who works with each pupil group, and how many of them need more competence for it"),
                 n_range([f.n for f in works]), charts.share_bars(labels, series),
                 [_("Pupil group"), _("Work with it (%)"), "n", _("Need more (%)"), "n"], rows,
                 [_("«Work with the group»: contributed to the school's work with the group to some extent "
                    "or more. «Need more competence»: to a large or very large extent; asked only of those "
                    "who work with the group.")])
