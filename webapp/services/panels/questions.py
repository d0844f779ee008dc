"""The question panels: one per block of each section, in questionnaire order, drawn as its scale says."""
from __future__ import annotations

from typing import Any

from webapp.domain.questionnaire import Item, Matrix, Section
from webapp.services.panels import agreement, distribution, multi, share
from webapp.services.panels.common import Context, Panel

Block = tuple[str, list[Item], Any, Matrix | None]  # key, items, stem, the matrix it is (if one)


def build(ctx: Context) -> list[Panel]:
    """A panel per block of every section the dashboard file does not skip."""
    panels = []
    for section in ctx.questionnaire.sections:
        if section.key in ctx.config.skip_sections:
            continue
        for key, items, stem, matrix in blocks(section):
            panel = item_panel(ctx, key, items, stem, matrix)
            if panel is not None:
                # Skip logic can leave a unit with too few answers to a question: nothing to draw or offer
                panel.shown = panel.shown and any(ctx.unit.figure(i.key).n for i in items)
                panels.append(panel)
    return panels


def blocks(section: Section) -> list[Block]:
    """Group a section's items into chartable blocks: a matrix, or consecutive items on one scale."""
    out: list[Block] = []
    for element in section.elements:
        if isinstance(element, Matrix):
            out.append((element.key, list(element.rows), element.text, element))
        elif element.type in ("choice", "multi"):
            previous = out[-1] if out else None
            if (previous and previous[3] is None and previous[1][0].scale
                    and previous[1][0].scale == element.scale):
                previous[1].append(element)
            else:
                out.append((element.key, [element], element.text, None))
    return out


def item_panel(ctx: Context, key: str, items: list[Item], stem, matrix: Matrix | None) -> Panel | None:
    first = items[0]
    if first.type == "multi":
        return multi.build_item(ctx, first)
    view = ctx.config.scale(first.scale)
    if view.panel == "share":
        return share.build_block(ctx, key, items, stem, view.codes, matrix)
    if view.panel == "agreement":
        return agreement.build_block(ctx, key, items, stem, view.codes, matrix)
    if first.type == "choice":
        return distribution.build_block(ctx, key, items, stem, matrix)
    return None
