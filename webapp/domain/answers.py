"""Answers to a questionnaire: skip logic, validation, screening and derived variables.

Answer values: a choice is its option code (str), a multi-select a list of codes in option order,
an integer an int, a free text a str. A missing answer is absent from the mapping.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from webapp.domain.inputs import clean_text
from webapp.domain.questionnaire import Item, Questionnaire, Section

Answers = dict[str, Any]


@dataclass(frozen=True)
class AnswerError:
    """A problem with one answer; `code` is translated by the adapter that shows it."""

    key: str
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def is_visible(item: Item, answers: Mapping[str, Any]) -> bool:
    """Return whether the item is asked, given the answers so far."""
    return item.show_if is None or item.show_if.holds(answers)


def check_value(item: Item, value: Any) -> AnswerError | None:
    """Validate one answer against its item; None when it is acceptable."""
    if is_empty(value):
        return AnswerError(item.key, "required") if item.required else None
    if item.type == "choice":
        return None if str(value) in item.codes else AnswerError(item.key, "invalid_option", {"value": value})
    if item.type == "multi":
        return _check_multi(item, value)
    if item.type == "integer":
        return _check_integer(item, value)
    if not isinstance(value, str):
        return AnswerError(item.key, "invalid_option", {"value": value})
    if item.max_length is not None and len(value) > item.max_length:
        return AnswerError(item.key, "too_long", {"max": item.max_length, "length": len(value)})
    return None


def _check_multi(item: Item, value: Any) -> AnswerError | None:
    if not isinstance(value, list):
        return AnswerError(item.key, "invalid_option", {"value": value})
    unknown = [v for v in value if v not in item.codes]
    if unknown:
        return AnswerError(item.key, "invalid_option", {"value": unknown[0]})
    if len(set(value)) != len(value):
        return AnswerError(item.key, "duplicate_option")
    exclusive = [v for v in value if v in item.exclusive]
    if exclusive and len(value) > 1:
        return AnswerError(item.key, "exclusive", {"option": exclusive[0]})
    if item.max_choices is not None and len(value) > item.max_choices:
        return AnswerError(item.key, "too_many", {"max": item.max_choices})
    if item.min_choices is not None and len(value) < item.min_choices:
        return AnswerError(item.key, "too_few", {"min": item.min_choices})
    return None


def _check_integer(item: Item, value: Any) -> AnswerError | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return AnswerError(item.key, "not_a_number", {"value": value})
    if (item.minimum is not None and value < item.minimum) or (
            item.maximum is not None and value > item.maximum):
        return AnswerError(item.key, "out_of_range", {"min": item.minimum, "max": item.maximum})
    return None


def clean(item: Item, value: Any) -> Any:
    """Drop the control characters of a free-text answer (and make its newlines LF); others are kept."""
    if item.type == "text" and isinstance(value, str):
        return clean_text(value).strip()
    return value


def clean_answers(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> Answers:
    """Clean every free-text answer: for answers kept before control characters were dropped on the way in."""
    items = questionnaire.items
    return {key: clean(items[key], value) if key in items else value for key, value in answers.items()}


def normalise(item: Item, value: Any) -> Any:
    """Put a valid value in canonical form (multi-select codes in option order)."""
    if item.type == "multi" and isinstance(value, list):
        return [code for code in item.codes if code in value]
    return value


def apply_section(
    section: Section, submitted: Mapping[str, Any], earlier: Mapping[str, Any]
) -> tuple[Answers, list[AnswerError]]:
    """Merge a page's answers into the earlier ones, enforcing skip logic and validation.

    Returns all answers after the page and the errors; an invalid answer is left out, a hidden
    item's answer is dropped.
    """
    merged: Answers = dict(earlier)
    errors: list[AnswerError] = []
    for item in section.items:
        merged.pop(item.key, None)
        if not is_visible(item, merged):
            continue
        value = clean(item, submitted.get(item.key))
        problem = check_value(item, value)
        if problem is not None:
            errors.append(problem)
        elif not is_empty(value):
            merged[item.key] = normalise(item, value)
    return merged, errors


def prune_hidden(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> Answers:
    """Drop answers to items that are hidden by earlier answers (after going back and changing one)."""
    kept: Answers = {}
    for section in questionnaire.sections:
        for item in section.items:
            if item.key in answers and is_visible(item, kept):
                kept[item.key] = answers[item.key]
    return kept


def visible_sections(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> list[Section]:
    """Return the pages that have at least one item to ask, given the answers so far."""
    return [s for s in questionnaire.sections if any(is_visible(i, answers) for i in s.items)]


def screen_out_item(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> Item | None:
    """Return the first screening question whose answer ends the questionnaire."""
    for item in questionnaire.items.values():
        value = answers.get(item.key)
        if item.screen_out_reason and not is_empty(value) and str(value) not in item.screen_out_unless:
            return item
    return None


def screen_out_reason(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> str | None:
    """Return 'refused' or 'out_of_scope' when a screening answer ends the questionnaire."""
    item = screen_out_item(questionnaire, answers)
    return item.screen_out_reason if item is not None else None


def validate_response(
    questionnaire: Questionnaire, answers: Mapping[str, Any], strict: bool = False
) -> tuple[Answers, list[AnswerError]]:
    """Validate a whole response; with `strict`, answers to unknown or hidden items are errors."""
    errors: list[AnswerError] = []
    merged: Answers = {}
    for key in answers:
        if key not in questionnaire.items:
            errors.append(AnswerError(key, "unknown_item"))
    for section in questionnaire.sections:
        for item in section.items:
            value = clean(item, answers.get(item.key))
            if not is_visible(item, merged):
                if strict and not is_empty(value):
                    errors.append(AnswerError(item.key, "hidden", {"condition": item.show_if}))
                continue
            problem = check_value(item, value)
            if problem is not None:
                errors.append(problem)
            elif not is_empty(value):
                merged[item.key] = normalise(item, value)
    if screen_out_reason(questionnaire, merged) is not None:
        errors.append(AnswerError("", "screened_out", {"reason": screen_out_reason(questionnaire, merged)}))
    return merged, errors


def derive(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> dict[str, str | None]:
    """Compute the derived variables (yrkesgruppe, ufaglaert, skoleslag …)."""
    return {name: d.value(answers.get(d.source)) for name, d in questionnaire.derived.items()}
