"""What every dashboard panel shares: the Panel it returns, the Context it reads, and their helpers."""
from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from webapp.domain.breakdowns import group_labels
from webapp.domain.dashboard_config import DashboardConfig
from webapp.domain.questionnaire import Item, Matrix, Questionnaire
from webapp.domain.texts import pick
from webapp.figures import charts, palettes
from webapp.services import reference
from webapp.services.leader import LeaderSide
from webapp.services.results import UnitFigures
from webapp.services.spreadsheet import people_csv, safe_row


@dataclass
class Panel:
    key: str
    title: str
    question: str
    n_text: str
    figure: charts.Spec
    header: list[str]
    rows: list[list[Any]]
    notes: list[str] = field(default_factory=list)
    # False when the unit's cells are hidden: the page says so, with no chart, table or file
    shown: bool = True

    def xlsx(self, about: Sequence[tuple[str, str]] = ()) -> bytes:
        """The table as an Excel workbook (the same rows as the CSV), below a title block of `about`
        (label, value) lines: what a sheet passed on by e-mail needs to be read on its own."""
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = self.key[:31]
        for label, value in about:
            sheet.append(safe_row([label, value]))
        if about:
            sheet.append([])
        sheet.append(safe_row([self.title]))
        sheet.append(safe_row([self.question, self.n_text]))
        sheet.append([])
        sheet.append(safe_row(self.header))
        for row in self.rows:
            sheet.append(safe_row(row))
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    def csv(self, locale: str) -> bytes:
        """The table as a CSV for people in the reader's language (services/spreadsheet.people_csv)."""
        return people_csv([self.header, *self.rows], locale)


History = Sequence[tuple[str, UnitFigures]]


@dataclass
class Context:
    """Everything a panel may read: the unit's published figures, the level above, the breakdown, the
    national figures, the same unit in earlier rounds, and the questionnaire's dashboard file."""

    questionnaire: Questionnaire
    config: DashboardConfig
    locale: str
    unit: UnitFigures
    parent: UnitFigures | None
    by_group: UnitFigures | None  # the breakdown named by config.pupil_groups.by
    reference: tuple[reference.ReferenceFigure, ...]
    unit_label: str
    parent_label: str | None
    history: History = ()  # (round name, figures), oldest first, this round included
    leaders: LeaderSide | None = None  # the leader side of the perception gap (services/leader.py)
    leader_reference: tuple[reference.LeaderRange, ...] = ()

    def t(self, texts) -> str:
        return pick(texts, self.locale)


# A panel module's builder: one panel, several (one per block), or None when there is nothing to show
Builder = Callable[[Context], "Panel | list[Panel] | None"]


def pct(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


def n_range(ns: list[int | None]) -> str:
    shown = [n for n in ns if n]  # groups nobody is in (n = 0) say nothing either
    if not shown:
        return _("too few answers to show")
    low, high = min(shown), max(shown)
    return f"n = {low}" if low == high else f"n = {low}–{high}"


def dash_note(values: list[list[float | None]]) -> list[str]:
    """The note a grid of shares needs when a cell shows «–» (in the chart and the table alike)."""
    return [_("«–»: too few answers in that group to be shown.")] if any(
        v is None for row in values for v in row) else []


def scale_colours(ctx: Context, scale: str | None, count: int) -> list[str]:
    """The colours of a stacked chart's options: diverging, ordered, or distinct hues for unordered ones."""
    colours = ctx.config.scale(scale).colours
    if colours == "diverging":
        return palettes.diverging(count)
    if colours == "most_first":
        return palettes.sequential(count, most_first=True)
    return palettes.qualitative(count)


def written_out_labels() -> dict[str, str]:
    """The group names a dashboard file may name by key (group_labels), in the page's language."""
    return {"miljoterapeut_bsv": _("Milieu therapist, social educator, social worker, child welfare "
                                   "worker or special needs educator")}


def group_names(ctx: Context, grouping: str) -> dict[str, str]:
    """The groups' names as the dashboard shows them: in the respondents' own words, not abbreviations.

    The questionnaire's v1 labels are published and cannot change; the dashboard file names the labels
    that were shorthand («Miljøterapeut/spesped/BSV») and the dashboard writes them out.
    """
    return group_names_of(ctx.questionnaire, ctx.config, ctx.locale, grouping)


def group_names_of(questionnaire: Questionnaire, config: DashboardConfig, locale: str,
                   grouping: str) -> dict[str, str]:
    """group_names outside a dashboard (the leader questionnaire names the groups the same way)."""
    names = {k: pick(v, locale) for k, v in group_labels(questionnaire, grouping).items()}
    texts = written_out_labels()
    for code, key in config.group_labels.get(grouping, {}).items():
        if code in names and key in texts:
            names[code] = texts[key]
    return names


def item_label(ctx: Context, item: Item, matrix: Matrix | None) -> str:
    """An item's text as a chart category: without the stem's «… » and «?», after its matrix group."""
    text = ctx.t(item.text).lstrip("… ").rstrip("?")
    if matrix is not None and item.group and matrix.groups:
        return f"{ctx.t(matrix.groups[item.group])}: {text}"
    return text


def pupil_groups(ctx: Context) -> list[tuple[str, str, str]]:
    """(label, work item key, need item key) for each pupil group with both items."""
    groups = ctx.config.pupil_groups
    work = ctx.questionnaire.section(groups.work.section) if groups else None
    if groups is None or work is None:
        return []
    out = []
    for item in work.items:
        need = groups.need.prefix + item.key.removeprefix(groups.work.prefix)
        if need in ctx.questionnaire.items:
            out.append((ctx.t(item.text).lstrip("… "), item.key, need))
    return out
