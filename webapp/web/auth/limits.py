"""Limits on guessing passwords, per client address and per account, with Flask-Limiter.

Every attempt counts before the password is looked at: counting only failures afterwards would let a
burst of parallel guesses all pass the check before the first is counted. A right password then gives
its attempt back (give_back_attempt), so that only wrong guesses bring anyone closer to a lockout.
The keys are HMACs under the app's secret, so neither an e-mail nor an address is stored in the limiter's keys
or in its log lines, and nobody with only Redis can test a guessed e-mail against them.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import math
import time
from collections.abc import Callable

from flask import current_app, make_response, request
from flask.typing import ResponseReturnValue
from flask.wrappers import Response
from flask_babel import ngettext
from flask_limiter import RequestLimit
from flask_login import current_user

from webapp.extensions import limiter
from webapp.services.users import normalise_email

log = logging.getLogger(__name__)


def client_address() -> str:
    """Key a limit on the client's address (X-Forwarded-For only with TRUSTED_PROXY_COUNT set)."""
    return _keyed_digest("address", request.remote_addr or "")


def account_tried() -> str:
    """Key a limit on the account a log-in form names: its e-mail, normalised as accounts store it."""
    return _keyed_digest("account", normalise_email(request.form.get("email", "")))


def account_logged_in() -> str:
    """Key a limit on the logged-in user's account, the same key a log-in to it gets."""
    return _keyed_digest("account", normalise_email(current_user.email))


def limit_password_guesses(account: Callable[[], str], page: Callable[[str], str]):  # noqa: ANN201
    """Limit the POSTs of a view that checks a password; a refused one gets `page(message)`, HTTP 429.

    The scopes are shared, so guesses at the log-in form and the password form count together.
    """
    def refuse(limit: RequestLimit) -> Response:
        seconds = max(1, math.ceil(limit.reset_at - time.time()))
        minutes = max(1, round(seconds / 60))
        message = ngettext("Too many attempts. Try again in %(num)d minute.",
                           "Too many attempts. Try again in %(num)d minutes.", minutes)
        response = make_response(page(message), 429)
        response.headers["Retry-After"] = str(seconds)
        return response

    def decorate(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
        view = limiter.shared_limit(_per_account, scope="password-guesses-per-account", key_func=account,
                                    methods=["POST"], on_breach=refuse)(view)
        return limiter.shared_limit(_per_address, scope="password-guesses-per-address",
                                    key_func=client_address, methods=["POST"], on_breach=refuse)(view)
    return decorate


def give_back_attempt() -> None:
    """Take this request's attempt off its account's and its address's counters: it was right.

    A moving window cannot drop one entry, so each window is emptied and the attempts that were in it
    besides this one are counted again, as of now: wrong guesses never count less, and a successful
    log-in counts nothing. Should the limiter's storage fail here, the attempt stays counted and the
    log-in goes on.
    """
    for counted in limiter.current_limits:
        try:
            others = counted.limit.amount - counted.remaining - 1
            counted.limiter.clear(counted.limit, *counted.request_args)
            if others > 0:
                counted.limiter.hit(counted.limit, *counted.request_args, cost=others)
        except Exception as error:  # noqa: BLE001 — a limiter that is away must not refuse a right password
            log.warning("a successful attempt could not be given back to the log-in limit (%s)",
                        type(error).__name__)


def _per_address() -> str:
    return current_app.config["LAGET"].login_limit_per_address


def _per_account() -> str:
    return current_app.config["LAGET"].login_limit_per_account


def _keyed_digest(kind: str, value: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(secret, f"rate-limit:{kind}:{value}".encode(), hashlib.sha256).hexdigest()
    return f"{kind}:{digest[:32]}"
