"""Answer errors from the domain, in the respondent's language."""
from __future__ import annotations

from flask_babel import gettext as _

from webapp.domain.answers import AnswerError
from webapp.domain.questionnaire import Item
from webapp.domain.texts import pick


def definition_text(texts) -> str:  # noqa: ANN001
    from flask_babel import get_locale

    return pick(texts, str(get_locale() or "nb"))


def answer_error_message(error: AnswerError, item: Item | None = None) -> str:
    """Translate one domain answer error into a sentence for the respondent."""
    p = error.params
    option = item.option(str(p.get("option"))) if item is not None and "option" in p else None
    option_label = definition_text(option.label) if option else str(p.get("option", ""))
    messages = {
        "required": lambda: _("Please answer this question."),
        "invalid_option": lambda: _("Choose one of the options."),
        "duplicate_option": lambda: _("Each option can only be chosen once."),
        "exclusive": lambda: _("«%(option)s» cannot be combined with other options.", option=option_label),
        "too_many": lambda: _("Choose at most %(max)d.", max=p.get("max", 0)),
        "too_few": lambda: _("Choose at least %(min)d.", min=p.get("min", 0)),
        "not_a_number": lambda: _("Write a whole number, for example 60."),
        "out_of_range": lambda: _("Write a number from %(min)s to %(max)s.", min=p.get("min"),
                                  max=p.get("max")),
        "too_long": lambda: _("At most %(max)d characters (you wrote %(length)d).",
                              max=p.get("max", 0), length=p.get("length", 0)),
        "unknown_item": lambda: _("the questionnaire has no question «%(key)s»", key=error.key),
        "hidden": lambda: _("this question is not asked given the answer to %(item)s, so it must be empty",
                            item=getattr(p.get("condition"), "item", "?")),
        "screened_out": lambda: _("a screening answer ends the questionnaire here, "
                                  "so this row is not a response"),
    }
    return messages.get(error.code, lambda: _("This answer cannot be used."))()
