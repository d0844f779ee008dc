"""The gap model on small hand-computed examples: who needs an area, the share, interval and score."""
import pytest

from webapp.domain import gaps, needs
from webapp.domain.codebook import Codebook
from webapp.domain.gaps import AreaInput, Counts
from tests.gapref import need_flags


def flags(questionnaire, *people):
    """The need-flag cells of each person, by area: 0 not asked, 1 «nei», 2 «ja»."""
    codebook = Codebook.of(questionnaire)
    cells = codebook.matrix([codebook.encode(p) for p in people])[:, codebook.stored_width:]
    areas = [rule.area for rule in codebook.need_rules]
    return [dict(zip(areas, (int(c) for c in row))) for row in cells]


def test_a_high_need_answer_flags_its_area_and_a_low_one_counts_in_the_denominator(questionnaire):
    stor, liten = flags(questionnaire,
                        {"arbeid_utagerende": "4", "behov_utagerende": "4"},
                        {"arbeid_utagerende": "4", "behov_utagerende": "2"})
    assert stor["atferd"] == needs.YES and liten["atferd"] == needs.NO
    # Nothing else was answered: no other area has them in its denominator
    assert {a for a, c in stor.items() if c} == {"atferd"} == {a for a, c in liten.items() if c}


def test_skip_logic_leaves_those_who_do_not_work_with_the_group_out_and_a_wish_does_not_count(questionnaire):
    not_asked, wishes = flags(questionnaire,
                              {"arbeid_utagerende": "2"},  # behov_utagerende not shown: arbeid < 3
                              {"arbeid_utagerende": "2", "onsket_omrade": ["atferd"]})
    assert not_asked["atferd"] == 0
    # One item per area: atferd is asked about by behov_utagerende alone, so a wish is no answer to it
    # (an «or» of two items gave held-back answers away: docs/privacy.md)
    assert wishes["atferd"] == 0


def test_a_wish_answers_only_the_areas_no_item_asks_about(questionnaire):
    [person] = flags(questionnaire, {"onsket_omrade": ["diagnoser", "relasjon"]})
    assert person["diagnoser"] == person["relasjon"] == needs.YES
    assert person["klassemiljo"] == needs.NO
    assert person["atferd"] == person["fagbrev_bua"] == 0  # asked by behov_utagerende, onsket_format


def test_fagbrev_bua_is_needed_by_ticking_fagbrev_among_the_formats(questionnaire):
    fagbrev, nettkurs, silent = flags(questionnaire, {"onsket_format": ["fagbrev", "nettkurs"]},
                                      {"onsket_format": ["nettkurs"]}, {})
    assert fagbrev["fagbrev_bua"] == needs.YES and nettkurs["fagbrev_bua"] == needs.NO
    assert silent["fagbrev_bua"] == 0 and not any(silent.values())


def test_the_flags_agree_with_the_independent_reading_on_simulated_answers(questionnaire):
    import random

    from webapp.domain.simulate import simulate_answers

    rng = random.Random(7)
    people = [simulate_answers(questionnaire, rng) for _ in range(300)]
    for person, cells in zip(people, flags(questionnaire, *people)):
        expected = need_flags(questionnaire, person)
        got = {f"trenger_{a}": ("ja" if c == needs.YES else "nei") for a, c in cells.items() if c}
        assert got == expected


def test_share_interval_and_score_of_a_worked_example():
    # docs/gaps.md: behov_utagerende 10 answers: 1×«2», 2×«3», 4×«4», 3×«5» — so the flag: 7 of 10;
    # arbeid_utagerende 14 answers, 11 of them 4 or 5.
    data = AreaInput("atferd", Counts(10, {"ja": 7, "nei": 3}),
                     Counts(10, {"1": 0, "2": 1, "3": 2, "4": 4, "5": 3}),
                     Counts(14, {"1": 0, "2": 1, "3": 2, "4": 6, "5": 5}))
    gap = gaps.gap(data)
    assert (gap.n, gap.need, gap.share) == (10, 7, 70.0)
    assert (gap.low, gap.high) == (39.7, 89.2)
    assert gap.strength == pytest.approx((0.25 + 2 * 0.5 + 4 * 0.75 + 3 * 1.0) / 10, abs=1e-3)
    assert gap.reach == pytest.approx(11 / 14, abs=1e-3)
    assert gap.score == round(100 * 7 / 10 * (0.5 + 0.25 * 0.725 + 0.25 * 11 / 14), 1) == 61.4


def test_an_area_fed_only_by_wishes_takes_the_middle_weight():
    gap = gaps.gap(AreaInput("diagnoser", Counts(20, {"ja": 5, "nei": 15})))
    assert gap.score == 18.8 and gap.strength is None and gap.reach is None


def test_no_published_answers_give_no_gap():
    assert gaps.gap(AreaInput("atferd", None)) is None
    assert gaps.gap(AreaInput("atferd", Counts(0, {}))) is None


@pytest.mark.parametrize("need, n, low, high",
                         [(0, 10, 0.0, 0.278), (10, 10, 0.722, 1.0), (5, 10, 0.237, 0.763)])
def test_wilson_intervals_match_the_textbook(need, n, low, high):
    got = gaps.wilson(need, n)
    assert got == pytest.approx((low, high), abs=1e-3)


def test_a_row_stored_before_the_flags_existed_reads_them_as_unanswered(questionnaire):
    import numpy as np

    from webapp.domain.slots import row_counts, slot_layout

    codebook = Codebook.of(questionnaire)
    layout = slot_layout(codebook)
    old_width = int(layout.missing[codebook.stored_width])  # the columns before the first flag's
    respondents = [7, 3]
    old = np.arange(2 * old_width, dtype="<i4").reshape(2, old_width)
    counts = row_counts(codebook, old.tobytes(), respondents)
    assert counts.shape == (2, layout.width)
    assert (counts[:, :old_width] == old).all()  # what was stored reads as it was
    flags = layout.missing[codebook.stored_width:]
    assert (counts[:, flags] == np.array(respondents)[:, None]).all()  # every flag: nobody answered
    assert counts[:, old_width:].sum() == len(flags) * sum(respondents)  # and no option counted
