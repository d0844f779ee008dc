"""A scripted round for the privacy tests: answers arrive school by school, the worker's steps run as
the actors run them, and everything a reader can see is kept after every step.

A reader here is anyone with a role: they keep every page, download and API answer, so a snapshot is
every published number of every unit at every level, by every breakdown the product offers, read
through the export path that pages, downloads, the API and the CLI share.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from tests.integration import dashboard_outputs
from tests.integration.blocks import Reference, compare
from webapp.domain.breakdowns import GROUPINGS
from webapp.domain.simulate import simulate_answers
from webapp.extensions import db
from webapp.models import Kommune, Round, School
from webapp.services import aggregates, exports, org, publication, results, rounds
from webapp.services.answering import store_response
from webapp.services.surveys import questionnaire_of

# (level, unit id, grouping, group, item) → n, or None when the cell carries no number
Snapshot = dict[tuple[str, int, str, str, str], int | None]
RESPONDENTS = "_respondents"


@dataclass(frozen=True)
class AuditCourse:
    code: str
    areas: tuple[str, ...]
    yrkesgrupper: tuple[str, ...]
    format: str
    fee_nok: int = 1000
    funding_share: float = 0.0
    active: bool = True


def audit_courses(surveys_dir) -> tuple[AuditCourse, ...]:
    """Every area and format of the vocabulary, for everyone and for one or two groups: whatever a reason
    may quote."""
    from webapp.services import vocabulary

    words = vocabulary.load(surveys_dir)
    areas, formats, groups = words.area_codes, words.format_codes, words.yrkesgruppe_codes
    return tuple(AuditCourse(f"A{k}", (area, areas[(k + 3) % len(areas)]),
                             (() if k % 3 == 0 else groups[:1] if k % 3 == 1 else groups[1:3]),
                             formats[k % len(formats)]) for k, area in enumerate(areas))


@dataclass
class ScriptedRound:
    """An open round of the default questionnaire over the organisation in `org_csv`."""

    app: Any
    settings: Any
    org_csv: str
    name: str = "Revisjon"
    seed: int = 7
    threshold: int = 5
    snapshots: list[tuple[str, Snapshot]] = field(default_factory=list)
    released: list[dict] = field(default_factory=list)  # the reference's blocks at each snapshot
    gap_snapshots: list[dict] = field(default_factory=list)  # what `laget gaps` printed at each snapshot
    reason_snapshots: list[list] = field(default_factory=list)  # the reasons ranking gave at each snapshot
    perception_snapshots: list[list] = field(default_factory=list)  # the perception-gap panel's rows
    plan_snapshots: list[dict] = field(default_factory=list)  # the planner's input per school, each snapshot
    summary_snapshots: list[list] = field(default_factory=list)  # each unit's dashboard summary and gap rows
    plan_at: set[int] = field(default_factory=set)  # snapshots (by index) at which plans are made
    plan_runs: dict[int, dict] = field(default_factory=dict)  # index → every school's and kommune's plan

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        with self.app.app_context():
            org.import_org(db.session, self.org_csv)
            found = rounds.create_round(db.session, self.settings.surveys_dir, "kompetanse-og-anerkjennelse",
                                        self.name, privacy_threshold=self.threshold)
            rounds.set_status(db.session, self.name, "open")
            db.session.commit()
            self.round_id = found.id
            self.school_ids = {s.code: s.id for s in db.session.scalars(select(School))}
            self.kommune_ids = {k.name: k.id for k in db.session.scalars(select(Kommune))}
            self.units = aggregates.layout(db.session, found.id)
            self.reference = Reference(questionnaire_of(db.session, found.survey_version_id), self.units,
                                       self.threshold)
        self.live: set[int] = set()  # responses the worker has counted (refreshed into live figures)

    def _round(self) -> Round:
        return db.session.get(Round, self.round_id)

    def answer(self, code: str, count: int = 1, **fixed: Any) -> None:
        """Store `count` simulated responses at a school (as the submit does), without refreshing."""
        with self.app.app_context():
            found = self._round()
            questionnaire = questionnaire_of(db.session, found.survey_version_id)
            for _ in range(count):
                answers = simulate_answers(questionnaire, self.rng)
                answers.update(fixed)
                answers = {key: value for key, value in answers.items() if value is not None}
                store_response(db.session, questionnaire, found.id, self.school_ids[code], answers)
                self.reference.add(self.school_ids[code], answers)
            db.session.commit()

    def deliver(self, code: str, at: datetime | None = None, label: str | None = None) -> Snapshot:
        """The worker's aggregate_school for the school, then publish_round when it asks for one;
        return (and keep) what a reader sees afterwards."""
        with self.app.app_context():
            found = self._round()
            due = aggregates.refresh_school(db.session, found, self.school_ids[code], at=at)
            db.session.commit()
            self.live |= {r for r, (school, _g, _a) in enumerate(self.reference.responses)
                          if school == self.school_ids[code]}
            if due:
                publication.publish(db.session, self._round(), at=at)
                db.session.commit()
                self.reference.release_open(self.live)
        return self.keep(label or f"{code} delivered")

    def arrive(self, code: str, count: int = 1, at: datetime | None = None, **fixed: Any) -> Snapshot:
        """`count` answers at a school, each delivered by the worker as it comes in."""
        snapshot: Snapshot = {}
        for _ in range(count):
            self.answer(code, 1, **fixed)
            snapshot = self.deliver(code, at=at)
        return snapshot

    def close(self, at: datetime | None = None) -> Snapshot:
        """`laget round close`: answering stops, and the final figures are published."""
        with self.app.app_context():
            rounds.set_status(db.session, self.name, "closed")
            db.session.commit()
            aggregates.rebuild(db.session, self._round(), at=at)
            db.session.commit()
        self.reference.close()
        return self.keep("closed")

    def keep(self, label: str) -> Snapshot:
        snapshot = self.published()
        self.snapshots.append((label, snapshot))
        self.released.append(dict(self.reference.released))
        self.gap_snapshots.append(self.gaps())
        self.perception_snapshots.append(self.perception())
        self.plan_snapshots.append(self.plan_inputs())
        if len(self.snapshots) - 1 in self.plan_at:
            with self.app.app_context():
                self.plan_runs[len(self.snapshots) - 1] = dashboard_outputs.plan_runs(
                    db.session, self._round(), self.units,
                    dashboard_outputs.plan_courses(audit_courses(self.settings.surveys_dir)))
        return snapshot

    def plan_inputs(self) -> dict[int, tuple[dict, frozenset]]:
        """The course budget planner's input for every school, now, as a plan page builds it: matching
        stores the gaps from the published figures, and the planner reads them (services/planning.py)."""
        from webapp.services import matching, planning

        out = {}
        with self.app.app_context():
            found = self._round()
            matching.recompute(db.session, found, audit_courses(self.settings.surveys_dir),
                               self.settings.surveys_dir)
            db.session.commit()
            for school_id in self.units.schools:
                request = planning.PlanRequest(found.id, "school", school_id, 10_000)
                problem, _ = planning.problem_for(db.session, request)
                for school in problem.schools:
                    out[school_id] = (dict(school.needs), school.published_groups)
        return out

    def check_plans(self) -> list[str]:
        """At every step, the planner's input for every school is its published figures: per published
        group that group's need flag, and the rest («øvrige») the school's flag less those; a group whose
        flags the school's figures do not show is never named."""
        problems = []
        for (label, snapshot), inputs in zip(self.snapshots, self.plan_snapshots):
            for school, (needs, groups) in inputs.items():
                for area in sorted({a for _g, a in needs}):
                    flag = f"trenger_{area}"
                    planned = sum(n for (_g, a), n in needs.items() if a == area)
                    total = snapshot.get(("school", school, "all", "all", f"{flag}=ja"), 0)
                    if planned != total:
                        problems.append(f"«{label}» school {school} {area}: plans for {planned}, "
                                        f"published {total}")
                    for g in sorted(groups):
                        cell = ("school", school, "yrkesgruppe", g)
                        published = snapshot.get((*cell, flag))
                        shown = snapshot.get((*cell, f"{flag}=ja"), 0) if published else None
                        if needs.get((g, area), 0) != shown:
                            problems.append(f"«{label}» school {school} {g} {area}: plans for "
                                            f"{needs.get((g, area), 0)}, published {shown}")
        return problems

    def perception(self) -> list[tuple[str, int, list]]:
        """The perception-gap panel's rows at every unit, now, built as the dashboard builds it; the
        summary at the top of each unit's dashboard and its gap rows are kept beside them
        (dashboard_outputs.py), read from the same figures."""
        from webapp.services import dashboard_config, leader
        from webapp.services.dashboard import DashboardPage
        from webapp.services.panels import perception
        from webapp.services.panels.common import Context

        out, summaries = [], []
        with self.app.app_context():
            found = self._round()
            questionnaire, codebook = aggregates.codebook_of(db.session, found)
            config = dashboard_config.load(self.settings.surveys_dir, questionnaire.slug)

            def page_of(level, unit_id, unit, panels):
                return DashboardPage(found, level, unit_id, self.units, questionnaire, unit, None, None, "",
                                     None, panels, config)

            for level, unit_id in self.all_units():
                unit = results.unit_figures(db.session, found, level, unit_id, "")
                by_group = results.unit_figures(db.session, found, level, unit_id, "", "yrkesgruppe")
                side = leader.leader_side(db.session, found, level, unit_id)
                panel = perception.build(Context(questionnaire, config, "nb", unit, None, by_group, (), "",
                                                 None, (), side))
                out.append((level, unit_id, panel.rows if panel is not None else []))
                summaries.append(dashboard_outputs.summary(db.session, page_of, level, unit_id, unit,
                                                           by_group))
        self.summary_snapshots.append(summaries)
        return out

    def check_summaries(self) -> list[str]:
        """Every unit's dashboard summary and «Kompetansebehov» rows at every step: its published figures
        only (dashboard_outputs.check_summaries)."""
        with self.app.app_context():
            questionnaire = questionnaire_of(db.session, self._round().survey_version_id)
        areas = tuple(a.code for a in questionnaire.areas)
        return dashboard_outputs.check_summaries(self.snapshots, self.summary_snapshots, areas, RESPONDENTS)

    def check_plan_runs(self) -> list[str]:
        """The plans made at the snapshots in `plan_at`: their reasons and the areas they cannot count
        tell nothing the published figures don't (dashboard_outputs.check_plan_runs)."""
        with self.app.app_context():
            questionnaire = questionnaire_of(db.session, self._round().survey_version_id)
        areas = tuple(a.code for a in questionnaire.areas)
        return dashboard_outputs.check_plan_runs(self.snapshots, self.plan_runs, self.units, self.school_ids,
                                                 areas)

    def check_perception(self) -> list[str]:
        """Every staff number the perception-gap panel showed, at every step, is the published figure of
        its unit and group; a school names a group only where that figure is published; leader shares
        appear above the school only with the final figures (stored by the final publication), each of
        at least k leaders, a fylke's and the round's the sums of their kommuner's, and a unit's «all
        groups» is its groups' plus none or k or more."""
        from webapp.services import dashboard_config, leader
        from webapp.services.panels.common import group_names_of

        with self.app.app_context():
            questionnaire = questionnaire_of(db.session, self._round().survey_version_id)
            config = dashboard_config.load(self.settings.surveys_dir, questionnaire.slug)
            gap = config.perception_gap
            names = group_names_of(questionnaire, config, "nb", gap.by)
            groups = {name: code for code, name in names.items()}
            groups["Alle grupper"] = "all"
            staff_of = {label: pair.staff for pair in gap.pairs
                        for item, label in leader.statement_labels().items() if item == pair.leader}
        problems: list[str] = []
        for (label, snapshot), rows in zip(self.snapshots, self.perception_snapshots):
            leaders: dict[tuple, tuple[int, int]] = {}
            for level, unit, panel_rows in rows:
                for row in panel_rows:
                    if level == "school":
                        group, statement, share, n = groups[row[0]], row[1], row[3], row[4]
                    else:
                        statement, group, share, n = row[0], groups[row[1]], row[4], row[5]
                        if isinstance(row[2], float):
                            if label != "closed" or row[3] < self.threshold:
                                problems.append(f"«{label}» {level} {unit} {statement} {group}: "
                                                f"leader {row[2:4]}")
                            leaders[(level, unit, statement, group)] = (round(row[2] * row[3] / 100), row[3])
                    grouping = "all" if group == "all" else "yrkesgruppe"
                    cell = (level, unit, grouping, group, staff_of[statement])
                    published = snapshot.get(cell)
                    high = sum(snapshot.get((*cell[:4], f"{staff_of[statement]}={c}"), 0) for c in gap.codes)
                    expected = (round(100 * high / published, 1), published) if published else ("–", None)
                    if (share, n if n != "–" else None) != expected:
                        problems.append(f"«{label}» {cell}: panel {share}/{n}, published {expected}")
            problems += self._leader_sums(label, leaders)
        return problems

    def _leader_sums(self, label: str, leaders: dict[tuple, tuple[int, int]]) -> list[str]:
        problems = []
        for (level, unit, statement, group), (yes, n) in leaders.items():
            if level in ("fylke", "round"):
                kommuner = [k for k in self.units.kommuner
                            if level == "round" or self.units.fylke_of[k] == unit]
                parts = [leaders.get(("kommune", k, statement, group), (0, 0)) for k in kommuner]
                if (yes, n) != (sum(p[0] for p in parts), sum(p[1] for p in parts)):
                    problems.append(f"«{label}» {level} {unit} {statement} {group}: not its kommuner's sum")
            if group == "all":
                rest = n - sum(v[1] for key, v in leaders.items()
                               if key[:3] == (level, unit, statement) and key[3] != "all")
                if 0 < rest < self.threshold:
                    problems.append(f"«{label}» {level} {unit} {statement}: all groups minus the "
                                    f"groups = {rest}")
        return problems

    def gaps(self) -> dict[tuple, tuple[int, int] | None]:
        """What `laget gaps --by yrkesgruppe` prints for every unit, now: (n, need) per group and area,
        None for a group it says is suppressed. The reasons the ranking gives every course of
        audit_courses() at every unit, now, are kept beside them (check_reasons)."""
        from webapp.domain.matching import rank
        from webapp.services import gaps, matching

        out: dict[tuple, tuple[int, int] | None] = {}
        reasons: list[tuple[str, int, dict]] = []
        with self.app.app_context():
            found = self._round()
            wishes = matching.wishes(self.settings.surveys_dir)
            courses = audit_courses(self.settings.surveys_dir)
            for level, unit_id in self.all_units():
                result = gaps.unit_gaps(db.session, found, level, unit_id, "", gaps.BY)
                for entry in gaps.contract(found, result, gaps.BY)["areas"]:
                    key = (level, unit_id, entry["group"], entry.get("area"))
                    out[key] = None if entry.get("suppressed") else (entry["n"], entry["need"])
                reasons.extend((level, unit_id, m.as_json())
                               for m in rank(courses, matching.unit_needs(result), wishes))
        self.reason_snapshots.append(reasons)
        return out

    def check_reasons(self) -> list[str]:
        """Every number a course's reason quoted, at every step, is a published figure of its unit: the
        flag's need and n for the unit and for each group it names, and the format wish's count."""
        from webapp.services import matching

        wishes = matching.wishes(self.settings.surveys_dir)
        problems = []
        for (label, snapshot), reasons in zip(self.snapshots, self.reason_snapshots):
            for level, unit, detail in reasons:
                parts = detail["reasons"]
                quoted = [(("all", "all"), part["area"], part["need"], part["n"]) for part in parts]
                quoted += [(("yrkesgruppe", g["group"]), part["area"], g["need"], g["n"])
                           for part in parts for g in part["groups"]]
                for (grouping, group), area, need, n in quoted:
                    flag = f"trenger_{area}"
                    shown = (snapshot.get((level, unit, grouping, group, f"{flag}=ja")),
                             snapshot.get((level, unit, grouping, group, flag)))
                    if shown != (need, n):
                        problems.append(f"«{label}» {level} {unit} {group} {area}: quoted {need} of {n}, "
                                        f"published {shown}")
                if detail["format_yes"] is not None:
                    wish = wishes[detail["format"]]
                    shown = (snapshot.get((level, unit, "all", "all", f"onsket_format={wish}")),
                             snapshot.get((level, unit, "all", "all", "onsket_format")))
                    if shown != (detail["format_yes"], detail["format_n"]):
                        problems.append(f"«{label}» {level} {unit} {detail['format']}: quoted "
                                        f"{detail['format_yes']} of {detail['format_n']}, published {shown}")
        return problems

    def check_flags(self) -> list[str]:
        """Every published need flag, in every cell at every step, is the recode of its one item there:
        the same n, and «ja» the item's count of the answers that say so (docs/gaps.md). So a flag can
        show nothing its item's published figure does not."""
        with self.app.app_context():
            questionnaire = questionnaire_of(db.session, self._round().survey_version_id)
        problems = []
        for label, snapshot in self.snapshots:
            for key, n in snapshot.items():
                if not key[4].startswith("trenger_") or "=" in key[4] or not n:
                    continue
                area = next(a for a in questionnaire.areas if f"trenger_{a.code}" == key[4])
                item, option = area.fed_by[0] if area.fed_by else ("onsket_omrade", area.code)
                codes = (option,) if option is not None else ("4", "5")
                cell = key[:4]
                says = (snapshot.get((*cell, item)),
                        sum(snapshot.get((*cell, f"{item}={c}"), 0) for c in codes))
                flag = (n, snapshot.get((*cell, f"{key[4]}=ja"), 0))
                if says != flag:
                    problems.append(f"«{label}» {cell} {key[4]}: flag {flag}, {item} says {says}")
        return problems

    def check_gaps(self) -> list[str]:
        """Every gap printed at every step is the published need flag of its unit and group, and a group
        said to be suppressed has no published need flag: the gaps show nothing the audited figures do
        not."""
        problems = []
        for (label, snapshot), gaps in zip(self.snapshots, self.gap_snapshots):
            for (level, unit, group, area), value in gaps.items():
                grouping = "all" if group == "all" else "yrkesgruppe"
                cell = (level, unit, grouping, group)
                if value is None:
                    shown = [key[4] for key, n in snapshot.items()
                             if key[:4] == cell and key[4].startswith("trenger_") and "=" not in key[4] and n]
                    if shown:
                        problems.append(f"«{label}» {cell}: suppressed, but {shown} are published")
                    continue
                flag = f"trenger_{area}"
                if value != (snapshot.get((*cell, flag)), snapshot.get((*cell, f"{flag}=ja"), 0)):
                    problems.append(f"«{label}» {cell} {area}: gaps {value}, published "
                                    f"{snapshot.get((*cell, flag))}/{snapshot.get((*cell, f'{flag}=ja'))}")
        return problems

    def check_blocks(self) -> list[str]:
        """The product against the rule stated per respondent (blocks.py): its figures are the
        rule's sums at every step, and no class of respondents it never tells apart is small."""
        problems = []
        for (label, snapshot), released in zip(self.snapshots, self.released):
            problems.extend(compare(self.reference, released, snapshot, label))
        return problems + self.reference.small_classes(self.released)

    def published(self) -> Snapshot:
        """Every exported number of every unit and breakdown, now; for the grouping items (b_rolle …)
        also each option's count, under the item key `item=option`."""
        with self.app.app_context():
            found = self._round()
            questionnaire = questionnaire_of(db.session, found.survey_version_id)
            sources = {d.source: questionnaire.items[d.source].codes for d in questionnaire.derived.values()}
            out: Snapshot = {}
            for level, unit_id in self.all_units():
                for grouping in GROUPINGS:
                    figures = results.unit_figures(db.session, found, level, unit_id, str(unit_id), grouping)
                    exported = exports.as_json(figures, str(unit_id))
                    # A cell shows no numbers only when no block of its answers has been released
                    # (docs/privacy.md): the reader knows it adds 0 to that publication's table.
                    for group, n in exported["respondents"].items():
                        if grouping != "all" and group == "all":
                            continue  # the total, already read with the "all" breakdown
                        out[(level, unit_id, grouping, group, RESPONDENTS)] = n or 0
                    for entry in exported["items"]:
                        if grouping != "all" and entry["group"] == "all":
                            continue
                        out[(level, unit_id, grouping, entry["group"], entry["item"])] = entry.get("n", 0)
                        for code, count in (entry.get("counts") or {}).items():
                            out[(level, unit_id, grouping, entry["group"], f"{entry['item']}={code}")] = count
                        for code in sources.get(entry["item"], ()):
                            count = (entry.get("counts") or {}).get(code, 0)
                            out[(level, unit_id, grouping, entry["group"], f"{entry['item']}={code}")] = count
            return out

    def all_units(self) -> list[tuple[str, int]]:
        units = self.units
        return ([("round", 0)] + [("fylke", f) for f in sorted(set(units.fylke_of.values()))]
                + [("kommune", k) for k in sorted(set(units.kommune_of.values()))]
                + [("school", s) for s in units.schools])


def derived_breakdowns(questionnaire) -> list:
    """The breakdowns computed from a grouping item, with the group each of its options falls in."""
    from tests.integration.attacker import Derived

    return [Derived(name, d.source, {code: d.mapping.get(code, d.default)
                                     for code in questionnaire.items[d.source].codes
                                     if d.mapping.get(code, d.default) is not None})
            for name, d in questionnaire.derived.items()]


def small_differences(before: Snapshot, after: Snapshot, threshold: int) -> list[tuple[tuple, int]]:
    """Cells shown in both snapshots whose n moved by 1 … threshold − 1 (those people can be read off)."""
    return [(key, after[key] - before[key]) for key in before
            if before[key] is not None and after.get(key) is not None
            and 0 < abs(after[key] - before[key]) < threshold]


def small_parent_remainders(snapshot: Snapshot, units, threshold: int) -> list[tuple[tuple, int]]:
    """Shown parent cells minus their (all shown) children that leave 1 … threshold − 1 people."""
    found = []
    parents = [("round", 0)] + [("fylke", f) for f in set(units.fylke_of.values())] + \
        [("kommune", k) for k in set(units.kommune_of.values())]
    for level, unit in parents:
        child_level, children = units.children(level, unit)
        for (lv, u, grouping, group, item), n in snapshot.items():
            if (lv, u) != (level, unit) or n is None:
                continue
            parts = [snapshot.get((child_level, c, grouping, group, item)) for c in children]
            if any(p is None for p in parts):
                continue
            remainder = n - sum(parts)
            if 0 < remainder < threshold:
                found.append(((level, unit, grouping, group, item), remainder))
    return found
