"""The admin course catalogue in headless Chromium at 360 and 1280 px: it fits, it reads, it edits."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.test_accessibility import violations
from tests.conftest import ADMIN_PASSWORD, ARTIFACTS
from webapp.extensions import db
from webapp.services.demo import load_demo_courses
from webapp.services.users import create_user

SHOTS = ARTIFACTS / "forms"


@pytest.fixture()
def catalogue(app, settings):
    with app.app_context():
        count = load_demo_courses(db.session, settings)
        create_user(db.session, "admin@example.org", ADMIN_PASSWORD, "admin")
        db.session.commit()
    return count


@pytest.fixture()
def screen(browser):
    contexts = []

    def make(width: int):
        context = browser.new_context(**{**PHONE, "viewport": {"width": width, "height": 900}},
                                      bypass_csp=True)  # for axe-core only; the CSP test covers the pages
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_the_course_list_and_form_fit_and_work_on_a_phone_and_a_desktop(live_server, catalogue, screen,
                                                                        width):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = screen(width)
    page.goto(f"{live_server}/login")
    page.get_by_label("E-postadresse").fill("admin@example.org")
    page.get_by_label("Passord").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()

    # Given the demo catalogue, When the administrator follows the admin navigation to it
    page.get_by_role("navigation", name="Administrasjon").get_by_role("link", name="Kurskatalog").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kurskatalog")
    # Then every course is listed, the demo note shows, and nothing scrolls sideways
    expect(page.locator("#courses tbody tr")).to_have_count(catalogue)
    expect(page.locator("#demo-note")).to_contain_text("Demokatalogen er lastet inn")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert violations(page) == []
    page.screenshot(path=str(ARTIFACTS / f"courses-list-{width}.png"), full_page=True)
    page.screenshot(path=str(ARTIFACTS / f"courses-list-{width}-top.png"))  # readable at its own size

    # When they open a course and save a negative fee, Then the field says why and the summary links to it
    page.locator("#courses tr[data-code='RBUP-FRAVAER'] a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekymringsfullt skolefravær")
    expect(page.get_by_label("Fravær og skolevegring")).to_be_checked()
    page.get_by_label("Pris per deltaker (kr)").fill("-900")
    page.get_by_role("button", name="Lagre kurset").click()
    expect(page.locator("#fee_nok-error")).to_have_text("kan ikke være negativ")
    expect(page.locator(".error-summary a[href='#fee_nok']")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert violations(page) == []
    page.screenshot(path=str(ARTIFACTS / f"course-form-error-{width}.png"), full_page=True)
    page.locator(".field-grid").first.screenshot(path=str(ARTIFACTS / f"course-form-numbers-{width}.png"))

    # When they correct it and save, Then the list shows the new fee; and a retired course says so
    page.get_by_label("Pris per deltaker (kr)").fill("950")
    page.get_by_role("button", name="Lagre kurset").click()
    expect(page.locator(".flash")).to_contain_text("Kurset RBUP-FRAVAER er lagret.")
    row = page.locator("#courses tr[data-code='RBUP-FRAVAER']")
    expect(row).to_contain_text("950")
    row.get_by_role("button", name="Ta ut").click()
    expect(page.locator("#courses tr[data-code='RBUP-FRAVAER']")).to_contain_text("tatt ut")


@pytest.mark.parametrize("width", [360, 1280])
def test_a_course_taken_online_with_a_funded_percent_is_added_without_typing_a_place(
        live_server, catalogue, screen, width):
    page = screen(width)
    page.goto(f"{live_server}/login")
    page.get_by_label("E-postadresse").fill("admin@example.org")
    page.get_by_label("Passord").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.goto(f"{live_server}/admin/kurs/ny")
    # Given the form, Then the place says when it must be filled in, and the share asks for a percent
    expect(page.locator("label[for='place']")).to_have_text("Sted (må fylles ut hvis kurset ikke er på nett)")
    expect(page.locator("label[for='title']")).to_have_text("Tittel (må fylles ut)")
    page.get_by_label("Kode").fill("NETT-2027")
    page.get_by_label("Tittel").fill("Psykisk helse i skolen")
    page.get_by_label("Tilbyder").fill("RKBU")
    page.get_by_label("Psykisk helse").check()
    page.get_by_role("radio", name="Nettkurs").check()
    page.get_by_label("Timer i alt").fill("6")
    page.get_by_label("Pris per deltaker (kr)").fill("900")
    page.get_by_label("Andel av prisen som dekkes av andre (%)").fill("150 %")
    page.get_by_label("Finansiert av").fill("Fagforbundet")
    # When the share is more than all of it, Then the field says so in bokmål
    page.get_by_role("button", name="Lagre kurset").click()
    expect(page.locator("#funding_percent-error")).to_have_text(
        "«150 %» er mer enn 100 %; skriv den delen av prisen som andre betaler, fra 0 til 100")
    expect(page.locator("#place-error")).to_have_text("kan ikke være tom")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert violations(page) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#funding_percent").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"course-form-percent-error-{width}.png"))
    # When they write «50 %» and tick «Nettkurs» with no place, Then the course is saved as online, half paid
    page.get_by_label("Andel av prisen som dekkes av andre (%)").fill("50 %")
    page.get_by_label("Nettkurs: tas på nett").check()
    page.get_by_role("button", name="Lagre kurset").click()
    expect(page.locator(".flash")).to_contain_text("Kurset NETT-2027 er lagret.")
    row = page.locator("#courses tr[data-code='NETT-2027']")
    expect(row.locator(".course-meta").last).to_have_text("nett")
    expect(row).to_contain_text("50 % betales av Fagforbundet")
    page.locator("#courses tr[data-code='NETT-2027'] a").first.click()
    expect(page.get_by_label("Andel av prisen som dekkes av andre (%)")).to_have_value("50")
    expect(page.get_by_label("Nettkurs: tas på nett")).to_be_checked()
    page.locator("#place").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"course-form-online-{width}.png"))
