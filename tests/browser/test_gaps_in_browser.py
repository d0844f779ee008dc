"""A school leader's gaps and course suggestions in Chromium, on a phone and a desktop; the tillitsvalgt
of the kommune sees the same suggestions."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import PHONE
from tests.browser.test_accessibility import violations
from tests.conftest import ARTIFACTS, publish_closed_round
from webapp.extensions import db
from webapp.models import Round, School
from webapp.services import matching
from webapp.services.demo import load_demo_courses
from webapp.services.users import create_user

PASSWORD = "correct horse battery"
ORG = ("kommune,fylke,school_code,school_name,skoleslag\n"
       "Fjordvik,Vestland,S1,Breivika skole,grunnskole\n"
       "Fjordvik,Vestland,S2,Haugen skole,grunnskole\n")


@pytest.fixture()
def leader(app, settings):
    """A closed round with 40 and 30 answers, the demo catalogue ranked for it, a leader of S1 and the
    kommune's tillitsvalgt."""
    with app.app_context():
        round_id = publish_closed_round(settings, ORG, "Høst 2026", {"S1": 40, "S2": 30}, seed=5)
        load_demo_courses(db.session, settings)
        matching.recompute_round(db.session, db.session.get(Round, round_id), settings.surveys_dir)
        create_user(db.session, "leder@example.org", PASSWORD, "skoleleder", school="S1")
        create_user(db.session, "tv@example.org", PASSWORD, "tillitsvalgt", kommune="Fjordvik")
        db.session.commit()
        return {"round": round_id, "school": db.session.scalar(select(School.id).filter_by(code="S1"))}


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()


@pytest.mark.parametrize("width", [360, 1280])
def test_a_school_leader_sees_the_gaps_and_courses_with_reasons(live_server, browser, leader, width):
    context = browser.new_context(**{**PHONE, "viewport": {"width": width, "height": 900}}, bypass_csp=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    # Given the leader of Breivika skole, When they log in, Then they land on their school's dashboard
    log_in(page, live_server, "leder@example.org")
    expect(page).to_have_url(re.compile(rf"/resultater/{leader['round']}/skole/{leader['school']}$"))
    gaps = page.locator("#kompetansebehov")
    expect(gaps.get_by_role("heading", name="Kompetansebehov")).to_be_visible()
    expect(gaps.locator("[data-drawn='true']")).to_have_count(1, timeout=20_000)
    expect(gaps.locator(".panel-question")).to_contain_text("n = ")
    # and suggestions, each a link to the offer with a reason built from the page's own figures
    suggestions = page.locator("#forslag .suggestion")
    expect(suggestions.first).to_be_visible()
    count = suggestions.count()
    assert 1 <= count <= 5  # the best five; the rest behind «Vis alle»
    for k in range(count):
        reason = suggestions.nth(k).locator(".reason").inner_text()
        assert re.match(r"Dekker .+: \d+ av \d+ som svarte, trenger mer kompetanse", reason), reason
    first = suggestions.first.get_by_role("link")
    assert first.get_attribute("href").startswith("http")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    gaps.screenshot(path=str(ARTIFACTS / f"gaps-skoleleder-{width}.png"))
    page.locator("#forslag").screenshot(path=str(ARTIFACTS / f"forslag-skoleleder-{width}.png"))
    assert violations(page) == []
    every = page.get_by_role("link", name=re.compile(r"Vis alle \d+ forslag"))
    total = int(re.search(r"\d+", every.inner_text()).group())
    assert total > count
    every.click()
    expect(suggestions).to_have_count(total)

    # When they keep only online courses, Then every suggestion left is one
    page.locator("#forslag select[name=format]").select_option("nettkurs")
    page.locator("#forslag").get_by_role("button", name="Vis").click()
    expect(page.locator("#forslag select[name=format]")).to_have_value("nettkurs")
    left = page.locator("#forslag .suggestion .course-meta")
    assert left.count() >= 1  # the demo catalogue has online courses for these needs
    for k in range(left.count()):
        expect(left.nth(k)).to_contain_text("Nettkurs")
    context.close()


def test_the_tillitsvalgt_reads_the_same_suggestions_for_the_school(live_server, browser, leader):
    pages = []
    for email in ("leder@example.org", "tv@example.org"):
        context = browser.new_context(**PHONE)
        page = context.new_page()
        log_in(page, live_server, email)
        page.goto(f"{live_server}/resultater/{leader['round']}/skole/{leader['school']}")
        pages.append(page.locator("#forslag .suggestion h3").all_inner_texts())
        context.close()
    assert pages[0] and pages[0] == pages[1]
