"""Every chart builder's spec is a valid Plotly figure (validated by plotly's own graph objects)."""
import plotly.graph_objects as go

from webapp.figures import charts

CATEGORIES = ["elever med særskilte behov", "elever med mye fravær og en lang etikett som må brytes over flere linjer"]


def valid(spec) -> go.Figure:
    return go.Figure(spec)  # raises ValueError on any unknown property or bad value


def test_share_bars_with_reference_markers():
    figure = valid(charts.share_bars(CATEGORIES, [charts.Series("Skolen", [40.0, None], [12, None]),
                                                  charts.Series("Nasjonalt", [35.0, 20.0], marker=True)]))
    assert figure.data[0].text == ("40", "–") and figure.data[0].hovertext[1] == charts.hidden_text()
    assert "<br>" in figure.layout.annotations[1].text


def test_distribution_diverging_heatmap_and_trend():
    valid(charts.stacked_distribution(CATEGORIES, ["Dårlig", "Middels", "Godt"], [[10, 20, 70], None], [9, None]))
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
