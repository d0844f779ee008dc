"""The privacy audit: try to recover every suppressed cell from everything exported, and fail to.

Everything published for a round — every unit at every level, by every breakdown — is read through
the export path. Each hidden cell becomes an unknown; every published number gives linear
constraints (a unit's groups plus its people without a group make its total; the children of a unit
make the unit). Linear programming then finds the smallest and largest value each hidden cell could
have. A cell with people in it is recovered when both are equal; none may be.
"""
from __future__ import annotations

import random

import numpy as np
import pytest
from scipy.optimize import linprog

from webapp.domain.breakdowns import GROUPINGS
from webapp.domain.simulate import simulate_answers
from webapp.extensions import db
from webapp.services import aggregates, exports, org, results, rounds
from webapp.services.answering import store_response
from webapp.services.surveys import questionnaire_of

AUDITED = ["_respondents", "utnytte", "behov_fravaer", "samarbeid_ppt", "utvikling_aktiviteter",
           "b_stillingsprosent", "hinder_vikar", "fornoyd_jobb", "utvikling_effekt"]
SIZES = {"A1": 23, "A2": 4, "A3": 9, "B1": 14, "B2": 6, "C1": 3, "C2": 17}
ORG = """kommune,fylke,school_code,school_name,skoleslag
Alfa,Nord,A1,A1 skole,grunnskole
Alfa,Nord,A2,A2 skole,grunnskole
Alfa,Nord,A3,A3 skole,vgs
Beta,Nord,B1,B1 skole,grunnskole
Beta,Nord,B2,B2 skole,grunnskole
Gamma,Sør,C1,C1 skole,grunnskole
Gamma,Sør,C2,C2 skole,vgs
"""


@pytest.fixture()
def audited_round(app, settings):
    with app.app_context():
        org.import_org(db.session, ORG)
        found = rounds.create_round(db.session, settings.surveys_dir, "kompetanse-og-anerkjennelse", "Revisjon")
        rounds.set_status(db.session, "Revisjon", "open")
        questionnaire = questionnaire_of(db.session, found.survey_version_id)
        units = aggregates.layout(db.session, found.id)
        codes = {s.code: s.id for s in db.session.scalars(db.select(org.School))}
        rng = random.Random(99)
        for code, size in SIZES.items():
            for _ in range(size):
                store_response(db.session, questionnaire, found.id, codes[code], simulate_answers(questionnaire, rng))
        aggregates.rebuild(db.session, found)
        db.session.commit()
        return found.id, units


def published_everything(found, units) -> dict:
    """Every exported number: (level, unit, grouping, group, item) → n, or None when suppressed."""
    session = db.session
    names = {("round", 0): found.name}
    for level, ids in (("fylke", set(units.fylke_of.values())), ("kommune", set(units.kommune_of.values())),
                       ("school", set(units.schools))):
        for unit_id in ids:
            names[(level, unit_id)] = str(unit_id)
    out = {}
    for (level, unit_id), name in names.items():
        for grouping in GROUPINGS:
            exported = exports.as_json(results.unit_figures(session, found, level, unit_id, name, grouping), name)
            for group, n in exported["respondents"].items():
                out[(level, unit_id, grouping, group, "_respondents")] = n
            for entry in exported["items"]:
                out[(level, unit_id, grouping, entry["group"], entry["item"])] = entry.get("n")
    return out


def true_values(found) -> dict:
    """The live figures (never exported), to know which hidden cells hold people."""
    from sqlalchemy import select

    from webapp.domain.breakdowns import group_values
    from webapp.models import Aggregate
    from webapp.services.aggregates import codebook_of, decode_counts, item_ns

    questionnaire, codebook = codebook_of(db.session, found)
    keys = ["_respondents"] + [i.key for i in codebook.items]
    truth = {}
    for row in db.session.scalars(select(Aggregate).where(Aggregate.round_id == found.id, Aggregate.kind == "live")):
        ns = item_ns(codebook, decode_counts(codebook, row), row.group_respondents)
        for k, group in enumerate(group_values(questionnaire, row.grouping)):
            for j, key in enumerate(keys):
                truth[(row.level, row.unit_id, row.grouping, group, key)] = int(ns[k, j])
    return truth


def constraints(published: dict, units, item: str):
    """Variables for hidden cells and people outside every group; equalities from the published numbers."""
    variables: dict[tuple, int] = {}

    def term(level, unit, grouping, group):
        value = published.get((level, unit, grouping, group, item))
        if value is not None:
            return None, value
        key = (level, unit, grouping, group)
        return variables.setdefault(key, len(variables)), 0

    rows = []  # (coefficients {var: c}, constant) meaning Σ c·x = constant
    unit_list = [("round", 0)] + [("fylke", f) for f in set(units.fylke_of.values())] + \
        [("kommune", k) for k in set(units.kommune_of.values())] + [("school", s) for s in units.schools]
    for level, unit in unit_list:
        for grouping in GROUPINGS[1:]:
            groups = {g for (lv, u, gr, g, it) in published if (lv, u, gr, it) == (level, unit, grouping, item) and g != "all"}
            coeffs, constant = {}, 0
            var, value = term(level, unit, "all", "all")
            if var is None:
                constant += value
            else:
                coeffs[var] = coeffs.get(var, 0) - 1
            for group in groups:
                var, value = term(level, unit, grouping, group)
                if var is None:
                    constant -= value
                else:
                    coeffs[var] = coeffs.get(var, 0) + 1
            outside = variables.setdefault(("outside", level, unit, grouping), len(variables))
            coeffs[outside] = 1
            rows.append((coeffs, constant))
        below = units.children(level, unit)
        if below is None:
            continue
        child_level, children = below
        for grouping in GROUPINGS:
            groups = {g for (lv, u, gr, g, it) in published if (lv, u, gr, it) == (level, unit, grouping, item)}
            for group in groups:
                coeffs, constant = {}, 0
                var, value = term(level, unit, grouping, group)
                if var is None:
                    constant += value
                else:
                    coeffs[var] = -1
                for child in children:
                    var, value = term(child_level, child, grouping, group)
                    if var is None:
                        constant -= value
                    else:
                        coeffs[var] = coeffs.get(var, 0) + 1
                rows.append((coeffs, constant))
    return variables, rows


def bounds_of(variables: dict, rows: list, target: int, ceiling: int) -> tuple[float, float]:
    a = np.zeros((len(rows), len(variables)))
    b = np.zeros(len(rows))
    for r, (coeffs, constant) in enumerate(rows):
        for var, c in coeffs.items():
            a[r, var] = c
        b[r] = constant
    c = np.zeros(len(variables))
    c[target] = 1
    low = linprog(c, A_eq=a, b_eq=b, bounds=[(0, ceiling)] * len(variables), method="highs")
    high = linprog(-c, A_eq=a, b_eq=b, bounds=[(0, ceiling)] * len(variables), method="highs")
    assert low.status == 0 and high.status == 0, "the published numbers must be consistent"
    return low.fun, -high.fun


def test_no_suppressed_cell_can_be_recovered_from_the_exports(app, audited_round):
    round_id, units = audited_round
    with app.app_context():
        found = db.session.get(rounds.Round, round_id)
        published = published_everything(found, units)
        truth = true_values(found)
        hidden = [k for k, v in published.items() if v is None]
        # Given a round where small schools and groups exist, some cells are hidden …
        assert any(k[0] == "school" and k[2] == "all" for k in hidden)
        assert any(k[2] != "all" for k in hidden)
        attempted = 0
        for item in AUDITED:
            variables, rows = constraints(published, units, item)
            for key, index in variables.items():
                level, unit, grouping, group = key if key[0] != "outside" else (None,) * 4
                true_key = (level, unit, "all" if group == "all" else grouping, group, item)
                if key[0] == "outside" or truth[true_key] == 0:
                    continue  # learning that a hidden group had nobody in it identifies no one
                low, high = bounds_of(variables, rows, index, ceiling=sum(SIZES.values()))
                attempted += 1
                # … and no hidden cell is pinned down by what was published
                assert high - low >= 1 - 1e-6, (item, key, low, high)
        assert attempted > 50
