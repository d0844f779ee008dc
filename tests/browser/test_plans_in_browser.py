"""A school leader makes a course plan in Chromium under the real CSP, pins a course, compares two
budgets, saves the plan, downloads it and opens the page to print; the kommune's tillitsvalgt reads it.
Screenshots at 360 and 1280 px go to tests/artifacts/."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from tests.browser.conftest import PHONE
from tests.browser.test_accessibility import violations
from tests.conftest import ARTIFACTS, publish_closed_round
from webapp.extensions import db
from webapp.models import OutboxEvent, Round, School
from webapp.services import matching
from webapp.services.demo import load_demo_courses
from webapp.services.users import create_user

PASSWORD = "correct horse battery"
ORG = ("kommune,fylke,school_code,school_name,skoleslag\n"
       "Fjordvik,Vestland,S1,Breivika skole,grunnskole\n"
       "Fjordvik,Vestland,S2,Haugen skole,grunnskole\n")


@pytest.fixture()
def leader(app, settings):
    with app.app_context():
        round_id = publish_closed_round(settings, ORG, "Høst 2026", {"S1": 40, "S2": 30}, seed=5)
        load_demo_courses(db.session, settings)
        matching.recompute_round(db.session, db.session.get(Round, round_id), settings.surveys_dir)
        db.session.execute(delete(OutboxEvent))
        create_user(db.session, "leder@example.org", PASSWORD, "skoleleder", school="S1")
        create_user(db.session, "tv@example.org", PASSWORD, "tillitsvalgt", kommune="Fjordvik")
        create_user(db.session, "boss@example.org", PASSWORD, "admin")
        db.session.commit()
        school = db.session.scalar(select(School).filter_by(code="S1"))
        return {"round": round_id, "school": school.id, "kommune": school.kommune_id}


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()


def new_page(browser, width: int, bypass_csp: bool = False, problems: list | None = None):
    context = browser.new_context(**{**PHONE, "viewport": {"width": width, "height": 900}},
                                  bypass_csp=bypass_csp, accept_downloads=True)
    context.set_default_timeout(30_000)
    page = context.new_page()
    if problems is not None:  # console errors, CSP reports among them
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    return page


def fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def shot(page, name: str, width: int) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"plan-{name}-{width}.png"), full_page=True)
    page.screenshot(path=str(ARTIFACTS / f"plan-{name}-{width}-top.png"))  # the first screenful
    table = page.locator(".plan-lines tbody tr")
    if table.count():
        table.first.screenshot(path=str(ARTIFACTS / f"plan-{name}-{width}-first-line.png"))


def test_a_leader_plans_pins_compares_saves_exports_and_prints(live_server, browser, leader):
    problems: list[str] = []
    page = new_page(browser, 360, problems=problems)
    # Given the leader of Breivika skole on their dashboard, When they open the planner
    log_in(page, live_server, "leder@example.org")
    expect(page).to_have_url(re.compile(rf"/resultater/{leader['round']}/skole/{leader['school']}$"))
    page.locator(".summary-links").get_by_role("link", name="Lag en kursplan").click()
    expect(page.get_by_role("heading", name="Lag en kursplan for Breivika skole")).to_be_visible()
    expect(page.get_by_label("Vikarkostnad per time (kr)")).to_have_value("300")
    expect(page.get_by_text("Kilde: anslag ut fra garantilønn for assistent, 2024.")).to_be_visible()
    fits(page, 360)
    shot(page, "form", 360)
    # a budget of nothing is refused in words
    page.get_by_label("Budsjett (kr)").fill("0")
    page.get_by_role("button", name="Lag planen").click()
    expect(page.locator(".error-summary")).to_contain_text("Budsjettet må være mer enn 0 kroner.")
    # When they ask for 40 000 kr, Then the page follows the worker and shows the plan
    page.get_by_label("Budsjett (kr)").fill("40 000")
    page.get_by_role("button", name="Lag planen").click()
    expect(page).to_have_url(re.compile(r"/planlegging/plan/\d+$"))
    expect(page.get_by_role("heading", name="Kurs i planen")).to_be_visible()
    greedy = "billigste kurset per dekket behov, én deltaker om gangen"
    expect(page.locator(".plan-greedy")).to_contain_text(greedy)
    lines = page.locator(".plan-lines tbody tr")
    assert lines.count() >= 1
    first_title = lines.first.locator("td").first.get_by_role("link").inner_text()
    fits(page, 360)
    shot(page, "run", 360)
    # When they pin the first course, Then a new plan comes with it pinned
    first_url = page.url
    lines.first.get_by_role("button", name=re.compile("^Fest")).click()
    expect(page).not_to_have_url(first_url)
    expect(page.get_by_role("heading", name="Kurs i planen")).to_be_visible()
    pinned_row = page.locator(".plan-lines tbody tr", has=page.locator(".badge", has_text="festet"))
    expect(pinned_row.first).to_contain_text(first_title)
    expect(page.locator(".plan-inputs")).to_contain_text(first_title)
    run_url = page.url
    # When they compare with 80 000 kr, Then both plans show side by side with what the extra money buys
    page.get_by_label("Annet budsjett (kr)").fill("80 000")
    page.get_by_role("button", name="Sammenlign", exact=True).click()
    expect(page.get_by_role("heading", name="Side om side")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"Hva 40\s000 kr ekstra gir"))).to_be_visible()
    fits(page, 360)
    shot(page, "compare", 360)
    compare_url = page.url
    # When they save the pinned plan under a name, Then it opens as a saved plan
    page.goto(run_url)
    page.get_by_label("Navn på planen").fill("Budsjettmøte mars")
    page.get_by_role("button", name="Lagre planen").click()
    expect(page.get_by_role("heading", name="Budsjettmøte mars")).to_be_visible()
    expect(page.locator(".flash")).to_contain_text("Planen er lagret som «Budsjettmøte mars».")
    saved_url = page.url
    shot(page, "saved", 360)
    # and downloads as CSV: UTF-8 with a byte order mark, semicolons, the pinned course in it
    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned CSV").click()
    data = open(download.value.path(), "rb").read()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Kurskode;Kurs;Tilbyder;") and first_title in text
    assert download.value.suggested_filename.endswith(".csv")
    # and the page to print holds the plan and no buttons when printed
    page.get_by_role("link", name="Utskriftsvennlig side").click()
    expect(page.get_by_role("heading", name="Budsjettmøte mars")).to_be_visible()
    expect(page.get_by_role("button", name="Skriv ut")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Skriv ut")).to_be_hidden()
    expect(page.locator(".topbar")).to_be_hidden()
    shot(page, "print", 360)
    page.emulate_media(media="screen")
    assert not [p for p in problems if "Content Security Policy" in p], problems

    # The same pages at 1280 px, and axe finds nothing on them
    wide = new_page(browser, 1280, bypass_csp=True)
    log_in(wide, live_server, "leder@example.org")
    for name, url in (("run", run_url), ("compare", compare_url), ("saved", saved_url),
                      ("form", f"{live_server}/planlegging/{leader['round']}/skole/{leader['school']}/ny")):
        wide.goto(url)
        shot(wide, name, 1280)
        fits(wide, 1280)
        assert violations(wide) == [], name
    narrow = new_page(browser, 360, bypass_csp=True)
    log_in(narrow, live_server, "leder@example.org")
    for url in (run_url, compare_url, saved_url):
        narrow.goto(url)
        assert violations(narrow) == [], url

    # The kommune's tillitsvalgt finds the saved plan from the school's dashboard and reads it
    reader = new_page(browser, 360)
    log_in(reader, live_server, "tv@example.org")
    reader.goto(f"{live_server}/resultater/{leader['round']}/skole/{leader['school']}")
    expect(reader.locator(".summary-links").get_by_role("link", name="Lag en kursplan")).to_have_count(0)
    reader.locator(".summary-links").get_by_role("link", name="Lagrede kursplaner").click()
    reader.get_by_role("link", name="Budsjettmøte mars").click()
    expect(reader.get_by_role("heading", name="Budsjettmøte mars")).to_be_visible()
    expect(reader.locator(".plan-lines")).to_contain_text(first_title)
    expect(reader.get_by_role("button", name=re.compile("^(Fest|Fjern|Løsne)"))).to_have_count(0)
    fits(reader, 360)
    shot(reader, "tillitsvalgt", 360)
    reader.goto(run_url)
    expect(reader.get_by_role("heading", name="Fant ikke siden")).to_be_visible()


TABLES_FIT = """() => [...document.querySelectorAll('table')].flatMap(t => {
  const box = t.closest('.table-wrap') || t.parentElement;
  return [[t.className, t.scrollWidth, t.clientWidth],
          ['box of ' + t.className, box.scrollWidth, box.clientWidth]];
}).filter(([, scroll, client]) => scroll > client)"""


def in_view_and_focused(page, selector: str) -> None:
    """The message is inside the viewport and has the focus."""
    box = page.locator(selector).bounding_box()
    height = page.viewport_size["height"]
    assert box is not None and 0 <= box["y"] and box["y"] + min(box["height"], height) <= height, box
    assert page.evaluate(f"document.activeElement === document.querySelector({selector!r})")


def test_the_planners_tables_fit_1280_px_and_messages_come_into_view(live_server, browser, leader):
    page = new_page(browser, 1280)
    log_in(page, live_server, "leder@example.org")
    page.goto(f"{live_server}/planlegging/{leader['round']}/skole/{leader['school']}/ny")
    page.get_by_label("Budsjett (kr)").fill("60 000")
    page.get_by_role("button", name="Lag planen").click()
    expect(page.get_by_role("heading", name="Kurs i planen")).to_be_visible()
    run_url = page.url
    assert page.evaluate(TABLES_FIT) == []
    # Saving without a name: the page opens at the form, the message in view and focused
    page.get_by_role("button", name="Lagre planen").click()
    expect(page.locator("#plan-save .error-summary")).to_contain_text("Gi planen et navn.")
    in_view_and_focused(page, "#plan-save .error-summary")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "plan-save-error-1280.png"))
    page.get_by_label("Navn på planen").fill("Budsjettmøte mai")
    page.get_by_role("button", name="Lagre planen").click()
    expect(page.get_by_role("heading", name="Budsjettmøte mai")).to_be_visible()
    in_view_and_focused(page, ".flash")
    saved_url = page.url
    page.goto(run_url)
    page.get_by_label("Annet budsjett (kr)").fill("120 000")
    page.get_by_role("button", name="Sammenlign", exact=True).click()
    expect(page.get_by_role("heading", name="Side om side")).to_be_visible()
    pages = {"run": run_url, "saved": saved_url, "compare": page.url, "print": saved_url + "/utskrift",
             "list": f"{live_server}/planlegging/{leader['round']}/skole/{leader['school']}/"}
    for name, url in pages.items():
        page.goto(url)
        expect(page.locator("table").first).to_be_visible()
        assert page.evaluate(TABLES_FIT) == [], name
        fits(page, 1280)
    # The kommune's tillitsvalgt finds the school's saved plan on the kommune's plan page, with its school
    reader = new_page(browser, 1280)
    log_in(reader, live_server, "tv@example.org")
    reader.goto(f"{live_server}/planlegging/{leader['round']}/kommune/{leader['kommune']}/")
    schools = reader.locator("section", has=reader.get_by_role("heading", name="Lagrede planer for skolene"))
    expect(schools.get_by_role("row", name=re.compile("Budsjettmøte mai.*Breivika skole"))).to_be_visible()
    assert reader.evaluate(TABLES_FIT) == []
    shot(reader, "kommune-list", 1280)


def test_a_kommune_plans_tables_with_a_school_column_fit_1280_px(live_server, browser, leader):
    # Given the administrator, When they plan for the whole of Fjordvik (two schools with published gaps)
    page = new_page(browser, 1280)
    log_in(page, live_server, "boss@example.org")
    page.goto(f"{live_server}/planlegging/{leader['round']}/kommune/{leader['kommune']}/ny")
    page.get_by_label("Budsjett (kr)").fill("150 000")
    page.get_by_role("button", name="Lag planen").click()
    expect(page.get_by_role("heading", name="Kurs i planen")).to_be_visible()
    run_url = page.url
    # Then every line names its school, both schools have lines, and no table scrolls sideways
    lines = page.locator(".plan-lines")
    expect(lines.get_by_role("columnheader", name="Skole")).to_be_visible()
    schools = set(lines.locator("tbody td[data-label='Skole']").all_inner_texts())
    assert schools == {"Breivika skole", "Haugen skole"}, schools
    shot(page, "kommune-run", 1280)
    page.get_by_label("Navn på planen").fill("Hele Fjordvik")
    page.get_by_role("button", name="Lagre planen").click()
    expect(page.get_by_role("heading", name="Hele Fjordvik")).to_be_visible()
    saved_url = page.url
    page.goto(run_url)
    page.get_by_label("Annet budsjett (kr)").fill("60 000")
    page.get_by_role("button", name="Sammenlign", exact=True).click()
    expect(page.get_by_role("heading", name="Side om side")).to_be_visible()
    shot(page, "kommune-compare", 1280)
    for name, url in (("run", run_url), ("saved", saved_url), ("compare", page.url),
                      ("print", saved_url + "/utskrift")):
        page.goto(url)
        expect(page.locator("table").first).to_be_visible()
        assert page.evaluate(TABLES_FIT) == [], name
        fits(page, 1280)
