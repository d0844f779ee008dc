"""Static files in headless Chromium: the dashboard draws with the small plotly bundle, gzipped, and a
second visit takes every static file from the browser's cache without asking the server."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_dashboards_in_browser import log_in, results  # noqa: F401  (results is a fixture)


def record_static(context, page) -> list[dict]:  # noqa: ANN001
    """Every /static/ response the page gets: url, content-encoding, cache-control, bytes on the wire."""
    seen: dict[str, dict] = {}
    finished: list[dict] = []
    session = context.new_cdp_session(page)

    def received(event: dict) -> None:
        if "/static/" in event["response"]["url"]:
            headers = {k.lower(): v for k, v in event["response"]["headers"].items()}
            seen[event["requestId"]] = {"url": event["response"]["url"],
                                        "encoding": headers.get("content-encoding", ""),
                                        "cache": headers.get("cache-control", "")}

    def done(event: dict) -> None:
        if event["requestId"] in seen:
            finished.append({**seen[event["requestId"]], "bytes": int(event["encodedDataLength"])})

    session.on("Network.responseReceived", received)
    session.on("Network.loadingFinished", done)
    session.send("Network.enable")
    return finished


OPEN_FIGURES = """() => [...document.querySelectorAll('[data-figure]')]
  .filter(el => !el.closest('details:not([open])')).length"""


def test_the_dashboard_draws_with_gzipped_immutable_files_and_a_second_visit_fetches_none(
        live_server, new_phone, results):  # noqa: F811
    context = new_phone()
    page = context.new_page()
    fetched = record_static(context, page)

    # Given a school leader who logs in and lands on their school's dashboard
    log_in(page, live_server, "leder@example.org")
    expect(page.locator("[data-drawn='true']").first).to_be_visible(timeout=60_000)
    count = page.evaluate(OPEN_FIGURES)  # a folded panel draws its chart when it is opened
    expect(page.locator("[data-drawn='true']")).to_have_count(count, timeout=60_000)
    dashboard = page.url

    # Then plotly is the cartesian bundle, sent gzipped (0.5 MB instead of 4.8 MB), and every static
    # file came under its hashed name with a year's immutable lifetime
    plotly = [entry for entry in fetched if "/vendor/plotly/" in entry["url"]]
    assert [entry["encoding"] for entry in plotly] == ["gzip"]
    assert plotly[0]["bytes"] < 600_000
    assert {entry["cache"] for entry in fetched} == {"public, max-age=31536000, immutable"}

    # When they open the dashboard again
    fetched.clear()
    page.goto(dashboard)
    expect(page.locator("[data-drawn='true']")).to_have_count(count, timeout=60_000)

    # Then the charts are drawn with files the browser kept: not one byte of them came over the network
    assert any("/vendor/plotly/" in entry["url"] for entry in fetched), fetched
    assert sum(entry["bytes"] for entry in fetched) == 0, fetched
