"""Colours of the charts and the text drawn on them (pure).

Agree/disagree and good/poor scales diverge from a light grey middle: orange below it, blue above
(blue–orange stays apart for red–green colour blindness), the two sides equally light at equal distance.
Ordered scales such as frequency grow darker with more; "never" is the lightest. Every colour carries
either white or dark text at a contrast of at least 4.5:1 (WCAG AA), chosen by `text_colour`.
"""
from __future__ import annotations

DARK_TEXT = "#1b1f24"
WHITE = "#ffffff"
NEUTRAL = "#d9d9d9"  # the middle of an odd diverging scale: light grey, visible on white
ORANGES = ("#a6500a", "#e08a2c", "#f9c99b")  # darkest (furthest from the middle) first
BLUES = ("#2a6ab4", "#6e9fdc", "#bdd3ee")    # the same three lightnesses as ORANGES
# Light to dark; no colour's luminance falls in the band where neither white nor dark text reads.
SEQUENTIAL = ("#dbe7f3", "#aec9e6", "#7ea7d8", "#3572b3", "#235a96", "#0b3f7a")
# Unordered options (e.g. "requires the same / a higher / a lower level"): distinct hues.
QUALITATIVE = ("#0b5cad", "#e08a2c", "#6b6b6b", "#2e8540", "#8e44ad", "#7ea7d8")


def diverging(count: int) -> list[str]:
    """`count` colours from the most negative option to the most positive; odd counts get a grey middle."""
    half = count // 2
    if half > len(ORANGES):
        raise ValueError(f"no diverging palette for {count} options")
    side = {0: (), 1: (1,), 2: (0, 1), 3: (0, 1, 2)}[half]  # which shades, the outermost first
    negative = [ORANGES[k] for k in side]
    positive = [BLUES[k] for k in reversed(side)]
    return negative + ([NEUTRAL] if count % 2 else []) + positive


def sequential(count: int, most_first: bool = False) -> list[str]:
    """`count` colours, lightest first; `most_first` when the scale's first option means "most"."""
    if count <= 1:
        colours = [SEQUENTIAL[-2]]
    else:
        colours = [SEQUENTIAL[round(k * (len(SEQUENTIAL) - 1) / (count - 1))] for k in range(count)]
    return colours[::-1] if most_first else colours


def qualitative(count: int) -> list[str]:
    return [QUALITATIVE[k % len(QUALITATIVE)] for k in range(count)]


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def lightness(colour: str) -> float:
    """CIELAB L* (0 black … 100 white): how light a colour looks."""
    y = luminance(colour)
    f = y ** (1 / 3) if y > 216 / 24389 else (24389 / 27 * y + 16) / 116
    return 116 * f - 16


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio between two colours (1 … 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour(background: str) -> str:
    """White or dark text, whichever reads better on `background`."""
    return WHITE if contrast(WHITE, background) >= contrast(DARK_TEXT, background) else DARK_TEXT
