"""Browser fixtures: Debian's headless Chromium driven by Playwright, and the real `laget serve`."""
from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from tests.processes import embedded_server, free_port, wait_for_http

# Never let Playwright download a browser: use the distribution's Chromium, kept off the (closed) internet.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "nb-NO", "device_scale_factor": 1,
         "is_mobile": False, "has_touch": True}


def pytest_collection_modifyitems(items) -> None:  # noqa: ANN001
    for item in items:
        if item.path.parent.name == "browser":
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture()
def new_phone(browser):
    """Open a fresh browser context (no cookies) at a 360×740 phone viewport; all are closed afterwards."""
    contexts = []

    def make():
        context = browser.new_context(**PHONE)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture()
def live_server(app, database_url):
    """`laget serve` (gunicorn + in-process Dramatiq worker + outbox relay) on a free port.

    Depends on `app` so the session's database is migrated before the server starts.
    """
    port = free_port()
    service = embedded_server(database_url, port).start()
    try:
        wait_for_http(f"http://127.0.0.1:{port}/healthz", service)
        yield f"http://127.0.0.1:{port}"
    finally:
        service.stop()
        if service.process is not None and service.process.returncode not in (0, -15):
            print(f"--- laget serve output ---\n{service.output()[-3000:]}")
