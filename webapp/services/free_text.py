"""Free-text answers for administrators: only from a closed round, in blocks of at least 10 texts.

A text says who wrote it more readily than any figure, so texts follow the same rule as the figures
(domain/release.py), with a larger block: a school with at least 10 texts shows them; what smaller
schools have is pooled in their kommune, then fylke, then the round, and shown where a pool reaches
10. A unit shows the texts of every block inside it, so no list minus another ever leaves fewer than
10 texts — not a kommune's list minus its schools', nor the round's minus a kommune's. While a round is
open nothing is shown: a text appearing as it is sent says who sent it.
"""
from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.layout import Layout
from webapp.models import Answer, Response, Round

TEXT_ITEM = "fritekst"
MINIMUM = 10


def free_texts(session: Session, found: Round, units: Layout, level: str, unit_id: int) -> list[str] | None:
    """The texts shown for a unit, in a fresh random order; None when it shows none."""
    if found.status != "closed":
        return None
    blocks = _blocks(session, found, units, max(MINIMUM, found.privacy_threshold))
    shown = [text for (block_level, block_id), texts in blocks.items()
             if _inside(units, block_level, block_id, level, unit_id) for text in texts]
    if not shown:
        return None
    secrets.SystemRandom().shuffle(shown)  # never the order they were sent (nor stored) in
    return shown


def _blocks(session: Session, found: Round, units: Layout, size: int) -> dict[tuple[str, int], list[str]]:
    """The blocks of texts: (level, unit id) → texts, cut from the schools up."""
    pending: dict[int, list[str]] = {school: [] for school in units.schools}
    for school_id, value in session.execute(
            select(Response.school_id, Answer.value).join(Answer, Answer.response_id == Response.id)
            .where(Response.round_id == found.id, Answer.item_key == TEXT_ITEM)):
        pending[school_id].append(value)
    blocks: dict[tuple[str, int], list[str]] = {}
    parent_of = {"school": units.kommune_of, "kommune": units.fylke_of}
    for level in ("school", "kommune", "fylke", "round"):
        for unit_id, texts in list(pending.items()):
            if len(texts) >= size:
                blocks[(level, unit_id)] = texts
                pending[unit_id] = []
        if level == "round":
            break
        pooled: dict[int, list[str]] = {}
        for unit_id, texts in pending.items():
            up = parent_of[level][unit_id] if level in parent_of else 0
            pooled.setdefault(up, []).extend(texts)
        pending = pooled
    return blocks


def _inside(units: Layout, block_level: str, block_id: int, level: str, unit_id: int) -> bool:
    """Whether the block's unit is the unit or lies within it."""
    order = ("school", "kommune", "fylke", "round")
    if order.index(block_level) > order.index(level):
        return False
    chain = [(block_level, block_id)]
    while chain[-1][0] != level and chain[-1][0] != "round":
        chain.append(units.parent(*chain[-1]))
    return chain[-1] == (level, unit_id)
