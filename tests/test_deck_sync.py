"""Syncing deck sources into the database keeps every user's progress and is all-or-nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bacstudy import models
from bacstudy.db.session import engine_for
from bacstudy.decks.parse import load_decks
from bacstudy.decks.sync import sync_decks
from tests.conftest import edit_deck, review_state

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def sync(app: Flask, folder: Path, now: datetime = NOW) -> list:
    with Session(engine_for(app)) as session:
        reports = sync_decks(session, load_decks(folder), now)
        session.commit()
    return reports


def cards_by_key(session: Session) -> dict[tuple[str, str, int], models.Card]:
    rows = session.execute(select(models.Note.slug, models.Card).join(models.Card.note))
    return {(slug, card.template, card.ordinal): card for slug, card in rows}


def snapshot(app: Flask) -> dict[str, list[tuple]]:
    """Every row of every table, for comparing a database before and after."""
    tables = models.Base.metadata.sorted_tables
    with engine_for(app).connect() as connection:
        return {
            table.name: sorted(tuple(map(repr, row)) for row in connection.execute(table.select()))
            for table in tables
        }


def add_progress(session: Session, card: models.Card) -> models.User:
    user = models.User(username="ana", password_hash="x", created_at=NOW)
    session.add(user)
    session.flush()
    session.add(
        review_state(user.id, card.id, due=NOW + timedelta(days=9), last_review=NOW, stability=12.5)
    )
    session.add(
        models.ReviewLog(
            user_id=user.id,
            card_id=card.id,
            rating=3,
            kind="new",
            reviewed_at=NOW,
            duration_ms=4200,
            state_before=None,
            state_after={"state": 2, "stability": 12.5},
        )
    )
    return user


def test_first_sync_creates_notes_cards_scenes_and_links(app: Flask, deck_source: Path) -> None:
    (report,) = sync(app, deck_source.parent)
    assert (report.notes_added, report.cards_added) == (6, 11)
    with Session(engine_for(app)) as session:
        deck = session.scalars(select(models.Deck)).one()
        assert deck.slug == "sample" and deck.synced_at == NOW
        assert [d["file"] for d in deck.documents] == [
            "000_0ce35e5f8724df33.txt",
            "001_0d402c1eaae74421.txt",
        ]
        notes = {note.slug: note for note in deck.notes}
        assert set(notes) == {
            "receptor",
            "max-dose",
            "ions",
            "symbol:gaba-goose",
            "symbol:b-bee",
            "symbol:receptor-dragonist",
        }
        receptor = notes["receptor"]
        assert [t.name for t in receptor.tags] == ["mechanism"]
        assert [s.slug for s in receptor.symbols] == ["gaba-goose", "b-bee"]
        assert receptor.sources == [
            {
                "document": "000_0ce35e5f8724df33.txt",
                "title": "Document A",
                "section": "Mechanism of Action",
            }
        ]
        assert receptor.updated_at.tzinfo is not None
        (scene,) = deck.scenes
        assert scene.symbols[1].hotspot == {"shape": "circle", "coords": [395.0, 130.0, 70.0]}
        assert sorted(cards_by_key(session)) == sorted(
            [
                ("receptor", "basic", 0),
                ("max-dose", "basic", 0),
                ("max-dose", "reversed", 0),
                ("ions", "cloze", 1),
                ("ions", "cloze", 2),
                *[
                    (f"symbol:{s}", t, 0)
                    for s in ("gaba-goose", "b-bee", "receptor-dragonist")
                    for t in ("symbol-meaning", "symbol-pick")
                ],
            ]
        )


def test_resync_without_changes_changes_nothing(app: Flask, deck_source: Path) -> None:
    sync(app, deck_source.parent)
    before = snapshot(app)
    (report,) = sync(app, deck_source.parent, NOW)
    assert (report.notes_added, report.notes_updated, report.notes_retired) == (0, 0, 0)
    assert snapshot(app) == before


def test_edit_and_removal_keep_progress(app: Flask, deck_source: Path) -> None:
    sync(app, deck_source.parent)
    with Session(engine_for(app)) as session:
        cards = cards_by_key(session)
        receptor_id = cards[("receptor", "basic", 0)].id
        max_dose_ids = {cards[("max-dose", t, 0)].id for t in ("basic", "reversed")}
        cloze2_id = cards[("ions", "cloze", 2)].id
        user_id = add_progress(session, cards[("receptor", "basic", 0)]).id
        session.add(review_state(user_id, cloze2_id, due=NOW, last_review=NOW, stability=1.0))
        session.commit()

    edit_deck(deck_source, "    back: GABA-B\n", "    back: The GABA-B receptor\n")
    text = (deck_source / "deck.yaml").read_text()
    start, end = text.index("  - id: max-dose"), text.index("  - id: ions")
    (deck_source / "deck.yaml").write_text(text[:start] + text[end:])
    edit_deck(deck_source, " and {{c2::increases potassium efflux}}", " and increases K efflux")
    later = NOW + timedelta(days=1)
    (report,) = sync(app, deck_source.parent, later)
    assert (report.notes_updated, report.notes_retired, report.cards_retired) == (2, 1, 3)

    with Session(engine_for(app)) as session:
        cards = cards_by_key(session)
        receptor = cards[("receptor", "basic", 0)]
        assert receptor.id == receptor_id and receptor.retired_at is None
        assert receptor.note.fields["back"] == "The GABA-B receptor"
        assert receptor.note.updated_at == later
        state = session.get(models.CardState, (user_id, receptor_id))
        assert state is not None and state.stability == 12.5
        assert state.due == NOW + timedelta(days=9)
        assert session.scalars(select(models.ReviewLog)).one().card_id == receptor_id
        # Retired, not deleted: the rows and the progress on them are still there.
        for card_id in max_dose_ids:
            retired = session.get(models.Card, card_id)
            assert retired is not None and retired.retired_at == later
            assert retired.note.retired_at == later
        assert cards[("ions", "cloze", 2)].retired_at == later
        assert cards[("ions", "cloze", 1)].retired_at is None
        assert session.get(models.CardState, (user_id, cloze2_id)) is not None

    # Putting the note back brings back the same cards.
    (deck_source / "deck.yaml").write_text(text)
    (report,) = sync(app, deck_source.parent, later + timedelta(days=1))
    assert report.notes_added == 0 and report.cards_added == 0
    with Session(engine_for(app)) as session:
        cards = cards_by_key(session)
        assert {cards[("max-dose", t, 0)].id for t in ("basic", "reversed")} == max_dose_ids
        assert all(card.retired_at is None for card in cards.values())
        assert all(note.retired_at is None for note in session.scalars(select(models.Note)))


def test_removed_symbol_is_retired_with_its_mnemonic_cards(app: Flask, deck_source: Path) -> None:
    sync(app, deck_source.parent)
    text = (deck_source / "deck.yaml").read_text()
    start, end = text.index("      - id: receptor-dragonist"), text.index("\nnotes:")
    text = text[:start] + text[end:].replace("    symbols: [receptor-dragonist]\n", "")
    (deck_source / "deck.yaml").write_text(text)
    (report,) = sync(app, deck_source.parent)
    assert (report.notes_retired, report.cards_retired) == (1, 2)
    with Session(engine_for(app)) as session:
        symbol = session.scalars(
            select(models.Symbol).where(models.Symbol.slug == "receptor-dragonist")
        ).one()
        assert symbol.retired_at == NOW
        ions = session.scalars(select(models.Note).where(models.Note.slug == "ions")).one()
        assert ions.symbols == []


def test_failed_sync_leaves_the_database_unchanged(app: Flask, deck_source: Path, runner) -> None:
    assert runner("decks", "sync").exit_code == 0
    before = snapshot(app)
    # A valid edit and an error in one source: neither may land.
    edit_deck(deck_source, "    back: GABA-B\n", "    back: Changed\n")
    edit_deck(
        deck_source, "    symbols: [receptor-dragonist]", "    symbols: [dragon]"
    )  # …and an error
    result = runner("decks", "sync")
    assert result.exit_code == 1
    assert "unknown symbol 'dragon'" in result.output
    assert "nothing was loaded" in result.output
    assert snapshot(app) == before


def test_an_invalid_deck_stops_the_valid_ones_too(app: Flask, deck_source: Path, runner) -> None:
    assert runner("decks", "sync").exit_code == 0
    before = snapshot(app)
    edit_deck(deck_source, "    back: GABA-B\n", "    back: Changed\n")
    broken = deck_source.parent / "broken"
    broken.mkdir()
    (broken / "deck.yaml").write_text("id: broken\ntitle: Broken\ndocuments: []\nnotes: []\n")
    result = runner("decks", "sync")
    assert result.exit_code == 1
    assert "broken/deck.yaml:3: documents: must not be empty" in result.output
    assert snapshot(app) == before
