"""The shared vocabulary: competence areas, yrkesgrupper and course formats (pure).

Survey versions and the course catalogue both refer to these codes, so a course does not bind to one
version of one questionnaire. The data lives in `surveys/vocabulary/<name>.yaml`; a survey version says
`areas: {vocabulary: <name>, fed_by: {<area>: [{item: …, option: …}]}}` and `compose_areas` turns that
into the self-contained list a published definition stores (labels included, so a published version
keeps the words it was published with).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

Texts = Mapping[str, str]


class VocabularyError(ValueError):
    """The vocabulary file or a reference to it is wrong; the message says where."""


@dataclass(frozen=True)
class Term:
    code: str
    label: Texts
    wish: str | None = None  # formats only: the `onsket_format` option that asks for this format

    def text(self, language: str) -> str:
        return self.label.get(language) or self.label["nb"]


@dataclass(frozen=True)
class Vocabulary:
    name: str
    areas: tuple[Term, ...]
    yrkesgrupper: tuple[Term, ...]
    formats: tuple[Term, ...]

    @property
    def area_codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.areas)

    @property
    def yrkesgruppe_codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.yrkesgrupper)

    @property
    def format_codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.formats)

    def area(self, code: str) -> Term:
        return next(t for t in self.areas if t.code == code)

    def yrkesgruppe(self, code: str) -> Term:
        return next(t for t in self.yrkesgrupper if t.code == code)

    def format(self, code: str) -> Term:
        return next(t for t in self.formats if t.code == code)


def parse_vocabulary(name: str, data: Any) -> Vocabulary:
    """Parse a vocabulary file's content; raise VocabularyError naming the first problem."""
    if not isinstance(data, Mapping):
        raise VocabularyError(f"{name}: the vocabulary must be a mapping")
    return Vocabulary(name, _terms(name, data, "areas"), _terms(name, data, "yrkesgrupper"),
                      _terms(name, data, "formats"))


def _terms(name: str, data: Mapping[str, Any], key: str) -> tuple[Term, ...]:
    raw = data.get(key)
    if not isinstance(raw, list) or not raw:
        raise VocabularyError(f"{name}: {key}: needs a non-empty list")
    terms: list[Term] = []
    for i, entry in enumerate(raw):
        code = entry.get("code") if isinstance(entry, Mapping) else None
        label = entry.get("label") if isinstance(entry, Mapping) else None
        if not isinstance(code, str) or not code or not isinstance(label, Mapping) or "nb" not in label:
            raise VocabularyError(f"{name}: {key}[{i}]: needs a code and a label with at least 'nb'")
        if any(t.code == code for t in terms):
            raise VocabularyError(f"{name}: {key}[{i}]: duplicate code {code!r}")
        terms.append(Term(code, {k: str(v) for k, v in label.items()}, entry.get("wish")))
    return tuple(terms)


def compose_areas(reference: Mapping[str, Any], vocabulary: Vocabulary) -> list[dict]:
    """Turn a survey version's reference to the vocabulary into its self-contained `areas` list.

    Every area of the vocabulary appears, in the vocabulary's order; `fed_by` names the version's own
    items that feed an area (an area not named is fed by `onsket_omrade` only)."""
    fed_by = reference.get("fed_by") or {}
    if not isinstance(fed_by, Mapping):
        raise VocabularyError("areas.fed_by: must map area codes to lists of {item, option}")
    unknown = sorted(set(fed_by) - set(vocabulary.area_codes))
    if unknown:
        raise VocabularyError(f"areas.fed_by: {unknown} are not areas of the vocabulary {vocabulary.name!r}")
    return [{"code": term.code, "label": dict(term.label), "fed_by": list(fed_by.get(term.code) or [])}
            for term in vocabulary.areas]
