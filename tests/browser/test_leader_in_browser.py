"""A school leader answers the leader questionnaire on a phone and then sees the perception gap."""
from __future__ import annotations

import random
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import PHONE
from tests.browser.test_accessibility import violations
from tests.conftest import ARTIFACTS
from webapp.domain.simulate import simulate_answers
from webapp.extensions import db
from webapp.models import School
from webapp.services import aggregates, answering, org, rounds
from webapp.services.users import create_user

PASSWORD = "correct horse battery"
ORG = ("kommune,fylke,school_code,school_name,skoleslag\n"
       "Fjordvik,Vestland,S1,Breivika skole,grunnskole\n")


@pytest.fixture()
def open_school(app, settings):
    """An open round where eight school assistants at S1 have answered (a published block), and S1's
    leader."""
    rng = random.Random(3)
    with app.app_context():
        org.import_org(db.session, ORG)
        found = rounds.create_round(db.session, settings.surveys_dir, "kompetanse-og-anerkjennelse",
                                    "Høst 2026")
        rounds.set_status(db.session, "Høst 2026", "open")
        for token in rounds.create_invitations(db.session, found, "S1", 8):
            link = answering.open_link(db.session, token)
            answering.store_response(db.session, link.questionnaire, found.id, link.invitation.school_id,
                                     {**simulate_answers(link.questionnaire, rng),
                                      "b_rolle": "skoleassistent"})
        aggregates.rebuild(db.session, found)
        create_user(db.session, "leder@example.org", PASSWORD, "skoleleder", school="S1")
        db.session.commit()
        return {"round": found.id, "school": db.session.scalar(select(School.id).filter_by(code="S1"))}


def test_a_leader_answers_on_a_phone_and_sees_the_perception_gap(live_server, browser, open_school):
    context = browser.new_context(**PHONE)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-postadresse").fill("leder@example.org")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page).to_have_url(re.compile(rf"/resultater/{open_school['round']}/skole/{open_school['school']}$"))
    # Given the link on the school's dashboard, When the leader follows it
    page.get_by_role("link", name=re.compile("Svar på de korte spørsmålene til skolelederen")).click()
    expect(page.get_by_role("heading", name="Spørsmål til skolelederen", level=1)).to_be_visible()
    expect(page.locator(".note-box")).to_contain_text("underskrevne erklæring")
    assistants = page.locator("#group-assistent")
    # and answers one statement only, Then the page says what is missing, in Norwegian
    assistants.locator("fieldset.choice-row").nth(0).get_by_text("Ja", exact=True).click()
    page.get_by_role("button", name="Lagre svarene").click()
    expect(page.locator("#error-summary")).to_contain_text(
        "Svar på alle tre utsagnene for Skoleassistent/miljøarbeider")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "leder-sporsmal-feil-360.png"), full_page=True)
    # When they answer all three and mark a group as not at the school
    assistants.locator("fieldset.choice-row").nth(1).get_by_text("Nei", exact=True).click()
    assistants.locator("fieldset.choice-row").nth(2).get_by_text("Ja", exact=True).click()
    page.locator("#group-laerer_ug").get_by_text("Gruppen finnes ikke ved skolen").click()
    page.screenshot(path=str(ARTIFACTS / "leder-sporsmal-utfylt-360.png"), full_page=True)
    assert violations(page) == []
    page.get_by_role("button", name="Lagre svarene").click()
    # Then they are back on the dashboard, at the panel with their answers beside the staff's
    expect(page.locator(".flash")).to_contain_text("Svarene dine er lagret")
    # the message where the reader is: next to the panel the page opens at, inside the viewport, focused
    page.wait_for_load_state("load")
    expect(page.locator(".flash")).to_be_focused()
    flash = page.locator(".flash").bounding_box()
    assert flash is not None and 0 <= flash["y"] and flash["y"] + flash["height"] <= 740, flash
    assert page.evaluate("document.querySelector('.flash').nextElementSibling.id") == "leder_og_ansatte"
    panel = page.locator("#leder_og_ansatte")
    expect(panel.get_by_role("heading", name=re.compile("Ledere og ansatte"))).to_be_visible()
    expect(panel.locator("[data-drawn='true']")).to_have_count(1, timeout=20_000)
    panel.get_by_text("Vis som tabell").click()
    table = panel.locator("table")
    expect(table).to_contain_text("Skoleassistent/miljøarbeider")
    expect(table).not_to_contain_text("Lærer")  # not published here: not named, not even as absent
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    panel.screenshot(path=str(ARTIFACTS / "leder-og-ansatte-360.png"))
    assert violations(page) == []
    context.close()


def _log_in_wide(browser, live_server):
    context = browser.new_context(**{**PHONE, "viewport": {"width": 1280, "height": 800}})
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-postadresse").fill("leder@example.org")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state("load")
    return context, page


def _hold_plotly(page) -> list:
    """A slow dashboard: Plotly (a deferred script) is held until released, so the page's load event waits."""
    held: list = []
    page.route(re.compile(r"plotly[^/]*\.js"), lambda route: held.append(route))
    return held


def _release(page, held: list) -> None:
    for route in held:
        route.continue_()
    page.wait_for_load_state("load")
    expect(page.locator("[data-drawn='true']").first).to_be_attached(timeout=20_000)
    page.evaluate("new Promise(done => setTimeout(done, 0))")  # after message.js's task on load


SEEN = """() => { const spot = document.elementFromPoint(innerWidth / 2, 20)
  .closest('section, .panel, figure, h2, p, div'); spot.setAttribute('data-seen', '');
  return [spot.tagName, Math.round(spot.getBoundingClientRect().top)]; }"""
STILL_SEEN = """() => [Math.round(document.querySelector('[data-seen]').getBoundingClientRect().top),
  document.activeElement === document.body]"""


def test_a_dashboard_without_a_message_never_moves_the_view_or_the_focus(live_server, browser, open_school):
    context, page = _log_in_wide(browser, live_server)
    dashboard = f"{live_server}/resultater/{open_school['round']}/skole/{open_school['school']}"
    # Given a dashboard that loads slowly, When it has loaded, Then it is at the top and nothing has the focus
    held = _hold_plotly(page)
    page.goto(dashboard, wait_until="commit")
    expect(page.locator("h1")).to_be_visible()
    _release(page, held)
    assert page.evaluate("[window.scrollY, document.activeElement === document.body]") == [0, True]
    # When the reader scrolls while it loads, Then the view stays where they put it
    held = _hold_plotly(page)
    page.goto(dashboard, wait_until="commit")
    expect(page.locator("h1")).to_be_visible()
    page.mouse.move(600, 400)
    page.mouse.wheel(0, 900)
    page.wait_for_function("window.scrollY > 0")
    # (charts drawn above may change scrollY as the browser keeps what is in view in place: what the
    # reader sees is what counts, so the part of the page at the top of the window is followed; what is
    # below it moves down when a chart between them draws, which is the chart's doing, not a scroll)
    seen = page.evaluate(SEEN)
    _release(page, held)
    assert page.evaluate(STILL_SEEN) == [seen[1], True], seen
    context.close()


def test_a_flash_on_a_slow_dashboard_does_not_pull_back_a_reader_who_scrolled(live_server, browser,
                                                                             open_school):
    context, page = _log_in_wide(browser, live_server)
    page.get_by_role("link", name=re.compile("Svar på de korte spørsmålene til skolelederen")).click()
    assistants = page.locator("#group-assistent")
    for row, answer in enumerate(("Ja", "Nei", "Ja")):
        assistants.locator("fieldset.choice-row").nth(row).get_by_text(answer, exact=True).click()
    page.locator("#group-laerer_ug").get_by_text("Gruppen finnes ikke ved skolen").click()
    # Given the dashboard the leader comes back to loads slowly, with «Svarene dine er lagret» in view
    held = _hold_plotly(page)
    page.get_by_role("button", name="Lagre svarene").click()
    flash = page.locator(".flash")
    expect(flash).to_contain_text("Svarene dine er lagret")
    expect(flash).to_be_focused()
    expect(flash).to_be_in_viewport()
    # When the reader scrolls away before it has loaded
    page.mouse.move(600, 400)
    page.mouse.wheel(0, -1500)
    page.wait_for_function("document.querySelector('.flash').getBoundingClientRect().top > innerHeight")
    # Then the load does not pull the view back to the message
    _release(page, held)
    box = flash.bounding_box()
    assert box is not None and box["y"] > 800, box
    context.close()
