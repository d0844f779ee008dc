"""Guessing passwords: attempts limited per account and per address; unknown e-mails cost a hash too."""
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
# Documentation addresses (RFC 5737), only ever written into the WSGI environ of test requests.
ADDRESS = "203.0.113.10"


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
        create_user(db.session, "tv@example.org", PASSWORD, "tillitsvalgt")
        db.session.commit()


def attempt(client, email: str, password: str, address: str = ADDRESS, **headers: str):
    page = client.get("/login").get_data(as_text=True)
    return client.post("/login", data={"csrf_token": csrf_token(page), "email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address}, headers=headers)


def test_an_account_is_refused_after_five_attempts_without_checking_the_password(app, client, accounts):
    # Given five wrong passwords for one account, each from another address and spelled another way …
    for number, spelling in enumerate(["admin@example.org", "Admin@Example.org", " admin@example.org ",
                                       "ADMIN@EXAMPLE.ORG", "admin@example.org"]):
        wrong = attempt(client, spelling, "wrong password", address=f"203.0.113.{number + 1}")
        assert wrong.status_code == 422

    # When the right password comes from a sixth address …
    with counting_key_derivations() as derivations:
        refused = attempt(client, "admin@example.org", PASSWORD, address="203.0.113.6")

    # Then it is refused with the form and a Norwegian message, and no password hash was even computed
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429 and derivations == []
    assert "For mange forsøk. Prøv igjen om 15 minutter." in page and 'name="password"' in page
    assert 0 < int(refused.headers["Retry-After"]) <= 15 * 60 + 1
    assert client.get("/resultater/").status_code == 302
    # … while another account still logs in from that address
    assert attempt(client, "tv@example.org", PASSWORD, address="203.0.113.6").status_code == 302


def test_an_address_is_refused_after_ten_attempts_whatever_x_forwarded_for_says(app, client, accounts):
    # Given ten attempts from one address at ten e-mails, each claiming another address in X-Forwarded-For
    # (which nothing trusts unless TRUSTED_PROXY_COUNT is set) …
    for number in range(10):
        response = attempt(client, f"nobody{number}@example.org", PASSWORD,
                           **{"X-Forwarded-For": f"198.51.100.{number}"})
        assert response.status_code == 422

    # Then the eleventh is refused, even with the right password of a fresh account …
    refused = attempt(client, "admin@example.org", PASSWORD, **{"X-Forwarded-For": "198.51.100.99"})
    assert refused.status_code == 429 and "For mange forsøk" in refused.get_data(as_text=True)
    assert client.get("/resultater/").status_code == 302
    # … and the same log-in from another address goes through
    assert attempt(client, "admin@example.org", PASSWORD, address="203.0.113.20").status_code == 302


def test_guesses_at_the_password_form_count_against_the_account(app, client, accounts):
    # Given a log-in (which counts nothing: it was right) and five wrong current passwords on the password
    # form: five attempts at the account …
    assert attempt(client, "admin@example.org", PASSWORD).status_code == 302
    for _ in range(5):
        page = client.get("/konto/passord").get_data(as_text=True)
        wrong = client.post("/konto/passord", data={
            "csrf_token": csrf_token(page), "current_password": "a wrong guess",
            "new_password": "another password", "new_password_again": "another password"},
            environ_base={"REMOTE_ADDR": ADDRESS})
        assert wrong.status_code == 422

    # Then a log-in to it from elsewhere is refused, and so is a sixth guess on the form, with its form
    other = app.test_client()
    refused = attempt(other, "admin@example.org", PASSWORD, address="203.0.113.30")
    assert refused.status_code == 429 and "For mange forsøk" in refused.get_data(as_text=True)
    page = client.get("/konto/passord").get_data(as_text=True)
    guess = client.post("/konto/passord", data={
        "csrf_token": csrf_token(page), "current_password": PASSWORD,
        "new_password": "another password", "new_password_again": "another password"})
    assert guess.status_code == 429 and 'name="current_password"' in guess.get_data(as_text=True)


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


def log_out(client) -> None:
    page = client.get("/login").get_data(as_text=True)
    assert client.post("/logout", data={"csrf_token": csrf_token(page)}).status_code == 302


def test_successful_log_ins_never_bring_anyone_closer_to_a_lockout(app, client, accounts):
    # Given three accounts that log in and out in turn from one address, six times each: eighteen
    # log-ins, more than the address's ten and each account's five attempts …
    with app.app_context():
        create_user(db.session, "leder@example.org", PASSWORD, "admin")
        db.session.commit()
    emails = ["admin@example.org", "tv@example.org", "leder@example.org"]
    codes = []
    for _round in range(6):
        for email in emails:
            codes.append(attempt(client, email, PASSWORD).status_code)
            log_out(client)

    # Then none was refused
    assert codes == [302] * 18


def test_wrong_guesses_are_still_refused_after_successful_log_ins(app, client, accounts):
    # Given successful log-ins from one address, with four wrong guesses at one account among them …
    for _ in range(4):
        assert attempt(client, "tv@example.org", PASSWORD).status_code == 302
        log_out(client)
    for _ in range(4):
        assert attempt(client, "admin@example.org", "wrong password").status_code == 422
    assert attempt(client, "admin@example.org", PASSWORD).status_code == 302
    log_out(client)

    # When a fifth wrong guess comes (the right log-in between gave back only its own attempt) …
    assert attempt(client, "admin@example.org", "wrong password").status_code == 422

    # Then the account is refused, even with the right password, from any address
    assert attempt(client, "admin@example.org", PASSWORD, address="203.0.113.40").status_code == 429
    # … and five more wrong guesses from the address (ten in all) leave it refused too
    for number in range(5):
        assert attempt(client, f"nobody{number}@example.org", "wrong password").status_code == 422
    assert attempt(client, "tv@example.org", PASSWORD).status_code == 429
