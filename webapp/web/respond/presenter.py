"""What a questionnaire page and the summary show, computed from the definition and the draft."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from webapp.domain.answers import AnswerError, is_visible
from webapp.domain.questionnaire import Item, Matrix, Section, Texts
from webapp.services.answering import SUMMARY, Link
from webapp.services.messages import answer_error_message
from webapp.web.templating import definition_text


@dataclass(frozen=True)
class Shown:
    """An item on the page; `live` when its condition depends on this same page (toggled in the browser)."""

    item: Item
    live: bool
    hidden: bool


def page_context(link: Link, section: Section, token: str, to_summary: bool = False) -> dict[str, Any]:
    """Return the template variables of one questionnaire page.

    Progress counts the questionnaire's pages before this one out of all of them, asked or skipped:
    the pages that skip logic adds or leaves out never make it move backwards. A page opened with
    «Endre» from the summary (`to_summary`, once the summary has been reached) is `returning`: its
    button leads back to the summary instead of to the next page.
    """
    index = link.questionnaire.section_index(section.key)
    return {
        "link": link, "token": token, "section": section, "questionnaire": link.questionnaire,
        "blocks": _blocks(link, section), "percent_done": progress_percent(link, section.key),
        "first": index == 0, "back_key": link.page_before(section.key),
        "returning": to_summary and link.may_open(SUMMARY),
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


@dataclass(frozen=True)
class SummaryRow:
    """A line of the summary: a question, with the stem and row group of its matrix when it is a row of
    one (so «Planleggingsdager» reads with «Deltok du … følgende møter?»), and the answer given."""

    item: Item
    stem: Texts | None
    group: Texts | None
    shown: ShownAnswer


def stem_of(section: Section, item: Item) -> tuple[Texts | None, Texts | None]:
    """Return the stem of the matrix `item` is a row of, and its row group's heading (or None)."""
    matrix = next((e for e in section.elements if isinstance(e, Matrix) and e.key == item.matrix), None)
    if matrix is None:
        return None, None
    return matrix.text, matrix.groups.get(item.group) if item.group else None


def summary_rows(link: Link) -> list[tuple[Section, list[SummaryRow]]]:
    """Return every asked page with its questions and the answers given."""
    answers = link.answers
    rows = []
    for section in link.pages():
        items = [i for i in section.items if is_visible(i, answers)]
        rows.append((section, [SummaryRow(i, *stem_of(section, i), answer_text(i, answers.get(i.key)))
                               for i in items]))
    return rows


@dataclass(frozen=True)
class Problem:
    """An answer the Send refused: the message, and the question it is about (with its stem), if any."""

    message: str
    item: Item | None
    stem: Texts | None = None
    group: Texts | None = None


def problems_of(link: Link, errors: list[AnswerError]) -> list[Problem]:
    """Return the Send's errors as the summary lists them."""
    problems = []
    for error in errors:
        item = link.questionnaire.items.get(error.key)
        section = link.questionnaire.section(item.section) if item else None
        stem, group = stem_of(section, item) if item and section else (None, None)
        problems.append(Problem(answer_error_message(error, item), item, stem, group))
    return problems


__all__ = ["SUMMARY", "page_context", "problems_of", "summary_rows"]
