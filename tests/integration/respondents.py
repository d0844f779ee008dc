"""Respondents for the storage tests: answer every page and submit through the answering service."""
from __future__ import annotations

import random

from webapp.domain.simulate import simulate_answers
from webapp.services import answering


def submit_as(session, token: str, seed: int, fritekst: str) -> None:  # noqa: ANN001
    """Answer as one person (their free text marks them) and send, in a transaction of its own."""
    link = answering.open_link(session, token)
    answers = simulate_answers(link.questionnaire, random.Random(seed))
    answers["fritekst"] = fritekst
    for section in link.questionnaire.sections:
        answering.save_page(session, link, section.key, answers)
        session.commit()  # every page is saved on its own, as in the browser
    link = answering.open_link(session, token)
    assert answering.submit(session, link).stored
    session.commit()
