"""Guessing passwords: unknown e-mails cost the same hash check as a wrong password."""
from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token
from webapp.extensions import db
from webapp.models import User
from webapp.services.users import create_user, unknown_account_hash

PASSWORD = "correct horse battery"


@contextmanager
def counting_key_derivations() -> Iterator[list[object]]:
    """Count, in this thread, the calls of the real key derivation functions password hashes use."""
    derivations = (hashlib.scrypt, hashlib.pbkdf2_hmac)
    calls: list[object] = []

    def profile(frame, event: str, arg: object) -> None:  # noqa: ANN001
        if event == "c_call" and any(arg is derivation for derivation in derivations):
            calls.append(arg)

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        yield calls
    finally:
        sys.setprofile(previous)


@pytest.fixture()
def accounts(app):
    with app.app_context():
        create_user(db.session, "admin@example.org", PASSWORD, "admin")
        db.session.commit()


def attempt(client, email: str, password: str):
    page = client.get("/login").get_data(as_text=True)
    return client.post("/login", data={"csrf_token": csrf_token(page), "email": email, "password": password})


def test_an_unknown_email_costs_the_same_key_derivation_as_a_wrong_password(app, client, accounts):
    # Counting calls of the real hash function, not timing them: a timed assertion would be flaky on a
    # loaded machine, while skipping the hash for unknown e-mails shows here as 0 calls against 1.
    with counting_key_derivations() as unknown:
        assert attempt(client, "nobody@example.org", PASSWORD).status_code == 422
    with counting_key_derivations() as wrong:
        assert attempt(client, "admin@example.org", "wrong password").status_code == 422
    assert len(unknown) == len(wrong) == 1 and unknown == wrong

    with app.app_context():
        stored = db.session.scalar(select(User.password_hash).filter_by(email="admin@example.org"))
    method = stored.split("$", 1)[0]
    assert method.startswith("scrypt:") and unknown_account_hash().split("$", 1)[0] == method
