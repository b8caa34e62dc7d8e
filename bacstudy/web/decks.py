"""Deck pages: the notes and their sources, the mnemonic scene, and a preview of any card."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Blueprint, abort, render_template, request, url_for
from werkzeug.wrappers import Response

from bacstudy.db.session import get_session
from bacstudy.decks import catalog
from bacstudy.decks.catalog import DeckOutline
from bacstudy.export.anki import write_apkg
from bacstudy.web.clock import now
from bacstudy.web.lookup import deck_or_404

bp = Blueprint("decks", __name__, url_prefix="/decks")


def _outline(slug: str) -> DeckOutline:
    return catalog.deck_outline(get_session(), slug) or abort(404, f"There is no deck {slug!r}.")


@bp.get("/<slug>")
def deck_page(slug: str) -> str:
    return render_template("deck.html", deck=_outline(slug))


@bp.get("/<slug>/scenes/<scene_slug>.svg")
def scene_image(slug: str, scene_slug: str) -> Response:
    """The scene SVG; ``?highlight=<symbol>`` dims every other symbol."""
    highlight = request.args.get("highlight")
    svg = catalog.scene_image(get_session(), slug, scene_slug, highlight) or abort(404)
    response = Response(svg, mimetype="image/svg+xml")
    # An SVG opened directly must not run script; the drawings need only inline styles.
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/<slug>/cards/<int:card_id>")
def card_preview(slug: str, card_id: int) -> str:
    content = catalog.preview_card(get_session(), slug, card_id) or abort(404, "No such card.")
    return render_template("card_preview.html", deck_slug=slug, content=content)


@bp.get("/<slug>/export.apkg")
def anki_package(slug: str) -> Response:
    """The deck as an Anki package: the same file as ``bacstudy export anki``."""
    deck = deck_or_404(slug, with_content=True)
    with tempfile.TemporaryDirectory(prefix="bacstudy-export-") as folder:
        path = Path(folder) / f"{slug}.apkg"
        write_apkg(deck, path, now())
        data = path.read_bytes()
    response = Response(data, mimetype="application/octet-stream")
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}.apkg"'
    return response


@bp.get("/<slug>/explore")
def explore(slug: str) -> str:
    """The scene with its hotspots; pick a symbol, or walk through them in order."""
    deck = _outline(slug)
    if not deck.scenes:
        abort(404, "This deck has no mnemonic scene.")
    scene = deck.scenes[0]
    symbols = [
        {
            "id": symbol.slug,
            "label": symbol.label,
            "meaning": symbol.meaning,
            "ours": symbol.ours,
            "hotspot": symbol.hotspot,
            "image": url_for(
                "decks.scene_image", slug=slug, scene_slug=scene.slug, highlight=symbol.slug
            ),
            "notes": [
                {
                    "text": note.summary,
                    "url": url_for("decks.card_preview", slug=slug, card_id=note.cards[0].id),
                }
                for note in symbol.facts
                if note.cards
            ],
        }
        for symbol in scene.symbols
    ]
    return render_template("explore.html", deck=deck, scene=scene, symbols=symbols)
