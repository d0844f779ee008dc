"""Log-in to a drawn chart: bytes transferred and time to the first chart of the school dashboard.

Setup: the demo (`laget demo --no-serve`) in a SQLite file of its own, served by gunicorn as compose.yaml
runs it (tests.processes.gunicorn: 2 workers × 4 threads, started here and stopped at the end). Debian's
Chromium (/usr/bin/chromium) through Playwright opens the log-in page in a fresh browser context (an
empty cache) and logs in as the demo's school leader, who lands on their school's dashboard. Timed: from
the click on «Logg inn» until the first `.js-plotly-plot` holds a drawn `<svg>`, looked for at every
frame the browser paints (so: the first frame that shows a chart; static/js/dashboard.js draws the
figures of the open panels in one task, so that frame comes when the last of them is drawn); counted: the
`encodedDataLength` of every response from that click on (CDP `Network.loadingFinished`: bytes on the
wire, headers included), the log-in POST, its redirects, the page and every file it loads.

BEFORE and AFTER are measured in the same run, against the same server, alternating, each with a cold
cache. Both contexts route `/static/` through Playwright (which also keeps the browser's cache out):
AFTER passes every request on unchanged (content-hashed names, gzip, the cartesian plotly bundle);
BEFORE reproduces what the app served until issue 18: every static file uncompressed (the request is
passed on with `Accept-Encoding: identity`, which the app answers uncompressed, as it did before) and,
in place of the cartesian bundle, the full `plotly.min.js` of the installed Python plotly package
(4.8 MB), which the app used to serve from `/resultater/plotly.min.js`. Chromium counts a response
that Playwright hands it like one from the network (its body and headers), so both columns count the
same way. The dashboard's HTML (about 0.3 MB, the figures' data in it) is made per request and sent
uncompressed in both. Both columns load today's page (a role's folded panels draw no chart until
opened): the difference is the static files alone.

Knobs (environment): BENCH_DASHBOARD_RUNS (runs of each, 5).
"""
from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import plotly

from bench.common import BIN, PROJECT_ROOT, Section, table
from tests.processes import free_port, gunicorn, wait_for_http
from webapp.services.demo import LEADER_EMAIL

CHROMIUM = "/usr/bin/chromium"
FULL_PLOTLY = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
FIRST_CHART = "() => !!document.querySelector('.js-plotly-plot svg.main-svg')"


@dataclass
class Load:
    """One log-in: seconds to the first chart, and bytes by kind of resource."""

    seconds: float
    html_seconds: float  # from the log-in POST (with its redirects) to the dashboard's HTML received
    bytes_by_type: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.bytes_by_type.values())


class WireCounter:
    """Sum the encoded bytes of every response a page receives, by resource type (CDP Network events)."""

    def __init__(self, context, page) -> None:  # noqa: ANN001
        self.types: dict[str, str] = {}
        self.bytes: dict[str, int] = {}
        self.counting = False
        session = context.new_cdp_session(page)
        session.on("Network.requestWillBeSent", self._sent)
        session.on("Network.loadingFinished", self._finished)
        session.send("Network.enable")

    def _sent(self, event: dict) -> None:
        self.types[event["requestId"]] = event.get("type", "Other")

    def _finished(self, event: dict) -> None:
        if self.counting:
            kind = self.types.get(event["requestId"], "Other")
            self.bytes[kind] = self.bytes.get(kind, 0) + int(event["encodedDataLength"])


def serve_as_before(route, request) -> None:  # noqa: ANN001
    """What the app served before: the full plotly bundle, and every static file uncompressed."""
    if "/static/vendor/plotly/" in request.url:
        body = FULL_PLOTLY.read_bytes()
        route.fulfill(status=200, body=body, headers={"Content-Type": "text/javascript; charset=utf-8",
                                                      "Cache-Control": "public, max-age=2592000"})
        return
    route.continue_(headers={**request.headers, "accept-encoding": "identity"})


def log_in_once(browser, base_url: str, password: str, before: bool) -> Load:  # noqa: ANN001
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nb-NO")
    try:
        context.route("**/static/**", serve_as_before if before
                      else lambda route, request: route.continue_())
        page = context.new_page()
        counter = WireCounter(context, page)
        page.goto(f"{base_url}/login")
        page.get_by_label("E-postadresse").fill(LEADER_EMAIL)
        page.get_by_label("Passord").fill(password)
        counter.counting = True
        started = time.monotonic()
        page.get_by_role("button", name="Logg inn").click()
        page.wait_for_function(FIRST_CHART, timeout=120_000, polling="raf")
        seconds = time.monotonic() - started
        page.wait_for_load_state("load")
        counter.counting = False
        html = page.evaluate("performance.getEntriesByType('navigation')[0].responseEnd / 1000")
        return Load(seconds, html, dict(counter.bytes))
    finally:
        context.close()


def load_demo(folder: Path) -> tuple[str, str]:
    """Load the demo into a SQLite file in `folder`; return its URL and the demo's password."""
    database_url = f"sqlite:///{folder / 'laget.sqlite'}"
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "bench-secret-key-0123456789abcdef"}
    env.pop("REDIS_URL", None)
    done = subprocess.run([str(BIN / "laget"), "demo", "--no-serve"], env=env, cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"`laget demo --no-serve` failed:\n{done.stdout}\n{done.stderr}")
    return database_url, (folder / "demo_admin_password").read_text().strip()


def measure(runs: int) -> dict[str, list[Load]]:
    from playwright.sync_api import sync_playwright

    loads: dict[str, list[Load]] = {"before": [], "after": []}
    with tempfile.TemporaryDirectory(prefix="laget-bench-dashboard-") as folder:
        print("dashboard_load: loading the demo …", flush=True)
        database_url, password = load_demo(Path(folder))
        port = free_port()
        web = gunicorn(database_url, port).start()
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_for_http(f"{base_url}/healthz", web, timeout=60)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                try:
                    log_in_once(browser, base_url, password, before=False)  # warm the server, not measured
                    for number in range(runs):
                        for mode in ("before", "after"):
                            load = log_in_once(browser, base_url, password, before=mode == "before")
                            loads[mode].append(load)
                            print(f"dashboard_load: run {number + 1} {mode}: {load.seconds:.2f} s, "
                                  f"{load.total / 1e6:.2f} MB", flush=True)
                finally:
                    browser.close()
        finally:
            web.stop()
    return loads


def _megabytes(value: float) -> str:
    return f"{value / 1e6:.2f} MB"


def report(loads: dict[str, list[Load]], runs: int) -> Section:
    before, after = loads["before"], loads["after"]
    seconds = {mode: statistics.median(load.seconds for load in values) for mode, values in loads.items()}
    total = {mode: statistics.median(load.total for load in values) for mode, values in loads.items()}
    scripts = {mode: statistics.median(load.bytes_by_type.get("Script", 0) for load in values)
               for mode, values in loads.items()}
    rows = [
        ["Time from «Logg inn» to the first chart drawn (median)", f"{seconds['before']:.2f} s",
         f"{seconds['after']:.2f} s"],
        ["… of it, until the dashboard's HTML is received (median)",
         f"{statistics.median(load.html_seconds for load in before):.2f} s",
         f"{statistics.median(load.html_seconds for load in after):.2f} s"],
        ["… slowest of the runs", f"{max(load.seconds for load in before):.2f} s",
         f"{max(load.seconds for load in after):.2f} s"],
        ["Bytes transferred, everything (median)", _megabytes(total["before"]), _megabytes(total["after"])],
        ["… of it scripts (plotly.js and ours)", _megabytes(scripts["before"]), _megabytes(scripts["after"])],
    ]
    body = "\n".join([
        (__doc__ or "").split("\n\n", 1)[1].strip(),
        "",
        f"{runs} runs of each, alternating; medians. The demo's school leader, 1280×800, nb.",
        "",
        table(["", "before (full plotly.min.js, uncompressed)", "after (cartesian bundle, gzip)"], rows),
        "",
    ])
    facts = {"first chart": f"{seconds['before']:.2f} s → {seconds['after']:.2f} s",
             "bytes": f"{_megabytes(total['before'])} → {_megabytes(total['after'])}"}
    return Section("Dashboard load: log-in to the first chart", body, facts)


def run() -> Section:
    runs = int(os.environ.get("BENCH_DASHBOARD_RUNS", "5"))
    return report(measure(runs), runs)
