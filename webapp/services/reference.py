"""National reference figures (NIFU 2023:15) from the data file next to the questionnaire."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml


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


def share(figures: tuple[ReferenceFigure, ...], item: str, codes: tuple[str, ...],
          group_by: str = "all", group: str = "all") -> ReferenceFigure | None:
    """The reference figure for this item's share in `codes`, when the report gives exactly that."""
    for figure in figures:
        if figure.item == item and set(figure.codes) == set(codes) and figure.group_by == group_by \
                and group in figure.values:
            return figure
    return None
