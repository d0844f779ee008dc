"""Plausible simulated answers, for demo data, tests and benchmarks."""
from __future__ import annotations

import random
from typing import Any

from webapp.domain.answers import is_visible
from webapp.domain.questionnaire import Item, Questionnaire


def simulate_answers(questionnaire: Questionnaire, rng: random.Random,
                     skip_rate: float = 0.05) -> dict[str, Any]:
    """Return a complete, valid set of answers from someone who passes the screening."""
    answers: dict[str, Any] = {}
    for section in questionnaire.sections:
        for item in section.items:
            if not is_visible(item, answers):
                continue
            if item.screen_out_reason:
                answers[item.key] = item.screen_out_unless[0]
                continue
            if not item.required and rng.random() < skip_rate:
                continue
            value = _value(item, rng)
            if value is not None:
                answers[item.key] = value
    return answers


def _value(item: Item, rng: random.Random) -> Any:
    if item.type == "choice":
        weights = [0.3 if o.na else 1.0 for o in item.options]
        return rng.choices(item.codes, weights=weights)[0]
    if item.type == "multi":
        if item.exclusive and rng.random() < 0.45:
            return [item.exclusive[0]]
        pool = [c for c in item.codes if c not in item.exclusive]
        upper = min(item.max_choices or 3, len(pool))
        picked = set(rng.sample(pool, rng.randint(max(item.min_choices or 1, 1), upper)))
        return [c for c in item.codes if c in picked]
    if item.type == "integer":
        return rng.randint(max(item.minimum or 1, 20), item.maximum or 100)
    return None
