"""The Content-Security-Policy in headless Chromium: nothing on the answering pages or dashboards is
blocked."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_dashboards_in_browser import log_in, results  # noqa: F401  (results is a fixture)

# Chromium fires `securitypolicyviolation` for everything the policy blocks; report each to the test.
REPORT_VIOLATIONS = """document.addEventListener("securitypolicyviolation", function (e) {
  window.reportViolation(e.violatedDirective + " blocked " + (e.blockedURI || "inline")
                         + " at " + e.sourceFile + ":" + e.lineNumber);
});"""

PLOTLY_LAYERS = """() => [...new Set([...document.querySelectorAll('.js-plotly-plot .main-svg')]
    .map(svg => getComputedStyle(svg).position))]"""


@pytest.fixture()
def watched(new_phone):
    """A phone context whose pages report CSP violations, script errors and CSP console messages."""
    problems: list[str] = []

    def make():
        context = new_phone()
        context.expose_function("reportViolation", lambda text: problems.append(text))
        context.add_init_script(REPORT_VIOLATIONS)
        page = context.new_page()
        page.on("console", lambda m: "Content Security Policy" in m.text and problems.append(m.text))
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        return page

    make.problems = problems
    return make


def visit(page, url: str):
    """Open `url` and check that it came with the policy."""
    response = page.goto(url)
    assert "script-src 'self'" in response.headers.get("content-security-policy", ""), url
    return response


def test_answering_pages_run_their_script_under_the_policy(live_server, invite, watched):
    token, declined = invite("S1", 2)
    page = watched()

    # Given a staff member on the consent page, When they consent and reach the background page
    visit(page, f"{live_server}/s/{token}")
    page.get_by_role("group", name=re.compile("samtykker til å delta")).get_by_text("Ja", exact=True).click()
    page.get_by_role("button", name="Neste").click()
    expect(page).to_have_url(re.compile(r"/side/bakgrunn$"))

    # Then survey.js runs: the position size is asked only once they choose part-time
    percent = page.get_by_label("Hvor stor er stillingen din (prosent)?")
    expect(percent).to_be_hidden()
    heltid = page.get_by_role("group", name="Arbeider du heltid eller deltid?")
    heltid.get_by_text("Deltid", exact=True).click()
    expect(percent).to_be_visible()

    # … and the end pages and the page for an unknown link load under the policy too
    visit(page, f"{live_server}/s/{declined}")
    page.get_by_role("group", name=re.compile("samtykker til å delta")).get_by_text("Nei", exact=True).click()
    page.get_by_role("button", name="Neste").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vil du avslutte undersøkelsen?")
    page.get_by_role("button", name="Ja, avslutt undersøkelsen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Takk for at du sa ifra")
    assert visit(page, f"{live_server}/s/not-a-token").status == 404
    page.wait_for_load_state("load")
    assert watched.problems == [], "\n".join(watched.problems)


def test_dashboards_draw_every_chart_under_the_policy(live_server, results, watched):  # noqa: F811
    page = watched()

    # Given an administrator who logs in (the login page is watched too)
    log_in(page, live_server, "admin@example.org")

    # When they open the round and a school, Then every chart is drawn by plotly.js
    for path in (f"/resultater/{results['round']}/",
                 f"/resultater/{results['round']}/skole/{results['schools']['S1']}"):
        visit(page, live_server + path)
        # the panels that start folded draw their charts when opened
        page.evaluate("document.querySelectorAll('details.fold').forEach(d => { d.open = true; })")
        count = page.locator("[data-figure]").count()
        assert count >= 12
        expect(page.locator("[data-drawn='true']")).to_have_count(count, timeout=20_000)
        # … with plotly.js's own stylesheet applied: its layers lie on top of each other
        assert page.evaluate(PLOTLY_LAYERS) == ["absolute"]

    # … and hovering a bar shows its label, with nothing blocked on the way
    figure = page.locator(".js-plotly-plot").first
    bars = figure.locator(".bars path")
    drawn = [n for n in range(bars.count())
             if (box := bars.nth(n).bounding_box()) and box["width"] > 2 and box["height"] > 2]
    assert drawn, "no bar of the first chart has a size to hover"  # a 0 % bar is a path of width 0
    bars.nth(drawn[0]).hover(force=True)  # plotly's drag layer lies on top of the bars
    expect(figure.locator(".hoverlayer .hovertext")).not_to_have_count(0)
    assert watched.problems == [], "\n".join(watched.problems)
