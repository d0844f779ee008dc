"""Reproduce the report: responses shaped like NIFU 2023:15 give back its published figures."""
from __future__ import annotations

import json

from click.testing import CliRunner

from tests.nifu_generator import apportion, as_csv, people, reference_figures
from webapp.cli import cli


def test_figures_4_10_and_4_15_by_yrkesgruppe_are_reproduced(app, open_round, settings, monkeypatch,
                                                              tmp_path):
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SECRET_KEY", settings.secret_key)
    runner = CliRunner()
    figures = reference_figures()

    def laget(*args: str) -> str:
        result = runner.invoke(cli, list(args), catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    # Given 2,226 synthetic respondents shaped like Figur 4.10 and 4.15, imported as a CSV
    path = tmp_path / "nifu.csv"
    path.write_text(as_csv(people(figures), ["S1", "S2", "S3"]), encoding="utf-8")
    assert "Imported 2226 response(s)" in laget("import-responses", "--round", open_round, str(path))

    # When the round is rebuilt and exported by yrkesgruppe
    laget("rebuild", "--round", open_round)
    exported = json.loads(laget("export-aggregates", "--round", open_round, "--by", "yrkesgruppe"))
    by = {(e["item"], e["group"]): e for e in exported["items"]}

    # Then Figur 4.10: utnytte's distribution per yrkesgruppe is the published one
    published = figures["utnytte-fordeling-by-yrkesgruppe"]
    for group, n in published["n"].items():
        entry = by[("utnytte", group)]
        assert entry["n"] == n
        expected = apportion(n, published["values"][group])
        assert entry["counts"] == {code: expected[code] for code in ("1", "2", "3", "4", "5")}
        for code, percent in published["values"][group].items():
            assert abs(entry["percent"][code] - percent) <= 0.5 + 100 / n, (group, code)
    assert round(sum(by[("utnytte", g)]["counts"]["4"] + by[("utnytte", g)]["counts"]["5"]
                     for g in published["n"]) / 2226 * 100) == figures["utnytte-alle"]["values"]["all"]

    # … and Figur 4.15: the share «i stor/svært stor grad» per yrkesgruppe for the three statements
    for key in ("plan-kompetanse", "roller-avklart", "felles-kompetanseheving"):
        figure = figures[f"{key}-by-yrkesgruppe"]
        for group, percent in figure["values"].items():
            entry = by[(figure["item"], group)]
            assert entry["n"] == figure["n"][group]
            share = entry["percent"]["4"] + entry["percent"]["5"]
            assert abs(share - percent) <= 0.5 + 50 / entry["n"], (figure["item"], group, share, percent)
