"""«Leaders and staff»: the perception gap between the school leaders' yes/no and the staff's answers.

At a school, the leader's answer per yrkesgruppe beside the staff share «to a large» or «very large
extent» of the mirrored item — only where that staff figure is published: a group without one is not
named at all, not even with the leader's answer (docs/privacy.md, «Leader answers»). Above the school,
the share of leaders who said yes, counted in blocks once, at the round's final publication, and stored
(services/leader.py), beside the published staff share.
"""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from webapp.domain.dashboard_config import Mirror, PerceptionGap
from webapp.domain.dates import shown_day
from webapp.domain.leader import ALL
from webapp.figures import charts
from webapp.services import reference
from webapp.services.leader import LeaderSide, statement_labels
from webapp.services.panels.common import Context, Panel, group_names, n_range, pct
from webapp.services.results import Figure

KEY = "leder_og_ansatte"


def build(ctx: Context) -> Panel | None:
    gap, side = ctx.config.perception_gap, ctx.leaders
    if gap is None or side is None or ctx.by_group is None or ctx.by_group.grouping != gap.by:
        return None
    return school_panel(ctx, gap, side) if side.level == "school" else unit_panel(ctx, gap, side)


def _title() -> str:
    return _("Leaders and staff: how they see the use of competence")


def _staff(ctx: Context, pair: Mirror, group: str) -> Figure:
    return ctx.unit.figure(pair.staff) if group == ALL else ctx.by_group.figure(pair.staff, group)  # type: ignore[union-attr]


def school_panel(ctx: Context, gap: PerceptionGap, side: LeaderSide) -> Panel | None:
    """The leader's yes/no beside each published staff share; None when the leader has not answered."""
    if side.answered_at is None:
        return None
    names, labels = group_names(ctx, gap.by), statement_labels()
    words = {True: _("yes"), False: _("no"), None: _("not answered")}
    rows, categories, values, ns = [], [], [], []
    for pair in gap.pairs:
        for group in ctx.by_group.groups[1:]:  # type: ignore[union-attr]
            staff = _staff(ctx, pair, group)
            if staff.suppressed:  # no published staff figure: the group is not named at all
                continue
            said = (_("the group is not at the school") if group in side.absent
                    else words[side.statements.get((pair.leader, group))])
            share = pct(staff.share(gap.codes))
            rows.append([names[group], labels[pair.leader], said, "–" if share is None else share, staff.n])
            categories.append(_("%(group)s: %(statement)s (leader: %(said)s)", group=names[group],
                                statement=labels[pair.leader], said=said))
            values.append(share)
            ns.append(staff.n)
    if not rows:
        return None
    figure = charts.share_bars(categories, [charts.Series(_("Staff: to a large or very large extent"),
                                                          values, ns)])
    notes = [_("The leader's answers are the school management's own statement about the school, not an "
               "anonymous survey answer; saved %(day)s.", day=shown_day(side.answered_at)),
             _("Only groups whose staff figures are shown here are listed.")] + _national(ctx)
    return Panel(KEY, _title(), _("The school leader's yes or no, next to the share of staff who answer "
                                  "«to a large» or «very large extent» to the same statement"),
                 n_range(ns), figure,
                 [_("Occupational group"), _("Statement"), _("Leader"), _("Staff (%)"), "n"], rows, notes)


def unit_panel(ctx: Context, gap: PerceptionGap, side: LeaderSide) -> Panel:
    """The share of leaders who said yes beside the staff share, overall and per group."""
    names, labels = {ALL: _("All groups"), **group_names(ctx, gap.by)}, statement_labels()
    threshold = ctx.unit.threshold
    rows: list[list[Any]] = []
    categories, leader_values, leader_ns, staff_values, staff_ns = [], [], [], [], []
    for pair in gap.pairs:
        for group in ctx.by_group.groups:  # type: ignore[union-attr]  # "all" first
            staff = _staff(ctx, pair, group)
            found = side.shares.get((pair.leader, group))
            if group != ALL and staff.suppressed and found is None:
                continue
            if found is not None:
                leader_cell: Any = pct(found.share)
            elif side.closed and not side.counted:
                leader_cell = _("with the final figures")
            elif not side.counted:
                leader_cell = _("when the round is closed")
            else:
                leader_cell = _("hidden (fewer than %(k)d leaders)", k=threshold)
            share = pct(staff.share(gap.codes))
            rows.append([labels[pair.leader], names[group], leader_cell, found.n if found else "–",
                         "–" if share is None else share, staff.n if staff.n else "–"])
            categories.append(f"{labels[pair.leader]}: {names[group]}")
            leader_values.append(pct(found.share) if found else None)
            leader_ns.append(found.n if found else None)
            staff_values.append(share)
            staff_ns.append(staff.n)
    series = [charts.Series(_("Leaders: yes"), leader_values, leader_ns),
              charts.Series(_("Staff: to a large or very large extent"), staff_values, staff_ns)]
    notes = [_counting_note(side, threshold),
             _("For all groups together, the leaders' n counts their answers: one per group at each school.")]
    return Panel(KEY, _title(), _("Share of school leaders who answer yes, next to the share of staff who "
                                  "answer «to a large» or «very large extent» to the same statement"),
                 n_range([n for n in staff_ns + leader_ns if n]), charts.share_bars(categories, series),
                 [_("Statement"), _("Occupational group"), _("Leaders: yes (%)"), _("Leaders (n)"),
                  _("Staff (%)"), _("Staff (n)")], rows, notes + _national(ctx),
                 shown=any(v is not None for v in leader_values + staff_values))


def _counting_note(side: LeaderSide, threshold: int) -> str:
    if side.closed and not side.counted:
        return _("The leaders' answers are counted here once, when the round's final figures are published, "
                 "so that no one leader's answer can be read from how the figure changes.")
    if not side.counted:
        return _("The leaders' answers are counted here once the round is closed, so that no one leader's "
                 "answer can be read from how the figure changes.")
    return _("The leaders' answers are counted per kommune, for a statement and group that at least %(k)d "
             "leaders answered, and only where the staff figure is shown at the leader's own school. A fylke "
             "and the whole round add up their kommuner.", k=threshold)


def _national(ctx: Context) -> list[str]:
    """NIFU 2023:15's leader figures as context: ranges over the groups, not comparable as they stand."""
    labels, out = statement_labels(), []
    for found in ctx.leader_reference:
        if found.item in labels:
            where = reference.where_text(found.where, ctx.locale)
            out.append(_("Nationally (NIFU 2023:15, %(where)s): %(low)d–%(high)d per cent of school leaders "
                         "said yes to «%(statement)s» for the different groups.", where=where, low=found.low,
                         high=found.high, statement=labels[found.item]))
    national = ctx.config.perception_gap.national_staff if ctx.config.perception_gap else None
    staff = reference.share(ctx.reference, national.item, national.codes) if national else None
    if out and staff is not None:
        out.append(_("Of the staff, %(share)d per cent said they take part in joint competence development "
                     "with teachers at least «to some extent». The report notes that the leaders' and the "
                     "staff's questions are not directly comparable.", share=staff.values["all"]))
    return out
