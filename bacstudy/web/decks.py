"""Deck pages: the notes and their sources, the mnemonic scene, and a preview of any card."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from flask import Blueprint, Response, abort, render_template, request, url_for

from bacstudy import scene_svg
from bacstudy.card_faces import cloze_plain, render_card
from bacstudy.db import get_session
from bacstudy.decks import catalog
from bacstudy.export.anki import write_apkg
from bacstudy.models import Note
from bacstudy.web.lookup import deck_or_404

bp = Blueprint("decks", __name__, url_prefix="/decks")


@bp.get("/<slug>")
def deck_page(slug: str) -> str:
    deck = deck_or_404(slug, with_content=True)
    live_notes = [note for note in deck.notes if note.retired_at is None]
    notes = [note for note in live_notes if note.type != "symbol"]
    # Each symbol's generated note, whose cards are the mnemonic cards.
    symbol_notes = {
        note.symbols[0].slug: note for note in live_notes if note.type == "symbol" and note.symbols
    }
    by_topic: dict[str, list[Note]] = defaultdict(list)
    for note in notes:
        by_topic[note.tags[0].name if note.tags else "other"].append(note)
    scenes = [scene for scene in deck.scenes if scene.retired_at is None]
    symbol_count = sum(1 for scene in scenes for s in scene.symbols if s.retired_at is None)
    return render_template(
        "deck.html",
        deck=deck,
        scenes=scenes,
        by_topic=by_topic,
        note_count=len(notes),
        symbol_count=symbol_count,
        symbol_notes=symbol_notes,
    )


@bp.get("/<slug>/scenes/<scene_slug>.svg")
def scene_image(slug: str, scene_slug: str) -> Response:
    """The scene SVG; ``?highlight=<symbol>`` dims every other symbol."""
    scene = catalog.deck_scene(get_session(), slug, scene_slug) or abort(404)
    svg = scene.svg
    symbol = request.args.get("highlight")
    if symbol is not None:
        if symbol not in {s.slug for s in scene.symbols if s.retired_at is None}:
            abort(400, f"The scene has no symbol {symbol!r}.")
        svg = scene_svg.highlight(svg, symbol)
    response = Response(svg, mimetype="image/svg+xml")
    # An SVG opened directly must not run script; the drawings need only inline styles.
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/<slug>/cards/<int:card_id>")
def card_preview(slug: str, card_id: int) -> str:
    card = catalog.deck_card(get_session(), slug, card_id) or abort(404, "No such card.")
    note = card.note
    symbols = tuple(symbol.slug for symbol in note.symbols)
    face = render_card(note.type, note.fields, card.template, card.ordinal, symbols)
    scene = note.symbols[0].scene if note.symbols else None
    return render_template(
        "card_preview.html", deck_slug=slug, card=card, note=note, face=face, scene=scene
    )


@bp.get("/<slug>/export.apkg")
def anki_package(slug: str) -> Response:
    """The deck as an Anki package: the same file as ``bacstudy export anki``."""
    deck = deck_or_404(slug, with_content=True)
    with tempfile.TemporaryDirectory(prefix="bacstudy-export-") as folder:
        path = Path(folder) / f"{slug}.apkg"
        write_apkg(deck, path, datetime.now(UTC))
        data = path.read_bytes()
    response = Response(data, mimetype="application/octet-stream")
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}.apkg"'
    return response


@bp.get("/<slug>/explore")
def explore(slug: str) -> str:
    """The scene with its hotspots; pick a symbol, or walk through them in order."""
    deck = deck_or_404(slug, with_content=True)
    scenes = [scene for scene in deck.scenes if scene.retired_at is None]
    if not scenes:
        abort(404, "This deck has no mnemonic scene.")
    scene = scenes[0]
    symbols = []
    for symbol in scene.symbols:
        if symbol.retired_at is not None:
            continue
        facts = [note for note in symbol.notes if note.retired_at is None and note.type != "symbol"]
        symbols.append(
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
                        "text": note_summary(note),
                        "url": url_for("decks.card_preview", slug=slug, card_id=live_cards[0].id),
                    }
                    for note in facts
                    if (live_cards := [card for card in note.cards if card.retired_at is None])
                ],
            }
        )
    return render_template("explore.html", deck=deck, scene=scene, symbols=symbols)


def note_summary(note: Note) -> str:
    """One line for a note in a list: its question and answer, or its cloze sentence."""
    if note.type == "cloze":
        return cloze_plain(note.fields["text"])
    return f"{note.fields['front']} — {note.fields['back']}"
