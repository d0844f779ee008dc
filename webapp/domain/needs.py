"""Who needs a competence area: a derived per-respondent flag, computed from encoded answers (pure).

A respondent *needs* area a when they gave the answer that says so to the one item that asks about a:
the A2 item that feeds it (`behov_<group>`) answered with one of NEED_CODES (stor / svært stor grad); for
an area fed through an option (`fagbrev_bua`), that option ticked (`fagbrev` in `onsket_format`); for an
area no item feeds, the area chosen in `onsket_omrade`. They count in a's denominator when they answered
that item. One item per area, never an «or» of two: a flag built from two items tells how their answers
combine, and published beside the items' own figures that gave away answers the block rule held back
(docs/privacy.md, «Need flags»). So each flag is a recode of one item, with the same people as that item.

The flag is one more aggregated column per area — key `trenger_<area>`, options `nei`/`ja`, missing
outside the denominator — tallied, released and published like the item it recodes (docs/gaps.md).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from webapp.domain.questionnaire import Item, Option, Questionnaire

NEED_CODES = ("4", "5")     # i stor / svært stor grad on the grad5 scale
WISH_ITEM = "onsket_omrade"  # every area is an option of it
PREFIX = "trenger_"
NO, YES = 1, 2               # the flag's encoded cells: option «nei», option «ja» (0: not in the denominator)
FLAG_OPTIONS = (Option("nei", {"nb": "Nei", "nn": "Nei", "en": "No"}),
                Option("ja", {"nb": "Ja", "nn": "Ja", "en": "Yes"}))


@dataclass(frozen=True)
class Feed:
    """One stored column feeding an area: lookup tables from its cell to 'answered' and to 'needs'."""

    column: int
    answered: np.ndarray | None  # choice items: bool per cell value; multi-selects: None (any tick)
    needs: np.ndarray | None     # choice items: bool per cell value
    mask: int = 0                # multi-selects: the bit of the option that means 'needs'


@dataclass(frozen=True)
class NeedRule:
    area: str
    feeds: tuple[Feed, ...]


def flag_key(area: str) -> str:
    return PREFIX + area


def rules(questionnaire: Questionnaire, stored: tuple[Item, ...]) -> tuple[NeedRule, ...]:
    """The need rule of every area of the questionnaire, over the stored columns `stored`."""
    column = {item.key: j for j, item in enumerate(stored)}
    out = []
    wish = questionnaire.items.get(WISH_ITEM)
    for area in questionnaire.areas:
        sources = list(area.fed_by)
        if not sources and wish is not None and area.code in wish.codes:
            sources = [(WISH_ITEM, area.code)]
        if len(sources) > 1:
            raise ValueError(f"{area.code}: an area's need comes from one item, not {len(sources)}")
        feeds = [_feed(questionnaire.items[key], column[key], option)
                 for key, option in sources if key in column]
        out.append(NeedRule(area.code, tuple(feeds)))
    return tuple(out)


def _feed(item: Item, column: int, option: str | None) -> Feed:
    if item.type == "multi":
        if option is None:
            raise ValueError(f"{item.key}: a multi-select feeds an area through one named option")
        return Feed(column, None, None, 1 << item.codes.index(option))
    if item.type != "choice":
        raise ValueError(f"{item.key}: only choice and multi-select items can feed an area")
    answered = np.zeros(len(item.options) + 1, dtype=bool)
    needs = np.zeros(len(item.options) + 1, dtype=bool)
    wanted = (option,) if option is not None else NEED_CODES
    for k, opt in enumerate(item.options):
        answered[k + 1] = not opt.na
        needs[k + 1] = opt.code in wanted
    return Feed(column, answered, needs)


def flag_items(rules_: tuple[NeedRule, ...]) -> tuple[Item, ...]:
    """The flags as aggregated items (appended after the stored columns)."""
    return tuple(Item(flag_key(rule.area), "choice", {"nb": rule.area}, "_behov", FLAG_OPTIONS)
                 for rule in rules_)


def derive(rules_: tuple[NeedRule, ...], stored: np.ndarray) -> np.ndarray:
    """The flags' cells (respondents × areas) from the stored cells (respondents × stored columns)."""
    out = np.zeros((len(stored), len(rules_)), dtype=stored.dtype)
    for k, rule in enumerate(rules_):
        answered = np.zeros(len(stored), dtype=bool)
        needs = np.zeros(len(stored), dtype=bool)
        for feed in rule.feeds:
            cells = stored[:, feed.column]
            if feed.answered is None or feed.needs is None:
                answered |= cells > 0
                needs |= (cells & feed.mask) > 0
            else:
                safe = np.minimum(cells, len(feed.answered) - 1)
                answered |= feed.answered[safe]
                needs |= feed.needs[safe]
        out[:, k] = np.where(needs, YES, np.where(answered, NO, 0))
    return out
