"""The front page and the landing after log-in, in Chromium at phone and desktop width."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import PHONE
from tests.conftest import ARTIFACTS
from webapp.extensions import db
from webapp.models import Kommune, School
from webapp.services.rounds import get_round
from webapp.services.users import create_user

PASSWORD = "correct horse battery"


@pytest.fixture()
def accounts(app, open_round):
    """A tillitsvalgt in Fjordvik and the leader of Breivika skole (S1); returns the ids they land on."""
    with app.app_context():
        create_user(db.session, "tv@example.org", PASSWORD, "tillitsvalgt", kommune="Fjordvik")
        create_user(db.session, "leder@example.org", PASSWORD, "skoleleder", school="S1")
        db.session.commit()
        return {"round": get_round(db.session, open_round).id,
                "kommune": db.session.scalar(select(Kommune.id).filter_by(name="Fjordvik")),
                "school": db.session.scalar(select(School.id).filter_by(code="S1"))}


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


@pytest.mark.parametrize("width", [360, 1280])
def test_each_role_lands_on_its_own_unit_and_sees_the_front_page_when_logged_out(
        live_server, browser, accounts, width):
    context = browser.new_context(
        **{**PHONE, "viewport": {"width": width, "height": 740 if width < 400 else 900}})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        # Given someone who opens Laget's address, not logged in
        page.goto(f"{live_server}/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Laget")
        expect(page.get_by_text("personlige lenken")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shot(page, f"landing-{width}.png")

        # When a tillitsvalgt logs in from it, then the kommune's dashboard opens
        unit = f"{live_server}/resultater/{accounts['round']}"
        log_in(page, "tv@example.org")
        expect(page).to_have_url(f"{unit}/kommune/{accounts['kommune']}")
        expect(page.get_by_role("heading", level=1)).to_have_text("Fjordvik")
        shot(page, f"landing-tillitsvalgt-{width}.png")

        # When they log out, then the front page says so
        page.get_by_role("button", name="Logg ut").click()
        expect(page).to_have_url(f"{live_server}/")
        expect(page.get_by_role("status")).to_have_text("Du er logget ut.")
        shot(page, f"landing-logged-out-{width}.png")

        # And a school leader lands on their school
        log_in(page, "leder@example.org")
        expect(page).to_have_url(f"{unit}/skole/{accounts['school']}")
        expect(page.get_by_role("heading", level=1)).to_have_text("Breivika skole")
        shot(page, f"landing-skoleleder-{width}.png")
    finally:
        context.close()


def log_in(page, email: str) -> None:
    page.get_by_role("link", name="Logg inn").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
