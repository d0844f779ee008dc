"""A block of items drawn as the share answering in its scale's share codes, next to the level above
and the national figure."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from webapp.domain.questionnaire import Item, Matrix
from webapp.figures import charts
from webapp.services import reference
from webapp.services.panels.common import Context, Panel, item_label, n_range, pct


def build_block(ctx: Context, key: str, items: list[Item], stem, codes: tuple[str, ...],
                matrix: Matrix | None) -> Panel:
    what = _("Share «to a large» or «very large extent»")
    categories = [item_label(ctx, i, matrix) for i in items]
    unit = [ctx.unit.figure(i.key) for i in items]
    series = [charts.Series(ctx.unit_label, [pct(f.share(codes)) for f in unit], [f.n for f in unit])]
    header = [_("Statement"), ctx.unit_label, "n"]
    if ctx.parent is not None:
        parent = [ctx.parent.figure(i.key) for i in items]
        series.append(charts.Series(ctx.parent_label or "", [pct(f.share(codes)) for f in parent],
                                    [f.n for f in parent]))
        header += [ctx.parent_label or "", "n"]
    national = [reference.share(ctx.reference, i.key, codes) for i in items]
    if any(national):
        series.append(charts.Series(_("National (NIFU 2023:15)"),
                                    [r.values["all"] if r else None for r in national], marker=True))
        header.append(_("National (NIFU 2023:15)"))
    rows = []
    for k, category in enumerate(categories):
        row: list[Any] = [category]
        for s in series:
            value = s.values[k]
            row.append("–" if value is None else value)
            if not s.marker:
                row.append(s.ns[k] if s.ns and s.ns[k] is not None else "–")
        rows.append(row)
    notes = [_("National figure: %(where)s", where=reference.where_text(r.where, ctx.locale))
             for r in national if r]
    return Panel(key, what, ctx.t(stem), n_range([f.n for f in unit]), charts.share_bars(categories, series),
                 header, rows, sorted(set(notes)))
