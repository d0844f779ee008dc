"""axe-core in headless Chromium: no violation on the log-in, the answering pages and a dashboard.

axe.min.js comes with the axe-playwright-python package (a test dependency); it is evaluated in the
page through the DevTools protocol, in a context that lets it past the CSP (the product's pages
themselves are checked under the CSP in test_csp_in_browser.py).
"""
from __future__ import annotations

import os
import re

import axe_playwright_python
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.test_answering_in_browser import choose
from tests.browser.test_answering_resume_in_browser import answered
from tests.browser.test_dashboards_in_browser import log_in, results  # noqa: F401  (results is a fixture)

AXE = os.path.join(os.path.dirname(axe_playwright_python.__file__), "axe.min.js")


def violations(page) -> list[str]:
    """axe-core's violations on the page as it is now, one line each: rule, impact, where."""
    page.evaluate(open(AXE, encoding="utf-8").read())
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in found]


@pytest.fixture()
def phone(browser):
    contexts = []

    def make(width: int = 360):
        context = browser.new_context(**{**PHONE, "viewport": {"width": width, "height": 900}},
                                      bypass_csp=True)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_the_answering_pages_have_no_accessibility_violations(live_server, invite, phone, width):
    page = phone(width)
    page.goto(f"{live_server}/s/{invite('S1')[0]}")
    expect(page).to_have_url(re.compile(r"/side/samtykke$"))
    assert violations(page) == []
    choose(page, "Jeg har lest informasjonen om undersøkelsen og samtykker til å delta.", "Ja")
    page.get_by_role("button", name="Neste").click()
    expect(page).to_have_url(re.compile(r"/side/bakgrunn$"))
    assert violations(page) == []


@pytest.mark.parametrize("width", [360, 1280])
def test_the_log_in_and_a_dashboard_have_no_accessibility_violations(live_server, results, phone, width):  # noqa: F811
    page = phone(width)
    page.goto(f"{live_server}/login")
    assert violations(page) == []
    log_in(page, live_server, "admin@example.org")
    page.goto(f"{live_server}/resultater/{results['round']}/skole/{results['schools']['S1']}")
    expect(page.locator("[data-drawn='true']").first).to_be_visible(timeout=20_000)
    assert violations(page) == []


def test_the_page_that_asks_before_ending_the_survey_has_no_accessibility_violations(
        live_server, invite, phone):
    page = phone(360)
    page.goto(f"{live_server}/s/{invite('S1')[0]}")
    choose(page, "Jeg har lest informasjonen om undersøkelsen og samtykker til å delta.", "Nei")
    page.get_by_role("button", name="Neste").click()
    expect(page).to_have_url(re.compile(r"/avslutt$"))
    assert violations(page) == []


@pytest.mark.parametrize("width", [360, 1280])
def test_the_summary_a_page_changed_from_it_and_the_thanks_have_no_accessibility_violations(
        live_server, invite, phone, width, db_session):
    page = phone(width)
    page.goto(f"{live_server}/s/{answered(db_session, invite, width)}")
    expect(page).to_have_url(re.compile(r"/oppsummering$"))
    assert violations(page) == []
    page.get_by_role("link", name="Endre – Om deg og jobben din").click()
    expect(page).to_have_url(re.compile(r"/side/bakgrunn\?til=oppsummering$"))
    assert violations(page) == []
    page.get_by_role("button", name="Tilbake til oppsummeringen").click()
    page.get_by_role("button", name="Send svarene").click()
    expect(page).to_have_url(re.compile(r"/takk$"))
    assert violations(page) == []
