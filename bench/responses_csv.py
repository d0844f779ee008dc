"""Write a large `laget import-responses` file, for measuring the import by hand (not part of `make bench`).

    python -m bench.responses_csv OUT.csv --rows 400000 [--shape nifu|full] [--schools S1,S2,S3]

`nifu` rows have the eight columns of the reproduce-the-report test (tests/nifu_generator.py);
`full` rows answer the whole questionnaire (about 89 answer rows each), simulated. Rows repeat a
few thousand distinct respondents, so that writing the file stays quick.
"""
from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path


from tests.nifu_generator import people, reference_figures
from webapp.config import PROJECT_ROOT
from webapp.domain.questionnaire import parse_definition
from webapp.domain.simulate import simulate_answers
from webapp.services.surveys import read_file

DEFINITION = PROJECT_ROOT / "surveys" / "kompetanse-og-anerkjennelse" / "v1.yaml"
DISTINCT = 5000


def respondents(shape: str) -> tuple[list[str], list[dict[str, str]]]:
    """The item columns and a pool of distinct respondents, as CSV cells."""
    if shape == "nifu":
        pool = people(reference_figures())
        return ["b_samtykke", "b_elevrettet", "b_rolle", "utnytte", "plan_kompetanse", "roller_avklart",
                "felles_kompetanseheving"], pool
    questionnaire = parse_definition(read_file(DEFINITION).data)
    rng = random.Random(1)
    pool = [{key: "|".join(value) if isinstance(value, list) else str(value)
             for key, value in simulate_answers(questionnaire, rng).items()} for _n in range(DISTINCT)]
    return list(questionnaire.items), pool


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=400_000)
    parser.add_argument("--shape", choices=["nifu", "full"], default="nifu")
    parser.add_argument("--schools", default="S1,S2,S3")
    args = parser.parse_args()
    columns, pool = respondents(args.shape)
    schools = args.schools.split(",")
    with args.out.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=["school_code", *columns], lineterminator="\n")
        writer.writeheader()
        for k in range(args.rows):
            writer.writerow({"school_code": schools[k % len(schools)], **pool[k % len(pool)]})


if __name__ == "__main__":
    main()
