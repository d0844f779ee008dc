"""The Content-Disposition header of a download, for any file name (RFC 6266 with RFC 5987 `filename*`).

HTTP headers travel as Latin-1, so a school called «Nesset 1–10-skole» or «Porsáŋgu» cannot go raw into
`filename="…"`: the server fails to send the response. Browsers read the UTF-8 name from `filename*`;
`filename` carries an ASCII stand-in for the few clients that do not.
"""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

# Letters that Unicode does not decompose into an ASCII base letter, and dashes and quotes.
ASCII_STAND_INS = str.maketrans({
    "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "ŋ": "n", "Ŋ": "N", "đ": "d", "Đ": "D", "ŧ": "t", "Ŧ": "T",
    "ß": "ss", "ł": "l", "Ł": "L", "–": "-", "—": "-", "‐": "-", "’": "'", "«": "", "»": "",
})
# Characters no file system accepts in a name (Windows is the strictest), and control characters.
NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
# RFC 5987 attr-char: everything else in `filename*` is percent-encoded.
ATTR_CHARS = "!#$&+-.^_`|~"


def file_name(text: str) -> str:
    """Return `text` as a file name: characters that file systems refuse become «_», spaces too."""
    cleaned = NOT_IN_FILE_NAMES.sub("_", unicodedata.normalize("NFC", text))
    return re.sub(r"\s+", "_", cleaned.strip())


def ascii_name(name: str) -> str:
    """Return an ASCII stand-in for a file name: accents dropped, other letters spelled out or «_»."""
    spelled = unicodedata.normalize("NFKD", name.translate(ASCII_STAND_INS))
    bare = "".join(c for c in spelled if not unicodedata.combining(c))
    return "".join(c if " " <= c < "\x7f" and c not in '"\\' else "_" for c in bare)


def attachment(name: str) -> str:
    """Return the header value that offers `name` as a download, whatever its characters."""
    name = file_name(name)
    fallback = ascii_name(name)
    if fallback == name:
        return f'attachment; filename="{name}"'
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe=ATTR_CHARS)}"
