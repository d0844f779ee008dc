"""National reference figures (NIFU 2023:15) from the data file next to the questionnaire."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

# The report is Norwegian, and so are the places in it the data file names ("Figur 4.1, s. 26 (tall i
# teksten s. 27)"). The phrases those places are made of, in the other languages of the pages; the
# longest first, so that a phrase is never translated in part.
WHERE_PHRASES = {
    "en": [("tallet står i teksten til", "the number is in the text of"),
           ("tallet står i", "the number is in"),
           ("tall i teksten rett etter figuren", "number in the text right after the figure"),
           ("tall i teksten", "number in the text"), ("ingen egen figur etter skoleslag",
                                                      "no figure of its own by school type"),
           ("ikke vist i egen figur", "not shown in a figure of its own"), ("søylen", "the bar"),
           ("Sammendrag", "Summary"), ("Oppsummering", "Summary"), ("Figur", "Figure"), ("jf.", "cf."),
           ("s.", "p.")],
    "nn": [("tallet står i", "talet står i"), ("tall i teksten", "tal i teksten"),
           ("ingen egen figur etter skoleslag", "ingen eigen figur etter skuleslag"),
           ("ikke vist i egen figur", "ikkje vist i eigen figur"), ("søylen", "søyla"),
           ("Sammendrag", "Samandrag")],
}


@dataclass(frozen=True)
class ReferenceFigure:
    item: str
    codes: tuple[str, ...]
    group_by: str
    values: dict[str, float]
    where: str


@lru_cache(maxsize=8)
def load(surveys_dir: Path, slug: str) -> tuple[str, tuple[ReferenceFigure, ...]]:
    """Return the source citation and the comparable share figures for a questionnaire."""
    files = sorted((surveys_dir / slug).glob("reference-*.yaml"))
    if not files:
        return "", ()
    data = yaml.safe_load(files[0].read_text(encoding="utf-8"))
    figures = tuple(
        ReferenceFigure(f["item"], tuple(str(c) for c in f.get("codes", ())), f.get("group_by", "all"),
                        {str(k): float(v) for k, v in f["values"].items()}, f["where"])
        for f in data.get("figures", [])
        if f.get("comparable", False) and f.get("indicator") == "share")
    return data.get("source", ""), figures


@dataclass(frozen=True)
class LeaderRange:
    """School leaders' share saying yes to a leader statement: a range over the groups (lowest, highest)."""

    item: str
    low: float
    high: float
    where: str


@lru_cache(maxsize=8)
def leader_ranges(surveys_dir: Path, slug: str) -> tuple[LeaderRange, ...]:
    """The national leader figures the reference file gives as context for the perception gap."""
    files = sorted((surveys_dir / slug).glob("reference-*.yaml"))
    if not files:
        return ()
    leaders = yaml.safe_load(files[0].read_text(encoding="utf-8")).get("leaders") or {}
    return tuple(LeaderRange(r["item"], float(r["low"]), float(r["high"]), leaders.get("where", ""))
                 for r in leaders.get("ranges", []))


def share(figures: tuple[ReferenceFigure, ...], item: str, codes: tuple[str, ...],
          group_by: str = "all", group: str = "all") -> ReferenceFigure | None:
    """The reference figure for this item's share in `codes`, when the report gives exactly that."""
    for figure in figures:
        if figure.item == item and set(figure.codes) == set(codes) and figure.group_by == group_by \
                and group in figure.values:
            return figure
    return None


def where_text(where: str, language: str) -> str:
    """The place in the report, in the page's language (the data file has it in bokmål)."""
    for norwegian, other in WHERE_PHRASES.get(language, []):
        where = re.sub(rf"(?<![\w.]){re.escape(norwegian)}(?![\w])", other, where)
    return where
