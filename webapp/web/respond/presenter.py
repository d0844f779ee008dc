"""What a questionnaire page and the summary show, computed from the definition and the draft."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from webapp.domain.answers import is_visible
from webapp.domain.questionnaire import Item, Matrix, Section
from webapp.services.answering import SUMMARY, Link
from webapp.web.templating import definition_text


@dataclass(frozen=True)
class Shown:
    """An item on the page; `live` when its condition depends on this same page (toggled in the browser)."""

    item: Item
    live: bool
    hidden: bool


def page_context(link: Link, section: Section, token: str) -> dict[str, Any]:
    """Return the template variables of one questionnaire page.

    Progress counts the questionnaire's pages before this one out of all of them, asked or skipped:
    the pages that skip logic adds or leaves out never make it move backwards.
    """
    index = link.questionnaire.section_index(section.key)
    return {
        "link": link, "token": token, "section": section, "questionnaire": link.questionnaire,
        "blocks": _blocks(link, section), "percent_done": progress_percent(link, section.key),
        "first": index == 0, "back_key": link.page_before(section.key),
    }


def progress_percent(link: Link, key: str) -> int:
    """Return how much of the questionnaire lies before page `key`, in whole percent."""
    return 100 * link.questionnaire.section_index(key) // len(link.questionnaire.sections)


def _shown(link: Link, section: Section, item: Item) -> Shown | None:
    answers = link.answers
    if item.show_if is None:
        return Shown(item, False, False)
    same_page = link.questionnaire.items[item.show_if.item].section == section.key
    if same_page:
        return Shown(item, True, not is_visible(item, answers))
    return Shown(item, False, False) if is_visible(item, answers) else None


def _blocks(link: Link, section: Section) -> list[tuple[Matrix | None, list[Shown]]]:
    blocks: list[tuple[Matrix | None, list[Shown]]] = []
    for element in section.elements:
        rows = element.rows if isinstance(element, Matrix) else (element,)
        shown = [s for s in (_shown(link, section, row) for row in rows) if s is not None]
        if shown:
            blocks.append((element if isinstance(element, Matrix) else None, shown))
    return blocks


@dataclass(frozen=True)
class ShownAnswer:
    """An answer on the summary: its texts (several for a multi-select), or unanswered."""

    texts: tuple[str, ...]

    @property
    def answered(self) -> bool:
        return bool(self.texts)


def answer_text(item: Item, value: Any) -> ShownAnswer:
    """Return an answer as the respondent would say it."""
    if value is None or value == "" or value == []:
        return ShownAnswer(())
    if item.type in ("choice", "multi"):
        codes = value if isinstance(value, list) else [value]
        return ShownAnswer(tuple(definition_text(o.label) for o in item.options if o.code in codes))
    return ShownAnswer((str(value),))


def summary_rows(link: Link) -> list[tuple[Section, list[tuple[Item, ShownAnswer]]]]:
    """Return every asked page with its questions and the answers given."""
    answers = link.answers
    rows = []
    for section in link.pages():
        items = [i for i in section.items if is_visible(i, answers)]
        rows.append((section, [(i, answer_text(i, answers.get(i.key))) for i in items]))
    return rows


__all__ = ["SUMMARY", "page_context", "summary_rows"]
