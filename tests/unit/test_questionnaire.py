"""The definition parser: the shipped questionnaire is valid; broken ones list every error with its path."""
import copy
import re

import pytest

from webapp.config import PROJECT_ROOT
from webapp.domain.questionnaire import DefinitionError, content_hash, parse_definition

MINIMAL = {
    "format": 1, "slug": "mini", "version": 1, "title": {"nb": "Mini"}, "intro": {"nb": "Hei"},
    "consent": {"nb": "Samtykke"},
    "scales": {"janei": {"options": [{"code": "ja", "label": {"nb": "Ja"}},
                                     {"code": "nei", "label": {"nb": "Nei"}}]}},
    "sections": [
        {"key": "en", "title": {"nb": "En"}, "items": [
            {"key": "q1", "type": "choice", "scale": "janei", "text": {"nb": "Spørsmål 1"}},
            {"key": "q2", "type": "integer", "min": 1, "max": 100, "text": {"nb": "Tall"},
             "show_if": {"item": "q1", "equals": "ja"}},
        ]},
    ],
}


def errors_of(data) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data)
    return caught.value.errors


def test_minimal_definition_parses():
    q = parse_definition(MINIMAL)
    assert list(q.items) == ["q1", "q2"]
    assert q.items["q2"].show_if.holds({"q1": "ja"}) and not q.items["q2"].show_if.holds({"q1": "nei"})


def test_shipped_questionnaire_has_twelve_pages_and_all_sections(questionnaire):
    assert [s.key for s in questionnaire.sections][:2] == ["samtykke", "bakgrunn"]
    assert len(questionnaire.sections) == 12
    assert questionnaire.items["behov_fravaer"].show_if.item == "arbeid_fravaer"
    assert questionnaire.items["utvikling_aktiviteter"].exclusive == ("ingen",)
    assert questionnaire.items["onsket_omrade"].max_choices == 3
    assert len(questionnaire.items["onsket_omrade"].options) == len(questionnaire.areas) == 15


def test_every_errors_is_reported_with_its_path():
    data = copy.deepcopy(MINIMAL)
    data["sections"][0]["items"][0]["scale"] = "nope"
    data["sections"][0]["items"].append({"key": "q1", "type": "text", "text": {"nb": "Dobbel"}})
    data["sections"][0]["items"][1]["show_if"] = {"item": "ukjent", "equals": "ja"}
    errors = errors_of(data)
    assert "sections[0].items[0].scale: unknown scale 'nope'" in errors
    assert "sections[0].items[2].key: duplicate item key 'q1'" in errors
    assert "sections[0].items[1].show_if.item: unknown item 'ukjent'" in errors


def test_skip_rule_must_refer_to_an_earlier_item():
    data = copy.deepcopy(MINIMAL)
    items = data["sections"][0]["items"]
    items[0]["show_if"] = {"item": "q2", "at_least": 3}
    assert any("must come before" in e for e in errors_of(data))


def test_unknown_option_in_condition_and_bad_types_are_reported():
    data = copy.deepcopy(MINIMAL)
    data["sections"][0]["items"][1]["show_if"] = {"item": "q1", "equals": "kanskje"}
    data["sections"][0]["items"][1]["min"] = "en"
    data["version"] = 0
    errors = errors_of(data)
    assert "sections[0].items[1].show_if: 'kanskje' is not an option of q1" in errors
    assert "sections[0].items[1].min: must be a whole number" in errors
    assert "version: must be a whole number ≥ 1" in errors


def test_option_codes_must_be_strings():
    data = copy.deepcopy(MINIMAL)
    data["scales"]["janei"]["options"][0]["code"] = True  # YAML's unquoted `ja`/`yes` trap
    assert any(e.startswith("scales.janei.options[0].code") for e in errors_of(data))


def test_content_hash_ignores_key_order_but_not_wording():
    reordered = dict(reversed(list(MINIMAL.items())))
    assert content_hash(reordered) == content_hash(MINIMAL)
    changed = copy.deepcopy(MINIMAL)
    changed["sections"][0]["items"][0]["text"]["nb"] = "Endret"
    assert content_hash(changed) != content_hash(MINIMAL)


SCALES = {"grad5", "grad5s", "enig4", "samsvar3", "niva4", "hyppighet6", "samarbeid5", "mote3", "janei"}
SPEC_COPY = PROJECT_ROOT / "docs" / "instrument.md"
SHARED_SPEC = PROJECT_ROOT.parent / "shared" / "design" / "instrument.md"


def codes(text: str) -> list[str]:
    return [c for c in re.findall(r"`([a-z][a-z_0-9]*)`", text) if c not in SCALES]


def spec_item_keys(spec: str) -> set[str]:
    """Every answer key the instrument specification names, with `prefix_<x>` families expanded."""
    keys: set[str] = set()
    body = spec.split("## Competence areas")[0]
    for block in re.split(r"^## ", body, flags=re.M)[1:]:
        if not block.startswith("Section"):
            continue
        paragraphs = re.split(r"\n\s*\n", block)
        for i, para in enumerate(paragraphs):
            family = re.search(r"key `([a-z]+)_<[a-z]+>`", para)
            if family:
                target = para.split(family.group(0), 1)[1].split(' "', 1)[0]  # drop the trailing note
                if not codes(target) and i + 1 < len(paragraphs):
                    target = paragraphs[i + 1]
                rows = re.findall(r"^\| `[a-z_]+` \|(.*)$", target, re.M)
                found = codes(" ".join(rows)) if rows and family.group(1) == "hinder" else (
                    re.findall(r"^\| `([a-z_]+)` \|", target, re.M) or codes(target))
                keys |= {f"{family.group(1)}_{c}" for c in found}
                if family.group(1) == "arbeid":
                    keys |= {f"behov_{c}" for c in found}
                continue
            if para.lstrip().startswith("| key") or para.lstrip().startswith("| group"):
                for row in re.findall(r"^\| `([a-z_]+)` \|(.*)$", para, re.M):
                    keys |= set(codes(row[1])) if para.lstrip().startswith("| group") else {row[0]}
            elif "(`grad5`):" in para and "key" not in para:
                keys |= set(codes(para.split("(`grad5`):", 1)[1]))
            keys |= set(re.findall(r"`((?:hyppig|utvikling)_[a-z_]+)`", para))
    return {k for k in keys if not k.startswith("b_") or re.match(r"b_[a-z]+$", k)}


def test_the_spec_copy_in_docs_matches_the_shared_spec():
    """The copy's contract (from its first section on) is the shared spec's, word for word.

    Its introduction cites the report by name instead of a file outside the repository.
    """
    def contract(text: str) -> str:
        return text[text.index("\n## "):]

    if SHARED_SPEC.exists():  # a clone outside the workspace has only the copy
        copy, shared = (path.read_text(encoding="utf-8") for path in (SPEC_COPY, SHARED_SPEC))
        assert contract(copy) == contract(shared)


def test_every_item_key_of_the_instrument_spec_is_in_the_definition(questionnaire):
    keys = spec_item_keys(SPEC_COPY.read_text(encoding="utf-8"))
    # Given the families of instrument.md, When expanded, Then we see all 96 answer keys …
    assert {"b_samtykke", "behov_nyankomne", "tema_helse", "mote_ressursteam", "samarbeid_politi",
            "hinder_vikar", "verdsatt_samfunn", "anbefale", "onsket_format", "fritekst", "niva"} <= keys
    assert len(keys) == 96
    # … and every one of them is a key of the shipped definition, and vice versa.
    assert sorted(keys - set(questionnaire.items)) == []
    assert sorted(set(questionnaire.items) - keys) == []
