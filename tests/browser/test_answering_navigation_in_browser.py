"""Keyboard and way-finding on the questionnaire in Chromium: Enter, ending the survey, «Endre»."""
from __future__ import annotations

import random
import re

from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.browser.conftest import PHONE
from tests.browser.test_answering_in_browser import check_page, choose
from tests.conftest import ARTIFACTS
from webapp.domain.simulate import simulate_answers
from webapp.models import Invitation
from webapp.services import answering

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
        expect(page.get_by_text("16 % ferdig")).to_be_visible()
        shot(page, f"progress-{width}.png")
        context.close()


def test_ending_the_survey_is_asked_first_and_going_back_keeps_the_link(
        live_server, invite, new_phone, browser, db_session):
    keep_phone, keep_desktop, end = invite("S1", 3)
    for width, context, keep in ((360, new_phone(), keep_phone),
                                 (1280, browser.new_context(**DESKTOP), keep_desktop)):
        page = context.new_page()
        # When they answer «Nei» to consent
        page.goto(f"{live_server}/s/{keep}")
        choose(page, CONSENT, "Nei")
        page.get_by_role("button", name="Neste").click()

        # Then they are asked first, and can go back to their answer and change it
        expect(page).to_have_url(re.compile(r"/avslutt$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Vil du avslutte undersøkelsen?")
        if width == 360:
            check_page(page)
        shot(page, f"confirm-end-{width}.png")
        page.get_by_role("link", name="Nei, gå tilbake og endre svaret").click()
        expect(page).to_have_url(re.compile(r"/side/samtykke#q-b_samtykke$"))
        expect(page.get_by_role("group", name=CONSENT).get_by_label("Nei", exact=True)).to_be_checked()
        choose(page, CONSENT, "Ja")
        page.get_by_role("button", name="Neste").click()
        expect(page).to_have_url(re.compile(r"/side/bakgrunn(#q-b_samtykke)?$"))  # browsers keep a fragment
        context.close()

    # And when another answers «Nei» and confirms, the survey ends and the link is used
    page = new_phone().new_page()
    page.goto(f"{live_server}/s/{end}")
    choose(page, CONSENT, "Nei")
    page.get_by_role("button", name="Neste").click()
    page.get_by_role("button", name="Ja, avslutt undersøkelsen").click()
    expect(page).to_have_url(re.compile(r"/slutt$"))
    states = sorted(db_session.scalars(select(Invitation.state)))
    assert states == ["open", "open", "refused"]


def test_change_from_the_summary_comes_back_to_it(live_server, invite, new_phone, browser, db_session):
    for width, context in ((360, new_phone()), (1280, browser.new_context(**DESKTOP))):
        # Given someone who has answered every page and sees the summary
        token = invite("S1")[0]
        link = answering.open_link(db_session, token)
        answers = simulate_answers(link.questionnaire, random.Random(width))
        for section in link.questionnaire.sections:
            answering.save_page(db_session, link, section.key, answers)
        db_session.commit()
        page = context.new_page()
        page.goto(f"{live_server}/s/{token}/oppsummering")

        # When they change their background with «Endre» and press «Tilbake til oppsummeringen»
        page.get_by_role("link", name="Endre – Om deg og jobben din").click()
        expect(page).to_have_url(re.compile(r"/side/bakgrunn\?til=oppsummering$"))
        choose(page, "Er du tillitsvalgt?", "Ja")
        shot(page, f"change-from-summary-{width}.png")
        page.get_by_role("button", name="Tilbake til oppsummeringen").click()

        # Then they are back on the summary, with the change in it
        expect(page).to_have_url(re.compile(r"/oppsummering$"))
        row = page.locator(".summary-row").filter(has_text="Er du tillitsvalgt?").locator("dd")
        expect(row).to_have_text("Ja")
        context.close()
