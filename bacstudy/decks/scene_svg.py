"""Variants of a scene image: one symbol highlighted and the rest dimmed.

The style is injected into the SVG itself, so the result works as a
stand-alone image (an ``<img>``, an Anki media file) without page CSS.
"""

from __future__ import annotations

import re

DIMMED_OPACITY = 0.18
_SVG_OPEN_TAG = re.compile(r"<svg\b[^>]*>")
_SAFE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def highlight(svg: str, symbol_id: str) -> str:
    """Return ``svg`` with group ``symbol_id`` at full strength and every other group dimmed."""
    if not _SAFE_ID.match(symbol_id):
        raise ValueError(f"not a symbol id: {symbol_id!r}")
    opening = _SVG_OPEN_TAG.search(svg)
    if opening is None:
        raise ValueError("not an SVG document")
    style = (
        "<style>"
        f"svg > g:not(#{symbol_id}) {{ opacity: {DIMMED_OPACITY}; filter: grayscale(0.7); }}"
        f"#{symbol_id} {{ filter: drop-shadow(0 0 6px #ffd400) drop-shadow(0 0 2px #ffd400); }}"
        "</style>"
    )
    return svg[: opening.end()] + style + svg[opening.end() :]
