"""Security headers on every response: a strict CSP, no framing, no sniffing, no referrer, no caching."""
from __future__ import annotations

from flask import Response, request

# plotly.js, measured in Chromium (tests/browser/test_csp_in_browser.py), needs two exceptions, and both
# are narrower than 'unsafe-inline':
# - its global rules (positions of the chart layers, hover labels) go into a <style> element it creates
#   empty and then fills with insertRule(); CSP checks only the element's text, so the hash of the empty
#   string lets exactly that through. Blocked, the hover layer would slide below the chart.
# - heatmaps are drawn as PNG data: URLs in SVG <image> elements, hence img-src data:.
# It also injects MapLibre's stylesheet on load, unused here (no maps); its hash is allowed so that
# nothing is reported. After a plotly upgrade the browser test names any new hash to put here.
PLOTLY_EMPTY_STYLE = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
PLOTLY_MAPLIBRE_STYLE = "'sha256-ji27qzEtxXZW+7dun6UwjHXJ18e6WAin1VvNtkzIE/o='"
# No inline script anywhere: figures travel in data- attributes and static scripts draw them.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'none'",
    "script-src 'self'",
    f"style-src 'self' {PLOTLY_EMPTY_STYLE} {PLOTLY_MAPLIBRE_STYLE}",
    "img-src 'self' data:",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
))
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    # Personal links carry their token in the path: never hand it to another site.
    "Referrer-Policy": "no-referrer",
}
# Files that hold nothing personal keep their long cache lifetime; everything else may be a personal
# link, figures within someone's scope or a download of them, and must not stay in any cache.
CACHEABLE_ENDPOINTS = frozenset({"static"})  # webapp/web/static_files.py sets their Cache-Control


def add_security_headers(response: Response) -> Response:
    """Set the security headers, and `Cache-Control: no-store` on everything but static files."""
    response.headers.update(HEADERS)
    if request.endpoint not in CACHEABLE_ENDPOINTS:
        response.headers["Cache-Control"] = "no-store"
    return response
