"""Keep personal link tokens and e-mail addresses out of every log line, whoever writes it."""
from __future__ import annotations

import logging
import re

# A personal link is /s/<token>/…; a server's error line or an access log would carry it whole.
# Also percent-encoded (a ?next= argument, a Referer) and in any letter case.
LINK = re.compile(r"(/|%2f)s(/|%2f)[^/?#&\s\"'<>]+", re.IGNORECASE)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def scrub(text: str) -> str:
    """Return `text` with link tokens replaced by … and e-mail addresses masked."""
    return EMAIL.sub("…@…", LINK.sub(r"\1s\2…", text))


def scrub_record(record: logging.LogRecord) -> None:
    """Rewrite a record's message, arguments and traceback text in place."""
    try:
        message = record.getMessage()
    except Exception:  # a malformed call: leave it to the handler, which reports it without the arguments
        return
    clean = scrub(message)
    if clean != message:
        record.msg, record.args = clean, None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = scrub(record.exc_text)
    if record.stack_info:
        record.stack_info = scrub(record.stack_info)


class _ScrubbingFactory:
    """A log record factory that scrubs each record as it is made.

    A factory rather than a filter: a filter on a logger misses the records that its child loggers
    pass up (webapp.web.errors, sqlalchemy.pool, …) and one on a handler misses handlers added later
    (Flask's, gunicorn's after a reload); every record, from any logger, is made by the factory.
    """

    def __init__(self, make: object):
        self.make = make

    def __call__(self, *args, **kwargs) -> logging.LogRecord:
        record = self.make(*args, **kwargs)  # type: ignore[operator]
        scrub_record(record)
        return record


def install() -> None:
    """Scrub every log record of this process from now on (idempotent; forked workers inherit it)."""
    current = logging.getLogRecordFactory()
    if not isinstance(current, _ScrubbingFactory):
        logging.setLogRecordFactory(_ScrubbingFactory(current))
