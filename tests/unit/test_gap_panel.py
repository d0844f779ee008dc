"""The «Kompetansebehov» panel (issue 18, item 6): every competence area is in the chart — with its bar,
or, where its figures are hidden, with a row and a note that say so — and need and wish are two series."""
from __future__ import annotations

import pytest

from webapp.config import PROJECT_ROOT
from webapp.domain import needs
from webapp.services import dashboard_config
from webapp.services.panels import gaps
from webapp.services.panels.common import Context
from webapp.services.results import Figure, UnitFigures

HIDDEN = ("psykisk_helse",)  # the need question about this pupil group had too few answers here


def figures(questionnaire, groups: tuple[str, ...] = ("all",), grouping: str = "all") -> UnitFigures:
    """A school whose every figure is published (n = 8, half «ja» / the top answers), but the need flag
    of the areas in HIDDEN, and in the group «assistent» also that of «mobbing»."""
    found: dict[tuple[str, str], Figure] = {}
    for group in groups:
        for key, item in questionnaire.items.items():
            found[(key, group)] = Figure(key, group, 8, {o.code: (4 if k in (0, len(item.options) - 1) else 0)
                                                         for k, o in enumerate(item.options)})
        for area in questionnaire.areas:
            key = needs.flag_key(area.code)
            hidden = area.code in HIDDEN or (group == "assistent" and area.code == "mobbing")
            found[(key, group)] = (Figure(key, group, None, None) if hidden
                                   else Figure(key, group, 8, {"ja": 3, "nei": 5}))
    return UnitFigures(1, "Høst 2026", "school", 1, "Breivika skole", grouping, groups,
                       dict.fromkeys(groups, 8), found, None, 5, True)


@pytest.fixture()
def panel(app, questionnaire):
    config = dashboard_config.load(PROJECT_ROOT / "surveys", "kompetanse-og-anerkjennelse")
    ctx = Context(questionnaire, config, "nb", figures(questionnaire), None, None, (), "Breivika skole", None)
    with app.test_request_context("/?lang=nb"):
        yield gaps.build(ctx)[0], questionnaire


def test_every_area_is_in_the_chart_and_a_hidden_one_says_why(panel):
    found, questionnaire = panel
    spec = found.figure
    texts = [a["text"].replace("<br>", " ") for a in spec["layout"]["annotations"]]
    for area in questionnaire.areas:
        assert area.label["nb"] in texts, area.code
    hidden = questionnaire.areas[[a.code for a in questionnaire.areas].index("psykisk_helse")].label["nb"]
    assert all(t["x"][t["y"].index(hidden)] is None for t in spec["data"])  # no bar, no number
    assert "skjult (for få svar)" in texts
    assert any(note.startswith(hidden + ":") and "for få svar" in note for note in found.notes)
    assert [row[0] for row in found.rows][-1] == hidden and set(found.rows[-1][1:]) == {"–"}


def test_need_and_wish_are_two_series_of_the_chart(panel):
    found, questionnaire = panel
    names = [t["name"].replace("<br>", " ") for t in found.figure["data"]]
    assert names == ["Trenger mer kompetanse med elevgruppen", "Vil lære mer (ønsker)"]
    labels = {a.code: a.label["nb"] for a in questionnaire.areas}
    need, wish = found.figure["data"]
    drawn = {t["name"]: [y for x, y in zip(t["x"], t["y"]) if x is not None] for t in (need, wish)}
    assert labels["mobbing"] in drawn[need["name"]]     # fed by the need question about the pupil group
    assert labels["relasjon"] in drawn[wish["name"]]    # chosen among the wishes
    assert labels["fagbrev_bua"] in drawn[wish["name"]]  # a wished format


def test_the_note_under_the_groups_chart_names_the_dash_its_cells_show(app, questionnaire):
    config = dashboard_config.load(PROJECT_ROOT / "surveys", "kompetanse-og-anerkjennelse")
    by_group = figures(questionnaire, ("all", "bua", "assistent"), "yrkesgruppe")
    ctx = Context(questionnaire, config, "nb", figures(questionnaire), None, by_group, (), "Breivika skole",
                  None)
    with app.test_request_context("/?lang=nb"):
        found = gaps.build(ctx)[1]
    mobbing = [row for row in found.rows if row[0].startswith("Mobbing")][0]
    assert mobbing[1:] == [37.5, "–"]  # «bua» shown, «assistent» hidden
    assert "–" in found.figure["data"][0]["text"][[r[0] for r in found.rows].index(mobbing[0])]
    assert found.notes == ["«–»: for få svar i gruppen til at tallene kan vises."]
    assert not any("Tomme celler" in note for note in found.notes)
