"""The dashboard charts in headless Chromium at 360 px and 1280 px: numbers on the bars, a value axis in
percent, every competence area in the gap chart with its value at its bar, nothing cut off,
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


def test_every_chart_reads_at_360_and_1280(live_server, browser, results, questionnaire):  # noqa: F811
    rid, ids = results["round"], results["schools"]
    areas = [a.label["nb"] for a in questionnaire.areas]
    for width, height in ((360, 740), (1280, 900)):
        context = browser.new_context(**{**PHONE, "viewport": {"width": width, "height": height}})
        try:
            page = context.new_page()
            log_in(page, live_server, "admin@example.org")
            page.goto(f"{live_server}/resultater/{rid}/skole/{ids['S1']}")
            check(look_at_every_chart(page, f"school-{width}"), phone=width < 600)
            check_gaps_and_axes(page, areas)  # issue 18, items 6 and 14
            page.goto(f"{live_server}/resultater/{rid}/")
            check(look_at_every_chart(page, f"round-{width}"), phone=width < 600, numbers=True)
        finally:
            context.close()


# What the gap chart («Kompetansebehov») and every bar chart draw (issue 18, items 6 and 14)
DRAWN = """el => {
  const box = el.getBoundingClientRect();
  const rel = r => ({left: r.left - box.left, right: r.right - box.left, top: r.top - box.top,
                     bottom: r.bottom - box.top});
  return {width: box.width,
          ticks: [...el.querySelectorAll('.xtick text')].map(n => ({text: n.textContent,
                                                                     ...rel(n.getBoundingClientRect())})),
          bars: [...el.querySelectorAll('.barlayer .point path')].map(n => rel(n.getBoundingClientRect()))
                  .filter(r => r.right - r.left > 0.5),
          notes: [...el.querySelectorAll('.annotation')].map(n => ({text: n.textContent,
                                                                    ...rel(n.getBoundingClientRect())}))};
}"""


def check_gaps_and_axes(page, areas: list[str]) -> None:
    """The gap chart has a row for every area, tells need and wish apart, and stands each value left of
    where the bars start (not at its whisker's end); every bar chart has a value axis in percent."""
    gaps = page.locator("#kompetansebehov [data-figure]").evaluate(DRAWN)
    # Every area of the questionnaire has its row: a bar, or a row that says it is hidden
    texts = ["".join(n["text"].split()) for n in gaps["notes"]]
    assert [a for a in areas if "".join(a.split()) not in texts] == []
    # Need and wish are told apart by the chart's own legend
    legend = page.locator("#kompetansebehov .legend .legendtext").all_text_contents()
    assert any("elevgruppen" in t for t in legend) and any("ønsker" in t for t in legend), legend
    values = [n for n in gaps["notes"] if n["text"].isdigit()]
    start = min(b["left"] for b in gaps["bars"])
    assert values and all(v["right"] <= start + 1 for v in values), (start, values)
    figures = page.locator("[data-figure]")
    for k in range(figures.count()):
        drawn = figures.nth(k).evaluate(DRAWN)
        if not drawn["bars"]:
            continue
        ticks = [t["text"] for t in drawn["ticks"]]
        assert "0 %" in ticks and "100 %" in ticks, (k, ticks)
        assert all(0 <= t["left"] and t["right"] <= drawn["width"] for t in drawn["ticks"]), (k, ticks)
