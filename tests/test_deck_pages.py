"""Deck pages: notes with sources, the scene image (plain and highlighted), card previews."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bacstudy import models
from bacstudy.db.session import engine_for


@pytest.fixture
def loaded(app: Flask, runner, deck_source: Path) -> Flask:
    assert runner("decks", "sync").exit_code == 0
    return app


def card_id(app: Flask, note_slug: str, template: str, ordinal: int = 0) -> int:
    with Session(engine_for(app)) as session:
        return session.scalars(
            select(models.Card.id)
            .join(models.Card.note)
            .where(
                models.Note.slug == note_slug,
                models.Card.template == template,
                models.Card.ordinal == ordinal,
            )
        ).one()


def test_deck_page_lists_notes_with_sources_and_disagreements(loaded: Flask) -> None:
    page = loaded.test_client().get("/decks/sample")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Which receptor does baclofen stimulate?" in html
    assert "Sources disagree:</strong> The documents disagree." in html
    citation = '<span class="muted">(001_0d402c1eaae74421.txt)</span> — Dosage Guidelines'
    assert f"Document B</cite> {citation}" in html
    # Cloze notes are listed with their deletions as plain text.
    assert "GABA-B activation reduces calcium influx and increases potassium efflux." in html
    assert 'src="/decks/sample/scenes/scene.svg"' in html
    assert "3 mnemonic symbols" in html


def test_unknown_deck_is_404(loaded: Flask) -> None:
    assert loaded.test_client().get("/decks/nope").status_code == 404


def test_scene_image_is_served_as_svg_without_script(loaded: Flask) -> None:
    client = loaded.test_client()
    image = client.get("/decks/sample/scenes/scene.svg")
    assert image.status_code == 200
    assert image.mimetype == "image/svg+xml"
    assert "default-src 'none'" in image.headers["Content-Security-Policy"]
    assert '<g id="b-bee">' in image.get_data(as_text=True)
    again = client.get(
        "/decks/sample/scenes/scene.svg", headers={"If-None-Match": image.headers["ETag"]}
    )
    assert again.status_code == 304


def test_highlighted_scene_and_its_bad_requests(loaded: Flask) -> None:
    client = loaded.test_client()
    highlighted = client.get("/decks/sample/scenes/scene.svg?highlight=b-bee")
    assert highlighted.status_code == 200
    assert "svg > g:not(#b-bee)" in highlighted.get_data(as_text=True)
    assert client.get("/decks/sample/scenes/scene.svg?highlight=dragon").status_code == 400
    assert client.get("/decks/sample/scenes/other.svg").status_code == 404


def test_cloze_card_preview_hides_its_deletion(loaded: Flask) -> None:
    page = loaded.test_client().get(f"/decks/sample/cards/{card_id(loaded, 'ions', 'cloze', 2)}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'reduces calcium influx and <span class="cloze">[…]</span>' in html
    assert '<mark class="cloze">increases potassium efflux</mark>' in html
    assert "scene.svg?highlight=receptor-dragonist" in html


def test_symbol_card_shows_the_highlighted_scene_on_the_question(loaded: Flask) -> None:
    card = card_id(loaded, "symbol:b-bee", "symbol-meaning")
    html = loaded.test_client().get(f"/decks/sample/cards/{card}").get_data(as_text=True)
    question = html.split('aria-label="Question side"')[1].split('aria-label="Answer side"')[0]
    assert "scene.svg?highlight=b-bee" in question
    assert "What does the highlighted symbol stand for?" in question


def test_missing_or_foreign_card_is_404(loaded: Flask) -> None:
    client = loaded.test_client()
    assert client.get("/decks/sample/cards/999999").status_code == 404
    assert client.get("/decks/other/cards/1").status_code == 404
    assert client.get("/decks/sample/cards/abc").status_code == 404
