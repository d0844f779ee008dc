"""Sealed values: JSON padded to a fixed size and encrypted with AES-256-GCM.

Drafts are sealed with a key derived from the link's token, which the database does not hold (it
has only SHA-256 of the token, from which the key cannot be derived); pooled responses with a key
derived from the server's SECRET_KEY. Every value is padded to the same size before encryption, so
the stored length says nothing about how much was answered.
"""
from __future__ import annotations

import json
import secrets
import struct
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# Plaintext bytes of one sealed value, padding included. The largest possible answer set of the
# shipped questionnaire is under 15 KB as JSON: 2,000 characters of free text escaped at their worst
# (6 bytes each) plus every other item at its longest value. A typical one is 1–3 KB; one size for
# all means a draft of one page and a finished one with a long free text look the same.
SEALED_SIZE = 16 * 1024
NONCE_BYTES = 12
_LENGTH = struct.Struct(">I")
DRAFT_INFO = b"laget draft v1"
POOL_INFO = b"laget response pool v1"
DRAFT_CONTEXT = b"draft"


class SealError(ValueError):
    """A sealed value cannot be opened: another key, or the bytes were altered."""


def _derive(material: bytes, info: bytes) -> bytes:
    # HKDF keeps the secret as input keying material (not as an HMAC key, which HMAC would replace
    # by its SHA-256 when longer than 64 bytes: for a token, exactly what the database stores).
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(material)


def draft_key(token: str) -> bytes:
    """Return the key of a link's draft, derived from its token."""
    return _derive(token.encode("utf-8"), DRAFT_INFO)


def pool_key(secret_key: str) -> bytes:
    """Return the key of pooled responses, derived from the server's SECRET_KEY."""
    return _derive(secret_key.encode("utf-8"), POOL_INFO)


def pool_context(round_id: int, school_id: int) -> bytes:
    """Bind a pooled response to its round and school (a row moved elsewhere will not open)."""
    return f"pool:{round_id}:{school_id}".encode("ascii")


def seal(key: bytes, value: Any, context: bytes) -> bytes:
    """Encrypt `value` (JSON) padded to a multiple of SEALED_SIZE; returns nonce + ciphertext."""
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    body = _LENGTH.pack(len(data)) + data
    padded = body + bytes(-len(body) % SEALED_SIZE)
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, padded, context)


def unseal(key: bytes, sealed: bytes, context: bytes) -> Any:
    """Decrypt a value sealed by `seal`; raise SealError when it cannot be opened."""
    try:
        padded = AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], context)
    except (InvalidTag, ValueError):
        raise SealError("the sealed value cannot be opened with this key") from None
    (length,) = _LENGTH.unpack_from(padded)
    return json.loads(padded[_LENGTH.size:_LENGTH.size + length].decode("utf-8"))
