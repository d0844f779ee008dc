"""Keyboard and way-finding on the questionnaire in Chromium."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE
from tests.browser.test_answering_in_browser import check_page, choose
from tests.conftest import ARTIFACTS

DESKTOP = {**PHONE, "viewport": {"width": 1280, "height": 800}, "has_touch": False}
CONSENT = "Jeg har lest informasjonen om undersøkelsen og samtykker til å delta."


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def test_enter_in_a_field_goes_to_the_next_page(live_server, invite, new_phone, browser):
    for width, context in ((360, new_phone()), (1280, browser.new_context(**DESKTOP))):
        page = context.new_page()
        page.goto(f"{live_server}/s/{invite('S1')[0]}")
        choose(page, CONSENT, "Ja")
        page.keyboard.press("Enter")  # on the consent radio: the only button is «Neste»
        expect(page).to_have_url(re.compile(r"/side/bakgrunn$"))

        # Given a page with both «Tilbake» and «Neste», «Tilbake» shown on the left
        choose(page, "Arbeider du med elevrettet arbeid i skolen?", "Ja")
        choose(page, "Arbeider du heltid eller deltid?", "Deltid")
        back, forward = page.get_by_role("button", name="Tilbake"), page.get_by_role("button", name="Neste")
        forward.scroll_into_view_if_needed()
        assert back.bounding_box()["x"] < forward.bounding_box()["x"]
        if width == 360:
            check_page(page)
        shot(page, f"enter-nav-buttons-{width}.png")

        # When they type the position size and press Enter (a phone keyboard's Go key) in the field
        field = page.get_by_label("Hvor stor er stillingen din (prosent)?")
        field.fill("60")
        field.press("Enter")

        # Then they land on the next page, not the one before
        expect(page).to_have_url(re.compile(r"/side/elevgrupper_arbeid$"))
        context.close()
