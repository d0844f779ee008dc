"""Static files under content-hashed names, cached for a year as immutable, sent gzip-compressed.

`url_for('static', filename='css/laget.css')` gives `/static/css/laget.<hash>.css`, the hash being the
first 12 hex digits of the file's SHA-256: a changed file gets a new URL, so browsers may keep every URL
for good without ever asking again. Templates call url_for as before; a `url_defaults` hook puts the hash
in. Each process reads and compresses a file once, on its first request (gzip level 9, ~0.3 s for the
plotly bundle), and keeps both in memory (about 2 MB in all): nothing is compressed per request.

A request without the hash, or with an old one (a page from before a deploy), still gets the current
file, but one that a cache must check again (`no-cache`, with an ETag) or keep for an hour only.
"""
from __future__ import annotations

import gzip
import hashlib
import mimetypes
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, abort, request
from werkzeug.security import safe_join

ROOT = Path(__file__).resolve().parent.parent / "static"
HASH_DIGITS = 12
HASHED_NAME = re.compile(rf"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{{{HASH_DIGITS}}})(?P<suffix>\.[A-Za-z0-9]+)?$")
IMMUTABLE = "public, max-age=31536000, immutable"
UNHASHED = "public, max-age=3600"
STALE = "no-cache"
# Text compresses to a quarter or less; images and fonts are compressed already.
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")
SMALLEST_COMPRESSED = 1024


@dataclass(frozen=True)
class StaticFile:
    """A file's bytes, their gzip form (None where it would not help), its hash and its type."""

    body: bytes
    gzipped: bytes | None
    digest: str
    mimetype: str


_files: dict[str, StaticFile] = {}
_lock = threading.Lock()


def register(app: Flask) -> None:
    """Serve /static/ with this module and put content hashes into url_for('static', …)."""
    app.add_url_rule("/static/<path:filename>", endpoint="static", view_func=send_static)
    app.url_defaults(_hash_static_urls)


def hashed_name(filename: str) -> str:
    """`css/laget.css` -> `css/laget.<hash>.css`; a name that is no file is left as it is."""
    found = _load(filename)
    if found is None:
        return filename
    stem, dot, suffix = filename.rpartition(".")
    if not dot or "/" in suffix:
        return f"{filename}.{found.digest}"
    return f"{stem}.{found.digest}.{suffix}"


def send_static(filename: str) -> Response:
    """Send a static file: immutable under its current hash, compressed when the browser takes gzip."""
    name, asked = _split_hash(filename)
    found = _load(name) or abort(404)
    compressed = found.gzipped is not None and request.accept_encodings["gzip"] > 0
    response = Response(found.gzipped if compressed else found.body, mimetype=found.mimetype)
    if found.gzipped is not None:
        response.vary.add("Accept-Encoding")
    if compressed:
        response.content_encoding = "gzip"
    response.set_etag(found.digest + ("-gzip" if compressed else ""))
    response.headers["Cache-Control"] = (IMMUTABLE if asked == found.digest
                                         else UNHASHED if asked is None else STALE)
    return response.make_conditional(request)


def _hash_static_urls(endpoint: str, values: dict[str, str]) -> None:
    if endpoint == "static" and "filename" in values:
        values["filename"] = hashed_name(values["filename"])


def _split_hash(filename: str) -> tuple[str, str | None]:
    """`js/plan.<hash>.js` -> (`js/plan.js`, hash); a name without a hash -> (name, None)."""
    match = HASHED_NAME.match(filename)
    if match is None or _load(filename) is not None:  # a file may really be called so
        return filename, None
    return match["stem"] + (match["suffix"] or ""), match["hash"]


def _load(filename: str) -> StaticFile | None:
    """The file under ROOT, read and compressed once per process; None when there is none."""
    if filename in _files:
        return _files[filename]
    path = safe_join(str(ROOT), filename)
    if path is None or not Path(path).is_file():
        return None
    with _lock:
        if filename not in _files:
            _files[filename] = _read(Path(path))
    return _files[filename]


def _read(path: Path) -> StaticFile:
    body = path.read_bytes()
    mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    gzipped = None
    if mimetype.startswith(COMPRESSIBLE) and len(body) >= SMALLEST_COMPRESSED:
        gzipped = gzip.compress(body, compresslevel=9, mtime=0)
    return StaticFile(body, gzipped, hashlib.sha256(body).hexdigest()[:HASH_DIGITS], mimetype)
