"""Template globals: translated definition texts and the current language."""
from __future__ import annotations

from urllib.parse import quote, urlencode

from flask import Flask, request
from flask_babel import get_locale

from webapp.domain.dates import shown_day
from webapp.domain.texts import pick
from webapp.web.numbers import number


def current_language() -> str:
    return str(get_locale() or "nb")


def definition_text(texts: dict[str, str] | None) -> str:
    """Return a questionnaire text in the current language."""
    return pick(texts, current_language())


# The login page's return address; every other page is fully described by its path.
KEPT_QUERY_ARGS = ("next",)


def language_url(code: str) -> str:
    """Return the current page's address in another language.

    Built from the path and a few known arguments, never by handing the query to url_for, which takes
    `_method`, `_external`, `_scheme` and `_anchor` as instructions for building the link.
    """
    kept = [(name, value) for name in KEPT_QUERY_ARGS for value in request.args.getlist(name)]
    return f"{current_path()}?{urlencode([*kept, ('lang', code)])}"


def current_path() -> str:
    """Return the requested path, percent-encoded so that it can only lead back to this site.

    Unencoded, a path such as "/\\evil.example" would be read by browsers as a link to another host.
    """
    return quote(request.script_root + request.path, safe="/:@!$&'()*+,;=-._~")


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.globals.update(tr=definition_text, current_language=current_language,
                                 language_url=language_url, current_path=current_path)
    app.jinja_env.filters["num"] = number
    app.jinja_env.filters["day"] = shown_day
    app.jinja_env.add_extension("jinja2.ext.do")
