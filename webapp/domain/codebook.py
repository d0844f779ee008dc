"""A compact numeric encoding of answers, one unsigned 16-bit cell per item, for fast aggregation.

Cell values: 0 = not answered. A choice stores its option's position + 1; a multi-select a bit mask
(bit k = option k ticked); an integer its value + 1. Free text is not encoded. The column order is the
definition's item order, and a published definition never changes, so the encoding is stable.

After the stored columns come derived ones, never stored but computed whenever answers are stacked
into a matrix: the need flag of each competence area (domain/needs.py). They are aggregated like
answered items.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from webapp.domain import needs
from webapp.domain.questionnaire import Item, Questionnaire

DTYPE = np.dtype("<u2")
MAX_MULTI_OPTIONS = 16


@dataclass(frozen=True)
class Codebook:
    items: tuple[Item, ...]          # the stored columns, then the derived need flags
    stored_width: int = -1           # how many of `items` are stored in a response's vector
    need_rules: tuple[needs.NeedRule, ...] = ()

    def __post_init__(self) -> None:
        if self.stored_width < 0:  # built from items alone: every column is stored
            object.__setattr__(self, "stored_width", len(self.items))

    @classmethod
    def of(cls, questionnaire: Questionnaire) -> "Codebook":
        """Return the questionnaire's codebook (built once per published version)."""
        key = (questionnaire.slug, questionnaire.version, questionnaire.content_hash)
        if key not in _CODEBOOKS:
            _CODEBOOKS[key] = cls._build(questionnaire)
        return _CODEBOOKS[key]

    @classmethod
    def _build(cls, questionnaire: Questionnaire) -> "Codebook":
        items = []
        for section in questionnaire.sections:
            for item in section.items:
                if item.type == "text":
                    continue
                if item.type == "multi" and len(item.options) > MAX_MULTI_OPTIONS:
                    raise ValueError(f"{item.key}: at most {MAX_MULTI_OPTIONS} options can be aggregated")
                if item.type == "integer" and (item.maximum or 0) >= np.iinfo(DTYPE).max:
                    raise ValueError(f"{item.key}: values must stay below 65535 to be aggregated")
                items.append(item)
        rules = needs.rules(questionnaire, tuple(items))
        return cls(tuple(items) + needs.flag_items(rules), len(items), rules)

    @property
    def width(self) -> int:
        return len(self.items)

    def column(self, key: str) -> int:
        return next(i for i, item in enumerate(self.items) if item.key == key)

    def encode(self, answers: Mapping[str, Any]) -> bytes:
        """Encode validated answers as bytes (little-endian uint16 per item)."""
        cells = np.zeros(self.stored_width, dtype=DTYPE)
        for column, item in enumerate(self.items[:self.stored_width]):
            value = answers.get(item.key)
            if value is None or value == "" or value == []:
                continue
            if item.type == "choice":
                cells[column] = item.codes.index(str(value)) + 1
            elif item.type == "multi":
                cells[column] = sum(1 << item.codes.index(code) for code in value)
            else:
                cells[column] = int(value) + 1
        return cells.tobytes()

    def decode(self, blob: bytes) -> dict[str, Any]:
        """Turn an encoded vector back into answers (the inverse of encode, text aside)."""
        cells = np.frombuffer(blob, dtype=DTYPE)
        answers: dict[str, Any] = {}
        for column, item in enumerate(self.items[:self.stored_width]):
            cell = int(cells[column])
            if cell == 0:
                continue
            if item.type == "choice":
                answers[item.key] = item.codes[cell - 1]
            elif item.type == "multi":
                answers[item.key] = [c for k, c in enumerate(item.codes) if cell >> k & 1]
            else:
                answers[item.key] = cell - 1
        return answers

    def matrix(self, blobs: list[bytes]) -> np.ndarray:
        """Stack encoded vectors into a (respondents × items) array, the derived columns computed."""
        if not blobs:
            return np.zeros((0, self.width), dtype=DTYPE)
        stored = np.frombuffer(b"".join(blobs), dtype=DTYPE).reshape(len(blobs), self.stored_width)
        if not self.need_rules:
            return stored
        return np.hstack([stored, needs.derive(self.need_rules, stored)])


_CODEBOOKS: dict[tuple[str, int, str], Codebook] = {}
