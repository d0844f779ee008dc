"""Synthetic responses whose distributions match figures published in NIFU report 2023:15.

Used by the reproduce-the-report test: the product must turn these responses back into the
published numbers. Counts come from the published percentages by largest-remainder apportionment.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml

from webapp.config import PROJECT_ROOT

REFERENCE = PROJECT_ROOT / "surveys" / "kompetanse-og-anerkjennelse" / "reference-nifu-2023-15.yaml"
ROLE_FOR = {"bua": "bua", "assistent": "skoleassistent", "laerer_ug": "laerer_ug", "sfo_leder": "sfo_leder",
            "miljoterapeut_bsv": "miljoterapeut", "annet": "helsearbeider"}


def reference_figures(path: Path = REFERENCE) -> dict[str, dict]:
    return {f["id"]: f for f in yaml.safe_load(path.read_text(encoding="utf-8"))["figures"]}


def apportion(total: int, percents: dict[str, float]) -> dict[str, int]:
    """Whole counts adding up to `total`, as close as possible to the percentages."""
    scale = sum(percents.values())
    exact = {code: total * p / scale for code, p in percents.items()}
    counts = {code: int(x) for code, x in exact.items()}
    largest_remainders = sorted(exact, key=lambda c: exact[c] - counts[c], reverse=True)
    for code in largest_remainders[: total - sum(counts.values())]:
        counts[code] += 1
    return counts


def people(figures: dict[str, dict]) -> list[dict[str, str]]:
    """One answer dict per synthetic respondent: Figur 4.10's utnytte and Figur 4.15's three statements."""
    distribution = figures["utnytte-fordeling-by-yrkesgruppe"]
    statements = [figures[f"{key}-by-yrkesgruppe"] for key in ("plan-kompetanse", "roller-avklart",
                                                               "felles-kompetanseheving")]
    out = []
    for group, size in distribution["n"].items():
        utnytte = [code for code, count in apportion(size, distribution["values"][group]).items()
                   for _ in range(count)]
        rows = [{"b_samtykke": "ja", "b_elevrettet": "ja", "b_rolle": ROLE_FOR[group], "utnytte": code}
                for code in utnytte]
        for statement in statements:
            asked = statement["n"][group]
            high = round(statement["values"][group] * asked / 100)
            for k in range(asked):
                rows[k][statement["item"]] = "4" if k < high else "2"
        out.extend(rows)
    return out


def as_csv(rows: list[dict[str, str]], schools: list[str]) -> str:
    columns = ["school_code", "b_samtykke", "b_elevrettet", "b_rolle", "utnytte", "plan_kompetanse",
               "roller_avklart", "felles_kompetanseheving"]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for k, row in enumerate(rows):
        writer.writerow({"school_code": schools[k % len(schools)], **row})
    return buffer.getvalue()
