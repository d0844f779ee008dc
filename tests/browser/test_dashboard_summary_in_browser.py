"""A dashboard's top in Chromium at 360 and 1280 px: the summary first, the contents' links jump to their
panels and open them, a folded panel draws its chart when opened, and the counts say what they count."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import ARTIFACTS
from tests.integration.test_kommune_rate import planned  # noqa: F401  (the fixture)
from tests.integration.test_plan_pages import PASSWORD

SHOTS = ARTIFACTS
SHOTS.mkdir(parents=True, exist_ok=True)


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.locator("h1")).to_be_visible()


def in_view(page, selector: str) -> bool:
    """Whether the element's top lies within the window as it is scrolled now."""
    return page.evaluate(f"(() => {{ const r = document.querySelector({selector!r}).getBoundingClientRect();"
                         " return r.top >= -1 && r.top < innerHeight; })()")


@pytest.mark.parametrize("width", [360, 1280])
def test_a_skoleleder_reaches_the_needs_and_the_courses_from_the_first_screen(
        live_server, browser, planned, width):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 740 if width == 360 else 800},
                                  locale="nb-NO")
    page = context.new_page()
    log_in(page, live_server, "leder@example.org")
    page.goto(f"{live_server}/resultater/{planned['round']}/skole/{planned['S1']}")
    # Then the summary is at the top, with the answers in the figures and the largest needs
    summary = page.locator(".dash-summary")
    expect(summary.get_by_role("heading", name="Kort oppsummert")).to_be_visible()
    expect(summary.locator(".top-gaps li")).to_have_count(3)
    assert summary.bounding_box()["y"] < 300
    # … and its links to «Kompetansebehov» and «Forslag til kurs» are within the first screen
    needs = summary.get_by_role("link", name="Kompetansebehov", exact=True)
    courses = summary.get_by_role("link", name="Forslag til kurs")
    for link in (needs, courses):
        box = link.bounding_box()
        assert box["y"] + box["height"] <= page.viewport_size["height"]
    page.screenshot(path=str(SHOTS / f"dashboard-top-{width}.png"))
    # When they follow «Forslag til kurs», Then the course suggestions are in view, drawn from nothing
    courses.click()
    expect(page).to_have_url(f"{live_server}/resultater/{planned['round']}/skole/{planned['S1']}#forslag")
    expect(page.get_by_role("heading", name="Forslag til kurs")).to_be_in_viewport()
    # When they follow «Kompetansebehov», Then the panel is in view, open, with its chart drawn
    page.evaluate("scrollTo(0, 0)")
    needs.click()
    assert in_view(page, "#kompetansebehov")
    expect(page.locator("#kompetansebehov [data-drawn='true']")).to_have_count(1, timeout=20_000)
    # … and the headings of the open and the folded panels are headings still
    expect(page.get_by_role("heading", level=2, name="Kompetansebehov", exact=True)).to_be_visible()
    context.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_the_contents_open_a_folded_panel_and_its_chart_draws(live_server, browser, planned, width):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 740 if width == 360 else 800},
                                  locale="nb-NO")
    page = context.new_page()
    log_in(page, live_server, "leder@example.org")
    page.goto(f"{live_server}/resultater/{planned['round']}/skole/{planned['S1']}")
    # Given a panel the skoleleder does not need first: folded, its chart not drawn
    section = page.locator("#anerkjennelse")
    expect(section.locator("details.fold")).not_to_have_attribute("open", "")
    assert section.locator("[data-drawn]").count() == 0
    # When they follow its section in the contents, Then it opens in view and its chart draws to its width
    page.locator("nav.contents").get_by_role("link", name="Anerkjennelse og trivsel").click()
    expect(section.locator("details.fold")).to_have_attribute("open", "")
    expect(section.locator("[data-drawn='true']")).to_have_count(1, timeout=20_000)
    assert in_view(page, "#del-anerkjennelse")
    figure = section.locator(".js-plotly-plot .main-svg").first.bounding_box()
    panel = section.bounding_box()
    assert figure["width"] > 0.8 * panel["width"] - 40 and figure["width"] <= panel["width"]
    # When they open another folded panel by its title, Then it draws too
    other = page.locator("#behov")
    other.locator("summary h2").click()
    expect(other.locator("[data-drawn='true']")).to_have_count(1, timeout=20_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    other.screenshot(path=str(SHOTS / f"dashboard-opened-panel-{width}.png"))
    context.close()


def test_the_counts_say_what_they_count_on_a_phone(live_server, browser, planned):  # noqa: F811
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="nb-NO")
    page = context.new_page()
    # Given a tillitsvalgt for Fjordvik on Vestland's page
    log_in(page, live_server, "tv@example.org")
    page.goto(f"{live_server}/resultater/{planned['round']}/kommune/{planned['Fjordvik']}")
    page.locator(".crumbs a").nth(1).click()
    # Then the key figures say they count every school in the fylke, also those the reader cannot open
    expect(page.locator("#kpi-answers")).to_contain_text("svar i de publiserte tallene")
    expect(page.locator("#kpi-scope")).to_contain_text("alle skolene i fylket")
    expect(page.locator("#kpi-scope")).to_contain_text("også skoler du ikke har tilgang til")
    # … and the table of kommuner that it holds the reader's: one of two
    expect(page.locator("#children caption")).to_have_text(
        "Kommunene i fylket som du har tilgang til (1 av 2)")
    page.screenshot(path=str(SHOTS / "dashboard-fylke-counts-360.png"), full_page=True)
    context.close()
    # Given the administrator on the round's page, Then received answers are told from those in the figures
    admin = browser.new_context(viewport={"width": 360, "height": 740}, locale="nb-NO").new_page()
    log_in(admin, live_server, "admin@example.org")
    admin.goto(f"{live_server}/admin/runder/{planned['round']}")
    expect(admin.locator("#count-received")).to_contain_text("Svar mottatt:")
    expect(admin.locator("#count-published")).to_contain_text("Svar i de publiserte tallene for hele runden:")
    row = admin.locator("#response-rates tbody tr").first
    assert "Svar mottatt" in row.evaluate("r => getComputedStyle(r.children[3], '::before').content")
    admin.screenshot(path=str(SHOTS / "admin-round-counts-360.png"), full_page=True)
    admin.context.close()
