"""Sessions end everywhere at log-out and at a new password; users change their own password."""
from __future__ import annotations

import pytest

from tests.conftest import csrf_token
from webapp.extensions import db
from webapp.services.users import create_user

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new secret"


@pytest.fixture()
def admin(app):
    with app.app_context():
        create_user(db.session, "admin@example.org", PASSWORD, "admin")
        db.session.commit()


def log_in(client, password: str = PASSWORD):
    page = client.get("/login").get_data(as_text=True)
    return client.post("/login", data={"csrf_token": csrf_token(page), "email": "admin@example.org",
                                       "password": password})


def logged_in(client) -> bool:
    return client.get("/resultater/").status_code == 200


def change_password(client, current: str, new: str, again: str | None = None):
    page = client.get("/konto/passord").get_data(as_text=True)
    return client.post("/konto/passord", data={"csrf_token": csrf_token(page), "current_password": current,
                                               "new_password": new, "new_password_again": again or new})


def test_a_session_cookie_copied_before_log_out_is_refused_after_it(app, client, admin):
    # Given a logged-in browser whose session cookie someone has copied …
    assert log_in(client).status_code == 302
    copied = client.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert logged_in(thief)

    # When the user logs out …
    page = client.get("/resultater/").get_data(as_text=True)
    assert client.post("/logout", data={"csrf_token": csrf_token(page)}).status_code == 302

    # Then the copy no longer works either, and logging in again does
    assert not logged_in(thief) and not logged_in(client)
    assert log_in(client).status_code == 302 and logged_in(client)


def test_a_password_change_logs_out_the_users_other_sessions(app, client, admin):
    # Given the same user logged in on two devices …
    other = app.test_client()
    assert log_in(client).status_code == 302 and log_in(other).status_code == 302

    # When the password is changed on one of them …
    changed = change_password(client, PASSWORD, NEW_PASSWORD)
    assert changed.status_code == 302
    assert "Passordet ditt er byttet" in client.get(changed.location).get_data(as_text=True)

    # Then that one stays logged in, the other is logged out, and only the new password works
    assert logged_in(client) and not logged_in(other)
    assert log_in(other, PASSWORD).status_code == 422
    assert log_in(other, NEW_PASSWORD).status_code == 302


def test_the_password_form_refuses_a_wrong_current_password_a_short_one_and_a_mismatch(app, client, admin):
    other = app.test_client()
    assert log_in(client).status_code == 302 and log_in(other).status_code == 302

    wrong = change_password(client, "not my password", NEW_PASSWORD)
    assert wrong.status_code == 422 and "Det nåværende passordet er feil." in wrong.get_data(as_text=True)
    short = change_password(client, PASSWORD, "short")
    assert short.status_code == 422 and "Passordet må ha minst 10 tegn." in short.get_data(as_text=True)
    mismatch = change_password(client, PASSWORD, NEW_PASSWORD, "something else entirely")
    assert mismatch.status_code == 422
    assert "De to nye passordene er ikke like." in mismatch.get_data(as_text=True)

    # Nothing changed: both sessions go on
    assert logged_in(client) and logged_in(other)


def test_the_password_page_is_linked_from_the_account_menu_and_needs_a_login(client, admin):
    assert client.get("/konto/passord").status_code == 302
    assert log_in(client).status_code == 302
    assert 'href="/konto/passord">Bytt passord</a>' in client.get("/resultater/").get_data(as_text=True)


def test_laget_user_password_from_stdin_ends_every_session(app, client, admin, laget):
    assert log_in(client).status_code == 302

    result = laget("user", "password", "--email", "Admin@Example.org", "--password-stdin",
                   input=NEW_PASSWORD + "\n")

    assert result.exit_code == 0 and "every session of the account has ended" in result.output
    assert NEW_PASSWORD not in result.output and "admin@example.org" not in result.output.lower()
    assert not logged_in(client)
    assert log_in(client, NEW_PASSWORD).status_code == 302


def test_laget_user_password_prompts_twice_and_refuses_what_it_cannot_use(app, client, admin, laget):
    assert log_in(client).status_code == 302

    unknown = laget("user", "password", "--email", "nobody@example.org", "--password-stdin",
                    input=NEW_PASSWORD)
    assert unknown.exit_code == 1 and "Det finnes ingen konto med denne e-postadressen." in unknown.output
    short = laget("user", "password", "--email", "admin@example.org", input="short\nshort\n")
    assert short.exit_code == 1 and "Passordet må ha minst 10 tegn." in short.output
    assert logged_in(client)

    prompted = laget("user", "password", "--email", "admin@example.org",
                     input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert prompted.exit_code == 0 and not logged_in(client)
    assert log_in(client, NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize("target", ["/\\evil.example/", "//evil.example/", "https://evil.example/",
                                    "/\tevil", "resultater/"])
def test_log_in_never_sends_the_browser_off_the_site(client, admin, target):
    # Given a log-in link whose `next` points elsewhere (a phishing mail could carry one)
    page = client.get("/login").get_data(as_text=True)
    answer = client.post("/login", query_string={"next": target}, data={
        "csrf_token": csrf_token(page), "email": "admin@example.org", "password": PASSWORD})
    # Then the log-in lands on the administrator's own page instead
    assert answer.status_code == 302 and answer.headers["Location"] == "/admin/"


def test_a_tillitsvalgt_lands_on_the_results_not_on_a_forbidden_admin_page(app, client):
    with app.app_context():
        create_user(db.session, "tv@example.org", PASSWORD, "tillitsvalgt")
        db.session.commit()
    page = client.get("/login").get_data(as_text=True)
    answer = client.post("/login", data={"csrf_token": csrf_token(page), "email": "tv@example.org",
                                         "password": PASSWORD})
    # their own units (test_landing)
    assert answer.status_code == 302 and answer.headers["Location"] == "/start"
    assert client.get("/start").status_code == 200
    assert client.get("/resultater/?next=/resultater/1/").status_code == 200
