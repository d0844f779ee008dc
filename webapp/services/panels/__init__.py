"""The dashboard's panels, one module each; PANELS says which a dashboard shows and in what order.

To add a panel: write a module with `build(ctx: Context) -> Panel | list[Panel] | None` (common.py has
the Panel, the Context and their helpers) and add its `build` to PANELS where it should appear.
"""
from __future__ import annotations

from webapp.services.panels import areas, comparison, gaps, need, need_heatmap, perception, questions, trend
from webapp.services.panels.common import Builder, Context, Panel

PANELS: tuple[Builder, ...] = (
    gaps.build,          # «Kompetansebehov»: the gap per competence area, overall and per yrkesgruppe
    need.build,          # competence need per pupil group
    need_heatmap.build,  # … by occupational group
    areas.build,         # competence need per competence area
    trend.build,         # key indicators across rounds
    questions.build,     # one panel per block of the questionnaire, in its order
    perception.build,    # the leaders' yes/no next to the staff's answers to the same statements
    comparison.build,    # next to the level above and the national figures
)


def build_panels(ctx: Context, panels: tuple[Builder, ...] = PANELS) -> list[Panel]:
    """Every panel the builders give for this unit, in their order; those with nothing to show left out."""
    out: list[Panel] = []
    for builder in panels:
        built = builder(ctx)
        if isinstance(built, Panel):
            out.append(built)
        elif built:
            out.extend(built)
    return out


__all__ = ["PANELS", "Builder", "Context", "Panel", "build_panels"]
