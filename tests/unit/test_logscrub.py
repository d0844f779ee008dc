"""Log lines lose personal link tokens and e-mail addresses, whatever part of the record holds them."""
from __future__ import annotations

import logging
import sys

from webapp.logscrub import scrub, scrub_record

TOKEN = "pJhyYKjdd2UCnGQSNv0sbsLiqJAYr1Rn"


def test_scrub_replaces_link_tokens_and_masks_addresses():
    assert scrub(f"Error handling request GET /s/{TOKEN}/side/samtykke?e=kari@skole.example.no") == \
        "Error handling request GET /s/…/side/samtykke?e=…@…"
    assert scrub(f'"https://laget.example/s/{TOKEN}" /auth/logg-inn?next=%2Fs%2F{TOKEN}') == \
        '"https://laget.example/s/…" /auth/logg-inn?next=%2Fs%2F…'
    assert scrub("GET /resultater/runde/1 200") == "GET /resultater/runde/1 200"


def record(msg: str, args: object, exc_info: object = None) -> logging.LogRecord:
    return logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, msg, args, exc_info)  # type: ignore[arg-type]


def test_a_record_is_scrubbed_in_its_arguments_and_traceback():
    # gunicorn's access log passes a dict of atoms; its error log the path as an argument
    access = record('%(r)s %(f)s', {"r": f"GET /s/{TOKEN}/takk HTTP/1.1", "f": "-"})
    try:
        raise ValueError(f"bad link /s/{TOKEN} for ola@example.org")
    except ValueError:
        error = record("Error handling request %s", (f"/s/{TOKEN}/oppsummering",), sys.exc_info())

    for item in (access, error):
        scrub_record(item)
        text = logging.Formatter().format(item)
        assert TOKEN not in text and "ola@example.org" not in text and "/s/…" in text
    assert access.getMessage() == "GET /s/…/takk HTTP/1.1 -"
