"""Suppression over a whole round: small cells hidden, plus whatever would give them away."""
import numpy as np

from webapp.domain.disclosure import suppress

# units: 0 = round, 1 = kommune A, 2 = kommune B, 3–5 = schools of A, 6 = school of B
PARENT = np.array([-1, 0, 0, 1, 1, 1, 2])


def totals(*schools: int) -> np.ndarray:
    s = np.array(schools)
    return np.array([s.sum(), s[:3].sum(), s[3:].sum(), *s])[:, None]


def test_a_small_school_gets_a_sibling_hidden_too():
    hidden = suppress(totals(20, 3, 9, 30), PARENT, 5)
    # school 4 (3 people) is small; 9 is its smallest sibling, so kommune − 20 − 9 cannot give 3
    assert hidden[:, 0].tolist() == [False, False, False, False, True, True, False]


def test_a_hidden_parent_cannot_be_recovered_from_its_children():
    n = totals(6, 8, 9, 3)  # kommune B has one school of 3: both are small
    hidden = suppress(n, PARENT, 5)
    assert hidden[2, 0] and hidden[6, 0]
    # round − kommune A would give kommune B: kommune A must be hidden too
    assert hidden[1, 0]


def test_groups_in_a_row_are_protected_by_a_complement_or_by_people_without_a_group():
    # columns: total, bua, assistent; one school with 20 people: bua 3, assistent 17
    n = np.array([[20, 3, 17], [20, 3, 17]])
    hidden = suppress(n, np.array([-1, 0]), 5)
    assert hidden[1].tolist() == [False, True, True] and hidden[0].tolist() == [False, True, True]
    # with 6 people who gave no role, bua 3 + 6 unknown cannot be split: no complement needed
    n = np.array([[26, 3, 17], [26, 3, 17]])
    hidden = suppress(n, np.array([-1, 0]), 5)
    assert hidden[1].tolist() == [False, True, False]


def test_nothing_is_hidden_when_every_cell_is_large_enough():
    assert not suppress(totals(20, 7, 9, 30), PARENT, 5).any()


def test_forced_cells_are_hidden_and_protected():
    forced = np.zeros((7, 1), dtype=bool)
    forced[3, 0] = True
    hidden = suppress(totals(20, 7, 9, 30), PARENT, 5, forced)
    assert hidden[3, 0] and hidden[4:6, 0].any()
