"""Dashboard panels for a school, a kommune or the round, built from published, suppressed figures."""
from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from webapp.domain.breakdowns import group_labels, group_values
from webapp.domain.questionnaire import Item, Matrix, Questionnaire
from webapp.domain.texts import pick
from webapp.figures import charts, palettes
from webapp.services import reference
from webapp.services.results import UnitFigures
from webapp.services.spreadsheet import safe_row

HIGH = ("4", "5")          # i stor / svært stor grad
AGREE = ("3", "4")         # enig / svært enig
SHARE_SCALES = {"grad5": HIGH, "grad5s": HIGH}
STACKED_SCALES = ("samsvar3", "niva4", "hyppighet6", "mote3", "samarbeid5")
SKIPPED_SECTIONS = ("samtykke", "bakgrunn")
DIVERGING_SCALES = ("samsvar3", "samarbeid5")  # poor … good, with a middle: orange, grey, blue
MOST_FIRST_SCALES = ("hyppighet6", "mote3")    # ordered, most first: darkest first, "never" the lightest


def scale_colours(scale: str | None, count: int) -> list[str]:
    """The colours of a stacked chart's options: diverging, ordered, or distinct hues for unordered ones."""
    if scale in DIVERGING_SCALES:
        return palettes.diverging(count)
    if scale in MOST_FIRST_SCALES:
        return palettes.sequential(count, most_first=True)
    return palettes.qualitative(count)


def agreement_title(key: str) -> str:
    """Say what is agreed with, not only «Agreement»."""
    titles = {"hinder": _("How far they agree that these hinder their professional development (%)"),
              "anerkjennelse": _("How far they agree with statements about their job (%)")}
    return titles.get(key, _("How far they agree with each statement (%)"))


def group_names(ctx: Context, grouping: str) -> dict[str, str]:
    """The groups' names as the dashboard shows them: in the respondents' own words, not abbreviations.

    The questionnaire's v1 labels are published and cannot change; the dashboard writes out the one
    label that was shorthand («Miljøterapeut/spesped/BSV»).
    """
    names = {k: ctx.t(v) for k, v in group_labels(ctx.questionnaire, grouping).items()}
    if grouping == "yrkesgruppe" and "miljoterapeut_bsv" in names:
        names["miljoterapeut_bsv"] = _("Milieu therapist, social educator, social worker, child welfare "
                                       "worker or special needs educator")
    return names


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

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(safe_row(self.header))
        writer.writerows(safe_row(row) for row in self.rows)
        return out.getvalue()


@dataclass
class Context:
    questionnaire: Questionnaire
    locale: str
    unit: UnitFigures
    parent: UnitFigures | None
    by_yrke: UnitFigures
    reference: tuple[reference.ReferenceFigure, ...]
    unit_label: str
    parent_label: str | None

    def t(self, texts) -> str:
        return pick(texts, self.locale)


def pct(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


def n_range(ns: list[int | None]) -> str:
    shown = [n for n in ns if n]  # groups nobody is in (n = 0) say nothing either
    if not shown:
        return _("too few answers to show")
    low, high = min(shown), max(shown)
    return f"n = {low}" if low == high else f"n = {low}–{high}"


TREND_INDICATORS = (("utnytte", HIGH), ("felles_kompetanseheving", HIGH),
                    ("utvikling_aktiviteter", ("ingen",)), ("fornoyd_jobb", AGREE),
                    ("verdsatt_ledelse", AGREE))


def trend_panel(ctx: Context, history: list[tuple[str, UnitFigures]]) -> Panel | None:
    """Key indicators of this unit across the rounds of the same questionnaire (two rounds or more)."""
    if len(history) < 2:
        return None
    labels = [name for name, _f in history]
    series, rows = [], []
    for key, codes in TREND_INDICATORS:
        item = ctx.questionnaire.items.get(key)
        if item is None:
            continue
        name = ctx.t(item.text).rstrip("?")
        if item.type == "multi":
            name = ", ".join(ctx.t(item.option(c).label) for c in codes)
        figures = [f.figure(key) for _n, f in history]
        values = [pct(f.share(codes)) for f in figures]
        series.append(charts.Series(name, values, [f.n for f in figures]))
        rows.append([name, *["–" if v is None else v for v in values]])
    return Panel("utvikling_over_tid", _("Over time"),
                 _("The same indicators in each round of this survey (%)"),
                 n_range([f.respondents.get("all") for _n, f in history]), charts.trend_lines(labels, series),
                 [_("Indicator"), *labels], rows)


def build_panels(ctx: Context, history: list[tuple[str, UnitFigures]] | None = None) -> list[Panel]:
    """Every panel of the dashboard, in questionnaire order, with the special views first."""
    panels = [need_panel(ctx), need_heatmap_panel(ctx), area_panel(ctx), trend_panel(ctx, history or [])]
    for section in ctx.questionnaire.sections:
        if section.key in SKIPPED_SECTIONS or section.key.startswith("elevgrupper"):
            continue
        blocks = _blocks(section)
        for key, items, stem, matrix in blocks:
            panel = item_panel(ctx, key, items, stem, matrix)
            if panel is not None:
                # Skip logic can leave a unit with too few answers to a question: nothing to draw or offer
                panel.shown = panel.shown and any(ctx.unit.figure(i.key).n for i in items)
                panels.append(panel)
    panels.append(comparison_panel(ctx))
    return [p for p in panels if p is not None]


def _blocks(section) -> list[tuple[str, list[Item], Any, Matrix | None]]:
    """Group a section's items into chartable blocks: a matrix, or consecutive items on one scale."""
    blocks: list[tuple[str, list[Item], Any, Matrix | None]] = []
    for element in section.elements:
        if isinstance(element, Matrix):
            blocks.append((element.key, list(element.rows), element.text, element))
        elif element.type in ("choice", "multi"):
            previous = blocks[-1] if blocks else None
            if (previous and previous[3] is None and previous[1][0].scale
                    and previous[1][0].scale == element.scale):
                previous[1].append(element)
            else:
                blocks.append((element.key, [element], element.text, None))
    return blocks


def item_panel(ctx: Context, key: str, items: list[Item], stem, matrix: Matrix | None) -> Panel | None:
    first = items[0]
    if first.type == "multi":
        return multi_panel(ctx, first)
    if first.scale in SHARE_SCALES:
        return share_panel(ctx, key, items, stem, SHARE_SCALES[first.scale],
                           _("Share «to a large» or «very large extent»"), matrix)
    if first.scale == "enig4":
        return agreement_panel(ctx, key, items, stem, matrix)
    if first.scale in STACKED_SCALES or first.type == "choice":
        return distribution_panel(ctx, key, items, stem, matrix)
    return None


def _label(ctx: Context, item: Item, matrix: Matrix | None) -> str:
    text = ctx.t(item.text).lstrip("… ").rstrip("?")
    if matrix is not None and item.group and matrix.groups:
        return f"{ctx.t(matrix.groups[item.group])}: {text}"
    return text


def share_panel(ctx: Context, key: str, items: list[Item], stem, codes: tuple[str, ...], what: str,
                matrix: Matrix | None) -> Panel:
    categories = [_label(ctx, i, matrix) for i in items]
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


def agreement_panel(ctx: Context, key: str, items: list[Item], stem, matrix: Matrix | None) -> Panel:
    options = [ctx.t(o.label) for o in items[0].options]
    categories, percents, ns, rows = [], [], [], []
    for item in items:
        figure = ctx.unit.figure(item.key)
        label = _label(ctx, item, matrix) + (" *" if item.reverse else "")
        categories.append(label)
        shares = figure.percent()
        percents.append([shares[c] for c in item.codes] if shares else None)
        ns.append(figure.n)
        national = reference.share(ctx.reference, item.key, AGREE)
        rows.append([label, *([shares[c] for c in item.codes] if shares else ["–"] * len(item.codes)),
                     pct(figure.share(AGREE)) if shares else "–", figure.n if figure.n is not None else "–",
                     national.values["all"] if national else "–"])
    notes = ([_("* negatively worded: agreeing is not a good sign here.")] if any(i.reverse for i in items)
             else [])
    header = [_("Statement"), *options, _("Agree in all (%)"), "n", _("National (NIFU 2023:15)")]
    return Panel(key, agreement_title(key), ctx.t(stem), n_range(ns),
                 charts.diverging_bars(categories, options, percents, ns), header, rows, notes)


def distribution_panel(ctx: Context, key: str, items: list[Item], stem, matrix: Matrix | None) -> Panel:
    options = [o for o in items[0].options if not o.na]
    labels = [ctx.t(o.label) for o in options]
    categories, percents, ns, rows = [], [], [], []
    for item in items:
        figure = ctx.unit.figure(item.key)
        shares = figure.percent()
        categories.append(_label(ctx, item, matrix))
        percents.append([shares[o.code] for o in options] if shares else None)
        ns.append(figure.n)
        rows.append([categories[-1], *([shares[o.code] for o in options] if shares else ["–"] * len(options)),
                     figure.n if figure.n is not None else "–"])
    question = (ctx.t(stem) if matrix is not None or len(items) == 1
                else " / ".join(ctx.t(i.text) for i in items))
    colours = scale_colours(items[0].scale, len(labels))
    return Panel(key, _("Distribution of answers (%)"), question, n_range(ns),
                 charts.stacked_distribution(categories, labels, percents, ns, colours),
                 [_("Question"), *labels, "n"], rows)


def multi_panel(ctx: Context, item: Item) -> Panel:
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


def _pupil_groups(ctx: Context) -> list[tuple[str, str, str]]:
    """(label, arbeid key, behov key) for each pupil group of section A."""
    out = []
    for item in ctx.questionnaire.section("elevgrupper_arbeid").items:
        group = item.key.removeprefix("arbeid_")
        if f"behov_{group}" in ctx.questionnaire.items:
            out.append((ctx.t(item.text).lstrip("… "), item.key, f"behov_{group}"))
    return out


def need_panel(ctx: Context) -> Panel:
    groups = _pupil_groups(ctx)
    works = [ctx.unit.figure(a) for _l, a, _b in groups]
    needs = [ctx.unit.figure(b) for _l, _a, b in groups]
    labels = [label for label, _a, _b in groups]
    series = [charts.Series(_("Work with the group"),
                            [pct(f.share(("3", "4", "5"))) for f in works], [f.n for f in works]),
              charts.Series(_("Need more competence"),
                            [pct(f.share(HIGH)) for f in needs], [f.n for f in needs])]
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


def area_panel(ctx: Context) -> Panel:
    """Competence need per competence area (the matching vocabulary): need from A2, wishes from H."""
    wished = ctx.unit.figure("onsket_omrade")
    labels, need, wish, rows = [], [], [], []
    for area in ctx.questionnaire.areas:
        behov = [key for key, option in area.fed_by if key.startswith("behov_")]
        formats = [(key, option) for key, option in area.fed_by if option is not None]
        need_figure = ctx.unit.figure(behov[0]) if behov else None
        need_value = pct(need_figure.share(HIGH)) if need_figure else None
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


def need_heatmap_panel(ctx: Context) -> Panel:
    groups = _pupil_groups(ctx)
    yrker = list(group_values(ctx.questionnaire, "yrkesgruppe"))
    names = group_names(ctx, "yrkesgruppe")
    values, ns = [], []
    for _label, _a, behov in groups:
        figures = [ctx.by_yrke.figure(behov, y) for y in yrker]
        values.append([pct(f.share(HIGH)) for f in figures])
        ns.append([f.n for f in figures])
    rows = [[label, *["–" if v is None else v for v in row]] for (label, _a, _b), row in zip(groups, values)]
    return Panel("behov_yrkesgruppe", _("Need for more competence by occupational group (%)"),
                 ctx.t(ctx.questionnaire.section("elevgrupper_behov").elements[0].text),
                 n_range([n for row in ns for n in row]),
                 charts.heatmap([label for label, _a, _b in groups], [names[y] for y in yrker], values, ns),
                 [_("Pupil group"), *[names[y] for y in yrker]], rows,
                 [_("Empty cells: too few answers in that group to be shown.")],
                 shown=any(v is not None for row in values for v in row))


COMPARED_SECTIONS = ("utdanning", "kompetanse", "utvikling", "anerkjennelse")


def comparison_panel(ctx: Context) -> Panel | None:
    """The unit next to its parent and the national figures, for the key comparable share indicators."""
    picked = []
    for figure in ctx.reference:
        item = ctx.questionnaire.items.get(figure.item)
        if figure.group_by != "all" or item is None or item.section not in COMPARED_SECTIONS:
            continue
        if ((item.type == "multi" and figure.codes != ("ingen",))
                or any(f.item == item.key for _l, _u, f in picked)):
            continue
        unit = ctx.unit.figure(item.key)
        label = ctx.t(item.text).rstrip("?")
        if item.type == "multi" or set(figure.codes) not in (set(HIGH), set(AGREE)):
            label += " (" + ", ".join(ctx.t(item.option(c).label) for c in figure.codes) + ")"
        picked.append((label, unit, figure))
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
