"""Read-side summaries of the decks in the database, for the home page and ``decks list``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from bacstudy.models import Card, Deck, Note, Scene, Symbol, Tag, note_tags


@dataclass(frozen=True)
class DeckSummary:
    slug: str
    title: str
    description: str
    notes: int
    cards: int
    synced_at: datetime


def deck_summaries(session: Session) -> list[DeckSummary]:
    """Every deck with its live (not retired) note and card counts."""
    note_counts = (
        select(Note.deck_id, func.count(Note.id).label("notes"))
        .where(Note.retired_at.is_(None))
        .group_by(Note.deck_id)
        .subquery()
    )
    card_counts = (
        select(Note.deck_id, func.count(Card.id).label("cards"))
        .join(Card, Card.note_id == Note.id)
        .where(Card.retired_at.is_(None))
        .group_by(Note.deck_id)
        .subquery()
    )
    rows = session.execute(
        select(Deck, func.coalesce(note_counts.c.notes, 0), func.coalesce(card_counts.c.cards, 0))
        .outerjoin(note_counts, note_counts.c.deck_id == Deck.id)
        .outerjoin(card_counts, card_counts.c.deck_id == Deck.id)
        .order_by(Deck.title)
    )
    return [
        DeckSummary(
            slug=deck.slug,
            title=deck.title,
            description=deck.description,
            notes=notes,
            cards=cards,
            synced_at=deck.synced_at,
        )
        for deck, notes, cards in rows
    ]


def deck_by_slug(session: Session, slug: str) -> Deck | None:
    return session.scalar(select(Deck).where(Deck.slug == slug))


def live_deck(session: Session, slug: str) -> Deck | None:
    """A deck with its live scenes, symbols and notes loaded, or None."""
    return session.scalar(
        select(Deck)
        .where(Deck.slug == slug)
        .options(
            selectinload(Deck.scenes).selectinload(Scene.symbols),
            selectinload(Deck.notes).selectinload(Note.cards),
            selectinload(Deck.notes).selectinload(Note.tags),
            selectinload(Deck.notes).selectinload(Note.symbols),
        )
    )


def deck_scene(session: Session, deck_slug: str, scene_slug: str) -> Scene | None:
    return session.scalar(
        select(Scene)
        .join(Scene.deck)
        .where(Deck.slug == deck_slug, Scene.slug == scene_slug, Scene.retired_at.is_(None))
        .options(selectinload(Scene.symbols))
    )


def deck_card(session: Session, deck_slug: str, card_id: int) -> Card | None:
    """A live card of the deck, with its note and the note's symbols."""
    return session.scalar(
        select(Card)
        .join(Card.note)
        .join(Note.deck)
        .where(Deck.slug == deck_slug, Card.id == card_id, Card.retired_at.is_(None))
        .options(selectinload(Card.note).selectinload(Note.symbols).selectinload(Symbol.scene))
    )


def deck_tags(session: Session, deck_id: int) -> list[tuple[str, int]]:
    """The tags of a deck's live notes with how many live cards carry each, by name."""
    rows = session.execute(
        select(Tag.name, func.count(Card.id))
        .join(note_tags, note_tags.c.tag_id == Tag.id)
        .join(Note, Note.id == note_tags.c.note_id)
        .join(Card, Card.note_id == Note.id)
        .where(Note.deck_id == deck_id, Note.retired_at.is_(None), Card.retired_at.is_(None))
        .group_by(Tag.name)
        .order_by(Tag.name)
    )
    return [(name, count) for name, count in rows]
