"""Primary and complementary suppression in one margin."""
from webapp.domain.suppression import suppress_margin


def test_small_groups_are_hidden_with_a_complement():
    # A school of 20: bua 3 is small; without a complement, 20 − 9 − 8 = 3 gives it away.
    assert suppress_margin({"bua": 3, "assistent": 9, "annet": 8}, 20, 5) == {"bua", "annet"}


def test_nothing_is_hidden_when_every_group_is_large_enough():
    assert suppress_margin({"bua": 5, "assistent": 9}, 14, 5) == set()


def test_people_without_a_group_protect_like_a_hidden_cell():
    # 6 people gave no role: the residual 3 + 6 = 9 cannot be split, so no complement is needed
    assert suppress_margin({"bua": 3, "assistent": 9}, 18, 5) == {"bua"}
    # … but 1 unknown person leaves residual 4 < 5: hide one more
    assert suppress_margin({"bua": 3, "assistent": 9, "annet": 6}, 19, 5) == {"bua", "annet"}


def test_empty_cells_need_no_protection():
    assert suppress_margin({"bua": 0, "assistent": 9, "annet": 7}, 16, 5) == set()


def test_a_cell_hidden_by_another_margin_gets_a_complement_here_too():
    assert suppress_margin({"s1": 12, "s2": 30, "s3": 9}, 51, 5, already={"s1"}) == {"s1", "s3"}


def test_a_school_hidden_in_its_kommune_gets_a_sibling_hidden_too():
    from webapp.domain.disclosure import hidden_cells

    # Three schools of one kommune; school 2 has 3 respondents: its total and a sibling's go.
    table = {(1, "all"): 20, (2, "all"): 3, (3, "all"): 9}
    assert hidden_cells(table, {"all": 32}, 5) == {(2, "all"), (3, "all")}


def test_hiding_spreads_across_rows_and_columns_until_nothing_can_be_derived():
    from webapp.domain.disclosure import hidden_cells

    table = {(1, "all"): 12, (1, "bua"): 3, (1, "ass"): 9,
             (2, "all"): 10, (2, "bua"): 6, (2, "ass"): 4}
    hidden = hidden_cells(table, {"all": 22, "bua": 9, "ass": 13}, 5)
    # school 1: bua 3 small → ass hidden as complement; school 2: ass 4 small → bua too;
    # the columns then have both schools hidden, which protects them.
    assert hidden == {(1, "bua"), (1, "ass"), (2, "bua"), (2, "ass")}
