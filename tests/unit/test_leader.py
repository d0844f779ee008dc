"""The leader side of the perception gap: blocks of at least k leaders per kommune, sums above."""
from __future__ import annotations

from itertools import combinations

from webapp.domain.leader import ALL, LeaderShare, Statement, kommune_blocks, unit_shares

K = 3
# kommune 1 has schools 1-4, kommune 2 has schools 5-6
KOMMUNE_OF = {1: 1, 2: 1, 3: 1, 4: 1, 5: 2, 6: 2}


def says(school: int, group: str, yes: bool, item: str = "leder_felles") -> Statement:
    return Statement(school, group, item, yes)


def test_a_group_answered_by_k_leaders_is_a_block_and_fewer_go_across_the_groups_when_k_schools_gave_them():
    statements = [says(1, "bua", True), says(2, "bua", True), says(3, "bua", False),
                  says(1, "annet", True), says(2, "sfo_leder", False), says(4, "annet", True)]
    blocks = kommune_blocks(statements, KOMMUNE_OF, K)[1]
    assert blocks[("leder_felles", "bua")] == LeaderShare(2, 3)
    assert ("leder_felles", "annet") not in blocks and ("leder_felles", "sfo_leder") not in blocks
    # the three left (schools 1, 2 and 4) are a block across the groups: the total holds them too
    assert blocks[("leder_felles", ALL)] == LeaderShare(4, 6)


def test_what_is_left_from_fewer_than_k_schools_is_never_shown_not_even_in_the_total():
    statements = [says(1, "bua", True), says(2, "bua", True), says(3, "bua", False),
                  says(1, "annet", True), says(1, "sfo_leder", False), says(2, "annet", True)]
    blocks = kommune_blocks(statements, KOMMUNE_OF, K)[1]
    assert blocks[("leder_felles", ALL)] == LeaderShare(2, 3)  # only the bua block: 3 left from 2 schools


def test_a_kommune_with_fewer_than_k_leaders_shows_nothing_and_adds_nothing_above():
    statements = [says(s, "bua", True) for s in (1, 2, 3)] + [says(5, "bua", False), says(6, "bua", False)]
    blocks = kommune_blocks(statements, KOMMUNE_OF, K)
    assert blocks[2] == {}
    fylke = unit_shares(blocks, [1, 2])
    assert fylke[("leder_felles", "bua")] == LeaderShare(3, 3) == fylke[("leder_felles", ALL)]


def test_every_difference_between_the_published_leader_figures_covers_none_or_at_least_k_leaders():
    # Given every unit a reader can see: each kommune and the fylke of both
    statements = [says(s, g, (s + len(g)) % 2 == 0, item) for s in KOMMUNE_OF for g in ("bua", "annet")
                  for item in ("leder_plan", "leder_felles") if not (s == 6 and g == "annet")]
    statements += [says(5, "sfo_leder", True), says(6, "sfo_leder", True), says(4, "sfo_leder", False)]
    blocks = kommune_blocks(statements, KOMMUNE_OF, K)
    figures = [unit_shares(blocks, [1]), unit_shares(blocks, [2]), unit_shares(blocks, [1, 2])]
    cells = {cell for f in figures for cell in f}
    # When any published figure is taken from a larger one of the same item (a parent minus a child,
    # a total minus a group, or the two at once), Then what is left is no one's or at least k leaders'
    shown = [(f, cell) for f in figures for cell in cells if cell in f]
    for (big, a), (small, b) in combinations(shown, 2):
        if a[0] != b[0]:
            continue
        difference = big[a].n - small[b].n
        assert difference == 0 or abs(difference) >= K or not _nested(a, b), (a, b)


def _nested(a: tuple[str, str], b: tuple[str, str]) -> bool:
    return a[1] == b[1] or ALL in (a[1], b[1])
