"""The dashboard charts in headless Chromium at 360 px and 1280 px: numbers on the bars, nothing cut off,
nothing drawn through a label, no rotated labels on a phone. Every figure is saved to tests/artifacts/."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.test_dashboards_in_browser import log_in, results  # noqa: F401  (results is a fixture)
from tests.conftest import ARTIFACTS

# Boxes of what Plotly drew, relative to the figure: legend texts, category labels, bar texts, zero lines.
GEOMETRY = """el => {
  const box = el.getBoundingClientRect();
  const rel = r => ({left: r.left - box.left, right: r.right - box.left, top: r.top - box.top,
                     bottom: r.bottom - box.top, width: r.width, height: r.height});
  const all = sel => [...el.querySelectorAll(sel)].map(n => rel(n.getBoundingClientRect()));
  return {width: box.width,
          legend: all('.legend .legendtext'),
          labels: all('.annotation'),
          zero: all('.zerolinelayer path, .layer-above .shapelayer path, .layer-below .shapelayer path'),
          bartext: [...el.querySelectorAll('.bartext')].map(n => n.textContent),
          ticks: [...el.querySelectorAll('.xtick text, .ytick text')]
                   .map(n => n.getAttribute('transform') || '')};
}"""


def overlaps(a, b) -> bool:
    return a["left"] < b["right"] - 1 and b["left"] < a["right"] - 1 and a["top"] < b["bottom"] - 1 \
        and b["top"] < a["bottom"] - 1


def look_at_every_chart(page, name: str) -> dict[str, dict]:
    # the panels that start folded draw their charts when opened
    page.evaluate("document.querySelectorAll('details.fold').forEach(d => { d.open = true; })")
    figures = page.locator("[data-figure]")
    expect(page.locator("[data-drawn='true']")).to_have_count(figures.count(), timeout=20_000)
    shapes = {}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for k in range(figures.count()):
        figure = figures.nth(k)
        key = figure.evaluate("el => el.closest('section').id")
        path = str(ARTIFACTS / f"chart-{name}-{key}.png")
        box = figure.evaluate("el => { const r = el.getBoundingClientRect();"
                              " return {x: r.left + scrollX, y: r.top + scrollY,"
                              " width: r.width, height: r.height}; }")
        # Chromium offsets an element shot taller than the window
        # (a full-page shot of a long page can take over 30 s in Chromium's software rendering here)
        if box["height"] > page.viewport_size["height"]:
            page.screenshot(path=path, full_page=True, clip=box, timeout=90_000)
        else:
            figure.screenshot(path=path, timeout=90_000)
        shapes[key] = figure.evaluate(GEOMETRY)
    return shapes


def check(shapes: dict[str, dict], phone: bool, numbers: bool = False) -> None:
    for key, g in shapes.items():
        for entry in g["legend"]:  # every legend entry whole, inside the figure
            assert entry["right"] <= g["width"] + 0.5, (key, entry)
        for line in g["zero"]:  # the zero line of a diverging chart never runs through a label
            assert not any(overlaps(line, label) for label in g["labels"]), (key, line)
        if phone:
            assert not any("rotate" in t for t in g["ticks"]), (key, g["ticks"])
    # The agreement (diverging) and distribution (stacked) charts carry their shares on the segments.
    for key in ("hinder", "anerkjennelse", "hyppighet", "samarbeid", "niva") if numbers else ():
        assert any(t.isdigit() for t in shapes[key]["bartext"]), key


def test_every_chart_reads_at_360_and_1280(live_server, browser, results):  # noqa: F811
    rid, ids = results["round"], results["schools"]
    for width, height in ((360, 740), (1280, 900)):
        context = browser.new_context(**{**PHONE, "viewport": {"width": width, "height": height}})
        try:
            page = context.new_page()
            log_in(page, live_server, "admin@example.org")
            page.goto(f"{live_server}/resultater/{rid}/skole/{ids['S1']}")
            check(look_at_every_chart(page, f"school-{width}"), phone=width < 600)
            page.goto(f"{live_server}/resultater/{rid}/")
            check(look_at_every_chart(page, f"round-{width}"), phone=width < 600, numbers=True)
        finally:
            context.close()
