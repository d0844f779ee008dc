"""A plan's snapshot (services/planning.run_plan) as pages and downloads show it: labels in the reader's
language, totals, the comparison of two plans, and the CSV file."""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from webapp.domain.dates import shown_day
from webapp.services.spreadsheet import decimal_text, people_csv

Label = Callable[[str], str]
LineKey = tuple[str, str, str]  # (course, school, yrkesgruppe)


@dataclass(frozen=True)
class PlanView:
    snapshot: Mapping[str, Any]
    request: Mapping[str, Any]
    lines: list[dict[str, Any]]  # the snapshot's lines, with "group_label" and per close "label"
    areas: list[dict[str, Any]]  # with "label"
    schools: int  # how many schools the plan covers (a kommune plan names the school on every line)
    titles: Mapping[str, str]  # course code -> title, for pinned and dropped courses
    left: list[dict[str, Any]] = field(default_factory=list)  # why need is left, with "label" and "groups"
    unpublished: list[str] = field(default_factory=list)  # labels of the areas the planner cannot count

    @property
    def left_by_money(self) -> list[dict[str, Any]]:
        return [x for x in self.left if x["reason"] == "money"]

    @property
    def left_otherwise(self) -> list[dict[str, Any]]:
        return [x for x in self.left if x["reason"] != "money"]

    @property
    def greedy_share(self) -> float | None:
        total = self.snapshot.get("gap_total") or 0
        return 100 * self.snapshot["greedy"]["objective"] / total if total else None

    @property
    def figures_on(self) -> str | None:
        """The day the figures were published, as dates are written on the pages (dd.mm.yyyy)."""
        at = self.snapshot.get("figures_at")
        return shown_day(datetime.fromisoformat(at)) if at else None

    @property
    def greedy_equal(self) -> bool:
        """The plan closes what the simple rule does (to the shown decimal) for the same money."""
        greedy = self.snapshot["greedy"]
        return (round(greedy["objective"], 1) == round(self.snapshot["objective"], 1)
                and greedy["total_cost_nok"] == self.snapshot["total_cost_nok"])

    @property
    def share_closed(self) -> float | None:
        total = self.snapshot.get("gap_total") or 0
        return 100 * self.snapshot["objective"] / total if total else None

    def share_of(self, closed: float) -> float | None:
        """What part of the plan's whole need `closed` is, in per cent (a line's or an area's share)."""
        total = self.snapshot.get("gap_total") or 0
        return 100 * closed / total if total else None

    @property
    def budget_left(self) -> int:
        return int(self.request["budget_nok"]) - int(self.snapshot["total_cost_nok"])

    @property
    def pins(self) -> list[str]:
        return list(self.request.get("pins") or [])

    @property
    def excludes(self) -> list[str]:
        return list(self.request.get("excludes") or [])

    @property
    def beats_greedy(self) -> float:
        return self.snapshot["objective"] - self.snapshot["greedy"]["objective"]


def plan_view(snapshot: Mapping[str, Any], group_label: Label, area_label: Label,
              titles: Mapping[str, str]) -> PlanView:
    lines = [{**line, "group_label": group_label(line["yrkesgruppe"]),
              "closes": [{**c, "label": area_label(c["area"])} for c in line["closes"]]}
             for line in snapshot["lines"]]
    areas = [{**a, "label": area_label(a["area"])} for a in snapshot["areas"]]
    schools = len({a["school"] for a in snapshot["areas"]} | {line["school"] for line in snapshot["lines"]})
    left = [{**x, "label": area_label(x["area"]), "group_labels": [group_label(g) for g in x["groups"]]}
            for x in snapshot.get("left") or []]  # a plan saved before reasons were kept has none
    unpublished = [area_label(a) for a in snapshot.get("unpublished_areas") or []]
    return PlanView(snapshot, snapshot["request"], lines, areas, schools, titles, left, unpublished)


@dataclass(frozen=True)
class LineChange:
    course: str
    title: str
    school_name: str
    group_label: str
    before: int  # participants in the first plan
    after: int  # in the second
    cost_change: int


@dataclass(frozen=True)
class Comparison:
    first: PlanView
    second: PlanView
    added: list[LineChange]  # lines only the second plan has
    removed: list[LineChange]  # lines only the first has
    changed: list[LineChange]  # in both, with other participant numbers

    @property
    def objective_change(self) -> float:
        return self.second.snapshot["objective"] - self.first.snapshot["objective"]

    @property
    def cost_change(self) -> int:
        return int(self.second.snapshot["total_cost_nok"]) - int(self.first.snapshot["total_cost_nok"])

    @property
    def budget_change(self) -> int:
        return int(self.second.request["budget_nok"]) - int(self.first.request["budget_nok"])

    @property
    def same(self) -> bool:
        """The two plans have the same courses and participants (so the same cost and need met)."""
        return not (self.added or self.removed or self.changed)

    @property
    def share_change(self) -> int:
        """How many percentage points more of the need the second plan meets, as the shares are shown
        (whole per cent), so that the page's numbers add up."""
        return round(self.second.share_closed or 0) - round(self.first.share_closed or 0)

    @property
    def outcome(self) -> str:
        """What the sentence under «What the extra money buys» says: "same" plan, the "same_share" of the
        need met with other courses, or "more" or "less" of it."""
        if self.same:
            return "same"
        if self.share_change == 0:
            return "same_share"
        return "more" if self.share_change > 0 else "less"


def _by_key(view: PlanView) -> dict[LineKey, dict[str, Any]]:
    return {(ln["course"], ln["school"], ln["yrkesgruppe"]): ln for ln in view.lines}


def compare(first: PlanView, second: PlanView) -> Comparison:
    """What the second plan does differently: lines added, removed and changed (by course, school and
    yrkesgruppe), each with its participants and cost in both."""
    a, b = _by_key(first), _by_key(second)
    added, removed, changed = [], [], []
    for key in sorted(set(a) | set(b)):
        old, new = a.get(key), b.get(key)
        line = new or old
        assert line is not None
        change = LineChange(key[0], line["title"], line["school_name"], line["group_label"],
                            old["participants"] if old else 0, new["participants"] if new else 0,
                            (new["cost_nok"] if new else 0) - (old["cost_nok"] if old else 0))
        if old is None:
            added.append(change)
        elif new is None:
            removed.append(change)
        elif change.before != change.after:
            changed.append(change)
    return Comparison(first, second, added, removed, changed)


def plan_csv(view: PlanView, locale: str) -> bytes:
    """The plan's lines as a CSV for people (services/spreadsheet.people_csv), then the need per area.

    It says what the pages say: the share of the need each line meets, and each area's share met, in %.
    """
    def pct(value: float | None) -> float | str:
        return round(value, 1) if value is not None else "–"

    rows: list[list[Any]] = [[
        _("Course code"), _("Course"), _("Provider"), _("School code"), _("School"), _("Occupational group"),
        _("Participants"), _("Fee (NOK)"), _("Funding (NOK)"), _("Substitute cost (NOK)"),
        _("Cost (NOK)"), _("Need met (%)")]]
    for ln in view.lines:
        shares = [(c["label"], view.share_of(c["closed"])) for c in ln["closes"]]
        meets = ", ".join(f"{label}: {decimal_text(share, locale, 1)}" for label, share in shares
                          if share is not None)
        rows.append([ln["course"], ln["title"], ln["provider"], ln["school"], ln["school_name"],
                     ln["group_label"], ln["participants"], ln["fee_nok"], ln["funding_nok"],
                     ln["substitute_nok"], ln["cost_nok"], meets])
    s = view.snapshot
    rows.append([_("Total"), "", "", "", "", "", sum(ln["participants"] for ln in view.lines),
                 s["fee_nok"], s["funding_nok"], s["substitute_nok"], s["total_cost_nok"],
                 pct(view.share_closed)])
    rows.append([])
    rows.append([_("School code"), _("School"), _("Competence area"), _("People who need it"),
                 _("Trained"), _("Need met in the area (%)")])
    rows.extend([a["school"], a["school_name"], a["label"], a["need"], a["trained"],
                 pct(100 * a["closed"] / a["gap"] if a["gap"] else None)] for a in view.areas)
    return people_csv(rows, locale)


def course_titles(codes: Sequence[str], lookup: Mapping[str, str]) -> dict[str, str]:
    return {c: lookup.get(c, c) for c in codes}
