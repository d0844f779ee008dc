"""Closing the browser and opening the personal link again, in Chromium: at the summary, on a page opened
with «Endre», at a screening question's confirmation; the summary's lines and the thank-you page."""
from __future__ import annotations

import random
import re

from playwright.sync_api import expect

from tests.browser.test_answering_in_browser import check_page, choose
from tests.browser.test_answering_navigation_in_browser import DESKTOP, shot
from webapp.domain.simulate import simulate_answers
from webapp.services import answering

SUMMARY_URL = re.compile(r"/s/[^/]+/oppsummering$")


def answered(db_session, invite, seed: int) -> str:
    """A link whose every page has been answered (the summary comes next); needs asked for one group."""
    token = invite("S1")[0]
    link = answering.open_link(db_session, token)
    answers = simulate_answers(link.questionnaire, random.Random(seed))
    answers.update({"b_samtykke": "ja", "b_elevrettet": "ja", "arbeid_saerskilte_behov": "4",
                    "behov_saerskilte_behov": "3", "mote_planleggingsdager": "nei"})
    for section in link.questionnaire.sections:
        answering.save_page(db_session, link, section.key, answers)
    db_session.commit()
    return token


def contexts(new_phone, browser):
    return ((360, new_phone), (1280, lambda: browser.new_context(**DESKTOP)))


def test_the_link_opened_again_at_the_summary_comes_back_to_it_and_send_works(
        live_server, invite, new_phone, browser, db_session):
    for width, make in contexts(new_phone, browser):
        token = answered(db_session, invite, width)
        # Given someone who closes the browser on the summary
        first = make()
        page = first.new_page()
        page.goto(f"{live_server}/s/{token}")
        expect(page).to_have_url(SUMMARY_URL)
        first.close()

        # When they open their link again in a new browser
        page = make().new_page()
        page.goto(f"{live_server}/s/{token}")

        # Then they see the summary with their answers, and Send sends them
        expect(page).to_have_url(SUMMARY_URL)
        expect(page.get_by_role("heading", level=1)).to_have_text("Se over svarene dine")
        expect(page.locator(".summary-row").filter(has_text="Hvor lenge har du arbeidet i skolen?")
               .locator("dd")).not_to_have_text("Ikke besvart")
        page.get_by_role("button", name="Send svarene").click()
        expect(page).to_have_url(re.compile(r"/takk$"))

        # And the thank-you page says when and where results are shown, and nothing of how many answered
        main = page.locator("main")
        expect(main).to_contain_text("skolelederen og de tillitsvalgte")
        expect(main).to_contain_text("når minst 5 personer ved skolen har svart")
        expect(main).to_contain_text("De endelige tallene publiseres når undersøkelsen stenges.")
        assert re.findall(r"\d+", main.inner_text()) == ["5"]
        if width == 360:
            check_page(page)
        shot(page, f"thanks-{width}.png")
        page.context.close()


def test_the_link_opened_again_after_change_comes_back_to_the_summary(
        live_server, invite, new_phone, browser, db_session):
    for width, make in contexts(new_phone, browser):
        token = answered(db_session, invite, width + 1)
        # Given a page opened with «Endre»: its one button leads back to the summary
        first = make()
        page = first.new_page()
        page.goto(f"{live_server}/s/{token}/oppsummering")
        page.get_by_role("link", name="Endre – Om deg og jobben din").click()
        expect(page).to_have_url(re.compile(r"/side/bakgrunn\?til=oppsummering$"))
        back_to_summary = page.get_by_role("button", name="Tilbake til oppsummeringen")
        back_to_summary.scroll_into_view_if_needed()
        expect(back_to_summary).to_be_visible()
        expect(page.get_by_role("button", name="Neste")).to_have_count(0)
        expect(page.get_by_role("button", name="Tilbake", exact=True)).to_have_count(0)
        shot(page, f"change-button-{width}.png")
        first.close()  # … and the browser closed there

        # When they open their link again, they are on the summary
        second = make()
        page = second.new_page()
        page.goto(f"{live_server}/s/{token}")
        expect(page).to_have_url(SUMMARY_URL)

        # Given a change of consent from the summary, which asks before ending, and the browser closed there
        page.get_by_role("link", name="Endre – Samtykke").click()
        choose(page, "Jeg har lest informasjonen om undersøkelsen og samtykker til å delta.", "Nei")
        page.get_by_role("button", name="Tilbake til oppsummeringen").click()
        expect(page).to_have_url(re.compile(r"/avslutt$"))
        second.close()

        # Then the link brings them back to that question; going back and changing it, they reach the summary
        page = make().new_page()
        page.goto(f"{live_server}/s/{token}")
        expect(page).to_have_url(re.compile(r"/avslutt$"))
        page.get_by_role("link", name="Nei, gå tilbake og endre svaret").click()
        choose(page, "Jeg har lest informasjonen om undersøkelsen og samtykker til å delta.", "Ja")
        page.get_by_role("button", name="Neste").click()
        page.goto(f"{live_server}/s/{token}")
        expect(page).to_have_url(SUMMARY_URL)
        page.context.close()


def test_each_line_of_the_summary_says_which_question_it_answers(
        live_server, invite, new_phone, browser, db_session):
    for width, make in contexts(new_phone, browser):
        token = answered(db_session, invite, width + 2)
        page = make().new_page()
        page.goto(f"{live_server}/s/{token}/oppsummering")

        # A row of a matrix is shown with the matrix's stem
        meetings = page.locator(".summary-row").filter(has_text="Planleggingsdager").locator("dt")
        expect(meetings).to_have_text(
            "Deltok du eller ble du invitert til følgende møter ved skolen? Planleggingsdager")
        expect(page.locator(".summary-row").filter(has_text="Planleggingsdager").locator("dd")).to_have_text(
            "Ble ikke invitert")

        # The same row text in two matrices reads as two different questions
        special = page.locator(".summary-row dt").filter(has_text="… elever med særskilte behov")
        expect(special).to_have_count(2)
        expect(special.nth(0)).to_contain_text("i hvilken grad opplever du at du bidro i skolen sitt arbeid")
        expect(special.nth(1)).to_contain_text("I hvilken grad har du behov for mer kompetanse")

        # A row in a group of rows names the group too
        expect(page.locator(".summary-row dt").filter(has_text="Transportmuligheter")).to_contain_text(
            "hindrer deg i å delta i faglig utvikling? – Personlige forhold")
        if width == 360:
            check_page(page)
        page.locator(".summary-row").filter(has_text="Planleggingsdager").scroll_into_view_if_needed()
        shot(page, f"summary-stems-{width}.png")
        page.context.close()
