"""Every chart builder's spec is a valid Plotly figure (validated by plotly's own graph objects)."""
from itertools import pairwise

import plotly.graph_objects as go

from webapp.figures import charts, gap_chart, palettes

CATEGORIES = ["elever med særskilte behov",
              "elever med mye fravær og en lang etikett som må brytes over flere linjer"]


def valid(spec) -> go.Figure:
    return go.Figure(spec)  # raises ValueError on any unknown property or bad value


def test_share_bars_with_reference_markers():
    figure = valid(charts.share_bars(CATEGORIES, [charts.Series("Skolen", [40.0, None], [12, None]),
                                                  charts.Series("Nasjonalt", [35.0, 20.0], marker=True)]))
    assert figure.data[0].text == ("40", "–") and figure.data[0].hovertext[1] == charts.hidden_text()
    assert "<br>" in figure.layout.annotations[1].text


def test_distribution_diverging_heatmap_and_trend():
    valid(charts.stacked_distribution(CATEGORIES, ["Dårlig", "Middels", "Godt"], [[10, 20, 70], None],
                                      [9, None]))
    diverging = valid(charts.diverging_bars(CATEGORIES, ["Svært uenig", "Uenig", "Enig", "Svært enig"],
                                            [[10, 20, 40, 30], None], [9, None]))
    assert [t.name for t in diverging.data][:2] == ["Uenig", "Svært uenig"]  # nearest zero first
    assert diverging.data[0].x[0] == -20
    valid(charts.heatmap(CATEGORIES, ["Barne- og ungdomsarbeider", "Annet"], [[50.0, None], [None, 20.0]],
                         [[10, None], [None, 6]]))
    valid(charts.trend_lines(["Høst 2026", "Vår 2027"], [charts.Series("Utnytter", [60.0, 64.0], [40, 42])]))


def test_hidden_cells_say_so_in_the_pages_language(app):
    spec_in = {}
    for lang in ("nb", "nn", "en"):
        with app.test_request_context(f"/?lang={lang}"):
            spec_in[lang] = charts.share_bars(CATEGORIES, [charts.Series("Skolen", [40.0, None], [12, None])])
    assert [spec_in[lang]["data"][0]["hovertext"][1] for lang in ("nb", "nn", "en")] == [
        "skjult (for få svar)", "skjult (for få svar)", "hidden (too few answers)"]


# Palettes: diverging scales mirror each other around a visible neutral middle, ordered scales grow darker,
# and every segment colour carries its text (white or dark, as chosen) at 4.5:1 or more.

def test_diverging_palettes_are_symmetric_with_a_neutral_middle():
    for count in (2, 3, 4, 5, 6, 7):
        colours = palettes.diverging(count)
        assert len(colours) == count
        for low, high in zip(colours, reversed(colours)):
            assert abs(palettes.lightness(low) - palettes.lightness(high)) < 2, (count, low, high)
        if count % 2:
            middle = colours[count // 2]
            assert middle == palettes.NEUTRAL
            assert palettes.contrast(middle, "#ffffff") > 1.3  # visible on white
        negative, positive = colours[:count // 2], colours[(count + 1) // 2:]
        assert set(negative).isdisjoint(positive)  # the two sides differ in hue, not only in lightness
        # Further from the middle is darker, on both sides.
        assert [palettes.lightness(c) for c in negative] == sorted(palettes.lightness(c) for c in negative)
        assert [palettes.lightness(c) for c in positive] == sorted((palettes.lightness(c) for c in positive),
                                                                   reverse=True)


def test_sequential_palettes_grow_darker_and_most_first_puts_never_lightest():
    for count in range(2, 7):
        light = [palettes.lightness(c) for c in palettes.sequential(count)]
        assert all(a > b + 5 for a, b in pairwise(light)), light
    # «1 gang i uken eller mer» … «Ikke i løpet av semesteret»
    frequency = palettes.sequential(6, most_first=True)
    assert palettes.lightness(frequency[-1]) == max(palettes.lightness(c) for c in frequency)


def test_text_on_every_segment_colour_has_a_contrast_of_at_least_4_5():
    colours = {*palettes.SEQUENTIAL, *palettes.ORANGES, *palettes.BLUES, palettes.NEUTRAL,
               *palettes.QUALITATIVE, *charts.PALETTE}
    for colour in colours:
        assert palettes.contrast(palettes.text_colour(colour), colour) >= 4.5, colour


def test_contrast_matches_the_wcag_reference_values():
    assert round(palettes.contrast("#ffffff", "#000000"), 1) == 21.0
    assert round(palettes.contrast("#ffffff", "#767676"), 2) == 4.54  # the classic AA grey


def test_segments_carry_their_share_in_a_readable_colour():
    spec = charts.stacked_distribution(CATEGORIES, ["Sjelden", "Ofte"], [[30.0, 70.0], None], [9, None],
                                       palettes.sequential(2))
    valid(spec)
    light, dark = spec["data"]
    assert light["text"] == ["30", ""] and dark["text"] == ["70", ""]
    assert light["textfont"]["color"] == palettes.DARK_TEXT and dark["textfont"]["color"] == palettes.WHITE
    assert spec["layout"]["uniformtext"] == {"mode": "hide", "minsize": 10}  # too narrow a segment shows none


def test_the_zero_line_of_a_diverging_chart_spans_only_its_bars():
    spec = charts.diverging_bars(CATEGORIES, ["Svært uenig", "Uenig", "Enig", "Svært enig"],
                                 [[10, 20, 40, 30], None], [9, None])
    assert spec["layout"]["xaxis"]["zeroline"] is False
    (line,) = spec["layout"]["shapes"]  # only the row with figures gets one
    bar = 1 - spec["layout"]["bargap"]
    assert line["x0"] == line["x1"] == 0 and line["y1"] - line["y0"] < bar + 0.1 < 1  # not up into the label
    assert [t["text"][0] for t in spec["data"]] == ["20", "10", "40", "30"]  # shares, never negative


def test_national_markers_have_their_values():
    spec = charts.share_bars(CATEGORIES, [charts.Series("Skolen", [40.0, 60.0], [12, 12]),
                                          charts.Series("Nasjonalt", [35.0, None], marker=True)])
    values = [a["text"] for a in spec["layout"]["annotations"] if a["text"].startswith("◆")]
    assert values == ["◆ 35"]


def test_long_legend_entries_wrap():
    spec = charts.stacked_distribution(["Nivå"], ["Krever utdanning på samme nivå",
                                                  "Krever ikke utdanning på et bestemt nivå"],
                                       [[40.0, 60.0]], [9])
    assert all(len(line) <= 30 for t in spec["data"] for line in t["name"].split("<br>"))


def test_the_heatmap_has_a_phone_variant_without_rotated_labels():
    spec = charts.heatmap(CATEGORIES, ["Barne- og ungdomsarbeider", "Skoleassistent/miljøarbeider"],
                          [[50.0, None], [None, 20.0]], [[10, None], [None, 6]])
    assert spec["layout"]["xaxis"]["tickangle"] == 0
    narrow = spec["narrow"]
    valid({"data": narrow["data"], "layout": narrow["layout"]})
    assert narrow["layout"]["xaxis"]["showticklabels"] is False  # column headers are wrapped annotations
    headers = [a for a in narrow["layout"]["annotations"] if a["yref"] == "paper"]
    assert [h["text"] for h in headers] == ["Barne- og<br>ungdomsarbeider",
                                            "Skoleassistent/<br>miljøarbeider"]
    assert headers[0]["yshift"] != headers[1]["yshift"]  # neighbours on two levels, so they cannot collide


def test_a_hidden_row_says_so_instead_of_staying_empty():
    for spec in (charts.stacked_distribution(CATEGORIES, ["Dårlig", "Godt"], [[30.0, 70.0], None], [9, None]),
                 charts.diverging_bars(CATEGORIES, ["Uenig", "Enig"], [[30.0, 70.0], None], [9, None])):
        valid(spec)
        said = [a for a in spec["layout"]["annotations"] if a["text"] == charts.hidden_text()]
        assert [a["y"] for a in said] == [CATEGORIES[1]]


# Issue 18, item 14: a value axis with percent ticks, gap values at their bars (not at the whisker's end),
# a one-column heatmap drawn as bars. Item 6: the gap chart tells need and wish apart, and a hidden
# area keeps its row, saying so.

def test_every_bar_chart_has_a_value_axis_in_percent():
    specs = {"share": charts.share_bars(CATEGORIES, [charts.Series("Skolen", [40.0, 60.0], [12, 12])]),
             "stacked": charts.stacked_distribution(CATEGORIES, ["Dårlig", "Godt"], [[30.0, 70.0], None],
                                                    [9, None]),
             "diverging": charts.diverging_bars(CATEGORIES, ["Uenig", "Enig"], [[30.0, 70.0], None],
                                                 [9, None]),
             "gaps": gap_chart.gap_bars(CATEGORIES, [40.0, 10.0], [20.0, 2.0], [62.0, 30.0], [12, 12],
                                     ["Behov", "Ønske"])}
    for name, spec in specs.items():
        valid(spec)
        axis = spec["layout"]["xaxis"]
        assert axis["showticklabels"] is True, name
        assert "0 %" in axis["ticktext"] and "100 %" in axis["ticktext"], name
        assert all(not t.startswith("-") for t in axis["ticktext"]), name  # disagreeing is a share too
        assert min(axis["tickvals"]) >= axis["range"][0] and max(axis["tickvals"]) <= axis["range"][1], name


def test_a_gap_value_stands_at_its_bar_not_at_the_end_of_its_whisker():
    spec = gap_chart.gap_bars(CATEGORIES, [67.0, 10.0], [45.0, 2.0], [90.0, 30.0], [9, 12],
                              ["Behov", "Behov"])
    valid(spec)
    values = [a for a in spec["layout"]["annotations"] if a["text"] in ("67", "10")]
    assert [a["text"] for a in values] == ["67", "10"]
    for value in values:  # in a column at the bars' base, left of where every bar starts
        assert value["xref"] == "paper" and value["x"] == 0 and value["xanchor"] == "right"
    assert spec["layout"]["margin"]["l"] >= 28  # the column has room to the left of the bars


def test_the_gap_chart_tells_need_and_wish_apart_in_its_legend():
    kinds = ["Trenger mer kompetanse", "Vil lære mer"]
    spec = gap_chart.gap_bars(CATEGORIES, [40.0, 25.0], [20.0, 10.0], [62.0, 45.0], [12, 12], kinds)
    valid(spec)
    need, wish = spec["data"]
    assert (need["name"], wish["name"]) == tuple(kinds) and spec["layout"]["showlegend"] is True
    assert need["marker"]["color"] != wish["marker"]["color"]
    assert need["x"] == [40.0, None] and wish["x"] == [None, 25.0]  # each area in the series it belongs to
    assert spec["layout"]["barmode"] == "overlay"  # one bar per row, not a slot left empty for the other


def test_a_hidden_area_keeps_its_row_in_the_gap_chart_and_says_so():
    spec = gap_chart.gap_bars(CATEGORIES, [40.0, None], [20.0, None], [62.0, None], [12, None],
                              ["Behov", "Behov"])
    valid(spec)
    said = [a for a in spec["layout"]["annotations"] if a["text"] == charts.hidden_text()]
    assert [a["y"] for a in said] == [CATEGORIES[1]]
    assert all(CATEGORIES[1] in t["y"] for t in spec["data"])
    assert spec["layout"]["showlegend"] is True  # one kind: the legend still says what the bars are


def test_a_heatmap_with_one_column_is_a_bar_chart_named_by_its_column():
    spec = charts.heatmap(CATEGORIES, ["Miljøterapeut"], [[50.0], [None]], [[10], [None]])
    valid(spec)
    (bars,) = spec["data"]
    assert bars["type"] == "bar" and bars["name"] == "Miljøterapeut" and spec["layout"]["showlegend"] is True
    assert bars["text"] == ["50", "–"]  # a hidden cell shows the same «–» as a heatmap's
    assert "narrow" not in spec  # bars read at 360 px as they are
