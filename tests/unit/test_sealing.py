"""Sealed values: fixed size, only the right key opens them, nothing readable inside."""
from __future__ import annotations

import hashlib

import pytest

from webapp.domain import sealing

TOKEN = "k3hYqL0b1x8r1bHq9mS0a3v3xH9dQyQy"


def worst_case_answers(questionnaire) -> dict:  # noqa: ANN001
    """Every item at its longest value: all options, the longest code, free text of control characters
    (which JSON escapes to 6 bytes each)."""
    worst = {}
    for key, item in questionnaire.items.items():
        if item.type == "multi":
            worst[key] = list(item.codes)
        elif item.type == "choice":
            worst[key] = max(item.codes, key=len)
        elif item.type == "integer":
            worst[key] = -(10 ** 12)
        else:
            worst[key] = "\x01" * item.max_length
    return worst


def test_every_answer_set_of_the_questionnaire_seals_to_one_size(questionnaire):
    key = sealing.draft_key(TOKEN)
    empty = sealing.seal(key, {}, sealing.DRAFT_CONTEXT)
    worst = sealing.seal(key, worst_case_answers(questionnaire), sealing.DRAFT_CONTEXT)
    assert len(empty) == len(worst) == sealing.NONCE_BYTES + sealing.SEALED_SIZE + 16


def test_a_sealed_value_opens_only_with_its_key_and_context():
    answers = {"b_rolle": "bua", "fritekst": "Hemmelig æøå", "b_stillingsprosent": 60}
    sealed = sealing.seal(sealing.draft_key(TOKEN), answers, sealing.DRAFT_CONTEXT)
    # (fragments long enough that random ciphertext cannot hold them by chance: "bua" alone did, once)
    assert b'"b_rolle"' not in sealed and "Hemmelig æøå".encode() not in sealed
    assert sealing.unseal(sealing.draft_key(TOKEN), sealed, sealing.DRAFT_CONTEXT) == answers
    stored_hash = hashlib.sha256(TOKEN.encode()).hexdigest()  # what the database knows of the token
    for key, context in ((sealing.draft_key(stored_hash), sealing.DRAFT_CONTEXT),
                         (sealing.draft_key(TOKEN + "x"), sealing.DRAFT_CONTEXT),
                         (sealing.draft_key(TOKEN), sealing.pool_context(1, 1))):
        with pytest.raises(sealing.SealError):
            sealing.unseal(key, sealed, context)
    altered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(sealing.SealError):
        sealing.unseal(sealing.draft_key(TOKEN), altered, sealing.DRAFT_CONTEXT)


def test_the_same_answers_never_seal_to_the_same_bytes():
    key = sealing.pool_key("test-secret-key-0123456789abcdef")
    first, second = (sealing.seal(key, {"a": "1"}, sealing.pool_context(1, 2)) for _ in range(2))
    assert first != second
    with pytest.raises(sealing.SealError):
        sealing.unseal(key, first, sealing.pool_context(1, 3))  # moved to another school: refused
    assert sealing.pool_key("another-secret-key-0123456789") != key
    assert key != sealing.draft_key("test-secret-key-0123456789abcdef")
