"""A need flag never tells the answers of people whose answers are held back (the two attacks of the
issue-10 review): each flag is the recode of one item and goes out only together with it, open or
closed."""
from __future__ import annotations

from tests.integration.publishing import ScriptedRound
from webapp.extensions import db
from webapp.services import gaps, results

ORG = "kommune,fylke,school_code,school_name,skoleslag\nAlfa,Nord,A1,A1 skole,grunnskole\n"
TWO = ORG + "Alfa,Nord,A2,A2 skole,grunnskole\n"
QUIET = dict(b_rolle="bua", onsket_omrade=["relasjon"])  # nobody wishes atferd


def bua(script: ScriptedRound, level: str = "school", unit: str | None = "A1") -> dict:
    """The bua group's (n, counts) of the items feeding `atferd`, and of its flag, as published."""
    with script.app.app_context():
        unit_id = script.school_ids[unit] if level == "school" else script.kommune_ids.get(unit, 0)
        figures = results.unit_figures(db.session, script._round(), level, unit_id, "", "yrkesgruppe")
        return {item: (figures.figure(item, "bua").n, figures.figure(item, "bua").counts)
                for item in ("behov_utagerende", "onsket_omrade", "trenger_atferd")}


def test_one_colleague_asked_about_aggressive_pupils_is_not_given_away(app, settings):
    script = ScriptedRound(app, settings, ORG, threshold=5, seed=2)
    for _ in range(4):
        script.arrive("A1", 1, arbeid_utagerende="2", behov_utagerende=None, **QUIET)
    script.arrive("A1", 1, arbeid_utagerende="5", behov_utagerende="5", **QUIET)
    shown = bua(script)
    # The block of five is out, but only one of them was asked behov_utagerende: held back, and the
    # flag with it (its «ja» would be that one person's answer)
    assert shown["onsket_omrade"][0] == 5 and shown["behov_utagerende"] == (None, None)
    assert shown["trenger_atferd"] == (None, None)
    with app.app_context():
        found = script._round()
        result = gaps.unit_gaps(db.session, found, "school", script.school_ids["A1"], "", gaps.BY)
        assert "atferd" not in result.gaps["bua"] and "atferd" not in result.gaps["all"]


def test_a_held_back_wish_does_not_show_through_the_flag(app, settings):
    script = ScriptedRound(app, settings, ORG, threshold=5, seed=3)
    for _ in range(3):
        script.arrive("A1", 1, b_rolle="bua", arbeid_utagerende="3", behov_utagerende="2", onsket_omrade=None)
    for _ in range(2):
        script.arrive("A1", 1, b_rolle="bua", arbeid_utagerende="3", behov_utagerende="2",
                      onsket_omrade=["atferd", "relasjon"])
    shown = bua(script)
    # The two wishes are held back, and the flag is the A2 item's recode: it says nothing of them
    assert shown["behov_utagerende"] == (5, {"1": 0, "2": 5, "3": 0, "4": 0, "5": 0})
    assert shown["onsket_omrade"] == (None, None)
    assert shown["trenger_atferd"] == (5, {"nei": 5, "ja": 0})
    assert script.check_flags() == []


def test_a_wish_given_in_an_earlier_block_is_not_read_off_a_later_flag(app, settings):
    """The second attack: Monday five ask-about-behov answers and one wish, Tuesday four wishes."""
    script = ScriptedRound(app, settings, ORG, threshold=5, seed=6)
    script.arrive("A1", 1, b_rolle="bua", arbeid_utagerende="5", behov_utagerende="5",
                  onsket_omrade=["atferd"])  # the one whose wish must stay unknown
    for _ in range(4):
        script.arrive("A1", 1, b_rolle="bua", arbeid_utagerende="5", behov_utagerende="5", onsket_omrade=None)
    for wish in (["atferd"], ["relasjon"], ["relasjon"], ["relasjon"]):
        script.arrive("A1", 1, b_rolle="bua", arbeid_utagerende="1", behov_utagerende=None,
                      onsket_omrade=wish)
    script.arrive("A1", 1, b_rolle="bua", arbeid_utagerende="1", behov_utagerende=None, onsket_omrade=None)
    shown = bua(script)
    assert shown["trenger_atferd"] == (5, {"nei": 0, "ja": 5})  # the five A2 answers, nothing else
    assert script.check_flags() == [] and script.check_blocks() == []


def test_the_flag_waits_for_its_items_and_then_goes_out_with_them(app, settings):
    script = ScriptedRound(app, settings, ORG, threshold=5, seed=4)
    for _ in range(3):
        script.arrive("A1", 1, arbeid_utagerende="1", behov_utagerende=None, **QUIET)
    script.arrive("A1", 1, arbeid_utagerende="4", behov_utagerende="5", **QUIET)
    script.arrive("A1", 1, arbeid_utagerende="4", behov_utagerende="4", **QUIET)
    assert bua(script)["trenger_atferd"] == (None, None)  # Monday: behov has 2 answers, held back
    for _ in range(2):
        script.arrive("A1", 1, arbeid_utagerende="1", behov_utagerende=None, **QUIET)
    for _ in range(3):
        script.arrive("A1", 1, arbeid_utagerende="4", behov_utagerende="1", **QUIET)
    shown = bua(script)  # Tuesday: behov has 5 answers and goes out, the flag with it
    assert shown["behov_utagerende"][0] == 5 and shown["trenger_atferd"] == (5, {"nei": 3, "ja": 2})
    assert script.check_blocks() == []


def test_the_close_never_shows_a_flag_whose_item_stays_hidden(app, settings):
    script = ScriptedRound(app, settings, TWO, threshold=5, seed=5)
    for code in ("A1", "A2"):  # three bua at each school, one asked behov_utagerende
        script.arrive(code, 1, arbeid_utagerende="5", behov_utagerende="5", **QUIET)
        for _ in range(2):
            script.arrive(code, 1, arbeid_utagerende="1", behov_utagerende=None, **QUIET)
    script.close()
    for level, unit in (("kommune", "Alfa"), ("round", None)):
        shown = bua(script, level, unit)
        assert shown["onsket_omrade"][0] == 6 and shown["behov_utagerende"] == (None, None)
        assert shown["trenger_atferd"] == (None, None)
    assert script.check_blocks() == []
