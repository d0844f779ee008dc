"""What a dashboard shows above its panels, and in what order it lays them out.

The summary (the unit's largest gaps) is read from the same published figures as the «Kompetansebehov»
panel; the contents list the page's parts in page order, so each entry jumps to what follows it; the
questionnaire's dashboard file says which panels start open for the reader's role.
"""
from __future__ import annotations

from dataclasses import dataclass

from webapp.domain.questionnaire import Questionnaire
from webapp.domain.texts import pick
from webapp.services import gaps
from webapp.services.dashboard import DashboardPage
from webapp.services.panels import Panel
from webapp.services.panels.questions import blocks
from webapp.services.results import ALL

GAPS_PANEL = "kompetansebehov"
SUGGESTIONS = "forslag"  # the course suggestions' anchor (dashboards/_suggestions.html)
FREE_TEXT = "fritekst"
# The course suggestions follow the panel of the needs per occupational group (else the overall one)
SUGGESTIONS_AFTER = ("kompetansebehov_yrkesgruppe", GAPS_PANEL)


@dataclass(frozen=True)
class TopGap:
    """An area among the unit's largest gaps, as the «Kompetansebehov» panel shows it."""

    area: str  # its name in the page's language
    share: float  # percent who need more competence in it
    n: int  # those who answered the question it is read from


@dataclass(frozen=True)
class Part:
    """One entry of the page's contents, in page order: a panel, a questionnaire section's panels, the
    course suggestions or the free texts."""

    kind: str  # "panel", "section", "suggestions" or "free_text"
    anchor: str
    label: str
    panels: tuple[Panel, ...] = ()


def top_gaps(page: DashboardPage, locale: str, count: int = 3) -> list[TopGap]:
    """The unit's `count` largest gaps, largest first, from its published figures: as many as the
    «Kompetansebehov» panel shows, so an area with too few answers is not named here either."""
    panel = page.panel(GAPS_PANEL)
    if panel is None:
        return []
    found = gaps.from_figures(page.questionnaire, page.unit).gaps.get(ALL, {})
    labels = {a.code: pick(a.label, locale) for a in page.questionnaire.areas}
    largest = sorted(found.values(), key=lambda g: (-g.score, g.area))[:count]
    return [TopGap(labels[g.area], g.share, g.n) for g in largest]


def parts(page: DashboardPage, locale: str, suggestions: bool, free_texts: bool) -> list[Part]:
    """The page's parts in order: each panel, except that a questionnaire section's panels make one part
    under the section's title; the course suggestions after the needs, the free texts last."""
    sections = _sections(page.questionnaire, locale)
    out: list[Part] = []
    for panel in page.panels:
        section = sections.get(panel.key)
        if section is None:
            out.append(Part("panel", panel.key, panel.title, (panel,)))
        elif out and out[-1].kind == "section" and out[-1].anchor == section[0]:
            last = out[-1]
            out[-1] = Part("section", last.anchor, last.label, (*last.panels, panel))
        else:
            out.append(Part("section", section[0], section[1], (panel,)))
    keys = [p.anchor for p in out]
    after = next((keys.index(k) + 1 for k in SUGGESTIONS_AFTER if k in keys), None)
    if suggestions and after is not None:  # a questionnaire without competence areas suggests nothing
        out.insert(after, Part("suggestions", SUGGESTIONS, ""))
    if free_texts:
        out.append(Part("free_text", FREE_TEXT, ""))
    return out


def _sections(questionnaire: Questionnaire, locale: str) -> dict[str, tuple[str, str]]:
    """Each question panel's key -> (anchor, title) of the questionnaire section it belongs to."""
    return {key: (f"del-{section.key}", pick(section.title, locale))
            for section in questionnaire.sections for key, _items, _stem, _matrix in blocks(section)}
