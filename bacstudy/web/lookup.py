"""Fetch-or-404 for the web layer: one place that turns "no such deck" into a 404 page."""

from __future__ import annotations

from flask import abort

from bacstudy.db.session import get_session
from bacstudy.decks import catalog
from bacstudy.models import Deck


def deck_or_404(slug: str, *, with_content: bool = False) -> Deck:
    """The deck named ``slug``; ``with_content`` also loads its scenes, notes and cards."""
    session = get_session()
    deck = catalog.live_deck(session, slug) if with_content else catalog.deck_by_slug(session, slug)
    if deck is None:
        abort(404, f"There is no deck {slug!r}.")
    return deck
