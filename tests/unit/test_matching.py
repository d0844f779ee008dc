"""Ranking courses against a unit's published gaps, and what a reason may quote."""
from dataclasses import dataclass

from webapp.domain.gaps import Counts, Gap
from webapp.domain.matching import UnitNeeds, rank

WISHES = {"kurs": "kurs_arbeidstid", "nettkurs": "nettkurs", "fagbrev": "fagbrev"}


@dataclass(frozen=True)
class C:
    code: str
    areas: tuple
    format: str = "kurs"
    yrkesgrupper: tuple = ()
    fee_nok: int = 1000
    funding_share: float = 0.0
    active: bool = True


def g(area, need, n, score, group="all"):
    return Gap(area, group, n, need, round(100 * need / n, 1), 0, 100, score, None, None)


NEEDS = UnitNeeds(
    areas={"atferd": g("atferd", 9, 14, 50.0), "psykisk_helse": g("psykisk_helse", 4, 14, 20.0),
           "mobbing": g("mobbing", 0, 14, 0.0)},
    groups={"bua": {"atferd": g("atferd", 6, 8, 60.0, "bua")}},
    formats=Counts(14, {"kurs_arbeidstid": 7, "nettkurs": 14, "fagbrev": 0}))


def test_courses_rank_by_the_gap_they_cover_times_how_well_the_format_suits():
    ranked = rank([C("A", ("atferd",)), C("B", ("atferd", "psykisk_helse")), C("N", ("atferd",), "nettkurs"),
                   C("M", ("mobbing",))], NEEDS, WISHES)
    by_code = {m.course: m for m in ranked}
    assert by_code["B"].score == round(70.0 * (0.5 + 0.5 * 7 / 14), 1) == 52.5
    assert by_code["A"].score == 37.5 and by_code["N"].score == 50.0
    assert [m.course for m in ranked] == ["B", "N", "A"]  # M covers no gap: not suggested
    assert by_code["B"].areas == ("atferd", "psykisk_helse")  # largest gap first


def test_retired_courses_and_courses_for_groups_not_seen_rank_as_they_should():
    ranked = rank([C("OLD", ("atferd",), active=False), C("SFO", ("atferd",), yrkesgrupper=("sfo_leder",)),
                   C("BUA", ("atferd",), yrkesgrupper=("bua",))], NEEDS, WISHES)
    assert [m.course for m in ranked] == ["BUA", "SFO"]
    # bua has no figures in every area here, so its people count with «øvrige», who may take either course
    assert ranked[1].score == ranked[0].score == 37.5


# bua is published in every area: 6 of the 9 who need atferd are bua, the other 3 are «øvrige»
BY_GROUP = UnitNeeds(NEEDS.areas, {"bua": {"atferd": g("atferd", 6, 8, 60.0, "bua"),
                                           "psykisk_helse": g("psykisk_helse", 0, 8, 0.0, "bua"),
                                           "mobbing": g("mobbing", 0, 8, 0.0, "bua")}}, NEEDS.formats)


def test_a_course_counts_the_share_of_the_need_it_may_take():
    ranked = rank([C("SFO", ("atferd",), yrkesgrupper=("sfo_leder",)),
                   C("BUA", ("atferd",), yrkesgrupper=("bua",)), C("ALL", ("atferd",))], BY_GROUP, WISHES)
    by_code = {m.course: m.score for m in ranked}
    assert by_code == {"ALL": 37.5, "BUA": 25.0, "SFO": 12.5}  # 9, 6 and 3 of the 9 who need it


def test_a_course_nobody_who_needs_it_may_take_is_not_suggested():
    # Elvdal sentrum in the demo: everyone who needs fagbrev is in one published group the course is not for
    mt = "miljoterapeut_bsv"
    needs = UnitNeeds({"fagbrev_bua": g("fagbrev_bua", 3, 8, 30.0)},
                      {mt: {"fagbrev_bua": g("fagbrev_bua", 3, 8, 30.0, mt)}}, None)
    fagbrev = C("FAGBREV", ("fagbrev_bua",), "fagbrev", yrkesgrupper=("assistent", "annet"))
    assert rank([fagbrev], needs, WISHES) == []
    assert [m.course for m in rank([fagbrev, C("ALL", ("fagbrev_bua",))], needs, WISHES)] == ["ALL"]


def test_a_reason_quotes_the_unit_and_only_the_published_groups():
    [match] = rank([C("A", ("atferd",))], NEEDS, WISHES)
    [reason] = match.reasons
    assert (reason.area, reason.need, reason.n) == ("atferd", 9, 14)
    assert reason.groups == (("bua", 6, 8),)  # the only group published at the unit
    assert (match.format_yes, match.format_n) == (7, 14)


def test_ties_go_to_the_cheaper_course_after_funding_then_the_code():
    ranked = rank([C("Z", ("atferd",), fee_nok=900), C("Y", ("atferd",), fee_nok=2000, funding_share=0.75),
                   C("X", ("atferd",), fee_nok=500)], NEEDS, WISHES)
    assert [m.course for m in ranked] == ["X", "Y", "Z"]


def test_no_gaps_or_no_courses_give_no_suggestions():
    assert rank([C("A", ("atferd",))], UnitNeeds({}, {}, None), WISHES) == []
    assert rank([], NEEDS, WISHES) == []
    assert len(rank([C(str(k), ("atferd",)) for k in range(10)], NEEDS, WISHES, limit=3)) == 3


def test_a_tie_in_cost_is_a_tie_in_whole_kroner():
    # 1000 kr with 70 % funded costs the school what 300 kr does (not 300.00000000000006): the code decides
    ranked = rank([C("B", ("atferd",), fee_nok=300), C("A", ("atferd",), fee_nok=1000, funding_share=0.7)],
                  NEEDS, WISHES)
    assert [m.course for m in ranked] == ["A", "B"]


def test_a_group_without_need_in_the_area_does_not_count_as_seen():
    needs = UnitNeeds(NEEDS.areas, {"bua": {"atferd": g("atferd", 0, 8, 0.0, "bua")}}, NEEDS.formats)
    [match] = rank([C("BUA", ("atferd",), yrkesgrupper=("bua",))], needs, WISHES)
    assert match.reasons[0].groups == ()
    # bua has figures in one area only: its people count with «øvrige», whom a course for bua may take
    assert match.score == 37.5
